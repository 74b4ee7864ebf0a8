/**
 * Provenance of the mission's example processing chain, on PostgreSQL + RabbitMQ (the embedded
 * default when those are not there: test/pipeline.test.ts runs the chain itself on both, and the
 * provenance SQL runs on both in lineage.test.ts and traces.test.ts): after a day of
 * telemetry ran through L1A, L1B (attitude, calibration), QL and L2 (ephemeris), the W3C PROV
 * document of an L2 file names every precursor and processor version and is valid PROV-JSON
 * (checked against the submission's structure, and read by the python `prov` package when
 * installed), descendants of an L1A file are exactly the files built from it, outputs carry
 * their provenance summary in their CDF global attributes, and every file's traces verify:
 * the genuine copy passes, a copy with one byte changed fails, a withdrawn version is reported
 * withdrawn and an old version superseded; the descendants of a bad calibration are marked,
 * planned again and reported on once a corrected calibration rebuilt them.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ReleaseService } from '../../src/api/release/release-service.js';
import { TeamAccounts } from '../../src/api/access/team-accounts.js';
import { waitUntilQuiet } from '../../src/app/wait-until-quiet.js';
import { reprocessDescendants } from '../../src/cli/commands/reprocess-descendants.js';
import { descendantReport, planDescendantReprocessing } from '../../src/provenance/descendant-reprocessing.js';
import type { ProvDocument } from '../../src/provenance/prov-document.js';
import { ProvenanceService } from '../../src/provenance/provenance-service.js';
import type { Verification } from '../../src/provenance/trace-verifier.js';
import { loadMissionModule } from '../../src/mission/load-mission-module.js';
import { backends } from '../support/backends.js';
import { startTestSdc, type TestSdc } from '../support/test-sdc.js';
import { provJsonProblems } from './prov-json-schema.js';

interface DemoAdapter {
  generateDemoFiles(folder: string, options: { day: string; hours?: number }): Promise<string[]>;
}

const L2 = 'mms1_fgm_srvy_l2_20151016_v4.18.0.cdf';
const L1A = 'mms1_fgm_srvy_l1a_20151016_v1.0.0.cdf';
const team = { authorization: `Basic ${Buffer.from('prov-op:prov-secret').toString('base64')}` };
/** Debian's python3-prov (installed by .ci/run): an independent PROV reader. */
const PYTHON = '/usr/bin/python3';
const pythonProv = existsSync(PYTHON) && (() => {
  try {
    execFileSync(PYTHON, ['-c', 'import prov']);
    return true;
  } catch {
    return false;
  }
})();

const all = backends();
for (const backend of [all.find((b) => b.available && b.name.startsWith('PostgreSQL')) ?? all[0]!]) {
  describe.skipIf(!backend.available)(`provenance of the processing chain on ${backend.name}`, () => {
    let t: TestSdc;
    let baseUrl: string;
    const get = (url: string, headers: Record<string, string> = team) => fetch(`${baseUrl}${url}`, { headers });
    const provJson = async (name: string, query = '') => {
      const response = await get(`/api/v1/files/${name}/provenance${query}`);
      expect(response.status).toBe(200);
      return (await response.json()) as Required<ProvDocument>;
    };
    const labels = (doc: ProvDocument) => Object.values(doc.entity ?? {}).map((e) => String(e['prov:label'])).sort();

    beforeAll(async () => {
      t = await startTestSdc(backend);
      baseUrl = await t.sdc.startApi();
      await t.sdc.startProcessing();
      await t.sdc.startDropFolder();
      const accounts = new TeamAccounts(t.sdc.catalog.db, 'mms');
      await accounts.createUser('prov-op', 'prov-secret');
      await accounts.grantRole('prov-op', 'operator');
      const adapter = await loadMissionModule<DemoAdapter>(t.sdc.mission, 'demo');
      // One spacecraft's day is the whole chain; the other three would only cost time.
      const demo = path.join(t.dataDir, 'demo');
      await mkdir(demo, { recursive: true });
      const names = await adapter.generateDemoFiles(demo, { day: '2015-10-16', hours: 1 });
      for (const name of names.map((n) => path.basename(n)).filter((n) => /^mms1_/i.test(n))) await rename(path.join(demo, name), path.join(t.dataDir, 'drop', name));
      await waitUntilQuiet(t.sdc, { timeoutMs: 90_000 });
      await t.sdc.traceSigner.drain();
    }, 120_000);
    afterAll(async () => t?.close());

    it('when the chain has run, then the PROV-JSON of an L2 file lists its L1B, L1A, L0, ancillary and calibration precursors and the processor versions', async () => {
      const doc = await provJson(L2);
      expect(labels(doc)).toEqual([
        'MMS1_DEFATT_2015289_2015289.V00',
        'MMS1_DEFEPH_2015289_2015289.V00',
        'mms1_fgm_cal_20150916_v1.0.0.json',
        'mms1_fgm_srvy_l0_20151016_v0.0.0.dat',
        L1A,
        'mms1_fgm_srvy_l1b_20151016_v1.0.0.cdf',
        L2,
      ]);
      const deployments = await t.sdc.catalog.db.selectFrom('processor_deployments').select(['name', 'version', 'bundle_sha256']).where('tier', '=', 'production').execute();
      const jobs = Object.values(doc.activity).filter((a) => a['sdc:processor'] !== undefined);
      expect(jobs.map((a) => `${String(a['sdc:processor'])} ${String(a['sdc:processorVersion'])}`).sort()).toEqual(['fgm-l1a 1.0.0', 'fgm-l1b 1.0.0', 'fgm-l2 1.0.0']);
      for (const job of jobs) expect(job['sdc:bundleSha256']).toBe(deployments.find((d) => d.name === job['sdc:processor'])!.bundle_sha256);
      const roles = Object.values(doc.used).map((u) => `${String(u['prov:entity'])} ${(u['prov:role'] as { $: string }).$}`);
      expect(roles).toEqual(expect.arrayContaining(['file:mms1_fgm_cal_20150916_v1.0.0.json sdc:calibration', 'file:MMS1_DEFEPH_2015289_2015289.V00 sdc:ancillary', 'file:mms1_fgm_srvy_l0_20151016_v0.0.0.dat sdc:telemetry']));
      expect(Object.values(doc.wasDerivedFrom)).toContainEqual({ 'prov:generatedEntity': `file:${L2}`, 'prov:usedEntity': 'file:mms1_fgm_srvy_l1b_20151016_v1.0.0.cdf', 'prov:activity': expect.stringMatching(/^job:\d+$/) });
      expect(doc.agent['agent:team-fgm']).toMatchObject({ 'prov:label': 'Fluxgate Magnetometer instrument team' });
      expect(doc.agent['agent:person-mission']).toMatchObject({ 'prov:type': { $: 'prov:Person', type: 'prov:QUALIFIED_NAME' } });
      expect(doc.agent['agent:processor-fgm-l2-1.0.0']).toBeDefined();
      expect(provJsonProblems(doc)).toEqual([]);
    });

    it.skipIf(!pythonProv)('when a standard PROV tool (python prov) reads the PROV-JSON, then it finds every record and writes it back as PROV-N', async () => {
      const doc = await provJson(L2);
      const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'prov-')), 'l2.json');
      await writeFile(file, JSON.stringify(doc));
      const script = 'import prov, sys\nd = prov.read(sys.argv[1], format="json")\nprint(len(d.get_records()))\nprint(d.get_provn())';
      const [count, ...provn] = execFileSync(PYTHON, ['-c', script, file], { encoding: 'utf8' }).split('\n');
      const records = ['entity', 'activity', 'agent', 'used', 'wasGeneratedBy', 'wasDerivedFrom', 'wasAssociatedWith', 'actedOnBehalfOf'].reduce((n, kind) => n + Object.keys(doc[kind as keyof ProvDocument] ?? {}).length, 0);
      expect(Number(count)).toBe(records);
      expect(provn.join('\n')).toContain(`wasDerivedFrom(file:${L2}, file:mms1_fgm_srvy_l1b_20151016_v1.0.0.cdf`);
    });

    it('when PROV-N is asked by ?format or by the Accept header, then the same records come as PROV-N statements', async () => {
      const byQuery = await get(`/api/v1/files/${L2}/provenance?format=prov-n`);
      expect(byQuery.headers.get('content-type')).toMatch(/^text\/provenance-notation/);
      const text = await byQuery.text();
      expect(text.split('\n')[0]).toBe('document');
      expect(text).toMatch(new RegExp(`wasDerivedFrom\\(file:${L2.replaceAll('.', '\\.')}, file:mms1_fgm_srvy_l1b_20151016_v1\\.0\\.0\\.cdf, job:\\d+, -, -\\)`));
      expect(text.trimEnd().endsWith('endDocument')).toBe(true);
      const byAccept = await get(`/api/v1/files/${L2}/provenance`, { ...team, accept: 'text/provenance-notation' });
      expect(await byAccept.text()).toBe(text);
      const bad = await get(`/api/v1/files/${L2}/provenance?format=rdf`);
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { message: string } }).error.message).toBe("format must be 'prov-json' or 'prov-n', got 'rdf'");
      expect((await get(`/api/v1/files/${L2}/provenance`, {})).status).toBe(404);
    });

    it('when the descendants of an L1A file are asked, then they are exactly the files built from it, directly or not', async () => {
      const db = t.sdc.catalog.db;
      const files = await db.selectFrom('files').select(['id', 'name', 'job_id']).execute();
      const jobs = await db.selectFrom('jobs').select(['id', 'inputs']).where('state', '=', 'succeeded').execute();
      const built = new Set<string>();
      let frontier = [files.find((f) => f.name === L1A)!.id];
      while (frontier.length > 0) {
        const jobIds = new Set(jobs.filter((j) => j.inputs.some((i) => frontier.includes(i.fileId))).map((j) => j.id));
        const made = files.filter((f) => f.job_id !== null && jobIds.has(f.job_id) && !built.has(f.name));
        for (const f of made) built.add(f.name);
        frontier = made.map((f) => f.id);
      }
      expect([...built].sort()).toEqual(['mms1_fgm_srvy_l1b_20151016_v1.0.0.cdf', 'mms1_fgm_srvy_l2_20151016_v4.18.0.cdf', 'mms1_fgm_srvy_ql_20151016_v1.0.0.cdf']);
      const doc = await provJson(L1A, '?direction=descendants');
      expect(labels(doc).filter((n) => n !== L1A)).toEqual([...built].sort());
      expect(provJsonProblems(doc)).toEqual([]);
    });

    it('when a processor writes an output, then its CDF global attributes carry the provenance summary the SDC recorded', async () => {
      const db = t.sdc.catalog.db;
      const l2 = await db.selectFrom('files').selectAll().where('name', '=', L2).executeTakeFirstOrThrow();
      const activity = await db.selectFrom('provenance_activities').selectAll().where('job_id', '=', l2.job_id!).executeTakeFirstOrThrow();
      const attributes = (l2.metadata as { cdf: { globalAttributes: Record<string, string[]> } }).cdf.globalAttributes;
      expect(attributes.Parents?.sort()).toEqual(['CDF>mms1_fgm_srvy_l1b_20151016_v1.0.0', 'FILE>MMS1_DEFEPH_2015289_2015289.V00']);
      expect(attributes.Software_version).toEqual(['1.0.0']);
      expect(attributes.Generated_by?.[0]).toBe(`fgm-l2 1.0.0 (bundle sha256 ${activity.bundle_sha256}), SDC job ${l2.job_id}`);
      expect(attributes.Generation_date?.[0]).toMatch(/^\d{8}$/);
      expect(activity).toMatchObject({ processor: 'fgm-l2', processor_version: '1.0.0', instrument: 'fgm', deployed_by: 'mission', triggered_by: 'trigger', runtime: 'process', exit_code: 0, host: os.hostname() });
      expect(activity.configuration).toMatchObject({ rule: { id: 'fgm-l2', processor: 'fgm-l2' }, command: ['node', '--import', 'tsx', 'main.ts'] });
      expect(activity.started_at).not.toBeNull();
    });

    it('when a copy is verified, then the genuine one passes with its version, and one with a single byte changed fails', async () => {
      const bytes = Buffer.from(await (await get(`/api/v1/files/${L2}/content`)).arrayBuffer());
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const genuine = (await (await get(`/api/v1/verify?sha256=${sha256}`)).json()) as Verification;
      expect(genuine).toMatchObject({ genuine: true, files: [{ name: L2, version: '4.18.0', tier: 'production', withdrawn: false, supersededBy: null }] });
      expect(genuine.files[0]!.traces).toEqual([expect.objectContaining({ event: 'generation', signature: 'valid', keyId: t.sdc.traceSigner.keyId })]);
      const anonymous = (await (await fetch(`${baseUrl}/verify?sha256=${sha256}`)).json()) as Verification;
      expect(anonymous).toMatchObject({ genuine: true, reason: 'a genuine copy of a file of this SDC that is not public', files: [] });
      const middle = bytes.length >> 1;
      bytes.writeUInt8(bytes.readUInt8(middle) ^ 0x01, middle);
      const tampered = (await (await fetch(`${baseUrl}/verify?sha256=${createHash('sha256').update(bytes).digest('hex')}`)).json()) as Verification;
      expect(tampered).toMatchObject({ genuine: false, files: [] });
      expect(tampered.reason).toMatch(/^no trace of these bytes/);
      const bad = await fetch(`${baseUrl}/verify?sha256=abc`);
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { message: string } }).error.message).toBe("sha256 must be 64 hexadecimal digits, got 'abc'");
    });

    it('when a version is released then withdrawn, and a new version supersedes it, then verification says so', async () => {
      const db = t.sdc.catalog.db;
      const releases = new ReleaseService(db, 'mms', t.sdc.mission.config.release.rules);
      await releases.approve('mms1_fgm_srvy_l2', '4.18.0', 'fgm-lead');
      await releases.run(new Date(Date.now() + 40 * 86_400_000));
      await releases.withdraw('mms1_fgm_srvy_l2', '4.18.0', 'fgm-lead', 'wrong calibration');
      // A new ephemeris makes a new L2 version.
      const eph = path.join(t.dataDir, 'drop', 'MMS1_DEFEPH_2015289_2015289.V01');
      const old = await db.selectFrom('files').select('store_key').where('name', '=', 'MMS1_DEFEPH_2015289_2015289.V00').executeTakeFirstOrThrow();
      const content = await new Promise<Buffer>((resolve, reject) => {
        const chunks: Buffer[] = [];
        void t.sdc.store.read(old.store_key).then((s) => s.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject));
      });
      await writeFile(eph, Buffer.concat([content, Buffer.from('\n')]));
      await waitUntilQuiet(t.sdc, { timeoutMs: 60_000 });
      await t.sdc.traceSigner.drain();
      const l2 = await db.selectFrom('files').select('sha256').where('name', '=', L2).executeTakeFirstOrThrow();
      const answer = (await (await fetch(`${baseUrl}/verify?sha256=${l2.sha256}`)).json()) as Verification;
      expect(answer).toMatchObject({ genuine: true, files: [{ name: L2, withdrawn: true, released: false, supersededBy: 'mms1_fgm_srvy_l2_20151016_v4.18.1.cdf' }] });
      expect(answer.reason).toBe(`a genuine copy of ${L2}, withdrawn`);
      expect(answer.files[0]!.traces.map((x) => `${x.event} ${x.signature}`)).toEqual(['generation valid', 'release valid', 'withdrawal valid']);
    });
    it('when the descendants of a bad calibration are reprocessed, then they are marked, the jobs that read it planned again, and the report says what changed', async () => {
      const db = t.sdc.catalog.db;
      const cal = 'mms1_fgm_cal_20150916_v1.0.0.json';
      const bad = await new ProvenanceService(db, t.sdc.mission).fileNamed(cal);
      const before = await planDescendantReprocessing(db, t.sdc.mission, bad);
      expect(before.descendants.map((f) => f.name)).toEqual(['mms1_fgm_srvy_l1b_20151016_v1.0.0.cdf', L2, 'mms1_fgm_srvy_l2_20151016_v4.18.1.cdf', 'mms1_fgm_srvy_ql_20151016_v1.0.0.cdf']);
      expect(before.scopes).toEqual([{ rule: 'fgm-l1b', groupKey: 'mms1/srvy', groupValues: { spacecraft: 'mms1', mode: 'srvy' }, windowStart: new Date('2015-10-16T00:00:00Z') }]);
      expect(before.replacement).toBeNull();
      // The corrected table arrives (here: the same values under a new version).
      const content = await new Promise<Buffer>((resolve, reject) => {
        const chunks: Buffer[] = [];
        void t.sdc.store.read(bad.store_key).then((s) => s.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject));
      });
      await writeFile(path.join(t.dataDir, 'drop', 'mms1_fgm_cal_20150916_v1.1.0.json'), content);
      await waitUntilQuiet(t.sdc, { timeoutMs: 60_000 });
      const printed: string[] = [];
      const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
      const progress = vi.spyOn(console, 'error').mockImplementation((line: string) => void printed.push(line));
      try {
        await reprocessDescendants(t.sdc, cal, { rate: 600, json: true }, 'fgm-lead');
      } finally {
        log.mockRestore();
        progress.mockRestore();
      }
      expect(printed[0]).toBe(`${cal}: 4 files derived from it (to any depth), read directly by 1 job scope(s)`);
      expect(printed).toContain('its newer version mms1_fgm_cal_20150916_v1.1.0.json will be used');
      const created = JSON.parse(printed.at(-1)!) as { campaign: { id: number; items: number; createdBy: string }; marked: string[] };
      expect(created.campaign).toMatchObject({ items: 1, createdBy: 'fgm-lead' });
      expect(created.marked).toEqual(before.descendants.map((f) => f.name));
      const report = await descendantReport(db, created.campaign.id);
      expect(report).toMatchObject({ badFile: cal, replaced: 4, waiting: 0 });
      expect(report!.changes.map((c) => `${c.name} -> ${c.newVersion}`)).toEqual([
        'mms1_fgm_srvy_l1b_20151016_v1.0.0.cdf -> mms1_fgm_srvy_l1b_20151016_v1.0.1.cdf',
        `${L2} -> mms1_fgm_srvy_l2_20151016_v4.18.2.cdf`,
        'mms1_fgm_srvy_l2_20151016_v4.18.1.cdf -> mms1_fgm_srvy_l2_20151016_v4.18.2.cdf',
        'mms1_fgm_srvy_ql_20151016_v1.0.0.cdf -> mms1_fgm_srvy_ql_20151016_v1.0.1.cdf',
      ]);
      await t.sdc.traceSigner.drain();
      const l1b = await db.selectFrom('files').select('sha256').where('name', '=', 'mms1_fgm_srvy_l1b_20151016_v1.0.0.cdf').executeTakeFirstOrThrow();
      const verified = (await (await get(`/api/v1/verify?sha256=${l1b.sha256}`)).json()) as Verification;
      expect(verified.files[0]).toMatchObject({ supersededBy: 'mms1_fgm_srvy_l1b_20151016_v1.0.1.cdf', derivedFromBadInput: { file: cal, campaignId: created.campaign.id } });
      const rebuilt = await provJson('mms1_fgm_srvy_l2_20151016_v4.18.2.cdf');
      expect(labels(rebuilt)).toContain('mms1_fgm_cal_20150916_v1.1.0.json');
      expect(labels(rebuilt)).not.toContain(cal);
    });
  });
}
