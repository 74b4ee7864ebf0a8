/** An ISTP-compliant small CDF, as writer input, for the ISTP check tests to break one rule at a time. */
import type { CdfContent, VariableWithValues } from '../../../src/cdf/writer/index.js';

export const COMPLIANT_NAME = 'mms1_fgm_srvy_l2_20240101_v1.0.0';

const EPOCH_0 = 757339269184000000n;

/** A fresh copy each call, so tests can change it freely. */
export function compliantContent(): CdfContent & { variables: VariableWithValues[] } {
  return {
    globalAttributes: {
      Project: 'STP>Solar-Terrestrial Physics',
      Source_name: 'MMS1>MMS Satellite Number 1',
      Discipline: 'Space Physics>Magnetospheric Science',
      Data_type: 'srvy_l2',
      Descriptor: 'FGM>Flux Gate Magnetometer',
      Data_version: '1.0.0',
      Logical_file_id: COMPLIANT_NAME,
      PI_name: 'A. Person',
      PI_affiliation: 'Somewhere',
      TEXT: ['Magnetic field', 'from the fluxgate'],
      Instrument_type: 'Magnetic Fields (space)',
      Mission_group: 'MMS',
      Logical_source: 'mms1_fgm_srvy_l2',
      Logical_source_description: 'Survey magnetic field',
    },
    variables: [
      {
        name: 'Epoch',
        type: 'TIME_TT2000',
        values: BigInt64Array.from({ length: 5 }, (_, i) => EPOCH_0 + BigInt(i) * 1_000_000_000n),
        attributes: {
          CATDESC: 'Time tags',
          FIELDNAM: 'Time',
          FORMAT: 'A30',
          LABLAXIS: 'Epoch',
          UNITS: 'ns',
          FILLVAL: -(2n ** 63n),
          VALIDMIN: 0n,
          VALIDMAX: 946728069183999999n,
          VAR_TYPE: 'support_data',
          MONOTON: 'INCREASE',
        },
      },
      {
        name: 'b_gse',
        type: 'REAL4',
        dims: [3],
        values: new Float32Array(15).fill(1.5),
        attributes: {
          CATDESC: 'Magnetic field in GSE',
          DEPEND_0: 'Epoch',
          DISPLAY_TYPE: 'time_series',
          FIELDNAM: 'B GSE',
          FILLVAL: -1e31,
          FORMAT: 'E13.5',
          LABL_PTR_1: 'b_gse_label',
          UNITS: 'nT',
          VALIDMIN: [-1e5, -1e5, -1e5],
          VALIDMAX: [1e5, 1e5, 1e5],
          VAR_TYPE: 'data',
        },
      },
      {
        name: 'b_gse_label',
        type: 'CHAR',
        dims: [3],
        recordVarying: false,
        values: ['Bx', 'By', 'Bz'],
        attributes: { CATDESC: 'Labels of b_gse', FIELDNAM: 'Labels', FORMAT: 'A2', VAR_TYPE: 'metadata' },
      },
    ],
  };
}

/** The variable of that name in the content (it must exist). */
export function variableOf(content: CdfContent & { variables: VariableWithValues[] }, name: string): VariableWithValues & { attributes: Record<string, unknown> } {
  const variable = content.variables.find((v) => v.name === name)!;
  return variable as VariableWithValues & { attributes: Record<string, unknown> };
}
