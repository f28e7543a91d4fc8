import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SEVERITIES, severityOf } from '../../src/domain/severity.js';
import { escapeMrkdwn } from '../../src/render/mrkdwn.js';
import { DEFAULT_TEMPLATES_DIR, loadTemplates } from '../../src/render/templates.js';

function copyOfTemplates(): string {
  const dir = mkdtempSync(join(tmpdir(), 'templates-'));
  cpSync(DEFAULT_TEMPLATES_DIR, dir, { recursive: true });
  return dir;
}

const data = {
  title: escapeMrkdwn('DB <down> & {{out}}'),
  severity: severityOf(SEVERITIES, 'SEV2'),
  status: 'Investigating',
  commander: '<@UBOB>',
  declaredBy: '<@UALICE>',
  impact: '',
  channel: '<#C1>',
  declaredAt: '2026-11-23T02:00:00.000Z',
};

describe('templates', () => {
  it('renders the shipped kickoff with the runbook triage checklist and no Handlebars comments', () => {
    const text = loadTemplates().render('kickoff', data);
    expect(text).toMatch(/^\*Severity:\* SEV2 · High/);
    expect(text).toContain('Initial triage: the first 15 minutes');
    expect(text).toContain('not known yet');
    expect(text).not.toContain('{{');
  });

  it('prints values as given: escaped Slack text stays escaped, braces are not evaluated', () => {
    const text = loadTemplates().render('announcement', data);
    expect(text).toContain('DB &lt;down&gt; &amp; {{out}}');
  });

  it('renders the topic on one line', () => {
    expect(loadTemplates().render('topic', data)).toBe('SEV2 · Investigating · IC <@UBOB>');
  });

  it('refuses to load a template that does not parse, naming the file', () => {
    const dir = copyOfTemplates();
    writeFileSync(join(dir, 'kickoff.hbs'), '*Severity:* {{#if severity}}unclosed');
    expect(() => loadTemplates(dir)).toThrow(/kickoff\.hbs does not parse/);
    rmSync(dir, { recursive: true });
  });

  it.each([
    ['an unknown helper', '*Severity:* {{severity.level}}\n*Title:* {{uppercase title}}', /kickoff\.hbs line 2: \{\{uppercase …\}\} calls a helper the bot does not have; it knows only if, unless, each, with, lookup, log/],
    ['an unknown helper in a sub-expression', '{{#if (eq status "Resolved")}}done{{/if}}', /kickoff\.hbs line 1: \{\{eq …\}\} calls a helper/],
    ['an unknown block helper with an argument', 'ok\n\n{{#repeat 3}}x{{/repeat}}', /kickoff\.hbs line 3: \{\{repeat …\}\}/],
    ['a partial', '{{title}}\n{{> header}}', /kickoff\.hbs line 2: \{\{> header\}\} uses a partial; the bot has none/],
    ['a built-in helper without its argument', '{{#each}}{{this}}{{/each}}', /kickoff\.hbs line 1: \{\{each\}\} takes 1 argument, not 0/],
    ['#if with two arguments', '{{#if comms scribe}}both{{/if}}', /kickoff\.hbs line 1: \{\{if\}\} takes 1 argument, not 2/],
  ])('refuses at start-up a template that parses but would fail when rendered: %s', (_case, source, expected) => {
    const dir = copyOfTemplates();
    writeFileSync(join(dir, 'kickoff.hbs'), source);
    expect(() => loadTemplates(dir)).toThrow(expected);
    rmSync(dir, { recursive: true });
  });

  it('accepts built-in helpers, values read as sections, and inline partials', () => {
    const dir = copyOfTemplates();
    writeFileSync(
      join(dir, 'kickoff.hbs'),
      '{{#*inline "who"}}IC {{commander}}{{/inline}}{{#with severity}}{{level}}{{/with}} {{#impact}}{{.}}{{/impact}}{{#unless resolved}} open{{/unless}} {{lookup severity "name"}} {{> who}}',
    );
    expect(loadTemplates(dir).render('kickoff', { ...data, impact: 'checkout down' })).toBe('SEV2 checkout down open High IC <@UBOB>');
    rmSync(dir, { recursive: true });
  });

  it('refuses to start without a template, naming it', () => {
    const dir = copyOfTemplates();
    rmSync(join(dir, 'topic.hbs'));
    expect(() => loadTemplates(dir)).toThrow(/topic\.hbs is missing/);
    rmSync(dir, { recursive: true });
  });

  it('uses an edited template', () => {
    const dir = copyOfTemplates();
    writeFileSync(join(dir, 'topic.hbs'), '{{severity.level}} | {{commander}} is in charge');
    expect(loadTemplates(dir).render('topic', data)).toBe('SEV2 | <@UBOB> is in charge');
    rmSync(dir, { recursive: true });
  });
});
