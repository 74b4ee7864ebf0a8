import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkIstpFile, type IstpReport } from '../../../src/cdf/istp/index.js';
import { writeCdf, type CdfContent, type VariableWithValues } from '../../../src/cdf/writer/index.js';
import { COMPLIANT_NAME, compliantContent, variableOf } from './istp-content.js';

const dir = mkdtempSync(path.join(tmpdir(), 'cdf-istp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Content = CdfContent & { variables: VariableWithValues[] };
let counter = 0;

/** Writes the compliant content after `change`, under the compliant name, and checks it. */
async function check(change: (content: Content) => void = () => undefined, name = COMPLIANT_NAME): Promise<IstpReport> {
  const content = compliantContent();
  change(content);
  const sub = path.join(dir, String(counter++));
  mkdirSync(sub);
  const file = path.join(sub, `${name}.cdf`);
  await writeCdf(file, content);
  return checkIstpFile(file);
}

function summary(report: IstpReport) {
  return report.findings.map((f) => ({ severity: f.severity, rule: f.rule, variable: f.variable, attribute: f.attribute }));
}

describe('checkIstp', () => {
  it('finds nothing in a compliant file', async () => {
    const report = await check();
    expect(report.findings).toEqual([]);
    expect(report).toMatchObject({ passed: true, errorCount: 0, warningCount: 0 });
  });

  it('reports each missing or empty required global attribute, with a hint on case', async () => {
    const report = await check((c) => {
      const globals = c.globalAttributes as Record<string, unknown>;
      delete globals.PI_name;
      globals.pi_affiliation = globals.PI_affiliation;
      delete globals.PI_affiliation;
      globals.TEXT = ['', ' '];
    });
    expect(summary(report)).toEqual([
      { severity: 'error', rule: 'required-global-attribute', attribute: 'PI_name', variable: undefined },
      { severity: 'error', rule: 'required-global-attribute', attribute: 'PI_affiliation', variable: undefined },
      { severity: 'error', rule: 'required-global-attribute', attribute: 'TEXT', variable: undefined },
    ]);
    expect(report.findings[1]!.message).toContain('there is "pi_affiliation"');
    expect(report.passed).toBe(false);
  });

  it('reports a Logical_file_id that is not the file name', async () => {
    const report = await check(undefined, 'mms1_fgm_srvy_l2_20240101_v1.0.1');
    expect(summary(report)).toEqual([{ severity: 'error', rule: 'logical-file-id', attribute: 'Logical_file_id', variable: undefined }]);
    expect(report.findings[0]!.message).toContain(`"${COMPLIANT_NAME}"`);
  });

  it('reports attributes required of every variable, and of data variables', async () => {
    const report = await check((c) => {
      delete variableOf(c, 'b_gse').attributes.CATDESC;
      delete variableOf(c, 'b_gse').attributes.DISPLAY_TYPE;
      delete variableOf(c, 'b_gse').attributes.LABL_PTR_1;
      delete variableOf(c, 'b_gse').attributes.DEPEND_0;
      delete variableOf(c, 'b_gse_label').attributes.FORMAT;
    });
    expect(summary(report).map((f) => [f.variable, f.attribute])).toEqual([
      ['b_gse', 'CATDESC'],
      ['b_gse', 'DEPEND_0'],
      ['b_gse', 'DISPLAY_TYPE'],
      ['b_gse', 'LABLAXIS'],
      ['b_gse_label', 'FORMAT'],
    ]);
    expect(report.findings.every((f) => f.severity === 'error' && f.rule === 'required-variable-attribute')).toBe(true);
  });

  it('requires FILLVAL, VALIDMIN and VALIDMAX of record-varying support data, not of NRV metadata', async () => {
    const report = await check((c) => {
      const epoch = variableOf(c, 'Epoch').attributes;
      delete epoch.VALIDMIN;
      delete epoch.FILLVAL;
    });
    expect(summary(report).map((f) => [f.variable, f.attribute])).toEqual([
      ['Epoch', 'FILLVAL'],
      ['Epoch', 'VALIDMIN'],
    ]);
  });

  it('takes FORM_PTR for FORMAT and UNIT_PTR for UNITS, and warns about LABLAXIS next to LABL_PTR_1', async () => {
    const report = await check((c) => {
      const b = variableOf(c, 'b_gse').attributes;
      delete b.FORMAT;
      delete b.UNITS;
      b.FORM_PTR = 'b_gse_label';
      b.UNIT_PTR = 'b_gse_label';
      b.LABLAXIS = 'B';
    });
    expect(summary(report)).toEqual([{ severity: 'warning', rule: 'required-variable-attribute', variable: 'b_gse', attribute: 'LABLAXIS' }]);
    expect(report.passed).toBe(true);
  });

  it('reports a missing or unknown VAR_TYPE', async () => {
    const report = await check((c) => {
      delete variableOf(c, 'b_gse_label').attributes.VAR_TYPE;
      variableOf(c, 'b_gse').attributes.VAR_TYPE = 'science';
    });
    expect(summary(report)).toEqual([
      { severity: 'error', rule: 'var-type', variable: 'b_gse', attribute: 'VAR_TYPE' },
      { severity: 'error', rule: 'required-variable-attribute', variable: 'b_gse_label', attribute: 'VAR_TYPE' },
    ]);
  });

  it('reports FILLVAL, VALIDMIN and VALIDMAX of another type than the variable (an alias only warns)', async () => {
    const report = await check((c) => {
      const b = variableOf(c, 'b_gse').attributes;
      b.FILLVAL = { type: 'DOUBLE', value: -1e31 };
      b.VALIDMIN = { type: 'FLOAT', value: [-1e5, -1e5, -1e5] };
      variableOf(c, 'Epoch').attributes.VALIDMAX = { type: 'INT8', value: 946728069183999999n };
    });
    expect(summary(report)).toEqual([
      { severity: 'error', rule: 'attribute-data-type', variable: 'Epoch', attribute: 'VALIDMAX' },
      { severity: 'error', rule: 'attribute-data-type', variable: 'b_gse', attribute: 'FILLVAL' },
      { severity: 'warning', rule: 'attribute-data-type', variable: 'b_gse', attribute: 'VALIDMIN' },
    ]);
    expect(report.findings[1]!.message).toBe('b_gse: FILLVAL is DOUBLE but the variable is REAL4');
  });

  it('reports DEPEND_i and LABL_PTR_i that name no variable', async () => {
    const report = await check((c) => {
      const b = variableOf(c, 'b_gse').attributes;
      b.DEPEND_1 = 'b_gse_component';
      b.LABL_PTR_1 = 'b_label';
    });
    expect(summary(report)).toEqual([
      { severity: 'error', rule: 'variable-pointer', variable: 'b_gse', attribute: 'LABL_PTR_1' },
      { severity: 'error', rule: 'variable-pointer', variable: 'b_gse', attribute: 'DEPEND_1' },
    ]);
    expect(report.findings[1]!.message).toContain('"b_gse_component"');
  });

  it('reports a DEPEND_0 that decreases as an error', async () => {
    const report = await check((c) => {
      const epoch = variableOf(c, 'Epoch').values as BigInt64Array;
      epoch[3] = epoch[1]! - 1n;
    });
    expect(summary(report)).toEqual([{ severity: 'error', rule: 'depend0-monotonic', variable: 'Epoch', attribute: undefined }]);
    expect(report.findings[0]!.message).toContain('decreases at record 3');
  });

  it('warns about a DEPEND_0 that repeats a value', async () => {
    const report = await check((c) => {
      const epoch = variableOf(c, 'Epoch').values as BigInt64Array;
      epoch[2] = epoch[1]!;
    });
    expect(summary(report)).toEqual([{ severity: 'warning', rule: 'depend0-monotonic', variable: 'Epoch', attribute: undefined }]);
    expect(report.passed).toBe(true);
  });
});
