import type { Readable } from 'node:stream';

/** What a copy must be: the catalog's size and sha256. */
export interface CopyExpectation {
  size: number;
  sha256: string;
}

/** The state of one copy in a target, as a check found it. */
export type CopyCheck =
  | { state: 'ok'; size: number; sha256: string | undefined; reread: boolean }
  | { state: 'missing' }
  | { state: 'size-mismatch'; size: number }
  | { state: 'checksum-mismatch'; size: number; sha256: string };

/** A copy present in a target, as its listing shows it. */
export interface TargetEntry {
  location: string;
  size: number;
}

/**
 * Where backups go: a local folder, S3 with a storage class, a Glacier vault. A target keeps
 * immutable copies addressed by a location (the store key, or an archive id) plus one manifest
 * per backup run.
 */
export interface BackupTarget {
  /** The configured name, recorded with every copy. */
  readonly name: string;
  /** e.g. `folder:/srv/backup` or `s3://bucket/prefix (DEEP_ARCHIVE)`. */
  readonly description: string;
  /** The storage class copies get, when the target has classes. */
  readonly storageClass: string | undefined;
  /** Present when copies must be restored before they can be read (cold classes). */
  readonly restorer: ColdRestorer | undefined;
  /** The configured restore tier of cold copies (`restoreTier`), used when a restore names none. */
  readonly restoreTier: RestoreTier | undefined;
  /**
   * Copies `body` (which the caller verifies as it flows: it errors on a size or sha256
   * mismatch) under `key`; resolves with the copy's location once it is durable.
   */
  put(key: string, body: Readable, expected: CopyExpectation): Promise<string>;
  /** Checks a copy against what it must be: re-read and re-hashed where the target allows it. */
  check(location: string, expected: CopyExpectation, options?: { reread?: boolean }): Promise<CopyCheck>;
  /** Streams a copy; a cold copy not yet restored rejects with ColdCopyNotReadyError. */
  read(location: string): Promise<Readable>;
  /** Every copy in the target (not the manifests); order unspecified. */
  list(): AsyncIterable<TargetEntry>;
  /**
   * Only for targets whose listing is a periodic inventory (Glacier vaults): brings it up to
   * date, or says why there is none yet. Copies made after `asOf` are not expected in `list()`.
   */
  inventory?(): Promise<{ state: 'ready'; asOf: Date } | { state: 'pending'; note: string }>;
  /** Stores a run's manifest (JSON lines); resolves with its location. */
  putManifest(name: string, text: string): Promise<string>;
  close(): Promise<void>;
}

/** How fast (and dear) a cold restore is: S3 RestoreObject's and Glacier retrieval jobs' Tier. */
export type RestoreTier = 'Expedited' | 'Standard' | 'Bulk';

export const RESTORE_TIERS: readonly RestoreTier[] = ['Expedited', 'Standard', 'Bulk'];

/** The tier of a restore from `target`: the one asked for, else the target's configured one, else Standard. */
export function restoreTierOf(target: BackupTarget, asked: RestoreTier | undefined): RestoreTier {
  return asked ?? target.restoreTier ?? 'Standard';
}

/** Where a restore of one cold copy stands. */
export type RestoreStatus = 'not-requested' | 'in-progress' | 'ready';

/**
 * Restores of cold copies (S3 GLACIER / DEEP_ARCHIVE `RestoreObject`, or a vault retrieval job).
 * No S3 emulator implements RestoreObject, so tests use a documented fake of this interface.
 */
export interface ColdRestorer {
  /** Asks for a temporary readable copy; asking again while one is in progress is harmless. */
  request(location: string, tier: RestoreTier): Promise<void>;
  status(location: string): Promise<RestoreStatus>;
}

/** Folder that holds run manifests in every target; never a mission key's first segment. */
export const MANIFEST_FOLDER = '_sdc-manifests';

/** Folder of processor bundles and mission configuration files in every target (see system-items.ts). */
export const SYSTEM_FOLDER = '_sdc-system';

/** Whether a target key is a catalogued file's copy, not a manifest or a system item. */
export function isFileCopyKey(key: string): boolean {
  return !key.startsWith(`${MANIFEST_FOLDER}/`) && !key.startsWith(`${SYSTEM_FOLDER}/`);
}
