/**
 * The lineage queries on both backends over a small graph with a diamond and a shared input
 * (a calibration table read at two levels): precursors and descendants to any depth, each
 * derivation once; the tree printed with shared subtrees once; the PROV document of the graph
 * valid and its PROV-N statements matching its records.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileRow } from '../../src/catalog/catalog-schema.js';
import { descendantEdges, precursorEdges } from '../../src/provenance/lineage-query.js';
import { buildProvDocument } from '../../src/provenance/prov-document.js';
import { toProvN } from '../../src/provenance/prov-n.js';
import { loadProvenanceGraph } from '../../src/provenance/provenance-graph.js';
import { renderProvenanceTree } from '../../src/provenance/provenance-tree.js';
import { backends } from '../support/backends.js';
import { insertLabelledFiles, insertSucceededJob } from '../support/lineage-rows.js';
import { startTestSdc, type TestSdc } from '../support/test-sdc.js';
import { provJsonProblems } from './prov-json-schema.js';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`lineage queries on ${backend.name}`, () => {
    let t: TestSdc;
    const files = new Map<string, FileRow>();
    const name = (id: number) => [...files.values()].find((f) => f.id === id)!.name;

    /** a and cal were ingested; b = job(a, cal); c = job(b, cal); d = job(b); e = job(c, d). */
    beforeAll(async () => {
      t = await startTestSdc(backend);
      const db = t.sdc.catalog.db;
      for (const f of await insertLabelledFiles(db, 'lineage', ['a', 'cal'], null)) files.set(f.name.replace('.dat', ''), f);
      const derive = async (label: string, inputs: string[]) => {
        const jobId = await insertSucceededJob(db, label, inputs.map((i) => files.get(i)!));
        const [output] = await insertLabelledFiles(db, 'lineage', [label], jobId);
        files.set(label, output!);
        await db.insertInto('provenance_derivations').values(inputs.map((i) => ({ file_id: output!.id, used_file_id: files.get(i)!.id, job_id: jobId }))).execute();
      };
      await derive('b', ['a', 'cal']);
      await derive('c', ['b', 'cal']);
      await derive('d', ['b']);
      await derive('e', ['c', 'd']);
    });
    afterAll(async () => t?.close());

    it('when the precursors of a file are asked, then every derivation above it comes once, to any depth', async () => {
      const edges = await precursorEdges(t.sdc.catalog.db, files.get('e')!.id);
      expect(edges.map((e) => `${name(e.fileId)}<-${name(e.usedFileId)}`).sort()).toEqual(['b.dat<-a.dat', 'b.dat<-cal.dat', 'c.dat<-b.dat', 'c.dat<-cal.dat', 'd.dat<-b.dat', 'e.dat<-c.dat', 'e.dat<-d.dat']);
      expect(await precursorEdges(t.sdc.catalog.db, files.get('a')!.id)).toEqual([]);
    });

    it('when the descendants of a file are asked, then exactly what was built from it comes, directly or not', async () => {
      const names = async (label: string) => [...new Set((await descendantEdges(t.sdc.catalog.db, files.get(label)!.id)).map((e) => name(e.fileId)))].sort();
      expect(await names('cal')).toEqual(['b.dat', 'c.dat', 'd.dat', 'e.dat']);
      expect(await names('d')).toEqual(['e.dat']);
      expect(await names('e')).toEqual([]);
    });

    it('when the lineage is printed as a tree, then a file reached twice is shown in full once', async () => {
      const graph = await loadProvenanceGraph(t.sdc.catalog.db, files.get('e')!, 'precursors');
      const lines = renderProvenanceTree(graph).split('\n').map((l) => l.replace(/ {2}\[.*\]$/, ''));
      expect(lines).toEqual([
        'e.dat',
        '├── c.dat',
        '│   ├── b.dat',
        '│   │   ├── a.dat',
        '│   │   └── cal.dat',
        '│   └── cal.dat  (see above)',
        '└── d.dat',
        '    └── b.dat  (see above)',
      ]);
    });

    it('when the graph becomes a PROV document, then it is valid PROV-JSON and its PROV-N has one statement per record', async () => {
      const graph = await loadProvenanceGraph(t.sdc.catalog.db, files.get('e')!, 'precursors');
      const doc = buildProvDocument(graph, { baseUri: 'https://sdc.example.org/api/v1' });
      expect(provJsonProblems(doc)).toEqual([]);
      expect(Object.keys(doc.entity!).sort()).toEqual(['file:a.dat', 'file:b.dat', 'file:c.dat', 'file:cal.dat', 'file:d.dat', 'file:e.dat']);
      expect(Object.keys(doc.wasDerivedFrom!)).toHaveLength(7);
      // cal.dat is read by two jobs: one `used` each; b.dat by two jobs too.
      expect(Object.values(doc.used!).map((u) => `${String(u['prov:activity']).replace(/\d+/, '')}${String(u['prov:entity'])}`).sort()).toEqual(['job:file:a.dat', 'job:file:b.dat', 'job:file:b.dat', 'job:file:c.dat', 'job:file:cal.dat', 'job:file:cal.dat', 'job:file:d.dat']);
      expect(doc.prefix).toMatchObject({ file: 'https://sdc.example.org/api/v1/files/' });
      const provn = toProvN(doc).split('\n');
      const records = ['entity', 'activity', 'agent', 'used', 'wasGeneratedBy', 'wasDerivedFrom', 'wasAssociatedWith', 'actedOnBehalfOf'] as const;
      for (const kind of records) expect(provn.filter((l) => l.startsWith(`  ${kind}(`))).toHaveLength(Object.keys(doc[kind] ?? {}).length);
      expect(provn).toContain(`  entity(file:a.dat, [prov:type='sdc:science', prov:label="a.dat", sdc:sha256="${files.get('a')!.sha256}", sdc:size="3" %% xsd:long, sdc:version="1.0.0", sdc:product="a", sdc:tier="production"])`);
    });
  });
}
