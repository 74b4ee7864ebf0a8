/**
 * Child process of the disk-failure test: runs under `ulimit -f` (a real file size limit, so the
 * kernel fails the write with EFBIG) and prints, as JSON, what each writer call did.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { CdfWriter, CdfWriteError } from '../../../src/cdf/writer/index.js';

// Without a handler SIGXFSZ kills the process; with one, the write fails with EFBIG instead.
process.on('SIGXFSZ', () => undefined);

const dir = process.argv[2]!;
const outcome = async (call: () => Promise<unknown>) => {
  try {
    await call();
    return 'ok';
  } catch (error) {
    return error instanceof CdfWriteError ? error.kind : String(error);
  }
};

const writer = await CdfWriter.create(path.join(dir, 'big.cdf'), { variables: [{ name: 'v', type: 'DOUBLE' }] });
const chunk = new Float64Array(1 << 18);
const results = [];
for (let i = 0; i < 4; i++) results.push(await outcome(() => writer.appendRecords('v', chunk)));
results.push(await outcome(() => writer.close()));
await writer.abort();
console.log(JSON.stringify({ results, left: readdirSync(dir) }));
