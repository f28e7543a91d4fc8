import type { Declaration } from '../domain/declaration.js';
import { DRILL_CHANNEL_PREFIX, incidentChannelName } from '../domain/channelName.js';
import { isDrill } from '../domain/drill.js';
import { typeByKey } from '../domain/incidentTypes.js';
import type { Publication } from '../domain/statusPage.js';
import type { Incident, LiveIncident, ParticipantRole } from '../domain/incident.js';
import { isoDateInZone } from '../domain/time.js';
import { ABORT_REASONS, INTERNAL_ERROR_TRY_AGAIN, internalErrorWhileDeclaring } from '../messages/declare.js';
import { STEPS, stepCrashed, stepFailed } from '../messages/steps.js';
import { declaredEntry } from '../messages/timeline.js';
import { typeUserGroupMissing } from '../messages/incidentTypes.js';
import { Warnings } from '../outlets/warnings.js';
import { DECLARE_WORK, type DrillPlan } from '../ports.js';
import { summaryMessage, topicText } from '../render/incidentMessages.js';
import { SlackCallError } from '../slack/slackErrors.js';
import { DatabaseFaultError } from '../store/faults.js';
import type { FlowDependencies } from './incidentFlow.js';
import { runChange, type ChangeOutcome } from './pipeline.js';

export type DeclareOutcome =
  | { kind: 'declared'; incident: LiveIncident; channelId: string; warnings: string[] }
  | { kind: 'failed'; incident: Incident; message: string };

/** How many `-2`, `-3`… suffixes to try before giving up on a taken channel name. */
const MAX_NAME_ATTEMPTS = 25;

/**
 * Step one of a declaration, done before Slack is answered: remember it, and put it in the work
 * journal so that a crash mid-way is undone at the next start. `created: false` means this exact
 * declaration (same modal) was already received and is being or has been handled. Throws, with
 * nothing done in Slack, when the database cannot be written.
 */
export async function recordDeclaration(
  deps: Pick<FlowDependencies, 'incidents' | 'clock' | 'journal'>,
  request: { declarationKey: string; declaredBy: string; declaration: Declaration; drill?: DrillPlan },
): Promise<{ incident: Incident; created: boolean; journalId?: number }> {
  const now = deps.clock.now();
  const recorded = await deps.incidents.recordDeclaration(request.declarationKey, request.declaration, request.declaredBy, now, request.drill);
  if (!recorded.created) return recorded;
  try {
    return { ...recorded, journalId: await deps.journal.start({ what: DECLARE_WORK, userId: request.declaredBy, incidentId: recorded.incident.id }, now) };
  } catch (error) {
    try {
      await deps.incidents.markAborted(recorded.incident.id, ABORT_REASONS.journalUnwritable, now);
    } catch {
      // The database refuses every write: the row stays "declaring", which nothing lists as an incident.
    }
    throw error;
  }
}

/** What the declarer is told when the declaration could not even be recorded. */
export const unrecordedMessage = (error: unknown) =>
  error instanceof DatabaseFaultError ? error.userMessage : INTERNAL_ERROR_TRY_AGAIN;

/**
 * The runbook's "open an incident" steps, in the order a person would do them: create the channel,
 * bring in the declarer and commander, set the topic, post and pin the summary, announce. Without
 * a channel or a summary there is no incident: the declaration is aborted, the half-made channel
 * archived, and the reason returned for the user. Lesser steps that fail become warnings. Once the
 * channel exists and until the incident is live, anything else that fails (the database, the
 * summary's template) archives it the same way; once live, nothing does. `publication`: the public
 * message the declare form asked to publish on the status page.
 */
export async function completeDeclaration(deps: FlowDependencies, incident: Incident, publication?: Publication): Promise<DeclareOutcome> {
  const log = deps.log.child({ incidentId: incident.id });
  let channel: { id: string; name: string };
  try {
    channel = await createIncidentChannel(deps, incident);
  } catch (error) {
    return abortDeclaration(deps, incident, error, null);
  }
  log.info({ channelId: channel.id, channelName: channel.name }, 'incident channel created');
  const warnings = new Warnings(log);
  let live: LiveIncident | undefined;
  const declared: { kind: 'declared'; publication?: Publication } = publication ? { kind: 'declared', publication } : { kind: 'declared' };
  let outcome: ChangeOutcome<typeof declared>;
  try {
    outcome = await runChange(deps, {
      actorId: incident.declaredBy,
      at: incident.declaredAt,
      record: async () => {
        live = await goLive(deps, incident, channel, warnings, declared);
        return { ok: true, incident: live, event: declared };
      },
    });
  } catch (error) {
    if (!live) return abortDeclaration(deps, incident, error, channel.id);
    // Live already: what failed after is a warning, never a reason to archive the channel.
    log.error({ err: error }, 'failed after the incident went live');
    return { kind: 'declared', incident: live, channelId: channel.id, warnings: [...warnings.list, stepCrashed(STEPS.announceIncident)] };
  }
  // Recording a declaration is never refused: the row is ours, and going live throws when it cannot be written.
  if (!outcome.ok) throw new Error(outcome.result.message);
  return { kind: 'declared', incident: outcome.incident, channelId: channel.id, warnings: [...warnings.list, ...outcome.warnings] };
}

/**
 * Everything done in the new channel until the incident is live, ending with recording it as
 * live: the change the outlets then hear (the announcement channel is told). Throws when the
 * incident cannot go live.
 */
async function goLive(
  deps: FlowDependencies,
  incident: Incident,
  channel: { id: string; name: string },
  warnings: Warnings,
  declared: { kind: 'declared'; publication?: Publication },
): Promise<LiveIncident> {
  await deps.incidents.recordChannel(incident.id, channel, deps.clock.now());

  // How the incident will read once live: the summary is posted before the row is marked live.
  const live: LiveIncident = { ...incident, phase: 'live', channelId: channel.id, channelName: channel.name };
  const responders = [...new Set([incident.declaredBy, incident.commanderId])].filter((user) => user !== deps.identity.botUserId);
  try {
    await deps.chat.invite(channel.id, responders);
  } catch (error) {
    // Nobody can join a private channel they were not invited to: without the invite it is useless.
    if (!(error instanceof SlackCallError) || incident.isPrivate) throw error;
    warnings.add([stepFailed(STEPS.inviteResponders, error.userMessage)]);
  }
  await warnings.attempt(STEPS.inviteTypeResponders, async () => warnings.add(await inviteTypeResponders(deps, live, responders)));
  await warnings.attempt(STEPS.setTopic, () => deps.chat.setTopic(channel.id, topicText(deps, live)));
  const kickoffTs = await deps.chat.postMessage(channel.id, summaryMessage(deps, live));
  await warnings.attempt(STEPS.pinSummary, () => deps.chat.pin(channel.id, kickoffTs));

  const participants: { userId: string; role: ParticipantRole }[] = [
    { userId: incident.declaredBy, role: 'declarer' },
    { userId: incident.commanderId, role: 'commander' },
  ];
  await deps.incidents.markLive(incident.id, {
    kickoffTs,
    sends: deps.planSends({ event: declared, incident: { ...live, kickoffTs }, actorId: incident.declaredBy, at: incident.declaredAt }),
    participants,
    firstEntry: {
      at: incident.declaredAt,
      actorId: incident.declaredBy,
      kind: 'declared',
      text: declaredEntry(incident.severity, incident.title, incident.commanderId),
      // The impact as declared: later updates replace incident.impact, and the post-mortem shows each.
      data: { severity: incident.severity, commanderId: incident.commanderId, channelId: channel.id, isPrivate: incident.isPrivate, impact: incident.impact },
    },
  });
  deps.log.info({ incidentId: incident.id, channelId: channel.id, severity: incident.severity }, 'incident declared');
  return { ...live, kickoffTs };
}

/**
 * Invites the people the incident's type names, directly and through its user group; not the ones
 * invited already. Returns the warning for a user group that is missing or empty: the declarer
 * expected its people in the channel.
 */
async function inviteTypeResponders(deps: FlowDependencies, incident: LiveIncident, invited: readonly string[]): Promise<string[]> {
  const type = typeByKey(deps.settings.incidentTypes ?? [], incident.type);
  if (!type) return [];
  const group = type.userGroup === undefined ? [] : ((await deps.chat.userGroups()).find((candidate) => candidate.handle === type.userGroup)?.users ?? []);
  const missingGroup = type.userGroup !== undefined && group.length === 0;
  if (missingGroup) deps.log.warn({ incidentId: incident.id, userGroup: type.userGroup }, "the incident type's user group has no members or does not exist");
  const users = [...new Set([...type.responders, ...group])].filter((user) => !invited.includes(user) && user !== deps.identity.botUserId);
  if (users.length > 0) await deps.chat.invite(incident.channelId, users);
  return missingGroup ? [stepFailed(STEPS.inviteTypeResponders, typeUserGroupMissing(type.userGroup!, type.key))] : [];
}

/**
 * The declaration will not go live: recorded as aborted, the half-made channel archived, and what
 * to tell the user returned. Slack's refusals and a database that cannot be written say why; any
 * other error is a bug, logged with its stack.
 */
async function abortDeclaration(deps: FlowDependencies, incident: Incident, error: unknown, channelId: string | null): Promise<DeclareOutcome> {
  const log = deps.log.child({ incidentId: incident.id });
  let reason: string;
  let message: string;
  if (error instanceof SlackCallError) {
    log.warn({ method: error.method, code: error.code }, 'declaration aborted');
    reason = ABORT_REASONS.slackRefused(error.method, error.code);
    message = error.userMessage;
  } else if (error instanceof DatabaseFaultError) {
    log.error({ err: error }, 'declaration aborted: the database cannot be written');
    reason = error.fault;
    message = error.userMessage;
  } else {
    log.error({ err: error }, 'declaration aborted by an internal error');
    reason = ABORT_REASONS.internalError;
    message = internalErrorWhileDeclaring(Boolean(channelId));
  }
  try {
    await deps.incidents.markAborted(incident.id, reason, deps.clock.now());
  } catch (markError) {
    // The channel is archived all the same; the row stays "declaring" and is never shown as an incident.
    log.error({ err: markError }, 'could not record the declaration as aborted');
  }
  if (channelId) await deps.chat.archive(channelId).catch((archiveError: unknown) => log.warn({ err: archiveError }, 'could not archive the half-made channel'));
  return { kind: 'failed', incident: { ...incident, phase: 'aborted' }, message };
}

/** Tries the channel name, then `-2`, `-3`… while Slack says the name is taken. A drill's channel is `drill-…`. */
async function createIncidentChannel(deps: FlowDependencies, incident: Incident): Promise<{ id: string; name: string }> {
  const date = isoDateInZone(incident.declaredAt, deps.settings.timeZone);
  const prefix = isDrill(incident) ? DRILL_CHANNEL_PREFIX : (typeByKey(deps.settings.incidentTypes ?? [], incident.type)?.channelPrefix ?? deps.settings.channelPrefix);
  for (let attempt = 1; ; attempt += 1) {
    const name = incidentChannelName(prefix, date, incident.title, attempt);
    try {
      return await deps.chat.createChannel(name, incident.isPrivate);
    } catch (error) {
      if (!(error instanceof SlackCallError) || error.code !== 'name_taken' || attempt >= MAX_NAME_ATTEMPTS) throw error;
    }
  }
}
