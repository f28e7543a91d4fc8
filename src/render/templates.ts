import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { findRenderProblem } from './templateCheck.js';
import { packagePath } from '../packageRoot.js';

export const TEMPLATE_NAMES = ['kickoff', 'announcement', 'topic', 'status-update', 'update-announcement', 'resolution', 'postmortem', 'status-page'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** The file of each template: Slack mrkdwn ones are `.hbs`, the Markdown post-mortem says what it writes. */
const templateFile = (name: TemplateName) => (name === 'postmortem' ? 'postmortem.md.hbs' : `${name}.hbs`);

export const DEFAULT_TEMPLATES_DIR = packagePath('templates');

export class TemplateError extends Error {
  override name = 'TemplateError';
}

export interface Templates {
  render(name: TemplateName, data: object): string;
}

/**
 * Loads the user-editable templates once, at start-up, so that a typo in one (or a helper or partial
 * the bot does not have) stops the bot with the file and line instead of breaking every incident. Templates write Slack mrkdwn; values are
 * escaped for Slack before they reach a template, so Handlebars' HTML escaping is turned off and a
 * title such as `{{evil}}` is printed, never evaluated.
 */
export function loadTemplates(dir: string = DEFAULT_TEMPLATES_DIR): Templates {
  const handlebars = Handlebars.create();
  const compiled = new Map<TemplateName, Handlebars.TemplateDelegate>();
  for (const name of TEMPLATE_NAMES) {
    const file = join(dir, templateFile(name));
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch {
      throw new TemplateError(`template ${file} is missing; restore it from the repository`);
    }
    let program: hbs.AST.Program;
    try {
      program = handlebars.parse(source);
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n').join(' ') : String(error);
      throw new TemplateError(`template ${file} does not parse: ${reason}`);
    }
    const problem = findRenderProblem(program);
    if (problem) throw new TemplateError(`template ${file} ${problem}`);
    compiled.set(name, handlebars.compile(source, { noEscape: true, strict: false }));
  }
  return {
    render(name, data) {
      const template = compiled.get(name);
      if (!template) throw new TemplateError(`unknown template ${name}`);
      return template(data).trim();
    },
  };
}
