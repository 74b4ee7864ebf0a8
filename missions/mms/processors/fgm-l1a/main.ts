/**
 * Example MMS processor: FGM L0 telemetry -> L1A CDF. Reads the job file named by SDC_JOB_FILE,
 * decodes every packet of its inputs, and writes one L1A file per spacecraft and day into the
 * output folder, versioned v<interface>.<quality>.<revision> with the revision one past the
 * newest earlier output.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CdfWriter } from '../../../../src/cdf/index.js';
import { decodePackets } from '../../telemetry/ccsds-packet.js';
import { decodeFgmData, FGM_APID, SAMPLE_RATE } from '../../telemetry/fgm-science-packet.js';
import { taiToTt2000 } from '../../telemetry/tai-time.js';
import { nextVersion, type JobFileView } from '../job-file.js';

const INTERFACE = 1;
const QUALITY = 0;

const job = JSON.parse(await readFile(process.env.SDC_JOB_FILE ?? 'job.json', 'utf8')) as JobFileView;
const bySpacecraft = new Map<string, { epoch: bigint[]; counts: number[]; range: number[] }>();

for (const input of job.inputs.filter((i) => i.kind === 'telemetry')) {
  const spacecraft = input.name.slice(0, 4);
  const series = bySpacecraft.get(spacecraft) ?? { epoch: [], counts: [], range: [] };
  bySpacecraft.set(spacecraft, series);
  for (const packet of decodePackets(await readFile(input.path))) {
    if (packet.apid !== FGM_APID) continue;
    const { range, counts } = decodeFgmData(packet.data);
    for (let i = 0; i < counts.length / 3; i++) {
      series.epoch.push(taiToTt2000(packet.taiSeconds + i / SAMPLE_RATE));
      series.counts.push(counts[i * 3] ?? 0, counts[i * 3 + 1] ?? 0, counts[i * 3 + 2] ?? 0);
      series.range.push(range);
    }
  }
  console.log(`decoded ${series.epoch.length} samples from ${input.name}`);
}

const day = job.window.start.slice(0, 10).replaceAll('-', '');
for (const [spacecraft, series] of bySpacecraft) {
  const version = nextVersion(job.previousOutputs, `${spacecraft}_fgm_srvy_l1a_${day}`, INTERFACE, QUALITY);
  const name = `${spacecraft}_fgm_srvy_l1a_${day}_v${version}.cdf`;
  const writer = await CdfWriter.create(path.join(job.outputDir, name), {
    globalAttributes: {
      Project: 'STP>Solar-Terrestrial Physics',
      Source_name: `MMS${spacecraft.slice(3)}>MMS Satellite Number ${spacecraft.slice(3)}`,
      Discipline: 'Space Physics>Magnetospheric Science',
      Data_type: 'srvy_l1a>Survey Level 1A',
      Descriptor: 'FGM>Fluxgate Magnetometer',
      Data_version: version,
      Logical_file_id: name.replace(/\.cdf$/, ''),
      Logical_source: `${spacecraft}_fgm_srvy_l1a`,
      Logical_source_description: 'Raw fluxgate magnetometer counts, survey rate',
      PI_name: 'Example FGM team',
      PI_affiliation: 'Example institute',
      TEXT: 'Demonstration L1A product decoded from generated CCSDS telemetry.',
      Instrument_type: 'Magnetic Fields (space)',
      Mission_group: 'MMS',
      Generated_by: `${job.processor.name} ${job.processor.version}`,
      Parents: job.inputs.map((i) => i.name),
    },
    variables: [
      {
        name: 'Epoch', type: 'TIME_TT2000',
        attributes: { CATDESC: 'Sample time (TT2000)', FIELDNAM: 'Epoch', FILLVAL: -9223372036854775808n, VALIDMIN: 0n, VALIDMAX: 1_000_000_000_000_000_000n, UNITS: 'ns', VAR_TYPE: 'support_data', DISPLAY_TYPE: 'time_series', FORMAT: 'I20', LABLAXIS: 'Epoch' },
      },
      {
        name: `${spacecraft}_fgm_raw_srvy_l1a`, type: 'INT2', dims: [3], compression: { type: 'gzip', level: 6 },
        attributes: { CATDESC: 'Raw magnetic field counts (x, y, z)', DEPEND_0: 'Epoch', FIELDNAM: 'Raw B', FILLVAL: -32768, VALIDMIN: -32767, VALIDMAX: 32767, UNITS: 'counts', VAR_TYPE: 'data', DISPLAY_TYPE: 'time_series', FORMAT: 'I6', LABL_PTR_1: 'label_b' },
      },
      {
        name: `${spacecraft}_fgm_range_srvy_l1a`, type: 'UINT1',
        attributes: { CATDESC: 'Instrument range', DEPEND_0: 'Epoch', FIELDNAM: 'Range', FILLVAL: 255, VALIDMIN: 0, VALIDMAX: 3, UNITS: 'unitless', VAR_TYPE: 'support_data', DISPLAY_TYPE: 'time_series', FORMAT: 'I1', LABLAXIS: 'Range' },
      },
      {
        name: 'label_b', type: 'CHAR', dims: [3], numElems: 2, recordVarying: false,
        attributes: { CATDESC: 'Axis labels', FIELDNAM: 'Labels', VAR_TYPE: 'metadata', FORMAT: 'A2' },
      },
    ],
  });
  try {
    await writer.appendRecords('Epoch', BigInt64Array.from(series.epoch));
    await writer.appendRecords(`${spacecraft}_fgm_raw_srvy_l1a`, Int16Array.from(series.counts));
    await writer.appendRecords(`${spacecraft}_fgm_range_srvy_l1a`, Uint8Array.from(series.range));
    await writer.appendRecords('label_b', ['Bx', 'By', 'Bz']);
    await writer.close();
  } catch (error) {
    await writer.abort();
    throw error;
  }
  console.log(`wrote ${name} (${series.epoch.length} records)`);
}
