/** What the bot says about drills: starting and ending one, its help, and a page it did not send. */
import { formatDuration } from '../domain/lifecycle.js';
import type { DrillScenario } from '../domain/drill.js';
import { escapeMrkdwn, mentionChannel, mentionUser } from '../render/mrkdwn.js';

const scriptLength = (scenario: DrillScenario) => {
  const lastMs = scenario.script.at(-1)?.afterMs ?? 0;
  const count = `${scenario.script.length} message${scenario.script.length === 1 ? '' : 's'}`;
  return lastMs > 0 ? `${count} over ${formatDuration(lastMs)}` : count;
};

/** `/incident drill` with no scenario, or one the bot does not have: what drills are and which scenarios there are. */
export function drillHelpText(scenarios: readonly DrillScenario[], unknownScenario?: string): string {
  const lead = unknownScenario ? `There is no drill scenario called "${escapeMrkdwn(unknownScenario)}".\n` : '';
  const listed =
    scenarios.length > 0
      ? scenarios.map((scenario) => `    • \`${scenario.name}\`: ${scenario.severity} · ${escapeMrkdwn(scenario.title)} (${scriptLength(scenario)})`).join('\n')
      : '    _None yet: add a scenario file to the `drills/` folder (README, "Drills") and restart the bot._';
  return `${lead}*Drills*: rehearse the incident process on a made-up incident, in a \`drill-…\` channel of its own that is never announced.
• \`/incident drill <scenario>\`: start one; you are its commander, and the scenario's alerts and reports arrive in the channel as they would in a real incident. Scenarios:
${listed}
• \`/incident drill end\`: in the drill's channel, archive it and remove the drill from the records.`;
}

export const drillStarted = (channelId: string, scenario: DrillScenario) =>
  `Drill started in ${mentionChannel(channelId)}: ${escapeMrkdwn(scenario.title)}. You are its commander; the scenario plays ${scriptLength(scenario)}. End it with \`/incident drill end\` in that channel.`;

/** The same command delivered twice reached a drill already being set up. */
export const DRILL_ALREADY_STARTING = 'This drill is already being set up; its channel will appear in a moment.';

export const NOT_A_DRILL =
  "This is a real incident's channel, not a drill's: `/incident drill end` only ends drills, and never removes a real incident. To close this one, use `/incident resolve`.";

export const drillEnded = (channelName: string) => `Drill ended: #${channelName} is archived and the drill is removed from the records.`;

/** What only the drill's commander or a listed responder may do, as the domain's refusal says it. */
export const END_DRILL = 'end the drill';

/** Posted instead of a page in a drill: who the rung would have brought in, nobody disturbed. */
export const drillWouldPage = (targets: readonly string[], commanderId: string) =>
  `Drill: in a real incident this would page ${targets.map((target) => `\`${escapeMrkdwn(target)}\``).join(', ')}. Nobody outside this channel was paged (set \`drills.page: true\` in incident.config.yml to page for real). ${mentionUser(commanderId)}, carry on as if they had joined.`;
