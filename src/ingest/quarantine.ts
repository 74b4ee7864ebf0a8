import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { CatalogSchema } from '../catalog/catalog-schema.js';

/** A rejected arrival as the quarantine records it. */
export interface QuarantineEntry {
  name: string;
  code: string;
  reason: string;
  source: string;
  size?: number | undefined;
  sha256?: string | undefined;
}

/**
 * Keeps rejected arrivals for an operator: the bytes in the quarantine folder (one folder per
 * arrival, with `reason.json` beside the file) and a row in the catalog's quarantine table.
 */
export class Quarantine {
  constructor(
    private readonly folder: string,
    private readonly db: Kysely<CatalogSchema>,
    private readonly mission: string,
  ) {}

  /** Moves (or copies, when the source must stay) the file in, then records it. Returns the row id. */
  async add(sourcePath: string, entry: QuarantineEntry, mode: 'move' | 'copy'): Promise<{ id: number; location: string }> {
    const dir = path.join(this.folder, `${new Date().toISOString().slice(0, 10)}`, randomUUID());
    await mkdir(dir, { recursive: true });
    const location = path.join(dir, safeName(entry.name));
    if (mode === 'move') await moveFile(sourcePath, location);
    else await copyFile(sourcePath, location);
    await writeFile(path.join(dir, 'reason.json'), JSON.stringify({ ...entry, quarantinedAt: new Date().toISOString() }, null, 2) + '\n');
    const row = await this.db
      .insertInto('quarantine')
      .values({ mission: this.mission, name: entry.name, reason_code: entry.code, reason: entry.reason, size: entry.size ?? null, sha256: entry.sha256 ?? null, location, source: entry.source })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, location };
  }
}

/** A name safe as a single path segment, whatever the arrival was called. */
function safeName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return cleaned.length > 0 ? cleaned.slice(0, 200) : 'unnamed';
}

async function moveFile(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await copyFile(from, to);
    await rm(from, { force: true });
  }
}
