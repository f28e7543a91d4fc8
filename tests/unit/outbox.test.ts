import { describe, expect, it } from 'vitest';
import { DEFAULT_OUTBOX_SETTINGS, httpResult, retryAfterMsOf, retryDelayMs, settle } from '../../src/domain/outbox.js';

/** The outbox's retry rules: how long to wait, when to give up, when the channel is told. */
describe('outbox retries', () => {
  const policy = DEFAULT_OUTBOX_SETTINGS;
  const created = new Date('2026-11-24T02:00:00Z');
  const at = (ms: number) => new Date(created.getTime() + ms);
  const failure = { ok: false as const, error: 'HTTP 500', permanent: false };

  it('retries first within 30 s, doubling to a 15 min cap, jittered within ±20 %', () => {
    const low = () => 0;
    const high = () => 0.999_999;
    expect(retryDelayMs(policy, 1, low)).toBe(12_000);
    expect(retryDelayMs(policy, 1, high)).toBeLessThanOrEqual(18_000);
    expect(retryDelayMs(policy, 2, low)).toBe(24_000);
    expect(retryDelayMs(policy, 3, low)).toBe(48_000);
    expect(retryDelayMs(policy, 20, high)).toBeLessThanOrEqual(18 * 60_000);
    expect(retryDelayMs(policy, 20, low)).toBe(12 * 60_000);
  });

  it('tells the channel once, at the third failed attempt', () => {
    expect(settle(policy, { attempts: 2, createdAt: created, reported: null }, failure, at(60_000), () => 0.5)).toEqual({ state: 'pending', retryAt: at(60_000 + 30_000), error: 'HTTP 500', tell: null });
    expect(settle(policy, { attempts: 3, createdAt: created, reported: null }, failure, at(60_000), () => 0.5)).toMatchObject({ state: 'pending', tell: 'failing' });
    expect(settle(policy, { attempts: 4, createdAt: created, reported: 'failing' }, failure, at(60_000), () => 0.5)).toMatchObject({ state: 'pending', tell: null });
  });

  it('gives up when the next try would come after a day, and says so once', () => {
    const late = at(policy.giveUpAfterMs - 1000);
    expect(settle(policy, { attempts: 40, createdAt: created, reported: 'failing' }, failure, late, () => 0.5)).toEqual({ state: 'failed', error: 'HTTP 500', tell: 'given_up' });
  });

  it('gives up at once on a refusal that will not change, and says that a reported send got through', () => {
    expect(settle(policy, { attempts: 1, createdAt: created, reported: null }, { ok: false, error: 'HTTP 404', permanent: true }, at(1000))).toEqual({ state: 'failed', error: 'HTTP 404', tell: 'given_up' });
    expect(settle(policy, { attempts: 5, createdAt: created, reported: 'failing' }, { ok: true }, at(1000))).toEqual({ state: 'sent', tellRecovered: true });
    expect(settle(policy, { attempts: 1, createdAt: created, reported: null }, { ok: true }, at(1000))).toEqual({ state: 'sent', tellRecovered: false });
  });

  it('waits as long as a 429 asks', () => {
    const result = httpResult(429, '120', at(0));
    expect(result).toEqual({ ok: false, error: 'HTTP 429', permanent: false, retryAfterMs: 120_000 });
    expect(settle(policy, { attempts: 1, createdAt: created, reported: null }, result, at(0))).toMatchObject({ state: 'pending', retryAt: at(120_000) });
    expect(retryAfterMsOf(new Date(at(90_000)).toUTCString(), at(0))).toBe(90_000);
    expect(retryAfterMsOf('soon', at(0))).toBeUndefined();
  });

  it('reads 2xx as sent, 408, 429 and 5xx as worth another try, any other answer as final', () => {
    expect(httpResult(204, null, at(0))).toEqual({ ok: true });
    expect(httpResult(408, null, at(0))).toMatchObject({ permanent: false });
    expect(httpResult(503, null, at(0))).toMatchObject({ permanent: false });
    expect(httpResult(400, null, at(0))).toMatchObject({ permanent: true });
    expect(httpResult(401, null, at(0))).toMatchObject({ permanent: true });
    expect(httpResult(301, null, at(0))).toMatchObject({ permanent: true });
  });
});
