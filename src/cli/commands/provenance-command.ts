import path from 'node:path';
import type { Command } from 'commander';
import { SdcError } from '../../errors/sdc-error.js';
import { toProvN } from '../../provenance/prov-n.js';
import { ProvenanceService } from '../../provenance/provenance-service.js';
import { renderProvenanceTree } from '../../provenance/provenance-tree.js';
import { withSdc } from '../cli-context.js';

const FORMATS = ['tree', 'prov-json', 'prov-n'] as const;

/** `sdc provenance FILE`: where a file came from (and, with --descendants, what was made from it). */
export function registerProvenanceCommand(program: Command): void {
  program
    .command('provenance <file>')
    .description('print the lineage of a catalogued file (name or path): its precursors to any depth, or with --descendants everything derived from it; as a tree or W3C PROV-JSON / PROV-N')
    .option('-d, --descendants', 'what was derived from the file, instead of what it was derived from')
    .option('-f, --format <format>', `one of ${FORMATS.join(', ')}`, 'tree')
    .action(async (file: string, options: { descendants?: boolean; format: string }, command: Command) => {
      if (!(FORMATS as readonly string[]).includes(options.format)) throw new SdcError('invalid-request', `--format must be one of ${FORMATS.join(', ')}, got '${options.format}'`);
      const output = await withSdc(command, {}, async (sdc) => {
        const service = new ProvenanceService(sdc.catalog.db, sdc.mission);
        const row = await service.fileNamed(path.basename(file));
        const direction = options.descendants ? 'descendants' : 'precursors';
        if (options.format === 'tree') return renderProvenanceTree(await service.graph(row, direction));
        const doc = await service.document(row, direction, `http://${sdc.config.api.host}:${sdc.config.api.port}/api/v1/`);
        return options.format === 'prov-n' ? toProvN(doc) : JSON.stringify(doc, null, 2);
      });
      console.log(output);
    });
}
