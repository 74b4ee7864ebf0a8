/**
 * What the example FGM processors share: reading the job file, the ISTP global attributes of an
 * MMS product, and writing a time series of vectors as an ISTP-compliant CDF.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CdfWriter, type VariableDefinition } from '../../../src/cdf/index.js';
import { nextVersion, type JobFileView } from './job-file.js';

export async function readJobFile(): Promise<JobFileView> {
  return JSON.parse(await readFile(process.env.SDC_JOB_FILE ?? 'job.json', 'utf8')) as JobFileView;
}

export interface VectorSeries {
  /** TT2000 times. */
  epoch: BigInt64Array;
  /** `components` values per record. */
  values: Float32Array;
  components: number;
}

export interface FgmProduct {
  job: JobFileView;
  spacecraft: string;
  mode: string;
  level: string;
  description: string;
  /** Interface and quality numbers of the version; the revision follows earlier outputs. */
  interfaceNumber: number;
  quality: number;
  variable: { suffix: string; catdesc: string; units: string; labels: string[]; validMax: number };
}

/** Writes `<sc>_fgm_<mode>_<level>_<day>_v<version>.cdf` into the job's output folder; returns its name. */
export async function writeFgmProduct(product: FgmProduct, series: VectorSeries): Promise<string> {
  const { job, spacecraft, mode, level } = product;
  const day = job.window.start.slice(0, 10).replaceAll('-', '');
  const version = nextVersion(job.previousOutputs, `${spacecraft}_fgm_${mode}_${level}_${day}`, product.interfaceNumber, product.quality);
  const name = `${spacecraft}_fgm_${mode}_${level}_${day}_v${version}.cdf`;
  const dataName = `${spacecraft}_fgm_${product.variable.suffix}_${mode}_${level}`;
  const labelName = `label_${product.variable.suffix}`;
  const width = Math.max(...product.variable.labels.map((l) => l.length));
  const variables: VariableDefinition[] = [
    {
      name: 'Epoch', type: 'TIME_TT2000',
      attributes: { CATDESC: 'Sample time (TT2000)', FIELDNAM: 'Epoch', FILLVAL: -9223372036854775808n, VALIDMIN: 0n, VALIDMAX: 1_000_000_000_000_000_000n, UNITS: 'ns', VAR_TYPE: 'support_data', DISPLAY_TYPE: 'time_series', FORMAT: 'I20', LABLAXIS: 'Epoch' },
    },
    {
      name: dataName, type: 'REAL4', dims: [series.components], compression: { type: 'gzip', level: 6 },
      attributes: { CATDESC: product.variable.catdesc, DEPEND_0: 'Epoch', FIELDNAM: product.variable.catdesc, FILLVAL: -1e31, VALIDMIN: -product.variable.validMax, VALIDMAX: product.variable.validMax, UNITS: product.variable.units, VAR_TYPE: 'data', DISPLAY_TYPE: 'time_series', FORMAT: 'F12.4', LABL_PTR_1: labelName },
    },
    {
      name: labelName, type: 'CHAR', dims: [series.components], numElems: width, recordVarying: false,
      attributes: { CATDESC: 'Component labels', FIELDNAM: 'Labels', VAR_TYPE: 'metadata', FORMAT: `A${width}` },
    },
  ];
  const writer = await CdfWriter.create(path.join(job.outputDir, name), { globalAttributes: globalAttributes(product, name, version), variables });
  try {
    await writer.appendRecords('Epoch', series.epoch);
    await writer.appendRecords(dataName, series.values);
    await writer.appendRecords(labelName, product.variable.labels.map((l) => l.padEnd(width)));
    await writer.close();
  } catch (error) {
    await writer.abort();
    throw error;
  }
  return name;
}

function globalAttributes(p: FgmProduct, name: string, version: string): Record<string, string | string[]> {
  const n = p.spacecraft.slice(3);
  return {
    Project: 'STP>Solar-Terrestrial Physics',
    Source_name: `MMS${n}>MMS Satellite Number ${n}`,
    Discipline: 'Space Physics>Magnetospheric Science',
    Data_type: `${p.mode}_${p.level}>${p.description}`,
    Descriptor: 'FGM>Fluxgate Magnetometer',
    Data_version: version,
    Logical_file_id: name.replace(/\.cdf$/, ''),
    Logical_source: `${p.spacecraft}_fgm_${p.mode}_${p.level}`,
    Logical_source_description: p.description,
    PI_name: 'Example FGM team',
    PI_affiliation: 'Example institute',
    TEXT: 'Demonstration product of the SDC example processing chain.',
    Instrument_type: 'Magnetic Fields (space)',
    Mission_group: 'MMS',
    // Parents, Software_version, Generated_by, Generation_date: as the SDC recorded them.
    ...p.job.provenanceAttributes,
  };
}
