import type { Logger } from 'pino';
import type { DrillSettings } from '../domain/drill.js';
import type { Happened } from '../domain/events.js';
import type { StatusPageComponents } from '../domain/statusPage.js';
import type { BotIdentity, Chat, IncidentStore } from '../ports.js';
import type { RenderDependencies, TemplateSettings } from '../render/incidentMessages.js';
import type { Warnings } from './warnings.js';

/** What every outlet may use: the store, the chat, the templates, the clock and the settings. */
export interface OutletDependencies extends IncidentStore, RenderDependencies {
  chat: Chat;
  log: Logger;
  settings: OutletSettings;
  /** Named as the author of what the bot did itself. */
  identity: BotIdentity;
}

export interface OutletSettings extends TemplateSettings {
  /** The channel the company watches; unset, nothing is announced. */
  announceChannel: string | undefined;
  /** Drills: their scenarios, and whether they are announced and page people like real incidents. */
  drills: DrillSettings;
  /** The status page's components and their statuses per severity; unset, the status page is not configured. */
  statusPage?: StatusPageComponents | undefined;
}

/**
 * A destination for what happens to incidents. The pipeline hands every recorded change to each
 * outlet in turn; an outlet acts on the kinds of event it cares about and ignores the rest. Each
 * step it cannot do goes on `steps` (Slack's refusals are caught there); anything it throws is
 * caught by the pipeline. Either way the change stands and the next outlet runs.
 */
export interface Outlet {
  /** Named in the log when it fails. */
  readonly name: string;
  /** What it was doing, for the person when it fails in a way nobody foresaw ("Announcing it"). */
  readonly step: string;
  deliver(happened: Happened, deps: OutletDependencies, steps: Warnings): Promise<void>;
}
