/**
 * Downloads: streamed bytes with ETag = sha256, Last-Modified, a checksum header, byte ranges,
 * conditional requests, and many files as one zip or tar stream of exact Content-Length.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { startApiFixture, type ApiFixture } from './api-fixture.js';
import { untar } from './untar.js';

const A = 'mms1_fgm_srvy_l2_20151016_v4.18.0.cdf';
const B = 'mms1_fgm_srvy_l2_20151017_v4.18.0.cdf';
/** Larger than the server's 1 MiB read chunk, and not a multiple of it. */
const LARGE = 'mms1_fgm_srvy_l0_20151016_v0.0.0.dat';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`downloads on ${backend.name}`, () => {
    let f: ApiFixture;
    let a: Buffer;
    let b: Buffer;
    let large: Buffer;
    const url = (path: string) => `${f.baseUrl}${path}`;

    beforeAll(async () => {
      f = await startApiFixture(backend);
      a = await f.ingest(A);
      b = await f.ingest(B);
      large = randomBytes(3 * 1024 ** 2 + 12_345);
      const scratch = await mkdtemp(path.join(os.tmpdir(), 'sdc-large-download-'));
      await writeFile(path.join(scratch, LARGE), large);
      const outcome = await f.t.sdc.ingest.ingest({ path: path.join(scratch, LARGE), name: LARGE, source: 'drop' });
      await rm(scratch, { recursive: true, force: true });
      if (outcome.status !== 'ingested') throw new Error(`the large file was not ingested: ${JSON.stringify(outcome)}`);
      await f.release(A, B, LARGE);
    }, 120_000);
    afterAll(async () => f?.close());

    it('sends the bytes with ETag = sha256, Last-Modified, checksum headers, attachment name, never compressed', async () => {
      const res = await fetch(url(`/api/v1/files/${A}/content`), { headers: { 'accept-encoding': 'gzip, br' } });
      const sha = createHash('sha256').update(a).digest('hex');
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).toBe(`"${sha}"`);
      expect(res.headers.get('x-checksum-sha256')).toBe(sha);
      expect(res.headers.get('repr-digest')).toBe(`sha-256=:${Buffer.from(sha, 'hex').toString('base64')}:`);
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${A}"`);
      expect(res.headers.get('content-length')).toBe(String(a.length));
      expect(res.headers.get('content-encoding')).toBeNull();
      expect(Date.parse(res.headers.get('last-modified') ?? '')).toBeGreaterThan(0);
      expect(Buffer.from(await res.arrayBuffer()).equals(a)).toBe(true);
    });

    it('answers byte ranges with 206 and Content-Range, suffix ranges too, and 416 outside the file', async () => {
      const mid = await fetch(url(`/api/v1/files/${A}/content`), { headers: { range: 'bytes=10-19' } });
      expect(mid.status).toBe(206);
      expect(mid.headers.get('content-range')).toBe(`bytes 10-19/${a.length}`);
      expect(Buffer.from(await mid.arrayBuffer()).equals(a.subarray(10, 20))).toBe(true);
      const tail = await fetch(url(`/mms/sdc/public/files/api/v1/download/science?file=${A}`), { headers: { range: 'bytes=-5' } });
      expect(Buffer.from(await tail.arrayBuffer()).equals(a.subarray(a.length - 5))).toBe(true);
      const outside = await fetch(url(`/api/v1/files/${A}/content`), { headers: { range: `bytes=${a.length}-` } });
      expect(outside.status).toBe(416);
      expect(outside.headers.get('content-range')).toBe(`bytes */${a.length}`);
    });

    it('sends a file of several read chunks whole, and a range across chunk boundaries exactly', async () => {
      const whole = await fetch(url(`/api/v1/files/${LARGE}/content`));
      expect(whole.headers.get('content-length')).toBe(String(large.length));
      expect(Buffer.from(await whole.arrayBuffer()).equals(large)).toBe(true);
      const across = await fetch(url(`/api/v1/files/${LARGE}/content`), { headers: { range: 'bytes=1048000-3145800' } });
      expect(across.status).toBe(206);
      expect(Buffer.from(await across.arrayBuffer()).equals(large.subarray(1048000, 3145801))).toBe(true);
    });

    it('stops sending when the client goes away mid-download, and keeps serving', async () => {
      await new Promise<void>((resolve, reject) => {
        const req = request(url(`/api/v1/files/${LARGE}/content`), (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
        req.end();
      });
      const again = await fetch(url(`/api/v1/files/${LARGE}/content`));
      expect(Buffer.from(await again.arrayBuffer()).equals(large)).toBe(true);
    });

    it('answers conditional requests with 304, and ignores a Range whose If-Range no longer matches', async () => {
      const first = await fetch(url(`/api/v1/files/${A}/content`));
      const etag = first.headers.get('etag')!;
      expect((await fetch(url(`/api/v1/files/${A}/content`), { headers: { 'if-none-match': etag } })).status).toBe(304);
      expect((await fetch(url(`/api/v1/files/${A}/content`), { headers: { 'if-modified-since': first.headers.get('last-modified')! } })).status).toBe(304);
      const stale = await fetch(url(`/api/v1/files/${A}/content`), { headers: { range: 'bytes=0-9', 'if-range': '"old"' } });
      expect(stale.status).toBe(200);
      expect(Buffer.from(await stale.arrayBuffer()).length).toBe(a.length);
    });

    it('bundles files as a tar stream of exact Content-Length holding each file whole', async () => {
      const res = await fetch(url(`/api/v1/bundles?names=${A},${B}&format=tar`));
      expect(res.headers.get('content-type')).toBe('application/x-tar');
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
      const entries = await untar(bytes);
      expect(entries.get(A)?.equals(a)).toBe(true);
      expect(entries.get(B)?.equals(b)).toBe(true);
    });

    it('bundles files as a stored zip of exact Content-Length, and the legacy download zips several matches', async () => {
      for (const path of [`/api/v1/bundles?names=${A},${B}`, `/mms/sdc/public/files/api/v1/download/science?file=${A},${B}`]) {
        const res = await fetch(url(path));
        expect(res.headers.get('content-type')).toBe('application/zip');
        const bytes = Buffer.from(await res.arrayBuffer());
        expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
        expect(bytes.subarray(0, 4).toString('hex')).toBe('504b0304');
        expect(bytes.includes(a)).toBe(true);
        expect(bytes.includes(b)).toBe(true);
      }
    });

    it('refuses a bundle with no names, an unknown format or a missing file with clear errors', async () => {
      expect((await fetch(url('/api/v1/bundles'))).status).toBe(400);
      const format = await fetch(url(`/api/v1/bundles?names=${A}&format=rar`));
      expect(format.status).toBe(400);
      expect(((await format.json()) as { error: { message: string } }).error.message).toMatch(/format must be 'zip' or 'tar'/);
      expect((await fetch(url(`/api/v1/bundles?names=${A},nope.cdf`))).status).toBe(404);
    });
  });
}
