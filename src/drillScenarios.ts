import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { delay } from './configFile.js';
import { IMPACT_MAX_LENGTH, TITLE_MAX_LENGTH } from './domain/declaration.js';
import { END_DRILL_WORD, SCENARIO_NAME, type DrillScenario } from './domain/drill.js';
import { SEVERITY_LEVELS } from './domain/severity.js';

/** Where the scenarios are, unless INCIDENT_DRILLS_DIR says otherwise. */
export const DEFAULT_DRILLS_DIR = './drills';

/** A script line's text is posted as one Slack section after "*speaker:* ", which holds 3000 characters. */
const LINE_TEXT_MAX = 2800;
/** Enough for an hour of alerts and reports; a longer script is a mistake (a pasted log). */
const SCRIPT_MAX_LINES = 60;

/** Text that must be there: a missing field is said so, not as a type error. */
const required = (max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is missing' : 'must be text') })
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(max, { error: `must be at most ${max} characters` });

const lineSchema = z.strictObject({
  after: z.unknown().refine((value) => value !== undefined, { error: 'is missing', abort: true }).pipe(delay),
  from: required(80),
  text: required(LINE_TEXT_MAX),
});

const scenarioSchema = z.strictObject({
  title: required(TITLE_MAX_LENGTH),
  severity: z.enum(SEVERITY_LEVELS, { error: (issue) => (issue.input === undefined ? 'is missing' : `must be one of ${SEVERITY_LEVELS.join(', ')}`) }),
  impact: z.string().trim().max(IMPACT_MAX_LENGTH, { error: `must be at most ${IMPACT_MAX_LENGTH} characters` }).default(''),
  script: z
    .array(lineSchema, { error: 'must be a list of messages, each with after, from and text' })
    .min(1, { error: 'must have at least one message' })
    .max(SCRIPT_MAX_LINES, { error: `must have at most ${SCRIPT_MAX_LINES} messages` }),
});

/**
 * Reads every `*.yml` scenario in `dir`, checked at start like the configuration file: the
 * problems come back one line each, naming the file and the field, so a broken scenario stops
 * start-up instead of a drill. A missing default folder means no scenarios; a folder someone
 * named (`explicit`) must exist.
 */
export function loadDrillScenarios(dir: string, explicit: boolean): { scenarios: DrillScenario[] } | { problems: string[] } {
  if (!existsSync(dir)) return explicit ? { problems: [`${dir} (INCIDENT_DRILLS_DIR) does not exist: make the folder or unset INCIDENT_DRILLS_DIR`] } : { scenarios: [] };
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.yml') || name.endsWith('.yaml'))
    .sort();
  const scenarios: DrillScenario[] = [];
  const problems: string[] = [];
  for (const fileName of files) {
    const file = join(dir, fileName);
    const name = basename(fileName).replace(/\.ya?ml$/, '');
    if (!SCENARIO_NAME.test(name) || name === END_DRILL_WORD) {
      problems.push(`${file}: the file name is typed after /incident drill, so it must be lowercase letters, digits and hyphens (and not "${END_DRILL_WORD}"), e.g. database-down.yml`);
      continue;
    }
    let raw: unknown;
    try {
      raw = parseYaml(readFileSync(file, 'utf8'));
    } catch (error) {
      problems.push(`${file} cannot be read: ${(error as Error).message.split('\n')[0]}`);
      continue;
    }
    const parsed = scenarioSchema.safeParse(raw ?? {});
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const where = issue.path.length > 0 ? issue.path.join('.') : 'the file';
        const message = issue.code === 'unrecognized_keys' ? `has unknown setting${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}` : issue.message;
        problems.push(`${file}: ${where} ${message}`);
      }
      continue;
    }
    const { title, severity, impact, script } = parsed.data;
    // Played in time order whatever order the file lists them in.
    const lines = script.map((line) => ({ afterMs: line.after, speaker: line.from, text: line.text })).sort((a, b) => a.afterMs - b.afterMs);
    scenarios.push({ name, title, severity, impact, script: lines });
  }
  return problems.length > 0 ? { problems } : { scenarios };
}
