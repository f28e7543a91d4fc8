/**
 * The status page's fields in the declare, update and resolve forms: the public message (prefilled
 * from the status-page template, editable), the "Publish to the status page" box, and in the
 * declare form the affected components. Shown only when the status page is configured.
 */
import type { InputBlock } from '@slack/types';
import { PUBLIC_MESSAGE_MAX_LENGTH } from '../../domain/statusPage.js';
import { cleanTypedText } from '../../domain/text.js';
import { AFFECTED_COMPONENTS_LABEL, PUBLIC_MESSAGE_LABEL, PUBLISH_OPTION, publicMessageTooLong, SAY_PUBLIC_MESSAGE } from '../../messages/statusPage.js';
import { clip, plainText, type FormValues } from './blocks.js';

export const PUBLIC_MESSAGE_INPUTS = {
  message: 'public_message',
  publish: 'publish_status_page',
  components: 'status_page_components',
} as const;
export const PUBLISH_VALUE = 'publish';

/** What the form offers: the prefilled message, whether the box starts ticked, and why (the hint). */
export interface PublicMessageField {
  prefill: string;
  ticked: boolean;
  hint: string;
  /** Declare only: the components people may mark as affected. */
  componentNames?: readonly string[];
}

/** Slack allows 100 options in a select. */
const MAX_COMPONENT_OPTIONS = 100;

export function publicMessageBlocks(field: PublicMessageField): InputBlock[] {
  const publishOption = { text: plainText(PUBLISH_OPTION), value: PUBLISH_VALUE };
  const blocks: InputBlock[] = [
    {
      type: 'input',
      block_id: PUBLIC_MESSAGE_INPUTS.publish,
      optional: true,
      label: plainText('Status page'),
      hint: plainText(field.hint),
      element: { type: 'checkboxes', action_id: PUBLIC_MESSAGE_INPUTS.publish, options: [publishOption], ...(field.ticked ? { initial_options: [publishOption] } : {}) },
    },
    {
      type: 'input',
      block_id: PUBLIC_MESSAGE_INPUTS.message,
      optional: true,
      label: plainText(PUBLIC_MESSAGE_LABEL),
      element: {
        type: 'plain_text_input',
        action_id: PUBLIC_MESSAGE_INPUTS.message,
        multiline: true,
        max_length: PUBLIC_MESSAGE_MAX_LENGTH,
        ...(field.prefill ? { initial_value: clip(field.prefill, PUBLIC_MESSAGE_MAX_LENGTH) } : {}),
      },
    },
  ];
  const names = field.componentNames?.slice(0, MAX_COMPONENT_OPTIONS) ?? [];
  if (names.length > 0) {
    blocks.push({
      type: 'input',
      block_id: PUBLIC_MESSAGE_INPUTS.components,
      optional: true,
      label: plainText(AFFECTED_COMPONENTS_LABEL),
      element: {
        type: 'multi_static_select',
        action_id: PUBLIC_MESSAGE_INPUTS.components,
        placeholder: plainText('None: the incident alone is shown'),
        options: names.map((name) => ({ text: plainText(name), value: name })),
      },
    });
  }
  return blocks;
}

export interface PublicMessageForm {
  publish: boolean;
  message: string;
  components: string[];
}

/** What the status page's fields say, from a submitted form (all false and empty when they were not shown). */
export function readPublicMessageForm(values: FormValues): PublicMessageForm {
  const input = (id: string) => values[id]?.[id];
  return {
    publish: (input(PUBLIC_MESSAGE_INPUTS.publish)?.selected_options ?? []).some((option) => option.value === PUBLISH_VALUE),
    message: cleanTypedText(input(PUBLIC_MESSAGE_INPUTS.message)?.value ?? ''),
    components: (input(PUBLIC_MESSAGE_INPUTS.components)?.selected_options ?? []).map((option) => option.value),
  };
}

/** Field errors (block ids as keys) for a form asking to publish; undefined when it may go. */
export function publicMessageErrors(form: PublicMessageForm): Record<string, string> | undefined {
  if (!form.publish) return undefined;
  if (!form.message) return { [PUBLIC_MESSAGE_INPUTS.message]: SAY_PUBLIC_MESSAGE };
  if (form.message.length > PUBLIC_MESSAGE_MAX_LENGTH) return { [PUBLIC_MESSAGE_INPUTS.message]: publicMessageTooLong(PUBLIC_MESSAGE_MAX_LENGTH) };
  return undefined;
}
