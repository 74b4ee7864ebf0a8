import type { Command } from 'commander';
import { withSdc } from '../cli-context.js';

/** `sdc audit [LOCATION...]`: compares the catalog with the hot store and each target, repairs, reports. */
export function registerAuditCommand(program: Command): void {
  program
    .command('audit')
    .description('compare the catalog with the hot store and every backup target (missing, dark, size or checksum mismatch), record and repair; exit 1 on unrepaired problems, 2 when the audit stopped')
    .argument('[locations...]', '"hot" and/or target names (default: all)')
    .option('--no-repair', 'only report')
    .option('--quick', 'compare sizes only, do not re-hash')
    .action(async (locations: string[], options: { repair: boolean; quick?: boolean }, command: Command) => {
      const overrides = { archive: { audit: { repair: options.repair, checksums: !options.quick } } };
      const reports = await withSdc(command, overrides, async (sdc) => (await sdc.openArchive()).audit(locations.length > 0 ? locations : undefined));
      let unrepaired = 0;
      for (const r of reports) {
        console.log(`${r.location}: ${r.checked} checked, ${r.findings.length} problems, ${r.repaired} repaired (audit run ${r.runId})`);
        if (r.note) console.log(`  ${r.note}`);
        for (const f of r.findings) console.log(`  ${f.kind.padEnd(17)} ${f.key}  ${f.repair ?? ''}`);
        unrepaired += r.findings.filter((f) => !f.repaired).length;
      }
      if (unrepaired > 0) process.exitCode = 1;
    });
}
