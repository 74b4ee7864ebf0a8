/**
 * Reprocessing campaigns on both backends, with the chain test mission (RAW + GAIN -> CAL -> SUM,
 * shell processors): previews (a date range, a new calibration file, a promotion), a campaign
 * queued at its rate below live priority that survives a new service instance (a restart), pause,
 * resume, cancel, a campaign from an explicit list of scopes, and the processing schedules.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntilQuiet } from '../../src/app/wait-until-quiet.js';
import { loadConfig } from '../../src/config/load-config.js';
import { CampaignService, eta } from '../../src/jobs/campaign-service.js';
import { refill } from '../../src/jobs/campaign-pump.js';
import { scopesOfNewFile, scopesOfPromotion } from '../../src/jobs/campaign-scopes.js';
import { CAMPAIGN_PRIORITY } from '../../src/jobs/job-planner.js';
import { startProcessingSchedules } from '../../src/jobs/processing-schedules.js';
import { previewRebuild } from '../../src/jobs/rebuild-preview.js';
import { backends } from '../support/backends.js';
import { quietLogger, startTestSdc, type TestSdc } from '../support/test-sdc.js';
import { arrive, bundleVersion, CHAIN } from './chain-fixture.js';

const day = (d: string) => new Date(`${d}T00:00:00Z`);

describe('campaign arithmetic', () => {
  it('refills the token bucket at the rate, capped at a minute of it (at least one job)', () => {
    expect(refill(0, 1, 2.5)).toBe(2.5);
    expect(refill(10, 1, 3600)).toBe(60);
    expect(refill(0, 0.001, 3600)).toBe(1);
    expect(refill(2, 1, -5)).toBe(2);
  });

  it('estimates the time left from the rate, or from the observed pace when the workers are slower', () => {
    expect(eta(0, 1, 10, 10)).toBe(0);
    expect(eta(60, 1, 0, 0)).toBe(60);
    expect(eta(60, 1, 10, 100)).toBe(600);
  });
});

describe('processing schedule configuration', () => {
  it('defaults to a nightly re-check and a pump every 5 s, turns one off with null, and refuses a bad expression with its key', async () => {
    expect((await loadConfig({ env: {} })).processing.schedules).toEqual({ recheckWaiting: '30 2 * * *', campaignPump: '*/5 * * * * *' });
    expect((await loadConfig({ env: {}, overrides: { processing: { schedules: { campaignPump: null } } } })).processing.schedules).toEqual({ recheckWaiting: '30 2 * * *', campaignPump: null });
    await expect(loadConfig({ env: {}, overrides: { processing: { schedules: { campaignPump: 'every minute' } } } })).rejects.toThrow(/processing\.schedules\.campaignPump.*a cron expression/);
  });
});

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`reprocessing campaigns on ${backend.name}`, () => {
    let t: TestSdc;
    let tmp: string;
    const logger = quietLogger();

    beforeAll(async () => {
      t = await startTestSdc(backend, { mission: CHAIN, processing: { retryDelaysMs: [200], concurrency: 2, debounceMs: 50, schedules: { campaignPump: null, recheckWaiting: null } } });
      tmp = await mkdtemp(path.join(os.tmpdir(), 'sdc-campaign-'));
      await t.sdc.startProcessing();
      await arrive(t.sdc, path.join(tmp, 'in'), {
        'CHAIN-C1-MAG-GAIN-2020-03-01-R1.txt': '2\n',
        'CHAIN-C2-MAG-GAIN-2020-03-01-R1.txt': '3\n',
        ...Object.fromEntries(['C1', 'C2'].flatMap((sc) => ['01', '02', '03'].map((d) => [`CHAIN-${sc}-MAG-RAW-2020-03-${d}-R1.txt`, '1\n2\n']))),
      });
      await waitUntilQuiet(t.sdc, { timeoutMs: 60_000, settleMs: 500 });
    }, 120_000);
    afterAll(async () => {
      await t?.close();
      await rm(tmp, { recursive: true, force: true });
    });

    const jobCount = async () => Number((await t.sdc.catalog.db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

    it('when a date range is previewed, then the requested jobs that already ran show as unchanged, the summaries downstream are counted, and nothing is queued', async () => {
      expect(await jobCount()).toBe(12);
      const { scopes, pin } = await t.sdc.campaigns.planRange({ instrument: 'mag', level: 'cal', from: day('2020-03-01'), to: day('2020-03-03') });
      expect(pin).toBeUndefined();
      expect(scopes.map((s) => `${s.rule} ${s.groupKey} ${s.windowStart.toISOString().slice(0, 10)}`)).toEqual([
        'calibrate c1 2020-03-01', 'calibrate c2 2020-03-01', 'calibrate c1 2020-03-02', 'calibrate c2 2020-03-02',
      ]);
      const preview = await t.sdc.campaigns.preview(scopes);
      const [requested, downstream] = [preview.rows.find((r) => !r.downstream)!, preview.rows.find((r) => r.downstream)!];
      expect(requested).toMatchObject({ rule: 'calibrate', processor: 'mag-cal@1.0.0', levels: ['cal'], jobs: 4, unchanged: 4, files: 4, products: { 'c1-mag-cal': 2, 'c2-mag-cal': 2 }, firstDay: '2020-03-01', lastDay: '2020-03-02' });
      expect(requested.ready).toBeUndefined();
      expect(downstream).toMatchObject({ rule: 'summarise', jobs: 4, files: 4, levels: ['sum'] });
      expect(preview).toMatchObject({ jobs: 8, files: 8, truncated: false });
      expect(await jobCount()).toBe(12);
    });

    it('when a new calibration file is previewed, then it re-triggers its spacecraft\'s days from its start and their summaries', async () => {
      const parsed = t.sdc.mission.grammar.parse('CHAIN-C1-MAG-GAIN-2020-03-02-R1.txt');
      const scopes = await scopesOfNewFile(t.sdc.catalog.db, t.sdc.mission, parsed);
      expect(scopes.map((s) => `${s.rule} ${s.groupKey} ${s.windowStart.toISOString().slice(0, 10)}`)).toEqual(['calibrate c1 2020-03-02', 'calibrate c1 2020-03-03']);
      const preview = await previewRebuild({ db: t.sdc.catalog.db, mission: t.sdc.mission, processors: t.sdc.processors }, scopes, { checkReadiness: false });
      expect(preview.rows.map((r) => [r.rule, r.downstream, r.jobs, r.files])).toEqual([['calibrate', false, 2, 2], ['summarise', true, 2, 2]]);
    });

    it('when a new version is previewed for promotion, then every scope last run by another version is ready to rebuild', async () => {
      await t.sdc.processors.deploy(await bundleVersion(tmp, 'mag-cal', '2.0.0'), 'staging', 'test');
      const scopes = await scopesOfPromotion(t.sdc.catalog.db, t.sdc.mission, { name: 'mag-cal', version: '2.0.0' });
      expect(scopes).toHaveLength(6);
      const pin = (await t.sdc.processors.list()).find((d) => d.version === '2.0.0')!;
      const preview = await previewRebuild({ db: t.sdc.catalog.db, mission: t.sdc.mission, processors: t.sdc.processors }, scopes, { pin: { ...pin, tier: 'production' }, checkReadiness: true, identityTier: 'production' });
      expect(preview.rows.find((r) => !r.downstream)).toMatchObject({ processor: 'mag-cal@2.0.0', jobs: 6, ready: 6 });
      expect(preview.rows.find((r) => r.downstream)).toMatchObject({ rule: 'summarise', jobs: 6 });
    });

    it('when a campaign runs, then its jobs are queued at its rate and campaign priority, a new service instance carries on, pause holds it, the downstream jobs join it, and it ends done once they settle', async () => {
      await t.sdc.processors.promote('mag-cal', '2.0.0', 'test');
      const { scopes } = await t.sdc.campaigns.planRange({ level: 'cal', from: day('2020-03-01'), to: day('2020-03-04'), processor: 'mag-cal@2.0.0' });
      const created = await t.sdc.campaigns.create({ description: 'gain fix', scopes, processor: 'mag-cal@2.0.0', ratePerMinute: 60, createdBy: 'test' });
      const t0 = Date.now();
      expect(created).toMatchObject({ state: 'running', processor: 'mag-cal@2.0.0', tier: 'production', items: 6, pending: 6, ratePerMinute: 60, etaSeconds: 6 });

      const first = await t.sdc.campaigns.pump(new Date(t0 + 2_000));
      expect(first).toHaveLength(3);
      expect(await t.sdc.campaigns.pump(new Date(t0 + 2_000))).toEqual([]);
      const queued = await t.sdc.catalog.db.selectFrom('jobs').selectAll().where('id', 'in', first).execute();
      expect(queued.every((j) => j.priority === CAMPAIGN_PRIORITY && j.campaign_id === created.id && j.processor_version === '2.0.0' && j.tier === 'production')).toBe(true);

      const restarted = new CampaignService({ db: t.sdc.catalog.db, mission: t.sdc.mission, processors: t.sdc.processors, logger });
      expect(await restarted.pump(new Date(t0 + 4_000))).toHaveLength(2);
      expect(await restarted.pause(created.id)).toMatchObject({ state: 'paused', pending: 1, etaSeconds: null });
      expect(await restarted.pump(new Date(t0 + 60_000))).toEqual([]);
      await restarted.resume(created.id);
      expect(await restarted.pump(new Date(Date.now() + 1_500))).toHaveLength(1);

      await waitUntilQuiet(t.sdc, { timeoutMs: 60_000, settleMs: 500 });
      await restarted.pump();
      expect(await t.sdc.campaigns.status(created.id)).toMatchObject({ state: 'running', done: 6, remaining: 0, etaSeconds: 0, downstream: { done: 6, failed: 0, inFlight: 0 } });
      await restarted.pump(new Date(Date.now() + 61_000));
      const done = await t.sdc.campaigns.status(created.id);
      expect(done).toMatchObject({ state: 'done', items: 6, done: 6, failed: 0, pending: 0, inFlight: 0, remaining: 0, etaSeconds: null });
      expect(done.finishedAt).not.toBeNull();
      const sums = await t.sdc.catalog.db.selectFrom('jobs').select(['campaign_id', 'priority']).where('rule', '=', 'summarise').where('state', '=', 'succeeded').execute();
      expect(sums).toHaveLength(12);
      expect(sums.filter((j) => j.campaign_id === created.id && j.priority === CAMPAIGN_PRIORITY)).toHaveLength(6);
    }, 90_000);

    it('when a campaign is made from an explicit list of scopes, then scopes whose job already ran are skipped with the reason', async () => {
      const campaign = await t.sdc.campaigns.create({
        description: 'descendants of a file',
        scopes: [
          { rule: 'calibrate', groupKey: 'c1', groupValues: { spacecraft: 'c1' }, windowStart: day('2020-03-01') },
          { rule: 'summarise', groupKey: 'c1', groupValues: { spacecraft: 'c1' }, windowStart: day('2020-03-01') },
          { rule: 'calibrate', groupKey: 'c1', groupValues: { spacecraft: 'c1' }, windowStart: day('2020-03-01') },
        ],
        ratePerMinute: 600,
        createdBy: 'test',
        selection: { descendantsOf: 'CHAIN-C1-MAG-GAIN-2020-03-01-R1.txt' },
      });
      expect(campaign).toMatchObject({ items: 2, processor: null, tier: null, selection: { descendantsOf: 'CHAIN-C1-MAG-GAIN-2020-03-01-R1.txt' } });
      expect(await t.sdc.campaigns.pump(new Date(Date.now() + 1_000))).toEqual([]);
      expect(await t.sdc.campaigns.status(campaign.id)).toMatchObject({ state: 'done', skipped: 2 });
      const notes = await t.sdc.catalog.db.selectFrom('campaign_items').select('note').where('campaign_id', '=', campaign.id).execute();
      expect(notes.map((n) => n.note)).toEqual([expect.stringContaining('is already queued, running or done'), expect.stringContaining('is already queued, running or done')]);
    });

    it('when a campaign is cancelled, then its pending scopes are never queued, and finished campaigns refuse pause and resume', async () => {
      const { scopes } = await t.sdc.campaigns.planRange({ instrument: 'mag', level: 'sum', from: day('2020-03-01'), to: day('2020-03-04') });
      const campaign = await t.sdc.campaigns.create({ description: 'to cancel', scopes, ratePerMinute: 1, createdBy: 'test' });
      expect(await t.sdc.campaigns.cancel(campaign.id)).toMatchObject({ state: 'cancelled', cancelled: 6, pending: 0 });
      expect(await t.sdc.campaigns.pump(new Date(Date.now() + 600_000))).toEqual([]);
      await expect(t.sdc.campaigns.resume(campaign.id)).rejects.toThrow(`campaign ${campaign.id} is cancelled; only a paused campaign can become running`);
      await expect(t.sdc.campaigns.pause(campaign.id)).rejects.toThrow('only a running campaign can become paused');
      await expect(t.sdc.campaigns.cancel(999_999)).rejects.toThrow('no campaign 999999 in mission chain');
      expect((await t.sdc.campaigns.list()).map((c) => c.id)).not.toContain(campaign.id);
      expect((await t.sdc.campaigns.list({ all: true })).map((c) => c.id)).toContain(campaign.id);
    });

    it('refuses campaigns that select nothing, name unknown rules, pin a processor of other rules, or ask for a bad rate or range', async () => {
      const scope = { rule: 'calibrate', groupKey: 'c1', groupValues: { spacecraft: 'c1' }, windowStart: day('2020-03-01') };
      const base = { description: 'x', ratePerMinute: 10, createdBy: 'test' };
      await expect(t.sdc.campaigns.create({ ...base, scopes: [] })).rejects.toThrow('the campaign selects no job');
      await expect(t.sdc.campaigns.create({ ...base, scopes: [{ ...scope, rule: 'nope' }] })).rejects.toThrow('unknown processing rule(s): nope');
      await expect(t.sdc.campaigns.create({ ...base, scopes: [{ ...scope, rule: 'summarise' }], processor: 'mag-cal@2.0.0' })).rejects.toThrow('rule(s) summarise do not run mag-cal');
      await expect(t.sdc.campaigns.create({ ...base, scopes: [scope], ratePerMinute: 0 })).rejects.toThrow('the rate must be between 0 and');
      await expect(t.sdc.campaigns.create({ ...base, scopes: [scope], processor: 'mag-cal@1.0.0' })).rejects.toThrow('mag-cal@1.0.0 is not active in any tier (production runs 2.0.0)');
      await expect(t.sdc.campaigns.create({ ...base, scopes: [scope], processor: 'mag-cal' })).rejects.toThrow('a processor version is written NAME@X.Y.Z');
      await expect(t.sdc.campaigns.planRange({ level: 'l9', from: day('2020-03-01'), to: day('2020-03-02') })).rejects.toThrow('no processing rule makes level=l9');
      await expect(t.sdc.campaigns.planRange({ level: 'cal', from: day('2020-03-02'), to: day('2020-03-01') })).rejects.toThrow('must be before --to');
      await expect(t.sdc.campaigns.planRange({ from: day('2020-03-01'), to: day('2020-03-02') })).rejects.toThrow('say what to reprocess');
    });

    it('when the processing schedules run, then the pump queues a running campaign\'s jobs and the re-check makes waiting scopes due again', async () => {
      await arrive(t.sdc, path.join(tmp, 'early'), { 'CHAIN-C2-MAG-RAW-2020-02-01-R1.txt': '5\n' });
      await waitUntilQuiet(t.sdc, { timeoutMs: 30_000, settleMs: 300 });
      const waiting = await t.sdc.catalog.db.selectFrom('job_triggers').selectAll().where('window_start', '=', day('2020-02-01')).executeTakeFirstOrThrow();
      expect(waiting.missing).toBe('waiting for kind=calibration, instrument=mag');
      const { scopes } = await t.sdc.campaigns.planRange({ level: 'sum', from: day('2020-03-03'), to: day('2020-03-04') });
      const campaign = await t.sdc.campaigns.create({ description: 'scheduled', scopes, ratePerMinute: 600, createdBy: 'test' });
      const schedules = startProcessingSchedules({ trigger: t.sdc.trigger, campaigns: t.sdc.campaigns, schedules: { campaignPump: '* * * * * *', recheckWaiting: '* * * * * *' }, logger, onQueued: () => t.sdc.relay.wake() });
      try {
        expect(schedules.names).toEqual(['recheck-waiting', 'campaign-pump']);
        const recheckedAt = async () => new Date((await t.sdc.catalog.db.selectFrom('job_triggers').select('updated_at').where('window_start', '=', day('2020-02-01')).executeTakeFirstOrThrow()).updated_at).getTime();
        for (let i = 0; i < 100 && ((await t.sdc.campaigns.status(campaign.id)).state !== 'done' || (await recheckedAt()) === new Date(waiting.updated_at).getTime()); i++) await sleep(100);
        expect(await t.sdc.campaigns.status(campaign.id)).toMatchObject({ state: 'done', items: 2 });
        expect(await recheckedAt()).toBeGreaterThan(new Date(waiting.updated_at).getTime());
      } finally {
        await schedules.stop();
      }
    }, 60_000);
  });
}
