/** How long both stores keep the keys of handled requests, and how often they delete older ones. */

/** How long a request's key is kept: Slack's last retry of an event comes 5 minutes after the first try. */
export const HANDLED_REQUEST_RETENTION_MS = 24 * 60 * 60_000;

/** Old keys are deleted at most this often per process: one indexed delete an hour costs nothing. */
export const PRUNE_INTERVAL_MS = 60 * 60_000;
