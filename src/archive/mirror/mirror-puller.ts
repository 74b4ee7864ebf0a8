import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SdcError } from '../../errors/sdc-error.js';
import { assertValidKey } from '../../store/store-key.js';
import { CopyVerificationError } from '../archive-errors.js';
import type { MirrorFeed } from '../archive-tables.js';
import type { FeedEntry } from './mirror-feed.js';

/**
 * What a pull did with a change: `skipped` is an added file the SDC no longer serves (withdrawn
 * since; the feed's later `withdrawn` change says so).
 */
export type MirrorAction = 'fetched' | 'kept' | 'removed' | 'noted' | 'skipped';

export interface MirrorPullOptions {
  /** Base URL of the SDC, e.g. `https://sdc.example.org`. */
  url: string;
  /** The mirror's own tree; its state is kept in `<root>/.sdc-mirror/`. */
  root: string;
  /** The name the mirror acknowledges its cursor under (only with `authorization`). */
  name: string;
  /** `public` (released files, anonymous) or `team` (every production file: a mirror's or operator's token). */
  feed: MirrorFeed;
  /**
   * The `Authorization` header (e.g. `Bearer <mirror API token>`): needed by the team feed; with
   * it the SDC also records how far this mirror is. Without it nothing is acknowledged.
   */
  authorization?: string;
  /** Stops after this many changes applied (the next pull resumes). */
  maxChanges?: number;
  onChange?: (entry: FeedEntry, action: MirrorAction) => void;
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
 * every page (with credentials), so an interrupted pull resumes where it stopped. A tree follows
 * one feed: the two feeds' cursors do not compare.
 * @returns the changes applied and the cursor reached
 */
export async function pullMirror(options: MirrorPullOptions): Promise<{ applied: number; cursor: number }> {
  const state = path.join(options.root, STATE_FOLDER);
  // Downloads an interrupted pull left are discarded: they are fetched again, whole.
  await rm(path.join(state, 'tmp'), { recursive: true, force: true });
  await mkdir(path.join(state, 'tmp'), { recursive: true });
  let cursor = await readCursor(state, options.feed);
  let applied = 0;
  for (;;) {
    const page = await getJson<{ changes: FeedEntry[] }>(new URL(`${feedPath(options.feed)}/changes?after=${cursor}&limit=${PAGE}`, options.url), options);
    if (page.changes.length === 0) break;
    for (const entry of page.changes) {
      if (options.maxChanges !== undefined && applied >= options.maxChanges) return { applied, cursor: await ack(options, cursor) };
      // Not inlined into the optional call, which would skip apply() when there is no callback.
      const action = await apply(options, state, entry);
      options.onChange?.(entry, action);
      cursor = entry.cursor;
      await writeCursor(state, options.feed, cursor);
      applied++;
    }
    await ack(options, cursor);
  }
  return { applied, cursor: await ack(options, cursor) };
}

async function apply(options: MirrorPullOptions, state: string, entry: FeedEntry): Promise<MirrorAction> {
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
    const response = await fetch(new URL(`${feedPath(options.feed)}/files/${encodeURIComponent(entry.name)}`, options.url), { headers: authHeaders(options) });
    if (response.status === 404) return 'skipped';
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

/** Where a feed's manifest, changes and files are. */
function feedPath(feed: MirrorFeed): string {
  return feed === 'public' ? '/api/v1/mirror/public' : '/api/v1/mirror';
}

/** Tells the SDC how far this mirror is; an anonymous mirror is not registered, so it keeps its cursor to itself. */
async function ack(options: MirrorPullOptions, cursor: number): Promise<number> {
  if (!options.authorization) return cursor;
  const response = await fetch(new URL(`/api/v1/mirror/mirrors/${encodeURIComponent(options.name)}/ack?cursor=${cursor}&feed=${options.feed}`, options.url), { method: 'POST', headers: authHeaders(options) });
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

/** The tree's cursor in `feed`; a tree that followed the other feed is refused (its cursor means nothing here). */
async function readCursor(state: string, feed: MirrorFeed): Promise<number> {
  const file = path.join(state, 'cursor.json');
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (text === undefined) return 0;
  // Trees written before there were two feeds followed the team feed.
  const saved = JSON.parse(text) as { cursor?: unknown; feed?: unknown };
  if (!Number.isSafeInteger(saved.cursor)) throw new MirrorFeedError(`${file} holds no cursor; remove it to start over`, { state });
  const savedFeed = saved.feed ?? 'team';
  if (savedFeed !== feed) throw new MirrorFeedError(`this tree follows the ${String(savedFeed)} feed, not the ${feed} feed; pull into another folder (or remove ${file} to start over)`, { state, feed: savedFeed });
  return saved.cursor as number;
}

/** Written to a temporary name and renamed, so a crash never leaves a torn cursor. */
async function writeCursor(state: string, feed: MirrorFeed, cursor: number): Promise<void> {
  const temp = path.join(state, 'cursor.json.tmp');
  await writeFile(temp, JSON.stringify({ cursor, feed }));
  await rename(temp, path.join(state, 'cursor.json'));
}
