import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { waitUntilQuiet } from '../../src/app/wait-until-quiet.js';
import type { TestSdc } from '../support/test-sdc.js';

export const SLOW_MISSION = path.resolve('test/operations/fixtures/slow');
export const RAW = 'SLOW-S1-MAG-RAW-2020-03-01-R1.txt';
export const CAL = 'SLOW-S1-MAG-CAL-2020-03-01-R1.txt';
/** The data of 2020-03-01 end at midnight; the report is made four days later. */
export const DATA_END = new Date('2020-03-02T00:00:00Z');
export const REPORT_TIME = new Date('2020-03-05T00:00:00Z');

/**
 * One day of the slow mission processed for real (raw file in, calibrated file out), then its
 * catalog times set to a known story: the raw file arrived 30 min after the end of the data,
 * the calibrated one was catalogued 3 h after it (its limit is 2 h) and is not public yet (its
 * limit is 1 day); a job of that day died.
 */
export async function processLatencyDay(t: TestSdc): Promise<void> {
  const previous = process.env.SLOW_CAL_SECONDS;
  process.env.SLOW_CAL_SECONDS = '0';
  process.env.SLOW_CAL_LEDGER = path.join(t.dataDir, 'ledger.txt');
  try {
    await t.sdc.startProcessing(['production']);
    const drop = path.join(t.dataDir, 'arrivals');
    await mkdir(drop, { recursive: true });
    await writeFile(path.join(drop, RAW), '1\n');
    await t.sdc.ingest.ingest({ path: path.join(drop, RAW), name: RAW, source: 'drop' });
    await waitUntilQuiet(t.sdc, { timeoutMs: 60_000 });
  } finally {
    if (previous === undefined) delete process.env.SLOW_CAL_SECONDS;
    else process.env.SLOW_CAL_SECONDS = previous;
  }
  const db = t.sdc.catalog.db;
  await db.updateTable('files').set({ ingested_at: new Date(DATA_END.getTime() + 30 * 60_000) }).where('name', '=', RAW).execute();
  await db.updateTable('files').set({ ingested_at: new Date(DATA_END.getTime() + 3 * 3_600_000) }).where('name', '=', CAL).execute();
  await db.insertInto('jobs').values({ mission: 'slow', rule: 'calibrate', processor: 'slow-cal', processor_version: '0.1.0', tier: 'production', group_key: 's1', window_start: new Date('2020-03-01T00:00:00Z'), window_end: DATA_END, inputs_hash: 'e'.repeat(64), inputs: '[]', state: 'dead', attempts: 2, error: 'the processor exited with 3', finished_at: new Date() }).execute();
}
