import { existsSync } from 'node:fs';
import { loadConfig } from './config.js';
import { systemClock } from './domain/time.js';
import { createLogger } from './logger.js';
import { loadTemplates } from './render/templates.js';
import { createBot } from './bot.js';
import { failStartup } from './startupErrors.js';
import { stopOnSignals } from './shutdown.js';

/** How long the whole shutdown may take: within the 30 s most supervisors give before SIGKILL. */
const SHUTDOWN_GRACE_MS = 20_000;

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig(process.env);
  const { log, output: logOutput } = createLogger({ level: config.logLevel, pretty: config.logPretty });
  const templates = loadTemplates();
  const bot = await createBot({ config, clock: systemClock, log, templates, flushLogs: (timeoutMs) => logOutput.flush(timeoutMs) });

  // SIGTERM: take no new requests, let the scheduler and the requests in hand finish, then close the database.
  // Heard from before listening, so a SIGTERM at any moment from here on stops the bot gracefully.
  stopOnSignals(async (signal) => {
    log.info({ signal, inFlight: bot.inFlight.size }, 'shutting down');
    await bot.stop(SHUTDOWN_GRACE_MS);
    process.exit(0);
  }, log);

  await bot.listen();
}

main().catch(failStartup);
