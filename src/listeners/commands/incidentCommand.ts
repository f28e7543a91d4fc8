import type { App, RespondFn } from '@slack/bolt';
import type { View } from '@slack/types';
import { parseMentionArgument, parseRoleAssignment, splitSubcommand } from '../../domain/commandText.js';
import { isOpen, type LiveIncident } from '../../domain/incident.js';
import { managementRefusal, mayManage } from '../../domain/lifecycle.js';
import { DEFAULT_SEVERITY, parseSeverityLevel, SEVERITY_LEVELS, severityOf } from '../../domain/severity.js';
import { acknowledgeIncident } from '../../flows/acknowledge.js';
import { endDrill, startDrill } from '../../flows/drills.js';
import { END_DRILL_WORD } from '../../domain/drill.js';
import { drillHelpText } from '../../messages/drills.js';
import { notAnIncidentChannelToReopen } from '../../messages/archive.js';
import { markReviewHeld } from '../../flows/review.js';
import { publishPostmortem } from '../../flows/postmortem.js';
import { addActionItem } from '../../flows/actionItems.js';
import { resultText, type FlowResult } from '../../flows/incidentFlow.js';
import { addNote, noteProblem } from '../../flows/notes.js';
import { setImpactStart } from '../../flows/impactStart.js';
import { IMPACT_START_USAGE } from '../../domain/impactStart.js';
import { reopenIncident } from '../../flows/resolve.js';
import { assignRole } from '../../flows/roles.js';
import { changeSeverity } from '../../flows/statusUpdate.js';
import { cleanTypedText, unescapeMrkdwn } from '../../domain/text.js';
import {
  ALREADY_RESOLVED,
  COMMANDER_USAGE,
  MANAGED,
  notASeverity,
  POSTMORTEM_USAGE,
  refusalText,
  RESOLVED_REOPEN_FIRST,
  SEVERITY_FINAL_REOPEN_FIRST,
  TASKS,
  UNREADABLE_COMMAND,
} from '../../messages/replies.js';
import { declareModal } from '../../slack/views/declareModal.js';
import { helpText } from '../../slack/views/helpMessage.js';
import { resolveModal, severityModal, updateModal } from '../../slack/views/incidentModals.js';
import { timelineList } from '../../slack/views/timelineList.js';
import { actionItemsReport, openIncidentsReport, statusReport } from '../../slack/views/incidentReports.js';
import { readPayload, slashCommandPayload, type SlashCommandPayload } from '../payloads.js';
import { incidentOfChannel } from '../channelIncident.js';
import { needsTelling, openForm, runSafelyOnce } from '../replies.js';
import { firstDelivery, requestKey } from '../requestDeliveries.js';
import { declarePublicMessageField, publicMessageField } from '../publicMessage.js';
import type { JournalEntry } from '../../ports.js';
import type { ListenerDependencies } from '../types.js';

type Ack = (response?: string | { response_type: 'ephemeral'; text: string; blocks?: unknown[] }) => Promise<void>;

interface CommandContext {
  deps: ListenerDependencies;
  command: SlashCommandPayload;
  argument: string;
  ack: Ack;
  respond: RespondFn;
}

const ephemeral = (text: string) => ({ response_type: 'ephemeral' as const, text });
const refusal = (message: string) => ephemeral(refusalText(message));

/**
 * Slack may deliver one command twice (X-Slack-Retry-Num), to this process or another: its trigger
 * id says it is the same, and the repeat is answered with nothing. Only commands that do something
 * are recorded (a form here; a flow in ackAndRun, with its journal entry); one that only answers
 * (help, list, status) answers each delivery.
 */
const repeated = async ({ deps, command }: CommandContext) => !(await firstDelivery(deps, requestKey.command(command.trigger_id)));

/** Opens a modal after acking; the trigger id has 3 seconds to live, so nothing slow comes first. */
async function ackAndOpen(context: CommandContext, view: View): Promise<void> {
  const { deps, command, ack, respond } = context;
  if (await repeated(context)) return ack();
  await ack();
  const refusal = await openForm(deps, command.trigger_id, view, { userId: command.user_id });
  if (refusal) await respond(ephemeral(refusal));
}

/**
 * Acks at once (Slack gives 3 seconds), does the work, then answers only the user. `shownInChannel`:
 * the work's success is a message in the channel (a note), which is all the answer it needs; the
 * user still hears a refusal, a failure or a warning.
 */
async function ackAndRun(context: CommandContext, what: string, flow: (work: JournalEntry) => Promise<FlowResult>, { shownInChannel = false } = {}): Promise<void> {
  const { deps, ack, respond, command } = context;
  const asker = { userId: command.user_id, channelId: command.channel_id, responseUrl: command.response_url };
  const result = await runSafelyOnce(deps, requestKey.command(command.trigger_id), what, flow, asker, () => ack());
  if (!result || (shownInChannel && !needsTelling(result))) return;
  await respond(ephemeral(resultText(result)));
}

/** Subcommands that work in an incident channel, given the incident. */
const CHANNEL_COMMANDS: Record<string, (context: CommandContext, incident: LiveIncident) => Promise<void>> = {
  async status(context, incident) {
    const deps = context.deps;
    await context.ack(ephemeral(statusReport(incident, severityOf(deps.settings.severities, incident.severity), deps.clock.now(), await deps.escalations.pagedTiers(incident.id), deps.settings.incidentTypes)));
  },

  async update(context, incident) {
    if (!isOpen(incident)) return context.ack(refusal(RESOLVED_REOPEN_FIRST));
    await ackAndOpen(context, updateModal(incident, undefined, publicMessageField(context.deps, incident, incident.status)));
  },

  async severity(context, incident) {
    if (!context.argument) {
      if (!isOpen(incident)) return context.ack(refusal(SEVERITY_FINAL_REOPEN_FIRST));
      return ackAndOpen(context, severityModal(incident, context.deps.settings.severities));
    }
    const level = parseSeverityLevel(context.argument);
    if (!level) return context.ack(refusal(notASeverity(context.argument, SEVERITY_LEVELS)));
    await ackAndRun(context, TASKS.changeSeverity, () => changeSeverity(context.deps, incident, context.command.user_id, level));
  },

  async role(context, incident) {
    const parsed = parseRoleAssignment(context.argument);
    if (!parsed.ok) return context.ack(refusal(parsed.reason));
    await ackAndRun(context, TASKS.assignRole, () => assignRole(context.deps, incident, context.command.user_id, parsed.value.role, parsed.value.userId));
  },

  async commander(context, incident) {
    const parsed = parseMentionArgument(context.argument, COMMANDER_USAGE);
    if (!parsed.ok) return context.ack(refusal(parsed.reason));
    await ackAndRun(context, TASKS.handOverCommand, () => assignRole(context.deps, incident, context.command.user_id, 'commander', parsed.userId));
  },

  async note(context, incident) {
    const problem = noteProblem(context.argument);
    if (problem) return context.ack(refusal(problem));
    await ackAndRun(context, TASKS.addNote, (work) => addNote(context.deps, incident, context.command.user_id, context.argument, work), { shownInChannel: true });
  },

  async action(context, incident) {
    await ackAndRun(context, TASKS.addActionItem, () => addActionItem(context.deps, incident, context.command.user_id, context.argument));
  },

  async actions(context, incident) {
    const report = actionItemsReport(incident, await context.deps.actions.listFor(incident.id));
    await context.ack({ response_type: 'ephemeral', text: report.text, blocks: report.blocks });
  },

  async resolve(context, incident) {
    if (!isOpen(incident)) return context.ack(refusal(ALREADY_RESOLVED));
    if (!mayManage(incident, context.command.user_id, context.deps.settings.responders)) {
      return context.ack(refusal(managementRefusal(incident, MANAGED.resolve)));
    }
    await ackAndOpen(context, resolveModal(incident, publicMessageField(context.deps, incident, 'resolved')));
  },

  async ack(context, incident) {
    await ackAndRun(context, TASKS.acknowledge, () => acknowledgeIncident(context.deps, incident, context.command.user_id));
  },

  async postmortem(context, incident) {
    const argument = context.argument.toLowerCase();
    if (argument === 'done') return ackAndRun(context, TASKS.markReviewHeld, () => markReviewHeld(context.deps, incident, context.command.user_id));
    if (argument) return context.ack(refusal(POSTMORTEM_USAGE));
    await ackAndRun(context, TASKS.draftPostmortem, () => publishPostmortem(context.deps, incident));
  },

  async timeline(context, incident) {
    if (!mayManage(incident, context.command.user_id, context.deps.settings.responders)) {
      return context.ack(refusal(managementRefusal(incident, MANAGED.editTimeline)));
    }
    const list = timelineList(incident, await context.deps.incidents.timelineOf(incident.id));
    await context.ack({ response_type: 'ephemeral', text: list.text, blocks: list.blocks });
  },

  async 'impact-start'(context, incident) {
    if (!context.argument) return context.ack(refusal(IMPACT_START_USAGE));
    await ackAndRun(context, TASKS.setImpactStart, () => setImpactStart(context.deps, incident, context.command.user_id, context.argument));
  },

  async reopen(context, incident) {
    await ackAndRun(context, TASKS.reopen, () => reopenIncident(context.deps, incident, context.command.user_id, context.argument));
  },
};

/**
 * `/incident drill <scenario>` starts a drill anywhere; `/incident drill end` ends the one whose
 * channel it is typed in; anything else (nothing, an unknown scenario) lists the scenarios.
 */
async function drillCommand(context: CommandContext): Promise<void> {
  const { deps, command } = context;
  const word = context.argument.split(/\s+/, 1)[0]!.toLowerCase();
  if (word === END_DRILL_WORD) {
    const found = await incidentOfChannel(deps, command.channel_id, 'drill end');
    if (!found.ok) return context.ack(ephemeral(found.message));
    return ackAndRun(context, TASKS.endDrill, () => endDrill(deps, found.incident, command.user_id));
  }
  const scenario = deps.settings.drills.scenarios.find((candidate) => candidate.name === word);
  if (!scenario) return context.ack(ephemeral(drillHelpText(deps.settings.drills.scenarios, word || undefined)));
  await ackAndRun(context, TASKS.startDrill, () => startDrill(deps, { scenario, startedBy: command.user_id, declarationKey: requestKey.command(command.trigger_id) }));
}

/** Every subcommand `/incident` answers, by its main name: what help and the manifest's hint must list. */
export const INCIDENT_SUBCOMMANDS = ['declare', 'list', 'drill', 'help', ...Object.keys(CHANNEL_COMMANDS)];

/** A channel named at the start of the text, as Slack escapes it (`<#C123|name>`), and the rest. */
const NAMED_CHANNEL = /^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>(.*)$/s;

/** Other words people type for a channel command. */
const ALIASES: Record<string, string> = { acknowledge: 'ack', 'post-mortem': 'postmortem', impact_start: 'impact-start', impactstart: 'impact-start' };

/** `/incident <subcommand> [text]` */
export function registerIncidentCommand(app: App, deps: ListenerDependencies): void {
  app.command('/incident', async ({ command: payload, ack, respond }) => {
    const command = readPayload(slashCommandPayload, payload, deps.log, '/incident');
    if (!command) return ack(refusal(UNREADABLE_COMMAND));
    const { subcommand, argument } = splitSubcommand(cleanTypedText(unescapeMrkdwn(command.text ?? '')));
    const context: CommandContext = { deps, command, argument, ack: ack as Ack, respond };
    switch (subcommand) {
      case 'declare':
      case 'new':
      case 'open':
        return ackAndOpen(
          context,
          declareModal({
            severities: deps.settings.severities,
            defaultSeverity: DEFAULT_SEVERITY,
            title: argument,
            commanderId: command.user_id,
            metadata: { channelId: command.channel_id },
            publicMessage: declarePublicMessageField(deps, argument, DEFAULT_SEVERITY),
            incidentTypes: deps.settings.incidentTypes,
          }),
        );
      case 'drill':
        return drillCommand(context);
      case '':
      case 'help':
        return ack(ephemeral(helpText()));
      case 'list': {
        const open = await deps.incidents.listOpen();
        const theirs = new Set<number>();
        for (const incident of open) if (incident.isPrivate && (await deps.incidents.isParticipant(incident.id, command.user_id))) theirs.add(incident.id);
        return ack(ephemeral(openIncidentsReport(open, (incident) => theirs.has(incident.id), deps.clock.now())));
      }
    }
    const name = ALIASES[subcommand] ?? subcommand;
    const handler = Object.hasOwn(CHANNEL_COMMANDS, name) ? CHANNEL_COMMANDS[name] : undefined;
    if (!handler) return ack(ephemeral(helpText(subcommand)));
    // An archived channel takes no commands: `/incident reopen #its-channel [why]` reopens it from anywhere.
    const named = name === 'reopen' ? NAMED_CHANNEL.exec(argument) : null;
    if (named) {
      const incident = await deps.incidents.findLiveByChannel(named[1]!);
      if (!incident) return ack(refusal(notAnIncidentChannelToReopen(`<#${named[1]}>`)));
      return handler({ ...context, argument: named[2]!.trim() }, incident);
    }
    const found = await incidentOfChannel(deps, command.channel_id, subcommand);
    if (!found.ok) return ack(ephemeral(found.message));
    await handler(context, found.incident);
  });
}
