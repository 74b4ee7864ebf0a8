import type { Readable } from 'node:stream';
import { HeadObjectCommand, PutObjectCommand, type PutObjectCommandInput } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { httpStatusOf, toStoreError } from '../../store/s3-error-mapping.js';
import { S3FileStore, type S3FileStoreOptions } from '../../store/s3-file-store.js';
import { assertValidKey } from '../../store/store-key.js';
import { ColdCopyNotReadyError } from '../archive-errors.js';
import type { S3StorageClass } from '../archive-config.js';
import { compareDigest, digestStream } from '../stream-digest.js';
import { isFileCopyKey, MANIFEST_FOLDER, type BackupTarget, type ColdRestorer, type RestoreTier, type CopyCheck, type CopyExpectation, type TargetEntry } from './backup-target.js';
import { S3ColdRestorer } from './s3-cold-restorer.js';

/** An S3 backup target: where, which class, how uploads are verified. */
export interface S3BackupTargetOptions extends S3FileStoreOptions {
  name: string;
  storageClass: S3StorageClass;
  /** See the `archive.targets[].verify` configuration key. */
  verify?: 'read-back' | 'checksum';
  restoreDays?: number;
  restoreTier?: RestoreTier;
  /** Replaces the RestoreObject client for cold classes (tests: no emulator implements it). */
  restorer?: ColdRestorer;
}

const MIN_PART_BYTES = 5 * 1024 * 1024;
const MAX_PARTS = 10_000;
const COLD_CLASSES: readonly string[] = ['GLACIER', 'DEEP_ARCHIVE'];

/**
 * Backups in S3 with a storage class (DEEP_ARCHIVE by default) through lib-storage's `Upload`:
 * one PUT up to one part, multipart beyond, each part with a SHA-256 checksum S3 verifies (AWS;
 * emulators verify nothing, hence `read-back`). The sha256 is also stored as `x-amz-meta-sha256`.
 * Reads, listing and HEADs go through an S3 file store on the same bucket and prefix.
 */
export class S3BackupTarget implements BackupTarget {
  readonly name: string;
  readonly description: string;
  readonly storageClass: S3StorageClass;
  readonly restorer: ColdRestorer | undefined;
  readonly restoreTier: RestoreTier | undefined;
  private readonly store: S3FileStore;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly verify: 'read-back' | 'checksum';
  private readonly withChecksums: boolean;
  private readonly partSize: number;

  constructor(options: S3BackupTargetOptions) {
    this.name = options.name;
    this.store = new S3FileStore(options);
    this.bucket = options.bucket;
    this.prefix = normalizePrefix(options.prefix);
    this.storageClass = options.storageClass;
    const cold = COLD_CLASSES.includes(options.storageClass);
    this.verify = options.verify ?? (cold ? 'checksum' : 'read-back');
    this.withChecksums = (options.checksums ?? 'WHEN_SUPPORTED') === 'WHEN_SUPPORTED';
    this.partSize = Math.max(options.partSizeBytes ?? MIN_PART_BYTES, MIN_PART_BYTES);
    this.restorer = cold ? (options.restorer ?? new S3ColdRestorer(this.store.client, this.bucket, this.prefix, options.restoreDays ?? 3)) : undefined;
    this.restoreTier = cold ? (options.restoreTier ?? 'Standard') : undefined;
    this.description = `${this.store.description} (${this.storageClass})`;
  }

  async put(key: string, body: Readable, expected: CopyExpectation): Promise<string> {
    assertValidKey(key);
    const params: PutObjectCommandInput = { Bucket: this.bucket, Key: this.prefix + key, Body: body, StorageClass: this.storageClass, Metadata: { sha256: expected.sha256.toLowerCase() } };
    if (this.withChecksums) params.ChecksumAlgorithm = 'SHA256';
    const partSize = Math.max(this.partSize, Math.ceil(expected.size / MAX_PARTS));
    try {
      await new Upload({ client: this.store.client, params, partSize, queueSize: 4 }).done();
    } catch (error) {
      throw toStoreError(error, { operation: 'backup put', key, store: this.description });
    }
    return key;
  }

  async check(location: string, expected: CopyExpectation, options: { reread?: boolean } = {}): Promise<CopyCheck> {
    const head = await this.head(location);
    if (!head) return { state: 'missing' };
    if (head.size !== expected.size) return { state: 'size-mismatch', size: head.size };
    if (this.verify === 'read-back' && options.reread !== false) return compareDigest(await digestStream(await this.read(location)), expected);
    if (head.sha256 && head.sha256 !== expected.sha256.toLowerCase()) return { state: 'checksum-mismatch', size: head.size, sha256: head.sha256 };
    return { state: 'ok', size: head.size, sha256: head.sha256, reread: false };
  }

  async read(location: string): Promise<Readable> {
    try {
      return await this.store.read(location);
    } catch (error) {
      const cause = (error as { cause?: { name?: string } }).cause;
      if (cause?.name === 'InvalidObjectState' || httpStatusOf(cause) === 403) throw new ColdCopyNotReadyError(this.name, location, 'not-requested', { cause: error });
      throw error;
    }
  }

  async *list(): AsyncIterable<TargetEntry> {
    for await (const entry of this.store.list()) {
      if (isFileCopyKey(entry.key)) yield { location: entry.key, size: entry.size };
    }
  }

  async putManifest(name: string, text: string): Promise<string> {
    const key = `${MANIFEST_FOLDER}/${name}`;
    try {
      // Manifests stay in STANDARD: they are small and read to find what a run did.
      await this.store.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.prefix + key, Body: text, ContentType: 'application/x-ndjson' }));
    } catch (error) {
      throw toStoreError(error, { operation: 'put manifest', key, store: this.description });
    }
    return key;
  }

  close(): Promise<void> {
    return this.store.close();
  }

  private async head(location: string): Promise<{ size: number; sha256: string | undefined } | undefined> {
    try {
      const response = await this.store.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.prefix + location }));
      return { size: response.ContentLength ?? 0, sha256: response.Metadata?.sha256 };
    } catch (error) {
      if (httpStatusOf(error) === 404) return undefined;
      throw toStoreError(error, { operation: 'check', key: location, store: this.description });
    }
  }
}

/** Same rule as the S3 file store: `a/b`, `/a/b/` and `a/b/` all mean `a/b/`. */
function normalizePrefix(prefix = ''): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}
