import type { Happened } from '../domain/events.js';
import type { OutboxSend } from '../domain/outbox.js';
import type { StatusPageComponents } from '../domain/statusPage.js';
import type { WebhookEndpoint } from '../domain/webhooks.js';
import { announcementOutlet } from './announcement.js';
import { appHomeOutlet } from './appHome.js';
import { channelOutlet } from './channel.js';
import type { Outlet, OutletDependencies } from './outlet.js';
import { scheduleOutlet } from './schedule.js';
import { statusPagePlanner, statusPageSender } from './statusPage.js';
import { planSends, type OutboxSender } from './outbox.js';
import { postmortemDraftOutlet } from './postmortemDraft.js';
import type { StatusPageApiSettings } from './statusPageApi.js';
import { summaryOutlet } from './summary.js';
import { webhookPlanner, webhookSender } from './webhooks.js';

/**
 * Every destination a change reaches, in order. The schedule comes first, with no Slack call
 * before it, so that no scheduler pass sees a reopened incident on its old reminder clock; then
 * the order a person would tell them in: the channel, its pinned summary and topic, the
 * announcement channel; the post-mortem draft, if one is open; last the Home tab, which only marks
 * itself stale. A new destination is one file in this folder and one line here; one
 * outside Slack (a webhook, the status page) goes through the outbox below instead.
 */
export const OUTLETS: readonly Outlet[] = [scheduleOutlet, channelOutlet, summaryOutlet, announcementOutlet, postmortemDraftOutlet, appHomeOutlet];

/**
 * The outbox's destinations, from the settings: how each change is planned into sends, and who
 * delivers them. A new destination (a status page) is one planner and one sender here.
 */
export function outboxDestinations(
  settings: { webhooks: readonly WebhookEndpoint[]; statusPage: (StatusPageApiSettings & { components: StatusPageComponents }) | undefined },
  now: () => Date,
  /** What the status page's sender writes with once published (the timeline, the pinned summary): the bot's, once built. */
  outletDeps?: () => OutletDependencies,
): { planSends: (happened: Happened) => OutboxSend[]; senders: OutboxSender[] } {
  const statusPage = settings.statusPage;
  return {
    planSends: planSends([webhookPlanner(settings.webhooks), statusPagePlanner(statusPage?.components)]),
    senders: [
      webhookSender(settings.webhooks, now),
      ...(statusPage && outletDeps ? [statusPageSender(statusPage, outletDeps)] : []),
    ],
  };
}
