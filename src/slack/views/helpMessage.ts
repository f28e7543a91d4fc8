/** The answer to `/incident help`, and to anything `/incident` does not understand. */
export function helpText(unknownSubcommand?: string): string {
  const lead = unknownSubcommand ? `I don't know \`/incident ${unknownSubcommand}\`. Here is what I can do:\n` : '';
  return `${lead}*Incident commander*
• \`/incident declare [title]\`: declare an incident (form, channel, summary, announcement).
• \`/incident list\`: open incidents, newest first (drills apart).
• \`/incident drill [scenario]\`: start a drill from a scenario in \`drills/\`; without one, lists them. \`/incident drill end\` in its channel archives it and removes it.
*In an incident channel*
• \`/incident ack\`: say you are on it (stops the ladder's "unacknowledged" rungs; the time is recorded).
• \`/incident update\`: post a status update (Investigating → Identified → Monitoring → Resolved).
• \`/incident severity [SEV1-SEV4]\`: change the severity.
• \`/incident role <commander|comms|scribe> @person\` (or \`/incident commander @person\`): hand over a role.
• \`/incident note <text>\`: add a note to the timeline. React with :pushpin: to put any message on it.
• \`/incident action <text> [@owner] [due date]\`: add a follow-up; \`/incident actions\` lists them.
• \`/incident impact-start <time>\`: when the impact started (\`14:05\`, \`2026-11-26 14:05\`, \`-20m\`), in the incident's zone; time to resolve counts from it.
• \`/incident timeline\`: the timeline's entries, each with Edit and Remove (commander and responders).
• \`/incident status\`: where the incident stands.
• \`/incident resolve\` / \`/incident reopen [why]\`: resolve with root cause, or reopen (an archived channel: \`/incident reopen #its-channel [why]\` from any channel).
• \`/incident postmortem\`: draft the post-mortem again from the timeline and upload it here.
• \`/incident postmortem done\`: the post-mortem review was held; stops its reminders.
• \`/incident help\`: this message.`;
}

/** The answer to a channel command used outside an incident channel. */
export function notAnIncidentChannelText(subcommand: string): string {
  return `\`/incident ${subcommand}\` works in an incident's own channel, and this is not one. Run it there; \`/incident list\` shows the open incidents and their channels.`;
}
