/** What `npm run report` was asked for, read from its arguments alone: every mistake is an ArgumentError (exit code 2). */
import { basename, dirname, extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { reportWindowStart } from '../domain/report.js';
import { badFormat, badSince, EMPTY_OUT, MISSING_SINCE, REPORT_USAGE } from '../messages/report.js';
import { ArgumentError } from './cliSupport.js';

export type ReportFormat = 'md' | 'csv';

export type ReportArguments = { help: true } | { help: false; window: string; since: Date; format: ReportFormat; out: string | null };

/** `args` without node and the script; `now` is when the window ends. */
export function reportArguments(args: readonly string[], now: Date): ReportArguments {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: { since: { type: 'string' }, format: { type: 'string' }, out: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } }, strict: true });
  } catch (error) {
    // parseArgs says what was wrong in one sentence ("Unknown option '--sinse'"); the usage line says what is right.
    throw new ArgumentError(`${error instanceof Error ? error.message : String(error)}. ${REPORT_USAGE}`);
  }
  const { values } = parsed;
  if (values.help) return { help: true };
  if (values.since === undefined) throw new ArgumentError(MISSING_SINCE);
  const since = reportWindowStart(values.since, now);
  if (!since) throw new ArgumentError(badSince(values.since));
  const format = values.format ?? 'md';
  if (format !== 'md' && format !== 'csv') throw new ArgumentError(badFormat(format));
  if (values.out !== undefined && values.out.trim() === '') throw new ArgumentError(EMPTY_OUT);
  return { help: false, window: values.since.trim().toLowerCase(), since, format, out: values.out ?? null };
}

/** The chart beside the Markdown file: report.md → report-weekly.svg. */
export function chartPathFor(out: string): string {
  return join(dirname(out), `${basename(out, extname(out))}-weekly.svg`);
}
