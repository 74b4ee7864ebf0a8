/**
 * `npm run bench`: runs every `bench/*.bench.ts` (or those named on the command line, e.g.
 * `npm run bench -- cdf`) in this process and prints each figure next to its baseline.
 */
import { readdir, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { reportedFigures } from './report.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = (await readdir(here))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();

for (const file of files) {
  console.log(`\n== ${file}`);
  const mod = (await import(pathToFileURL(path.join(here, file)).href)) as { default: () => Promise<void> };
  await mod.default();
}
await writeFile(path.join(here, '..', 'bench-results.json'), JSON.stringify(reportedFigures(), null, 2));
