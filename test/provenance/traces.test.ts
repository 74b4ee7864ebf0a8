/**
 * Signed traces on both backends: ingest, backup, release and withdrawal each leave a trace
 * committed with the event and signed by the SDC's Ed25519 key; a trace not yet signed (the
 * signer was down) is signed when a signer runs again; signers running at once sign each trace
 * once; a batch that fails before its commit signs nothing; an altered trace record fails; a rotated
 * key leaves old traces verifiable; a bad key file is refused with a clear message.
 */
import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { mkdtemp, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReleaseService } from '../../src/api/release/release-service.js';
import { tracePayload } from '../../src/provenance/trace-payload.js';
import { TraceSigner } from '../../src/provenance/trace-signer.js';
import { keyIdOf, openTraceSigningKey, rotateTraceSigningKey } from '../../src/provenance/trace-signing-key.js';
import { verifySha256 } from '../../src/provenance/trace-verifier.js';
import { backends } from '../support/backends.js';
import { quietLogger, startTestSdc, type TestSdc } from '../support/test-sdc.js';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`provenance traces on ${backend.name}`, () => {
    let t: TestSdc;
    let baseUrl: string;
    let folder: string;
    const ingest = async (name: string, content: string) => {
      const file = path.join(folder, name);
      await writeFile(file, content);
      const outcome = await t.sdc.ingest.ingest({ path: file, name, source: 'upload' });
      if (outcome.status === 'quarantined') throw new Error(outcome.reason);
      return outcome.file;
    };

    beforeAll(async () => {
      t = await startTestSdc(backend, { archive: { targets: [{ name: 'cold', kind: 'folder' }] } });
      baseUrl = await t.sdc.startApi();
      folder = await mkdtemp(path.join(os.tmpdir(), 'traces-'));
    });
    afterAll(async () => t?.close());

    it('when the SDC starts for the first time, then it makes its key file (mode 0600) and publishes the public key', async () => {
      expect((await stat(t.sdc.traceKeyFile)).mode & 0o777).toBe(0o600);
      const body = (await (await fetch(`${baseUrl}/api/v1/keys`)).json()) as { algorithm: string; keys: { keyId: string; publicKey: string; retiredAt: string | null }[] };
      expect(body.algorithm).toBe('Ed25519');
      expect(body.keys).toEqual([expect.objectContaining({ keyId: t.sdc.traceSigner.keyId, retiredAt: null, publicKey: expect.stringMatching(/^-----BEGIN PUBLIC KEY-----/) })]);
    });

    it('when a file is ingested, backed up, released and withdrawn, then each event has its own signed trace', async () => {
      const file = await ingest('MMS1_DEFATT_2015300_2015300.V00', 'attitude of day 300');
      const archive = await t.sdc.openArchive();
      await archive.backup('cold');
      const releases = new ReleaseService(t.sdc.catalog.db, 'mms', t.sdc.mission.config.release.rules);
      await releases.run(new Date(Date.now() + 1000));
      await releases.withdraw('mms1_defatt', file.version_label, 'tester', 'attitude redone');
      await t.sdc.traceSigner.drain();
      const answer = await verifySha256(t.sdc.catalog.db, file.sha256);
      expect(answer.genuine).toBe(true);
      expect(answer.files[0]!.traces.map((x) => `${x.event} ${x.service} ${x.signature}`)).toEqual([
        'ingest ingest/upload valid',
        'backup backup/cold valid',
        'release release valid',
        'withdrawal release/withdraw valid',
      ]);
      expect(answer.files[0]).toMatchObject({ name: file.name, withdrawn: true, released: false });
    });

    it('when no signer ran since an event committed, then the trace waits unsigned and is signed by the next signer', async () => {
      await t.sdc.traceSigner.stop();
      const file = await ingest('MMS1_DEFATT_2015301_2015301.V00', 'attitude of day 301');
      const pending = await verifySha256(t.sdc.catalog.db, file.sha256);
      expect(pending).toMatchObject({ genuine: false, reason: 'the traces of these bytes are not signed yet; ask again in a moment' });
      expect(pending.files[0]!.traces).toEqual([expect.objectContaining({ event: 'ingest', signature: 'pending' })]);
      const signer = new TraceSigner(t.sdc.catalog.db, await openTraceSigningKey(t.sdc.traceKeyFile, t.sdc.catalog.db), quietLogger());
      expect(await signer.drain()).toBe(1);
      expect((await verifySha256(t.sdc.catalog.db, file.sha256)).genuine).toBe(true);
    });

    it('when two signers (two hosts, two keys) drain thousands of queued traces at once, then each trace is signed exactly once and verifies', async () => {
      const db = t.sdc.catalog.db;
      await t.sdc.traceSigner.stop();
      const queued = Array.from({ length: 2500 }, (_, i) => ({ file_name: `bulk_${i}.dat`, sha256: createHash('sha256').update(`bulk ${i}`).digest('hex'), size: i, event: 'ingest' as const, service: 'ingest/drop' }));
      for (let i = 0; i < queued.length; i += 500) await db.insertInto('provenance_traces').values(queued.slice(i, i + 500)).execute();
      const pending = Number((await db.selectFrom('provenance_traces').select((eb) => eb.fn.countAll().as('n')).where('signature', 'is', null).executeTakeFirstOrThrow()).n);
      const here = new TraceSigner(db, await openTraceSigningKey(t.sdc.traceKeyFile, db), quietLogger(), { batchSize: 200 });
      const there = new TraceSigner(db, await openTraceSigningKey(path.join(folder, 'other-host-key.json'), db), quietLogger(), { batchSize: 200 });
      try {
        const [a, b] = await Promise.all([here.drain(), there.drain()]);
        // A trace signed twice would be counted twice.
        expect(a + b).toBe(pending);
        expect(a).toBeGreaterThan(0);
        expect(b).toBeGreaterThan(0);
      } finally {
        await here.stop();
        await there.stop();
      }
      const keys = new Map((await db.selectFrom('provenance_keys').select(['key_id', 'public_key']).execute()).map((k) => [k.key_id, createPublicKey(k.public_key)]));
      const signed = await db.selectFrom('provenance_traces').selectAll().where('file_name', 'like', 'bulk_%').execute();
      expect(signed).toHaveLength(queued.length);
      const failing = signed.filter((r) => !r.signature || !r.key_id || !verify(null, tracePayload({ fileName: r.file_name, sha256: r.sha256, size: Number(r.size), event: r.event, at: new Date(r.at), service: r.service, keyId: r.key_id }), keys.get(r.key_id)!, Buffer.from(r.signature, 'base64')));
      expect(failing).toEqual([]);
    });

    it('when a caller drains while the background loop holds batches locked, then the drain resolves only once every queued trace is signed', async () => {
      const db = t.sdc.catalog.db;
      const unsigned = async () => Number((await db.selectFrom('provenance_traces').select((eb) => eb.fn.countAll().as('n')).where('signature', 'is', null).executeTakeFirstOrThrow()).n);
      const queued = Array.from({ length: 3000 }, (_, i) => ({ file_name: `backlog_${i}.dat`, sha256: createHash('sha256').update(`backlog ${i}`).digest('hex'), size: i, event: 'ingest' as const, service: 'ingest/drop' }));
      for (let i = 0; i < queued.length; i += 500) await db.insertInto('provenance_traces').values(queued.slice(i, i + 500)).execute();
      const signer = new TraceSigner(db, await openTraceSigningKey(t.sdc.traceKeyFile, db), quietLogger(), { batchSize: 250 });
      try {
        signer.start();
        while ((await unsigned()) === queued.length) await new Promise((resolve) => setTimeout(resolve, 5));
        await signer.drain();
        expect(await unsigned()).toBe(0);
      } finally {
        await signer.stop();
      }
    });

    it('when a batch fails before its commit, then none of its traces is signed and the next signer signs them all', async () => {
      const db = t.sdc.catalog.db;
      const file = await ingest('MMS1_DEFATT_2015305_2015305.V00', 'attitude of day 305');
      // A key never published: writing its id breaks the foreign key, after the batch was signed.
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      const unpublished = new TraceSigner(db, { keyId: keyIdOf(publicKey), privateKey, publicKeyPem: '', createdAt: new Date() }, quietLogger());
      await expect(unpublished.drain()).rejects.toThrow(/provenance_traces_key_id_fkey/);
      await unpublished.stop();
      expect((await verifySha256(db, file.sha256)).files[0]!.traces).toEqual([expect.objectContaining({ event: 'ingest', signature: 'pending' })]);
      const signer = new TraceSigner(db, await openTraceSigningKey(t.sdc.traceKeyFile, db), quietLogger());
      expect(await signer.drain()).toBe(1);
      await signer.stop();
      expect((await verifySha256(db, file.sha256)).genuine).toBe(true);
    });

    it('when the signing key is rotated, then new traces use the new key and old traces still verify with the retired one', async () => {
      const db = t.sdc.catalog.db;
      const before = await ingest('MMS1_DEFATT_2015302_2015302.V00', 'attitude of day 302');
      const oldSigner = new TraceSigner(db, await openTraceSigningKey(t.sdc.traceKeyFile, db), quietLogger());
      await oldSigner.drain();
      const { previous, current } = await rotateTraceSigningKey(t.sdc.traceKeyFile, db);
      expect(previous).toBe(oldSigner.keyId);
      expect(current.keyId).not.toBe(previous);
      const after = await ingest('MMS1_DEFATT_2015303_2015303.V00', 'attitude of day 303');
      const newSigner = new TraceSigner(db, await openTraceSigningKey(t.sdc.traceKeyFile, db), quietLogger());
      expect(newSigner.keyId).toBe(current.keyId);
      await newSigner.drain();
      const old = await verifySha256(db, before.sha256);
      expect(old).toMatchObject({ genuine: true });
      expect(old.files[0]!.traces[0]).toMatchObject({ keyId: previous, signature: 'valid' });
      expect((await verifySha256(db, after.sha256)).files[0]!.traces[0]).toMatchObject({ keyId: current.keyId, signature: 'valid' });
      const keys = (await (await fetch(`${baseUrl}/api/v1/keys`)).json()) as { keys: { keyId: string; retiredAt: string | null }[] };
      expect(keys.keys.find((k) => k.keyId === previous)?.retiredAt).not.toBeNull();
      expect(keys.keys.find((k) => k.keyId === current.keyId)?.retiredAt).toBeNull();
    });

    it('when a stored trace is altered, then its signature fails and the copy is not reported genuine', async () => {
      const db = t.sdc.catalog.db;
      const file = await ingest('MMS1_DEFATT_2015304_2015304.V00', 'attitude of day 304');
      await new TraceSigner(db, await openTraceSigningKey(t.sdc.traceKeyFile, db), quietLogger()).drain();
      await db.updateTable('provenance_traces').set({ service: 'ingest/drop' }).where('file_id', '=', file.id).execute();
      const answer = await verifySha256(db, file.sha256);
      expect(answer).toMatchObject({ genuine: false, reason: 'a trace of these bytes fails its signature check: the trace record was altered' });
      expect(answer.files[0]!.traces[0]!.signature).toBe('invalid');
    });

    it('when the key file is not JSON or holds another kind of key, then opening it fails with the file and the fix', async () => {
      const notJson = path.join(folder, 'broken.json');
      await writeFile(notJson, 'not json');
      await expect(openTraceSigningKey(notJson, t.sdc.catalog.db)).rejects.toThrow(`the trace-signing key file ${notJson} cannot be read as JSON`);
      const rsa = path.join(folder, 'rsa.json');
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
      await writeFile(rsa, JSON.stringify({ keyId: 'x', privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }), createdAt: new Date().toISOString() }));
      await expect(openTraceSigningKey(rsa, t.sdc.catalog.db)).rejects.toThrow(`the trace-signing key file ${rsa} holds a rsa key, not an Ed25519 one; fix it or move it away`);
      const empty = path.join(folder, 'empty.json');
      await writeFile(empty, '{}');
      await expect(openTraceSigningKey(empty, t.sdc.catalog.db)).rejects.toThrow('holds no readable private key (PKCS#8 PEM expected)');
    });
  });
}
