import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config.js';

const minimal = { SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 'abcdef0123456789abcdef' };
const dir = mkdtempSync(join(tmpdir(), 'incident-types-'));
let counter = 0;
const file = (yaml: string) => {
  const path = join(dir, `config-${++counter}.yml`);
  writeFileSync(path, yaml);
  return path;
};
function problems(path: string): string[] {
  try {
    loadConfig({ ...minimal, INCIDENT_CONFIG: path });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('the file was accepted');
}

describe('incident_types in incident.config.yml', () => {
  it('offers no type when the file names none', () => {
    expect(loadConfig(minimal).incidentTypes).toEqual([]);
  });

  it('reads each type with its fields, keeping field keys as written', () => {
    const config = loadConfig({
      ...minimal,
      INCIDENT_CONFIG: file(`
incident_types:
  - key: security
    label: Security
    private: true
    channel_prefix: sec
    responders: [U0SECLEAD]
    user_group: "@security-oncall"
    fields:
      - key: customer_tier
        label: Customer tier
        kind: single_select
        options: [free, pro, enterprise]
        required: true
      - { key: attackVector, label: Attack vector, kind: long_text }
      - { key: records, label: Records exposed, kind: number }
  - key: payments
    label: Payments
`),
    });
    expect(config.incidentTypes).toEqual([
      {
        key: 'security',
        label: 'Security',
        isPrivate: true,
        channelPrefix: 'sec',
        responders: ['U0SECLEAD'],
        userGroup: 'security-oncall',
        fields: [
          { key: 'customer_tier', label: 'Customer tier', kind: 'single_select', options: ['free', 'pro', 'enterprise'], required: true },
          { key: 'attackVector', label: 'Attack vector', kind: 'long_text', options: [], required: false },
          { key: 'records', label: 'Records exposed', kind: 'number', options: [], required: false },
        ],
      },
      { key: 'payments', label: 'Payments', isPrivate: false, channelPrefix: undefined, responders: [], userGroup: undefined, fields: [] },
    ]);
  });

  it('names each mistake on its own line, with the file and the setting', () => {
    const path = file(`
incident_types:
  - key: security
    label: Security
    channel_prefix: Sec Team
    responders: [bob]
    fields:
      - { key: tier, label: Tier, kind: dropdown }
      - { key: choice, label: Choice, kind: single_select }
      - { key: size, label: Size, kind: number, options: [a] }
  - key: payments
    label: ""
`);
    expect(problems(path)).toEqual([
      `${path}: incidentTypes.0.channelPrefix must be 1–30 lowercase letters, digits, hyphens or underscores, e.g. "incident" (see incident.config.example.yml)`,
      `${path}: incidentTypes.0.responders.0 must be a Slack user id such as U012AB3CD (see incident.config.example.yml)`,
      `${path}: incidentTypes.0.fields.0.kind must be one of short_text, long_text, number, single_select, multi_select, user, date (see incident.config.example.yml)`,
      `${path}: incidentTypes.0.fields.1.options must list the choices of a single_select (see incident.config.example.yml)`,
      `${path}: incidentTypes.0.fields.2.options is only for single_select and multi_select, not number (see incident.config.example.yml)`,
      `${path}: incidentTypes.1.label must not be empty (see incident.config.example.yml)`,
    ]);
  });

  it('refuses a type key or a field key used twice', () => {
    const path = file(`
incident_types:
  - key: security
    label: Security
    fields:
      - { key: tier, label: Tier, kind: short_text }
      - { key: tier, label: Tier again, kind: number }
  - { key: security, label: Security again }
`);
    expect(problems(path)).toEqual([
      `${path}: incidentTypes.0.fields.1.key "tier" appears twice; each field needs its own key (see incident.config.example.yml)`,
      `${path}: incidentTypes.1.key "security" appears twice; each type needs its own key (see incident.config.example.yml)`,
    ]);
  });

  it('refuses more options than Slack shows in a select', () => {
    const options = Array.from({ length: 101 }, (_unused, index) => `o${index}`).join(', ');
    const path = file(`incident_types:\n  - key: infra\n    label: Infrastructure\n    fields:\n      - { key: region, label: Region, kind: multi_select, options: [${options}] }\n`);
    expect(problems(path)).toEqual([`${path}: incidentTypes.0.fields.0.options must list at most 100 options (Slack's limit) (see incident.config.example.yml)`]);
  });
});
