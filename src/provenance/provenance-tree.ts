import type { FileRow } from '../catalog/catalog-schema.js';
import type { ProvenanceGraph } from './provenance-graph.js';

/**
 * The lineage of a file as an indented tree, one file a line with how it was made (processor,
 * version, job) or brought in (ingest source). A file reached again by another path is printed
 * once in full and then as `(see above)`, so a shared calibration table does not repeat its subtree.
 */
export function renderProvenanceTree(graph: ProvenanceGraph): string {
  const children = new Map<number, { fileId: number; jobId: number }[]>();
  for (const edge of graph.edges) {
    const [from, to] = graph.direction === 'precursors' ? [edge.fileId, edge.usedFileId] : [edge.usedFileId, edge.fileId];
    const list = children.get(from) ?? [];
    list.push({ fileId: to, jobId: edge.jobId });
    children.set(from, list);
  }
  const name = (id: number) => graph.files.get(id)?.name ?? `file #${id}`;
  for (const list of children.values()) list.sort((a, b) => name(a.fileId).localeCompare(name(b.fileId)));
  const lines = [`${graph.root.name}  ${describe(graph, graph.root)}`];
  const printed = new Set<number>([graph.root.id]);
  const walk = (id: number, indent: string) => {
    const list = children.get(id) ?? [];
    list.forEach((child, i) => {
      const last = i === list.length - 1;
      const file = graph.files.get(child.fileId);
      const seen = printed.has(child.fileId);
      lines.push(`${indent}${last ? '└── ' : '├── '}${name(child.fileId)}  ${seen ? '(see above)' : file ? describe(graph, file) : ''}`.trimEnd());
      if (seen) return;
      printed.add(child.fileId);
      walk(child.fileId, `${indent}${last ? '    ' : '│   '}`);
    });
  };
  walk(graph.root.id, '');
  return lines.join('\n');
}

function describe(graph: ProvenanceGraph, file: FileRow): string {
  const activity = file.job_id === null ? undefined : graph.activities.get(file.job_id);
  if (activity) return `[${activity.processor} ${activity.processor_version}, job ${activity.job_id}, bundle ${activity.bundle_sha256.slice(0, 12)}, sha256 ${file.sha256.slice(0, 12)}]`;
  if (file.job_id !== null) return `[job ${file.job_id}, sha256 ${file.sha256.slice(0, 12)}]`;
  return `[ingested from ${file.source} ${new Date(file.ingested_at).toISOString()}, sha256 ${file.sha256.slice(0, 12)}]`;
}
