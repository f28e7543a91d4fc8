/**
 * The sandbox's workspace: a handful of people with roles to try permissions with, #general, and
 * #incidents where the bot announces new incidents, and the @security-oncall user group.
 */
import type { SlackEmulator } from './slackEmulator.js';

export interface SandboxPerson {
  id: string;
  name: string;
  title: string;
}

export const SANDBOX_PEOPLE: readonly SandboxPerson[] = [
  { id: 'UALICE', name: 'Alice', title: 'on-call engineer' },
  { id: 'UBOB', name: 'Bob', title: 'SRE lead' },
  { id: 'UCAROL', name: 'Carol', title: 'support' },
  { id: 'UDAVE', name: 'Dave', title: 'backend engineer' },
  { id: 'UERIN', name: 'Erin', title: 'CTO' },
];

/** The announcement channel's id, given to the bot as INCIDENT_ANNOUNCE_CHANNEL. */
export const ANNOUNCE_CHANNEL_ID = 'CINCIDENTS';

/** The security on-call, invited to Security incidents by the sandbox's incident.config.yml: Bob and Erin. */
export const SECURITY_ONCALL = { id: 'SSECURITY', handle: 'security-oncall', users: ['UBOB', 'UERIN'] };

/** Bob, the SRE lead, may hand over command and resolve any incident (INCIDENT_RESPONDERS). */
export const SANDBOX_RESPONDERS = ['UBOB'];

export function seedWorkspace(emulator: SlackEmulator): void {
  for (const person of SANDBOX_PEOPLE) emulator.addUser({ id: person.id, name: person.name });
  // The emulator's own extra test user is not one of the sandbox's people.
  emulator.users.delete('UFRANK');
  const everyone = SANDBOX_PEOPLE.map((person) => person.id);
  const general = emulator.channels.get('CGENERAL');
  if (general) for (const id of everyone) general.members.add(id);
  emulator.addChannel({ id: ANNOUNCE_CHANNEL_ID, name: 'incidents', members: everyone });
  emulator.addUserGroup({ ...SECURITY_ONCALL, users: [...SECURITY_ONCALL.users] });
}
