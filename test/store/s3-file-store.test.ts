import { randomBytes, randomUUID } from 'node:crypto';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3FileStore, type S3FileStoreOptions } from '../../src/store/s3-file-store.js';
import { StoreChecksumMismatchError, StoreUnavailableError } from '../../src/store/store-errors.js';
import { startS3Server, type S3TestServer } from '../support/s3-server.js';
import { fileStoreContract, listAll, readAll, sha256Of, sourceFiles } from './file-store-contract.js';

const MiB = 1024 * 1024;
let server: S3TestServer;

beforeAll(async () => {
  server = await startS3Server();
});
afterAll(async () => {
  await server?.stop();
});

/** Options for a store on the test server under a fresh prefix, so tests do not see each other. */
function storeOptions(overrides: Partial<S3FileStoreOptions> = {}): S3FileStoreOptions {
  const { endpoint, region, credentials } = server.clientConfig;
  return {
    bucket: server.bucket,
    prefix: `test-${randomUUID()}/`,
    region,
    endpoint: endpoint as string,
    forcePathStyle: true,
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    checksums: 'WHEN_REQUIRED',
    partSizeBytes: 5 * MiB,
    ...overrides,
  };
}

/** Records the name of every command the store's client sends (real requests, observed). */
function recordCommands(store: S3FileStore): string[] {
  const sent: string[] = [];
  store.client.middlewareStack.add((next, context) => (args) => {
    sent.push(context.commandName ?? '?');
    return next(args);
  }, { step: 'initialize' });
  return sent;
}

fileStoreContract('S3FileStore on s3rver', async () => ({ store: new S3FileStore(storeOptions()) }));

describe('S3FileStore on s3rver', () => {
  const sources = sourceFiles();

  it('records the sha256 as x-amz-meta-sha256 under bucket/prefix/key', async () => {
    const options = storeOptions();
    const store = new S3FileStore(options);
    const source = await sources.write(randomBytes(1000));
    await store.putFile('mms1/x.cdf', source.path, { size: source.size, sha256: source.sha256.toUpperCase() });
    const client = new S3Client(server.clientConfig);
    const head = await client.send(new HeadObjectCommand({ Bucket: server.bucket, Key: `${options.prefix}mms1/x.cdf` }));
    expect(head.Metadata).toEqual({ sha256: source.sha256 });
    expect(head.ContentLength).toBe(1000);
    client.destroy();
    await store.close();
  });

  it('uploads a 12 MB file in 5 MB parts and a small one in a single PUT', async () => {
    const store = new S3FileStore(storeOptions());
    const sent = recordCommands(store);
    const big = await sources.write(randomBytes(12 * MiB));
    await store.putFile('big.bin', big.path, big);
    expect(sent).toEqual(['CreateMultipartUploadCommand', 'UploadPartCommand', 'UploadPartCommand', 'UploadPartCommand', 'CompleteMultipartUploadCommand']);
    sent.length = 0;
    const small = await sources.write(randomBytes(100));
    await store.putFile('small.bin', small.path, small);
    expect(sent).toEqual(['PutObjectCommand']);
    await store.close();
  });

  it('never completes a multipart upload whose bytes mismatch, and aborts it', async () => {
    const store = new S3FileStore(storeOptions());
    const sent = recordCommands(store);
    const big = await sources.write(randomBytes(11 * MiB));
    const error = await store.putFile('big-bad.bin', big.path, { size: big.size, sha256: sha256Of(Buffer.from('not it')) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreChecksumMismatchError);
    expect(sent).not.toContain('CompleteMultipartUploadCommand');
    // s3rver answers AbortMultipartUpload with 405; the typed mismatch error still wins.
    expect(sent).toContain('AbortMultipartUploadCommand');
    expect(await store.stat('big-bad.bin')).toBeUndefined();
    await store.close();
  });

  it('stores correct bytes with the AWS settings too (WHEN_SUPPORTED, SHA-256 part checksums)', async () => {
    const store = new S3FileStore(storeOptions({ checksums: 'WHEN_SUPPORTED' }));
    const small = await sources.write(randomBytes(3 * MiB + 12_345));
    const big = await sources.write(randomBytes(11 * MiB));
    await store.putFile('aws/small.bin', small.path, small);
    await store.putFile('aws/big.bin', big.path, big);
    expect(sha256Of(await readAll(await store.read('aws/small.bin')))).toBe(small.sha256);
    expect(sha256Of(await readAll(await store.read('aws/big.bin')))).toBe(big.sha256);
    await store.close();
  });

  it('keeps stores with different prefixes apart and lists keys without the prefix', async () => {
    const one = new S3FileStore(storeOptions({ prefix: `iso-${randomUUID()}` }));
    const two = new S3FileStore(storeOptions({ prefix: `/iso-${randomUUID()}/` }));
    const source = await sources.write(Buffer.from('data'));
    await one.putFile('same/key.cdf', source.path, source);
    expect(await listAll(one)).toEqual([{ key: 'same/key.cdf', size: 4 }]);
    expect(await listAll(two)).toEqual([]);
    expect(await two.stat('same/key.cdf')).toBeUndefined();
    await Promise.all([one.close(), two.close()]);
  });

  it('lists past one page of ListObjectsV2 (1,000 keys) by following continuation tokens', async () => {
    const store = new S3FileStore(storeOptions());
    const source = await sources.write(Buffer.from('p'));
    const keys = Array.from({ length: 1003 }, (_, i) => `page/${String(i).padStart(4, '0')}.dat`);
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(keys.slice(i, i + 50).map((key) => store.putFile(key, source.path, source)));
    }
    const listed = await listAll(store, 'page/');
    expect(listed.map((item) => item.key)).toEqual(keys);
    await store.close();
  });

  it('fails ping and puts with StoreUnavailableError naming the bucket when the server is unreachable', async () => {
    const store = new S3FileStore(storeOptions({ endpoint: 'http://127.0.0.1:9' }));
    const error = await store.ping().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as StoreUnavailableError).message).toContain(`s3://${server.bucket}/`);
    expect((error as StoreUnavailableError).cause).toBeDefined();
    const source = await sources.write(Buffer.from('x'));
    const putError = await store.putFile('k.cdf', source.path, source).catch((e: unknown) => e);
    expect(putError).toBeInstanceOf(StoreUnavailableError);
    expect((putError as StoreUnavailableError).details).toMatchObject({ operation: 'putFile', key: 'k.cdf' });
    await store.close();
  });

  it('fails ping with StoreUnavailableError when the bucket does not exist', async () => {
    const store = new S3FileStore(storeOptions({ bucket: 'no-such-bucket' }));
    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    await store.close();
  });
});
