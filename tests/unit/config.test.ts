import { describe, expect, it } from 'vitest';
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

  it('uses Socket Mode when an app token is set, and then needs no signing secret', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1-A-1-abc' });
    expect(config.mode).toBe('socket');
  });

  it('reads responders and reminder intervals, per severity where given', () => {
    const config = loadConfig({ ...minimal, INCIDENT_RESPONDERS: 'U012AB3CD, W0ABC', INCIDENT_UPDATE_INTERVAL: '45m', INCIDENT_UPDATE_INTERVAL_SEV1: '15m' });
    expect(config.responders).toEqual(['U012AB3CD', 'W0ABC']);
    expect(config.reminders).toEqual({ defaultIntervalMs: 45 * 60_000, perSeverity: { SEV1: 15 * 60_000 } });
    expect(loadConfig(minimal).reminders).toEqual({ defaultIntervalMs: 30 * 60_000, perSeverity: {} });
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ ...minimal, INCIDENT_ANNOUNCE_CHANNEL: '', PORT: ' ' }).port).toBe(3000);
  });

  it('adds the trailing slash the Web API client needs', () => {
    expect(loadConfig({ ...minimal, SLACK_API_URL: 'http://127.0.0.1:9999/api' }).slack.apiUrl).toBe('http://127.0.0.1:9999/api/');
  });

  it.each([
    [{}, /^SLACK_BOT_TOKEN is missing/],
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
});
