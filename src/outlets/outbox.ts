/**
 * The outbox's two seams: planners turn a recorded change into sends (rows written with the change,
 * see src/ports.ts), senders deliver a row to its destination. One file per destination beside this
 * one (webhooks.ts; a status page), composed in src/bot.ts.
 */
import { randomUUID } from 'node:crypto';
import type { Happened } from '../domain/events.js';
import type { OutboxRow, OutboxSend, SendResult } from '../domain/outbox.js';

/**
 * Plans the sends of one destination from a change; `eventId` is the change's, shared by every
 * destination so a receiver can drop a repeat. Runs inside the change's transaction: pure, quick,
 * and never throws.
 */
export type SendPlanner = (happened: Happened, eventId: string) => OutboxSend[];

/** Delivers rows of the destinations it `handles`; an answer it cannot read is a result too, never a throw. */
export interface OutboxSender {
  /** Named in the log and the channel when its sends fail ("webhook"). */
  readonly name: string;
  handles(destination: string): boolean;
  /** The send in a few words, for the channel: "incident.resolved to the webhook ops-feed". */
  describe(row: OutboxRow): string;
  /** One attempt; `signal` aborts it when it takes longer than the send timeout. */
  send(row: OutboxRow, signal: AbortSignal): Promise<SendResult>;
}

/** Every planner's sends for a change, under one new event id. */
export function planSends(planners: readonly SendPlanner[]): (happened: Happened) => OutboxSend[] {
  return (happened) => {
    if (planners.length === 0) return [];
    const eventId = `evt_${randomUUID()}`;
    return planners.flatMap((plan) => plan(happened, eventId));
  };
}
