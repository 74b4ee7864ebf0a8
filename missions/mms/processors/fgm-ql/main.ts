/** Example MMS processor: FGM L1B -> QuickLook (field and magnitude, DMPA). */
import { openCdf } from '../../../../src/cdf/index.js';
import { readJobFile, writeFgmProduct } from '../fgm-output.js';

const job = await readJobFile();
const l1b = job.inputs.find((i) => i.name.includes('_l1b_'));
if (!l1b) throw new Error('fgm-ql needs an L1B file');
const spacecraft = l1b.name.slice(0, 4);
const cdf = openCdf(l1b.path);
const epoch = cdf.read('Epoch').values as BigInt64Array;
const b = cdf.read(`${spacecraft}_fgm_b_dmpa_srvy_l1b`).values as Float32Array;
cdf.close();
const out = new Float32Array(epoch.length * 4);
for (let i = 0; i < epoch.length; i++) {
  const [x, y, z] = [b[i * 3]!, b[i * 3 + 1]!, b[i * 3 + 2]!];
  out.set([x, y, z, Math.hypot(x, y, z)], i * 4);
}
const name = await writeFgmProduct(
  {
    job, spacecraft, mode: 'srvy', level: 'ql', description: 'QuickLook magnetic field, survey rate', interfaceNumber: 1, quality: 0,
    variable: { suffix: 'b_dmpa', catdesc: 'Magnetic field in DMPA coordinates and magnitude', units: 'nT', labels: ['Bx DMPA', 'By DMPA', 'Bz DMPA', 'Bt'], validMax: 70000 },
  },
  { epoch, values: out, components: 4 },
);
console.log(`wrote ${name}`);
