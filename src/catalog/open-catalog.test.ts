import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogSnapshotFile } from './fresh-catalog-snapshot.js';
import { migrateCatalog } from './migrate.js';
import { openCatalog } from './open-catalog.js';

const migrationFiles = async () => (await readdir('migrations')).filter((f) => f.endsWith('.sql')).sort();
const recorded = async (catalog: Awaited<ReturnType<typeof openCatalog>>) =>
  (await catalog.db.selectFrom('schema_migrations').select('version').orderBy('version').execute()).map((r) => r.version);

describe('an embedded catalog opened new', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sdc-open-catalog-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('starts in memory already migrated, from the fresh-catalog snapshot, and migrating it applies nothing', async () => {
    const catalog = await openCatalog({ kind: 'pglite', dataDir: 'memory://' });
    try {
      expect(await recorded(catalog)).toEqual(await migrationFiles());
      expect(await migrateCatalog(catalog.db)).toEqual([]);
    } finally {
      await catalog.close();
    }
  });

  it('in an empty folder starts from the snapshot and keeps what is written there when opened again', async () => {
    const folder = path.join(dir, 'catalog');
    const first = await openCatalog({ kind: 'pglite', dataDir: folder });
    await sql`insert into schema_migrations (version) values ('kept across opens')`.execute(first.db);
    await first.close();
    const again = await openCatalog({ kind: 'pglite', dataDir: folder });
    try {
      expect(await recorded(again)).toContain('kept across opens');
    } finally {
      await again.close();
    }
  });

  it('when the snapshot is damaged, then it opens an empty catalog the usual way (migrations then apply) and the snapshot is built anew later', async () => {
    const file = await catalogSnapshotFile();
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, 'not a tarball');
    const folder = path.join(dir, 'after-damage');
    const catalog = await openCatalog({ kind: 'pglite', dataDir: folder });
    try {
      expect(await migrateCatalog(catalog.db)).toEqual(await migrationFiles());
    } finally {
      await catalog.close();
    }
    const next = await openCatalog({ kind: 'pglite', dataDir: 'memory://' });
    try {
      expect(await recorded(next)).toEqual(await migrationFiles());
    } finally {
      await next.close();
    }
  });
});
