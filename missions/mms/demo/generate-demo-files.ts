/**
 * The MMS demo adapter: makes a small, realistic set of arrivals for one day: Level 0 FGM
 * telemetry for the four spacecraft (CCSDS packets of a slowly rotating field), their definitive
 * attitude and ephemeris, an FGM calibration per spacecraft, and one misnamed file to show
 * quarantine at work.
 */
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DateTime } from 'luxon';
import { encodePacket } from '../telemetry/ccsds-packet.js';
import { encodeFgmData, FGM_APID, SAMPLE_RATE, SAMPLES_PER_PACKET } from '../telemetry/fgm-science-packet.js';
import { unixMsToTai } from '../telemetry/tai-time.js';

export interface DemoOptions {
  /** The day to simulate (YYYY-MM-DD). */
  day: string;
  /** Hours of telemetry from midnight (a full day by default). */
  hours?: number;
}

/** Writes the demo arrivals into `folder` and returns their paths. */
export async function generateDemoFiles(folder: string, options: DemoOptions): Promise<string[]> {
  const day = DateTime.fromISO(options.day, { zone: 'utc' });
  if (!day.isValid) throw new Error(`not a day: ${options.day}`);
  const files: string[] = [];
  for (const spacecraft of [1, 2, 3, 4]) {
    const name = `mms${spacecraft}_fgm_srvy_l0_${day.toFormat('yyyyMMdd')}_v0.0.0.dat`;
    files.push(await write(folder, name, telemetry(day.toMillis(), options.hours ?? 24, spacecraft)));
  }
  const doy = day.toFormat('yyyyooo');
  for (const spacecraft of [1, 2, 3, 4]) {
    files.push(await write(folder, `MMS${spacecraft}_DEFATT_${doy}_${doy}.V00`, attitude(day, spacecraft)));
    files.push(await write(folder, `MMS${spacecraft}_DEFEPH_${doy}_${doy}.V00`, ephemeris(day, spacecraft)));
    files.push(await write(folder, `mms${spacecraft}_fgm_cal_${day.minus({ days: 30 }).toFormat('yyyyMMdd')}_v1.0.0.json`, calibration(spacecraft, 1)));
  }
  files.push(await write(folder, `mms1_fgm_srvy_l0_${day.toFormat('yyyy-MM-dd')}.dat`, new Uint8Array([1, 2, 3])));
  return files;
}

async function write(folder: string, name: string, bytes: Uint8Array | string): Promise<string> {
  const file = path.join(folder, name);
  // Written under a temporary name and renamed, as the MOC delivers: the watcher never sees half a file.
  await writeFile(`${file}.part`, bytes);
  await rename(`${file}.part`, file);
  return file;
}

function telemetry(startMs: number, hours: number, spacecraft: number): Uint8Array {
  const packets: Uint8Array[] = [];
  const seconds = hours * 3600;
  for (let t = 0, seq = 0; t < seconds; t += SAMPLES_PER_PACKET / SAMPLE_RATE, seq++) {
    const counts = new Int16Array(SAMPLES_PER_PACKET * 3);
    for (let i = 0; i < SAMPLES_PER_PACKET; i++) {
      const phase = (2 * Math.PI * (t + i / SAMPLE_RATE)) / 5400 + spacecraft * 0.05;
      counts[i * 3] = Math.round(8000 * Math.sin(phase));
      counts[i * 3 + 1] = Math.round(8000 * Math.cos(phase));
      counts[i * 3 + 2] = Math.round(2000 * Math.sin(2 * phase) + 100 * spacecraft);
    }
    const data = encodeFgmData({ range: 1, counts });
    packets.push(encodePacket({ apid: FGM_APID, sequenceCount: seq, taiSeconds: unixMsToTai(startMs + t * 1000), data }));
  }
  return Buffer.concat(packets);
}

function ephemeris(day: DateTime, spacecraft: number): string {
  return table(day, 'Definitive ephemeris (demo): time (UTC), X, Y, Z (km, GSE)', (a) => [70000 * Math.cos(a + spacecraft * 0.001), 70000 * Math.sin(a + spacecraft * 0.001), 5000]);
}

function attitude(day: DateTime, spacecraft: number): string {
  return table(day, 'Definitive attitude (demo): time (UTC), spin phase (deg), RA, Dec of the spin axis (deg)', (a) => [(a * 180) / Math.PI + spacecraft, 270.5, -89.8]);
}

/** An FGM calibration (demo): gain and offset per axis, and the scale of one count. */
export function calibration(spacecraft: number, gain: number): string {
  return JSON.stringify({ gain: [gain, gain * 1.01, gain * 0.99], offset: [spacecraft, -spacecraft, 0], nTPerCount: 0.01 }, null, 2) + '\n';
}

function table(day: DateTime, header: string, row: (angle: number) => number[]): string {
  const lines = [header];
  for (let minute = 0; minute <= 1440; minute += 60) {
    const t = day.plus({ minutes: minute });
    lines.push(`${t.toISO({ suppressMilliseconds: true })} ${row((2 * Math.PI * minute) / 1440).map((v) => v.toFixed(3)).join(' ')}`);
  }
  return lines.join('\n') + '\n';
}
