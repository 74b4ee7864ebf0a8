import type { Kysely } from 'kysely';
import type { CatalogSchema } from '../../catalog/catalog-schema.js';
import { SdcError } from '../../errors/sdc-error.js';
import { ANONYMOUS } from '../access/principal.js';
import { searchVisibleFiles, type FileSearch } from '../query/file-query.js';

/** A snapshot's summary as listed. */
export interface SnapshotSummary {
  name: string;
  description: string;
  createdBy: string;
  createdAt: string;
  files: number;
}

/** Most files one snapshot may pin. */
const MAX_SNAPSHOT_FILES = 1_000_000;

/**
 * Named releases: a snapshot pins the latest public version of each file matching a search at
 * the time it is made, so that "as of release X" never mixes versions.
 */
export class ReleaseSnapshots {
  constructor(
    private readonly db: Kysely<CatalogSchema>,
    private readonly mission: string,
  ) {}

  /** Creates a snapshot of the currently public latest versions matching the filters. */
  async create(name: string, description: string, actor: string, select: Pick<FileSearch, 'filters' | 'time'>): Promise<number> {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(name)) throw new SdcError('invalid-request', `release name '${name}' must be 1-100 letters, digits or . _ - (starting with a letter or digit)`);
    const files = await searchVisibleFiles(this.db, { mission: this.mission, principal: ANONYMOUS, latestOnly: true, order: 'start-asc', limit: MAX_SNAPSHOT_FILES + 1, ...select });
    if (files.length === 0) throw new SdcError('invalid-request', `release '${name}' would hold no public file`);
    if (files.length > MAX_SNAPSHOT_FILES) throw new SdcError('invalid-request', `release '${name}' would hold more than ${MAX_SNAPSHOT_FILES} files`);
    return this.db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('release_snapshots').select('id').where('mission', '=', this.mission).where('name', '=', name).executeTakeFirst();
      if (existing) throw new SdcError('conflicting-duplicate', `release '${name}' already exists`, { release: name });
      const snapshot = await trx.insertInto('release_snapshots').values({ mission: this.mission, name, description, created_by: actor }).returning('id').executeTakeFirstOrThrow();
      for (let i = 0; i < files.length; i += 5000) {
        await trx.insertInto('release_snapshot_files').values(files.slice(i, i + 5000).map((f) => ({ snapshot_id: snapshot.id, file_id: f.id, stem: f.stem }))).execute();
      }
      await trx.insertInto('release_audit').values({ mission: this.mission, action: 'snapshot', actor, files: files.length, detail: name }).execute();
      return files.length;
    });
  }

  async list(): Promise<SnapshotSummary[]> {
    const rows = await this.db
      .selectFrom('release_snapshots as s')
      .leftJoin('release_snapshot_files as f', 'f.snapshot_id', 's.id')
      .select((eb) => ['s.name', 's.description', 's.created_by', 's.created_at', eb.fn.count<string>('f.file_id').as('files')])
      .where('s.mission', '=', this.mission)
      .groupBy(['s.id', 's.name', 's.description', 's.created_by', 's.created_at'])
      .orderBy('s.created_at', 'desc')
      .execute();
    return rows.map((r) => ({ name: r.name, description: r.description, createdBy: r.created_by, createdAt: new Date(r.created_at).toISOString(), files: Number(r.files) }));
  }

  async get(name: string): Promise<SnapshotSummary> {
    const found = (await this.list()).find((s) => s.name === name);
    if (!found) throw new SdcError('not-found', `no release named '${name}'`, { release: name });
    return found;
  }
}
