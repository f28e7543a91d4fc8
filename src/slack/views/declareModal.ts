import type { KnownBlock, View } from '@slack/types';
import { IMPACT_MAX_LENGTH, TITLE_MAX_LENGTH, type DeclarationField } from '../../domain/declaration.js';
import type { Severity, SeverityLevel } from '../../domain/severity.js';
import { escapeMrkdwn, slackMarkupAsText } from '../../render/mrkdwn.js';
import { clip, contextLine, mrkdwnSections, plainText, severityOption, type FormValues } from './blocks.js';
import { publicMessageBlocks, type PublicMessageField } from './publicMessageFields.js';
import type { IncidentType } from '../../domain/incidentTypes.js';
import { typeSelectBlock } from './incidentTypeBlocks.js';

export const DECLARE_CALLBACK_ID = 'declare_incident';

/** Block and action ids of the declare form, one per field of a Declaration. */
export const DECLARE_INPUTS: Record<DeclarationField, { blockId: string; actionId: string }> = {
  title: { blockId: 'title', actionId: 'title_input' },
  severity: { blockId: 'severity', actionId: 'severity_select' },
  impact: { blockId: 'impact', actionId: 'impact_input' },
  commanderId: { blockId: 'commander', actionId: 'commander_select' },
  isPrivate: { blockId: 'visibility', actionId: 'visibility_checkbox' },
  impactStartedAt: { blockId: 'impact_started', actionId: 'impact_started_input' },
};
export const PRIVATE_OPTION_VALUE = 'private';

/** What the modal carries from the slash command to its submission. */
export interface DeclareModalMetadata {
  /** The channel the command was typed in, to answer there if the modal is gone. */
  channelId: string;
  /** Declared from this alert's triage message: the incident is linked to it. */
  alertId?: number;
  /**
   * The public message the form was prefilled with: submitted unchanged, it is written again from
   * the title and impact as declared (the prefill only knew the command's words).
   */
  publicPrefill?: string;
}

export function declareModal(options: {
  severities: readonly Severity[];
  defaultSeverity: SeverityLevel;
  title: string;
  /** "What is happening", filled in (from an alert). */
  impact?: string;
  commanderId: string;
  metadata: DeclareModalMetadata;
  /** The status page's fields, when it is configured. */
  publicMessage?: PublicMessageField;
  /** incident_types: with any, the form asks for a type and redraws with its fields once one is chosen. */
  incidentTypes?: readonly IncidentType[];
}): View {
  const initialSeverity = options.severities.find((severity) => severity.level === options.defaultSeverity);
  // A title is shown as text everywhere (channel name, topic, announcements): `@ivan`, not `<@U123|ivan>`.
  const title = clip(slackMarkupAsText(options.title), TITLE_MAX_LENGTH);
  return {
    type: 'modal',
    callback_id: DECLARE_CALLBACK_ID,
    private_metadata: JSON.stringify(options.publicMessage ? { ...options.metadata, publicPrefill: options.publicMessage.prefill } : options.metadata),
    title: plainText('Declare an incident'),
    submit: plainText('Declare'),
    close: plainText('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: DECLARE_INPUTS.title.blockId,
        label: plainText('Title'),
        hint: plainText('Names the channel, e.g. "Checkout API returning 500s".'),
        element: {
          type: 'plain_text_input',
          action_id: DECLARE_INPUTS.title.actionId,
          max_length: TITLE_MAX_LENGTH,
          ...(title ? { initial_value: title } : {}),
          placeholder: plainText('What is broken?'),
        },
      },
      ...(options.incidentTypes && options.incidentTypes.length > 0 ? [typeSelectBlock(options.incidentTypes, undefined)] : []),
      {
        type: 'input',
        block_id: DECLARE_INPUTS.severity.blockId,
        label: plainText('Severity'),
        element: {
          type: 'static_select',
          action_id: DECLARE_INPUTS.severity.actionId,
          options: options.severities.map(severityOption),
          ...(initialSeverity ? { initial_option: severityOption(initialSeverity) } : {}),
        },
      },
      {
        type: 'input',
        block_id: DECLARE_INPUTS.impact.blockId,
        optional: true,
        label: plainText('What is happening / impact'),
        element: {
          type: 'plain_text_input',
          action_id: DECLARE_INPUTS.impact.actionId,
          multiline: true,
          max_length: IMPACT_MAX_LENGTH,
          ...(options.impact ? { initial_value: clip(options.impact, IMPACT_MAX_LENGTH) } : {}),
          placeholder: plainText('Which users or features are affected, since when?'),
        },
      },
      impactStartInput(),
      {
        type: 'input',
        block_id: DECLARE_INPUTS.commanderId.blockId,
        label: plainText('Incident commander'),
        element: { type: 'users_select', action_id: DECLARE_INPUTS.commanderId.actionId, initial_user: options.commanderId },
      },
      {
        type: 'input',
        block_id: DECLARE_INPUTS.isPrivate.blockId,
        optional: true,
        label: plainText('Visibility'),
        element: {
          type: 'checkboxes',
          action_id: DECLARE_INPUTS.isPrivate.actionId,
          options: [
            {
              text: plainText('Private incident (security)'),
              description: plainText('Private channel, invited people only, not announced'),
              value: PRIVATE_OPTION_VALUE,
            },
          ],
        },
      },
      ...(options.publicMessage ? publicMessageBlocks(options.publicMessage) : []),
    ],
  };
}

/** "Impact started at": optional, typed as `/incident impact-start` takes it; read with `readImpactStartTyped`. */
function impactStartInput(): KnownBlock {
  return {
    type: 'input',
    block_id: DECLARE_INPUTS.impactStartedAt.blockId,
    optional: true,
    label: plainText('Impact started at'),
    hint: plainText('If before now: 14:05, 2026-11-26 14:05 or -20m, in the incident time zone. Time to resolve counts from it.'),
    element: { type: 'plain_text_input', action_id: DECLARE_INPUTS.impactStartedAt.actionId, max_length: 40, placeholder: plainText('14:05 or -20m') },
  };
}

/** What was typed in "Impact started at"; empty when nothing was. */
export function readImpactStartTyped(values: FormValues): string {
  const input = DECLARE_INPUTS.impactStartedAt;
  return values[input.blockId]?.[input.actionId]?.value?.trim() ?? '';
}

const resultView = (blocks: KnownBlock[]): View => ({
  type: 'modal',
  callback_id: `${DECLARE_CALLBACK_ID}_result`,
  title: plainText('Declare an incident'),
  close: plainText('Close'),
  blocks,
});

/** Shown the moment a valid form is submitted, while the channel is being set up. */
export function declaringView(title: string): View {
  return resultView([
    ...mrkdwnSections(`:hourglass_flowing_sand: Setting up the incident channel for *${escapeMrkdwn(title)}*…`),
    contextLine('You can close this window; the bot carries on and the channel will appear in your sidebar.'),
  ]);
}

export function declaredView(channelId: string, warnings: string[]): View {
  const warningText = warnings.length > 0 ? `\n\n:warning: Some steps did not work:\n${warnings.map((w) => `• ${w}`).join('\n')}` : '';
  return resultView(mrkdwnSections(`:white_check_mark: Incident declared. Head to <#${channelId}>.${warningText}`));
}

export function declareFailedView(message: string): View {
  return resultView(mrkdwnSections(`:x: The incident was *not* declared.\n${message}`));
}

type StateValues = FormValues;

/** Reads the submitted form back into the raw fields a Declaration is checked from. */
export function readDeclareForm(values: StateValues) {
  const field = (input: DeclarationField) => values[DECLARE_INPUTS[input].blockId]?.[DECLARE_INPUTS[input].actionId];
  return {
    title: field('title')?.value,
    severity: field('severity')?.selected_option?.value,
    impact: field('impact')?.value,
    commanderId: field('commanderId')?.selected_user,
    isPrivate: (field('isPrivate')?.selected_options ?? []).some((option) => option.value === PRIVATE_OPTION_VALUE),
  };
}

/** Field errors keyed by block id, as `response_action: "errors"` wants them. */
export function declareFormErrors(errors: Partial<Record<DeclarationField, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(errors).map(([field, message]) => [DECLARE_INPUTS[field as DeclarationField].blockId, message]),
  );
}

export function parseDeclareMetadata(privateMetadata: string): DeclareModalMetadata | undefined {
  try {
    const parsed: unknown = JSON.parse(privateMetadata);
    if (parsed && typeof parsed === 'object' && 'channelId' in parsed && typeof parsed.channelId === 'string') {
      const alertId = 'alertId' in parsed && Number.isSafeInteger(parsed.alertId) ? (parsed.alertId as number) : undefined;
      const prefill = 'publicPrefill' in parsed && typeof parsed.publicPrefill === 'string' ? parsed.publicPrefill : undefined;
      return { channelId: parsed.channelId, ...(alertId === undefined ? {} : { alertId }), ...(prefill === undefined ? {} : { publicPrefill: prefill }) };
    }
  } catch {
    // A modal we did not build, or metadata Slack dropped: the caller falls back to a DM.
  }
  return undefined;
}
