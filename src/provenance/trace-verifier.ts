import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { CatalogSchema, TraceEvent } from '../catalog/catalog-schema.js';
import { newestNewerVersion } from '../catalog/file-catalog.js';
import { SdcError } from '../errors/sdc-error.js';
import { tracePayload } from './trace-payload.js';

export interface VerifiedTrace {
  event: TraceEvent;
  at: string;
  service: string;
  keyId: string | null;
  /** `valid`: the signature checks with the published key; `invalid`: it does not; `pending`: not signed yet. */
  signature: 'valid' | 'invalid' | 'pending';
}

/** One catalogued file with these bytes, and where it stands. */
export interface VerifiedFile {
  name: string;
  version: string;
  tier: string;
  /** The newest version of the same file, when this one is not it. */
  supersededBy: string | null;
  /** Withdrawn from release (or removed from the catalog) and not released again since. */
  withdrawn: boolean;
  released: boolean;
  /** Marked as derived from a bad input, for the campaign that regenerates it (`sdc reprocess --descendants-of`). */
  derivedFromBadInput: { file: string; campaignId: number } | null;
  traces: VerifiedTrace[];
}

export interface Verification {
  sha256: string;
  /** True when a signed ingest or generation trace of these bytes verifies and no trace of them fails. */
  genuine: boolean;
  reason: string;
  files: VerifiedFile[];
}

/** A sha256 that is not 64 hexadecimal digits. */
export class InvalidDigestError extends SdcError {
  constructor(value: string) {
    super('invalid-request', `sha256 must be 64 hexadecimal digits, got '${value.slice(0, 80)}'`, { sha256: value.slice(0, 80) });
  }
}

interface TraceRow {
  file_id: string | number | null;
  file_name: string;
  sha256: string;
  size: string | number;
  event: TraceEvent;
  at: Date;
  service: string;
  key_id: string | null;
  signature: string | null;
}

/**
 * Tells whether bytes with this sha256 are a genuine product of this SDC: the traces recorded
 * for it, each checked against the published public key that signed it (rotated keys included),
 * which file and version they are, and whether that version was withdrawn or superseded.
 */
export async function verifySha256(db: Kysely<CatalogSchema>, sha256: string): Promise<Verification> {
  const digest = sha256.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(digest)) throw new InvalidDigestError(sha256);
  const traces = await db.selectFrom('provenance_traces').select(['file_id', 'file_name', 'sha256', 'size', 'event', 'at', 'service', 'key_id', 'signature']).where('sha256', '=', digest).orderBy('id').execute() as TraceRow[];
  if (traces.length === 0) {
    return { sha256: digest, genuine: false, reason: 'no trace of these bytes: they are not a file this SDC ingested or generated (altered, corrupted, or from elsewhere)', files: [] };
  }
  const keys = await publicKeys(db, traces);
  const checked = traces.map((t) => ({ row: t, signature: checkSignature(t, keys) }));
  const byFile = new Map<string, typeof checked>();
  for (const c of checked) {
    const key = `${c.row.file_id ?? 'gone'}/${c.row.file_name}`;
    byFile.set(key, [...(byFile.get(key) ?? []), c]);
  }
  const files: VerifiedFile[] = [];
  for (const list of byFile.values()) files.push(await fileStatus(db, list));
  const invalid = checked.some((c) => c.signature === 'invalid');
  const arrival = checked.some((c) => c.signature === 'valid' && (c.row.event === 'ingest' || c.row.event === 'generation'));
  if (invalid) return { sha256: digest, genuine: false, reason: 'a trace of these bytes fails its signature check: the trace record was altered', files };
  if (!arrival) return { sha256: digest, genuine: false, reason: 'the traces of these bytes are not signed yet; ask again in a moment', files };
  const [first] = files;
  const status = first && (first.withdrawn ? ', withdrawn' : first.supersededBy ? `, superseded by ${first.supersededBy}` : '');
  return { sha256: digest, genuine: true, reason: `a genuine copy of ${files.map((f) => f.name).join(', ')}${status ?? ''}`, files };
}

async function publicKeys(db: Kysely<CatalogSchema>, traces: readonly TraceRow[]): Promise<Map<string, KeyObject>> {
  const ids = [...new Set(traces.flatMap((t) => (t.key_id ? [t.key_id] : [])))];
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('provenance_keys').select(['key_id', 'public_key']).where('key_id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.key_id, createPublicKey(r.public_key)]));
}

function checkSignature(t: TraceRow, keys: Map<string, KeyObject>): VerifiedTrace['signature'] {
  if (!t.signature || !t.key_id) return 'pending';
  const key = keys.get(t.key_id);
  if (!key) return 'invalid';
  const payload = tracePayload({ fileName: t.file_name, sha256: t.sha256, size: Number(t.size), event: t.event, at: new Date(t.at), service: t.service, keyId: t.key_id });
  return verify(null, payload, key, Buffer.from(t.signature, 'base64')) ? 'valid' : 'invalid';
}

async function fileStatus(db: Kysely<CatalogSchema>, list: { row: TraceRow; signature: VerifiedTrace['signature'] }[]): Promise<VerifiedFile> {
  const first = list[0]!.row;
  const traces = list.map(({ row, signature }) => ({ event: row.event, at: new Date(row.at).toISOString(), service: row.service, keyId: row.key_id, signature }));
  const lastPublication = [...list].reverse().find((c) => c.row.event === 'release' || c.row.event === 'withdrawal');
  const file = first.file_id === null ? undefined : await db.selectFrom('files').selectAll().where('id', '=', Number(first.file_id)).executeTakeFirst();
  if (!file) return { name: first.file_name, version: '', tier: '', supersededBy: null, withdrawn: true, released: false, derivedFromBadInput: null, traces };
  const newer = await newestNewerVersion(db, file);
  const mark = await db
    .selectFrom('provenance_suspects as s')
    .innerJoin('files as b', 'b.id', 's.bad_file_id')
    .select(['b.name', 's.campaign_id'])
    .where('s.file_id', '=', file.id)
    .orderBy('s.campaign_id', 'desc')
    .executeTakeFirst();
  return {
    name: file.name,
    version: file.version_label,
    tier: file.tier,
    supersededBy: newer?.name ?? null,
    withdrawn: lastPublication?.row.event === 'withdrawal',
    released: file.released_at !== null,
    derivedFromBadInput: mark ? { file: mark.name, campaignId: mark.campaign_id } : null,
    traces,
  };
}
