/**
 * The status page in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core):
 * the public sees data availability and release information; a team member also sees the day's
 * data latency with what is late, the failed jobs and the open operator alerts; readable on a
 * phone. Screenshots go to test-artifacts/.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TeamAccounts } from '../../src/api/access/team-accounts.js';
import { backends } from '../support/backends.js';
import { startTestSdc, type TestSdc } from '../support/test-sdc.js';
import { processLatencyDay, RAW, SLOW_MISSION } from './latency-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.resolve('test-artifacts');
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// Without Chromium outside CI the suite is skipped; CI installs it (.ci/run), so there it runs.
describe.skipIf(!existsSync(CHROMIUM) && process.env.CI !== 'true')('the status page in headless Chromium', () => {
  let t: TestSdc;
  let baseUrl: string;
  let browser: Browser;
  const team = { authorization: `Basic ${Buffer.from('ops:ops-pass').toString('base64')}` };

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    t = await startTestSdc(backends()[0]!, { mission: SLOW_MISSION });
    await processLatencyDay(t);
    const db = t.sdc.catalog.db;
    await db.updateTable('files').set({ released_at: new Date('2020-03-03T12:00:00Z') }).where('name', '=', RAW).execute();
    await db.insertInto('operator_alerts').values({ key: 'disk:/srv/sdc', kind: 'disk', subject: 'disk filling at /srv/sdc: 4.0% free (limit 10%)', detail: '12.00 GB free for /srv/sdc', last_sent_at: new Date(), resolved_at: null }).execute();
    const accounts = new TeamAccounts(db, 'slow');
    await accounts.createUser('ops', 'ops-pass');
    await accounts.grantRole('ops', 'operator');
    baseUrl = await t.sdc.startApi();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the public its data availability and release information, and nothing internal', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(`${baseUrl}/status?day=2020-03-01`);
    expect(response?.status()).toBe(200);
    expect(await page.locator('#public tbody tr').allTextContents()).toEqual(['s1-mag-raw2020-03-0212020-03-03 12:00']);
    expect(await page.locator('#latency').count()).toBe(0);
    expect(await page.locator('#alerts').count()).toBe(0);
    await page.locator('#public a').click();
    await page.waitForURL(/\/availability\?product=s1-mag-raw&month=2020-03/);
    await context.close();
  });

  it('shows a team member what is late, what failed and the open alerts, readable on a phone', async () => {
    const context = await browser.newContext({ extraHTTPHeaders: team, viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true });
    const page = await context.newPage();
    const response = await page.goto(`${baseUrl}/status?day=2020-03-01`);
    expect(response?.status(), await response?.text()).toBe(200);
    expect(await page.locator('#latency tbody tr').count()).toBe(2);
    const calRow = page.locator('#latency tbody tr', { hasText: 's1-mag-cal' });
    expect(await calRow.locator('td.bad').count()).toBe(2);
    expect(await page.locator('#late li').allTextContents()).toEqual([
      expect.stringMatching(/available took 3\.0 h \(limit 2\.0 h\)$/),
      expect.stringMatching(/released still waiting after \d+\.\d d \(limit 24\.0 h\)$/),
    ]);
    expect(await page.locator('#failed li').textContent()).toMatch(/job \d+ dead slow-cal@0\.1\.0 s1: the processor exited with 3/);
    expect(await page.locator('#alerts tbody tr').textContent()).toContain('disk filling at /srv/sdc: 4.0% free (limit 10%)');
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(ARTIFACTS, 'status-phone.png'), fullPage: true });
    await context.close();
  });

  it('when the day is not a date, then the page answers 400 with the expected form', async () => {
    const context = await browser.newContext();
    const response = await context.request.get(`${baseUrl}/status?day=03-01-2020`);
    expect(response.status()).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid-request', message: "day must look like 2015-10-16, got '03-01-2020'" } });
    await context.close();
  });
});
