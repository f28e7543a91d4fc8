/**
 * What a person typed and chose in a modal, turned into `view.state.values` as Slack's client
 * does, with the client's own checks: a required input left empty or text outside its length
 * limits is shown under the field and never sent to the bot. A value the modal never offered (an
 * option it does not have, a person who does not exist, a date that is not one) is refused, as
 * Slack refuses a forged payload.
 */
type Json = Record<string, any>;

/** The page's answer for one input: text, one choice, several choices, or nothing. */
export type FieldAnswer = string | string[] | null;

export type ViewStateResult =
  | { values: Record<string, Record<string, Json>> }
  /** Shown under the fields, by block id; nothing is sent. */
  | { errors: Record<string, string> }
  /** What Slack would never send: the page (or whoever sent this) is out of step with the modal. */
  | { refused: string };

export const FIELD_REQUIRED = 'Please fill out this field.';
export const tooShort = (min: number) => `Please enter at least ${min} characters.`;
export const tooLong = (max: number) => `Please enter no more than ${max} characters.`;
export const NOT_A_NUMBER = 'Please enter a number.';
export const NOT_A_WHOLE_NUMBER = 'Please enter a whole number.';
export const belowMinimum = (min: string) => `Please enter a number no less than ${min}.`;
export const aboveMaximum = (max: string) => `Please enter a number no more than ${max}.`;
export const tooManyChoices = (max: number) => `Please select no more than ${max} options.`;

const isEmpty = (answer: FieldAnswer | undefined) => answer === undefined || answer === null || answer === '' || (Array.isArray(answer) && answer.length === 0);

/** Elements whose answer is a list of choices. */
const MULTIPLE_CHOICE = new Set(['checkboxes', 'multi_static_select']);

/**
 * `purpose`: a submission is checked as Slack's client checks it before sending; a block action
 * (a choice in a dispatch_action input) sends the form's state as it stands, unchecked, as Slack does.
 */
export function viewState(view: { blocks?: Json[] }, answers: Record<string, FieldAnswer>, people: ReadonlySet<string>, purpose: 'submission' | 'action' = 'submission'): ViewStateResult {
  const checked = purpose === 'submission';
  const inputs = (view.blocks ?? []).filter((block) => block.type === 'input');
  const known = new Set(inputs.map((block) => String(block.block_id)));
  const stray = Object.keys(answers).filter((blockId) => !known.has(blockId));
  if (stray.length > 0) return { refused: `the modal has no input ${stray.join(', ')}` };

  const errors: Record<string, string> = {};
  const values: Record<string, Record<string, Json>> = {};
  for (const block of inputs) {
    const blockId = String(block.block_id);
    const element: Json = block.element ?? {};
    const answer = answers[blockId];
    const multiple = MULTIPLE_CHOICE.has(String(element.type));
    if (Array.isArray(answer) ? !multiple || answer.some((value) => typeof value !== 'string') : answer !== undefined && answer !== null && typeof answer !== 'string') {
      return { refused: `${blockId}: a ${element.type} takes ${multiple ? 'a list of choices' : 'one value'}` };
    }
    if (checked && isEmpty(answer) && !block.optional) {
      errors[blockId] = FIELD_REQUIRED;
      continue;
    }
    const options: Json[] = Array.isArray(element.options) ? element.options : [];
    const optionFor = (value: string) => options.find((option) => String(option.value) === value);
    const state: Json = { type: element.type };
    switch (element.type) {
      case 'plain_text_input': {
        const text = typeof answer === 'string' ? answer : '';
        if (checked) {
          if (text && typeof element.min_length === 'number' && text.length < element.min_length) errors[blockId] = tooShort(element.min_length);
          else if (typeof element.max_length === 'number' && text.length > element.max_length) errors[blockId] = tooLong(element.max_length);
          else if (text.length > 3000) errors[blockId] = tooLong(3000);
        }
        state.value = text === '' ? null : text;
        break;
      }
      case 'number_input': {
        const text = typeof answer === 'string' ? answer.trim() : '';
        const problem = checked && text !== '' ? numberProblem(text, element) : undefined;
        if (problem) errors[blockId] = problem;
        state.value = text === '' ? null : text;
        break;
      }
      case 'static_select':
      case 'radio_buttons': {
        const chosen = typeof answer === 'string' && answer !== '' ? optionFor(answer) : null;
        if (chosen === undefined) return { refused: `${blockId}: "${String(answer)}" is not one of its options` };
        state.selected_option = chosen;
        break;
      }
      case 'checkboxes':
      case 'multi_static_select': {
        const chosen = (Array.isArray(answer) ? answer : []).map((value) => optionFor(value));
        if (chosen.some((option) => option === undefined)) return { refused: `${blockId}: a choice that is not one of its options` };
        if (checked && typeof element.max_selected_items === 'number' && chosen.length > element.max_selected_items) errors[blockId] = tooManyChoices(element.max_selected_items);
        state.selected_options = chosen;
        break;
      }
      case 'users_select': {
        const user = typeof answer === 'string' && answer !== '' ? answer : null;
        if (user !== null && !people.has(user)) return { refused: `${blockId}: no person ${user}` };
        state.selected_user = user;
        break;
      }
      case 'datepicker': {
        const date = typeof answer === 'string' && answer !== '' ? answer : null;
        if (date !== null && (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)))) return { refused: `${blockId}: "${date}" is not a date` };
        state.selected_date = date;
        break;
      }
      default:
        return { refused: `${blockId}: the sandbox cannot fill a ${String(element.type)}` };
    }
    values[blockId] = { [String(element.action_id)]: state };
  }
  return Object.keys(errors).length > 0 ? { errors } : { values };
}

/** Slack's number input: a number, whole unless decimals are allowed, within its bounds. */
function numberProblem(text: string, element: Json): string | undefined {
  if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(text)) return NOT_A_NUMBER;
  const number = Number(text);
  if (element.is_decimal_allowed !== true && !Number.isInteger(number)) return NOT_A_WHOLE_NUMBER;
  if (typeof element.min_value === 'string' && number < Number(element.min_value)) return belowMinimum(element.min_value);
  if (typeof element.max_value === 'string' && number > Number(element.max_value)) return aboveMaximum(element.max_value);
  return undefined;
}
