/**
 * The SITL page in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core): load
 * a window, see its deadline count down and its quicklook plot, change a FOM, see the validation
 * messages, submit. Screenshots go to test-artifacts/.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TeamAccounts } from '../../src/api/access/team-accounts.js';
import { backends } from '../support/backends.js';
import { startTestSdc, type TestSdc } from '../support/test-sdc.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.resolve('test-artifacts');
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const START = 1812824440;

// Without Chromium outside CI the suite is skipped; CI installs it (.ci/run), so there it runs.
describe.skipIf(!existsSync(CHROMIUM) && process.env.CI !== 'true')('the SITL page in headless Chromium', () => {
  let t: TestSdc;
  let baseUrl: string;
  let browser: Browser;
  let windowId: number;

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    t = await startTestSdc(backends()[0]!, { mission: path.resolve('missions/mms') });
    baseUrl = await t.sdc.startApi();
    await t.sdc.startSitl();
    const accounts = new TeamAccounts(t.sdc.catalog.db, 'mms');
    await accounts.createUser('alice', 'alice-pass');
    await accounts.grantRole('alice', 'sitl');
    const rows = ['SC_ID,TAITIMESTAMP,DATASEGMENTID,CDQ,MDQ'];
    for (let i = 0; i < 120; i += 1) rows.push(`mms1,${START + i * 10},,${i >= 40 && i < 60 ? 120 : 0},${i >= 40 && i < 60 ? 120 : 0}`);
    const file = path.join(t.dataDir, 'mms_burst_metadata_20150612182005_20150612184005.csv');
    await writeFile(file, `${rows.join('\n')}\n`);
    await t.sdc.ingest.ingest({ path: file, name: path.basename(file), source: 'drop' });
    for (let i = 0; i < 200 && windowId === undefined; i += 1) {
      windowId = (await t.sdc.catalog.db.selectFrom('sitl_windows').select('id').executeTakeFirst())?.id as number;
      if (windowId === undefined) await sleep(50);
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('loads the window with its deadline counting down and its plot, validates a changed FOM as the SITL types, and submits the draft', async () => {
    const context = await browser.newContext({ httpCredentials: { username: 'alice', password: 'alice-pass' } });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/sitl`);
    await Promise.all([page.waitForURL(/\/sitl\/windows\//), page.click(`a[href="/sitl/windows/${windowId}"]`)]);
    // The deadline (4 h after the evaluation, mission.yaml) counts down; the plot loads.
    const countdown = page.locator('#deadline .countdown');
    await expect.poll(() => countdown.textContent()).toMatch(/^\(closes in 3 h 5\d min \d+ s\)$/);
    const shown = await countdown.textContent();
    await expect.poll(() => countdown.textContent(), { timeout: 3_000 }).not.toBe(shown);
    await expect.poll(() => page.locator('#plot').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(960);
    const result = page.locator('#result');
    const findings = page.locator('#messages li');
    await expect.poll(() => result.textContent()).toBe('the submission was not accepted: it has warnings to confirm');
    expect(await findings.allTextContents()).toEqual(['Warning: the selections are the automated selections, unmodified; confirm to submit them as they are']);
    const fom = page.locator('tbody tr').first().locator('input[name=fom]');
    await fom.fill('300');
    await expect.poll(() => findings.allTextContents()).toEqual(['Error: selection 1: FOM 300 is outside the allowed range 0-255']);
    await page.screenshot({ path: path.join(ARTIFACTS, 'sitl-window-error.png'), fullPage: true });
    await fom.fill('210');
    await expect.poll(() => findings.allTextContents()).toEqual([expect.stringMatching(/^Super-SITL: selection 1: FOM 210 is above 200\. Submission needs SuperSITL Approval!/)]);
    await fom.fill('130');
    await expect.poll(() => result.textContent()).toBe('the selections would be accepted');
    expect(await findings.count()).toBe(0);
    await page.click('button[name=draft]');
    await expect.poll(() => result.textContent()).toBe('draft accepted');
    await page.screenshot({ path: path.join(ARTIFACTS, 'sitl-window-submitted.png'), fullPage: true });
    const submissions = await t.sdc.catalog.db.selectFrom('sitl_submissions').select(['kind', 'submitted_by']).execute();
    expect(submissions).toEqual([{ kind: 'draft', submitted_by: 'alice' }]);
    await context.close();
  });
});
