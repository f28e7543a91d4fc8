import { announcementOutlet } from './announcement.js';
import { channelOutlet } from './channel.js';
import type { Outlet } from './outlet.js';
import { scheduleOutlet } from './schedule.js';
import { statusPageOutlet } from './statusPage.js';
import { summaryOutlet } from './summary.js';

/**
 * Every destination a change reaches, in order. The schedule comes first, with no Slack call
 * before it, so that no scheduler pass sees a reopened incident on its old reminder clock; then
 * the order a person would tell them in: the channel, its pinned summary and topic, the
 * announcement channel. The status page comes before the summary, which shows its last public
 * message. A new destination (a webhook) is one file in this folder and one line here.
 */
export const OUTLETS: readonly Outlet[] = [scheduleOutlet, channelOutlet, statusPageOutlet, summaryOutlet, announcementOutlet];
