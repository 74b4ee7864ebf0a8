/**
 * How a job's files reach the processor and the store when the store is a local folder on the
 * work folder's filesystem: each input is a read-only hard link to the stored object (no copy,
 * no new inode), each output is moved into the store (the object is the file the processor
 * wrote), and the job's scratch folder is emptied for the next job and removed when the SDC stops.
 */
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSdc, type Sdc } from '../../src/app/open-sdc.js';
import { waitUntilQuiet } from '../../src/app/wait-until-quiet.js';
import { loadConfig } from '../../src/config/load-config.js';
import { backends } from '../support/backends.js';
import { quietLogger } from '../support/test-sdc.js';

const TINY = path.resolve('test/fixtures/missions/tiny');
const INSPECT = path.resolve('test/fixtures/processors/mag-cal-inspect');
const embedded = backends().find((b) => b.name.startsWith('embedded'))!;

describe('staging a job\'s inputs and storing its outputs', () => {
  let dataDir: string;
  let release: () => Promise<void>;
  let sdc: Sdc | undefined;

  beforeAll(async () => {
    const resources = await embedded.provision();
    release = resources.release;
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'sdc-input-staging-'));
    sdc = await openSdc(await loadConfig({ env: {}, overrides: { ...resources.config, dataDir, mission: TINY, processing: { retryDelaysMs: [], debounceMs: 0 } } }), { logger: quietLogger() });
  });
  afterAll(async () => {
    await sdc?.stop();
    await release?.();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('links each input read-only to its stored object, moves each output into the store, and leaves no scratch behind', async () => {
    await sdc!.processors.deploy(INSPECT, 'production', 'test');
    await sdc!.startProcessing(['production']);
    const raw = path.join(dataDir, 'TINY-T1-MAG-RAW-2020-03-01-R1.txt');
    await writeFile(raw, '1\n2\n');
    await sdc!.ingest.ingest({ path: raw, name: path.basename(raw), source: 'drop' });
    await waitUntilQuiet(sdc!, { timeoutMs: 30_000 });

    const job = await sdc!.catalog.db.selectFrom('jobs').selectAll().executeTakeFirstOrThrow();
    expect(job).toMatchObject({ state: 'succeeded', error: null });
    const store = path.join(dataDir, 'store');
    const input = await stat(path.join(store, '2020/t1/raw/TINY-T1-MAG-RAW-2020-03-01-R1.txt'));
    const output = await stat(path.join(store, '2020/t1/cal/TINY-T1-MAG-CAL-2020-03-01-R1.txt'));
    expect(job.log).toContain(`input TINY-T1-MAG-RAW-2020-03-01-R1.txt inode ${input.ino} mode 444`);
    expect(job.log).toContain(`output TINY-T1-MAG-CAL-2020-03-01-R1.txt inode ${output.ino}`);
    expect(output.mode & 0o777).toBe(0o444);

    const work = path.join(dataDir, 'work');
    const [processFolder, ...others] = await readdir(work);
    expect(others).toEqual([]);
    expect(processFolder).toMatch(new RegExp(`^${os.hostname()}-${process.pid}-[0-9a-f]{6}$`));
    expect((await readdir(path.join(work, processFolder!), { recursive: true })).sort()).toEqual(['slot-0', 'slot-0/inputs', 'slot-0/job.json', 'slot-0/outputs']);
    await sdc!.stop();
    sdc = undefined;
    expect(await readdir(work)).toEqual([]);
  });
});
