/**
 * Block Kit and mrkdwn as HTML for the sandbox's page, rendered on the server so that the page only
 * inserts markup made here: every piece of text from Slack, the bot or a person is escaped first,
 * links are http(s) or mailto only, and nothing in a message can add a script or a handler.
 */
import { emojify } from 'node-emoji';
import slackMarkdown from 'slack-markdown';
import { PAGE_MESSAGES } from './pageMessages.js';

type Json = Record<string, any>;

/** How mentions are shown: people and channels by name, as Slack shows them. */
export interface Names {
  user(id: string): string | undefined;
  channel(id: string): string | undefined;
}

/** The sandbox's people, offered by users_select. */
export interface Person {
  id: string;
  name: string;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: unknown): string => String(text ?? '').replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]!);

/**
 * Slack's mrkdwn (bold, italic, strike, code, quotes, links, mentions, emoji shortcodes) as HTML.
 * slack-markdown escapes the text; the names it is given for mentions are escaped here.
 */
export function mrkdwnToHtml(text: string, names: Names): string {
  const html = slackMarkdown.toHTML(text, {
    hrefTarget: '_blank',
    slackCallbacks: {
      user: ({ id, name }) => `@${escapeHtml(names.user(id) ?? name ?? id)}`,
      channel: ({ id, name }) => `#${escapeHtml(names.channel(id) ?? name ?? id)}`,
      usergroup: ({ id, name }) => `@${escapeHtml((name || id).replace(/^@/, ''))}`,
      atHere: () => '@here',
      atChannel: () => '@channel',
      atEveryone: () => '@everyone',
      date: ({ fallback }) => escapeHtml(fallback),
    },
  });
  // Slack text carries &, < and > as entities, which slack-markdown escapes once more: show them as the characters.
  return html
    .replace(/&amp;(lt|gt|amp);/g, '&$1;')
    .replace(/<a href="(?!https?:|mailto:)[^"]*"[^>]*>/g, '<a>')
    .replace(/<a href="/g, '<a rel="noopener noreferrer" href="');
}

/** A Block Kit text object: plain text escaped (its emoji shortcodes shown as emoji), mrkdwn rendered. */
export function textToHtml(text: unknown, names: Names): string {
  if (!text || typeof text !== 'object') return '';
  const { type, text: content } = text as Json;
  if (typeof content !== 'string') return '';
  return type === 'mrkdwn' ? mrkdwnToHtml(content, names) : emojify(escapeHtml(content));
}

/** A button a person can press: what the page sends back names the block, action and value. */
function buttonHtml(element: Json, blockId: string, names: Names): string {
  const style = element.style === 'primary' || element.style === 'danger' ? ` class="${element.style}"` : '';
  return `<button type="button"${style} data-block-id="${escapeHtml(blockId)}" data-action-id="${escapeHtml(element.action_id)}" data-value="${escapeHtml(element.value ?? '')}">${textToHtml(element.text, names)}</button>`;
}

/** Message blocks: header, section (text, fields, a button accessory), context, divider, actions. Unknown blocks say so rather than vanish. */
export function blocksToHtml(blocks: Json[], names: Names): string {
  return blocks
    .map((block) => {
      const blockId = String(block.block_id ?? '');
      switch (block.type) {
        case 'header':
          return `<div class="block header" role="heading" aria-level="3">${textToHtml(block.text, names)}</div>`;
        case 'section': {
          const text = block.text ? `<div class="text">${textToHtml(block.text, names)}</div>` : '';
          const fields = Array.isArray(block.fields) ? `<div class="fields">${block.fields.map((field: Json) => `<div>${textToHtml(field, names)}</div>`).join('')}</div>` : '';
          const accessory = block.accessory?.type === 'button' ? `<div class="accessory">${buttonHtml(block.accessory, blockId, names)}</div>` : '';
          return `<div class="block section">${text}${fields}${accessory}</div>`;
        }
        case 'context':
          return `<div class="block context">${(block.elements ?? []).map((element: Json) => (element.type === 'image' ? '' : `<span>${textToHtml(element, names)}</span>`)).join(' ')}</div>`;
        case 'divider':
          return '<hr class="block divider">';
        case 'actions':
          return `<div class="block actions">${(block.elements ?? []).filter((element: Json) => element.type === 'button').map((element: Json) => buttonHtml(element, blockId, names)).join('')}</div>`;
        default:
          return `<div class="block unknown">(a ${escapeHtml(block.type)} block, which the sandbox does not show)</div>`;
      }
    })
    .join('');
}

const optionText = (option: Json) => escapeHtml(option?.text?.text ?? '');

/** One modal input as a labelled form control; `fieldId` ties the label, the control and the error together. */
function inputHtml(block: Json, fieldId: string, people: Person[], error: string | undefined, names: Names): string {
  const element: Json = block.element ?? {};
  const label = textToHtml(block.label, names);
  const describedBy = error ? ` aria-describedby="${fieldId}-error" aria-invalid="true"` : '';
  // dispatch_action: a choice goes to the app at once as block_actions (the app may redraw the form).
  const dispatch = block.dispatch_action === true ? ' data-dispatch="true"' : '';
  const data = `data-block-id="${escapeHtml(block.block_id)}" data-action-id="${escapeHtml(element.action_id)}" data-type="${escapeHtml(element.type)}"${dispatch}`;
  const hint = block.hint ? `<div class="hint">${textToHtml(block.hint, names)}</div>` : '';
  const errorHtml = error ? `<div class="error" id="${fieldId}-error">${escapeHtml(error)}</div>` : '';
  const optional = block.optional ? ' <span class="optional">(optional)</span>' : '';
  const labelled = (control: string) => `<div class="field" ${data}><label for="${fieldId}">${label}${optional}</label>${control}${hint}${errorHtml}</div>`;
  const grouped = (controls: string) =>
    `<fieldset class="field" ${data}${describedBy}><legend>${label}${optional}</legend>${controls}${hint}${errorHtml}</fieldset>`;
  const options: Json[] = Array.isArray(element.options) ? element.options : [];
  const selectOptions = (selected: (value: string) => boolean) =>
    `<option value="">${escapeHtml(element.placeholder?.text ?? 'Select an option')}</option>` +
    options.map((option) => `<option value="${escapeHtml(option.value)}"${selected(String(option.value)) ? ' selected' : ''}>${optionText(option)}</option>`).join('');
  switch (element.type) {
    case 'plain_text_input': {
      const placeholder = element.placeholder ? ` placeholder="${escapeHtml(element.placeholder.text)}"` : '';
      const value = escapeHtml(element.initial_value ?? '');
      return labelled(
        element.multiline
          ? `<textarea id="${fieldId}"${placeholder}${describedBy}>${value}</textarea>`
          : `<input type="text" id="${fieldId}" value="${value}"${placeholder}${describedBy}>`,
      );
    }
    case 'static_select':
      return labelled(`<select id="${fieldId}"${describedBy}>${selectOptions((value) => value === element.initial_option?.value)}</select>`);
    case 'multi_static_select': {
      const initial = new Set<string>((Array.isArray(element.initial_options) ? element.initial_options : []).map((option: Json) => String(option.value)));
      // A list showing every choice (up to 8 rows), where Slack shows a menu of chips.
      return labelled(
        `<select multiple size="${Math.min(Math.max(options.length, 2), 8)}" id="${fieldId}"${describedBy}>${options
          .map((option) => `<option value="${escapeHtml(option.value)}"${initial.has(String(option.value)) ? ' selected' : ''}>${optionText(option)}</option>`)
          .join('')}</select><div class="hint">${escapeHtml(PAGE_MESSAGES.chooseSeveral)}</div>`,
      );
    }
    case 'number_input': {
      // A text box with a number keypad, as Slack's: what is typed is sent as typed and checked on submit
      // (a browser's number box would turn "12,5" into nothing and lose it).
      const placeholder = element.placeholder ? ` placeholder="${escapeHtml(element.placeholder.text)}"` : '';
      return labelled(
        `<input type="text" inputmode="${element.is_decimal_allowed === true ? 'decimal' : 'numeric'}" id="${fieldId}" value="${escapeHtml(element.initial_value ?? '')}"${placeholder}${describedBy}>`,
      );
    }
    case 'users_select':
      return labelled(
        `<select id="${fieldId}"${describedBy}><option value="">${escapeHtml(element.placeholder?.text ?? 'Select a person')}</option>${people
          .map((person) => `<option value="${escapeHtml(person.id)}"${person.id === element.initial_user ? ' selected' : ''}>${escapeHtml(person.name)}</option>`)
          .join('')}</select>`,
      );
    case 'datepicker':
      return labelled(`<input type="date" id="${fieldId}" value="${escapeHtml(element.initial_date ?? '')}"${describedBy}>`);
    case 'checkboxes':
    case 'radio_buttons': {
      const kind = element.type === 'checkboxes' ? 'checkbox' : 'radio';
      const initial = new Set<string>(
        (element.type === 'checkboxes' ? (element.initial_options ?? []) : element.initial_option ? [element.initial_option] : []).map((option: Json) => String(option.value)),
      );
      return grouped(
        options
          .map(
            (option, index) =>
              `<label class="choice"><input type="${kind}" name="${fieldId}" value="${escapeHtml(option.value)}"${initial.has(String(option.value)) ? ' checked' : ''} id="${fieldId}-${index}"> ${optionText(option)}</label>`,
          )
          .join(''),
      );
    }
    default:
      return `<div class="field unknown">${label}: (a ${escapeHtml(element.type)} input, which the sandbox does not offer)</div>`;
  }
}

/** A modal's blocks as a form: inputs labelled by their Block Kit labels, errors under their fields, other blocks as in messages. */
export function modalBodyToHtml(view: Json, people: Person[], errors: Record<string, string>, names: Names): string {
  const blocks: Json[] = Array.isArray(view.blocks) ? view.blocks : [];
  return blocks
    .map((block, index) => (block.type === 'input' ? inputHtml(block, `field-${escapeHtml(view.id)}-${index}`, people, errors[String(block.block_id)], names) : blocksToHtml([block], names)))
    .join('');
}
