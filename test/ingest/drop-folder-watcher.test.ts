/**
 * The drop folder: files present at start and new ones are taken; a file still being written
 * is taken only once its size is stable; names of files in transfer are left alone; handled
 * files leave the folder.
 */
import { appendFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { IngestOutcome } from '../../src/ingest/ingest-service.js';
import { backends } from '../support/backends.js';
import { startTestSdc, type TestSdc } from '../support/test-sdc.js';

const embedded = backends()[0]!;

describe('drop folder watcher', () => {
  let t: TestSdc | undefined;
  afterEach(async () => t?.close());

  function waitFor(outcomes: Map<string, IngestOutcome>, names: string[]): Promise<void> {
    return new Promise((resolve) => {
      const timer = setInterval(() => names.every((n) => outcomes.has(n)) && (clearInterval(timer), resolve()), 20);
    });
  }

  it('when files are already there at start and more arrive, then all are ingested and leave the folder', async () => {
    t = await startTestSdc(embedded);
    const drop = path.join(t.dataDir, 'drop');
    await mkdir(drop, { recursive: true });
    await writeFile(path.join(drop, 'MMS1_DEFATT_2015289_2015289.V00'), 'before start');
    const outcomes = new Map<string, IngestOutcome>();
    await t.sdc.startDropFolder({ onOutcome: (name, o) => outcomes.set(name, o) });
    await writeFile(path.join(drop, 'MMS2_DEFATT_2015289_2015289.V00'), 'after start');
    await writeFile(path.join(drop, 'MMS3_DEFATT_2015289_2015289.V00.part'), 'still coming');
    await waitFor(outcomes, ['MMS1_DEFATT_2015289_2015289.V00', 'MMS2_DEFATT_2015289_2015289.V00']);
    expect([...outcomes.values()].map((o) => o.status)).toEqual(['ingested', 'ingested']);
    expect(await readdir(drop)).toEqual(['MMS3_DEFATT_2015289_2015289.V00.part']);
  });

  it('when a file is still growing, then it is taken only after its size has been stable', async () => {
    t = await startTestSdc(embedded, { ingest: { stableMs: 400 } });
    const drop = path.join(t.dataDir, 'drop');
    const outcomes = new Map<string, IngestOutcome>();
    await t.sdc.startDropFolder({ onOutcome: (name, o) => outcomes.set(name, o) });
    const file = path.join(drop, 'MMS4_DEFATT_2015289_2015289.V00');
    await writeFile(file, 'part one;');
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 150));
      await appendFile(file, ' more;');
    }
    expect(outcomes.size).toBe(0);
    await waitFor(outcomes, ['MMS4_DEFATT_2015289_2015289.V00']);
    const row = await t.sdc.catalog.db.selectFrom('files').select('size').where('name', '=', 'MMS4_DEFATT_2015289_2015289.V00').executeTakeFirstOrThrow();
    expect(row.size).toBe('part one;'.length + 4 * ' more;'.length);
  });
});
