/**
 * The sandbox as a person uses it, in headless Chromium (Debian's, driven by playwright-core):
 * `npm run sandbox` in a child process, and the page driven by role and name only, as a screen
 * reader user would. Prints the page's first paint and the time from Enter to the new channel.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { REPO_ROOT, scratchDir } from '../support/launcher.js';

const CHROMIUM = '/usr/bin/chromium';

interface RunningSandbox {
  url: string;
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** `npm run sandbox` (the same command line) with a scratch database; resolves once it prints its URL. */
async function startSandbox(env: Record<string, string> = {}): Promise<RunningSandbox> {
  const cwd = scratchDir();
  const child = spawn(process.execPath, [join(REPO_ROOT, 'dist/sandbox/run.js')], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', SANDBOX_PORT: '0', LOG_PRETTY: 'false', LOG_LEVEL: 'warn', DATABASE_PATH: join(cwd, 'sandbox.db'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the sandbox did not print its URL within 30 s:\n${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const found = /open (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    void exited.then((code) => reject(new Error(`the sandbox exited (${code}) before printing its URL:\n${output}`)));
  });
  return { url, child, output: () => output, exited };
}

describe('the sandbox page in Chromium', () => {
  let sandbox: RunningSandbox;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // Never a silent pass: without the browser these tests fail, saying how to get it.
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) to run the browser tests`);
    sandbox = await startSandbox();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 1200 } });
  });

  afterAll(async () => {
    await browser?.close();
    if (sandbox && sandbox.child.exitCode === null) {
      sandbox.child.kill('SIGINT');
      await sandbox.exited;
    }
  });

  it('declares from the message box, posts an update, pins a message, resolves and opens the post-mortem', async () => {
    await page.goto(sandbox.url);
    // The paint entry may be recorded a moment after the load event: wait for it (buffered), at most 5 s.
    const firstPaintMs = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          new PerformanceObserver((list) => {
            const paint = list.getEntriesByName('first-contentful-paint')[0];
            if (paint) resolve(paint.startTime);
          }).observe({ type: 'paint', buffered: true });
          setTimeout(() => resolve(Number.NaN), 5000);
        }),
    );

    const channels = page.getByRole('navigation', { name: 'Channels' });
    await channels.getByRole('link', { name: '#general' }).click();
    const main = page.getByRole('main');
    await expect.poll(() => main.getByRole('heading', { name: '#general' }).count()).toBe(1);

    // Declare from the message box and fill the modal.
    const messageBox = page.getByRole('textbox', { name: 'Message #general' });
    await messageBox.fill('/incident declare');
    await messageBox.press('Enter');
    const declare = page.getByRole('dialog', { name: 'Declare an incident' });
    await declare.waitFor();
    // A required field left empty is said under it, as Slack's client says it, and nothing is sent.
    await declare.getByRole('button', { name: 'Declare' }).click();
    await declare.getByText('Please fill out this field.').waitFor();
    await declare.getByRole('textbox', { name: 'Title' }).fill('Checkout is down');
    await declare.getByRole('combobox', { name: 'Severity' }).selectOption({ label: 'SEV1 · Critical' });
    await declare.getByRole('textbox', { name: /What is happening \/ impact/ }).fill('Every checkout returns *500*; <b>no</b> orders since 03:00');
    await declare.getByRole('combobox', { name: 'Incident commander' }).selectOption({ label: 'Alice' });
    const incidentLink = channels.getByRole('link', { name: /^#incident-\d{4}-\d{2}-\d{2}-checkout-is-down$/ });
    const enteredAt = Date.now();
    await declare.getByRole('textbox', { name: 'Title' }).press('Enter');
    await incidentLink.waitFor();
    const enterToChannelMs = Date.now() - enteredAt;
    await expect.poll(() => declare.getByText('Incident declared').count()).toBeGreaterThan(0);
    await declare.getByRole('button', { name: 'Close' }).click();

    // Open the new channel: topic, pinned summary, members.
    await incidentLink.click();
    const channelName = (await incidentLink.textContent())!.trim();
    await main.getByRole('heading', { name: channelName }).waitFor();
    await expect.poll(() => main.getByText(/SEV1 · Investigating · IC @Alice/).count()).toBeGreaterThan(0);
    const pinned = main.getByRole('region', { name: 'Pinned items' });
    await expect.poll(() => pinned.getByRole('listitem').count()).toBe(1);
    // What was typed shows as text, never as markup.
    await expect.poll(() => main.getByText('<b>no</b> orders', { exact: false }).count()).toBeGreaterThan(0);

    // Post an update with the pinned summary's button.
    const summary = main.getByRole('listitem').filter({ has: page.getByRole('button', { name: 'Post update' }) });
    await summary.getByRole('button', { name: 'Post update' }).click();
    const update = page.getByRole('dialog', { name: 'Post a status update' });
    await update.waitFor();
    await update.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Identified' });
    await update.getByRole('textbox', { name: 'What changed' }).fill('Connection pool exhausted after deploy 4521');
    await update.getByRole('button', { name: 'Post update' }).click();
    await update.waitFor({ state: 'hidden' });
    const updateMessage = main.getByRole('listitem').filter({ hasText: 'Connection pool exhausted after deploy 4521' }).filter({ hasNotText: 'Post update' }).first();
    await updateMessage.waitFor();

    // Pin a message with :pushpin:.
    await page.getByRole('textbox', { name: `Message ${channelName}` }).fill('Rolled back deploy 4521 at 03:20');
    await page.getByRole('textbox', { name: `Message ${channelName}` }).press('Enter');
    const rollback = main.getByRole('listitem').filter({ hasText: 'Rolled back deploy 4521 at 03:20' });
    await rollback.waitFor();
    await rollback.getByRole('button', { name: 'Pin with :pushpin:' }).click();
    await rollback.getByRole('button', { name: 'Remove :pushpin: reaction (1)' }).waitFor();

    await mkdirSyncSafe(join(REPO_ROOT, 'docs'));
    await page.screenshot({ path: join(REPO_ROOT, 'docs/sandbox.png') });

    // Resolve with the summary's button.
    await summary.getByRole('button', { name: 'Resolve' }).click();
    const resolve = page.getByRole('dialog', { name: 'Resolve the incident' });
    await resolve.waitFor();
    await resolve.getByRole('textbox', { name: 'Resolution summary' }).fill('Rolled back deploy 4521; error rate back to normal');
    await resolve.getByRole('button', { name: 'Resolve' }).click();
    await resolve.waitFor({ state: 'hidden' });
    await expect.poll(() => main.getByText(/SEV1 · Resolved/).count(), { timeout: 15_000 }).toBeGreaterThan(0);

    // Open the post-mortem draft.
    const viewFile = main.getByRole('button', { name: /^View Post-mortem/i });
    await viewFile.first().waitFor({ timeout: 15_000 });
    await viewFile.first().click();
    const draft = page.getByRole('dialog', { name: /Post-mortem/i });
    await draft.waitFor();
    await expect.poll(() => draft.getByText('Rolled back deploy 4521 at 03:20', { exact: false }).count()).toBeGreaterThan(0);
    await expect.poll(() => draft.getByRole('link', { name: /^Download postmortem-.*\.md$/ }).count()).toBe(1);

    await draft.getByRole('button', { name: 'Close' }).click();

    // Acting as someone else: Carol sees the public incident but not Alice's note to herself, and a mistyped command shows an alert.
    await page.getByRole('combobox', { name: 'Acting as' }).selectOption({ label: 'Carol (support)' });
    await channels.getByRole('link', { name: channelName }).click();
    await main.getByRole('heading', { name: channelName }).waitFor();
    await expect.poll(() => main.getByText('Only visible to you').count()).toBe(0);
    await page.getByRole('textbox', { name: `Message ${channelName}` }).fill('/incidnet status');
    await page.getByRole('textbox', { name: `Message ${channelName}` }).press('Enter');
    await page.getByRole('alert').getByText('/incidnet is not a valid command.', { exact: false }).waitFor();

    console.log(`sandbox page: first paint ${firstPaintMs.toFixed(0)} ms; Enter → new channel shown ${enterToChannelMs} ms; screenshot docs/sandbox.png`);
  });

  it('declares with a type (the form redraws with its fields), shows the fields in the pinned summary, and the Home tab lists the open incident, live', async () => {
    // The previous test's alert is dismissed, as a person would, so the screenshot shows the Home tab alone.
    const dismiss = page.getByRole('alert').getByRole('button', { name: 'Dismiss' });
    while ((await dismiss.count()) > 0) await dismiss.first().click();
    await page.getByRole('combobox', { name: 'Acting as' }).selectOption({ label: 'Alice (on-call engineer)' });
    const channels = page.getByRole('navigation', { name: 'Channels' });
    const main = page.getByRole('main');
    await channels.getByRole('link', { name: '#general' }).click();
    await main.getByRole('heading', { name: '#general' }).waitFor();
    const messageBox = page.getByRole('textbox', { name: 'Message #general' });
    await messageBox.fill('/incident declare Stripe webhooks failing');
    await messageBox.press('Enter');
    const declare = page.getByRole('dialog', { name: 'Declare an incident' });
    await declare.waitFor();
    const impact = declare.getByRole('textbox', { name: /What is happening \/ impact/ });
    await impact.fill('Premium purchases fail at payment confirmation');

    // Choosing a type sends block_actions at once; the bot redraws the open form with that type's fields.
    const chosenAt = Date.now();
    await declare.getByRole('combobox', { name: /^Type/ }).selectOption({ label: 'Payments' });
    const providers = declare.getByRole('listbox', { name: /^Payment providers/ });
    await providers.waitFor();
    const typeToFieldsMs = Date.now() - chosenAt;
    // What was typed before the redraw stays, as Slack keeps an input's state across views.update.
    expect(await impact.inputValue()).toBe('Premium purchases fail at payment confirmation');
    await providers.selectOption(['Stripe', 'Adyen']);
    const failed = declare.getByRole('textbox', { name: /^Failed payments so far/ });
    await failed.fill('about 40');
    await declare.getByLabel(/^First failed payment/).fill('2026-11-24');
    await declare.getByRole('textbox', { name: /^Webhook errors seen/ }).fill('Stripe signature verification failed');
    await declare.getByRole('combobox', { name: 'Severity' }).selectOption({ label: 'SEV2 · High' });
    await declare.getByRole('button', { name: 'Declare' }).click();
    // A number box takes a number, said under it, and nothing is sent.
    await declare.getByText('Please enter a number.').waitFor();
    await failed.fill('40');
    const incidentLink = channels.getByRole('link', { name: /^#pay-\d{4}-\d{2}-\d{2}-stripe-webhooks-failing$/ });
    await declare.getByRole('button', { name: 'Declare' }).click();
    await incidentLink.waitFor();
    await expect.poll(() => declare.getByText('Incident declared').count()).toBeGreaterThan(0);
    await declare.getByRole('button', { name: 'Close' }).click();

    // The pinned summary shows the type's fields as they were filled in.
    await incidentLink.click();
    const channelName = (await incidentLink.textContent())!.trim();
    await main.getByRole('heading', { name: channelName }).waitFor();
    const summary = main.getByRole('listitem').filter({ has: page.getByRole('button', { name: 'Post update' }) });
    await expect.poll(() => summary.getByText('Stripe, Adyen').count()).toBeGreaterThan(0);
    for (const shown of ['Payment providers', 'Failed payments so far', '40', '2026-11-24', 'Stripe signature verification failed']) {
      expect(await summary.getByText(shown, { exact: false }).count(), shown).toBeGreaterThan(0);
    }

    // The Home tab: opening it tells the bot (app_home_opened), which publishes it; the open incident is listed.
    await channels.getByRole('link', { name: 'Incident Commander · Home' }).click();
    await main.getByRole('heading', { name: 'Home' }).waitFor();
    await expect.poll(() => main.getByText('Stripe webhooks failing', { exact: false }).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await expect.poll(() => main.getByText('Open incidents (1)').count()).toBe(1);

    // Bob declares another incident meanwhile: the bot republishes Alice's Home and the page shows it without a reload.
    const asBob = async (method: 'GET' | 'POST', path: string, body?: Record<string, unknown>) => {
      const response = await fetch(`${sandbox.url}${path}${method === 'GET' ? '?as=UBOB' : ''}`, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify({ as: 'UBOB', ...body }) : undefined });
      expect(response.status).toBe(200);
      return (await response.json()) as Record<string, any>;
    };
    await asBob('POST', '/api/channels/CGENERAL/messages', { text: '/incident declare Login page slow' });
    const bobsForm = await vi.waitFor(async () => (await asBob('GET', '/api/state')).modal as { id: string }, { timeout: 10_000 });
    const republishedFrom = Date.now();
    await asBob('POST', `/api/views/${bobsForm.id}/submit`, { values: { title: 'Login page slow', incident_type: null, severity: 'SEV3', impact: null, impact_started: null, commander: 'UBOB', visibility: [] } });
    await main.getByText('Login page slow', { exact: false }).waitFor({ timeout: 20_000 });
    const republishMs = Date.now() - republishedFrom;
    await expect.poll(() => main.getByText('Open incidents (2)').count()).toBe(1);
    await page.screenshot({ path: join(REPO_ROOT, 'docs/sandbox-home.png') });

    console.log(`sandbox page: Type chosen → its fields shown ${typeToFieldsMs} ms; another's declaration → Home republished and shown ${republishMs} ms; screenshot docs/sandbox-home.png`);
  });
});

function mkdirSyncSafe(path: string): void {
  mkdirSync(path, { recursive: true });
}
