import type { ArchiveSettings } from '../domain/archive.js';
import type { AlertSettings } from '../domain/alert.js';
import type { Happened } from '../domain/events.js';
import type { OutboxSend } from '../domain/outbox.js';
import type { SeverityLevel } from '../domain/severity.js';
import type { SlackPinHandling } from '../domain/timeline.js';
import { doneText, refusalText } from '../messages/replies.js';
import type { Outlet, OutletDependencies, OutletSettings } from '../outlets/outlet.js';
import { SlackCallError } from '../slack/slackErrors.js';

/** What the flows are given by the composition root: the store, the chat, the outlets, the settings. */
export interface FlowDependencies extends OutletDependencies {
  settings: FlowSettings;
  /** Where every change goes once recorded, in order (`outlets/index.ts`). */
  outlets: readonly Outlet[];
  /** The outbox rows a change causes (webhooks, a status page), written with it: `outlets/outbox.ts`. */
  planSends: (happened: Happened) => OutboxSend[];
}

export interface FlowSettings extends OutletSettings {
  /** Incident channels are named `<prefix>-YYYY-MM-DD-<slug>`. */
  channelPrefix: string;
  /** May hand over command and resolve, besides the current commander. */
  responders: readonly string[];
  /** Severities whose update the bot posts itself when nobody does: what a snooze holds back too. */
  autoPost: readonly SeverityLevel[];
  /** When resolved incidents' channels are archived. */
  archive: ArchiveSettings;
  /** Alerts from monitoring: the triage channel, the severity mapping and the rules; unset when alerts are off. */
  alerts?: AlertSettings | undefined;
  /** Whether Slack's own pin counts as a :pushpin: on the message. */
  slackPins: SlackPinHandling;
}

/** What the person who asked is told, only to them: done (maybe with warnings) or refused, and why. */
export type FlowResult = { ok: true; message: string; warnings: string[] } | { ok: false; message: string };

export const refused = (message: string): FlowResult => ({ ok: false, message });
export const done = (message: string, warnings: string[] = []): FlowResult => ({ ok: true, message, warnings });

/** The reply text for a result: the outcome first, then each step that did not work. */
export function resultText(result: FlowResult): string {
  return result.ok ? doneText(result.message, result.warnings) : refusalText(result.message);
}

/** Runs the chat call a change cannot do without; a refusal becomes the user's answer. */
export async function essential<T>(action: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; result: FlowResult }> {
  try {
    return { ok: true, value: await action() };
  } catch (error) {
    if (error instanceof SlackCallError) return { ok: false, result: refused(error.userMessage) };
    throw error;
  }
}

/** What a scheduler pass needs besides the flows' dependencies. */
export interface SchedulerDependencies extends FlowDependencies {
  /** Who holds a lease: this process (`leaseOwnerId()`). */
  owner: string;
  /** How long to wait after Slack refused a scheduled message (`retryDelayMs`). */
  retryMs: number;
}
