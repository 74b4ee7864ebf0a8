import { Command } from 'commander';
import { registerDemoCommand } from './commands/demo-command.js';
import { registerFilesCommand } from './commands/files-command.js';
import { registerIngestCommand } from './commands/ingest-command.js';
import { registerUpCommand } from './commands/up-command.js';
import { registerApiCommand } from './commands/api-command.js';
import { registerWorkerCommand } from './commands/worker-command.js';
import { registerSchedulerCommand } from './commands/scheduler-command.js';
import { registerMigrateCommand } from './commands/migrate-command.js';
import { registerReportCommand } from './commands/report-command.js';
import { registerAuditCommand } from './commands/audit-command.js';
import { registerBackupCommand } from './commands/backup-command.js';
import { registerRestoreCommand } from './commands/restore-command.js';
import { registerMirrorCommand } from './commands/mirror-command.js';
import { registerPruneCommand } from './commands/prune-command.js';
import { registerReleaseCommand } from './commands/release-command.js';
import { registerProcessorCommand } from './commands/processor-command.js';
import { registerJobsCommand } from './commands/jobs-command.js';
import { registerReprocessCommand } from './commands/reprocess-command.js';
import { registerProvenanceCommand } from './commands/provenance-command.js';
import { registerVerifyCommand } from './commands/verify-command.js';
import { registerKeysCommand } from './commands/keys-command.js';
import { registerUsersCommand } from './commands/users-command.js';
import { registerCdfCheckCommand } from './commands/cdf-check-command.js';
import { registerCdfDumpCommand } from './commands/cdf-dump-command.js';
import { CONFIG_ENV } from '../config/load-config.js';
import { SdcError } from '../errors/sdc-error.js';

/** Builds the `sdc` command line; every command lives in its own file under src/cli/commands/. */
export function buildProgram(): Command {
  const program = new Command('sdc')
    .description('Science data center: ingest, process, catalog, archive and serve mission data')
    .option('-c, --config <file>', 'configuration file (YAML); default ./sdc.config.yaml when it exists')
    .option('-v, --verbose', 'log progress (JSON lines on stderr)')
    .addHelpText('after', `\nEnvironment:\n${Object.entries(CONFIG_ENV).map(([k, v]) => `  ${k.padEnd(16)} ${v}`).join('\n')}`)
    .showHelpAfterError();
  registerUpCommand(program);
  registerApiCommand(program);
  registerWorkerCommand(program);
  registerSchedulerCommand(program);
  registerMigrateCommand(program);
  registerReportCommand(program);
  registerDemoCommand(program);
  registerIngestCommand(program);
  registerFilesCommand(program);
  registerBackupCommand(program);
  registerRestoreCommand(program);
  registerAuditCommand(program);
  registerMirrorCommand(program);
  registerPruneCommand(program);
  registerUsersCommand(program);
  registerReleaseCommand(program);
  registerProcessorCommand(program);
  registerJobsCommand(program);
  registerReprocessCommand(program);
  registerProvenanceCommand(program);
  registerVerifyCommand(program);
  registerKeysCommand(program);
  const cdf = program.command('cdf').description('Read and check CDF files');
  registerCdfCheckCommand(cdf);
  registerCdfDumpCommand(cdf);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    // Expected failures (bad configuration, bad input) print their message, not a stack.
    if (!(error instanceof SdcError)) throw error;
    console.error(`sdc: ${error.message}`);
    process.exitCode = 2;
  }
}
