import type { App } from '@slack/bolt';
import { refusalText } from '../messages/replies.js';
import { noticeView } from '../slack/views/incidentModals.js';
import { DatabaseFaultError } from '../store/faults.js';
import type { ListenerDependencies } from './types.js';

type Listener = (args: ListenerArgs) => Promise<void>;

interface ListenerArgs {
  ack: (response?: unknown) => Promise<void>;
  respond?: (message: Record<string, unknown>) => Promise<unknown>;
  command?: unknown;
  body: { type?: string; user?: { id?: string } };
}

/**
 * The app as the listeners register on it, with each command, button and form listener answering
 * a database fault it did not answer itself: one met before the work is under way (finding the
 * incident, recording the delivery). Flows answer their own (runSafely); without this, the person
 * would hear nothing, or Slack's "operation timed out", while PostgreSQL restarts. Events have no
 * reply to give: a :pushpin: tells its pinner itself, other faults go to the app's error handler, which logs them.
 */
export function answeringDatabaseFaults(app: App, deps: ListenerDependencies): App {
  const guard =
    (listener: Listener): Listener =>
    async (args) => {
      let acked = false;
      const ack = async (response?: unknown) => {
        acked = true;
        await args.ack(response);
      };
      try {
        await listener({ ...args, ack });
      } catch (error) {
        if (!(error instanceof DatabaseFaultError)) throw error;
        deps.log.error({ err: error }, 'a request met a database fault');
        await tellPerson(deps, args, acked, refusalText(error.userMessage)).catch((tellError: unknown) =>
          deps.log.error({ err: tellError }, 'could not tell the user about a database fault'),
        );
      }
    };
  const guarded = new Set<PropertyKey>(['command', 'action', 'view']);
  return new Proxy(app, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (!guarded.has(property) || typeof value !== 'function') return value;
      return (constraint: unknown, ...listeners: Listener[]) => {
        const last = listeners.pop();
        return value.call(target, constraint, ...listeners, ...(last ? [guard(last)] : []));
      };
    },
  });
}

/**
 * A command is answered in its ack when not acked yet, else on its response_url; a click on its
 * response_url; a form in the form when not acked yet, else (it has no response_url) by direct message.
 */
async function tellPerson(deps: ListenerDependencies, args: ListenerArgs, acked: boolean, text: string): Promise<void> {
  if (args.command !== undefined) {
    if (!acked) return args.ack({ response_type: 'ephemeral', text });
    await args.respond?.({ response_type: 'ephemeral', text });
    return;
  }
  if (args.body.type === 'view_submission') {
    if (!acked) return args.ack({ response_action: 'update', view: noticeView(text) });
    const userId = args.body.user?.id;
    if (userId) await deps.chat.postMessage(userId, { text });
    return;
  }
  if (!acked) await args.ack();
  await args.respond?.({ response_type: 'ephemeral', replace_original: false, text });
}
