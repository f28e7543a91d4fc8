/** What the bot says about the public status page: to the person, on the timeline, in the forms. */
import { STATUS_LABELS, type IncidentStatus } from '../domain/incident.js';

/** How the outbox names a status page send in the channel when it keeps failing. */
export const publicationDescription = (status: IncidentStatus | undefined) => (status ? `the ${STATUS_LABELS[status]} message to the status page` : 'a message to the status page');
export const STATUS_PAGE_PAYLOAD_UNREADABLE = 'the stored status page message cannot be read (written by another version of the bot)';

/** Why a call to Statuspage did not work, for the person who asked to publish. */
export const STATUS_PAGE_FAILURES = {
  unreachable: 'Statuspage could not be reached. The incident is unharmed; publish again with the next update, or on the status page itself.',
  timeout: 'Statuspage did not answer in time. Check the status page before publishing again: it may have taken the message.',
  rateLimited: 'Statuspage is limiting our requests. Publish again in a minute, or on the status page itself.',
  serverError: (status: number) => `Statuspage failed (HTTP ${status}). The incident is unharmed; publish again with the next update, or on the status page itself.`,
  unauthorized: 'Statuspage refused the API key (STATUSPAGE_API_KEY): ask whoever runs the bot to check it.',
  notFound: 'Statuspage does not know the page or the incident (STATUSPAGE_PAGE_ID, or component ids in incident.config.yml): ask whoever runs the bot to check them.',
  rejected: (status: number, detail: string) => `Statuspage refused the message (HTTP ${status}${detail ? `: ${detail}` : ''}).`,
  badAnswer: 'Statuspage answered with something the bot does not understand; check the status page before publishing again.',
} as const;

export const publishedEntry = (status: IncidentStatus, message: string) => `Published to the status page (${STATUS_LABELS[status]}): ${message}`;

/** The forms' fields. */
export const PUBLIC_MESSAGE_LABEL = 'Public status page message';
export const PUBLISH_OPTION = 'Publish to the status page';
export const PUBLISH_HINT_PRIVATE = 'This is a private incident: it is published only if you tick the box.';
export const PUBLISH_HINT_DECLARE = 'For SEV1 and SEV2 only. Customers read this; it is published as you leave it.';
export const PUBLISH_HINT = 'Customers read this; it is published as you leave it.';
export const AFFECTED_COMPONENTS_LABEL = 'Affected components (status page)';
export const SAY_PUBLIC_MESSAGE = 'Write the message customers will read, or untick "Publish to the status page".';
export const publicMessageTooLong = (max: number) => `Keep the public message to ${max} characters.`;
export const publishOnlyFor = (severities: readonly string[]) => `The status page is for ${severities.join(' and ')} declarations; untick "Publish to the status page" or choose ${severities.join(' or ')}.`;
