import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { packageRoot } from '../config/package-root.js';
import type { CatalogSchema } from './catalog-schema.js';
import { migrateCatalog } from './migrate.js';
import { PGliteDialect } from './pglite-dialect.js';

const SNAPSHOT_FOLDER = path.join(os.tmpdir(), 'sdc-catalog-snapshots');

/**
 * A new embedded catalog, initialised and migrated, as a PGlite data-directory tarball. PGlite's
 * initdb and the migrations cost about 4 s of CPU at every first start of a data folder (and at
 * every start of a memory catalog); loading this tarball costs about 1. It is built once per
 * machine and kept in the temporary folder under a key of the PGlite version and the migration
 * files, so a new version of either builds a new one.
 */
export async function freshCatalogSnapshot(migrationsFolder = path.join(packageRoot(), 'migrations')): Promise<Blob> {
  const file = await catalogSnapshotFile(migrationsFolder);
  const cached = await readFile(file).catch(() => undefined);
  if (cached) return new Blob([cached]);
  const snapshot = await buildSnapshot(migrationsFolder);
  await mkdir(SNAPSHOT_FOLDER, { recursive: true });
  // Written aside and renamed: processes building it at once never read a partial file.
  const partial = `${file}.${randomUUID()}.partial`;
  await writeFile(partial, Buffer.from(await snapshot.arrayBuffer()));
  await rename(partial, file);
  return snapshot;
}

/** Where the snapshot of these migrations is kept. */
export async function catalogSnapshotFile(migrationsFolder = path.join(packageRoot(), 'migrations')): Promise<string> {
  return path.join(SNAPSHOT_FOLDER, `${await snapshotKey(migrationsFolder)}.tar.gz`);
}

/** Forgets a snapshot that failed to load, so that the next start builds it again. */
export async function discardCatalogSnapshots(): Promise<void> {
  await rm(SNAPSHOT_FOLDER, { recursive: true, force: true });
}

async function buildSnapshot(migrationsFolder: string): Promise<Blob> {
  const pglite = await PGlite.create('memory://');
  const db = new Kysely<CatalogSchema>({ dialect: new PGliteDialect(pglite) });
  try {
    await migrateCatalog(db, migrationsFolder);
    return await pglite.dumpDataDir('gzip');
  } finally {
    await db.destroy();
    await pglite.close();
  }
}

async function snapshotKey(migrationsFolder: string): Promise<string> {
  const hash = createHash('sha256');
  const pgliteEntry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const pglitePackage = JSON.parse(await readFile(path.join(path.dirname(pgliteEntry), '..', 'package.json'), 'utf8')) as { version: string };
  hash.update(`pglite ${pglitePackage.version}\n`);
  for (const name of (await readdir(migrationsFolder)).filter((f) => f.endsWith('.sql')).sort()) {
    hash.update(`${name}\n`).update(await readFile(path.join(migrationsFolder, name)));
  }
  return hash.digest('hex').slice(0, 32);
}
