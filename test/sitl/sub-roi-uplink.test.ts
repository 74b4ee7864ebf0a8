/**
 * Sub-regions of interest (SROIs): the POC's mission events arrive as a file drop, are stored and
 * served as the legacy events CSV (`mms_events_view.csv`, as pySPEDAS, pymms and IDL query it),
 * and the final uplink is checked against them: the close time may not be within a sub-ROI
 * (error), a sub-ROI before the close left without selections needs the SITL's confirmation.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEvents } from '../../missions/mms/sitl/poc-events.js';
import { TeamAccounts } from '../../src/api/access/team-accounts.js';
import { waitUntilQuiet } from '../../src/app/wait-until-quiet.js';
import { loadMission } from '../../src/mission/load-mission.js';
import { validateSelections, type WindowFrame } from '../../src/sitl/selection-validation.js';
import type { MissionEvent, Selection } from '../../src/sitl/sitl-types.js';
import { dateToTai } from '../../src/sitl/tai-seconds.js';
import { backends } from '../support/backends.js';
import { startTestSdc, type TestSdc } from '../support/test-sdc.js';

const limits = (await loadMission('missions/mms')).config.sitl!.validation;
/** 2015-06-12T18:20:05 UTC; the window is an hour of 10-s cycles, to 19:20:05. */
const START = 1812824440;
const END = START + 3600;
const frame: WindowFrame = { cycleStart: START, numCycles: 360, cycleSeconds: 10, automated: [] };
const utc = (iso: string) => dateToTai(new Date(`${iso}Z`));
const sel = (start: number, stop: number): Selection => ({ start, stop, fom: 120, sourceId: 'alice(EVA)', discussion: '' });
const sroi = (id: number, spacecraft: string, start: string, end: string): MissionEvent => ({
  id, eventType: 'SROI', spacecraft, source: 'POC', start: new Date(`${start}Z`), end: new Date(`${end}Z`), description: '', discussion: '', startOrbit: 101, endOrbit: 101, tag: '',
});
/** One sub-ROI inside the window (18:50-19:00, told for each spacecraft), one after it (19:30-20:00). */
const SUB_ROIS = [...['mms1', 'mms2', 'mms3', 'mms4'].map((sc, i) => sroi(5001 + i, sc, '2015-06-12T18:50:00', '2015-06-12T19:00:00')), sroi(5005, 'mms1', '2015-06-12T19:30:00', '2015-06-12T20:00:00')];
const uplinkRules = (selections: Selection[], closeTai: number) => validateSelections({ frame, selections, limits, existing: [], uplink: { closeTai, subRois: SUB_ROIS } });

describe('the sub-ROI checks of the uplink', () => {
  it('refuses a close time within a sub-ROI, both ends included', () => {
    const expected = { severity: 'error', rule: 'close-in-sub-roi', message: 'the window close 2015-06-12 19:40:00 is within the sub-ROI 2015-06-12 19:30:00 to 2015-06-12 20:00:00 (mms1): the close time may not be within a sub-ROI' };
    expect(uplinkRules([sel(200, 229)], utc('2015-06-12T19:40:00'))).toContainEqual(expected);
    for (const close of ['2015-06-12T19:30:00', '2015-06-12T20:00:00']) expect(uplinkRules([sel(200, 229)], utc(close)).map((m) => m.rule)).toContain('close-in-sub-roi');
    expect(uplinkRules([sel(200, 229)], utc('2015-06-12T20:00:01')).map((m) => m.rule)).not.toContain('close-in-sub-roi');
  });

  it('asks for confirmation of a sub-ROI before the close without selections, once for all its spacecraft', () => {
    expect(uplinkRules([sel(10, 29)], END)).toEqual([
      { severity: 'confirm', rule: 'empty-sub-roi', message: 'the sub-ROI 2015-06-12 18:50:00 to 2015-06-12 19:00:00 (mms1, mms2, mms3, mms4) has no selections; confirm to uplink without them' },
    ]);
  });

  it('is satisfied by a selection meeting the sub-ROI, and ignores sub-ROIs after the close', () => {
    // Cycles 170-189 are 18:48:25 to 18:51:45: they meet the sub-ROI.
    expect(uplinkRules([sel(170, 189)], END)).toEqual([]);
    // Closing at 18:45 leaves the 18:50 sub-ROI to the next window.
    expect(uplinkRules([sel(10, 29)], utc('2015-06-12T18:45:00'))).toEqual([]);
  });

  it('applies to the uplink only, not to drafts', () => {
    expect(validateSelections({ frame, selections: [sel(10, 29)], limits, existing: [] })).toEqual([]);
  });
});

describe('the MMS events file from the POC', () => {
  const HEADER = 'start_time_utc,end_time_utc,event_type,sc_id,source,description,discussion,start_orbit,end_orbit,tag,id';
  it('reads the columns of mms_events_view.csv, quoted fields with commas, empty orbits', () => {
    expect(parseEvents(`${HEADER}\n2015-06-12T18:50:00.000,2015-06-12T19:00:00.000,SROI,MMS1,POC,"sub-ROI 1, ""magnetopause""",,101,,,5001\n`)).toEqual([
      { id: 5001, eventType: 'SROI', spacecraft: 'mms1', source: 'POC', start: new Date('2015-06-12T18:50:00Z'), end: new Date('2015-06-12T19:00:00Z'), description: 'sub-ROI 1, "magnetopause"', discussion: '', startOrbit: 101, endOrbit: null, tag: '' },
    ]);
  });

  it('says which line is wrong', () => {
    expect(() => parseEvents(`${HEADER}\n2015-06-12T19:00:00,2015-06-12T18:50:00,SROI,mms1,POC,,,1,1,,1\n`)).toThrow('line 2: end_time_utc is before start_time_utc');
    expect(() => parseEvents(`${HEADER}\n2015-06-12T18:50:00,2015-06-12T19:00:00,SROI,mms7,POC,,,1,1,,1\n`)).toThrow("line 2: unknown spacecraft 'mms7'");
    expect(() => parseEvents('start_time_utc,end_time_utc,event_type\n')).toThrow('line 1: the header lacks id');
    expect(() => parseEvents(`${HEADER}\n2015-06-12T18:50:00,2015-06-12T19:00:00,SROI,mms1,POC,"open,,1,1,,1\n`)).toThrow('line 2: a quoted field is not closed');
  });
});

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`SROIs from the POC on ${backend.name}`, () => {
    let t: TestSdc;
    let baseUrl: string;
    let drop: string;
    const handled = async () => Number((await t.sdc.catalog.db.selectFrom('handled_messages').select((eb) => eb.fn.countAll<number>().as('n')).where('consumer', '=', 'sdc.mms.sitl-feeds').executeTakeFirstOrThrow()).n);
    const dropFile = async (name: string, content: string) => {
      const before = await handled();
      await writeFile(path.join(drop, name), content);
      await waitUntilQuiet(t.sdc, { timeoutMs: 30_000, settleMs: 100 });
      for (let i = 0; i < 200 && (await handled()) <= before; i += 1) await sleep(50);
    };
    const csv = async (query: string) => (await fetch(`${baseUrl}/mms/sdc/public/service/latis/mms_events_view.csv?${query}`)).text();
    const post = (p: string, body: unknown) => fetch(baseUrl + p, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from('alice:alice-pass').toString('base64')}` }, body: JSON.stringify(body) });

    beforeAll(async () => {
      t = await startTestSdc(backend, { mission: path.resolve('missions/mms') });
      baseUrl = await t.sdc.startApi();
      drop = path.join(t.dataDir, 'drop');
      await mkdir(drop, { recursive: true });
      await t.sdc.startDropFolder();
      await t.sdc.startSitl();
      const accounts = new TeamAccounts(t.sdc.catalog.db, 'mms');
      await accounts.createUser('alice', 'alice-pass');
      await accounts.grantRole('alice', 'sitl');
      const rows = ['start_time_utc,end_time_utc,event_type,sc_id,source,description,discussion,start_orbit,end_orbit,tag,id'];
      for (const [i, sc] of ['mms3', 'mms1', 'mms2', 'mms4'].entries()) rows.push(`2015-06-12T18:50:00.000,2015-06-12T19:00:00.000,SROI,${sc},POC,"sub-ROI 1, magnetopause",,101,101,,${5001 + i}`);
      rows.push('2015-06-12T19:30:00.000,2015-06-12T20:00:00.000,SROI,mms1,POC,sub-ROI 2,,101,101,,5005');
      rows.push('2015-06-12T12:00:00.000,2015-06-13T00:00:00.000,orbit,mms1,Timeline,orbit 101,,101,101,,6001');
      await dropFile('mms_events_20150612180000.csv', `${rows.join('\n')}\n`);
      const metadata = ['SC_ID,TAITIMESTAMP,DATASEGMENTID,CDQ,MDQ'];
      for (let i = 0; i < 360; i += 1) metadata.push(`mms1,${START + i * 10},,${i >= 100 && i < 120 ? 150 : 0},${i >= 100 && i < 120 ? 150 : 0}`);
      await dropFile('mms_burst_metadata_20150612182005_20150612192005.csv', `${metadata.join('\n')}\n`);
    }, 120_000);
    afterAll(async () => {
      await t?.close();
    });

    it('serves the sub-ROIs as pySPEDAS asks for them: a month of one spacecraft, in start order, sc_id in any case', async () => {
      const query = 'start_time_utc,end_time_utc,sc_id,start_orbit&event_type=SROI&start_time_utc>=2015-06-01T00:00:00&start_time_utc<2015-07-01T00:00:00&sc_id=';
      const mms1 = 'start_time_utc,end_time_utc,sc_id,start_orbit\n2015-06-12T18:50:00.000,2015-06-12T19:00:00.000,mms1,101\n2015-06-12T19:30:00.000,2015-06-12T20:00:00.000,mms1,101\n';
      expect(await csv(`${query}mms1`)).toBe(mms1);
      expect(await csv(`${query}MMS1`)).toBe(mms1);
      expect(await csv(`${query}mms9`)).toBe('start_time_utc,end_time_utc,sc_id,start_orbit\n');
      expect(await csv('start_time_utc,end_time_utc,sc_id,start_orbit&event_type=SROI&start_time_utc>=2015-07-01T00:00:00')).toBe('start_time_utc,end_time_utc,sc_id,start_orbit\n');
    });

    it('serves every column and the mission events as pymms filters them (source, orbit, end time)', async () => {
      const all = await csv('start_time_utc>=2015-06-12&end_time_utc<=2015-06-13&start_orbit>=101&end_orbit<=101&sc_id=mms1&source=Timeline&event_type=orbit');
      expect(all).toBe('start_time_utc,end_time_utc,event_type,sc_id,source,description,discussion,start_orbit,end_orbit,tag,id\n2015-06-12T12:00:00.000,2015-06-13T00:00:00.000,orbit,mms1,Timeline,orbit 101,,101,101,,6001\n');
      const quoted = await csv('description,id&event_type=SROI&sc_id=mms2');
      expect(quoted).toBe('description,id\n"sub-ROI 1, magnetopause",5003\n');
      const bad = await fetch(`${baseUrl}/mms/sdc/public/service/latis/mms_events_view.csv?nope=1`);
      expect(bad.status).toBe(400);
    });

    it('dead-letters an events file that does not parse and keeps the events as they were', async () => {
      await writeFile(path.join(drop, 'mms_events_20150612190000.csv'), 'start_time_utc,end_time_utc,event_type,sc_id,id\n2015-06-12T19:00:00,2015-06-12T18:00:00,SROI,mms1,5001\n');
      let dead: { reason: string }[] = [];
      for (let i = 0; i < 150 && dead.length === 0; i += 1) {
        dead = await t.sdc.bus.takeDeadLetters('sdc.mms.sitl-feeds', 10);
        if (dead.length === 0) await sleep(100);
      }
      expect(dead[0]!.reason).toContain('mms_events_20150612190000.csv is not a valid poc-events file: line 2: end_time_utc is before start_time_utc');
      expect(await csv('id,start_time_utc&id=5001')).toBe('id,start_time_utc\n5001,2015-06-12T18:50:00.000\n');
    });

    it('refuses an uplink closing within a sub-ROI, and one leaving a sub-ROI empty until the SITL confirms', async () => {
      const id = (await t.sdc.catalog.db.selectFrom('sitl_windows').select('id').where('cycle_start', '=', START).executeTakeFirstOrThrow()).id;
      const url = `/api/v1/sitl/windows/${id}/submissions`;
      const selections = [{ start: 98, stop: 121, fom: 140 }];
      const inside = await post(url, { selections, uplink: true, closeTai: utc('2015-06-12T19:40:00') });
      expect(inside.status).toBe(422);
      expect(await inside.json()).toMatchObject({ result: 1, needs: 'fix-errors', messages: expect.arrayContaining([expect.objectContaining({ severity: 'error', rule: 'close-in-sub-roi' })]) });
      const empty = await post(url, { selections, uplink: true, closeTai: END });
      expect(empty.status).toBe(422);
      expect(await empty.json()).toMatchObject({ result: 1, needs: 'confirmation', messages: [{ severity: 'confirm', rule: 'empty-sub-roi', message: 'the sub-ROI 2015-06-12 18:50:00 to 2015-06-12 19:00:00 (mms1, mms2, mms3, mms4) has no selections; confirm to uplink without them' }] });
      const confirmed = await post(url, { selections, uplink: true, closeTai: END, confirm: true });
      expect(confirmed.status).toBe(201);
    });
  });
}
