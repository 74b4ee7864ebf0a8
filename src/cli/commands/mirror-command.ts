import type { Command } from 'commander';
import { pullMirror } from '../../archive/mirror/mirror-puller.js';

/** `sdc mirror pull URL`: what a mirror site runs to follow an SDC's released files. */
export function registerMirrorCommand(program: Command): void {
  const mirror = program.command('mirror').description('follow another SDC as a mirror');
  mirror
    .command('pull')
    .description('fetch the new files of an SDC into a local tree, verifying each (size, sha256) before an atomic rename; resumes where the last pull stopped')
    .argument('<url>', 'base URL of the SDC, e.g. https://sdc.example.org')
    .requiredOption('--into <dir>', 'the mirror tree')
    .option('--name <name>', 'the name this mirror acknowledges its progress under', 'mirror')
    .option('--token <token>', 'an operator API token of the SDC (default: $SDC_MIRROR_TOKEN); the feed refuses anonymous mirrors')
    .action(async (url: string, options: { into: string; name: string; token?: string }) => {
      const counts = { fetched: 0, kept: 0, removed: 0, noted: 0 };
      const token = options.token ?? process.env.SDC_MIRROR_TOKEN;
      const result = await pullMirror({ url, root: options.into, name: options.name, ...(token ? { authorization: `Bearer ${token}` } : {}), onChange: (_entry, action) => counts[action]++ });
      console.log(`${result.applied} changes applied up to cursor ${result.cursor}: ${counts.fetched} fetched, ${counts.kept} already present, ${counts.removed} removed`);
    });
}
