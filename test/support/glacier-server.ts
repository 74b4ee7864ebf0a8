/**
 * A small Glacier-protocol HTTP server for tests. No real Glacier server can run here: AWS
 * offers none, no npm package emulates the vault API, and moto / LocalStack need PyPI or Docker
 * (see the archive reference). So this implements, in memory, the subset of the REST API that
 * @aws-sdk/client-glacier calls for a backup target, with the checks Glacier makes:
 *
 * - `POST /{account}/vaults/{vault}/archives` (UploadArchive): `x-amz-content-sha256` and
 *   `x-amz-sha256-tree-hash` must match the body;
 * - `POST .../multipart-uploads` (initiate: the part size must be 1 MiB × 2ⁿ up to 4 GiB),
 *   `PUT .../multipart-uploads/{id}` (a part: `Content-Range: bytes a-b/*` aligned on the part
 *   size, no longer than it, with its tree hash), `POST .../multipart-uploads/{id}` (complete:
 *   parts contiguous, all but the last of the part size, total `x-amz-archive-size`, whole tree
 *   hash), `DELETE .../multipart-uploads/{id}` (abort), `GET .../multipart-uploads/{id}` (ListParts:
 *   each part's range and tree hash);
 * - `POST .../jobs` (archive-retrieval, inventory-retrieval), `GET .../jobs` (list),
 *   `GET .../jobs/{id}` (describe), `GET .../jobs/{id}/output` (the bytes with the tree hash
 *   recorded at upload, or the JSON inventory).
 *
 * Jobs stay `InProgress` until the test calls `completeJobs()` (Glacier takes hours). Test hooks
 * change the vault behind the client's back: `corruptArchive`, `deleteArchive`, `addArchive`;
 * `stallPartsAfter` leaves part requests unanswered once an upload holds that many parts (a
 * test kills the uploading process there).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GlacierClient } from '@aws-sdk/client-glacier';
import { leafDigests, treeHash, treeRoot } from '../../src/archive/targets/glacier/tree-hash.js';

const MIB = 1024 * 1024;

interface StoredArchive {
  id: string;
  vault: string;
  description: string;
  bytes: Buffer;
  /** The tree hash computed at upload; kept when a test corrupts the bytes, as Glacier would. */
  treeHash: string;
  createdAt: Date;
}

interface Upload {
  vault: string;
  partSize: number;
  description: string;
  parts: Map<number, Buffer>;
}

interface Job {
  id: string;
  vault: string;
  action: 'ArchiveRetrieval' | 'InventoryRetrieval';
  archiveId?: string;
  tier: string;
  createdAt: Date;
  completedAt?: Date;
  /** Inventory output, fixed when the job completes. */
  inventory?: string;
}

/** A running fake and its test hooks. */
export interface GlacierTestServer {
  endpoint: string;
  /** A client for this server (dummy credentials; the fake checks no signature). */
  client(): GlacierClient;
  /** The target configuration keys that point at this server. */
  targetConfig: { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string };
  archives: Map<string, StoredArchive>;
  jobs: Map<string, Job>;
  /** Multipart uploads in progress, by upload id. */
  uploads: Map<string, Upload>;
  /** When set, a part sent to an upload already holding this many parts is never answered. */
  stallPartsAfter: number | undefined;
  /** Part requests left unanswered by `stallPartsAfter`. */
  readonly stalledParts: number;
  /** Requests received, as `METHOD /path` (operation counts in tests). */
  requests: string[];
  /** Completes every job in progress: archives become downloadable, inventories are taken now. */
  completeJobs(): void;
  corruptArchive(archiveId: string): void;
  deleteArchive(archiveId: string): void;
  /** Puts an archive the client never uploaded; returns its id. */
  addArchive(vault: string, bytes: Buffer, description?: string): string;
  stop(): Promise<void>;
}

class GlacierFault extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export async function startGlacierServer(): Promise<GlacierTestServer> {
  const hooks = { stallPartsAfter: undefined as number | undefined, stalledParts: 0 };
  const archives = new Map<string, StoredArchive>();
  const uploads = new Map<string, Upload>();
  const jobs = new Map<string, Job>();
  const requests: string[] = [];
  const newId = () => randomBytes(48).toString('base64url');

  const store = (vault: string, bytes: Buffer, description: string): StoredArchive => {
    const archive = { id: newId(), vault, description, bytes, treeHash: treeHash(bytes), createdAt: new Date() };
    archives.set(archive.id, archive);
    return archive;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    requests.push(`${method} ${url.pathname}`);
    const body = await readBody(req);
    const match = /^\/[^/]+\/vaults\/([^/]+)\/(archives|multipart-uploads|jobs)(?:\/([^/]+))?(\/output)?$/.exec(url.pathname);
    if (!match) throw new GlacierFault(404, 'ResourceNotFoundException', `no such resource: ${url.pathname}`);
    if (req.headers['x-amz-glacier-version'] !== '2012-06-01') throw new GlacierFault(400, 'MissingParameterValueException', 'x-amz-glacier-version 2012-06-01 is required');
    const [, vault, collection, id, output] = match as unknown as [string, string, string, string | undefined, string | undefined];

    if (collection === 'archives' && method === 'POST' && !id) {
      checkBodyHashes(req, body);
      const archive = store(vault, body, header(req, 'x-amz-archive-description') ?? '');
      res.writeHead(201, { 'x-amz-archive-id': archive.id, 'x-amz-sha256-tree-hash': archive.treeHash, Location: `/-/vaults/${vault}/archives/${archive.id}` }).end();
      return;
    }
    if (collection === 'multipart-uploads') {
      if (method === 'POST' && !id) {
        const partSize = Number(header(req, 'x-amz-part-size'));
        if (!Number.isInteger(partSize) || partSize < MIB || partSize > 4096 * MIB || !Number.isInteger(Math.log2(partSize / MIB))) {
          throw new GlacierFault(400, 'InvalidParameterValueException', `invalid part size: ${header(req, 'x-amz-part-size')}`);
        }
        const uploadId = newId();
        uploads.set(uploadId, { vault, partSize, description: header(req, 'x-amz-archive-description') ?? '', parts: new Map() });
        res.writeHead(201, { 'x-amz-multipart-upload-id': uploadId, Location: `/-/vaults/${vault}/multipart-uploads/${uploadId}` }).end();
        return;
      }
      const upload = id ? uploads.get(id) : undefined;
      if (!upload) throw new GlacierFault(404, 'ResourceNotFoundException', `no multipart upload ${id}`);
      if (method === 'GET') {
        const parts = [...upload.parts.entries()].sort(([a], [b]) => a - b).map(([start, bytes]) => ({ RangeInBytes: `${start}-${start + bytes.length - 1}`, SHA256TreeHash: treeHash(bytes) }));
        json(res, 200, { ArchiveDescription: upload.description, CreationDate: new Date().toISOString(), Marker: null, MultipartUploadId: id, PartSizeInBytes: upload.partSize, Parts: parts, VaultARN: `arn:aws:glacier:us-east-1:000000000000:vaults/${upload.vault}` });
        return;
      }
      if (method === 'PUT') {
        if (hooks.stallPartsAfter !== undefined && upload.parts.size >= hooks.stallPartsAfter) {
          hooks.stalledParts++;
          return;
        }
        checkBodyHashes(req, body);
        const range = /^bytes (\d+)-(\d+)\/\*$/.exec(header(req, 'content-range') ?? '');
        if (!range) throw new GlacierFault(400, 'InvalidParameterValueException', `Content-Range must be 'bytes a-b/*', got ${header(req, 'content-range')}`);
        const start = Number(range[1]);
        const end = Number(range[2]);
        if (start % upload.partSize !== 0 || end - start + 1 !== body.length || body.length > upload.partSize) {
          throw new GlacierFault(400, 'InvalidParameterValueException', `range ${start}-${end} does not fit part size ${upload.partSize} and body of ${body.length} bytes`);
        }
        upload.parts.set(start, body);
        res.writeHead(204, { 'x-amz-sha256-tree-hash': treeHash(body) }).end();
        return;
      }
      if (method === 'DELETE') {
        uploads.delete(id!);
        res.writeHead(204).end();
        return;
      }
      if (method === 'POST') {
        const starts = [...upload.parts.keys()].sort((a, b) => a - b);
        starts.forEach((start, i) => {
          const length = upload.parts.get(start)!.length;
          if (start !== i * upload.partSize || (i < starts.length - 1 && length !== upload.partSize)) throw new GlacierFault(400, 'InvalidParameterValueException', `parts are not contiguous parts of ${upload.partSize} bytes`);
        });
        const bytes = Buffer.concat(starts.map((s) => upload.parts.get(s)!));
        if (String(bytes.length) !== header(req, 'x-amz-archive-size')) throw new GlacierFault(400, 'InvalidParameterValueException', `archive size ${header(req, 'x-amz-archive-size')} but parts hold ${bytes.length} bytes`);
        const whole = treeRoot(starts.flatMap((s) => leafDigests(upload.parts.get(s)!))).toString('hex');
        if (whole !== header(req, 'x-amz-sha256-tree-hash')) throw new GlacierFault(400, 'InvalidParameterValueException', `tree hash ${header(req, 'x-amz-sha256-tree-hash')} does not match the parts (${whole})`);
        uploads.delete(id!);
        const archive = store(upload.vault, bytes, upload.description);
        res.writeHead(201, { 'x-amz-archive-id': archive.id, 'x-amz-sha256-tree-hash': archive.treeHash, Location: `/-/vaults/${vault}/archives/${archive.id}` }).end();
        return;
      }
    }
    if (collection === 'jobs') {
      if (method === 'POST' && !id) {
        const parameters = JSON.parse(body.toString() || '{}') as { Type?: string; ArchiveId?: string; Tier?: string };
        if (parameters.Type !== 'archive-retrieval' && parameters.Type !== 'inventory-retrieval') throw new GlacierFault(400, 'InvalidParameterValueException', `unknown job type ${parameters.Type}`);
        if (parameters.Type === 'archive-retrieval' && !archives.has(parameters.ArchiveId ?? '')) throw new GlacierFault(404, 'ResourceNotFoundException', `no archive ${parameters.ArchiveId}`);
        const job: Job = { id: newId(), vault, action: parameters.Type === 'archive-retrieval' ? 'ArchiveRetrieval' : 'InventoryRetrieval', archiveId: parameters.ArchiveId, tier: parameters.Tier ?? 'Standard', createdAt: new Date() };
        jobs.set(job.id, job);
        res.writeHead(202, { 'x-amz-job-id': job.id, Location: `/-/vaults/${vault}/jobs/${job.id}` }).end();
        return;
      }
      if (method === 'GET' && !id) {
        json(res, 200, { JobList: [...jobs.values()].filter((j) => j.vault === vault).map((j) => describe(j)), Marker: null });
        return;
      }
      const job = id ? jobs.get(id) : undefined;
      if (!job) throw new GlacierFault(404, 'ResourceNotFoundException', `no job ${id}`);
      if (!output) {
        json(res, 200, describe(job));
        return;
      }
      if (!job.completedAt) throw new GlacierFault(400, 'InvalidParameterValueException', `job ${id} is not complete`);
      if (job.inventory !== undefined) {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(job.inventory)) }).end(job.inventory);
        return;
      }
      const archive = archives.get(job.archiveId!);
      if (!archive) throw new GlacierFault(404, 'ResourceNotFoundException', `archive ${job.archiveId} is gone`);
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(archive.bytes.length), 'x-amz-sha256-tree-hash': archive.treeHash }).end(archive.bytes);
      return;
    }
    throw new GlacierFault(400, 'InvalidParameterValueException', `unsupported: ${method} ${url.pathname}`);
  };

  const describe = (job: Job) => {
    const archive = job.archiveId ? archives.get(job.archiveId) : undefined;
    return {
      JobId: job.id,
      Action: job.action,
      ArchiveId: job.archiveId ?? null,
      VaultARN: `arn:aws:glacier:us-east-1:000000000000:vaults/${job.vault}`,
      CreationDate: job.createdAt.toISOString(),
      Completed: job.completedAt !== undefined,
      StatusCode: job.completedAt ? 'Succeeded' : 'InProgress',
      StatusMessage: job.completedAt ? 'Succeeded' : null,
      CompletionDate: job.completedAt?.toISOString() ?? null,
      ArchiveSizeInBytes: archive?.bytes.length ?? null,
      SHA256TreeHash: archive?.treeHash ?? null,
      ArchiveSHA256TreeHash: archive?.treeHash ?? null,
      Tier: job.tier,
    };
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      const fault = error instanceof GlacierFault ? error : new GlacierFault(500, 'ServiceUnavailableException', error.message);
      json(res, fault.status, { code: fault.code, message: fault.message, type: fault.status < 500 ? 'Client' : 'Server' }, { 'x-amzn-ErrorType': fault.code });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const targetConfig = { endpoint, region: 'us-east-1', accessKeyId: 'GLACIER', secretAccessKey: 'GLACIER' };

  return {
    get stallPartsAfter() {
      return hooks.stallPartsAfter;
    },
    set stallPartsAfter(value) {
      hooks.stallPartsAfter = value;
    },
    get stalledParts() {
      return hooks.stalledParts;
    },
    endpoint,
    targetConfig,
    client: () => new GlacierClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'GLACIER', secretAccessKey: 'GLACIER' } }),
    archives,
    jobs,
    uploads,
    requests,
    completeJobs() {
      for (const job of jobs.values()) {
        if (job.completedAt) continue;
        job.completedAt = new Date();
        if (job.action === 'InventoryRetrieval') {
          const list = [...archives.values()].filter((a) => a.vault === job.vault);
          job.inventory = JSON.stringify({
            VaultARN: `arn:aws:glacier:us-east-1:000000000000:vaults/${job.vault}`,
            InventoryDate: job.completedAt.toISOString(),
            ArchiveList: list.map((a) => ({ ArchiveId: a.id, ArchiveDescription: a.description, CreationDate: a.createdAt.toISOString(), Size: a.bytes.length, SHA256TreeHash: treeHash(a.bytes) })),
          });
        }
      }
    },
    corruptArchive(archiveId) {
      const archive = archives.get(archiveId);
      if (!archive) throw new Error(`no archive ${archiveId}`);
      archive.bytes = Buffer.from(archive.bytes);
      archive.bytes[Math.floor(archive.bytes.length / 2)]! ^= 0xff;
    },
    deleteArchive(archiveId) {
      archives.delete(archiveId);
    },
    addArchive(vault, bytes, description = '') {
      return store(vault, bytes, description).id;
    },
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Glacier refuses a body whose declared sha256 or tree hash differs from its bytes. */
function checkBodyHashes(req: IncomingMessage, body: Buffer): void {
  const content = createHash('sha256').update(body).digest('hex');
  if (header(req, 'x-amz-content-sha256') !== content) throw new GlacierFault(400, 'InvalidParameterValueException', `x-amz-content-sha256 ${header(req, 'x-amz-content-sha256')} does not match the body (${content})`);
  const tree = treeHash(body);
  if (header(req, 'x-amz-sha256-tree-hash') !== tree) throw new GlacierFault(400, 'InvalidParameterValueException', `x-amz-sha256-tree-hash ${header(req, 'x-amz-sha256-tree-hash')} does not match the body (${tree})`);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function json(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)), ...headers }).end(text);
}
