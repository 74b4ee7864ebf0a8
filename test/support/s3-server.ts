/**
 * A real S3-protocol server for tests: s3rver 3.7.1 in a child process, on a free port, with its
 * data in a temporary folder, and one bucket created.
 *
 * s3rver runs in a child because its ListObjectsV2 continuation tokens use DES, which Node 20
 * only allows with `--openssl-legacy-provider`, a flag that must be given when node starts.
 * Clients must use path-style addressing and `WHEN_REQUIRED` checksums (`clientConfig` does):
 * s3rver keeps the aws-chunked framing of streamed bodies sent with the SDK's default.
 *
 * @example
 * const s3 = await startS3Server();
 * const client = new S3Client(s3.clientConfig);
 * // ... then, in afterAll:
 * await s3.stop();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

/** A running s3rver and how to reach it. */
export interface S3TestServer {
  /** e.g. `http://127.0.0.1:40123` */
  endpoint: string;
  /** The bucket created at start. */
  bucket: string;
  /** Ready for `new S3Client(...)`: endpoint, region, credentials, path style, WHEN_REQUIRED checksums. */
  clientConfig: S3ClientConfig & { region: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  /** Stops the server and removes its data. */
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

/** Starts s3rver and creates `bucket` (default `sdc-test`). */
export async function startS3Server(options: { bucket?: string } = {}): Promise<S3TestServer> {
  const bucket = options.bucket ?? 'sdc-test';
  const directory = await mkdtemp(path.join(os.tmpdir(), 'sdc-s3rver-'));
  const bin = createRequire(import.meta.url).resolve('s3rver/bin/s3rver.js');
  const child = spawn(process.execPath, [bin, '--directory', directory, '--address', '127.0.0.1', '--port', '0', '--silent'], {
    env: { ...process.env, NODE_OPTIONS: '--openssl-legacy-provider' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async (): Promise<void> => {
    process.off('exit', killOnExit);
    await stopChild(child);
    await rm(directory, { recursive: true, force: true });
  };
  try {
    const endpoint = await waitForListening(child);
    const clientConfig = {
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      requestChecksumCalculation: 'WHEN_REQUIRED' as const,
      responseChecksumValidation: 'WHEN_REQUIRED' as const,
    };
    const client = new S3Client(clientConfig);
    try {
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
    } finally {
      client.destroy();
    }
    return { endpoint, bucket, clientConfig, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Resolves with the endpoint once s3rver prints the address it listens on. */
function waitForListening(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => fail(new Error(`s3rver did not start within ${STARTUP_TIMEOUT_MS} ms`)), STARTUP_TIMEOUT_MS);
    const fail = (error: Error): void => {
      clearTimeout(timer);
      reject(new Error(`${error.message}; stderr: ${stderr.trim() || '(empty)'}`, { cause: error }));
    };
    child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4096)));
    const onStdout = (chunk: Buffer): void => {
      stdout += chunk.toString();
      const match = /listening on ([\d.]+):(\d+)/.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off('data', onStdout).resume();
      resolve(`http://${match[1]}:${match[2]}`);
    };
    child.stdout!.on('data', onStdout);
    child.once('error', fail);
    child.once('exit', (code, signal) => fail(new Error(`s3rver exited before listening (code ${code}, signal ${signal})`)));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
