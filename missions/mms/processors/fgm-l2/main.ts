/**
 * Example MMS processor: FGM L1B + definitive ephemeris -> L2 (GSE). The rotation from DMPA to
 * GSE here is a stand-in (about the orbit's phase from the ephemeris), enough to exercise the chain.
 */
import { openCdf } from '../../../../src/cdf/index.js';
import { interpolate, readAncillaryTable } from '../ancillary-table.js';
import { readJobFile, writeFgmProduct } from '../fgm-output.js';

const job = await readJobFile();
const l1b = job.inputs.find((i) => i.name.includes('_l1b_'));
const ephemerisFile = job.inputs.find((i) => i.kind === 'ancillary');
if (!l1b || !ephemerisFile) throw new Error('fgm-l2 needs an L1B file and a definitive ephemeris');
const spacecraft = l1b.name.slice(0, 4);
const ephemeris = await readAncillaryTable(ephemerisFile.path);
const cdf = openCdf(l1b.path);
const epoch = cdf.read('Epoch').values as BigInt64Array;
const b = cdf.read(`${spacecraft}_fgm_b_dmpa_srvy_l1b`).values as Float32Array;
cdf.close();
const out = new Float32Array(epoch.length * 4);
for (let i = 0; i < epoch.length; i++) {
  const [px = 1, py = 0] = interpolate(ephemeris, Number(epoch[i]));
  const phase = Math.atan2(py, px);
  const [x, y, z] = [b[i * 3]!, b[i * 3 + 1]!, b[i * 3 + 2]!];
  const gx = Math.cos(phase) * x - Math.sin(phase) * y;
  const gy = Math.sin(phase) * x + Math.cos(phase) * y;
  out.set([gx, gy, z, Math.hypot(x, y, z)], i * 4);
}
const name = await writeFgmProduct(
  {
    job, spacecraft, mode: 'srvy', level: 'l2', description: 'Level 2 magnetic field in GSE, survey rate', interfaceNumber: 4, quality: 18,
    variable: { suffix: 'b_gse', catdesc: 'Magnetic field in GSE coordinates and magnitude', units: 'nT', labels: ['Bx GSE', 'By GSE', 'Bz GSE', 'Bt'], validMax: 70000 },
  },
  { epoch, values: out, components: 4 },
);
console.log(`wrote ${name} with ephemeris ${ephemerisFile.name}`);
