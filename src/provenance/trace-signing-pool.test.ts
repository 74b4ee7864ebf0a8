import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('TraceSigningPool', () => {
  it('signs in a process whose code is evaluated as an ES module (node --input-type=module -e, as sdc children in tests run)', async () => {
    const script = `
      const { generateKeyPairSync, verify } = await import('node:crypto');
      const { TraceSigningPool } = await import('./src/provenance/trace-signing-pool.ts');
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      const pool = new TraceSigningPool(privateKey, 2);
      const signatures = await pool.sign(['a', 'b', 'c']);
      await pool.close();
      console.log(JSON.stringify(signatures.map((s, i) => verify(null, Buffer.from(['a', 'b', 'c'][i]), publicKey, Buffer.from(s, 'base64')))));
    `;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 30_000 });
    expect(JSON.parse(stdout)).toEqual([true, true, true]);
  });
});
