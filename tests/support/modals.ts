/**
 * Fills in a modal the way a person would: by the labels they see. Unanswered inputs keep their
 * initial values, as Slack reports them in `view.state.values`.
 */
type Json = Record<string, unknown>;
export type Answer = string | boolean | null;

interface InputBlock {
  type: 'input';
  block_id: string;
  label: { text: string };
  element: Json & { type: string; action_id: string };
}

const isInput = (block: unknown): block is InputBlock =>
  typeof block === 'object' && block !== null && (block as Json).type === 'input';

function option(element: Json, wanted: string): Json | undefined {
  const options = (element.options as Json[] | undefined) ?? [];
  return options.find((candidate) => candidate.value === wanted || (candidate.text as Json).text === wanted);
}

function elementState(element: InputBlock['element'], answer: Answer | undefined): Json {
  const state: Json = { type: element.type };
  switch (element.type) {
    case 'plain_text_input':
    case 'number_input':
      state.value = answer === undefined ? (element.initial_value ?? null) : answer;
      break;
    case 'static_select':
      state.selected_option = answer === undefined ? (element.initial_option ?? null) : answer === null ? null : option(element, String(answer)) ?? { value: answer, text: { type: 'plain_text', text: String(answer) } };
      break;
    case 'datepicker':
      state.selected_date = answer === undefined ? (element.initial_date ?? null) : answer;
      break;
    case 'users_select':
      state.selected_user = answer === undefined ? (element.initial_user ?? null) : answer;
      break;
    case 'multi_static_select': {
      if (answer === undefined) {
        state.selected_options = element.initial_options ?? [];
        break;
      }
      const wanted = answer === null || typeof answer === 'boolean' ? [] : String(answer).split(',');
      state.selected_options = wanted.map((value) => option(element, value) ?? { value, text: { type: 'plain_text', text: value } });
      break;
    }
    case 'checkboxes': {
      const options = (element.options as Json[] | undefined) ?? [];
      state.selected_options = answer === undefined ? (element.initial_options ?? []) : answer === true ? options.slice(0, 1) : [];
      break;
    }
    default:
      throw new Error(`fillModal does not know element type ${element.type}`);
  }
  return state;
}

export function fillModal(view: { blocks: unknown[] }, answers: Record<string, Answer>): Record<string, Record<string, Json>> {
  const inputs = view.blocks.filter(isInput);
  for (const label of Object.keys(answers)) {
    if (!inputs.some((block) => block.label.text === label)) {
      throw new Error(`the modal has no input labelled "${label}" (it has: ${inputs.map((block) => block.label.text).join(', ')})`);
    }
  }
  return Object.fromEntries(
    inputs.map((block) => [block.block_id, { [block.element.action_id]: elementState(block.element, answers[block.label.text]) }]),
  );
}

/** The view_submission payload Slack sends when the user presses the submit button. */
export function viewSubmission(view: Json & { id: string }, userId: string, values: Record<string, Record<string, Json>>): Json {
  return {
    type: 'view_submission',
    team: { id: 'T0001', domain: 'acme' },
    user: { id: userId, username: userId.toLowerCase(), name: userId.toLowerCase(), team_id: 'T0001' },
    api_app_id: 'A0001',
    token: 'deprecated-verification-token',
    trigger_id: `trigger.${Math.random().toString(36).slice(2)}`,
    view: { ...view, state: { values } },
    response_urls: [],
    is_enterprise_install: false,
  };
}

/** A choice in a modal input with dispatch_action, as Slack sends it (block_actions), the form's state with it. */
export function viewBlockAction(
  view: Json & { id: string; hash?: unknown },
  userId: string,
  values: Record<string, Record<string, Json>>,
  action: { blockId: string; actionId: string; value: string },
): Json {
  return {
    type: 'block_actions',
    team: { id: 'T0001', domain: 'acme' },
    user: { id: userId, username: userId.toLowerCase(), name: userId.toLowerCase(), team_id: 'T0001' },
    api_app_id: 'A0001',
    token: 'deprecated-verification-token',
    trigger_id: `trigger.${Math.random().toString(36).slice(2)}`,
    container: { type: 'view', view_id: view.id },
    view: { ...view, state: { values } },
    actions: [{ type: 'static_select', block_id: action.blockId, action_id: action.actionId, selected_option: { value: action.value, text: { type: 'plain_text', text: action.value } }, action_ts: '1.000001' }],
    is_enterprise_install: false,
  };
}
