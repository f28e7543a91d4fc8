/** `npm run sandbox` as a process: its settings, where it listens, its database, Ctrl-C. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runScript, scratchDir } from '../support/launcher.js';


describe('npm run sandbox', () => {
  it('refuses bad settings with one line each, naming the variable', async () => {
    const { code, stderr } = await runScript('dist/sandbox/run.js', [], { SANDBOX_PORT: '99999', SANDBOX_SPEED: 'fast' });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      'Configuration error: SANDBOX_PORT must be between 0 and 65535, not "99999"',
      'Configuration error: SANDBOX_SPEED must be a number such as 1 or 60, not "fast"',
    ]);
  });

  it('needs no Slack token, keeps ./data/sandbox.db, listens on 127.0.0.1 and stops cleanly on Ctrl-C', async () => {
    const cwd = scratchDir();
    // No SLACK_* at all: the sandbox brings its own Slack.
    const child = spawn(process.execPath, [join(REPO_ROOT, 'dist/sandbox/run.js')], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', SANDBOX_PORT: '0', SANDBOX_SPEED: '60', LOG_PRETTY: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      const read = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const found = /open (http:\/\/127\.0\.0\.1:\d+) in your browser \(the bot's clock runs 60× faster\)/.exec(output)?.[1];
        if (found) resolve(found);
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
      void exited.then((code) => reject(new Error(`exited ${code}: ${output}`)));
    });
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Incident Commander');
    const listening = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line.msg === 'incident commander is listening');
    expect(listening).toMatchObject({ database: './data/sandbox.db', mode: 'http' });
    expect(existsSync(join(cwd, 'data/sandbox.db'))).toBe(true);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
