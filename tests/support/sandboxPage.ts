/**
 * The sandbox page's server in front of the real bot in-process, and the page's API calls as a
 * person at the page makes them: for tests of the sandbox without a browser.
 */
import { startSandboxServer, type SandboxServer } from '../../src/sandbox/server.js';
import { SIGNING_SECRET } from '../../src/sandbox/slackRequests.js';
import { SANDBOX_PEOPLE, seedWorkspace } from '../../src/sandbox/workspace.js';
import { waitFor } from './harness.js';
import { startInProcess, type InProcessBot } from './inProcess.js';

// The page's API answers any JSON; tests read the fields they expect.
type Json = Record<string, any>;

export interface SandboxPage {
  bot: InProcessBot;
  /** The page's server; a test may replace it. */
  sandbox: SandboxServer;
  api(method: 'GET' | 'POST', path: string, body?: Json): Promise<{ status: number; json: Json }>;
  /** What the page shows `as` (a person's id). */
  state(as?: string): Promise<Json>;
  /** The modal open for `as`, once there is one. */
  modalOf(as?: string): Promise<Json>;
  close(): Promise<void>;
}

export async function startSandboxPage(env: Record<string, string> = {}): Promise<SandboxPage> {
  const bot = await startInProcess({ env });
  seedWorkspace(bot.fake);
  const page: SandboxPage = {
    bot,
    sandbox: await startSandboxServer({ emulator: bot.fake, botUrl: await bot.startApp(), signingSecret: SIGNING_SECRET, people: SANDBOX_PEOPLE, port: 0 }),
    // Through `page.sandbox` at each call: a test may replace the server (one in front of a hung bot).
    async api(method, path, body) {
      const response = await fetch(`${page.sandbox.url}${path}`, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
      return { status: response.status, json: (await response.json()) as Json };
    },
    state: async (as = 'UALICE') => (await page.api('GET', `/api/state?as=${as}`)).json,
    modalOf: (as = 'UALICE') => waitFor(async () => (await page.state(as)).modal as Json | null, 'a modal for that person'),
    async close() {
      await page.sandbox.close();
      await bot.close();
    },
  };
  return page;
}
