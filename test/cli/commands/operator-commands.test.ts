/**
 * The operator's commands end to end, in process, on both backends: `sdc processor`
 * (deploy, list, promote --dry-run, promote, rollback, diff), `sdc jobs` (list, show, retry) and
 * `sdc reprocess` (dry run, create, status, pause, resume, cancel), each opening the SDC from a
 * configuration file as a user's shell would.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSdc } from '../../../src/app/open-sdc.js';
import { waitUntilQuiet } from '../../../src/app/wait-until-quiet.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { duration } from '../../../src/cli/commands/reprocess-command.js';
import { parseSince, parseTime } from '../../../src/cli/option-parsers.js';
import { textTable } from '../../../src/cli/text-table.js';
import { arrive, bundleVersion, CHAIN } from '../../jobs/chain-fixture.js';
import { backends } from '../../support/backends.js';
import { runCli } from '../../support/run-cli.js';
import { quietLogger } from '../../support/test-sdc.js';

describe('command-line helpers', () => {
  it('formats durations as the two largest units', () => {
    expect([duration(0), duration(59), duration(61), duration(3_725), duration(90_061)]).toEqual(['0s', '59s', '1m 1s', '1h 2m', '1d 1h']);
  });

  it('reads dates as UTC, ages back from now, and refuses anything else with the expected form', () => {
    expect(parseTime('2015-09-01').toISOString()).toBe('2015-09-01T00:00:00.000Z');
    expect(parseTime('2015-09-01T12:30:00').toISOString()).toBe('2015-09-01T12:30:00.000Z');
    expect(Math.abs(parseSince('2h').getTime() - (Date.now() - 7_200_000))).toBeLessThan(1_000);
    expect(() => parseTime('yesterday')).toThrow("an ISO date or time such as 2015-09-01 or 2015-09-01T12:00:00Z, got 'yesterday'");
    expect(() => parseSince('2 weeks')).toThrow("an ISO time or an age such as 30m, 24h or 7d, got '2 weeks'");
  });

  it('pads table columns to their widest cell', () => {
    expect(textTable(['id', 'state'], [[1, 'dead'], [12, 'ok']])).toBe('id  state\n1   dead\n12  ok');
  });
});

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`operator commands on ${backend.name}`, () => {
    let dir: string;
    let configFile: string;
    let release: () => Promise<void>;

    const sdc = async (...args: string[]) => runCli(configFile, args);

    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'sdc-cli-ops-'));
      const resources = await backend.provision();
      release = resources.release;
      const catalog = resources.config.catalog?.kind === 'postgres' ? resources.config.catalog : { kind: 'pglite', dataDir: path.join(dir, 'catalog') };
      const config = { ...resources.config, catalog, dataDir: dir, mission: CHAIN, log: { level: 'error' }, ingest: { stableMs: 0 }, processing: { debounceMs: 50, retryDelaysMs: [100], schedules: { campaignPump: null, recheckWaiting: null } } };
      configFile = path.join(dir, 'sdc.config.yaml');
      await writeFile(configFile, JSON.stringify(config));
      // A day of arrivals processed by a running SDC, which then stops (PGlite: one process at a time).
      const running = await openSdc(await loadConfig({ file: configFile, env: {} }), { logger: quietLogger() });
      try {
        await running.startProcessing();
        await arrive(running, path.join(dir, 'in'), { 'CHAIN-C1-MAG-GAIN-2020-03-01-R1.txt': '2\n', 'CHAIN-C1-MAG-RAW-2020-03-01-R1.txt': '1\n2\n', 'CHAIN-C1-MAG-RAW-2020-03-02-R1.txt': '3\n' });
        await waitUntilQuiet(running, { timeoutMs: 60_000, settleMs: 300 });
        await running.catalog.db.updateTable('jobs').set({ state: 'dead', error: 'the processor exited with 3' }).where('rule', '=', 'summarise').where('window_start', '=', new Date('2020-03-02T00:00:00Z')).execute();
      } finally {
        await running.stop();
      }
    }, 120_000);
    afterAll(async () => {
      await release?.();
      await rm(dir, { recursive: true, force: true });
    });

    it('sdc processor: deploy to staging, list, preview and make a promotion, roll back, and diff against production', async () => {
      const bundle = await bundleVersion(dir, 'mag-cal', '2.0.0');
      expect((await sdc('processor', 'deploy', bundle, '--tier', 'staging')).out).toMatch(/^mag-cal@2\.0\.0 is the active staging version \(bundle sha256 [0-9a-f]{12}, /);
      const list = (await sdc('processor', 'list')).out.split('\n');
      expect(list[0]).toMatch(/^\s+name\s+version\s+tier\s+instrument/);
      expect(list.filter((l) => l.startsWith('*')).map((l) => l.split(/\s+/).slice(1, 4).join(' '))).toEqual(['mag-cal 2.0.0 staging', 'mag-cal 1.0.0 production', 'mag-sum 1.0.0 production']);

      const preview = await sdc('processor', 'promote', 'mag-cal@2.0.0', '--dry-run', '--json');
      expect(JSON.parse(preview.out)).toMatchObject({ jobs: 4, rows: [{ rule: 'calibrate', processor: 'mag-cal@2.0.0', tier: 'production', jobs: 2, ready: 2 }, { rule: 'summarise', downstream: true, jobs: 2 }] });
      expect((await sdc('processor', 'list', '--json')).out).toContain('"version":"2.0.0","tier":"staging","active":true');

      const diff = await sdc('processor', 'diff', 'mag-cal@2.0.0');
      expect(diff.out).toContain('0 jobs compared: 0 same, 0 differ; 0 without a production job; 0 staging jobs failed');
      expect(diff.code).toBe(0);

      expect((await sdc('processor', 'promote', 'mag-cal@2.0.0')).out).toContain('mag-cal@2.0.0 is the production version; new jobs run it');
      expect((await sdc('processor', 'rollback', 'mag-cal')).out).toBe('mag-cal@1.0.0 is the production version again');
      expect(await sdc('processor', 'rollback', 'mag-sum')).toMatchObject({ code: 2, err: 'sdc: mag-sum@1.0.0 is the only production version ever deployed' });
      expect(await sdc('processor', 'promote', 'mag-cal')).toMatchObject({ code: 2, err: "sdc: a processor version is written NAME@X.Y.Z (e.g. fgm-l2@5.0.0), got 'mag-cal'" });
      expect(await sdc('processor', 'diff', 'mag-cal@1.0.0')).toMatchObject({ code: 2, err: expect.stringContaining('mag-cal@1.0.0 was never deployed to staging') });
    }, 120_000);

    it('sdc jobs: lists with filters, shows a job with inputs, outputs and log, and retries a dead one', async () => {
      const all = await sdc('jobs', '--json');
      const jobs = all.out.split('\n').map((l) => JSON.parse(l) as { id: number; rule: string; state: string });
      expect(jobs).toHaveLength(4);
      const dead = jobs.find((j) => j.state === 'dead')!;
      const table = await sdc('jobs', '--state', 'dead', '--processor', 'mag-sum@1.0.0', '--instrument', 'mag', '--since', '1d');
      expect(table.out.split('\n')).toEqual([expect.stringMatching(/^id\s+state\s+processor/), expect.stringMatching(new RegExp(`^${dead.id}\\s+dead\\s+mag-sum@1\\.0\\.0\\s+production\\s+summarise\\s+c1\\s+2020-03-02\\s+1\\s+\\S+\\s+the processor exited with 3$`))]);
      expect(table.err).toBe('1 jobs');

      const calibrate = jobs.find((j) => j.rule === 'calibrate')!;
      const shown = (await sdc('jobs', 'show', String(calibrate.id))).out;
      expect(shown).toMatch(/^job:\s+\d+\nstate:\s+succeeded\nprocessor: mag-cal@1\.0\.0/);
      expect(shown).toMatch(/inputs \(2\):\n {2}CHAIN-C1-MAG-RAW-2020-03-0\d-R1\.txt {2}[0-9a-f]{12}\n {2}CHAIN-C1-MAG-GAIN-2020-03-01-R1\.txt/);
      expect(shown).toMatch(new RegExp(`outputs \\(1\\):\\n {2}CHAIN-C1-MAG-CAL-2020-03-0\\d-R${calibrate.id}\\.txt {2}production`));
      expect(shown).toContain('\nlog:\n');
      expect(JSON.parse((await sdc('jobs', 'show', String(calibrate.id), '--json')).out)).toMatchObject({ job: { id: calibrate.id, state: 'succeeded' }, inputs: [{}, {}], outputs: [{ job_id: calibrate.id }] });

      expect((await sdc('jobs', 'retry', String(dead.id))).out).toBe(`job ${dead.id} (mag-sum@1.0.0, production) queued again after 1 attempt(s)`);
      expect(await sdc('jobs', 'retry', String(dead.id))).toMatchObject({ code: 2, err: `sdc: job ${dead.id} is queued; only failed or dead jobs can be retried` });
      expect(await sdc('jobs', 'show', '99999')).toMatchObject({ code: 2, err: 'sdc: no job 99999 in mission chain' });
    }, 120_000);

    it('sdc reprocess: previews, creates, reports, pauses, resumes and cancels a campaign, and refuses bad requests', async () => {
      const dry = await sdc('reprocess', '--level', 'cal', '--from', '2020-03-01', '--to', '2020-03-03', '--dry-run');
      expect(dry.out).toMatch(/calibrate\s+mag-cal@1\.0\.0\s+production\s+cal\s+requested\s+2\s+0\s+2\s+0\s+2\s+2020-03-01\.\.2020-03-02\s+c1-mag-cal \(2\)/);
      expect(dry.out).toMatch(/summarise\s+mag-sum@1\.0\.0\s+production\s+sum\s+downstream\s+2\s+-\s+-\s+-\s+2/);
      expect(dry.out).toContain('4 jobs, superseding 4 current files; nothing was queued.');
      const newFile = await sdc('reprocess', '--dry-run', '--new-file', '/somewhere/CHAIN-C1-MAG-GAIN-2020-03-02-R1.txt', '--json');
      expect(newFile.err).toBe('CHAIN-C1-MAG-GAIN-2020-03-02-R1.txt would re-trigger 1 job scope(s) directly:');
      expect(JSON.parse(newFile.out)).toMatchObject({ jobs: 2, rows: [{ rule: 'calibrate', jobs: 1 }, { rule: 'summarise', downstream: true, jobs: 1 }] });

      const created = await sdc('reprocess', '--instrument', 'mag', '--level', 'sum', '--from', '2020-03-01', '--to', '2020-03-03', '--rate', '30', '--description', 'sums again');
      const id = /^campaign (\d+): 2 jobs to queue at 30\/min \(production versions\)/.exec(created.out)?.[1];
      expect(id).toBeDefined();
      const status = await sdc('reprocess', 'status', id!);
      expect(status.out).toMatch(new RegExp(`^id\\s+state\\s+processor\\s+rate/min\\s+jobs\\s+done\\s+failed\\s+in flight\\s+pending\\s+skipped\\s+cancelled\\s+ETA\\s+downstream done/failed/in flight\\s+description\\n${id}\\s+running\\s+production\\s+30\\s+2\\s+0\\s+0\\s+0\\s+2\\s+0\\s+0\\s+4s\\s+0/0/0\\s+sums again$`));
      expect((await sdc('reprocess', 'pause', id!)).out).toBe(`campaign ${id} is paused: 0 done, 0 failed, 2 remaining`);
      expect((await sdc('reprocess', 'resume', id!)).out).toBe(`campaign ${id} is running: 0 done, 0 failed, 2 remaining`);
      expect(JSON.parse((await sdc('reprocess', 'status', '--json')).out)).toMatchObject({ id: Number(id), state: 'running', items: 2, pending: 2 });
      expect((await sdc('reprocess', 'cancel', id!)).out).toBe(`campaign ${id} is cancelled: 0 done, 0 failed, 0 remaining`);
      expect((await sdc('reprocess', 'status')).out).toBe('no running or paused campaigns (--all for finished ones)');
      expect((await sdc('reprocess', 'status', '--all')).out).toContain('cancelled');

      expect(await sdc('reprocess', '--level', 'cal')).toMatchObject({ code: 2, err: 'sdc: a campaign needs --from and --to (or --new-file with --dry-run)' });
      expect(await sdc('reprocess', '--level', 'l9', '--from', '2020-03-01', '--to', '2020-03-02')).toMatchObject({ code: 2, err: 'sdc: no processing rule makes level=l9' });
      expect(await sdc('reprocess', '--level', 'cal', '--from', '2021-01-01', '--to', '2021-02-01')).toMatchObject({ code: 2, err: 'sdc: the campaign selects no job (no input files of the selected rules in that range)' });
      expect(await sdc('reprocess', '--dry-run', '--new-file', 'not-a-chain-file.txt')).toMatchObject({ code: 2, err: expect.stringContaining('not-a-chain-file.txt') });
      expect(await sdc('reprocess', 'pause', '4242')).toMatchObject({ code: 2, err: 'sdc: no campaign 4242 in mission chain' });
    }, 120_000);
  });
}
