import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TeamAccounts } from '../../src/api/access/team-accounts.js';
import { isoToTt2000, writeCdf } from '../../src/cdf/index.js';
import type { Backend } from '../support/backends.js';
import { startTestSdc, type TestSdc } from '../support/test-sdc.js';

/** A running SDC with its API, a catalog of real files, and helpers to call it. */
export interface ApiFixture {
  t: TestSdc;
  baseUrl: string;
  accounts: TeamAccounts;
  /** Writes (a CDF for `.cdf` names, bytes otherwise) and ingests a file; returns its bytes. */
  ingest(name: string): Promise<Buffer>;
  /** Marks files public as the release job would (by name). */
  release(...names: string[]): Promise<void>;
  basic(user: string, password: string): Record<string, string>;
  close(): Promise<void>;
}

export async function startApiFixture(backend: Backend, extra: Parameters<typeof startTestSdc>[1] = {}): Promise<ApiFixture> {
  const t = await startTestSdc(backend, extra);
  const baseUrl = await t.sdc.startApi();
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'sdc-api-files-'));
  const accounts = new TeamAccounts(t.sdc.catalog.db, t.sdc.mission.config.id);
  return {
    t,
    baseUrl,
    accounts,
    async ingest(name) {
      const file = path.join(scratch, name);
      if (name.endsWith('.cdf')) {
        const start = t.sdc.mission.grammar.parse(name).start.toISOString().slice(0, 19);
        await writeCdf(file, { globalAttributes: { Logical_file_id: name.replace(/\.cdf$/, '') }, variables: [{ name: 'Epoch', type: 'TIME_TT2000', values: BigInt64Array.from([isoToTt2000(start), isoToTt2000(start) + 1_000_000_000n]) }] });
      } else {
        await writeFile(file, `ancillary ${name}\n`);
      }
      const outcome = await t.sdc.ingest.ingest({ path: file, name, source: 'drop', keepSource: true });
      if (outcome.status === 'quarantined') throw new Error(`fixture ${name} was quarantined: ${outcome.reason}`);
      return readFile(file);
    },
    async release(...names) {
      await t.sdc.catalog.db.updateTable('files').set({ released_at: new Date() }).where('name', 'in', names).execute();
    },
    basic(user, password) {
      return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
    },
    async close() {
      await t.close();
      await rm(scratch, { recursive: true, force: true });
    },
  };
}
