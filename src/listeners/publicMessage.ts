/**
 * The status page's fields of the declare, update and resolve forms, from the listeners' side:
 * what each form offers when opened, and what a submitted one asks to publish.
 */
import { INCIDENT_STATUSES, type Incident, type IncidentStatus } from '../domain/incident.js';
import type { SeverityLevel } from '../domain/severity.js';
import { DECLARE_PUBLISH_SEVERITIES, publishTickedByDefault, type Publication } from '../domain/statusPage.js';
import { PUBLISH_HINT, PUBLISH_HINT_DECLARE, PUBLISH_HINT_PRIVATE, publishOnlyFor } from '../messages/statusPage.js';
import { slackMarkupAsText } from '../render/mrkdwn.js';
import { declarationFacts, publicStatusMessage, type PublicFacts } from '../render/statusPageMessage.js';
import { PUBLIC_MESSAGE_INPUTS, publicMessageErrors, readPublicMessageForm, type PublicMessageField } from '../slack/views/publicMessageFields.js';
import type { FormValues } from '../slack/views/blocks.js';
import type { ListenerDependencies } from './types.js';

/** The fields of an update or resolve form about `incident`, prefilled for `status`; undefined without a status page. */
export function publicMessageField(deps: ListenerDependencies, incident: Incident, status: IncidentStatus): PublicMessageField | undefined {
  if (!deps.settings.statusPage) return undefined;
  return {
    prefill: publicStatusMessage(deps, incident, status),
    ticked: publishTickedByDefault(incident),
    hint: incident.isPrivate ? PUBLISH_HINT_PRIVATE : PUBLISH_HINT,
  };
}

/**
 * The declare form's fields: never ticked, since whether the incident will be private is chosen in
 * the same form; with the components to mark as affected.
 */
export function declarePublicMessageField(deps: ListenerDependencies, title: string, severity: SeverityLevel): PublicMessageField | undefined {
  if (!deps.settings.statusPage) return undefined;
  return {
    prefill: publicStatusMessage(deps, declarationFacts({ title: slackMarkupAsText(title), impact: '', severity }, deps.clock.now()), 'investigating'),
    ticked: false,
    hint: PUBLISH_HINT_DECLARE,
    componentNames: Object.keys(deps.settings.statusPage.byName),
  };
}

export type PublicationRequest = { errors: Record<string, string> } | { publication: Publication | undefined };

/**
 * What a submitted form asks to publish: nothing unless its box is ticked (and a status page is
 * configured). A message left as the form prefilled it is written again from `facts` for `status`,
 * so that choosing another status, or typing the title, does not publish the prefill's stale words.
 */
export function requestedPublication(
  deps: ListenerDependencies,
  values: FormValues,
  facts: PublicFacts,
  status: IncidentStatus,
  prefills: readonly string[],
): PublicationRequest {
  if (!deps.settings.statusPage) return { publication: undefined };
  const form = readPublicMessageForm(values);
  const errors = publicMessageErrors(form);
  if (errors) return { errors };
  if (!form.publish) return { publication: undefined };
  const message = prefills.includes(form.message) ? publicStatusMessage(deps, facts, status) : form.message;
  return { publication: { message, components: form.components } };
}

/** What the update and resolve forms were prefilled with, for any status: the incident as it now stands. */
export const incidentPrefills = (deps: ListenerDependencies, incident: Incident) => INCIDENT_STATUSES.map((status) => publicStatusMessage(deps, incident, status));

/** The declare form asks to publish only for the severities the status page is for. */
export function declarePublicationRefusal(severity: SeverityLevel, publication: Publication | undefined): Record<string, string> | undefined {
  if (!publication || DECLARE_PUBLISH_SEVERITIES.includes(severity)) return undefined;
  return { [PUBLIC_MESSAGE_INPUTS.publish]: publishOnlyFor(DECLARE_PUBLISH_SEVERITIES) };
}
