import type { NewFinding } from './audit-catalog.js';
import type { CopyCheck, CopyExpectation } from './targets/backup-target.js';

/** What the catalog says should be at a key of the location audited (a system item's copy has no file id). */
export interface ExpectedCopy extends CopyExpectation {
  key: string;
  fileId: number | null;
}

/** How one location is read by an audit. */
export interface LocationReader {
  /** Every object present, with its size. */
  list(): AsyncIterable<{ key: string; size: number }>;
  /** Checks one object whose size already matched (a re-hash when `checksums`). */
  verify(expected: ExpectedCopy): Promise<CopyCheck>;
}

/** Entries checked and what was wrong. */
export interface ScanResult {
  checked: number;
  findings: NewFinding[];
}

/**
 * Compares a location's listing with the catalog (Rucio's auditor, one pass): present and not
 * catalogued is dark; catalogued and absent is missing; present with another size or sha256 is
 * a mismatch. Findings are candidates: repair re-checks each before acting.
 */
export async function scanLocation(expected: ReadonlyMap<string, ExpectedCopy>, reader: LocationReader, checksums: boolean): Promise<ScanResult> {
  const seen = new Set<string>();
  const findings: NewFinding[] = [];
  let checked = 0;
  for await (const entry of reader.list()) {
    checked++;
    const want = expected.get(entry.key);
    if (!want) {
      findings.push({ kind: 'dark', key: entry.key, file_id: null, actual_size: entry.size });
      continue;
    }
    seen.add(entry.key);
    const base = { key: entry.key, file_id: want.fileId, expected_size: want.size, expected_sha256: want.sha256 };
    if (entry.size !== want.size) {
      findings.push({ ...base, kind: 'size-mismatch', actual_size: entry.size });
      continue;
    }
    if (!checksums) continue;
    const check = await reader.verify(want);
    const finding = findingOf(check);
    if (finding) findings.push({ ...base, ...finding });
  }
  for (const want of expected.values()) {
    if (seen.has(want.key)) continue;
    checked++;
    findings.push({ kind: 'missing', key: want.key, file_id: want.fileId, expected_size: want.size, expected_sha256: want.sha256 });
  }
  return { checked, findings };
}

/**
 * Checks each expected copy where it is recorded, without a listing (system items: the audit
 * looks for what the catalog holds, not for dark objects under `_sdc-system/`).
 */
export async function scanExpected(expected: ReadonlyMap<string, ExpectedCopy>, reader: Pick<LocationReader, 'verify'>): Promise<ScanResult> {
  const findings: NewFinding[] = [];
  for (const want of expected.values()) {
    const finding = findingOf(await reader.verify(want));
    if (finding) findings.push({ key: want.key, file_id: want.fileId, expected_size: want.size, expected_sha256: want.sha256, ...finding });
  }
  return { checked: expected.size, findings };
}

/** The finding a check amounts to, or undefined when the copy is intact. */
export function findingOf(check: CopyCheck): Pick<NewFinding, 'kind' | 'actual_size' | 'actual_sha256'> | undefined {
  if (check.state === 'ok') return undefined;
  if (check.state === 'missing') return { kind: 'missing' };
  if (check.state === 'size-mismatch') return { kind: 'size-mismatch', actual_size: check.size };
  return { kind: 'checksum-mismatch', actual_size: check.size, actual_sha256: check.sha256 };
}
