import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { configProblems as problems, minimalEnv as minimal, writeConfigFile as configFile } from '../support/configFiles.js';

const token = 'a3f1c9e07b2d4e5f8a6b';

describe('alert settings', () => {
  it('are off without ALERT_WEBHOOK_TOKEN, and on with it and a triage channel, with the default severity mapping', () => {
    expect(loadConfig(minimal).alerts).toBeUndefined();
    expect(loadConfig({ ...minimal, ALERT_WEBHOOK_TOKEN: token, INCIDENT_TRIAGE_CHANNEL: 'C0TRIAGE' }).alerts).toEqual({
      token,
      settings: { triageChannel: 'C0TRIAGE', severityLabels: { critical: 'SEV1', error: 'SEV2', warning: 'SEV3', info: 'SEV4' }, rules: [] },
    });
  });

  it('stop start-up with one line each: no triage channel, a channel name, a short or placeholder token', () => {
    expect(problems({ ...minimal, ALERT_WEBHOOK_TOKEN: token })).toEqual([expect.stringMatching(/^INCIDENT_TRIAGE_CHANNEL is missing: alerts are on \(ALERT_WEBHOOK_TOKEN is set\)/)]);
    expect(problems({ ...minimal, ALERT_WEBHOOK_TOKEN: token, INCIDENT_TRIAGE_CHANNEL: '#alerts' })).toEqual([expect.stringMatching(/^INCIDENT_TRIAGE_CHANNEL must be a channel id/)]);
    expect(problems({ ...minimal, ALERT_WEBHOOK_TOKEN: 'short', INCIDENT_TRIAGE_CHANNEL: 'C0TRIAGE' })).toEqual([expect.stringMatching(/^ALERT_WEBHOOK_TOKEN must be at least 16 characters/)]);
    expect(problems({ ...minimal, ALERT_WEBHOOK_TOKEN: 'your-alert-token-here', INCIDENT_TRIAGE_CHANNEL: 'C0TRIAGE' })).toEqual([expect.stringMatching(/^ALERT_WEBHOOK_TOKEN is still a placeholder/)]);
  });

  it('read the mapping and the rules from the file, label names kept as written', () => {
    const file = configFile(['alerts:', '  severity_labels: {Critical: SEV1, p2: SEV2}', '  rules:', '    - match: {team_name: payments, severity: critical}', '      declare: SEV1', '      commander: U0ONCALL', ''].join('\n'));
    const config = loadConfig({ ...minimal, ALERT_WEBHOOK_TOKEN: token, INCIDENT_TRIAGE_CHANNEL: 'C0TRIAGE', INCIDENT_CONFIG: file });
    expect(config.alerts?.settings).toEqual({
      triageChannel: 'C0TRIAGE',
      severityLabels: { critical: 'SEV1', p2: 'SEV2' },
      rules: [{ match: { team_name: 'payments', severity: 'critical' }, declare: 'SEV1', commander: 'U0ONCALL' }],
    });
  });

  it('name the file and the setting of a mistake in the rules', () => {
    const file = configFile(['alerts:', '  severity_labels: {critical: SEV0}', '  rules:', '    - match: {}', '      declare: SEV1', '    - match: {severity: critical}', '      declare: P1', ''].join('\n'));
    expect(problems({ ...minimal, INCIDENT_CONFIG: file })).toEqual([
      `${file}: alerts.severityLabels.critical must be one of SEV1, SEV2, SEV3, SEV4 (see incident.config.example.yml)`,
      `${file}: alerts.rules.0.match must name at least one label: a rule matching every alert would declare an incident for each (see incident.config.example.yml)`,
      `${file}: alerts.rules.1.declare must be one of SEV1, SEV2, SEV3, SEV4 (see incident.config.example.yml)`,
    ]);
  });

  it('are spelled out as the defaults in the example file shipped in the repository', () => {
    const env = { ...minimal, ALERT_WEBHOOK_TOKEN: token, INCIDENT_TRIAGE_CHANNEL: 'C0TRIAGE' };
    expect(loadConfig({ ...env, INCIDENT_CONFIG: 'incident.config.example.yml' }).alerts).toEqual(loadConfig(env).alerts);
  });
});
