import type { App, BlockAction } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { SlackCallError } from '../../slack/slackErrors.js';
import { DECLARE_INPUTS } from '../../slack/views/declareModal.js';
import { redrawForType, TYPE_ACTION_ID } from '../../slack/views/incidentTypeBlocks.js';
import { modalActionPayload, readPayload } from '../payloads.js';
import type { ListenerDependencies } from '../types.js';

/**
 * A type chosen in the declare form: the form is redrawn with that type's fields, keeping what was
 * typed. The view's hash makes Slack refuse a redraw of a form that changed since (a second, quicker
 * choice already redrew it): that redraw is dropped, the newer one stands.
 */
export function registerDeclareTypeSelect(app: App, deps: ListenerDependencies): void {
  app.action<BlockAction>(TYPE_ACTION_ID, async ({ ack, body }) => {
    await ack();
    const action = readPayload(modalActionPayload, body, deps.log, TYPE_ACTION_ID);
    if (!action) return;
    const view = action.view;
    const redrawn = redrawForType(
      { ...view, submit: view.submit ?? undefined, close: view.close ?? undefined, blocks: view.blocks as unknown as KnownBlock[] },
      view.state.values,
      deps.settings.incidentTypes ?? [],
      DECLARE_INPUTS.isPrivate,
    );
    try {
      await deps.chat.updateView(view.id, redrawn, view.hash);
    } catch (error) {
      if (error instanceof SlackCallError && error.code === 'hash_conflict') return;
      // The form keeps the previous type's fields; submitting it checks them against the type chosen.
      deps.log.error({ err: error, userId: action.user.id }, 'could not redraw the declare form for the chosen type');
    }
  });
}
