/**
 * Reading what people type after `/incident`. Slack escapes mentions in slash commands when the
 * command has should_escape: `<@U123|alice>`; the unescaped `<@U123>` form is accepted too.
 */
// One module per function: date-fns's index loads all of its few hundred modules (0.3 s at start-up),
// and its `format` some forty (its locale and every token's formatter), for what calendarDay does.
import { addDays } from 'date-fns/addDays';
import { isValid } from 'date-fns/isValid';
import { nextDay } from 'date-fns/nextDay';
import { parseISO } from 'date-fns/parseISO';
import type { Day } from 'date-fns';
import { INCIDENT_ROLES, type IncidentRole } from './incident.js';

const MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;

export function parseUserMention(token: string): string | undefined {
  return MENTION.exec(token.trim())?.[1];
}

export function splitSubcommand(text: string): { subcommand: string; argument: string } {
  const trimmed = text.trim();
  const subcommand = trimmed.split(/\s+/, 1)[0] ?? '';
  return { subcommand: subcommand.toLowerCase(), argument: trimmed.slice(subcommand.length).trim() };
}

const ROLE_ALIASES: Record<string, IncidentRole> = {
  commander: 'commander',
  ic: 'commander',
  lead: 'commander',
  comms: 'comms',
  communications: 'comms',
  scribe: 'scribe',
};

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/** `<role> <@user>` */
export function parseRoleAssignment(argument: string): Parsed<{ role: IncidentRole; userId: string }> {
  const [roleWord = '', mention = '', ...rest] = argument.split(/\s+/).filter(Boolean);
  const role = ROLE_ALIASES[roleWord.toLowerCase()];
  const usage = `Usage: \`/incident role <${INCIDENT_ROLES.join('|')}> @person\`.`;
  if (!roleWord) return { ok: false, reason: usage };
  if (!role) return { ok: false, reason: `There is no role "${roleWord}". Roles: ${INCIDENT_ROLES.join(', ')}. ${usage}` };
  const who = parseMentionArgument([mention, ...rest].join(' '), `/incident role ${role} @person`);
  return who.ok ? { ok: true, value: { role, userId: who.userId } } : who;
}

/** Exactly one user mention. */
export function parseMentionArgument(argument: string, usage: string): { ok: true; userId: string } | { ok: false; reason: string } {
  const tokens = argument.split(/\s+/).filter(Boolean);
  if (tokens.length === 0) return { ok: false, reason: `Say who: \`${usage}\`.` };
  const userId = tokens.length === 1 ? parseUserMention(tokens[0]!) : undefined;
  if (!userId) return { ok: false, reason: `"${argument}" is not a person. Mention one person with @: \`${usage}\`.` };
  return { ok: true, userId };
}

const WEEKDAYS: Record<string, Day> = { sunday: 0, monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6 };

/** The local calendar day of `date` as YYYY-MM-DD, as date-fns's parseISO reads it back. */
const calendarDay = (date: Date) =>
  `${String(date.getFullYear()).padStart(4, '0')}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

/** `YYYY-MM-DD`, `today`, `tomorrow`, a weekday (the next one), or `+3d`. `today` is a YYYY-MM-DD. */
export function parseDueDate(token: string, today: string): string | undefined {
  const word = token.toLowerCase();
  const base = parseISO(today);
  if (/^\d{4}-\d{2}-\d{2}$/.test(word)) {
    const date = parseISO(word);
    return isValid(date) && calendarDay(date) === word ? word : undefined;
  }
  if (word === 'today') return today;
  if (word === 'tomorrow') return calendarDay(addDays(base, 1));
  const offset = /^\+(\d{1,3})d$/.exec(word);
  if (offset) return calendarDay(addDays(base, Number(offset[1])));
  const weekday = WEEKDAYS[word];
  return weekday === undefined ? undefined : calendarDay(nextDay(base, weekday));
}

export const ACTION_TEXT_MAX = 500;

/** `<text> [@owner] [due date]`, owner and due date read from the end. */
export function parseActionItem(argument: string, today: string): Parsed<{ text: string; ownerId: string | null; dueOn: string | null }> {
  const tokens = argument.split(/\s+/).filter(Boolean);
  let dueOn: string | null = null;
  let ownerId: string | null = null;
  const last = tokens.at(-1);
  if (last && parseDueDate(last, today)) {
    dueOn = parseDueDate(last, today)!;
    tokens.pop();
    if (tokens.at(-1)?.toLowerCase() === 'due') tokens.pop();
  } else if (last && /^\d{4}-\d{1,2}-\d{1,2}$/.test(last)) {
    return { ok: false, reason: `"${last}" is not a date. Use YYYY-MM-DD, today, tomorrow, a weekday or +3d.` };
  }
  const maybeOwner = tokens.at(-1);
  if (maybeOwner && parseUserMention(maybeOwner)) {
    ownerId = parseUserMention(maybeOwner)!;
    tokens.pop();
  }
  const text = tokens.join(' ');
  if (!text) return { ok: false, reason: 'Say what needs doing: `/incident action Add an alert on pool exhaustion @owner 2026-12-01`.' };
  if (text.length > ACTION_TEXT_MAX) return { ok: false, reason: `Keep an action item under ${ACTION_TEXT_MAX} characters (this one has ${text.length}).` };
  return { ok: true, value: { text, ownerId, dueOn } };
}
