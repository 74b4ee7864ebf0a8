import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { TeamAccounts } from '../../api/access/team-accounts.js';
import { openSdc } from '../../app/open-sdc.js';
import { waitUntilQuiet } from '../../app/wait-until-quiet.js';
import { dataPath } from '../../config/load-config.js';
import type { IngestOutcome } from '../../ingest/ingest-service.js';
import { createRootLogger } from '../../logging/logger.js';
import { loadMissionModule } from '../../mission/load-mission-module.js';
import { commandConfig, untilSignal } from '../cli-context.js';

interface DemoOptions {
  day: string;
  hours: number;
  port: number;
  dataDir: string;
  exit?: boolean;
}

interface DemoAdapter {
  generateDemoFiles(folder: string, options: { day: string; hours?: number }): Promise<string[]>;
}

/** `sdc demo`: the whole SDC on the embedded default, end to end, explained as it goes. */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description("run the whole pipeline on the embedded default: the mission's demo adapter drops telemetry, the SDC ingests it, runs processors, indexes their outputs and serves everything over HTTP")
    .option('--day <YYYY-MM-DD>', 'the day of data to simulate', '2015-10-16')
    .option('--hours <n>', 'hours of telemetry per spacecraft', (v) => Number.parseFloat(v), 24)
    .option('--port <port>', 'HTTP port (0 picks a free one)', (v) => Number.parseInt(v, 10), 8080)
    .option('--data-dir <folder>', 'where the demo keeps its catalog, store and drop folder (emptied first)', '.sdc/demo')
    .option('--exit', 'exit when done instead of serving until Ctrl-C')
    .action(async (options: DemoOptions, command: Command) => {
      await rm(options.dataDir, { recursive: true, force: true });
      const config = await commandConfig(command, { dataDir: options.dataDir, api: { port: options.port }, ingest: { stableMs: 0 }, processing: { debounceMs: 300 } });
      const sdc = await openSdc(config, { logger: createRootLogger({ level: 'error' }) });
      try {
        const step = (text: string) => console.log(`\n== ${text}`);
        step(`SDC for ${sdc.mission.config.name}: catalog ${sdc.catalog.description}, bus ${sdc.bus.description}, store ${sdc.store.description}`);
        const url = await sdc.startApi();
        await sdc.startProcessing();
        const outcomes: [string, IngestOutcome][] = [];
        const dropDir = dataPath(config, config.ingest.dropDir, 'drop');
        await mkdir(dropDir, { recursive: true });
        await sdc.startDropFolder({ onOutcome: (name, outcome) => outcomes.push([name, outcome]) });
        step(`generating ${options.hours} h of telemetry for ${options.day} into the drop folder ${dropDir}`);
        const adapter = await loadMissionModule<DemoAdapter>(sdc.mission, 'demo');
        const dropped = await adapter.generateDemoFiles(dropDir, { day: options.day, hours: options.hours });
        for (const file of dropped) console.log(`  dropped ${path.basename(file)}`);
        const started = Date.now();
        await waitUntilQuiet(sdc, { timeoutMs: 300_000 });
        step(`arrivals (${outcomes.length})`);
        for (const [name, o] of outcomes) console.log(`  ${o.status.padEnd(11)} ${name}${o.status === 'quarantined' ? `\n              reason: ${o.reason}` : ''}`);
        const jobs = await sdc.catalog.db.selectFrom('jobs').selectAll().orderBy('id').execute();
        step(`jobs (${jobs.length})`);
        for (const job of jobs) {
          const ms = job.finished_at && job.started_at ? `${job.finished_at.getTime() - job.started_at.getTime()} ms` : '';
          console.log(`  #${job.id} ${job.processor}@${job.processor_version} ${job.group_key} ${job.window_start.toISOString().slice(0, 10)}: ${job.state} ${ms}${job.error ? ` (${job.error})` : ''}`);
        }
        const products = await sdc.catalog.db.selectFrom('files').selectAll().where('source', '=', 'job').orderBy('name').execute();
        step(`products made by processors (${products.length}), indexed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        for (const file of products) console.log(`  ${file.store_key}  ${file.size} bytes  sha256 ${file.sha256.slice(0, 16)}...`);
        // Processor outputs are team data until released, so the demo makes a team login to see them.
        const password = randomBytes(9).toString('base64url');
        const accounts = new TeamAccounts(sdc.catalog.db, sdc.mission.config.id);
        await accounts.createUser('demo', password);
        await accounts.grantRole('demo', 'operator');
        step('where to look (team login: user demo, password ' + password + ')');
        console.log(`  file browser:  ${url}/`);
        console.log(`  JSON search:   curl -u demo:${password} '${url}/api/v1/files?level=l1a'`);
        if (products[0]) console.log(`  download:      curl -u demo:${password} -O -J ${url}/api/v1/files/${products[0].name}/content`);
        console.log(`  the store:     ${sdc.store.description}`);
        console.log(`  quarantine:    ${dataPath(config, config.ingest.quarantineDir, 'quarantine')}`);
        if (options.exit) return;
        console.log('\nserving until Ctrl-C');
        await untilSignal();
      } finally {
        await sdc.stop();
      }
    });
}
