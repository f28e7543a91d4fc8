import type { Logger } from 'pino';
import type { Declaration } from '../domain/declaration.js';
import { incidentChannelName } from '../domain/channelName.js';
import type { Incident, ParticipantRole } from '../domain/incident.js';
import { isoDateInZone, type Clock } from '../domain/time.js';
import { escapeMrkdwn, mentionUser } from '../render/mrkdwn.js';
import type { Templates } from '../render/templates.js';
import type { BotIdentity, SlackGateway } from '../slack/gateway.js';
import { SlackCallError } from '../slack/slackErrors.js';
import { announcementMessage } from '../slack/views/kickoffMessage.js';
import { incidentTemplateData, summaryMessage, topicText, type TemplateSettings } from './summary.js';
import { Warnings } from './warnings.js';
import type { IncidentRepository } from '../store/incidentRepository.js';

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
 * Step one of a declaration, done before Slack is answered: remember it. `created: false` means
 * this exact declaration (same modal) was already received and is being or has been handled.
 */
export function recordDeclaration(
  deps: Pick<DeclareDependencies, 'incidents' | 'clock'>,
  request: { declarationKey: string; declaredBy: string; declaration: Declaration },
): { incident: Incident; created: boolean } {
  return deps.incidents.recordDeclaration(request.declarationKey, request.declaration, request.declaredBy, deps.clock.now());
}

/**
 * The runbook's "open an incident" steps, in the order a person would do them: create the channel,
 * bring in the declarer and commander, set the topic, post and pin the summary, announce. Without
 * a channel or a summary there is no incident: the declaration is aborted, the half-made channel
 * archived, and the reason returned for the user. Lesser steps that fail become warnings.
 */
export async function completeDeclaration(deps: DeclareDependencies, incident: Incident): Promise<DeclareOutcome> {
  const log = deps.log.child({ incidentId: incident.id });
  const abort = async (error: SlackCallError, channelId: string | null): Promise<DeclareOutcome> => {
    log.warn({ method: error.method, code: error.code }, 'declaration aborted');
    deps.incidents.markAborted(incident.id, `${error.method}: ${error.code}`, deps.clock.now());
    if (channelId) await deps.slack.archive(channelId).catch((archiveError: unknown) => log.warn({ err: archiveError }, 'could not archive the half-made channel'));
    return { kind: 'failed', incident: { ...incident, phase: 'aborted' }, message: error.userMessage };
  };
  const warnings = new Warnings(log);
  const attempt = (step: string, action: () => Promise<unknown>) => warnings.attempt(step, action);

  let channel: { id: string; name: string };
  try {
    channel = await createIncidentChannel(deps, incident);
  } catch (error) {
    if (error instanceof SlackCallError) return abort(error, null);
    throw error;
  }
  deps.incidents.recordChannel(incident.id, channel, deps.clock.now());
  log.info({ channelId: channel.id, channelName: channel.name }, 'incident channel created');

  // How the incident will read once live: the summary is posted before the row is marked live.
  const live: Incident = { ...incident, phase: 'live', channelId: channel.id, channelName: channel.name };
  const view = incidentTemplateData(live, deps.settings, deps.clock.now());
  const responders = [...new Set([incident.declaredBy, incident.commanderId])].filter((user) => user !== deps.identity.botUserId);
  try {
    await deps.slack.invite(channel.id, responders);
  } catch (error) {
    // Nobody can join a private channel they were not invited to: without the invite it is useless.
    if (error instanceof SlackCallError && incident.isPrivate) return abort(error, channel.id);
    if (!(error instanceof SlackCallError)) throw error;
    warnings.add([`Inviting the responders: ${error.userMessage}`]);
  }
  await attempt('Setting the channel topic', () =>
    deps.slack.setTopic(channel.id, topicText(deps, live)),
  );

  let kickoffTs: string;
  try {
    kickoffTs = await deps.slack.postMessage(
      channel.id,
      summaryMessage(deps, live),
    );
  } catch (error) {
    if (error instanceof SlackCallError) return abort(error, channel.id);
    throw error;
  }
  await attempt('Pinning the summary', () => deps.slack.pin(channel.id, kickoffTs));

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
      text: `Declared ${incident.severity} "${incident.title}" with ${mentionUser(incident.commanderId)} as incident commander`,
      data: { severity: incident.severity, commanderId: incident.commanderId, channelId: channel.id, isPrivate: incident.isPrivate },
    },
  });
  log.info({ channelId: channel.id, severity: incident.severity }, 'incident declared');

  if (deps.settings.announceChannel && !incident.isPrivate) {
    const announceChannel = deps.settings.announceChannel;
    await attempt('Announcing the incident', () =>
      deps.slack.postMessage(
        announceChannel,
        announcementMessage(deps.templates.render('announcement', view), `${incident.severity} incident declared: ${escapeMrkdwn(incident.title)}`),
      ),
    );
  }
  return { kind: 'declared', incident: deps.incidents.findById(incident.id) ?? live, channelId: channel.id, warnings: warnings.list };
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
