import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { CatalogSchema } from '../catalog/catalog-schema.js';
import { SdcError } from '../errors/sdc-error.js';

/** The SDC's current Ed25519 trace-signing key; the private half lives only in the key file. */
export interface TraceSigningKey {
  keyId: string;
  privateKey: KeyObject;
  publicKeyPem: string;
  createdAt: Date;
}

/** What the key file holds (JSON, mode 0600). */
interface KeyFile {
  keyId: string;
  privateKey: string;
  createdAt: string;
}

/** A key file that cannot be used: unreadable, not JSON, or not an Ed25519 private key. */
export class TraceKeyFileError extends SdcError {
  constructor(readonly file: string, problem: string, options?: { cause?: unknown }) {
    super('invalid-config', `the trace-signing key file ${file} ${problem}; fix it or move it away to have a new key generated (traces signed by the old key still verify with its published public key)`, { file }, options);
  }
}

/** A key's id: the first 16 hex digits of the sha256 of its public key (SPKI DER). */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

/**
 * Loads the key in `file`, or generates one there when the file is absent (first start), and
 * makes sure its public half is published in the catalog.
 */
export async function openTraceSigningKey(file: string, db: Kysely<CatalogSchema>): Promise<TraceSigningKey> {
  const key = existsSync(file) ? await readKeyFile(file) : await writeNewKey(file);
  await publish(db, key);
  return key;
}

/**
 * Replaces the key in `file` by a new one: the new public key is published, the old one marked
 * retired (kept, so that everything it signed still verifies). Other processes sign with the old
 * key until they restart.
 */
export async function rotateTraceSigningKey(file: string, db: Kysely<CatalogSchema>): Promise<{ previous: string | undefined; current: TraceSigningKey }> {
  const previous = existsSync(file) ? (await readKeyFile(file)).keyId : undefined;
  const current = await writeNewKey(file);
  await publish(db, current);
  await db.updateTable('provenance_keys').set({ retired_at: new Date() }).where('key_id', '!=', current.keyId).where('retired_at', 'is', null).execute();
  return { previous, current };
}

async function readKeyFile(file: string): Promise<TraceSigningKey> {
  let parsed: Partial<KeyFile>;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<KeyFile>;
  } catch (error) {
    throw new TraceKeyFileError(file, `cannot be read as JSON (${(error as Error).message})`, { cause: error });
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(String(parsed.privateKey));
  } catch (error) {
    throw new TraceKeyFileError(file, 'holds no readable private key (PKCS#8 PEM expected)', { cause: error });
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new TraceKeyFileError(file, `holds a ${privateKey.asymmetricKeyType} key, not an Ed25519 one`);
  const publicKey = createPublicKey(privateKey);
  return { keyId: keyIdOf(publicKey), privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), createdAt: new Date(parsed.createdAt ?? Date.now()) };
}

async function writeNewKey(file: string): Promise<TraceSigningKey> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const key: TraceSigningKey = { keyId: keyIdOf(publicKey), privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), createdAt: new Date() };
  const content: KeyFile = { keyId: key.keyId, privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), createdAt: key.createdAt.toISOString() };
  await mkdir(path.dirname(file), { recursive: true });
  // Written aside and renamed: a crash leaves the old key or the new one, never half a file.
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(content, null, 2), { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, file);
  return key;
}

async function publish(db: Kysely<CatalogSchema>, key: TraceSigningKey): Promise<void> {
  await db.insertInto('provenance_keys').values({ key_id: key.keyId, public_key: key.publicKeyPem, created_at: key.createdAt }).onConflict((oc) => oc.column('key_id').doNothing()).execute();
}
