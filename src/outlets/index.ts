import { announcementOutlet } from './announcement.js';
import { channelOutlet } from './channel.js';
import type { Outlet } from './outlet.js';
import { scheduleOutlet } from './schedule.js';
import { summaryOutlet } from './summary.js';

/**
 * Every destination a change reaches, in the order a person would tell them: the channel, its
 * pinned summary and topic, the announcement channel, the schedule. A new destination (a status
 * page, a webhook) is one file in this folder and one line here.
 */
export const OUTLETS: readonly Outlet[] = [channelOutlet, summaryOutlet, announcementOutlet, scheduleOutlet];
