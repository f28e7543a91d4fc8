import type { Logger } from 'pino';
import type { Declaration } from '../domain/declaration.js';
import { incidentChannelName } from '../domain/channelName.js';
import type { Incident, ParticipantRole } from '../domain/incident.js';
import { isoDateInZone, type Clock } from '../domain/time.js';
import { ABORT_REASONS, announcementFallback, INTERNAL_ERROR_TRY_AGAIN, internalErrorWhileDeclaring } from '../messages/declare.js';
import { STEPS, stepCrashed, stepFailed } from '../messages/steps.js';
import { declaredEntry } from '../messages/timeline.js';
import type { Templates } from '../render/templates.js';
import type { BotIdentity, SlackGateway, SlackMessage } from '../slack/gateway.js';
import { SlackCallError } from '../slack/slackErrors.js';
import { announcementMessage } from '../slack/views/kickoffMessage.js';
import { incidentTemplateData, summaryMessage, topicText, type TemplateSettings } from './summary.js';
import { Warnings } from './warnings.js';
import { DatabaseFaultError } from '../store/db.js';
import type { IncidentRepository } from '../store/incidentRepository.js';
import { DECLARE_WORK, type WorkJournal } from '../store/workJournal.js';

export interface DeclareDependencies {
  incidents: IncidentRepository;
  slack: SlackGateway;
  templates: Templates;
  clock: Clock;
  log: Logger;
  settings: TemplateSettings & { channelPrefix: string; announceChannel: string | undefined };
  identity: BotIdentity;
}

export type DeclareOutcome =
  | { kind: 'declared'; incident: Incident; channelId: string; warnings: string[] }
  | { kind: 'failed'; incident: Incident; message: string };

/** How many `-2`, `-3`… suffixes to try before giving up on a taken channel name. */
const MAX_NAME_ATTEMPTS = 25;

/**
 * Step one of a declaration, done before Slack is answered: remember it, and put it in the work
 * journal so that a crash mid-way is undone at the next start. `created: false` means this exact
 * declaration (same modal) was already received and is being or has been handled. Throws, with
 * nothing done in Slack, when the database cannot be written.
 */
export function recordDeclaration(
  deps: Pick<DeclareDependencies, 'incidents' | 'clock'> & { journal: WorkJournal },
  request: { declarationKey: string; declaredBy: string; declaration: Declaration },
): { incident: Incident; created: boolean; journalId?: number } {
  const now = deps.clock.now();
  const recorded = deps.incidents.recordDeclaration(request.declarationKey, request.declaration, request.declaredBy, now);
  if (!recorded.created) return recorded;
  try {
    return { ...recorded, journalId: deps.journal.start({ what: DECLARE_WORK, userId: request.declaredBy, incidentId: recorded.incident.id }, now) };
  } catch (error) {
    try {
      deps.incidents.markAborted(recorded.incident.id, ABORT_REASONS.journalUnwritable, now);
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
 * channel exists, anything else that fails (the database, a template) archives it the same way.
 */
export async function completeDeclaration(deps: DeclareDependencies, incident: Incident): Promise<DeclareOutcome> {
  const log = deps.log.child({ incidentId: incident.id });
  let channel: { id: string; name: string };
  try {
    channel = await createIncidentChannel(deps, incident);
  } catch (error) {
    return abortDeclaration(deps, incident, error, null);
  }
  log.info({ channelId: channel.id, channelName: channel.name }, 'incident channel created');
  const warnings = new Warnings(log);
  let live: LiveDeclaration;
  try {
    live = await goLive(deps, incident, channel, warnings);
  } catch (error) {
    return abortDeclaration(deps, incident, error, channel.id);
  }
  // Live now: from here on a failure is a warning, never a reason to archive the channel.
  const { announcement } = live;
  if (announcement) {
    await warnings.attempt(STEPS.announceIncident, () => deps.slack.postMessage(announcement.channelId, announcement.message)).catch((error: unknown) => {
      log.error({ err: error }, 'could not announce the incident');
      warnings.add([stepCrashed(STEPS.announceIncident)]);
    });
  }
  return { kind: 'declared', incident: live.incident, channelId: channel.id, warnings: warnings.list };
}

/** A declaration gone live, and the announcement still to post (none for private incidents). */
interface LiveDeclaration {
  incident: Incident;
  announcement: { channelId: string; message: SlackMessage } | undefined;
}

/**
 * Everything done in the new channel until the incident is live; returns it with its announcement,
 * rendered before going live so that a template failing there still calls the declaration off.
 * Throws when the incident cannot go live.
 */
async function goLive(
  deps: DeclareDependencies,
  incident: Incident,
  channel: { id: string; name: string },
  warnings: Warnings,
): Promise<LiveDeclaration> {
  const log = deps.log.child({ incidentId: incident.id });
  const attempt = (step: string, action: () => Promise<unknown>) => warnings.attempt(step, action);
  deps.incidents.recordChannel(incident.id, channel, deps.clock.now());

  // How the incident will read once live: the summary is posted before the row is marked live.
  const live: Incident = { ...incident, phase: 'live', channelId: channel.id, channelName: channel.name };
  const view = incidentTemplateData(live, deps.settings, deps.clock.now());
  const responders = [...new Set([incident.declaredBy, incident.commanderId])].filter((user) => user !== deps.identity.botUserId);
  try {
    await deps.slack.invite(channel.id, responders);
  } catch (error) {
    // Nobody can join a private channel they were not invited to: without the invite it is useless.
    if (!(error instanceof SlackCallError) || incident.isPrivate) throw error;
    warnings.add([stepFailed(STEPS.inviteResponders, error.userMessage)]);
  }
  await attempt(STEPS.setTopic, () =>
    deps.slack.setTopic(channel.id, topicText(deps, live)),
  );

  const kickoffTs = await deps.slack.postMessage(channel.id, summaryMessage(deps, live));
  await attempt(STEPS.pinSummary, () => deps.slack.pin(channel.id, kickoffTs));
  const announcement =
    deps.settings.announceChannel && !incident.isPrivate
      ? { channelId: deps.settings.announceChannel, message: announcementMessage(deps.templates.render('announcement', view), announcementFallback(incident.severity, incident.title)) }
      : undefined;

  const participants: { userId: string; role: ParticipantRole }[] = [
    { userId: incident.declaredBy, role: 'declarer' },
    { userId: incident.commanderId, role: 'commander' },
  ];
  deps.incidents.markLive(incident.id, {
    kickoffTs,
    participants,
    firstEntry: {
      at: incident.declaredAt,
      actorId: incident.declaredBy,
      kind: 'declared',
      text: declaredEntry(incident.severity, incident.title, incident.commanderId),
      data: { severity: incident.severity, commanderId: incident.commanderId, channelId: channel.id, isPrivate: incident.isPrivate },
    },
  });
  log.info({ channelId: channel.id, severity: incident.severity }, 'incident declared');
  return { incident: { ...live, kickoffTs }, announcement };
}

/**
 * The declaration will not go live: recorded as aborted, the half-made channel archived, and what
 * to tell the user returned. Slack's refusals and a database that cannot be written say why; any
 * other error is a bug, logged with its stack.
 */
async function abortDeclaration(deps: DeclareDependencies, incident: Incident, error: unknown, channelId: string | null): Promise<DeclareOutcome> {
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
    deps.incidents.markAborted(incident.id, reason, deps.clock.now());
  } catch (markError) {
    // The channel is archived all the same; the row stays "declaring" and is never shown as an incident.
    log.error({ err: markError }, 'could not record the declaration as aborted');
  }
  if (channelId) await deps.slack.archive(channelId).catch((archiveError: unknown) => log.warn({ err: archiveError }, 'could not archive the half-made channel'));
  return { kind: 'failed', incident: { ...incident, phase: 'aborted' }, message };
}

/** Tries the channel name, then `-2`, `-3`… while Slack says the name is taken. */
async function createIncidentChannel(deps: DeclareDependencies, incident: Incident): Promise<{ id: string; name: string }> {
  const date = isoDateInZone(incident.declaredAt, deps.settings.timeZone);
  for (let attempt = 1; ; attempt += 1) {
    const name = incidentChannelName(deps.settings.channelPrefix, date, incident.title, attempt);
    try {
      return await deps.slack.createChannel(name, incident.isPrivate);
    } catch (error) {
      if (!(error instanceof SlackCallError) || error.code !== 'name_taken' || attempt >= MAX_NAME_ATTEMPTS) throw error;
    }
  }
}
