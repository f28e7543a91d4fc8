import { describe, expect, it } from 'vitest';
import { checkDeclaration, IMPACT_MAX_LENGTH, TITLE_MAX_LENGTH } from '../../src/domain/declaration.js';

const valid = { title: 'Database connection failure', severity: 'SEV2', impact: 'API returns 500s', commanderId: 'U123ABC', isPrivate: false };

describe('checkDeclaration', () => {
  it('accepts a complete form and tidies whitespace', () => {
    const result = checkDeclaration({ ...valid, title: '  Database   connection\tfailure ' });
    expect(result).toEqual({ ok: true, declaration: { ...valid, severity: 'SEV2' } });
  });

  it.each([
    ['empty', ''],
    ['whitespace only', ' \t\n '],
    ['control characters only', '\u0000\u0007'],
    ['missing', null],
  ])('refuses a %s title on the title field', (_case, title) => {
    const result = checkDeclaration({ ...valid, title });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.title).toMatch(/title/i);
  });

  it('refuses an over-long title and impact, each on its own field', () => {
    const result = checkDeclaration({ ...valid, title: 'x'.repeat(TITLE_MAX_LENGTH + 1), impact: 'y'.repeat(IMPACT_MAX_LENGTH + 1) });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.title).toMatch(String(TITLE_MAX_LENGTH));
      expect(result.errors.impact).toMatch(String(IMPACT_MAX_LENGTH));
    }
  });

  it('accepts a title of exactly the limit', () => {
    expect(checkDeclaration({ ...valid, title: 'x'.repeat(TITLE_MAX_LENGTH) }).ok).toBe(true);
  });

  it('refuses unknown severities and missing commanders', () => {
    const result = checkDeclaration({ ...valid, severity: 'SEV9', commanderId: null });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.severity).toMatch(/SEV1/);
      expect(result.errors.commanderId).toMatch(/commander/i);
    }
  });

  it('strips control characters but keeps newlines in the impact', () => {
    const result = checkDeclaration({ ...valid, impact: 'line one\u0000\nline two' });
    expect(result.ok && result.declaration.impact).toBe('line one\nline two');
  });
});
