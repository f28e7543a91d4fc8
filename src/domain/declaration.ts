import { z } from 'zod';
import type { FieldValue } from './incidentTypes.js';
import { SEVERITY_LEVELS, type SeverityLevel } from './severity.js';
import { cleanTypedText } from './text.js';

/** Kept short enough that "🚨 <title>" fits a Block Kit header (150 characters). */
export const TITLE_MAX_LENGTH = 120;
export const IMPACT_MAX_LENGTH = 2000;

export interface Declaration {
  title: string;
  severity: SeverityLevel;
  impact: string;
  commanderId: string;
  isPrivate: boolean;
  /** When the impact started, if the declare form was told (its own optional input). */
  impactStartedAt?: Date | null;
  /** The incident type chosen in the form, and its fields' values (checked by checkFieldValues); absent: none. */
  type?: string | null;
  fields?: Record<string, FieldValue>;
}

/** The form's own fields; the type and its fields are checked by checkFieldValues. */
export type DeclarationField = Exclude<keyof Declaration, 'type' | 'fields'>;
export type DeclarationErrors = Partial<Record<DeclarationField, string>>;


const declarationSchema = z.object({
  title: z
    .string()
    .transform((text) => cleanTypedText(text).replace(/\s+/g, ' '))
    .pipe(
      z
        .string()
        .min(1, 'Give the incident a title, e.g. "Checkout API returning 500s".')
        .max(TITLE_MAX_LENGTH, `Keep the title to ${TITLE_MAX_LENGTH} characters; put details in "What is happening".`),
    ),
  severity: z.enum(SEVERITY_LEVELS, { error: 'Choose a severity (SEV1–SEV4).' }),
  impact: z
    .string()
    .transform(cleanTypedText)
    .pipe(z.string().max(IMPACT_MAX_LENGTH, `Keep this to ${IMPACT_MAX_LENGTH} characters; add more as notes later.`)),
  commanderId: z.string().regex(/^[UW][A-Z0-9]{2,}$/, { error: 'Choose the incident commander.' }),
  isPrivate: z.boolean(),
});

export type DeclarationCheck = { ok: true; declaration: Declaration } | { ok: false; errors: DeclarationErrors };

/** Checks what someone typed into the declare form; every problem is reported on its own field. */
export function checkDeclaration(input: {
  title: string | null | undefined;
  severity: string | null | undefined;
  impact: string | null | undefined;
  commanderId: string | null | undefined;
  isPrivate: boolean;
}): DeclarationCheck {
  const parsed = declarationSchema.safeParse({
    title: input.title ?? '',
    severity: input.severity ?? undefined,
    impact: input.impact ?? '',
    commanderId: input.commanderId ?? '',
    isPrivate: input.isPrivate,
  });
  if (parsed.success) return { ok: true, declaration: parsed.data };
  const errors: DeclarationErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as DeclarationField;
    errors[field] ??= issue.message;
  }
  return { ok: false, errors };
}
