import type { Command } from 'commander';
import { migrateCatalog } from '../../catalog/migrate.js';
import { openCatalog } from '../../catalog/open-catalog.js';
import { dataPath } from '../../config/load-config.js';
import { commandConfig } from '../cli-context.js';

/** `sdc migrate`: brings the catalog's schema up to date (deployments run it before starting services). */
export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply the catalog migrations not yet applied (every process also does at start; deployments run this first); prints what it applied')
    .action(async (_options: unknown, command: Command) => {
      const config = await commandConfig(command);
      const catalog = await openCatalog(config.catalog.kind === 'pglite' ? { kind: 'pglite', dataDir: config.catalog.dataDir ?? dataPath(config, undefined, 'catalog') } : config.catalog);
      try {
        const applied = await migrateCatalog(catalog.db);
        console.log(applied.length === 0 ? `catalog ${catalog.description} is up to date` : `applied to ${catalog.description}: ${applied.join(', ')}`);
      } finally {
        await catalog.close();
      }
    });
}
