import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config.js';

const minimal = { SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 'abcdef0123456789abcdef' };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('fills in the documented defaults', () => {
    const config = loadConfig(minimal);
    expect(config).toMatchObject({
      mode: 'http',
      port: 3000,
      databasePath: './data/incidents.db',
      channelPrefix: 'incident',
      timeZone: 'UTC',
      logLevel: 'info',
      announceChannel: undefined,
      slack: { apiUrl: 'https://slack.com/api/', appToken: undefined },
    });
  });

  it('runs on PostgreSQL when DATABASE_URL is set, with its pool size and statement timeout', () => {
    expect(loadConfig(minimal).postgres).toBeUndefined();
    expect(loadConfig({ ...minimal, DATABASE_URL: 'postgres://bot:s3cret@db:5432/incidents' }).postgres).toEqual({ url: 'postgres://bot:s3cret@db:5432/incidents', poolSize: 10, statementTimeoutMs: 15_000 });
    expect(loadConfig({ ...minimal, DATABASE_URL: 'postgresql://db/incidents', DATABASE_POOL_SIZE: '4', DATABASE_STATEMENT_TIMEOUT: '1m' }).postgres).toEqual({ url: 'postgresql://db/incidents', poolSize: 4, statementTimeoutMs: 60_000 });
  });

  it('names a wrong DATABASE_URL without repeating it, since it holds the password', () => {
    const found = problems({ ...minimal, DATABASE_URL: 'mysql://bot:s3cret@db/incidents', DATABASE_POOL_SIZE: '0' });
    expect(found).toEqual([
      'DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@host:5432/incidents (see .env.example)',
      'DATABASE_POOL_SIZE must be between 1 and 100 (see .env.example)',
    ]);
    expect(found.join('\n')).not.toContain('s3cret');
  });

  it('uses Socket Mode when an app token is set, and then needs no signing secret', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1-A-1-abc' });
    expect(config.mode).toBe('socket');
  });

  it('reads responders and reminder intervals, per severity where given', () => {
    const config = loadConfig({ ...minimal, INCIDENT_RESPONDERS: 'U012AB3CD, W0ABC', INCIDENT_UPDATE_INTERVAL: '45m', INCIDENT_UPDATE_INTERVAL_SEV1: '15m' });
    expect(config.responders).toEqual(['U012AB3CD', 'W0ABC']);
    expect(config.reminders).toEqual({ defaultIntervalMs: 45 * 60_000, perSeverity: { SEV1: 15 * 60_000 }, autoPost: ['SEV1', 'SEV2'], autoPostAfterMs: undefined });
    expect(loadConfig(minimal).reminders).toEqual({ defaultIntervalMs: 30 * 60_000, perSeverity: {}, autoPost: ['SEV1', 'SEV2'], autoPostAfterMs: undefined });
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ ...minimal, INCIDENT_ANNOUNCE_CHANNEL: '', PORT: ' ' }).port).toBe(3000);
  });

  it('adds the trailing slash the Web API client needs', () => {
    expect(loadConfig({ ...minimal, SLACK_API_URL: 'http://127.0.0.1:9999/api' }).slack.apiUrl).toBe('http://127.0.0.1:9999/api/');
  });

  it.each([
    [{ SLACK_SIGNING_SECRET: minimal.SLACK_SIGNING_SECRET }, /^SLACK_BOT_TOKEN is missing/],
    [{ SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: minimal.SLACK_SIGNING_SECRET }, /^SLACK_BOT_TOKEN is missing/],
    [{ SLACK_BOT_TOKEN: 'xoxp-user-token', SLACK_SIGNING_SECRET: minimal.SLACK_SIGNING_SECRET }, /^SLACK_BOT_TOKEN must be a bot token/],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, /^SLACK_SIGNING_SECRET is missing/],
    [{ ...minimal, SLACK_APP_TOKEN: 'xoxb-wrong' }, /^SLACK_APP_TOKEN must be an app-level token/],
    [{ ...minimal, PORT: 'eighty' }, /^PORT must be a port number/],
    [{ ...minimal, PORT: '70000' }, /^PORT must be between/],
    [{ ...minimal, INCIDENT_ANNOUNCE_CHANNEL: '#incidents' }, /^INCIDENT_ANNOUNCE_CHANNEL must be a channel id/],
    [{ ...minimal, INCIDENT_CHANNEL_PREFIX: 'Incident!' }, /^INCIDENT_CHANNEL_PREFIX must be/],
    [{ ...minimal, INCIDENT_TIMEZONE: 'Mars/Olympus' }, /^INCIDENT_TIMEZONE must be an IANA time zone/],
    [{ ...minimal, LOG_LEVEL: 'loud' }, /^LOG_LEVEL must be one of/],
    [{ ...minimal, SLACK_API_URL: 'not a url' }, /^SLACK_API_URL must be a URL/],
    [{ ...minimal, INCIDENT_RESPONDERS: 'U012AB3CD, alice' }, /^INCIDENT_RESPONDERS must be Slack user ids/],
    [{ ...minimal, INCIDENT_UPDATE_INTERVAL: '30' }, /^INCIDENT_UPDATE_INTERVAL must be a duration such as 45s/],
    [{ ...minimal, INCIDENT_UPDATE_INTERVAL_SEV1: 'fast' }, /^INCIDENT_UPDATE_INTERVAL_SEV1 must be a duration/],
  ])('names the variable that is wrong: %j', (env, expected) => {
    const found = problems(env as Record<string, string>);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(expected);
    expect(found[0]).not.toMatch(/\n/);
  });

  it('reports every problem at once: missing settings, wrong ones and the configuration file\'s', () => {
    const dir = mkdtempSync(join(tmpdir(), 'incident-config-'));
    const path = join(dir, 'incident.config.yml');
    writeFileSync(path, 'updateIntervall: 10m\n');
    const found = problems({ LOG_LEVEL: 'loud', INCIDENT_CONFIG: path });
    expect(found.map((line) => line.split(' ')[0])).toEqual(['SLACK_BOT_TOKEN', 'LOG_LEVEL', 'SLACK_SIGNING_SECRET', `${path}:`]);
    expect(found[0]).toMatch(/^SLACK_BOT_TOKEN is missing/);
    expect(found[2]).toMatch(/^SLACK_SIGNING_SECRET is missing/);
  });

  it.each([
    ['SLACK_BOT_TOKEN', 'xoxb-your-bot-token', /Bot User OAuth Token from https:\/\/api\.slack\.com\/apps → your app → OAuth & Permissions/],
    ['SLACK_BOT_TOKEN', 'xoxb-...', /OAuth & Permissions/],
    ['SLACK_SIGNING_SECRET', 'your-signing-secret', /Signing Secret from .* → Basic Information → App Credentials/],
    ['SLACK_SIGNING_SECRET', '<signing secret>', /Signing Secret/],
    ['SLACK_APP_TOKEN', 'xapp-your-app-token', /app-level token from .* → Basic Information → App-Level Tokens/],
    ['SLACK_APP_TOKEN', 'xapp-1-XXXXXXXX', /App-Level Tokens/],
  ])('refuses the placeholder left in %s (%s) and says where the real one is', (variable, value, where) => {
    const found = problems({ ...minimal, [variable]: value });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(new RegExp(`^${variable} is still a placeholder: paste the real `));
    expect(found[0]).toMatch(where);
  });

  it('takes real-looking tokens whose random part happens to contain a word', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1234-5678-yourFillxxxPaste0here', SLACK_APP_TOKEN: 'xapp-1-A0XXX-99-abcxxx' }).mode).toBe('socket');
  });

  it('the .env.example shipped in the repository is refused until its placeholders are replaced', () => {
    const example = Object.fromEntries(
      readFileSync('.env.example', 'utf8')
        .split('\n')
        .filter((line) => /^[A-Z_0-9]+=/.test(line))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    const found = problems(example);
    expect(found.map((line) => line.split(' ').slice(0, 4).join(' '))).toEqual(['SLACK_BOT_TOKEN is still a', 'SLACK_SIGNING_SECRET is missing: set']);
  });
});

describe('automatic status updates (INCIDENT_AUTO_UPDATE)', () => {
  it.each([
    ['SEV1,SEV2', ['SEV1', 'SEV2']],
    ['sev3', ['SEV3']],
    ['SEV4, sev1 SEV1', ['SEV4', 'SEV1']],
    ['none', []],
    ['NONE', []],
    ['', ['SEV1', 'SEV2']],
    ['  ', ['SEV1', 'SEV2']],
  ])('reads %j', (value, severities) => {
    expect(loadConfig({ ...minimal, INCIDENT_AUTO_UPDATE: value }).reminders.autoPost).toEqual(severities);
  });

  it.each(['SEV5', 'none,SEV1', 'yes', 'SEV1;SEV2', ',', ' , '])('refuses %j in one line naming the variable', (value) => {
    expect(problems({ ...minimal, INCIDENT_AUTO_UPDATE: value })).toEqual(['INCIDENT_AUTO_UPDATE must be severities such as SEV1,SEV2, or none (see .env.example)']);
  });
});

describe('the incident configuration file (INCIDENT_CONFIG)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'incident-config-'));
  let counter = 0;
  const file = (yaml: string) => {
    const path = join(dir, `config-${++counter}.yml`);
    writeFileSync(path, yaml);
    return path;
  };

  it('the example shipped in the repository is valid and spells out the defaults', () => {
    const config = loadConfig({ ...minimal, INCIDENT_CONFIG: 'incident.config.example.yml' });
    const defaults = loadConfig(minimal);
    expect(config.configFile).toBe('incident.config.example.yml');
    expect(config.severities).toEqual(defaults.severities);
    expect(config.review).toEqual(defaults.review);
    expect(config.reminders.perSeverity).toEqual({ SEV1: 15 * 60_000 });
    expect(config.reminders.autoPost).toEqual(defaults.reminders.autoPost);
    for (const level of ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const) {
      expect(config.escalation[level].map((tier) => [tier.name, tier.afterMs])).toEqual(defaults.escalation[level].map((tier) => [tier.name, tier.afterMs]));
    }
    expect(config.escalation.SEV1[0]).toEqual({ name: 'On-call engineer', afterMs: 0, page: ['@oncall'], until: 'acknowledged' });
    expect(config.drills).toEqual(defaults.drills);
  });

  it('keeps drills in their channel unless drills.announce or drills.page say otherwise, and checks both', () => {
    expect(loadConfig(minimal).drills).toMatchObject({ announce: false, page: false });
    expect(loadConfig({ ...minimal, INCIDENT_CONFIG: file('drills:\n  page: true\n') }).drills).toMatchObject({ announce: false, page: true });
    const path = file('drills:\n  announce: yes please\n  pages: true\n');
    expect(problems({ ...minimal, INCIDENT_CONFIG: path })).toEqual([
      `${path}: drills.announce must be true or false (see incident.config.example.yml)`,
      `${path}: drills has unknown setting "pages" (see incident.config.example.yml)`,
    ]);
  });

  it('records Slack\'s own pins unless timeline.slack_pins says ignore, and checks the setting', () => {
    expect(loadConfig(minimal).slackPins).toBe('record');
    expect(loadConfig({ ...minimal, INCIDENT_CONFIG: file('timeline:\n  slack_pins: ignore\n') }).slackPins).toBe('ignore');
    expect(loadConfig({ ...minimal, INCIDENT_CONFIG: file('timeline:\n  slack_pins: record\n') }).slackPins).toBe('record');
    const path = file('timeline:\n  slack_pins: never\n  pushpins: true\n');
    expect(problems({ ...minimal, INCIDENT_CONFIG: path })).toEqual([
      `${path}: timeline.slackPins must be "record" or "ignore" (see incident.config.example.yml)`,
      `${path}: timeline has unknown setting "pushpins" (see incident.config.example.yml)`,
    ]);
  });

  it('overrides only what it names; the environment wins over its intervals', () => {
    const path = file(`
updateInterval: 20m
severities:
  SEV2:
    name: Major
    updateInterval: 10m
    escalation:
      - { tier: Duty manager, after: 45m, page: [U0DUTY, S0LEADS] }
postMortemReview:
  within: 48h
`);
    const config = loadConfig({ ...minimal, INCIDENT_CONFIG: path, INCIDENT_UPDATE_INTERVAL_SEV1: '5m' });
    expect(config.reminders).toMatchObject({ defaultIntervalMs: 20 * 60_000, perSeverity: { SEV2: 10 * 60_000, SEV1: 5 * 60_000 } });
    expect(config.severities.find((severity) => severity.level === 'SEV2')).toMatchObject({ name: 'Major', responseTime: 'Urgent (< 1 hour)' });
    expect(config.escalation.SEV2).toEqual([{ name: 'Duty manager', afterMs: 45 * 60_000, page: ['U0DUTY', 'S0LEADS'], until: 'resolved' }]);
    expect(config.escalation.SEV1.map((tier) => tier.name)).toEqual(['On-call engineer', 'Team lead', 'Engineering manager', 'CTO']);
    expect(config.review).toEqual({ severities: ['SEV1', 'SEV2'], withinMs: 48 * 3_600_000, remindEveryMs: 6 * 3_600_000 });
    expect(loadConfig({ ...minimal, INCIDENT_CONFIG: path, INCIDENT_UPDATE_INTERVAL: '1h' }).reminders.defaultIntervalMs).toBe(3_600_000);
  });

  it('automatic updates: each severity\'s autoPost changes the default set, and the environment wins over the file', () => {
    const path = file('severities:\n  SEV1:\n    autoPost: false\n  SEV3:\n    autoPost: true\n');
    expect(loadConfig({ ...minimal, INCIDENT_CONFIG: path }).reminders.autoPost).toEqual(['SEV2', 'SEV3']);
    expect(loadConfig({ ...minimal, INCIDENT_CONFIG: path, INCIDENT_AUTO_UPDATE: 'SEV1' }).reminders.autoPost).toEqual(['SEV1']);
    expect(loadConfig({ ...minimal, INCIDENT_CONFIG: path, INCIDENT_AUTO_UPDATE: 'none' }).reminders.autoPost).toEqual([]);
    // Left blank in .env: the file decides.
    expect(loadConfig({ ...minimal, INCIDENT_CONFIG: path, INCIDENT_AUTO_UPDATE: '' }).reminders.autoPost).toEqual(['SEV2', 'SEV3']);
    expect(loadConfig({ ...minimal, INCIDENT_CONFIG: file('severities:\n  SEV4:\n    autoPost: false\n') }).reminders.autoPost).toEqual(['SEV1', 'SEV2']);
  });

  it.each([
    ['autoPostAfter: 2m\n', 2 * 60_000],
    ['autoPostAfter: 0\n', 0],
    ['autoPostAfter: "0"\n', 0],
    ['auto_post_after: 90s\n', 90_000],
    ['# no autoPostAfter\n', undefined],
  ])('reads how long the bot waits after the reminder: %j', (yaml, ms) => {
    expect(loadConfig({ ...minimal, INCIDENT_CONFIG: file(yaml) }).reminders.autoPostAfterMs).toBe(ms);
  });

  it('takes snake_case keys as YAML files often have them', () => {
    const path = file('update_interval: 20m\nseverities:\n  SEV3:\n    auto_post: true\n    update_interval: 10m\n    response_time: Same day\n  SEV2:\n    auto_post: false\npost_mortem_review:\n  remind_every: 2h\n');
    const config = loadConfig({ ...minimal, INCIDENT_CONFIG: path });
    expect(config.reminders).toMatchObject({ defaultIntervalMs: 20 * 60_000, perSeverity: { SEV3: 10 * 60_000 }, autoPost: ['SEV1', 'SEV3'] });
    expect(config.severities.find((severity) => severity.level === 'SEV3')?.responseTime).toBe('Same day');
    expect(config.review.remindEveryMs).toBe(2 * 3_600_000);
  });

  it('leaves values as written: only keys are read in camelCase', () => {
    const path = file('severities:\n  SEV1:\n    name: on_call_first\n    escalation:\n      - { tier: first_responder, after: 0, page: [U0DUTY] }\n');
    const config = loadConfig({ ...minimal, INCIDENT_CONFIG: path });
    expect(config.severities.find((severity) => severity.level === 'SEV1')?.name).toBe('on_call_first');
    expect(config.escalation.SEV1.map((tier) => tier.name)).toEqual(['first_responder']);
  });

  it('an empty file changes nothing', () => {
    expect(loadConfig({ ...minimal, INCIDENT_CONFIG: file('# nothing yet\n') }).escalation).toEqual(loadConfig(minimal).escalation);
  });

  it.each([
    ['severities:\n  SEV1:\n    escalation:\n      - { tier: Lead, after: soon }\n', /: severities\.SEV1\.escalation\.0\.after must be a duration such as 45s.*not "soon"/],
    ['severities:\n  SEV1:\n    escalation:\n      - { tier: Lead, after: 1h, page: [alice] }\n', /: severities\.SEV1\.escalation\.0\.page\.0 must be a Slack user id \(U0123ABCD\), a user-group id/],
    ['severities:\n  SEV1:\n    escalation:\n      - { tier: Lead, after: 1h }\n      - { tier: Lead, after: 2h }\n', /: severities\.SEV1\.escalation\.1\.tier "Lead" appears twice/],
    ['severities:\n  SEV5:\n    name: Trivial\n', /: severities has unknown setting "SEV5"/],
    ['updateIntervall: 10m\n', /: the file has unknown setting "updateIntervall"/],
    ['severities:\n  SEV1:\n    escalation:\n      - { tier: Lead, after: 1h, until: fixed }\n', /until must be "acknowledged" or "resolved"/],
    ['postMortemReview:\n  severities: [SEV9]\n', /postMortemReview\.severities\.0 must be one of SEV1, SEV2, SEV3, SEV4/],
    ['severities: [SEV1\n', /cannot be read: /],
    ['severities:\n  SEV1:\n    autoPost: yes\n', /: severities\.SEV1\.autoPost must be true or false/],
    ['severities:\n  SEV2:\n    auto_post: "false"\n', /: severities\.SEV2\.autoPost must be true or false/],
    ['severities:\n  SEV2:\n    autoPost: 1\n', /: severities\.SEV2\.autoPost must be true or false/],
    ['autoPostAfter: soon\n', /: autoPostAfter must be a duration such as 45s.*, or 0, not "soon"/],
    ['autoPost: true\n', /: the file has unknown setting "autoPost"/],
  ])('reports a mistake in one line naming the file and the setting: %j', (yaml, expected) => {
    const path = file(yaml);
    const found = problems({ ...minimal, INCIDENT_CONFIG: path });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(expected);
    expect(found[0]!.startsWith(path)).toBe(true);
    expect(found[0]).toMatch(/\(see incident\.config\.example\.yml\)$/);
    expect(found[0]).not.toMatch(/\n/);
  });

  it('says so when INCIDENT_CONFIG points at a file that is not there', () => {
    expect(problems({ ...minimal, INCIDENT_CONFIG: join(dir, 'missing.yml') })).toEqual([`${join(dir, 'missing.yml')} (INCIDENT_CONFIG) cannot be read: the file does not exist (see incident.config.example.yml)`]);
  });
});
