import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  paginateListObjectsV2,
  S3Client,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { ContentVerifier } from './content-verifier.js';
import type { FileStore } from './file-store.js';
import { httpStatusOf, toStoreError } from './s3-error-mapping.js';
import { StoreRangeError, StoreSourceError } from './store-errors.js';
import { assertValidKey, assertValidPrefix, isWellFormedRange } from './store-key.js';
import { VerifyingStream } from './verifying-stream.js';

/**
 * How the SDK computes and checks checksums. `WHEN_SUPPORTED` (the SDK default) is right for AWS;
 * local emulators such as s3rver need `WHEN_REQUIRED`, or they store streamed bodies with their
 * aws-chunked framing (silent corruption).
 */
export type S3ChecksumMode = 'WHEN_SUPPORTED' | 'WHEN_REQUIRED';

/** Where and how an S3 store keeps its objects. */
export interface S3FileStoreOptions {
  bucket: string;
  /** Put before every key, e.g. `sdc/` (a missing trailing `/` is added); default none. */
  prefix?: string;
  region: string;
  /** An S3-protocol server other than AWS, e.g. `http://127.0.0.1:4568` (MinIO, Ceph, s3rver). */
  endpoint?: string;
  /** `http://host/bucket/key` addressing, which most non-AWS servers need. */
  forcePathStyle?: boolean;
  /** Both or neither; without them the SDK's default chain (environment, profile, IAM role) applies. */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Default `WHEN_SUPPORTED`, with a SHA-256 checksum on every uploaded part. */
  checksums?: S3ChecksumMode;
  /** Part size of multipart uploads (default and minimum 5 MiB); files up to one part use one PUT. */
  partSizeBytes?: number;
  /** Parts of one file uploaded at once (default 4); memory per put is about partSize × queueSize. */
  queueSize?: number;
}

const MIN_PART_BYTES = 5 * 1024 * 1024;
/** S3's limit on the parts of one upload; large files get larger parts. */
const MAX_PARTS = 10_000;

/**
 * The file store on S3 or an S3-protocol server. A put streams the file through a hash and
 * size check into `Upload` (one PUT, or multipart beyond one part); a mismatch errors the stream
 * before the last part, so the object is never completed. The sha256 is stored as
 * `x-amz-meta-sha256`. S3 makes every completed PUT atomic and durable.
 *
 * @example
 * const store = new S3FileStore({ bucket: 'sdc', prefix: 'store/', region: 'us-east-1' });
 */
export class S3FileStore implements FileStore {
  readonly description: string;
  /** The SDK client, exposed so callers can add middleware (metrics, tests observing requests). */
  readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly checksums: S3ChecksumMode;
  private readonly partSizeBytes: number;
  private readonly queueSize: number;

  constructor(options: S3FileStoreOptions) {
    this.bucket = options.bucket;
    this.prefix = normalizePrefix(options.prefix);
    this.checksums = options.checksums ?? 'WHEN_SUPPORTED';
    this.partSizeBytes = Math.max(options.partSizeBytes ?? MIN_PART_BYTES, MIN_PART_BYTES);
    this.queueSize = Math.max(options.queueSize ?? 4, 1);
    this.description = `s3://${this.bucket}/${this.prefix}${options.endpoint ? ` at ${options.endpoint}` : ''}`;
    const credentials = options.accessKeyId && options.secretAccessKey ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } : undefined;
    this.client = new S3Client({
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle ?? false,
      credentials,
      requestChecksumCalculation: this.checksums,
      responseChecksumValidation: this.checksums,
    });
  }

  async putFile(key: string, sourcePath: string, info: { size: number; sha256: string }): Promise<void> {
    assertValidKey(key);
    const body = new VerifyingStream(new ContentVerifier(key, this.description, info));
    const source = createReadStream(sourcePath);
    source.on('error', (error) => body.fail(new StoreSourceError(key, sourcePath, { cause: error })));
    source.pipe(body);
    const params: PutObjectCommandInput = { Bucket: this.bucket, Key: this.prefix + key, Body: body, Metadata: { sha256: info.sha256.toLowerCase() } };
    if (this.checksums === 'WHEN_SUPPORTED') params.ChecksumAlgorithm = 'SHA256';
    const partSize = Math.max(this.partSizeBytes, Math.ceil(info.size / MAX_PARTS));
    try {
      await new Upload({ client: this.client, params, partSize, queueSize: this.queueSize }).done();
    } catch (error) {
      throw body.failure ?? toStoreError(error, { operation: 'putFile', key, store: this.description });
    } finally {
      source.destroy();
      body.destroy();
    }
  }

  async read(key: string, range?: { start: number; end: number }): Promise<Readable> {
    assertValidKey(key);
    if (range && !isWellFormedRange(range)) throw new StoreRangeError(key, this.description, range, 'start and end must be integers with 0 <= start <= end');
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key, Range: range ? `bytes=${range.start}-${range.end}` : undefined }));
      if (response.Body instanceof Readable) return response.Body;
      throw new TypeError(`GetObject returned a body that is not a Node stream (${typeof response.Body})`);
    } catch (error) {
      if (range && httpStatusOf(error) === 416) throw new StoreRangeError(key, this.description, range, 'the range starts past the end of the object', { cause: error });
      throw toStoreError(error, { operation: 'read', key, store: this.description });
    }
  }

  /** A missing key, and a missing bucket (HEAD has no body to tell them apart), give undefined. */
  async stat(key: string): Promise<{ size: number } | undefined> {
    assertValidKey(key);
    try {
      const response = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
      return { size: response.ContentLength ?? 0 };
    } catch (error) {
      if (httpStatusOf(error) === 404) return undefined;
      throw toStoreError(error, { operation: 'stat', key, store: this.description });
    }
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
    } catch (error) {
      throw toStoreError(error, { operation: 'delete', key, store: this.description });
    }
  }

  async *list(prefix = ''): AsyncIterable<{ key: string; size: number }> {
    assertValidPrefix(prefix);
    try {
      for await (const page of paginateListObjectsV2({ client: this.client }, { Bucket: this.bucket, Prefix: this.prefix + prefix })) {
        for (const item of page.Contents ?? []) {
          if (item.Key !== undefined) yield { key: item.Key.slice(this.prefix.length), size: item.Size ?? 0 };
        }
      }
    } catch (error) {
      throw toStoreError(error, { operation: 'list', store: this.description });
    }
  }

  async ping(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      throw toStoreError(error, { operation: 'ping', store: this.description });
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}

/** `a/b`, `/a/b/` and `a/b/` all mean the folder `a/b/`; the folder itself must be a valid key. */
function normalizePrefix(prefix = ''): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return '';
  assertValidKey(trimmed);
  return `${trimmed}/`;
}
