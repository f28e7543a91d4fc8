import type { KnownBlock } from '@slack/types';
import type { StoredAlert } from '../../domain/alert.js';
import { formatInZone } from '../../domain/time.js';
import {
  declaredByPersonLine,
  declaredByRuleLine,
  DECLARE_BUTTON,
  dismissedLine,
  DISMISS_BUTTON,
  firingHeading,
  firingNotification,
  resolvedHeading,
  resolvedLine,
  resolvedNotification,
  ruleDeclareFailedLine,
  seenLine,
} from '../../messages/alerts.js';
import type { ChatMessage } from '../../ports.js';
import { escapeMrkdwn } from '../../render/mrkdwn.js';
import { clip, contextLine, mrkdwnSections, plainText } from './blocks.js';

export const ALERT_BUTTONS = { declare: 'alert_declare', dismiss: 'alert_dismiss' } as const;

/** More labels than this are left out of the message (they stay stored): a wall of labels hides the alert. */
const LABELS_SHOWN = 20;
const LABEL_VALUE_SHOWN = 200;
const DESCRIPTION_SHOWN = 1500;

/** What the triage message knows besides the alert: the incident's channel, a rule's failure. */
export interface TriageContext {
  timeZone: string;
  incidentChannelId: string | null;
  /** The severity a rule asked for, when the rule's declaration failed, and why. */
  ruleFailure?: { severity: string; reason: string };
  /** The severity a rule declared. */
  ruleSeverity?: string;
}

/** The alert in the triage channel: what fired, its labels and links, who did what with it, and the buttons while it is undecided. */
export function triageMessage(alert: StoredAlert, context: TriageContext): ChatMessage {
  const firing = alert.status === 'firing';
  const name = escapeMrkdwn(clip(alert.name, 150));
  const lines = [firing ? firingHeading(name) : resolvedHeading(name)];
  if (alert.summary) lines.push(escapeMrkdwn(clip(alert.summary, 300)));
  if (alert.description && alert.description !== alert.summary) lines.push(escapeMrkdwn(clip(alert.description, DESCRIPTION_SHOWN)));
  const labels = Object.entries(alert.labels).filter(([label]) => label !== 'alertname');
  if (labels.length > 0) {
    const shown = labels.slice(0, LABELS_SHOWN).map(([label, value]) => `\`${escapeMrkdwn(clip(label, 100))}\`: ${escapeMrkdwn(clip(value, LABEL_VALUE_SHOWN))}`);
    lines.push(shown.join(' · ') + (labels.length > LABELS_SHOWN ? ` · …and ${labels.length - LABELS_SHOWN} more` : ''));
  }
  if (alert.links.length > 0) lines.push(alertLinksMrkdwn(alert));

  const when = (at: Date) => formatInZone(at, context.timeZone);
  const outcome: string[] = [];
  if (alert.incidentId !== null) {
    outcome.push(alert.declaredBy ? declaredByPersonLine(alert.declaredBy, context.incidentChannelId) : declaredByRuleLine(context.ruleSeverity ?? 'an incident', context.incidentChannelId));
  } else if (alert.dismissedBy) {
    outcome.push(dismissedLine(alert.dismissedBy));
  } else if (context.ruleFailure) {
    outcome.push(ruleDeclareFailedLine(context.ruleFailure.severity, escapeMrkdwn(context.ruleFailure.reason)));
  }
  if (alert.resolvedAt) outcome.push(resolvedLine(when(alert.resolvedAt)));

  const undecided = alert.incidentId === null && !alert.dismissedBy && firing;
  const blocks: KnownBlock[] = [
    ...mrkdwnSections(lines.join('\n')),
    ...(outcome.length > 0 ? mrkdwnSections(outcome.join('\n')) : []),
    contextLine(seenLine(alert.source, when(alert.firstSeenAt), alert.fireCount, when(alert.lastSeenAt))),
    ...(undecided
      ? [
          {
            type: 'actions' as const,
            elements: [
              { type: 'button' as const, action_id: ALERT_BUTTONS.declare, text: plainText(DECLARE_BUTTON), style: 'danger' as const, value: String(alert.id) },
              { type: 'button' as const, action_id: ALERT_BUTTONS.dismiss, text: plainText(DISMISS_BUTTON), value: String(alert.id) },
            ],
          },
        ]
      : []),
  ];
  return { text: clip(firing ? firingNotification(alert.name) : resolvedNotification(alert.name), 300), blocks };
}

/** The alert's links as mrkdwn: `<url|Runbook>`, the URL kept whole (it was parsed as http(s) when received). */
export function alertLinksMrkdwn(alert: Pick<StoredAlert, 'links'>): string {
  return alert.links.map((link) => `<${link.url.replace(/[<>|]/g, encodeURIComponent)}|${escapeMrkdwn(link.label)}>`).join(' · ');
}

/** The alert's links as plain text, for a form field and the timeline: `Runbook: https://…`. */
export const alertLinksText = (alert: Pick<StoredAlert, 'links'>) => alert.links.map((link) => `${link.label}: ${link.url}`).join(', ');
