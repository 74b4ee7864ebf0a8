import type { Command } from 'commander';
import { rotateTraceSigningKey } from '../../provenance/trace-signing-key.js';
import { withSdc } from '../cli-context.js';

/** `sdc keys list|rotate`: the Ed25519 keys that sign provenance traces. */
export function registerKeysCommand(program: Command): void {
  const keys = program.command('keys').description('the Ed25519 keys that sign provenance traces (public halves published at /api/v1/keys)');
  keys
    .command('list')
    .description('every trace-signing key ever used, current first')
    .action(async (_o: unknown, command: Command) =>
      withSdc(command, {}, async (sdc) => {
        const rows = await sdc.catalog.db.selectFrom('provenance_keys').selectAll().orderBy('created_at', 'desc').execute();
        for (const k of rows) console.log(`${k.key_id}\t${new Date(k.created_at).toISOString()}\t${k.retired_at ? `retired ${k.retired_at.toISOString()}` : 'current'}${k.key_id === sdc.traceSigner.keyId ? '\t(this process)' : ''}`);
      }),
    );
  keys
    .command('rotate')
    .description('replace the signing key by a new one; the old public key stays published so its traces still verify (running SDC processes switch at their next start)')
    .action(async (_o: unknown, command: Command) =>
      withSdc(command, {}, async (sdc) => {
        const { previous, current } = await rotateTraceSigningKey(sdc.traceKeyFile, sdc.catalog.db);
        console.log(`new trace-signing key ${current.keyId}${previous ? ` (replaces ${previous}, retired)` : ''} in ${sdc.traceKeyFile}`);
      }),
    );
}
