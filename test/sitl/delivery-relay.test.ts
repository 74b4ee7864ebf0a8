import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueDelivery } from '../../src/sitl/sitl-deliveries.js';
import { backends } from '../support/backends.js';
import { startTestSdc, type TestSdc } from '../support/test-sdc.js';

const embedded = backends()[0]!;

describe('the relay of SITL files to the POC', () => {
  let t: TestSdc;
  let pocDir: string;
  const queue = (name: string, content: string) => t.sdc.catalog.db.transaction().execute((trx) => queueDelivery(trx, 'mms', { target: 'poc', name, content }));
  const state = async (name: string) => (await t.sdc.catalog.db.selectFrom('sitl_deliveries').select('delivered_at').where('name', '=', name).executeTakeFirstOrThrow()).delivered_at;

  beforeAll(async () => {
    t = await startTestSdc(embedded, { mission: path.resolve('missions/mms') });
    pocDir = path.join(t.dataDir, 'poc-outgoing');
    await mkdir(pocDir, { recursive: true });
  });
  afterAll(async () => t?.close());

  it('writes a pending file once, under its final name only, and marks it delivered', async () => {
    await queue('sitl_to_poc_a.csv', 'a\n');
    await t.sdc.sitl!.relay.wake();
    expect(await readFile(path.join(pocDir, 'sitl_to_poc_a.csv'), 'utf8')).toBe('a\n');
    expect(await state('sitl_to_poc_a.csv')).toBeInstanceOf(Date);
    const before = (await stat(path.join(pocDir, 'sitl_to_poc_a.csv'))).mtimeMs;
    await t.sdc.sitl!.relay.wake();
    expect((await stat(path.join(pocDir, 'sitl_to_poc_a.csv'))).mtimeMs).toBe(before);
    expect((await readdir(pocDir)).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('after a crash between the rename and the mark, takes the file already there as delivered without rewriting it', async () => {
    await writeFile(path.join(pocDir, 'sitl_to_poc_b.csv'), 'b\n');
    const before = (await stat(path.join(pocDir, 'sitl_to_poc_b.csv'))).mtimeMs;
    await queue('sitl_to_poc_b.csv', 'b\n');
    await t.sdc.sitl!.relay.wake();
    expect(await state('sitl_to_poc_b.csv')).toBeInstanceOf(Date);
    expect((await stat(path.join(pocDir, 'sitl_to_poc_b.csv'))).mtimeMs).toBe(before);
  });

  it('never overwrites a different file of the same name: the delivery stays pending', async () => {
    await writeFile(path.join(pocDir, 'sitl_to_poc_c.csv'), 'someone else\n');
    await queue('sitl_to_poc_c.csv', 'c\n');
    await t.sdc.sitl!.relay.wake();
    expect(await readFile(path.join(pocDir, 'sitl_to_poc_c.csv'), 'utf8')).toBe('someone else\n');
    expect(await state('sitl_to_poc_c.csv')).toBeNull();
  });
});
