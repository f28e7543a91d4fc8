import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { INCIDENT_SUBCOMMANDS } from '../../src/listeners/commands/incidentCommand.js';
import { helpText } from '../../src/slack/views/helpMessage.js';

const manifest = parseYaml(readFileSync('manifest.yml', 'utf8')) as { features: { slash_commands: { command: string; usage_hint: string }[] } };
const usageHint = manifest.features.slash_commands.find((command) => command.command === '/incident')?.usage_hint ?? '';

describe('the list of /incident commands people are shown', () => {
  it('knows the subcommands the listener answers', () => {
    expect(INCIDENT_SUBCOMMANDS).toEqual(expect.arrayContaining(['declare', 'list', 'help', 'postmortem', 'reopen', 'commander', 'actions']));
  });

  it.each(INCIDENT_SUBCOMMANDS)('/incident help shows `/incident %s` as a command of its own', (subcommand) => {
    // The command itself, bare or with an argument placeholder: "`/incident postmortem done`" alone does not count.
    expect(helpText()).toMatch(new RegExp(`\`/incident ${subcommand}(?: [[<@][^\`]*)?\``));
  });

  it.each(INCIDENT_SUBCOMMANDS)('the manifest\'s usage hint lists %s', (subcommand) => {
    expect(usageHint.split('|').map((entry) => entry.trim().split(' ')[0])).toContain(subcommand);
  });
});
