import { isCdfTimeType } from '../model/cdf-data-type.js';
import type { CdfTimeRange } from '../model/cdf-metadata.js';
import type { CdfValues } from '../model/cdf-values.js';
import type { CdfVariableInfo } from '../model/cdf-variable-info.js';
import { epoch16ToIso, epoch16ToUnixMs, epochToIso, epochToUnixMs, EPOCH_FILL } from '../time/epoch-converter.js';
import type { LeapSecondTable } from '../time/leap-second-table.js';
import { tt2000ToIso, tt2000ToUnixMs } from '../time/tt2000-converter.js';

/**
 * The file's time variable: the DEPEND_0 most data variables name, else a time-typed variable
 * called `Epoch` (any case), else the first record-varying time-typed variable.
 */
export function findTimeVariable(variables: readonly CdfVariableInfo[]): CdfVariableInfo | undefined {
  const byName = new Map(variables.map((v) => [v.name, v]));
  const isTime = (v: CdfVariableInfo | undefined): v is CdfVariableInfo => !!v && isCdfTimeType(v.type) && v.recordCount > 0;
  const votes = new Map<string, number>();
  for (const variable of variables) {
    const depend = variable.attributes['DEPEND_0']?.value;
    if (typeof depend === 'string' && isTime(byName.get(depend.trim()))) {
      votes.set(depend.trim(), (votes.get(depend.trim()) ?? 0) + 1);
    }
  }
  const [voted] = [...votes.entries()].sort((a, b) => b[1] - a[1])[0] ?? [];
  if (voted) return byName.get(voted);
  return variables.find((v) => isTime(v) && v.name.toLowerCase() === 'epoch') ?? variables.find((v) => isTime(v) && v.recordVariance);
}

/** The time range from the first and last values of a time variable (one value per record). */
export function timeRangeOf(variable: CdfVariableInfo, first: CdfValues, last: CdfValues, table?: LeapSecondTable): CdfTimeRange {
  const start = describe(variable, first, table);
  const end = describe(variable, last, table);
  return {
    variable: variable.name,
    type: variable.type as CdfTimeRange['type'],
    start: start.iso,
    end: end.iso,
    startUnixMs: start.unixMs,
    endUnixMs: end.unixMs,
  };
}

function describe(variable: CdfVariableInfo, values: CdfValues, table?: LeapSecondTable): { iso: string; unixMs: number } {
  if (variable.type === 'TIME_TT2000') {
    const tt = (values as BigInt64Array)[0]!;
    return { iso: tt2000ToIso(tt, table), unixMs: tt2000ToUnixMs(tt, table) };
  }
  const numbers = values as Float64Array;
  if (variable.type === 'EPOCH16') {
    const [seconds, picoseconds] = [numbers[0]!, numbers[1]!];
    return { iso: epoch16ToIso(seconds, picoseconds), unixMs: seconds === EPOCH_FILL ? Number.NaN : epoch16ToUnixMs(seconds, picoseconds) };
  }
  const epoch = numbers[0]!;
  return { iso: epochToIso(epoch), unixMs: epoch === EPOCH_FILL ? Number.NaN : epochToUnixMs(epoch) };
}
