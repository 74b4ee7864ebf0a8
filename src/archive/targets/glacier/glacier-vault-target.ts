import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  GetJobOutputCommand,
  GlacierClient,
  InitiateMultipartUploadCommand,
  ListPartsCommand,
  UploadArchiveCommand,
  UploadMultipartPartCommand,
} from '@aws-sdk/client-glacier';
import { SdcError } from '../../../errors/sdc-error.js';
import { assertValidKey } from '../../../store/store-key.js';
import { ColdCopyNotReadyError } from '../../archive-errors.js';
import type { GlacierTargetConfig } from '../../archive-config.js';
import type { ArchiveDb } from '../../archive-tables.js';
import { MANIFEST_FOLDER, SYSTEM_FOLDER, type BackupTarget, type CopyCheck, type RestoreTier, type CopyExpectation, type TargetEntry } from '../backup-target.js';
import { archiveOf, forgetUpload, inventoryEntry, inventoryListing, inventoryOf, recordArchive, recordedParts, recordPart, recordUpload, unrecordedUpload, uploadInProgress } from './glacier-catalog.js';
import { GlacierRequestError, toGlacierError, TreeHashMismatchError } from './glacier-errors.js';
import { bringInventoryUpToDate, type InventoryState } from './glacier-inventory.js';
import { GlacierRestorer, type GlacierVaultRef } from './glacier-restorer.js';
import { leafDigests, TreeHasher, treeRoot } from './tree-hash.js';

/** Glacier's limit on an archive description (printable ASCII). */
const MAX_DESCRIPTION = 1024;

/**
 * A Glacier vault as a backup target, for sites with existing vaults (new sites use S3 with a
 * Glacier storage class). Archives have no names: each upload gets an archive id, which is the
 * copy's location, kept with its size, sha256 and tree hash in `glacier_archives`. A file up to
 * one part is one UploadArchive; larger ones are multipart uploads of `partSizeBytes` parts
 * (1 MiB × 2ⁿ), each sent with its tree hash, completed with the whole archive's tree hash
 * computed from the 1 MiB leaf digests; Glacier's answer must carry the same tree hash. A
 * multipart upload and each part Glacier confirms are recorded (`glacier_uploads`), so a run
 * killed mid-upload resumes it: the parts Glacier lists (ListParts) with the tree hash of the
 * bytes read again are not sent again. Reading needs an archive-retrieval job (the restorer); the listing is the vault inventory.
 */
export class GlacierVaultTarget implements BackupTarget {
  readonly name: string;
  readonly description: string;
  readonly storageClass = 'GLACIER_VAULT';
  readonly restorer: GlacierRestorer;
  readonly restoreTier: RestoreTier;
  private readonly vault: GlacierVaultRef;
  private readonly partSize: number;
  private readonly inventoryMaxAgeMs: number;

  constructor(config: GlacierTargetConfig, db: ArchiveDb, client?: GlacierClient) {
    this.name = config.name;
    this.description = `glacier:${config.region}/${config.vault}`;
    const credentials = config.accessKeyId && config.secretAccessKey ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } : undefined;
    const glacier = client ?? new GlacierClient({ region: config.region, endpoint: config.endpoint, credentials });
    this.vault = { target: config.name, vault: config.vault, accountId: config.accountId, client: glacier, db };
    this.partSize = config.partSizeBytes;
    this.inventoryMaxAgeMs = config.inventoryMaxAgeHours * 3600_000;
    this.restorer = new GlacierRestorer(this.vault);
    this.restoreTier = config.restoreTier;
  }

  async put(key: string, body: Readable, expected: CopyExpectation): Promise<string> {
    assertValidKey(key);
    const earlier = await unrecordedUpload(this.vault.db, this.name, key, expected.sha256);
    if (earlier && earlier.size === expected.size) return earlier.archive_id;
    return this.upload(key, body, expected);
  }

  /** Checked against the catalog of archives and, for archives older than it, the vault inventory (size and tree hash). */
  async check(location: string, expected: CopyExpectation): Promise<CopyCheck> {
    const { db } = this.vault;
    const archive = await archiveOf(db, this.name, location);
    if (!archive) return { state: 'missing' };
    if (archive.size !== expected.size) return { state: 'size-mismatch', size: archive.size };
    if (archive.sha256 !== expected.sha256.toLowerCase()) return { state: 'checksum-mismatch', size: archive.size, sha256: archive.sha256 };
    const inventory = await inventoryOf(db, this.name);
    if (inventory && new Date(inventory.inventory_date) > new Date(archive.uploaded_at)) {
      const entry = await inventoryEntry(db, this.name, location);
      if (!entry) return { state: 'missing' };
      if (entry.size !== archive.size) return { state: 'size-mismatch', size: entry.size };
      // For a vault the only checksum the inventory reports is the tree hash.
      if (entry.tree_hash !== archive.tree_hash) return { state: 'checksum-mismatch', size: entry.size, sha256: entry.tree_hash };
    }
    return { state: 'ok', size: archive.size, sha256: archive.sha256, reread: false };
  }

  /**
   * The output of a finished archive-retrieval job; the stream errors at its end unless the
   * bytes' tree hash is the one recorded at upload (the restore also checks the sha256).
   */
  async read(location: string): Promise<Readable> {
    const jobId = await this.restorer.readyJob(location);
    if (!jobId) throw new ColdCopyNotReadyError(this.name, location, (await this.restorer.status(location)) === 'in-progress' ? 'in-progress' : 'not-requested');
    const archive = await archiveOf(this.vault.db, this.name, location);
    if (!archive) throw new GlacierRequestError(this.vault.vault, 'read', `archive ${location} is not in the catalog of archives`, { archiveId: location });
    let output;
    try {
      output = await this.vault.client.send(new GetJobOutputCommand({ vaultName: this.vault.vault, accountId: this.vault.accountId, jobId }));
    } catch (error) {
      throw toGlacierError(error, this.vault.vault, 'job output', { jobId, archiveId: location });
    }
    if (output.checksum && output.checksum !== archive.tree_hash) {
      (output.body as Readable | undefined)?.destroy();
      throw new TreeHashMismatchError(this.name, location, archive.tree_hash, output.checksum, 'as Glacier reports the job output');
    }
    return (output.body as Readable).pipe(treeHashCheck(this.name, location, archive.tree_hash));
  }

  async *list(): AsyncIterable<TargetEntry> {
    for (const entry of await inventoryListing(this.vault.db, this.name, [`${MANIFEST_FOLDER}/`, `${SYSTEM_FOLDER}/`])) yield { location: entry.archive_id, size: entry.size };
  }

  inventory(): Promise<InventoryState> {
    return bringInventoryUpToDate(this.vault, this.inventoryMaxAgeMs);
  }

  /** Uploads the manifest as an archive; its location is the archive id (the catalog of archives names it). */
  async putManifest(name: string, text: string): Promise<string> {
    const bytes = Buffer.from(text);
    // Glacier holds no empty archive: a run that copied nothing has nothing to list.
    if (bytes.length === 0) return `${MANIFEST_FOLDER}/${name} (empty, not uploaded)`;
    return this.upload(`${MANIFEST_FOLDER}/${name}`, Readable.from([bytes]), { size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
  }

  async close(): Promise<void> {
    this.vault.client.destroy();
  }

  /** Uploads the body (one request or multipart), checks Glacier's tree hash, records the archive. */
  private async upload(key: string, body: Readable, expected: CopyExpectation): Promise<string> {
    const size = expected.size;
    if (size === 0) throw new GlacierRequestError(this.vault.vault, 'upload', `'${key}' is empty and Glacier holds no empty archive`, { key });
    const description = archiveDescription(key);
    const hasher = new TreeHasher();
    const archiveId = size <= this.partSize ? await this.uploadWhole(body, hasher, description) : await this.uploadInParts(key, body, hasher, description, expected);
    const digest = hasher.digest();
    await recordArchive(this.vault.db, { target: this.name, archive_id: archiveId, key, size: digest.size, sha256: digest.sha256, tree_hash: digest.treeHash });
    return archiveId;
  }

  private async uploadWhole(body: Readable, hasher: TreeHasher, archiveDescription: string): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of body as AsyncIterable<Buffer>) {
      hasher.update(chunk);
      chunks.push(chunk);
    }
    const bytes = Buffer.concat(chunks);
    const checksum = treeRoot(leafDigests(bytes)).toString('hex');
    const { vault, accountId, client } = this.vault;
    try {
      const response = await client.send(new UploadArchiveCommand({ vaultName: vault, accountId, archiveDescription, checksum, body: bytes }));
      return this.acceptedArchive(response.archiveId, response.checksum, checksum);
    } catch (error) {
      throw toGlacierError(error, vault, 'upload archive', { size: bytes.length });
    }
  }

  /**
   * A multipart upload, resumed when a run left one for the same bytes: every part is read and
   * tree-hashed again (the whole archive's hashes need it), but only parts Glacier does not hold
   * with that tree hash are sent. Bytes that do not verify abort the upload; anything else
   * (network, Glacier unavailable) leaves it recorded for the next run.
   */
  private async uploadInParts(key: string, body: Readable, hasher: TreeHasher, archiveDescription: string, expected: CopyExpectation): Promise<string> {
    const { vault, accountId, client, db } = this.vault;
    const size = expected.size;
    let uploadId: string | undefined;
    try {
      const resumed = await this.resumableUpload(key, expected);
      uploadId = resumed?.uploadId ?? (await this.initiateUpload(key, expected, archiveDescription));
      const held = resumed?.parts ?? new Map<number, string>();
      const leaves: Buffer[] = [];
      let offset = 0;
      for await (const part of partsOf(body, this.partSize)) {
        hasher.update(part);
        const partLeaves = leafDigests(part);
        const checksum = treeRoot(partLeaves).toString('hex');
        if (held.get(offset) !== checksum) {
          const response = await client.send(new UploadMultipartPartCommand({ vaultName: vault, accountId, uploadId, checksum, range: `bytes ${offset}-${offset + part.length - 1}/*`, body: part }));
          if (response.checksum !== checksum) throw new PartRefusedError(`part at ${offset}: Glacier computed tree hash ${response.checksum}, we sent ${checksum}`);
          await recordPart(db, { target: this.name, upload_id: uploadId, range_start: offset, size: part.length, tree_hash: checksum });
        }
        leaves.push(...partLeaves);
        offset += part.length;
      }
      if (offset !== size) throw new PartRefusedError(`read ${offset} bytes, expected ${size}`);
      const checksum = treeRoot(leaves).toString('hex');
      const response = await client.send(new CompleteMultipartUploadCommand({ vaultName: vault, accountId, uploadId, archiveSize: String(size), checksum }));
      const archiveId = this.acceptedArchive(response.archiveId, response.checksum, checksum);
      await forgetUpload(db, this.name, uploadId);
      return archiveId;
    } catch (error) {
      if (uploadId && isContentError(error)) {
        await client.send(new AbortMultipartUploadCommand({ vaultName: vault, accountId, uploadId })).catch(() => {});
        await forgetUpload(db, this.name, uploadId);
      }
      throw toGlacierError(error, vault, 'multipart upload', { size, ...(uploadId ? { uploadId } : {}) });
    }
  }

  private async initiateUpload(key: string, expected: CopyExpectation, archiveDescription: string): Promise<string> {
    const { vault, accountId, client, db } = this.vault;
    const uploadId = (await client.send(new InitiateMultipartUploadCommand({ vaultName: vault, accountId, archiveDescription, partSize: String(this.partSize) }))).uploadId;
    if (!uploadId) throw new Error('no upload id in the answer');
    await recordUpload(db, { target: this.name, upload_id: uploadId, key, size: expected.size, sha256: expected.sha256, part_size: this.partSize });
    return uploadId;
  }

  /**
   * The upload a killed run left for these bytes and the parts Glacier holds of it (ListParts,
   * which also knows parts confirmed after the last one recorded); none when Glacier no longer
   * knows the upload (aborted, or expired), which is then forgotten.
   */
  private async resumableUpload(key: string, expected: CopyExpectation): Promise<{ uploadId: string; parts: Map<number, string> } | undefined> {
    const { vault, accountId, client, db } = this.vault;
    const upload = await uploadInProgress(db, this.name, { key, size: expected.size, sha256: expected.sha256, partSize: this.partSize });
    if (!upload) return undefined;
    const parts = await recordedParts(db, this.name, upload.upload_id);
    let marker: string | undefined;
    try {
      do {
        const page = await client.send(new ListPartsCommand({ vaultName: vault, accountId, uploadId: upload.upload_id, marker }));
        for (const part of page.Parts ?? []) {
          const start = Number(part.RangeInBytes?.split('-')[0]);
          if (Number.isSafeInteger(start) && part.SHA256TreeHash) parts.set(start, part.SHA256TreeHash);
        }
        marker = page.Marker ?? undefined;
      } while (marker);
    } catch (error) {
      if ((error as { name?: string }).name !== 'ResourceNotFoundException') throw error;
      await forgetUpload(db, this.name, upload.upload_id);
      return undefined;
    }
    return { uploadId: upload.upload_id, parts };
  }

  private acceptedArchive(archiveId: string | undefined, returned: string | undefined, sent: string): string {
    if (!archiveId) throw new Error('no archive id in the answer');
    if (returned !== undefined && returned !== sent) throw new Error(`Glacier computed tree hash ${returned}, we sent ${sent}`);
    return archiveId;
  }
}

/** Glacier disagreed with the bytes we sent, or the bytes read were not what the upload expected. */
class PartRefusedError extends Error {}

/** Whether a failed multipart upload holds bytes that must not be completed (abort it) rather than a passing fault (resume it). */
function isContentError(error: unknown): boolean {
  if (error instanceof PartRefusedError) return true;
  return error instanceof SdcError && (error.code === 'checksum-mismatch' || error.code === 'size-mismatch');
}

/** Cuts a stream into parts of exactly `partSize` bytes (the last may be shorter). */
async function* partsOf(body: Readable, partSize: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let length = 0;
  for await (const data of body as AsyncIterable<Buffer>) {
    let chunk = data;
    while (length + chunk.length >= partSize) {
      const take = partSize - length;
      pending.push(chunk.subarray(0, take));
      yield Buffer.concat(pending);
      pending = [];
      length = 0;
      chunk = chunk.subarray(take);
    }
    if (chunk.length > 0) {
      pending.push(chunk);
      length += chunk.length;
    }
  }
  if (length > 0) yield Buffer.concat(pending);
}

/** The archive's only metadata: a JSON pointer to what it holds, printable ASCII, at most 1,024 characters. */
function archiveDescription(key: string): string {
  const ascii = JSON.stringify({ sdc: key }).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return ascii.length <= MAX_DESCRIPTION ? ascii : `${ascii.slice(0, MAX_DESCRIPTION - 4)}...}`;
}

/** Passes bytes through and errors at the end unless their tree hash is `expected`. */
function treeHashCheck(target: string, location: string, expected: string): Transform {
  const hasher = new TreeHasher();
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hasher.update(chunk);
      done(null, chunk);
    },
    flush(done) {
      const actual = hasher.digest().treeHash;
      done(actual === expected ? null : new TreeHashMismatchError(target, location, expected, actual, 'of the bytes received'));
    },
  });
}
