import type { App } from '@slack/bolt';

type Kind = 'command' | 'action' | 'view' | 'event';
type Listener = (args: { payload: unknown }) => unknown;
type Register = (constraint: unknown, ...listeners: Listener[]) => void;

/** What Bolt matches a listener's name against, in each kind of request's payload. */
const NAME_OF: Record<Kind, (payload: unknown) => unknown> = {
  command: (payload) => (payload as { command?: unknown }).command,
  action: (payload) => (payload as { action_id?: unknown }).action_id,
  view: (payload) => (payload as { callback_id?: unknown }).callback_id,
  event: (payload) => (payload as { type?: unknown }).type,
};

/** Every request of a kind, as Bolt would have matched it by name (a view by name is a view_submission). */
const EVERY: Record<Kind, unknown> = {
  command: /(?:)/,
  action: /(?:)/,
  view: { callback_id: /(?:)/, type: 'view_submission' },
  event: /(?:)/,
};

/**
 * Bolt runs the filters of every listener registered on every request, each with its own copy of
 * the request's arguments and its promises, before the one that matches can ack: with twenty-one
 * listeners that was a sixth of what `/incident status` cost before its answer. Listeners
 * registered by name are kept here, in one map per kind, and Bolt gets one listener per kind that
 * calls the ones of the request's name. Anything else (a pattern, several middlewares) goes to
 * Bolt as it is.
 */
export function routeListenersByName(app: App): void {
  const methods = app as unknown as Record<Kind, Register>;
  for (const kind of Object.keys(NAME_OF) as Kind[]) {
    const register = methods[kind].bind(app);
    const byName = new Map<string, Listener[]>();
    const dispatch: Listener = async (args) => {
      const name = NAME_OF[kind](args.payload);
      const listeners = typeof name === 'string' ? byName.get(name) : undefined;
      if (listeners) await Promise.all(listeners.map((listener) => listener(args)));
    };
    methods[kind] = (constraint, ...listeners) => {
      // Bolt refuses event names like "message.channels" when they are registered: it still does.
      if (typeof constraint !== 'string' || listeners.length !== 1 || (kind === 'event' && constraint.startsWith('message.'))) return register(constraint, ...listeners);
      if (byName.size === 0) register(EVERY[kind], dispatch);
      byName.set(constraint, [...(byName.get(constraint) ?? []), listeners[0]!]);
    };
  }
}
