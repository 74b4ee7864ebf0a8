import type { Command } from 'commander';
import { SdcError } from '../../errors/sdc-error.js';
import { hashFile } from '../../ingest/hash-file.js';
import { verifySha256, type Verification } from '../../provenance/trace-verifier.js';
import { withSdc } from '../cli-context.js';

/** `sdc verify FILE`: is this copy genuine, which version is it, was it withdrawn or superseded. Exit 1 when not genuine. */
export function registerVerifyCommand(program: Command): void {
  program
    .command('verify [file]')
    .description('tell whether a local copy of a file is genuine (its sha256 matches a signed trace), which file and version it is, and whether it was withdrawn or superseded; exits 1 when it is not genuine')
    .option('--sha256 <digest>', 'verify this sha256 instead of hashing a file')
    .option('--json', 'the full answer as JSON')
    .action(async (file: string | undefined, options: { sha256?: string; json?: boolean }, command: Command) => {
      if (!file && !options.sha256) throw new SdcError('invalid-request', 'give a file to verify, or --sha256 <digest>');
      const sha256 = options.sha256 ?? (await hashFile(file!)).sha256;
      const verification = await withSdc(command, {}, (sdc) => verifySha256(sdc.catalog.db, sha256));
      console.log(options.json ? JSON.stringify(verification, null, 2) : describe(verification));
      if (!verification.genuine) process.exitCode = 1;
    });
}

function describe(v: Verification): string {
  const lines = [`${v.genuine ? 'GENUINE' : 'NOT GENUINE'}: ${v.reason}`, `sha256 ${v.sha256}`];
  for (const f of v.files) {
    lines.push(`${f.name}  version ${f.version || '?'}  ${f.tier || 'no longer catalogued'}${f.withdrawn ? '  WITHDRAWN' : ''}${f.supersededBy ? `  superseded by ${f.supersededBy}` : ''}${f.released ? '  public' : ''}${f.derivedFromBadInput ? `  derived from bad input ${f.derivedFromBadInput.file} (campaign ${f.derivedFromBadInput.campaignId})` : ''}`);
    for (const t of f.traces) lines.push(`  ${t.at}  ${t.event.padEnd(10)}  ${t.service.padEnd(20)}  key ${t.keyId ?? '-'}  signature ${t.signature}`);
  }
  return lines.join('\n');
}
