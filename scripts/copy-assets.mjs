// Copies the non-TypeScript files that code under src/ loads at run time (data tables, SQL,
// HTML templates) into dist/ beside the compiled modules.
import { cp } from 'node:fs/promises';

await cp('src', 'dist/src', { recursive: true, filter: (source) => !source.endsWith('.ts') });
