/** The answer to `/incident help`, and to anything `/incident` does not understand. */
export function helpText(unknownSubcommand?: string): string {
  const lead = unknownSubcommand ? `I don't know \`/incident ${unknownSubcommand}\`. Here is what I can do:\n` : '';
  return `${lead}*Incident commander*
• \`/incident declare [title]\`: declare an incident. Opens a form for the title, severity, impact and commander, then creates the incident channel, invites you and the commander, pins a live summary and announces it.
• \`/incident help\`: this message.`;
}
