/** Example MMS processor: FGM L1A + calibration + definitive attitude -> L1B (nT, DMPA). */
import { readFile } from 'node:fs/promises';
import { openCdf } from '../../../../src/cdf/index.js';
import { interpolate, readAncillaryTable } from '../ancillary-table.js';
import { readJobFile, writeFgmProduct } from '../fgm-output.js';

interface Calibration {
  gain: [number, number, number];
  offset: [number, number, number];
  nTPerCount: number;
}

const job = await readJobFile();
const l1a = job.inputs.find((i) => i.name.includes('_l1a_'));
const attitude = job.inputs.find((i) => i.kind === 'ancillary');
const calibrationFile = job.inputs.find((i) => i.kind === 'calibration');
if (!l1a || !attitude || !calibrationFile) throw new Error('fgm-l1b needs an L1A file, a definitive attitude and a calibration');
const calibration = JSON.parse(await readFile(calibrationFile.path, 'utf8')) as Calibration;
const spinAxis = await readAncillaryTable(attitude.path);
const spacecraft = l1a.name.slice(0, 4);

const cdf = openCdf(l1a.path);
const epoch = cdf.read('Epoch').values as BigInt64Array;
const raw = cdf.read(`${spacecraft}_fgm_raw_srvy_l1a`).values as Int16Array;
cdf.close();

const b = new Float32Array(epoch.length * 3);
for (let i = 0; i < epoch.length; i++) {
  const [phase = 0] = interpolate(spinAxis, Number(epoch[i]));
  const cal = [0, 1, 2].map((k) => (raw[i * 3 + k]! - calibration.offset[k]!) * calibration.gain[k]! * calibration.nTPerCount);
  const c = Math.cos((phase * Math.PI) / 180);
  const s = Math.sin((phase * Math.PI) / 180);
  b[i * 3] = c * cal[0]! - s * cal[1]!;
  b[i * 3 + 1] = s * cal[0]! + c * cal[1]!;
  b[i * 3 + 2] = cal[2]!;
}
const name = await writeFgmProduct(
  {
    job, spacecraft, mode: 'srvy', level: 'l1b', description: 'Calibrated magnetic field, despun (DMPA), survey rate', interfaceNumber: 1, quality: 0,
    variable: { suffix: 'b_dmpa', catdesc: 'Magnetic field in DMPA coordinates', units: 'nT', labels: ['Bx DMPA', 'By DMPA', 'Bz DMPA'], validMax: 70000 },
  },
  { epoch, values: b, components: 3 },
);
console.log(`wrote ${name} with calibration ${calibrationFile.name} and attitude ${attitude.name}`);
