import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config.js';

/** The least the bot starts with: a bot token and a signing secret. */
export const minimalEnv = { SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 'abcdef0123456789abcdef' };

/** What loadConfig refuses in `env`, one line per problem; none when it loads. */
export function configProblems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

/** `yaml` written as an incident.config.yml in a folder of its own; returns its path. */
export function writeConfigFile(yaml: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'incident-config-')), 'incident.config.yml');
  writeFileSync(path, yaml);
  return path;
}
