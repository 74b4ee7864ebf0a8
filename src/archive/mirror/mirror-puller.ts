import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SdcError } from '../../errors/sdc-error.js';
import { assertValidKey } from '../../store/store-key.js';
import { CopyVerificationError } from '../archive-errors.js';
import type { FeedEntry } from './mirror-feed.js';

export interface MirrorPullOptions {
  /** Base URL of the SDC, e.g. `https://sdc.example.org`. */
  url: string;
  /** The mirror's own tree; its state is kept in `<root>/.sdc-mirror/`. */
  root: string;
  /** The name the mirror acknowledges its cursor under. */
  name: string;
  /** The `Authorization` header the SDC's mirror feed asks for (e.g. `Bearer <operator API token>`). */
  authorization?: string;
  /** Stops after this many changes applied (the next pull resumes). */
  maxChanges?: number;
  onChange?: (entry: FeedEntry, action: 'fetched' | 'kept' | 'removed' | 'noted') => void;
}

/** The SDC answered something other than what the feed promises. */
export class MirrorFeedError extends SdcError {
  constructor(message: string, details: Record<string, unknown>, options?: { cause?: unknown }) {
    super('unavailable', message, details, options);
  }
}

const STATE_FOLDER = '.sdc-mirror';
const PAGE = 500;

/**
 * Pulls an SDC's change feed into a local tree, resumably: each added file is downloaded into a
 * temporary file while hashed, checked against the feed's size and sha256 and only then renamed
 * onto its key; a withdrawn file is removed; superseded files stay (the newer version arrives as
 * its own `added`). The cursor is saved after every change and acknowledged to the SDC after
 * every page, so an interrupted pull resumes where it stopped.
 * @returns the changes applied and the cursor reached
 */
export async function pullMirror(options: MirrorPullOptions): Promise<{ applied: number; cursor: number }> {
  const state = path.join(options.root, STATE_FOLDER);
  // Downloads an interrupted pull left are discarded: they are fetched again, whole.
  await rm(path.join(state, 'tmp'), { recursive: true, force: true });
  await mkdir(path.join(state, 'tmp'), { recursive: true });
  let cursor = await readCursor(state);
  let applied = 0;
  for (;;) {
    const page = await getJson<{ changes: FeedEntry[] }>(new URL(`/api/v1/mirror/changes?after=${cursor}&limit=${PAGE}`, options.url), options);
    if (page.changes.length === 0) break;
    for (const entry of page.changes) {
      if (options.maxChanges !== undefined && applied >= options.maxChanges) return { applied, cursor: await ack(options, cursor) };
      // Not inlined into the optional call, which would skip apply() when there is no callback.
      const action = await apply(options, state, entry);
      options.onChange?.(entry, action);
      cursor = entry.cursor;
      await writeCursor(state, cursor);
      applied++;
    }
    await ack(options, cursor);
  }
  return { applied, cursor: await ack(options, cursor) };
}

async function apply(options: MirrorPullOptions, state: string, entry: FeedEntry): Promise<'fetched' | 'kept' | 'removed' | 'noted'> {
  assertValidKey(entry.key);
  const destination = path.join(options.root, entry.key);
  if (entry.change === 'withdrawn') {
    await rm(destination, { force: true });
    return 'removed';
  }
  if (entry.change === 'superseded') return 'noted';
  if (await hasIntactCopy(destination, entry)) return 'kept';
  const temp = path.join(state, 'tmp', randomUUID());
  try {
    const response = await fetch(new URL(`/api/v1/mirror/files/${encodeURIComponent(entry.name)}`, options.url), { headers: authHeaders(options) });
    if (!response.ok || !response.body) throw new MirrorFeedError(`download of ${entry.name} failed: HTTP ${response.status}`, { fileName: entry.name, status: response.status });
    const hash = createHash('sha256');
    let size = 0;
    const counting = new Transform({ transform: (chunk: Buffer, _e, done) => ((size += chunk.length), hash.update(chunk), done(null, chunk)) });
    await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), counting, createWriteStream(temp, { flags: 'wx' }));
    const sha256 = hash.digest('hex');
    if (size !== entry.size || sha256 !== entry.sha256) throw new CopyVerificationError(options.url, entry.key, entry, { size, sha256 });
    await mkdir(path.dirname(destination), { recursive: true });
    await rename(temp, destination);
    return 'fetched';
  } finally {
    await rm(temp, { force: true });
  }
}

async function hasIntactCopy(file: string, entry: FeedEntry): Promise<boolean> {
  try {
    const bytes = await readFile(file);
    return bytes.length === entry.size && createHash('sha256').update(bytes).digest('hex') === entry.sha256;
  } catch {
    return false;
  }
}

async function ack(options: MirrorPullOptions, cursor: number): Promise<number> {
  const response = await fetch(new URL(`/api/v1/mirror/mirrors/${encodeURIComponent(options.name)}/ack?cursor=${cursor}`, options.url), { method: 'POST', headers: authHeaders(options) });
  if (!response.ok) throw new MirrorFeedError(`acknowledging cursor ${cursor} failed: HTTP ${response.status}`, { cursor, status: response.status });
  return cursor;
}

function authHeaders(options: MirrorPullOptions): Record<string, string> {
  return options.authorization ? { authorization: options.authorization } : {};
}

async function getJson<T>(url: URL, options: MirrorPullOptions): Promise<T> {
  const response = await fetch(url, { headers: authHeaders(options) });
  if (!response.ok) throw new MirrorFeedError(`GET ${url.pathname} failed: HTTP ${response.status}`, { url: url.toString(), status: response.status });
  return (await response.json()) as T;
}

async function readCursor(state: string): Promise<number> {
  const text = await readFile(path.join(state, 'cursor.json'), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (text === undefined) return 0;
  const cursor = (JSON.parse(text) as { cursor?: unknown }).cursor;
  if (!Number.isSafeInteger(cursor)) throw new MirrorFeedError(`${path.join(state, 'cursor.json')} holds no cursor; remove it to start over`, { state });
  return cursor as number;
}

/** Written to a temporary name and renamed, so a crash never leaves a torn cursor. */
async function writeCursor(state: string, cursor: number): Promise<void> {
  const temp = path.join(state, 'cursor.json.tmp');
  await writeFile(temp, JSON.stringify({ cursor }));
  await rename(temp, path.join(state, 'cursor.json'));
}
