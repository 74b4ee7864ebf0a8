/**
 * The SITL chain end to end, on both backends: metadata arrives in the drop folder -> the
 * automated selections are published -> a SITL fetches them through the legacy file services,
 * submits edits through the API -> the POC file appears -> a status feed moves the segments to
 * COMPLETE+FINISHED -> the public segment table shows them. Plus the role checks and the
 * legacy CSV services as the clients call them; the on-duty SITL's notification when ABS is ready
 * (real local SMTP and HTTP receivers), the per-window report and the quicklook plot.
 */
import { request } from 'node:http';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TeamAccounts } from '../../src/api/access/team-accounts.js';
import { idl, plainValue, readIdlSave, writeIdlSave, type IdlStruct, type IdlValue } from '../../src/idl-save/index.js';
import { waitUntilQuiet } from '../../src/app/wait-until-quiet.js';
import { cycleColumns, WINDOW_PLOT } from '../../src/sitl/window-plot.js';
import type { WindowReport } from '../../src/sitl/window-report.js';
import { startSmtpReceiver, startWebhookReceiver } from '../notifications/local-receivers.js';
import { backends } from '../support/backends.js';
import { startTestSdc, type TestSdc } from '../support/test-sdc.js';

const MISSION = path.resolve('missions/mms');
const TEAM_FILES = '/mms/sdc/sitl/files/api/v1';
const PUBLIC_LATIS = '/mms/sdc/public/service/latis';
const TEAM_LATIS = '/mms/sdc/sitl/latis/dap';
/** 2015-06-12T17:20:05 UTC: segment 1013 of the reference starts here. */
const T0 = 1812820840;
const WINDOW_START = T0 + 3600;
const SEGMENT_HEADER = 'DATASEGMENTID,TAISTARTTIME,TAIENDTIME,PARAMETERSETID,FOM,ISPENDING,INPLAYLIST,STATUS,NUMEVALCYCLES,SOURCEID,CREATETIME,FINISHTIME,OBS1NUMBUFS,OBS2NUMBUFS,OBS3NUMBUFS,OBS4NUMBUFS,OBS1ALLOCBUFS,OBS2ALLOCBUFS,OBS3ALLOCBUFS,OBS4ALLOCBUFS,OBS1REMFILES,OBS2REMFILES,OBS3REMFILES,OBS4REMFILES,DISCUSSION';

interface Outcome {
  result: number;
  accepted: boolean;
  message: string;
  messages: { severity: string; rule: string; message: string }[];
  needs?: string;
  segmentIds?: number[];
}

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`SITL on ${backend.name}`, () => {
    let t: TestSdc;
    let baseUrl: string;
    let drop: string;
    let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
    let webhook: Awaited<ReturnType<typeof startWebhookReceiver>>;
    const basic = (user: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${user}-pass`).toString('base64')}` });
    const get = (p: string, headers: Record<string, string> = {}) => fetch(baseUrl + p, { headers });
    const post = (p: string, body: unknown, user?: string) => fetch(baseUrl + p, { method: 'POST', headers: { 'content-type': 'application/json', ...(user ? basic(user) : {}) }, body: JSON.stringify(body) });
    /** Drops a feed file and waits until the SITL consumer handled it (the catalog is quiet and it is recorded as handled). */
    const dropFile = async (name: string, content: string) => {
      const handledBefore = await handledCount(t);
      await writeFile(path.join(drop, name), content);
      await waitUntilQuiet(t.sdc, { timeoutMs: 30_000, settleMs: 100 });
      await eventually(async () => (await handledCount(t)) > handledBefore);
    };

    beforeAll(async () => {
      smtp = await startSmtpReceiver();
      webhook = await startWebhookReceiver();
      t = await startTestSdc(backend, { mission: MISSION, notifications: { smtp: { host: '127.0.0.1', port: smtp.port, from: 'sdc@example.org' }, webhook: { url: `${webhook.url}/ops`, retries: 0 } } });
      // The on-duty roster is site data (mission.yaml ships it empty): this site's SITL.
      t.sdc.mission.config.sitl!.onDuty.push({ name: 'SITL on duty', email: 'sitl-on-duty@example.org' });
      baseUrl = await t.sdc.startApi();
      drop = path.join(t.dataDir, 'drop');
      await mkdir(drop, { recursive: true });
      await t.sdc.startDropFolder();
      await t.sdc.startSitl();
      const accounts = new TeamAccounts(t.sdc.catalog.db, 'mms');
      for (const [user, role] of [['alice', 'sitl'], ['sam', 'super-sitl'], ['tom', 'team-member']] as const) {
        await accounts.createUser(user, `${user}-pass`);
        await accounts.grantRole(user, role);
      }
      // The POC's table: 1013 held (the reference's example), 1014 already transmitted.
      await dropFile('mms_burst_data_segment_20150612180000.csv', [
        SEGMENT_HEADER,
        `1013,${T0},${T0 + 110},p1,80.0,1,0,HELD,1,ABS,2015-06-12 17:30:00,,0,0,0,0,0,0,0,0,0,0,0,0,reference segment`,
        `1014,${T0 + 300},${T0 + 390},p1,120.5,0,0,COMPLETE+FINISHED,2,bob(EVA),2015-06-12 17:30:00,2015-06-12 19:00:00,1,1,1,1,0,0,0,0,0,0,0,0,flux rope, maybe`,
        '',
      ].join('\n'));
    });
    afterAll(async () => {
      await t?.close();
      await smtp?.close();
      await webhook?.close();
    });

    it('when metadata arrives, then ABS is published, a SITL edits and uplinks it, the POC gets it, and the status feed moves the segments to COMPLETE+FINISHED', async () => {
      // One hour of metadata: a strong interval at cycles 100-119 and a weaker one at 200-229.
      const rows = ['SC_ID,TAITIMESTAMP,DATASEGMENTID,CDQ,MDQ'];
      for (let i = 0; i < 360; i += 1) {
        const mdq = i >= 100 && i < 120 ? 150 : i >= 200 && i < 230 ? 90 : 0;
        for (const sc of ['mms1', 'mms2', 'mms3', 'mms4']) rows.push(`${sc},${WINDOW_START + i * 10},,${mdq},${mdq}`);
      }
      await dropFile('mms_burst_metadata_20150612182005_20150612192005.csv', `${rows.join('\n')}\n`);
      const windows = (await (await get('/api/v1/sitl/windows')).json()) as { windows: { id: number; absFile: string; cycleStart: number; numCycles: number }[] };
      expect(windows.windows).toHaveLength(1);
      const window = windows.windows[0]!;
      expect(window).toMatchObject({ cycleStart: WINDOW_START, numCycles: 360 });

      // The SITL tool lists and downloads the ABS file through the team file services.
      const names = await (await get(`${TEAM_FILES}/file_names/abs_selections`, basic('alice'))).text();
      expect(names).toBe(`mms/data/sitl/abs_selections/${window.absFile}`);
      expect(window.absFile).toMatch(/^abs_selections_\d{4}(-\d{2}){5}\.sav$/);
      const absFile = readIdlSave(Buffer.from(await (await get(`${TEAM_FILES}/download/abs_selections?file=${window.absFile}`, basic('alice'))).arrayBuffer()));
      const abs = plainValue(absFile.variables.get('FOMSTR')!) as Record<string, unknown>;
      expect(abs).toMatchObject({ VALID: 1, SOURCEID: ['ABS', 'ABS'], CYCLESTART: WINDOW_START, NUMCYCLES: 360, NSEGS: 2, START: [98, 198], STOP: [121, 231], SEGLENGTHS: [24, 34], FOM: [150, 90], NBUFFS: 58, TARGETBUFFS: 700, PAD: 2, UPLINKFLAG: 0 });
      expect((abs.TIMESTAMPS as number[])[1]).toBe(WINDOW_START + 10);
      const tags = (absFile.variables.get('FOMSTR') as IdlStruct).elements[0]!;
      expect(['TIMESTAMPS', 'FOM', 'START', 'VALID', 'SOURCEID'].map((tag) => tags[tag]!.kind !== 'struct' && tags[tag]!.type)).toEqual(['ulong', 'float', 'long', 'long', 'string']);

      // Submitting ABS unmodified needs a confirmation; a changed FOM is a draft accepted at once.
      const url = `/api/v1/sitl/windows/${window.id}/submissions`;
      const selections = [{ start: 98, stop: 121, fom: 150 }, { start: 198, stop: 231, fom: 95, discussion: 'weaker, keep' }];
      const unmodified = (await (await post(url, { selections: [{ start: 98, stop: 121, fom: 150 }, { start: 198, stop: 231, fom: 90 }] }, 'alice')).json()) as Outcome;
      expect(unmodified).toMatchObject({ result: 1, accepted: false, needs: 'confirmation', messages: [{ rule: 'unmodified' }] });
      const draft = await post(url, { selections }, 'alice');
      expect(draft.status).toBe(201);
      expect(await draft.json()).toMatchObject({ result: 0, accepted: true, message: 'draft accepted' });
      const again = await post(url, { selections }, 'alice');
      expect(again.status).toBe(200);
      expect(await again.json()).toMatchObject({ result: 2, accepted: false, message: 'nothing changed since the last accepted submission of this window' });

      // The final uplink closes the window; a second one is refused.
      const closeTai = WINDOW_START + 3600;
      const uplink = (await (await post(url, { selections, uplink: true, closeTai, note: 'orbit 101' }, 'alice')).json()) as Outcome;
      expect(uplink).toMatchObject({ result: 0, accepted: true, message: `selections uplinked; window ${window.id} is closed` });
      expect(uplink.segmentIds).toEqual([1015, 1016]);
      const twice = await post(url, { selections, uplink: true, closeTai }, 'alice');
      expect(twice.status).toBe(422);
      expect(((await twice.json()) as Outcome).messages).toEqual([{ severity: 'error', rule: 'window-closed', message: expect.stringMatching(new RegExp(`^window ${window.id} was closed by the final uplink of alice at .*; an uplink cannot be undone$`)) }]);

      // The POC's outgoing folder holds the uplink (and the draft), each written once.
      const pocDir = path.join(t.dataDir, 'poc-outgoing');
      const pocFiles = await waitForFiles(pocDir, 2);
      const contents = await Promise.all(pocFiles.map((f) => readFile(path.join(pocDir, f), 'utf8')));
      expect(pocFiles.every((f) => /^sitl_to_poc_\d{4}(-\d{2}){5}_\d+\.csv$/.test(f))).toBe(true);
      expect(contents.filter((c) => c.includes('kind=draft by=alice'))).toHaveLength(1);
      const uplinkFile = contents.find((c) => c.includes('kind=uplink by=alice'))!;
      expect(uplinkFile).toContain(`evalstarttime=${closeTai}`);
      expect(uplinkFile).toContain(`1,1015,${WINDOW_START + 980},${WINDOW_START + 1210},150,New,ABS,ALL,`);
      expect(uplinkFile).toContain(`2,1016,${WINDOW_START + 1980},${WINDOW_START + 2310},95,New,alice(EVA),ALL,weaker, keep`);
      // The accepted selections are published too (the draft's and the uplink's), after the commit.
      await eventually(async () => (await (await get(`${TEAM_FILES}/file_names/sitl_selections`, basic('alice'))).text()).split(',').length === 2);

      // The team table shows the new segments pending; the status feed finishes them.
      const pending = await (await get(`${TEAM_LATIS}/mms_burst_data_segment.csv?DATASEGMENTID,STATUS,ISPENDING&ISPENDING=1`, basic('alice'))).text();
      expect(pending).toBe('DATASEGMENTID,STATUS,ISPENDING\n1013,HELD,1\n1015,NEW,1\n1016,NEW,1\n');
      await dropFile('mms_burst_segment_status_20150613010000.csv', 'DATASEGMENTID,STATUS,ISPENDING,INPLAYLIST,FINISHTIME\n1015,COMPLETE+FINISHED,0,0,2015-06-13 01:00:00\n1016,COMPLETE+FINISHED,0,0,2015-06-13 01:00:00\n1013,HELD,1,1,\n');
      const month = await (await get(`${PUBLIC_LATIS}/mms_burst_data_segment.csv?TAISTARTTIME%3E=${T0}&TAISTARTTIME%3C${T0 + 86_400}`)).text();
      const finished = month.trim().split('\n').slice(1).map((l) => l.split(',')).filter((r) => r[7] === 'COMPLETE+FINISHED').map((r) => [r[0], r[1], r[2], r[11]]);
      expect(finished).toEqual([
        ['1014', String(T0 + 300), String(T0 + 390), '2015-06-12 19:00:00'],
        ['1015', String(WINDOW_START + 980), String(WINDOW_START + 1210), '2015-06-13 01:00:00'],
        ['1016', String(WINDOW_START + 1980), String(WINDOW_START + 2310), '2015-06-13 01:00:00'],
      ]);
      expect(month.split('\n')[0]).toBe(SEGMENT_HEADER);

      // Back-structure edits: a FINISHED segment cannot be edited; a held one can.
      const finishedEdit = (await (await post('/api/v1/sitl/back-structure', { edits: [{ change: 'modify', segmentId: 1015, fom: 160 }] }, 'sam')).json()) as Outcome;
      expect(finishedEdit).toMatchObject({ result: 1, messages: [{ severity: 'error', rule: 'finished', message: 'edit 1: segment 1015 is COMPLETE+FINISHED: a FINISHED segment cannot be edited' }] });
      const modified = (await (await post('/api/v1/sitl/back-structure', { edits: [{ change: 'modify', segmentId: 1013, fom: 100 }, { change: 'add', taiStart: T0 + 1000, taiEnd: T0 + 1090, fom: 60 }] }, 'sam')).json()) as Outcome;
      expect(modified).toMatchObject({ result: 0, accepted: true, segmentIds: [1017] });
      const nothing = (await (await post('/api/v1/sitl/back-structure', { edits: [] }, 'sam')).json()) as Outcome;
      expect(nothing).toMatchObject({ result: 2, message: 'no back-structure edit was submitted: nothing changed' });
      const segments = (await (await get(`/api/v1/sitl/segments?from=${T0}&to=${T0 + 1200}`)).json()) as { segments: { id: number; fom: number; status: string; startUtc: string }[] };
      expect(segments.segments.map((s) => [s.id, s.fom, s.status])).toEqual([[1013, 100, 'HELD'], [1014, 120.5, 'COMPLETE+FINISHED'], [1017, 60, 'NEW']]);
      expect(segments.segments[0]!.startUtc).toBe('2015-06-12T17:20:05.000Z');
    });

    it('lets only sitl and super-sitl submit, and only a super-SITL override the orange warnings', async () => {
      const rows = ['SC_ID,TAITIMESTAMP,DATASEGMENTID,CDQ,MDQ'];
      const start = WINDOW_START + 7200;
      for (let i = 0; i < 60; i += 1) rows.push(`mms1,${start + i * 10},,${i < 20 ? 100 : 0},${i < 20 ? 100 : 0}`);
      await dropFile('mms_burst_metadata_20150612202005_20150612203005.csv', `${rows.join('\n')}\n`);
      const windows = (await (await get('/api/v1/sitl/windows')).json()) as { windows: { id: number; cycleStart: number }[] };
      const id = windows.windows.find((w) => w.cycleStart === start)!.id;
      const url = `/api/v1/sitl/windows/${id}/submissions`;
      const reserved = { selections: [{ start: 0, stop: 9, fom: 230 }], override: true };
      const anonymous = await post(url, reserved);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
      expect(await anonymous.json()).toEqual({ error: { code: 'unauthorized', message: 'SITL submissions need team credentials with the sitl or super-sitl role' } });
      const member = await post(url, reserved, 'tom');
      expect(member.status).toBe(403);
      expect(await member.json()).toEqual({ error: { code: 'forbidden', message: "user 'tom' has neither the sitl nor the super-sitl role" } });
      const sitl = await post(url, reserved, 'alice');
      expect(sitl.status).toBe(422);
      expect(await sitl.json()).toMatchObject({ result: 1, accepted: false, needs: 'super-sitl', message: 'the submission was not accepted: it needs a super-SITL to override the orange warnings', messages: [{ severity: 'super-sitl', rule: 'fom-reserved' }] });
      const superSitl = await post(url, reserved, 'sam');
      expect(superSitl.status).toBe(201);
      // Two uplinks at once: exactly one closes the window, the other is told it is closed.
      const both = await Promise.all([1, 2].map(() => post(url, { selections: [{ start: 0, stop: 9, fom: 230 }], override: true, uplink: true, closeTai: start + 600 }, 'sam')));
      expect(both.map((r) => r.status).sort()).toEqual([201, 422]);
      const loser = (await both.find((r) => r.status === 422)!.json()) as Outcome;
      expect(loser.messages.map((m) => m.rule)).toEqual(['window-closed']);
      const backStructure = await post('/api/v1/sitl/back-structure', { edits: [{ change: 'delete', segmentId: 1013 }] }, 'alice');
      expect(backStructure.status).toBe(403);
      expect(await backStructure.json()).toEqual({ error: { code: 'forbidden', message: "user 'alice' is not a super-SITL: back-structure edits need the super-sitl role" } });
      const bad = await post(url, { selections: [{ start: 'a', stop: 1, fom: 3 }] }, 'alice');
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/^invalid request body: selections\.0\.start: /);
      expect((await post('/api/v1/sitl/windows/999/submissions', { selections: [] }, 'alice')).status).toBe(404);
    });

    it('serves the segment table and metadata as the legacy clients query them, and the validation limits', async () => {
      // IDL sends raw operators: the overlap query must not match a segment starting at the end time.
      const idl = await rawGet(baseUrl, `${TEAM_LATIS}/mms_burst_data_segment.csv?DATASEGMENTID,TAISTARTTIME,TAIENDTIME,FOM,STATUS,DISCUSSION&TAIENDTIME>${T0 - 100}&TAISTARTTIME<${T0 + 300}`, basic('alice'));
      expect(idl).toEqual({ status: 200, body: `DATASEGMENTID,TAISTARTTIME,TAIENDTIME,FOM,STATUS,DISCUSSION\n1013,${T0},${T0 + 110},100.0,HELD,reference segment\n` });
      const byId = await (await get(`${TEAM_LATIS}/mms_burst_data_segment.csv?DATASEGMENTID,DISCUSSION&DATASEGMENTID=1014`, basic('alice'))).text();
      expect(byId).toBe('DATASEGMENTID,DISCUSSION\n1014,flux rope, maybe\n');
      const finishedDates = await (await get(`${PUBLIC_LATIS}/mms_burst_data_segment.csv?DATASEGMENTID&FINISHTIME>=01-Jun-2015&FINISHTIME<13-Jun-2015`)).text();
      expect(finishedDates).toBe('DATASEGMENTID\n1014\n');
      expect(await (await get(`${PUBLIC_LATIS}/mms_burst_data_segment.csv?DATASEGMENTID&TAISTARTTIME%3E=1`)).text()).toMatch(/^DATASEGMENTID\n1013\n/);
      expect(await (await get(`${PUBLIC_LATIS}/mms_burst_data_segment.csv?DATASEGMENTID&DATASEGMENTID=5`)).text()).toBe('DATASEGMENTID\n');
      const unknown = await get(`${PUBLIC_LATIS}/mms_burst_data_segment.csv?NOPE>=1`);
      expect(unknown.status).toBe(400);
      expect(((await unknown.json()) as { error: { message: string } }).error.message).toMatch(/^unknown column 'NOPE' \(columns: DATASEGMENTID, TAISTARTTIME/);
      const meta = await (await get(`${TEAM_LATIS}/mms1_burst_metadata.csv?TAITIMESTAMP,DATASEGMENTID,CDQ,MDQ&TAITIMESTAMP>=${WINDOW_START + 1000}&TAITIMESTAMP<${WINDOW_START + 1020}`, basic('alice'))).text();
      expect(meta).toBe(`TAITIMESTAMP,DATASEGMENTID,CDQ,MDQ\n${WINDOW_START + 1000},,150,150\n${WINDOW_START + 1010},,150,150\n`);
      expect((await get(`${PUBLIC_LATIS}/mms1_burst_metadata.csv`)).status).toBe(404);
      expect((await get(`${TEAM_LATIS}/properties.txt?version`)).status).toBe(401);
      expect(await (await get(`${TEAM_LATIS}/properties.txt?version`, basic('tom'))).text()).toMatch(/^version=/);
      const validation = await get(`${TEAM_FILES}/download/fom_validation`, basic('alice'));
      expect(validation.headers.get('content-disposition')).toBe('attachment; filename="fom_validation.sav"');
      const limits = plainValue(readIdlSave(Buffer.from(await validation.arrayBuffer())).variables.get('VALIDATION_STRUCT')!);
      expect(limits).toMatchObject({ FOM_BOUNDS: [0, 255], FOM_GMAX: 200, SEG_BOUNDS: [1, 60], NOMINAL_SEG_RANGE: [2, 35], BUFF_MAX: 1000, P1_PERCENT: 33, TYPE1_RANGE: [150, 199], FOM_DEL_MAX: 100 });
      expect(await (await get('/api/v1/sitl/validation-limits')).json()).toMatchObject({ cycleSeconds: 10, maxBuffers: 1000, categories: expect.arrayContaining([{ id: 0, from: 200, to: 256 }]) });
    });

    it('accepts ground-loop selections from a model and serves them to the SITL tool', async () => {
      const name = 'gls_selections_mp-dl-unh_2015-06-12-19-00-00.csv';
      await dropFile(name, '2015-06-12 18:20:05,2015-06-12 18:30:05,150,magnetopause crossing\n');
      expect(await (await get(`${TEAM_FILES}/file_names/gls_selections_mp-dl-unh`, basic('alice'))).text()).toBe(`mms/data/sitl/gls_selections_mp-dl-unh/${name}`);
      expect(await (await get(`${TEAM_FILES}/download/gls_selections_mp-dl-unh?file=${name}`, basic('alice'))).text()).toBe('2015-06-12 18:20:05,2015-06-12 18:30:05,150,magnetopause crossing\n');
    });

    it('dead-letters a feed file that does not parse, with the reason, and leaves the table as it was', async () => {
      await writeFile(path.join(drop, 'mms_burst_segment_status_20150613020000.csv'), 'DATASEGMENTID,STATUS\n1013,HELD+\n');
      const dead = await waitForDeadLetters(t, 'sdc.mms.sitl-feeds');
      expect(dead[0]!.reason).toContain("mms_burst_segment_status_20150613020000.csv is not a valid burst-segment-status file: line 2: STATUS 'HELD+' is not a list of flags joined by '+'");
      const row = await t.sdc.catalog.db.selectFrom('sitl_segments').select('status').where('id', '=', 1013).executeTakeFirstOrThrow();
      expect(row.status).toBe('HELD');
    });

    it('tells the on-duty SITL once per window, when its automated selections are published, with the deadline', async () => {
      const windows = ((await (await get('/api/v1/sitl/windows')).json()) as { windows: { id: number; evaluatedAt: string; closesAt: string }[] }).windows;
      expect(windows).toHaveLength(2);
      for (const w of windows) expect(Date.parse(w.closesAt) - Date.parse(w.evaluatedAt)).toBe(240 * 60_000);
      await eventually(async () => smtp.mails.length >= 2 && webhook.posts.length >= 2);
      const byWindow = smtp.mails;
      expect(byWindow.map((m) => m.subject).sort()).toEqual(windows.map((w) => `[SDC mms] SITL window ${w.id}: automated selections ready, due ${w.closesAt}`).sort());
      expect(byWindow.every((m) => m.to.join() === 'sitl-on-duty@example.org')).toBe(true);
      expect(byWindow.find((m) => m.subject.includes(`window ${windows.at(-1)!.id}:`))!.text).toContain('selections: 2 (58 buffers), file abs_selections_');
      expect(webhook.posts.map((p) => [p.path, p.body.type]).sort()).toEqual([['/ops', 'sdc.sitl.abs-ready'], ['/ops', 'sdc.sitl.abs-ready']]);
      expect(webhook.posts.map((p) => p.body.windowId).sort()).toEqual(windows.map((w) => w.id).sort());
      // Recorded as sent: later deliveries (a restart delivers again) tell nobody twice.
      const notified = await t.sdc.catalog.db.selectFrom('sitl_windows').select('abs_notified_at').execute();
      expect(notified.every((w) => w.abs_notified_at instanceof Date)).toBe(true);
      await t.sdc.sitl!.deliver();
      await sleep(200);
      expect([smtp.mails.length, webhook.posts.length]).toEqual([2, 2]);
    });

    it('reports per window what was selected, by whom, the buffers per category and the held/overwritten/transmitted history', async () => {
      const windows = ((await (await get('/api/v1/sitl/windows')).json()) as { windows: { id: number; cycleStart: number }[] }).windows;
      const first = windows.find((w) => w.cycleStart === WINDOW_START)!.id;
      const second = windows.find((w) => w.cycleStart === WINDOW_START + 7200)!.id;
      const report = (await (await get(`/api/v1/sitl/windows/${first}/report`)).json()) as WindowReport;
      const counts = (s: { byCategory: { category: number; selections: number; buffers: number }[] }) => s.byCategory.map((c) => [c.category, c.selections, c.buffers]);
      expect(counts(report.automated)).toEqual([[0, 0, 0], [1, 1, 24], [2, 0, 0], [3, 1, 34], [4, 0, 0]]);
      expect(report.selected).toMatchObject({ kind: 'uplink', by: 'alice', buffers: 58, uncategorisedBuffers: 0 });
      expect(counts(report.selected!)).toEqual([[0, 0, 0], [1, 1, 24], [2, 0, 0], [3, 1, 34], [4, 0, 0]]);
      expect(report.selected!.selections.map((s) => s.sourceId)).toEqual(['ABS', 'alice(EVA)']);
      expect(report.submissions.map((s) => [s.kind, s.submittedBy, s.selections, s.buffers, s.note])).toEqual([['draft', 'alice', 2, 58, ''], ['uplink', 'alice', 2, 58, 'orbit 101']]);
      expect(report.segments.map((s) => [s.id, s.buffers, s.status])).toEqual([[1015, 24, 'COMPLETE+FINISHED'], [1016, 34, 'COMPLETE+FINISHED']]);
      // Created by the uplink (NEW: none of the three), then both transmitted by the status feed.
      expect(report.bufferHistory.map((h) => [h.held, h.overwritten, h.transmitted])).toEqual([[0, 0, 0], [0, 0, 58]]);

      // The second window's segment is held, then overwritten onboard before it was transmitted.
      const segment = ((await (await get(`/api/v1/sitl/windows/${second}/report`)).json()) as WindowReport).segments[0]!;
      await dropFile('mms_burst_segment_status_20150613030000.csv', `DATASEGMENTID,STATUS,ISPENDING\n${segment.id},HELD,1\n`);
      await dropFile('mms_burst_segment_status_20150613040000.csv', `DATASEGMENTID,STATUS,ISPENDING\n${segment.id},DERELICT,0\n`);
      const later = (await (await get(`/api/v1/sitl/windows/${second}/report`)).json()) as WindowReport;
      expect(later.selected).toMatchObject({ kind: 'uplink', by: 'sam' });
      expect(counts(later.selected!)[0]).toEqual([0, 1, 10]);
      expect(later.bufferHistory.map((h) => [h.held, h.overwritten, h.transmitted])).toEqual([[0, 0, 0], [10, 0, 0], [0, 10, 0]]);

      const html = await (await get(`/sitl/windows/${first}`, basic('alice'))).text();
      expect(html).toContain(`<img id="plot" src="/api/v1/sitl/windows/${first}/plot.png"`);
      expect(html).toContain('<section id="report">');
      expect(html).toMatch(/Selected: uplink \d+ of alice\./);
      expect(html).toContain('<td>1</td><td>[150, 200)</td><td>1 / 24</td><td>1 / 24</td>');
      expect(html).toContain('<td>0</td><td>0</td><td>58</td></tr>');
      expect((await get('/api/v1/sitl/windows/999/report')).status).toBe(404);
      const bad = await get('/api/v1/sitl/windows/abc/report');
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual({ error: { code: 'invalid-request', message: "'abc' is not a window id" } });
    });

    it('draws the quicklook plot: the metadata quality, and the automated and SITL selections as FOM bars', async () => {
      const id = ((await (await get('/api/v1/sitl/windows')).json()) as { windows: { id: number; cycleStart: number }[] }).windows.find((w) => w.cycleStart === WINDOW_START)!.id;
      const res = await get(`/api/v1/sitl/windows/${id}/plot.png`);
      expect(res.headers.get('content-type')).toBe('image/png');
      const png = PNG.sync.read(Buffer.from(await res.arrayBuffer()));
      expect([png.width, png.height]).toEqual([WINDOW_PLOT.width, WINDOW_PLOT.height]);
      const { panels, colours } = WINDOW_PLOT;
      const at = (cycle: number, panel: { bottom: number }, above: number) => {
        const [x0, x1] = cycleColumns(cycle, 360);
        const i = (png.width * (panel.bottom - 3 - above) + Math.floor((x0 + x1) / 2)) * 4;
        return [png.data[i], png.data[i + 1], png.data[i + 2]];
      };
      // 0 at the bottom of a panel; 255 (the top of the FOM scale) 88 px above it.
      const white = [...colours.background];
      expect(at(110, panels.mdq, 0)).toEqual([...colours.mdq]);
      expect(at(50, panels.mdq, 0)).toEqual(white);
      // Automated: cycles 98-121 at FOM 150 (52 px) and 198-231 at 90; nothing at cycle 50 or 160.
      expect([at(98, panels.automated, 0), at(121, panels.automated, 48), at(215, panels.automated, 0)]).toEqual([[...colours.automated], [...colours.automated], [...colours.automated]]);
      expect([at(110, panels.automated, 60), at(50, panels.automated, 0), at(160, panels.automated, 0), at(122, panels.automated, 0)]).toEqual([white, white, white, white]);
      // The SITL's uplink: the same intervals, the second at FOM 95.
      expect([at(110, panels.sitl, 0), at(231, panels.sitl, 0)]).toEqual([[...colours.sitl], [...colours.sitl]]);
      expect([at(160, panels.sitl, 0), at(215, panels.sitl, 40)]).toEqual([white, white]);
      expect((await get('/api/v1/sitl/windows/999/plot.png')).status).toBe(404);
    });

    it('takes SITL selections and back-structure edits uploaded as IDL SAVE files through the legacy upload, validated like the JSON submissions', async () => {
      const start = WINDOW_START + 14_400;
      const rows = ['SC_ID,TAITIMESTAMP,DATASEGMENTID,CDQ,MDQ'];
      for (let i = 0; i < 60; i += 1) rows.push(`mms1,${start + i * 10},,${i < 20 ? 100 : 0},${i < 20 ? 100 : 0}`);
      await dropFile('mms_burst_metadata_20150612222005_20150612223005.csv', `${rows.join('\n')}\n`);
      const window = ((await (await get('/api/v1/sitl/windows')).json()) as { windows: { id: number; cycleStart: number; absFile: string }[] }).windows.find((w) => w.cycleStart === start)!;
      await eventually(async () => (await (await get(`${TEAM_FILES}/file_names/abs_selections`, basic('alice'))).text()).includes(window.absFile));
      // As EVA does: restore the ABS file, edit the FOMs of its fomstr, save it and upload it.
      const abs = readIdlSave(Buffer.from(await (await get(`${TEAM_FILES}/download/abs_selections?file=${window.absFile}`, basic('alice'))).arrayBuffer())).variables.get('FOMSTR') as IdlStruct;
      const automated = plainValue(abs) as { FOM: number[]; START: number[]; STOP: number[] };
      const evaFile = (edit: Record<string, IdlValue>) => writeIdlSave({ fomstr: idl.struct({ ...abs.elements[0]!, ...edit }) });
      const edits = { FOM: idl.floatArray(automated.FOM.map((f) => f + 5)), DISCUSSION: idl.stringArray(automated.FOM.map(() => 'edited in EVA')) };
      const edited = evaFile(edits);
      const upload = (name: string, body: Uint8Array, user?: string, query = '') => fetch(`${baseUrl}${TEAM_FILES}/upload?file=${name}${query}`, { method: 'POST', body, headers: user ? basic(user) : {} });

      const draft = await upload('sitl_selections_2015-06-12-22-30-00.sav', edited, 'alice');
      expect(draft.status).toBe(200);
      expect(await draft.json()).toMatchObject({ file: 'sitl_selections_2015-06-12-22-30-00.sav', result: 0, accepted: true, message: 'draft accepted' });
      expect(await (await upload('sitl_selections_2015-06-12-22-31-00.sav', edited, 'alice')).json()).toMatchObject({ result: 2, accepted: false });

      // The same rules as the JSON submission: an error refuses the file with the same findings.
      const tooHigh = evaFile({ FOM: idl.floatArray(automated.FOM.map(() => 300)) });
      const refused = await upload('sitl_selections_2015-06-12-22-32-00.sav', tooHigh, 'alice');
      expect(refused.status).toBe(422);
      const viaJson = (await (await post(`/api/v1/sitl/windows/${window.id}/check`, { selections: automated.START.map((s, i) => ({ start: s, stop: automated.STOP[i], fom: 300 })) }, 'alice')).json()) as Outcome;
      expect(((await refused.json()) as Outcome).messages).toEqual(viaJson.messages);
      expect(viaJson.messages[0]).toMatchObject({ severity: 'error', rule: 'fom-bounds' });
      // The tool asked the SITL before writing the file; ?confirm=false refuses the warning instead.
      const unmodified = await upload('sitl_selections_2015-06-12-22-33-00.sav', writeIdlSave({ fomstr: abs }), 'alice', '&confirm=false');
      expect(await unmodified.json()).toMatchObject({ result: 1, needs: 'confirmation', messages: [{ rule: 'unmodified' }] });

      // Who may: as for the JSON submissions.
      expect((await upload('sitl_selections_2015-06-12-22-34-00.sav', edited)).status).toBe(401);
      const member = await upload('sitl_selections_2015-06-12-22-34-00.sav', edited, 'tom');
      expect(member.status).toBe(403);
      expect(await member.json()).toEqual({ error: { code: 'forbidden', message: "user 'tom' has neither the sitl nor the super-sitl role" } });

      // A file that does not decode is a 400 saying why; nothing is recorded.
      const garbage = await upload('sitl_selections_2015-06-12-22-35-00.sav', Buffer.from('{"selections": []}'), 'alice');
      expect(garbage.status).toBe(400);
      expect(((await garbage.json()) as { error: { message: string } }).error.message).toBe("sitl_selections_2015-06-12-22-35-00.sav is not a valid SITL selections file: offset 0: no IDL SAVE signature ('SR') at the start");
      const truncated = await upload('sitl_selections_2015-06-12-22-35-00.sav', edited.subarray(0, edited.length - 100), 'alice');
      expect(truncated.status).toBe(400);
      expect(((await truncated.json()) as { error: { message: string } }).error.message).toMatch(/^sitl_selections_2015-06-12-22-35-00\.sav is not a valid SITL selections file: VARIABLE record at offset \d+: the record runs to offset \d+, past the end of the file/);
      const noStart = writeIdlSave({ fomstr: idl.struct({ CYCLESTART: idl.ulong(start), NUMCYCLES: idl.long(60), STOP: idl.longArray([1]), FOM: idl.floatArray([5]) }) });
      expect(((await (await upload('sitl_selections_2015-06-12-22-35-00.sav', noStart, 'alice')).json()) as { error: { message: string } }).error.message).toBe('sitl_selections_2015-06-12-22-35-00.sav is not a valid SITL selections file: FOMSTR has no tag START');
      const elsewhere = await upload('sitl_selections_2015-06-12-22-35-00.sav', evaFile({ CYCLESTART: idl.ulong(start + 5) }), 'alice');
      expect(elsewhere.status).toBe(404);
      const drafts = await t.sdc.catalog.db.selectFrom('sitl_submissions').select('id').where('window_id', '=', window.id).execute();
      expect(drafts).toHaveLength(1);

      // Back-structure edits (bdm_sitl_changes, a super-SITL's): a new segment, then its FOM from 60 to 70.
      const row = (id: number, status: string, fom: number) => ({ ID: idl.string('0'), DATASEGMENTID: idl.long(id), STARTTIME: idl.ulong(start + 1000), ENDTIME: idl.ulong(start + 1090), FOM: idl.float(fom), STATUS: idl.string(status), SOURCE: idl.string('sam(EVA)'), OBSERVATORYID: idl.string('ALL') });
      const added = writeIdlSave({ fomstr: idl.structArray([{ ...row(-1, 'New', 60), DISCUSSION: idl.string('added in EVA') }]) });
      expect((await upload('bdm_sitl_changes2015-06-12-22-40-00.sav', added, 'alice')).status).toBe(403);
      const addition = await upload('bdm_sitl_changes2015-06-12-22-40-00.sav', added, 'sam');
      expect(addition.status).toBe(200);
      const { segmentIds } = (await addition.json()) as Outcome;
      const modified = await upload('bdm_sitl_changes_2015-06-12-22-41-00.sav', writeIdlSave({ fomstr: idl.structArray([row(segmentIds![0]!, 'Modified', 70)]) }), 'sam');
      expect(await modified.json()).toMatchObject({ result: 0, accepted: true, message: '1 back-structure edit(s) accepted' });
      const segments = ((await (await get(`/api/v1/sitl/segments?from=${start + 1000}&to=${start + 1010}`)).json()) as { segments: { id: number; fom: number; discussion: string }[] }).segments;
      expect(segments).toEqual([expect.objectContaining({ id: segmentIds![0], fom: 70, discussion: 'added in EVA' })]);

      // The final uplink from a file closes the window; the published selections are IDL SAVE too.
      const uplink = await upload('sitl_selections_2015-06-12-22-45-00.sav', evaFile({ ...edits, UPLINKFLAG: idl.long(1), EVALSTARTTIME: idl.ulong(start + 600) }), 'alice');
      expect(await uplink.json()).toMatchObject({ result: 0, accepted: true, message: `selections uplinked; window ${window.id} is closed` });
      const newestPublished = async () => {
        const newest = (await (await get(`${TEAM_FILES}/file_names/sitl_selections`, basic('alice'))).text()).split(',')[0]!.split('/').at(-1)!;
        const file = await get(`${TEAM_FILES}/download/sitl_selections?file=${newest}`, basic('alice'));
        return { name: newest, fomstr: file.ok ? (plainValue(readIdlSave(Buffer.from(await file.arrayBuffer())).variables.get('FOMSTR')!) as Record<string, unknown>) : {} };
      };
      await eventually(async () => (await newestPublished()).fomstr.UPLINKFLAG === 1);
      const { name, fomstr: published } = await newestPublished();
      expect(name).toMatch(/^sitl_selections_\d{4}(-\d{2}){5}\.sav$/);
      expect(published).toMatchObject({ CYCLESTART: start, UPLINKFLAG: 1, EVALSTARTTIME: start + 600, FOM: automated.FOM.map((f) => f + 5), SOURCEID: automated.FOM.map(() => 'alice(EVA)'), DISCUSSION: automated.FOM.map(() => 'edited in EVA') });
    });
  });
}

async function handledCount(t: TestSdc): Promise<number> {
  const row = await t.sdc.catalog.db.selectFrom('handled_messages').select((eb) => eb.fn.countAll<number>().as('n')).where('consumer', '=', 'sdc.mms.sitl-feeds').executeTakeFirstOrThrow();
  return Number(row.n);
}

async function eventually(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (await check()) return;
    await sleep(50);
  }
  throw new Error('the condition did not become true within 10 s');
}

async function waitForFiles(dir: string, count: number): Promise<string[]> {
  for (let i = 0; i < 100; i += 1) {
    const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => !f.startsWith('.')).sort();
    if (files.length >= count) return files;
    await sleep(100);
  }
  throw new Error(`fewer than ${count} files appeared in ${dir}`);
}

async function waitForDeadLetters(t: TestSdc, queue: string) {
  for (let i = 0; i < 150; i += 1) {
    const dead = await t.sdc.bus.takeDeadLetters(queue, 10);
    if (dead.length > 0) return dead;
    await sleep(100);
  }
  throw new Error(`no dead letter in ${queue}`);
}

/** A GET whose path is sent as written (raw `<` and `>`, as IDL sends them). */
function rawGet(baseUrl: string, pathAndQuery: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: pathAndQuery, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
