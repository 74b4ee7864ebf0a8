import { Option, type Command } from 'commander';
import { pullMirror } from '../../archive/mirror/mirror-puller.js';
import type { MirrorFeed } from '../../archive/archive-tables.js';

/** `sdc mirror pull URL`: what a mirror site runs to follow an SDC's released files (or, with a mirror token, its team archive). */
export function registerMirrorCommand(program: Command): void {
  const mirror = program.command('mirror').description('follow another SDC as a mirror');
  mirror
    .command('pull')
    .description('fetch the new files of an SDC into a local tree, verifying each (size, sha256) before an atomic rename; resumes where the last pull stopped')
    .argument('<url>', 'base URL of the SDC, e.g. https://sdc.example.org')
    .requiredOption('--into <dir>', 'the mirror tree')
    .option('--name <name>', 'the name this mirror acknowledges its progress under (with a token)', 'mirror')
    .option('--token <token>', 'an API token of the SDC with the mirror (or operator) role (default: $SDC_MIRROR_TOKEN); needed by the team feed')
    .addOption(new Option('--feed <feed>', 'public: released files, no token needed; team: every production file (default: team with a token, public without)').choices(['public', 'team']))
    .action(async (url: string, options: { into: string; name: string; token?: string; feed?: MirrorFeed }) => {
      const counts = { fetched: 0, kept: 0, removed: 0, noted: 0, skipped: 0 };
      const token = options.token ?? process.env.SDC_MIRROR_TOKEN;
      const feed = options.feed ?? (token ? 'team' : 'public');
      const result = await pullMirror({ url, root: options.into, name: options.name, feed, ...(token ? { authorization: `Bearer ${token}` } : {}), onChange: (_entry, action) => counts[action]++ });
      console.log(`${result.applied} changes of the ${feed} feed applied up to cursor ${result.cursor}: ${counts.fetched} fetched, ${counts.kept} already present, ${counts.removed} removed, ${counts.skipped} no longer served`);
    });
}
