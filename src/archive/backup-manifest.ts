import type { ArchiveDb } from './archive-tables.js';
import { copiesOfRun, systemCopiesOfRun } from './backup-catalog.js';
import type { BackupTarget } from './targets/backup-target.js';

/** One line of a run manifest (JSON lines), as stored in the target beside the copies. */
export interface ManifestLine {
  key: string;
  name: string;
  size: number;
  sha256: string;
  version: string;
  backedUpAt: string;
  target: string;
  location: string;
  /** Only on lines of system items: `processor-bundle` (version = name@version) or `mission-config` (version = the mission). */
  kind?: 'processor-bundle' | 'mission-config';
}

/** The manifest's name in the target: `run-<id>-<UTC time>.jsonl`, sortable by run. */
export function manifestName(runId: number, at: Date): string {
  return `run-${String(runId).padStart(8, '0')}-${at.toISOString().replace(/[:.]/g, '')}.jsonl`;
}

/** Builds a run's manifest from its recorded copies and stores it in the target. */
export async function writeRunManifest(db: ArchiveDb, target: BackupTarget, runId: number, at = new Date()): Promise<{ key: string; lines: number }> {
  const copies = await copiesOfRun(db, runId);
  const lines: ManifestLine[] = copies.map((c) => ({
    key: c.store_key,
    name: c.name,
    size: c.size,
    sha256: c.sha256,
    version: c.version_label,
    backedUpAt: new Date(c.backed_up_at).toISOString(),
    target: c.target,
    location: c.location,
  }));
  for (const c of await systemCopiesOfRun(db, runId)) {
    lines.push({ key: c.key, name: c.path, size: c.size, sha256: c.sha256, version: c.owner, backedUpAt: new Date(c.backed_up_at).toISOString(), target: c.target, location: c.location, kind: c.kind });
  }
  const key = await target.putManifest(manifestName(runId, at), lines.map((l) => JSON.stringify(l)).join('\n') + (lines.length ? '\n' : ''));
  return { key, lines: lines.length };
}
