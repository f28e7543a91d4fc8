import type { ChatMessage } from '../../ports.js';
import { archiveWarning, KEEP_OPEN_BUTTON } from '../../messages/archive.js';
import { mrkdwnSections, plainText } from './blocks.js';

export const ARCHIVE_BUTTONS = { keepOpen: 'archive_keep_open' } as const;
/** Carried by the warning, so a warning cut short by a crash is found in the channel, not posted twice. */
export const ARCHIVE_WARNING_EVENT_TYPE = 'incident_archive_warning';

/** The warning a day before the channel is archived, with its Keep open button (value: the incident id). */
export function archiveWarningMessage(incidentId: number, when: string, period: string, key: string): ChatMessage {
  const text = archiveWarning(when, period);
  return {
    text,
    blocks: [
      ...mrkdwnSections(text),
      { type: 'actions', elements: [{ type: 'button', action_id: ARCHIVE_BUTTONS.keepOpen, text: plainText(KEEP_OPEN_BUTTON), value: String(incidentId) }] },
    ],
    metadata: { event_type: ARCHIVE_WARNING_EVENT_TYPE, event_payload: { key, incident_id: incidentId } },
  };
}
