import type { ChatMessage, DueDrillStep } from '../../ports.js';
import { escapeMrkdwn } from '../../render/mrkdwn.js';
import { mrkdwnSections, truncate } from './blocks.js';

export const DRILL_STEP_EVENT_TYPE = 'drill_step';

/** A notification's text is a preview. */
const TEXT_FALLBACK_LIMIT = 300;

/**
 * A scripted message of a drill, posted by the bot with its speaker's name in front: a bot cannot
 * post as someone else without extra scopes. The text is the scenario author's own mrkdwn, shown as
 * written; the metadata key lets a send interrupted by a crash be found instead of repeated.
 */
export function drillStepMessage(step: DueDrillStep, key: string): ChatMessage {
  const text = `*${escapeMrkdwn(step.speaker)}:* ${step.text}`;
  return {
    text: truncate(text, TEXT_FALLBACK_LIMIT),
    blocks: mrkdwnSections(text),
    metadata: { event_type: DRILL_STEP_EVENT_TYPE, event_payload: { key, incident_id: step.incidentId, step: step.step } },
  };
}
