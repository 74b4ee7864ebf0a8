/**
 * Child process of the corruption fuzz test: opens damaged bytes, reads everything the public API
 * offers and reports how it ended. Runs in its own process so that the parent can time it out.
 */
import { CdfFormatError, CdfUsageError, openCdf } from '../../../src/cdf/index.js';

export interface FuzzCase {
  readonly id: number;
  readonly bytes: Uint8Array;
}

export interface FuzzOutcome {
  readonly id: number;
  readonly outcome: 'data' | 'typed-error' | 'untyped-error';
  readonly detail: string;
}

function run(bytes: Uint8Array): Omit<FuzzOutcome, 'id'> {
  try {
    const cdf = openCdf(bytes, { name: 'fuzzed.cdf' });
    cdf.metadata();
    let values = 0;
    for (const variable of cdf.variables) values += cdf.read(variable.name).values.length;
    cdf.verifyChecksum();
    return { outcome: 'data', detail: `${cdf.variables.length} variables, ${values} values` };
  } catch (error) {
    if (error instanceof CdfFormatError) return { outcome: 'typed-error', detail: error.kind };
    if (error instanceof CdfUsageError) return { outcome: 'typed-error', detail: error.kind };
    return { outcome: 'untyped-error', detail: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
}

process.on('message', (message: FuzzCase) => {
  process.send!({ id: message.id, ...run(new Uint8Array(message.bytes)) } satisfies FuzzOutcome);
});
