import { describe, expect, it } from 'vitest';
import { incidentChannelName, MAX_CHANNEL_NAME_LENGTH, slugify } from '../../src/domain/channelName.js';

const SLACK_CHANNEL_NAME = /^[a-z0-9][a-z0-9_-]*$/;

describe('slugify', () => {
  it.each([
    ['Database connection failure', 'database-connection-failure'],
    ['  API: 500s on /checkout!!  ', 'api-500s-on-checkout'],
    ["Can't log in", 'cant-log-in'],
    ['Café & Crème brûlée', 'cafe-creme-brulee'],
    ['Сбой базы данных', 'sboy-bazy-dannykh'],
    ['Ελληνικά', 'ellinika'],
  ])('%s → %s', (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });

  it('transliterates Chinese and Japanese instead of dropping them', () => {
    expect(slugify('数据库故障')).toMatch(/^[a-z0-9-]+$/);
    expect(slugify('数据库故障').length).toBeGreaterThan(3);
    expect(slugify('ログインできない')).toMatch(/^[a-z0-9-]+$/);
  });

  it('is empty when nothing survives', () => {
    expect(slugify('!!! ??? ---')).toBe('');
  });
});

describe('incidentChannelName', () => {
  it('is <prefix>-<date>-<slug>', () => {
    expect(incidentChannelName('incident', '2026-11-23', 'Database connection failure')).toBe(
      'incident-2026-11-23-database-connection-failure',
    );
  });

  it('adds -2, -3 for later attempts', () => {
    expect(incidentChannelName('incident', '2026-11-23', 'Checkout down', 2)).toBe('incident-2026-11-23-checkout-down-2');
    expect(incidentChannelName('inc', '2026-11-23', 'Checkout down', 13)).toBe('inc-2026-11-23-checkout-down-13');
  });

  it('falls back to a readable slug when the title has no usable characters', () => {
    expect(incidentChannelName('incident', '2026-11-23', '!!!')).toBe('incident-2026-11-23-incident');
  });

  it('never exceeds 80 characters, suffix included, and cuts at a word', () => {
    const title = 'Payments are failing for every customer in the European region after the deploy of the new gateway';
    for (const attempt of [1, 2, 10, 100]) {
      const name = incidentChannelName('incident', '2026-11-23', title, attempt);
      expect(name.length).toBeLessThanOrEqual(MAX_CHANNEL_NAME_LENGTH);
      expect(name).toMatch(SLACK_CHANNEL_NAME);
      expect(name).not.toMatch(/--|-$/);
    }
    expect(incidentChannelName('incident', '2026-11-23', title)).toBe(
      'incident-2026-11-23-payments-are-failing-for-every-customer-in-the-european',
    );
  });

  it('cuts an unbroken slug mid-word rather than leaving it empty', () => {
    const name = incidentChannelName('incident', '2026-11-23', 'x'.repeat(200), 3);
    expect(name.length).toBe(MAX_CHANNEL_NAME_LENGTH);
    expect(name.endsWith('-3')).toBe(true);
  });

  it('always yields a valid Slack channel name', () => {
    const titles = ['🔥🔥🔥', '   ', '---', 'a', 'ÄÖÜ', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', 'tab\there', 'new\nline', '<script>alert(1)</script>', '١٢٣ عربى'];
    for (const title of titles) {
      const name = incidentChannelName('incident', '2026-11-23', title, 2);
      expect(name, title).toMatch(SLACK_CHANNEL_NAME);
      expect(name.length).toBeLessThanOrEqual(MAX_CHANNEL_NAME_LENGTH);
    }
  });
});
