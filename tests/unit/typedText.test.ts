import { describe, expect, it } from 'vitest';
import { checkDeclaration } from '../../src/domain/declaration.js';
import { cleanTypedText } from '../../src/domain/text.js';
import { escapeMrkdwn, escapeTypedText, slackMarkupAsText } from '../../src/render/mrkdwn.js';
import { slackToMarkdown } from '../../src/render/slackMarkup.js';
import { declareModal } from '../../src/slack/views/declareModal.js';
import { readNoteForm, readResolveForm, readUpdateForm } from '../../src/slack/views/incidentModals.js';
import { cutPoint, mrkdwnSections, truncate } from '../../src/slack/views/blocks.js';
import { DEFAULT_SEVERITY, SEVERITIES } from '../../src/domain/severity.js';
import { brokenTextProblem, validateMessageBlocks } from '../../src/sandbox/blockKitRules.js';

const TECHNOLOGIST = '👩‍💻'; // woman, zero-width joiner, laptop
const RAINBOW_FLAG = '🏳️‍🌈'; // white flag, variation selector 16, zero-width joiner, rainbow
const SCOTLAND = '🏴󠁧󠁢󠁳󠁣󠁴󠁿'; // black flag and tag characters
const KEYCAP_ONE = '1️⃣';

describe('what people type is cleaned the same way everywhere', () => {
  it.each([
    ['a zero-width space', 'db\u200Bdown', 'dbdown'],
    ['a right-to-left override', 'pay \u202Egnp.exe', 'pay gnp.exe'],
    ['a bell and other control characters', 'ding\u0007\u0000\u001B[31m', 'ding[31m'],
    ['a byte-order mark and a soft hyphen', '\uFEFFdata\u00ADbase', 'database'],
    ['a word joiner, an invisible separator and a Hangul filler', 'a\u2060b\u2063c\u3164', 'abc'],
    ['a lone zero-width joiner between letters', 'a\u200Db', 'ab'],
    ['tag characters hiding text', 'ok\u{E0069}\u{E0067}\u{E006E}', 'ok'],
    ['a run of variation selectors hiding data', 'hi😀\uFE0F\uFE01\u{E0100}\u{E0101}', 'hi😀\uFE0F'],
    ['a variation selector after nothing', '\uFE0F start \uFE0Fmid', 'start mid'],
    ['Windows line ends and a line separator', 'one\r\ntwo\u2028three\rfour', 'one\ntwo\nthree\nfour'],
  ])('drops %s', (_case, typed, cleaned) => {
    expect(cleanTypedText(typed)).toBe(cleaned);
  });

  it.each([
    ['an emoji joined with a zero-width joiner', `${TECHNOLOGIST} on call`],
    ['a family of four', '👨‍👩‍👧‍👦'],
    ['a skin tone before the joiner', '👩🏽‍💻'],
    ['a variation selector before the joiner', RAINBOW_FLAG],
    ['a heart on fire', '❤️‍🔥'],
    ['a subdivision flag', SCOTLAND],
    ['a keycap', KEYCAP_ONE],
    ['accents, tabs and new lines', 'café\tnaïve\nline two'],
    ['text in other scripts', 'Ошибка базы данных · データベース障害 · عطل'],
  ])('keeps %s', (_case, typed) => {
    expect(cleanTypedText(typed)).toBe(typed);
  });

  it('a declared title keeps its emoji and loses what nobody sees', () => {
    const check = checkDeclaration({ title: `  ${TECHNOLOGIST}\u200B laptops\u202E down\u0007 `, severity: 'SEV2', impact: 'line one\u200B\r\nline two', commanderId: 'UBOB', isPrivate: false });
    expect(check).toMatchObject({ ok: true, declaration: { title: `${TECHNOLOGIST} laptops down`, impact: 'line one\nline two' } });
  });

  it('the update, note and resolve forms are read cleaned, keeping line breaks', () => {
    const field = (value: string) => ({ type: 'plain_text_input', value });
    const update = readUpdateForm({
      status: { status: { selected_option: { value: 'identified' } } },
      what_changed: { what_changed: field('pool\u200B exhausted\u0007\nafter deploy') },
      impact: { impact: field('\u202Echeckout') },
      next_steps: { next_steps: field(`roll back ${TECHNOLOGIST}\uFEFF`) },
    });
    expect(update).toEqual({ status: 'identified', whatChanged: 'pool exhausted\nafter deploy', impact: 'checkout', nextSteps: `roll back ${TECHNOLOGIST}` });
    expect(readNoteForm({ note: { note: field(' \u200Bseen\u0007 ') } })).toBe('seen');
    expect(readResolveForm({ summary: { summary: field('rolled\u200B back') }, root_cause: { root_cause: field('\u202Ebad config') } })).toEqual({ summary: 'rolled back', rootCause: 'bad config' });
  });

  it('a form of only invisible characters reads as empty', () => {
    expect(checkDeclaration({ title: '\u200B\u200D\u202E', severity: 'SEV2', impact: '', commanderId: 'UBOB', isPrivate: false }).ok).toBe(false);
    expect(readNoteForm({ note: { note: { value: '\u200B\u0007' } } })).toBe('');
  });
});

describe('typed text shown in Slack', () => {
  it.each([
    ['a user mention', 'asked <@UCOMMAND1|ivan>', 'asked <@UCOMMAND1|ivan>'],
    ['a channel mention', 'see <#C0123|general>', 'see <#C0123|general>'],
    ['a labelled link', 'see <https://grafana.example/d?a=1&b=2|dash & board>', 'see <https://grafana.example/d?a=1&amp;b=2|dash &amp; board>'],
    ['a bare link and an e-mail link', '<https://status.example> <mailto:ops@example.com>', '<https://status.example> <mailto:ops@example.com>'],
    ['@channel', 'wake up <!channel>', 'wake up &lt;!channel&gt;'],
    ['@here and @everyone', '<!here> <!everyone>', '&lt;!here&gt; &lt;!everyone&gt;'],
    ['a user group', 'paging <!subteam^S0123|@oncall>', 'paging &lt;!subteam^S0123|@oncall&gt;'],
    ['a date', '<!date^1392734382^{date}|Feb 18>', '&lt;!date^1392734382^{date}|Feb 18&gt;'],
    ['typed angle brackets and ampersands', 'a < b && <b>bold</b> > c', 'a &lt; b &amp;&amp; &lt;b&gt;bold&lt;/b&gt; &gt; c'],
    ['a link with a script scheme', '<javascript:alert(1)|click>', '&lt;javascript:alert(1)|click&gt;'],
    ['markup that looks like a mention but is not one', '<@lowercase> <#>', '&lt;@lowercase&gt; &lt;#&gt;'],
  ])('%s', (_case, typed, shown) => {
    expect(escapeTypedText(typed)).toBe(shown);
  });

  it('titles stay text: every angle bracket is escaped', () => {
    expect(escapeMrkdwn('<@U1> & <https://x>')).toBe('&lt;@U1&gt; &amp; &lt;https://x&gt;');
  });

  it('a title typed after /incident declare is prefilled as a person would write it', () => {
    expect(slackMarkupAsText('asked <@UCOMMAND1|ivan> in <#C1|general>, see <https://x.example|dashboard>, <!here> <!subteam^S1|@oncall> <https://y.example>')).toBe(
      'asked @ivan in #general, see dashboard, @here @oncall https://y.example',
    );
    const view = declareModal({ severities: SEVERITIES, defaultSeverity: DEFAULT_SEVERITY, title: 'db down, asked <@UCOMMAND1|ivan>', commanderId: 'UALICE', metadata: { channelId: 'C1' } });
    expect(JSON.stringify(view)).toContain('"initial_value":"db down, asked @ivan"');
  });

  it('a prefilled title too long for the form is cut before an emoji, not through it', () => {
    const view = declareModal({ severities: SEVERITIES, defaultSeverity: DEFAULT_SEVERITY, title: `${'x'.repeat(118)}${TECHNOLOGIST}`, commanderId: 'UALICE', metadata: { channelId: 'C1' } });
    expect(JSON.stringify(view)).toContain(`"initial_value":"${'x'.repeat(118)}"`);
  });

  it('the post-mortem still shows names and links for text stored as typed', () => {
    const stored = 'asked <@UCOMMAND1|ivan> in <#C1|general>, see <https://grafana.example/d?a=1&b=2|dashboard> <!channel>';
    expect(slackToMarkdown(stored, { user: (id) => (id === 'UCOMMAND1' ? 'ivan' : id) })).toBe(
      'asked @ivan in #general, see [dashboard](https://grafana.example/d?a=1&b=2) @channel',
    );
  });
});

describe('long text is cut between entities, mentions, links and characters', () => {
  /** Every position where a cut would leave debris: inside an entity, a <…> or a character. */
  function unsafeCuts(text: string): Set<number> {
    const unsafe = new Set<number>();
    for (const match of text.matchAll(/&[a-z]+;|<[^<>]*>/g)) for (let i = match.index + 1; i < match.index + match[0].length; i += 1) unsafe.add(i);
    let at = 0;
    for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) {
      for (let i = at + 1; i < at + segment.length; i += 1) unsafe.add(i);
      at += segment.length;
    }
    return unsafe;
  }

  const shown = escapeTypedText(`${'a < b & c > d '.repeat(3)}<@UCOMMAND1|ivan> <https://grafana.example/d?x=1&y=2|board> ${TECHNOLOGIST}${RAINBOW_FLAG}😀é`);

  it('cuts at the nearest safe place at or before every limit', () => {
    const unsafe = unsafeCuts(shown);
    expect(unsafe.size).toBeGreaterThan(40);
    for (let limit = 1; limit < shown.length; limit += 1) {
      const cut = cutPoint(shown, limit);
      expect(cut).toBeLessThanOrEqual(limit);
      expect(cut).toBeGreaterThan(0);
      expect(unsafe.has(cut), `limit ${limit} cut at ${cut}: …${shown.slice(cut - 8, cut)}|${shown.slice(cut, cut + 8)}…`).toBe(false);
      for (let between = cut + 1; between <= limit; between += 1) expect(unsafe.has(between)).toBe(true);
    }
  });

  it('a truncated text ends with an ellipsis after a whole entity, link or character', () => {
    for (let limit = 2; limit < shown.length; limit += 1) {
      const cut = truncate(shown, limit);
      expect(cut.length).toBeLessThanOrEqual(limit);
      expect(brokenTextProblem(cut.slice(0, -1), 'mrkdwn')).toBeUndefined();
    }
  });

  it('splits a long text full of & and < into sections that each pass the Block Kit rules and keep every character', () => {
    const text = escapeTypedText(`${'R&D <team> '.repeat(700)}${TECHNOLOGIST.repeat(600)} <@UCOMMAND1|ivan>`);
    for (const limit of [3000, 2999, 2998, 2997, 2996]) {
      const sections = mrkdwnSections(text, limit);
      expect(sections.length).toBeGreaterThan(2);
      expect(validateMessageBlocks(sections)).toEqual([]);
      for (const section of sections) expect(section.text!.text.length).toBeLessThanOrEqual(limit);
      expect(sections.map((section) => section.text!.text).join('')).toBe(text);
    }
  });

  it('still splits at a line break in the second half of a section', () => {
    const text = `${'x'.repeat(2000)}\n${'&amp;'.repeat(400)}`;
    expect(mrkdwnSections(text).map((section) => section.text!.text.length)).toEqual([2000, 2000]);
  });

  it('a link longer than a section is cut rather than looping forever', () => {
    const link = `<https://example.com/${'a'.repeat(5000)}>`;
    expect(mrkdwnSections(link).map((section) => section.text!.text).join('')).toBe(link);
  });
});

describe('the fake Slack refuses text cut in the wrong place', () => {
  it.each([
    ['a cut entity', 'R&amp;D &l', 'mrkdwn', /cut entity/],
    ['a cut mention', 'asked <@UCOMMAND1|iv', 'mrkdwn', /cut <…>/],
    ['half of an emoji', 'on call \uD83D', 'plain_text', /lone surrogate/],
    ['a joiner torn off its emoji', '\u200D💻 on call', 'plain_text', /middle of a character/],
  ] as const)('%s', (_case, text, type, problem) => {
    expect(brokenTextProblem(text, type)).toMatch(problem);
  });
});
