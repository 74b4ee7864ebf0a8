import type { Kysely } from 'kysely';
import type { CatalogSchema, FileRow } from '../catalog/catalog-schema.js';
import { SdcError } from '../errors/sdc-error.js';
import type { Mission } from '../mission/load-mission.js';
import { buildProvDocument, type ProvDocument } from './prov-document.js';
import { loadProvenanceGraph, type LineageDirection, type ProvenanceGraph } from './provenance-graph.js';

/** Lineage of catalogued files: the graph, and the W3C PROV document of it. */
export class ProvenanceService {
  constructor(
    private readonly db: Kysely<CatalogSchema>,
    private readonly mission: Mission,
  ) {}

  /** The file of that name (production first, then staging); not-found otherwise. */
  async fileNamed(name: string): Promise<FileRow> {
    const rows = await this.db.selectFrom('files').selectAll().where('mission', '=', this.mission.config.id).where('name', '=', name).execute();
    const file = rows.find((f) => f.tier === 'production') ?? rows[0];
    if (!file) throw new SdcError('not-found', `no file named '${name}' in the catalog`, { fileName: name });
    return file;
  }

  graph(file: FileRow, direction: LineageDirection): Promise<ProvenanceGraph> {
    return loadProvenanceGraph(this.db, file, direction);
  }

  /** The PROV document of a file's lineage; identifiers under `baseUri` (the API's `/api/v1/`). */
  async document(file: FileRow, direction: LineageDirection, baseUri: string): Promise<ProvDocument> {
    const instruments = new Map(this.mission.config.instruments.map((i) => [i.id, i.name]));
    return buildProvDocument(await this.graph(file, direction), { baseUri, instrumentName: (id) => instruments.get(id) });
  }
}
