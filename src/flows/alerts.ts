/**
 * Alerts from monitoring, as the on-call person would handle them: a new alert goes to the triage
 * channel (or, when a rule says so, straight to a declared incident); the same alert firing again
 * is counted on its message (shown at most once in `TRIAGE_UPDATE_EVERY_MS`), not posted again; a resolved alert says so there and on the timeline
 * of the incident it opened. People decide with the message's buttons: declare or dismiss.
 */
import { alertTitle, matchingRule, proposedSeverity, TRIAGE_UPDATE_LEASE_MS, type AlertRule, type AlertSettings, type ReceivedAlert, type StoredAlert } from '../domain/alert.js';
import { checkDeclaration, IMPACT_MAX_LENGTH, TITLE_MAX_LENGTH } from '../domain/declaration.js';
import type { LiveIncident } from '../domain/incident.js';
import { DEFAULT_SEVERITY } from '../domain/severity.js';
import {
  ALERT_GONE,
  alertImpact,
  alertLinkedEntry,
  alertResolvedEntry,
  alertResolvedInChannel,
  alreadyDeclared,
  alreadyDismissed,
  RULE_DECLARATION_UNFINISHED,
} from '../messages/alerts.js';
import { escapeMrkdwn } from '../render/mrkdwn.js';
import { SlackCallError } from '../slack/slackErrors.js';
import { alertLinksText, triageMessage, type TriageContext } from '../slack/views/alertMessage.js';
import { clip } from '../slack/views/blocks.js';
import { declareModal } from '../slack/views/declareModal.js';
import { completeDeclaration, recordDeclaration, unrecordedMessage } from './declare.js';
import { done, refused, type FlowDependencies, type FlowResult } from './incidentFlow.js';

/** What became of a request's alerts; `problems` are what Slack refused, one line per alert. */
export interface AlertIntake {
  stored: number;
  problems: string[];
}

/**
 * Handles each alert of one request in turn. Every alert is stored before anything is said in
 * Slack; a Slack refusal for one alert is a problem to report, and the next alert is still handled.
 * A database failure throws: the sender is told to send again.
 */
export async function receiveAlerts(deps: FlowDependencies, alerts: readonly ReceivedAlert[]): Promise<AlertIntake> {
  const settings = alertSettings(deps);
  const problems: string[] = [];
  for (const alert of alerts) {
    try {
      if (alert.status === 'firing') await alertFired(deps, settings, alert);
      else await alertResolved(deps, settings, alert);
    } catch (error) {
      if (!(error instanceof SlackCallError)) throw error;
      deps.log.warn({ err: error, source: alert.source, fingerprint: alert.fingerprint }, 'could not tell the triage channel about an alert');
      problems.push(`${alert.name}: ${error.userMessage}`);
    }
  }
  return { stored: alerts.length, problems };
}

async function alertFired(deps: FlowDependencies, settings: AlertSettings, received: ReceivedAlert): Promise<void> {
  const { alert, created, showNow } = await deps.alerts.recordFiring(received, deps.clock.now());
  // The first process to store it posts it; a repeat retries a post that failed, once across replicas.
  if (created || (alert.triageState === 'failed' && (await deps.alerts.claimTriageRetry(alert.id)))) return postTriage(deps, settings, alert);
  // Shown recently: the store made the message owe an update, which `showDueRepeats` makes.
  if (showNow && alert.triageTs) await updateTriage(deps, settings, alert);
}

/** How many owed triage updates one pass claims: more wait for the next tick. */
const TRIAGE_UPDATES_PER_PASS = 50;

/**
 * The scheduler pass: triage messages owed an update for repeats not yet shown get it, each claimed
 * by one replica. A Slack refusal leaves it claimed, so it is tried again when the claim ends.
 * Returns how many messages it updated.
 */
export async function showDueRepeats(deps: FlowDependencies): Promise<number> {
  const settings = deps.settings.alerts;
  if (!settings) return 0;
  const now = deps.clock.now();
  let shown = 0;
  for (const { id, dueAt } of await deps.alerts.dueTriageUpdates(now, TRIAGE_UPDATES_PER_PASS)) {
    const until = new Date(now.getTime() + TRIAGE_UPDATE_LEASE_MS);
    const alert = await deps.alerts.claimTriageUpdate(id, dueAt, now, until);
    if (!alert?.triageTs) continue; // another replica claimed it
    try {
      await updateTriage(deps, settings, alert);
    } catch (error) {
      if (!(error instanceof SlackCallError)) throw error;
      deps.log.warn({ err: error, alertId: id, retryAt: until.toISOString() }, "could not show an alert's repeats on its triage message; tried again when the claim ends");
      continue;
    }
    shown += 1;
    const current = await deps.alerts.settleTriageUpdate(id, until, alert.fireCount);
    // Resolved, declared or dismissed while this update was on its way: it may have overwritten theirs.
    if (current?.triageTs && (current.status !== alert.status || current.incidentId !== alert.incidentId || current.dismissedBy !== alert.dismissedBy)) {
      await updateTriage(deps, settings, current);
    }
  }
  return shown;
}

/** A new alert: declared at once if a rule says so, then posted to the triage channel either way. */
async function postTriage(deps: FlowDependencies, settings: AlertSettings, stored: StoredAlert): Promise<void> {
  let alert = stored;
  let ruleFailure: TriageContext['ruleFailure'];
  const rule = matchingRule(alert, settings.rules);
  if (rule && alert.incidentId === null) {
    const declared = await declareByRule(deps, alert, rule);
    if (declared.ok) alert = declared.alert;
    else ruleFailure = { severity: rule.declare, reason: declared.reason };
  }
  let ts: string;
  try {
    ts = await deps.chat.postMessage(settings.triageChannel, triageMessage(alert, { ...(await triageContext(deps, alert)), ruleFailure }));
  } catch (error) {
    await deps.alerts.recordTriageFailed(alert.id);
    throw error;
  }
  const posted = await deps.alerts.recordTriagePosted(alert.id, ts, deps.clock.now());
  // Repeats, a resolution or a click that came while it was being posted found no message to update.
  if (posted && (posted.fireCount !== alert.fireCount || posted.status !== alert.status || posted.incidentId !== alert.incidentId || posted.dismissedBy !== alert.dismissedBy)) {
    await updateTriage(deps, settings, posted, ruleFailure);
  }
}

async function alertResolved(deps: FlowDependencies, settings: AlertSettings, received: ReceivedAlert): Promise<void> {
  const alert = await deps.alerts.recordResolved(received.source, received.fingerprint, deps.clock.now());
  // Never seen firing, or resolved already (Alertmanager repeats resolutions): nothing to say.
  if (!alert) return;
  if (alert.incidentId !== null) {
    await deps.incidents.appendTimeline(alert.incidentId, {
      at: alert.resolvedAt ?? deps.clock.now(),
      actorId: null,
      kind: 'alert_resolved',
      text: alertResolvedEntry(alert.name, alert.source),
      data: { alertId: alert.id },
    });
    const incident = await deps.incidents.findLiveById(alert.incidentId);
    if (incident && incident.status !== 'resolved') {
      await deps.chat.postMessage(incident.channelId, { text: alertResolvedInChannel(escapeMrkdwn(alert.name)) }).catch((error: unknown) => {
        deps.log.warn({ err: error, incidentId: incident.id }, 'could not tell the incident channel its alert resolved');
      });
    }
  }
  if (alert.triageTs) await updateTriage(deps, settings, alert);
}

/**
 * A rule's declaration: the bot declares, as a person would with the form, with the alert's
 * title, its description and links as "what is happening", and the rule's severity and commander.
 */
async function declareByRule(deps: FlowDependencies, alert: StoredAlert, rule: AlertRule): Promise<{ ok: true; alert: StoredAlert } | { ok: false; reason: string }> {
  const bot = deps.identity.botUserId;
  const check = checkDeclaration({
    title: clip(alertTitle(alert), TITLE_MAX_LENGTH),
    severity: rule.declare,
    impact: clip(alertImpact(alert.description, alert.name, alert.source, alertLinksText(alert)), IMPACT_MAX_LENGTH),
    commanderId: rule.commander ?? bot,
    isPrivate: false,
  });
  if (!check.ok) return { ok: false, reason: Object.values(check.errors).join(' ') };
  let recorded: Awaited<ReturnType<typeof recordDeclaration>>;
  try {
    recorded = await recordDeclaration(deps, { declarationKey: `alert:${alert.id}`, declaredBy: bot, declaration: check.declaration });
  } catch (error) {
    deps.log.error({ err: error, alertId: alert.id }, 'could not record the declaration a rule asked for');
    return { ok: false, reason: unrecordedMessage(error) };
  }
  if (!recorded.created) {
    // Declared before for this alert (a post retried after a crash): link what there is, never declare twice.
    const earlier = await deps.incidents.findLiveById(recorded.incident.id);
    if (!earlier) return { ok: false, reason: RULE_DECLARATION_UNFINISHED };
    const linked = await linkAlert(deps, alert.id, earlier, null);
    return { ok: true, alert: linked ?? (await deps.alerts.find(alert.id)) ?? alert };
  }
  try {
    const outcome = await completeDeclaration(deps, recorded.incident);
    if (outcome.kind === 'failed') return { ok: false, reason: outcome.message };
    deps.log.info({ alertId: alert.id, incidentId: outcome.incident.id, severity: rule.declare }, 'incident declared at once from an alert by a rule');
    const linked = await linkAlert(deps, alert.id, outcome.incident, null);
    return { ok: true, alert: linked ?? (await deps.alerts.find(alert.id)) ?? alert };
  } finally {
    if (recorded.journalId !== undefined) await deps.journal.finish(recorded.journalId).catch((error: unknown) => deps.log.error({ err: error }, 'could not clear the declaration from the work journal'));
  }
}

/**
 * The incident declared from the alert: linked to it, its timeline says where it came from (so its
 * post-mortem does), and the triage message points to its channel. Undefined when the alert
 * already had an incident.
 */
export async function linkAlert(deps: FlowDependencies, alertId: number, incident: LiveIncident, declaredBy: string | null): Promise<StoredAlert | undefined> {
  const alert = await deps.alerts.linkIncident(alertId, incident.id, declaredBy);
  if (!alert) return undefined;
  await deps.incidents.appendTimeline(incident.id, {
    at: deps.clock.now(),
    actorId: declaredBy,
    kind: 'alert_linked',
    text: alertLinkedEntry(alert.name, alert.source, alertLinksText(alert)),
    data: { alertId: alert.id, source: alert.source, fingerprint: alert.fingerprint, links: alert.links },
  });
  const settings = deps.settings.alerts;
  if (settings && alert.triageTs) {
    await updateTriage(deps, settings, alert).catch((error: unknown) => deps.log.warn({ err: error, alertId }, 'could not update the triage message with its incident'));
  }
  return alert;
}

/** **Declare incident** on a triage message: the declare form, filled in from the alert. */
export async function openAlertDeclareForm(deps: FlowDependencies, alertId: number, userId: string, triggerId: string): Promise<FlowResult | undefined> {
  const settings = alertSettings(deps);
  const alert = await deps.alerts.find(alertId);
  if (!alert) return refused(ALERT_GONE);
  if (alert.incidentId !== null) return refused(alreadyDeclared((await deps.incidents.findById(alert.incidentId))?.channelId ?? null));
  await deps.chat.openView(
    triggerId,
    declareModal({
      severities: deps.settings.severities,
      defaultSeverity: proposedSeverity(alert, settings.severityLabels) ?? DEFAULT_SEVERITY,
      title: alertTitle(alert),
      impact: clip(alertImpact(alert.description, alert.name, alert.source, alertLinksText(alert)), IMPACT_MAX_LENGTH),
      commanderId: userId,
      metadata: { channelId: settings.triageChannel, alertId: alert.id },
      incidentTypes: deps.settings.incidentTypes,
    }),
  );
  return undefined;
}

/** **Dismiss** on a triage message: the message says who dismissed it, and loses its buttons. */
export async function dismissAlert(deps: FlowDependencies, alertId: number, userId: string): Promise<FlowResult> {
  const settings = alertSettings(deps);
  const dismissed = await deps.alerts.dismiss(alertId, userId);
  if (!dismissed) {
    const alert = await deps.alerts.find(alertId);
    if (!alert) return refused(ALERT_GONE);
    if (alert.incidentId !== null) return refused(alreadyDeclared((await deps.incidents.findById(alert.incidentId))?.channelId ?? null));
    return refused(alreadyDismissed(alert.dismissedBy));
  }
  deps.log.info({ alertId, userId }, 'alert dismissed');
  if (dismissed.triageTs) await updateTriage(deps, settings, dismissed);
  return done('Dismissed.');
}

async function updateTriage(deps: FlowDependencies, settings: AlertSettings, alert: StoredAlert, ruleFailure?: TriageContext['ruleFailure']): Promise<void> {
  await deps.chat.updateMessage(settings.triageChannel, alert.triageTs!, triageMessage(alert, { ...(await triageContext(deps, alert)), ruleFailure }));
}

async function triageContext(deps: FlowDependencies, alert: StoredAlert): Promise<TriageContext> {
  const incident = alert.incidentId === null ? undefined : await deps.incidents.findById(alert.incidentId);
  return { timeZone: deps.settings.timeZone, incidentChannelId: incident?.channelId ?? null, ruleSeverity: incident?.severity };
}

function alertSettings(deps: FlowDependencies): AlertSettings {
  if (!deps.settings.alerts) throw new Error('alerts are off (ALERT_WEBHOOK_TOKEN unset), yet an alert flow ran');
  return deps.settings.alerts;
}
