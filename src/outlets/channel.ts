import { ROLE_LABELS } from '../domain/incident.js';
import { formatInZone } from '../domain/time.js';
import {
  acknowledgedInChannel,
  actionItemAddedInChannel,
  actionItemDoneInChannel,
  impactStartInChannel,
  reopenedInChannel,
  reviewHeldInChannel,
  roleAssignedInChannel,
  roleHandedOverInChannel,
  severityChangedInChannel,
} from '../messages/incident.js';
import { STEPS } from '../messages/steps.js';
import { resolutionMessage } from '../render/incidentMessages.js';
import { describeActionItem } from '../slack/views/incidentReports.js';
import type { Outlet } from './outlet.js';

/**
 * The incident channel hears every change, in a line (or the runbooks' resolution message). A
 * status update, a note, a pin, a page and the declaration are not repeated: their message is the
 * change itself, posted by its flow before the change reaches the outlets.
 */
export const channelOutlet: Outlet = {
  name: 'channel',
  step: STEPS.keepChannelInformed,
  async deliver({ event, incident, actorId, at }, deps, steps) {
    const by = actorId ?? deps.identity.botUserId;
    const say = (step: string, text: string) => steps.attempt(step, () => deps.chat.postMessage(incident.channelId, { text }));
    switch (event.kind) {
      case 'acknowledged':
        return say(STEPS.sayInChannel, acknowledgedInChannel(by, event.afterMs));
      case 'severity_changed':
        return say(STEPS.sayInChannel, severityChangedInChannel(event.raised, event.from, event.to, by));
      case 'role_assigned': {
        const label = ROLE_LABELS[event.role];
        const when = formatInZone(at, deps.settings.timeZone);
        const handoff = event.previous ? roleHandedOverInChannel(label, event.previous, event.userId, by, when) : roleAssignedInChannel(label, event.userId, by, when);
        return say(STEPS.postHandoff, handoff);
      }
      case 'resolved':
        return steps.attempt(STEPS.postResolution, () => deps.chat.postMessage(incident.channelId, resolutionMessage(deps, incident, event, by)));
      case 'reopened':
        return say(STEPS.sayInChannel, reopenedInChannel(by, event.reason));
      case 'review_held':
        return say(STEPS.sayInChannel, reviewHeldInChannel(by));
      case 'impact_start_set': {
        const zone = deps.settings.timeZone;
        return say(STEPS.sayInChannel, impactStartInChannel(by, formatInZone(event.at, zone), event.previous && formatInZone(event.previous, zone)));
      }
      case 'action_added':
        return say(STEPS.sayInChannel, actionItemAddedInChannel(event.item.id, by, describeActionItem(event.item)));
      case 'action_done':
        return say(STEPS.sayInChannel, actionItemDoneInChannel(event.item.id, by, describeActionItem(event.item)));
    }
  },
};
