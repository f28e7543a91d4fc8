/**
 * What each listener needs from what Slack sends, checked with zod before anything is read. A
 * signed request is from Slack, but not every field is what Slack's documentation promises (older
 * clients, other surfaces, hand-made requests): a payload of the wrong shape is answered with
 * nothing, logged once, and never reaches a flow.
 */
import type { Logger } from 'pino';
import { z } from 'zod';

/** The payload as `schema` describes it, or undefined after one warn line saying what was wrong. */
export function readPayload<T>(schema: z.ZodType<T>, payload: unknown, log: Logger, listener: string): T | undefined {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`);
  log.warn({ listener, problems }, 'ignored a Slack payload of the wrong shape');
  return undefined;
}

const id = z.string().min(1);

/** Enough for Bolt to route a request to a listener; anything else is answered before Bolt tries. */
export const routablePayload = z.union([
  z.object({ command: z.string() }),
  z.object({ event: z.object({ type: z.string() }) }),
  z.object({ type: z.literal('block_actions'), actions: z.array(z.object({ action_id: z.string() })).min(1) }),
  z.object({ type: z.enum(['view_submission', 'view_closed']), view: z.object({ callback_id: z.string() }) }),
]);

/** `/incident …` */
export const slashCommandPayload = z.object({
  user_id: id,
  channel_id: id,
  text: z.string().optional(),
  trigger_id: id,
  response_url: z.string(),
});
export type SlashCommandPayload = z.infer<typeof slashCommandPayload>;

/** One input's state in a submitted form (view.state.values[blockId][actionId]). */
const formInput = z.object({
  value: z.string().nullish(),
  selected_option: z.object({ value: z.string() }).nullish(),
  selected_user: z.string().nullish(),
  selected_options: z.array(z.object({ value: z.string() })).optional(),
  selected_date: z.string().nullish(),
});

const formValues = z.record(z.string(), z.record(z.string(), formInput));

/** A submitted modal: who, which view, and what was filled in. */
export const viewSubmissionPayload = z.object({
  user: z.object({ id }),
  view: z.object({
    id,
    hash: z.string(),
    // Slack sends "" when the bot set none.
    private_metadata: z.string().default(''),
    state: z.object({ values: formValues }),
  }),
});

const plainTextObject = z.object({ type: z.literal('plain_text'), text: z.string(), emoji: z.boolean().optional() });

/** A choice made inside an open modal (dispatch_action): the view as it is now, to redraw it. */
export const modalActionPayload = z.object({
  user: z.object({ id }),
  view: z.object({
    id,
    hash: z.string(),
    callback_id: z.string(),
    private_metadata: z.string().default(''),
    title: plainTextObject,
    submit: plainTextObject.nullish(),
    close: plainTextObject.nullish(),
    // The blocks are the bot's own, sent back as they were built.
    blocks: z.array(z.looseObject({ type: z.string(), block_id: z.string().optional() })),
    state: z.object({ values: formValues }),
  }),
});

/** A click on one of the bot's buttons: who, where, and the value the bot put on it. */
export const buttonClickPayload = z.object({
  user: z.object({ id }),
  trigger_id: id,
  response_url: z.string().min(1),
  // Slack names the message's channel in both; either is enough.
  container: z.object({ channel_id: z.string().optional() }).optional(),
  channel: z.object({ id: z.string() }).optional(),
  actions: z.tuple([z.object({ value: z.string() })], z.unknown()),
});
export type ButtonClick = z.infer<typeof buttonClickPayload>;

/** A choice in an overflow menu: Slack sends the chosen option, not a value of the action. */
export const overflowChoicePayload = buttonClickPayload.extend({
  actions: z.tuple([z.object({ selected_option: z.object({ value: z.string() }) })], z.unknown()),
});

/** What wraps every Events API event: its event_id is the same in each of Slack's retries. */
export const eventEnvelope = z.object({ event_id: id });

/** member_joined_channel and member_left_channel */
export const membershipEvent = z.object({ user: id, channel: id });

/** app_home_opened: the tab is `home` or `messages` (the bot's DM), only the first is ours to draw. */
export const appHomeOpenedEvent = z.object({ user: id, tab: z.string() });

/** A message event with a subtype we act on: an edit (the message as it is now) or a deletion. */
export const messageRevisionEvent = z.union([
  z.object({ subtype: z.literal('message_changed'), channel: id, message: z.object({ ts: id, text: z.string().default(''), user: id.optional() }) }),
  z.object({ subtype: z.literal('message_deleted'), channel: id, deleted_ts: id }),
]);

/** reaction_added and reaction_removed; only reactions on messages carry a channel and ts. */
export const reactionEvent = z.object({
  user: id,
  reaction: z.string(),
  item: z.union([z.object({ type: z.literal('message'), channel: id, ts: id }), z.object({ type: z.enum(['file', 'file_comment']) })]),
});

/** pin_added and pin_removed: who pinned or unpinned, and the item; only a message item carries a ts. */
export const pinEvent = z.object({
  user: id,
  item: z.union([z.object({ type: z.literal('message'), channel: id, message: z.object({ ts: id }) }), z.object({ type: z.enum(['file', 'file_comment']) })]),
});
