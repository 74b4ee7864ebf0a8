import type { Command } from 'commander';
import { ReleaseService } from '../../api/release/release-service.js';
import { ReleaseSnapshots } from '../../api/release/release-snapshots.js';
import { SdcError } from '../../errors/sdc-error.js';
import { withSdc } from '../cli-context.js';

/** `sdc release ...`: approve, withdraw, run the policy now, audit, and named snapshots. */
export function registerReleaseCommand(program: Command): void {
  const release = program.command('release').description('public release of files: approvals, withdrawals, the policy run, audit, named releases');
  const run = <T>(command: Command, work: (s: ReleaseService, snapshots: ReleaseSnapshots) => Promise<T>) =>
    withSdc(command, {}, (sdc) => work(new ReleaseService(sdc.catalog.db, sdc.mission.config.id, sdc.mission.config.release.rules), new ReleaseSnapshots(sdc.catalog.db, sdc.mission.config.id)));
  const actor = () => process.env.SDC_ACTOR ?? process.env.USER ?? 'cli';
  release
    .command('approve <product> <version>')
    .description('approve a product version (public after the rule\'s latency, at the next run)')
    .action(async (product: string, version: string, _o: unknown, command: Command) => run(command, (s) => s.approve(product, version, actor())));
  release
    .command('withdraw <product> <version> <reason>')
    .description('withdraw a product version from the public at once')
    .action(async (product: string, version: string, reason: string, _o: unknown, command: Command) =>
      run(command, async (s) => console.log(`${await s.withdraw(product, version, actor(), reason)} files withdrawn`)),
    );
  release
    .command('run')
    .description('apply the release policy now')
    .action(async (_o: unknown, command: Command) =>
      run(command, async (s) => {
        for (const g of await s.run(new Date(), actor())) console.log(`released ${g.files} files of ${g.product} v${g.version}`);
      }),
    );
  release
    .command('audit')
    .description('release decisions, newest first')
    .action(async (_o: unknown, command: Command) =>
      run(command, async (s) => {
        for (const a of await s.audit()) console.log(`${new Date(a.at).toISOString()}\t${a.action}\t${a.actor}\t${a.product ?? ''}\t${a.version_label ?? ''}\t${a.files}\t${a.detail ?? ''}`);
      }),
    );
  release
    .command('snapshot <name>')
    .description('pin the public latest version of each file of the products into a named release')
    .requiredOption('--product <list>', 'comma list of product ids')
    .option('--description <text>', 'what the release holds', '')
    .option('--from <time>', 'files starting at or after')
    .option('--to <time>', 'files starting at or before')
    .action(async (name: string, options: { product: string; description: string; from?: string; to?: string }, command: Command) =>
      run(command, async (_s, snapshots) => {
        const time = (v: string | undefined, flag: string) => {
          if (v === undefined) return undefined;
          const d = new Date(v);
          if (Number.isNaN(d.getTime())) throw new SdcError('invalid-request', `${flag} must be an ISO time, got '${v}'`);
          return d;
        };
        const files = await snapshots.create(name, options.description, actor(), { filters: { product: options.product.split(',') }, time: { mode: 'start', from: time(options.from, '--from'), to: time(options.to, '--to') } });
        console.log(`release ${name}: ${files} files`);
      }),
    );
}
