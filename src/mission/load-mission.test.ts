import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMission, MissionConfigError } from './load-mission.js';

const TINY = 'test/fixtures/missions/tiny';

async function missionWith(edit: (yaml: string) => string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sdc-mission-'));
  await writeFile(path.join(dir, 'mission.yaml'), edit(await readFile(path.join(TINY, 'mission.yaml'), 'utf8')));
  return dir;
}

describe('loadMission', () => {
  it('loads a mission with its own grammar and parses its names', async () => {
    const mission = await loadMission(TINY);
    expect(mission.grammar.parse('TINY-T2-MAG-CAL-2020-02-29-R12.txt')).toMatchObject({
      spacecraft: 't2', instrument: 'mag', level: 'cal', product: 't2-mag-cal', version: [12], storeKey: '2020/t2/cal/TINY-T2-MAG-CAL-2020-02-29-R12.txt',
    });
  });

  it('lists every schema problem with its key and the file', async () => {
    const dir = await missionWith((y) => y.replace('spacecraft: [t1, t2]', 'spacecraft: []').replace('levels: [raw, cal]', 'levels: [Raw]'));
    const error = await loadMission(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissionConfigError);
    expect((error as MissionConfigError).problems).toEqual(expect.arrayContaining([expect.stringMatching(/^spacecraft:/), expect.stringMatching(/^levels\.0:/)]));
    expect((error as Error).message).toContain(path.join(dir, 'mission.yaml'));
  });

  it('refuses a pattern with an unknown group, a template using an uncaptured field, and an example that does not parse', async () => {
    const dir = await missionWith((y) => y.replace('(?<instrument>', '(?<sensor>').replace('example: TINY-T1-MAG-RAW-2020-02-29-R3.txt', 'example: nope.txt'));
    const error = (await loadMission(dir).catch((e: unknown) => e)) as MissionConfigError;
    expect(error.problems).toEqual(expect.arrayContaining([expect.stringMatching(/unknown group 'sensor'/), expect.stringMatching(/template uses '\{instrument\}'/)]));
    const dir2 = await missionWith((y) => y.replace('example: TINY-T1-MAG-RAW-2020-02-29-R3.txt', 'example: nope.txt'));
    const error2 = (await loadMission(dir2).catch((e: unknown) => e)) as MissionConfigError;
    expect(error2.problems).toEqual([expect.stringMatching(/example does not parse/)]);
  });

  it('parses names without a time in a kind with a fixedStart, and refuses a kind with neither a start group nor a fixedStart', async () => {
    const timeless = `  - id: model
    description: 'models valid for the whole mission, e.g. TINY-MAG-MODEL-R2.cdf'
    pattern: '^TINY-(?<instrument>[A-Z]+)-MODEL-R(?<version>[0-9]+)\\.cdf$'
    example: TINY-MAG-MODEL-R2.cdf
    caseInsensitive: true
    fixedStart: '2020-01-01'
    productTemplate: '{instrument}-model'
    directory:
      - { path: 'models/{instrument}' }
processing:`;
    const mission = await loadMission(await missionWith((y) => y.replace('processing:', () => timeless)));
    const parsed = mission.grammar.parse('TINY-MAG-MODEL-R2.cdf');
    expect(parsed).toMatchObject({ kind: 'model', product: 'mag-model', version: [2], storeKey: 'models/mag/TINY-MAG-MODEL-R2.cdf' });
    expect(parsed.start.toISOString()).toBe('2020-01-01T00:00:00.000Z');
    expect(parsed.end).toEqual(parsed.start);
    const error = (await loadMission(await missionWith((y) => y.replace('processing:', () => timeless.replace("    fixedStart: '2020-01-01'\n", '')))).catch((e: unknown) => e)) as MissionConfigError;
    expect(error.problems).toEqual(expect.arrayContaining([expect.stringMatching(/needs a 'start' group \(or the kind a fixedStart\)/)]));
  });

  it('refuses a missing or unreadable mission file', async () => {
    await expect(loadMission(path.join(os.tmpdir(), 'no-such-mission'))).rejects.toThrow(/cannot read or parse/);
  });
});
