/**
 * `npm run postmortem -- <incident id | channel name | channel id> [--out FILE]`: the same draft the
 * bot uploads, printed or written from the database alone, without Slack (names are the ones the
 * bot last learned).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { systemClock } from '../domain/time.js';
import { namesFor, postmortemSource, userIdsIn } from '../outlets/postmortemDraft.js';
import { renderPostmortem } from '../render/postmortem.js';
import { loadTemplates } from '../render/templates.js';
import { openStore } from '../store/open.js';
import { runCli, settingsWithDatabase, UsageError } from './cliSupport.js';

const USAGE = 'Usage: npm run postmortem -- <incident id | channel name | channel id> [--out FILE]';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ options: { out: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (positionals.length !== 1) throw new UsageError(USAGE);
  const config = settingsWithDatabase();
  const templates = loadTemplates();
  const database = await openStore(config, 'npm run postmortem');
  try {
    const { incidents, actions, postmortems } = database.store;
    const wanted = positionals[0]!.trim().replace(/^#/, '');
    const incident = /^\d+$/.test(wanted) ? await incidents.findById(Number(wanted)) : (await incidents.findByChannel(wanted) ?? await incidents.findByChannelName(wanted));
    if (!incident) throw new UsageError(`No incident "${positionals[0]}" in ${database.location}: give its number (#12 in /incident status), its channel name or its channel id.`);
    const source = await postmortemSource({ incidents, actions }, incident);
    const names = await namesFor(postmortems, userIdsIn(source));
    const markdown = renderPostmortem(templates, source, { timeZone: config.timeZone, severities: config.severities, names, now: systemClock.now() });
    if (values.out) {
      writeFileSync(values.out, markdown);
      console.error(`Wrote the post-mortem draft of incident #${incident.id} to ${values.out}`);
    } else {
      process.stdout.write(markdown);
    }
  } finally {
    await database.close();
  }
}

runCli('postmortem', main);
