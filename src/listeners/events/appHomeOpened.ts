import type { App } from '@slack/bolt';
import { homeOpened } from '../../flows/appHome.js';
import { appHomeOpenedEvent, readPayload } from '../payloads.js';
import type { ListenerDependencies } from '../types.js';

/** Someone opened the bot's Home tab: it is published only if what they would see is stale. */
export function registerAppHomeOpened(app: App, deps: ListenerDependencies): void {
  app.event('app_home_opened', async ({ event: payload }) => {
    const event = readPayload(appHomeOpenedEvent, payload, deps.log, 'app_home_opened');
    if (!event || event.tab !== 'home') return;
    await homeOpened(deps, event.user);
  });
}
