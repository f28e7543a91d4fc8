import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { DEFAULT_DRILLS_DIR, loadDrillScenarios } from '../../src/drillScenarios.js';
import { scratchDir } from '../support/launcher.js';

/** A folder of scenario files, each written as given. */
function drillsDir(files: Record<string, string>): string {
  const dir = join(scratchDir(), 'drills');
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const GOOD = `
title: Queue backlog growing
severity: SEV3
impact: Emails go out late.
script:
  - { after: 2m, from: "Dana (support)", text: "Customers say the welcome email never came." }
  - { after: 0, from: Alertmanager, text: "FIRING: QueueDepthHigh" }
`;

const problemsOf = (dir: string) => {
  const loaded = loadDrillScenarios(dir, true);
  return 'problems' in loaded ? loaded.problems : [];
};

describe('drill scenarios', () => {
  it('reads a scenario: name from the file, times as milliseconds, the script in time order', () => {
    const loaded = loadDrillScenarios(drillsDir({ 'queue-backlog.yml': GOOD, 'notes.txt': 'not a scenario' }), true);
    expect(loaded).toEqual({
      scenarios: [
        {
          name: 'queue-backlog',
          title: 'Queue backlog growing',
          severity: 'SEV3',
          impact: 'Emails go out late.',
          script: [
            { afterMs: 0, speaker: 'Alertmanager', text: 'FIRING: QueueDepthHigh' },
            { afterMs: 120_000, speaker: 'Dana (support)', text: 'Customers say the welcome email never came.' },
          ],
        },
      ],
    });
  });

  it('ships the three runbook scenarios, all valid', () => {
    const loaded = loadDrillScenarios(DEFAULT_DRILLS_DIR, true);
    expect('scenarios' in loaded && loaded.scenarios.map((scenario) => scenario.name)).toEqual(['database-connection-failure', 'deploy-5xx-spike', 'frontend-white-screen']);
  });

  it('reports every mistake on a line of its own, naming the file and the field', () => {
    const dir = drillsDir({
      'bad-fields.yml': `
title: ""
severity: SEV9
colour: red
script:
  - { after: soon, from: Alertmanager, text: "FIRING" }
  - { after: 1m, text: "who said this?" }
`,
      'no-script.yml': 'title: Quiet\nseverity: SEV4\n',
      'no-after.yml': 'title: Quiet\nscript:\n  - { from: Alertmanager, text: FIRING }\n',
      'broken.yml': 'title: [unclosed\n',
      'Bad Name.yml': GOOD,
      'end.yml': GOOD,
      'fine.yml': GOOD,
    });
    expect(problemsOf(dir)).toEqual([
      `${join(dir, 'Bad Name.yml')}: the file name is typed after /incident drill, so it must be lowercase letters, digits and hyphens (and not "end"), e.g. database-down.yml`,
      `${join(dir, 'bad-fields.yml')}: title must not be empty`,
      `${join(dir, 'bad-fields.yml')}: severity must be one of SEV1, SEV2, SEV3, SEV4`,
      `${join(dir, 'bad-fields.yml')}: script.0.after must be a duration such as 45s, 10m, 1h or 1h30m, or 0, not "soon"`,
      `${join(dir, 'bad-fields.yml')}: script.1.from is missing`,
      `${join(dir, 'bad-fields.yml')}: the file has unknown setting "colour"`,
      expect.stringMatching(new RegExp(`^${join(dir, 'broken.yml').replace(/[.]/g, '\\.')} cannot be read: `)),
      `${join(dir, 'end.yml')}: the file name is typed after /incident drill, so it must be lowercase letters, digits and hyphens (and not "end"), e.g. database-down.yml`,
      `${join(dir, 'no-after.yml')}: severity is missing`,
      `${join(dir, 'no-after.yml')}: script.0.after is missing`,
      `${join(dir, 'no-script.yml')}: script must be a list of messages, each with after, from and text`,
    ]);
  });

  it('stops start-up with the scenario problems among the configuration errors', () => {
    const dir = drillsDir({ 'oops.yml': 'title: Oops\nseverity: SEV2\nscript: []\n' });
    let error: unknown;
    try {
      loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 'abcdef0123456789abcdef', INCIDENT_DRILLS_DIR: dir });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([`${join(dir, 'oops.yml')}: script must have at least one message (see README, Drills)`]);
  });

  it('has no scenarios without a drills folder, unless INCIDENT_DRILLS_DIR names one that is missing', () => {
    const missing = join(scratchDir(), 'nowhere');
    expect(loadDrillScenarios(missing, false)).toEqual({ scenarios: [] });
    expect(problemsOf(missing)).toEqual([`${missing} (INCIDENT_DRILLS_DIR) does not exist: make the folder or unset INCIDENT_DRILLS_DIR`]);
  });
});
