/**
 * `npm run sandbox`: the real bot, wired as `npm start` wires it, against the Slack emulator with a
 * small workspace, and a web page to use it as a person uses Slack. No Slack app or token; it
 * listens on 127.0.0.1 only, because the page has no login.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { createBot } from '../bot.js';
import { ConfigError, loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { DEFAULT_CONFIG_FILE } from '../configFile.js';
import { packagePath } from '../packageRoot.js';
import { loadTemplates } from '../render/templates.js';
import { stopOnSignals } from '../shutdown.js';
import { failStartup } from '../startupErrors.js';
import { scaledClock } from './scaledClock.js';
import { startSandboxServer } from './server.js';
import { startSlackEmulator } from './slackEmulator.js';
import { ANNOUNCE_CHANNEL_ID, SANDBOX_PEOPLE, SANDBOX_RESPONDERS, seedWorkspace } from './workspace.js';

const SHUTDOWN_GRACE_MS = 5_000;
const LOCALHOST = '127.0.0.1';
/** The sandbox's example incident process (incident types with fields), unless the user has their own. */
const SANDBOX_CONFIG_FILE = packagePath('src', 'sandbox', 'incident.config.yml');

const sandboxSettings = z.object({
  SANDBOX_PORT: z.preprocess(
    (value) => (value === undefined || value === '' ? '4000' : value),
    z.coerce.number({ error: 'must be a port number such as 4000' }).int({ error: 'must be a whole number such as 4000' }).min(0, { error: 'must be between 0 and 65535' }).max(65535, { error: 'must be between 0 and 65535' }),
  ),
  SANDBOX_SPEED: z.preprocess(
    (value) => (value === undefined || value === '' ? '1' : value),
    z.coerce.number({ error: 'must be a number such as 1 or 60' }).positive({ error: 'must be above 0, such as 1 (real time) or 60 (a minute a second)' }).max(3600, { error: 'must be at most 3600 (an hour a second)' }),
  ),
});

/** The sandbox's settings, one line per mistake as the bot's own (src/config.ts). */
function readSandboxSettings(env: NodeJS.ProcessEnv): { port: number; speed: number } {
  const parsed = sandboxSettings.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}, not "${String(env[String(issue.path[0])])}"`));
  return { port: parsed.data.SANDBOX_PORT, speed: parsed.data.SANDBOX_SPEED };
}

async function runSandbox(): Promise<void> {
  const settings = readSandboxSettings(process.env);
  const emulator = await startSlackEmulator();
  seedWorkspace(emulator);
  const signingSecret = randomBytes(24).toString('hex');
  const blank = (value: string | undefined) => value === undefined || value.trim() === '';
  // The bot's usual settings apply (INCIDENT_CONFIG, templates, intervals…); Slack's are the emulator's.
  const config = loadConfig({
    ...process.env,
    SLACK_BOT_TOKEN: emulator.botToken,
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_APP_TOKEN: '',
    SLACK_API_URL: emulator.url,
    INCIDENT_CONFIG: blank(process.env.INCIDENT_CONFIG) && !existsSync(DEFAULT_CONFIG_FILE) ? SANDBOX_CONFIG_FILE : process.env.INCIDENT_CONFIG,
    DATABASE_PATH: blank(process.env.DATABASE_PATH) ? './data/sandbox.db' : process.env.DATABASE_PATH,
    INCIDENT_ANNOUNCE_CHANNEL: blank(process.env.INCIDENT_ANNOUNCE_CHANNEL) ? ANNOUNCE_CHANNEL_ID : process.env.INCIDENT_ANNOUNCE_CHANNEL,
    INCIDENT_RESPONDERS: blank(process.env.INCIDENT_RESPONDERS) ? SANDBOX_RESPONDERS.join(',') : process.env.INCIDENT_RESPONDERS,
    // Any free port unless PORT says otherwise: only the sandbox talks to the bot.
    PORT: blank(process.env.PORT) ? '0' : process.env.PORT,
  });
  const { log, output: logOutput } = createLogger({ level: config.logLevel, pretty: config.logPretty });
  const bot = await createBot({
    config,
    clock: scaledClock(settings.speed),
    clockSpeed: settings.speed,
    log,
    templates: loadTemplates(),
    flushLogs: (timeoutMs) => logOutput.flush(timeoutMs),
    host: LOCALHOST,
  });
  let page: Awaited<ReturnType<typeof startSandboxServer>> | undefined;
  stopOnSignals(async (signal) => {
    log.info({ signal }, 'stopping the sandbox');
    await page?.close();
    await bot.stop(SHUTDOWN_GRACE_MS);
    await emulator.close();
    console.log('Sandbox stopped.');
    process.exit(0);
  }, log);
  const botPort = await bot.listen();
  page = await startSandboxServer({ emulator, botUrl: `http://${LOCALHOST}:${botPort}`, signingSecret, people: SANDBOX_PEOPLE, port: settings.port }).catch((error: unknown) => {
    if (error && typeof error === 'object' && 'code' in error && error.code === 'EADDRINUSE') {
      throw new ConfigError([`SANDBOX_PORT ${settings.port} is already in use by another program (perhaps another sandbox): stop it, or set SANDBOX_PORT to a free port`]);
    }
    throw error;
  });
  const speed = settings.speed === 1 ? '' : ` (the bot's clock runs ${settings.speed}× faster)`;
  console.log(`\nSandbox ready: open ${page.url} in your browser${speed}. Ctrl-C stops it.\n`);
}

runSandbox().catch(failStartup);
