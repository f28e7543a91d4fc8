import type { Happened } from '../domain/events.js';
import type { OutboxSend } from '../domain/outbox.js';
import type { WebhookEndpoint } from '../domain/webhooks.js';
import { announcementOutlet } from './announcement.js';
import { channelOutlet } from './channel.js';
import type { Outlet } from './outlet.js';
import { scheduleOutlet } from './schedule.js';
import { planSends, type OutboxSender } from './outbox.js';
import { summaryOutlet } from './summary.js';
import { webhookPlanner, webhookSender } from './webhooks.js';

/**
 * Every destination a change reaches, in order. The schedule comes first, with no Slack call
 * before it, so that no scheduler pass sees a reopened incident on its old reminder clock; then
 * the order a person would tell them in: the channel, its pinned summary and topic, the
 * announcement channel. A new destination (a status page, a webhook) is one file in this folder
 * and one line here.
 */
export const OUTLETS: readonly Outlet[] = [scheduleOutlet, channelOutlet, summaryOutlet, announcementOutlet];

/**
 * The outbox's destinations, from the settings: how each change is planned into sends, and who
 * delivers them. A new destination (a status page) is one planner and one sender here.
 */
export function outboxDestinations(settings: { webhooks: readonly WebhookEndpoint[] }, now: () => Date): { planSends: (happened: Happened) => OutboxSend[]; senders: OutboxSender[] } {
  return {
    planSends: planSends([webhookPlanner(settings.webhooks)]),
    senders: [webhookSender(settings.webhooks, now)],
  };
}
