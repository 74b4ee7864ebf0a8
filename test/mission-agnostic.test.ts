/**
 * The core knows no mission: no source file under src/ names one, and a second, tiny mission
 * with its own grammar, layout and a shell processor runs the whole pipeline.
 */
import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntilQuiet } from '../src/app/wait-until-quiet.js';
import { searchFiles } from '../src/catalog/file-catalog.js';
import { backends } from './support/backends.js';
import { startTestSdc, type TestSdc } from './support/test-sdc.js';

const TINY = path.resolve('test/fixtures/missions/tiny');

describe('the core is mission-agnostic', () => {
  it('no source file under src/ mentions the reference mission', async () => {
    const offenders: string[] = [];
    for (const entry of await readdir('src', { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue;
      const file = path.join(entry.parentPath, entry.name);
      const lines = (await readFile(file, 'utf8')).split('\n');
      lines.forEach((line, i) => /\bmms/i.test(line) && offenders.push(`${file}:${i + 1}: ${line.trim()}`));
    }
    expect(offenders).toEqual([]);
  });
});

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`a second mission on ${backend.name}`, () => {
    let t: TestSdc;
    beforeAll(async () => {
      t = await startTestSdc(backend, { mission: TINY });
      await t.sdc.startProcessing();
      await t.sdc.startDropFolder();
    });
    afterAll(async () => t?.close());

    it('when raw files of the tiny mission arrive, then its shell processor calibrates them and the outputs follow its layout', async () => {
      const drop = path.join(t.dataDir, 'drop');
      await mkdir(drop, { recursive: true });
      await writeFile(path.join(drop, 'TINY-T1-MAG-RAW-2020-02-29-R3.txt'), '1\n2\n3\n');
      await writeFile(path.join(drop, 'TINY-T9-MAG-RAW-2020-02-29-R3.txt'), '1\n');
      await waitUntilQuiet(t.sdc, { timeoutMs: 30_000 });
      const cal = await searchFiles(t.sdc.catalog.db, { mission: 'tiny', level: ['cal'] });
      expect(cal.map((f) => [f.name, f.store_key, f.product])).toEqual([['TINY-T1-MAG-CAL-2020-02-29-R1.txt', '2020/t1/cal/TINY-T1-MAG-CAL-2020-02-29-R1.txt', 't1-mag-cal']]);
      const bytes = await t.sdc.store.read(cal[0]!.store_key);
      let text = '';
      for await (const chunk of bytes) text += chunk;
      expect(text).toBe('2\n4\n6\n');
      const quarantined = await t.sdc.catalog.db.selectFrom('quarantine').select(['name', 'reason']).execute();
      expect(quarantined).toEqual([{ name: 'TINY-T9-MAG-RAW-2020-02-29-R3.txt', reason: expect.stringMatching(/unknown spacecraft 't9'/) }]);
    });
  });
}
