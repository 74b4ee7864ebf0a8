/**
 * The web pages in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core):
 * browse to a file and download it; the availability calendar and the job dashboard render, on
 * a desktop and on a phone-sized screen. Screenshots go to test-artifacts/.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { startApiFixture, type ApiFixture } from './api-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.resolve('test-artifacts');
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const FILE = 'mms1_fgm_srvy_l2_20151016_v4.18.0.cdf';
const embedded = backends()[0]!;

// Without Chromium outside CI the suite is skipped; CI installs it (.ci/run), so there it runs.
describe.skipIf(!existsSync(CHROMIUM) && process.env.CI !== 'true')('web pages in headless Chromium', () => {
  let f: ApiFixture;
  let browser: Browser;
  let bytes: Buffer;

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    f = await startApiFixture(embedded);
    bytes = await f.ingest(FILE);
    await f.ingest('mms2_fgm_srvy_l2_20151017_v4.18.0.cdf');
    await f.ingest('mms1_fgm_srvy_l1a_20151016_v1.0.0.cdf');
    await f.release(FILE, 'mms2_fgm_srvy_l2_20151017_v4.18.0.cdf');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await f?.close();
  });

  it('browses to a file by its filters and downloads it', async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(f.baseUrl);
    await page.screenshot({ path: path.join(ARTIFACTS, 'file-browser.png'), fullPage: true });
    await page.selectOption('select[name=spacecraft]', 'mms1');
    await page.selectOption('select[name=instrument]', 'fgm');
    await page.fill('input[name=date]', '2015-10-16');
    await Promise.all([page.waitForURL(/spacecraft=mms1/), page.click('button[type=submit]')]);
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain(FILE);
    expect(await page.locator('tbody').textContent()).not.toContain('l1a');
    const [download] = await Promise.all([page.waitForEvent('download'), rows.first().getByText('download').click()]);
    expect(download.suggestedFilename()).toBe(FILE);
    const saved = path.join(ARTIFACTS, FILE);
    await download.saveAs(saved);
    expect((await readFile(saved)).equals(bytes)).toBe(true);
    await context.close();
  });

  it('shows the availability calendar with the days that have data, readable on a phone', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true });
    const page = await context.newPage();
    await page.goto(`${f.baseUrl}/availability?product=mms1_fgm_srvy_l2&month=2015-10`);
    expect(await page.locator('.cal .has').allTextContents()).toEqual(['16']);
    const width = await page.evaluate('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(ARTIFACTS, 'availability-phone.png'), fullPage: true });
    await page.goto(f.baseUrl);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(ARTIFACTS, 'file-browser-phone.png'), fullPage: true });
    await context.close();
  });

  it('asks for a login on the job dashboard and shows it to the team', async () => {
    await f.accounts.createUser('ops', 'ops-pass');
    await f.accounts.grantRole('ops', 'operator');
    // Chromium turns an unanswered Basic challenge into a navigation error; the request API shows the answer itself.
    const anonymous = await browser.newContext();
    const refused = await anonymous.request.get(`${f.baseUrl}/jobs`);
    expect(refused.status()).toBe(401);
    expect(refused.headers()['www-authenticate']).toMatch(/^Basic realm=/);
    await anonymous.close();
    // Credentials sent up front, as a logged-in client does (a challenge dialog is not what this test checks).
    const team = await browser.newContext({ extraHTTPHeaders: f.basic('ops', 'ops-pass') });
    const page = await team.newPage();
    const res = await page.goto(`${f.baseUrl}/jobs`);
    expect(res?.status(), await res?.text()).toBe(200);
    expect(await page.locator('h1').textContent()).toBe('Jobs');
    await page.screenshot({ path: path.join(ARTIFACTS, 'jobs.png'), fullPage: true });
    await team.close();
  });
});
