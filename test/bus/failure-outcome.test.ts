import { describe, expect, it } from 'vitest';
import { PermanentFailure } from '../../src/bus/event-bus.js';
import { decideFailure, describeFailure } from '../../src/bus/failure-outcome.js';

describe('decideFailure', () => {
  it('retries after the delay of the attempt that failed, then dead-letters past the last delay', () => {
    expect(decideFailure(new Error('x'), 1, [100, 1000])).toEqual({ kind: 'retry', delayMs: 100, nextAttempt: 2, reason: 'Error: x' });
    expect(decideFailure(new Error('x'), 2, [100, 1000])).toEqual({ kind: 'retry', delayMs: 1000, nextAttempt: 3, reason: 'Error: x' });
    expect(decideFailure(new Error('x'), 3, [100, 1000])).toEqual({ kind: 'dead', reason: 'Error: x' });
    expect(decideFailure(new Error('x'), 1, [])).toEqual({ kind: 'dead', reason: 'Error: x' });
  });

  it('dead-letters a PermanentFailure on any attempt', () => {
    expect(decideFailure(new PermanentFailure('bad input'), 1, [100])).toEqual({ kind: 'dead', reason: 'PermanentFailure: bad input' });
  });
});

describe('describeFailure', () => {
  it('names the error, its causes, and values thrown that are not errors', () => {
    expect(describeFailure(new Error('copy failed', { cause: new Error('ENOSPC') }))).toBe('Error: copy failed (cause: Error: ENOSPC)');
    expect(describeFailure('plain string')).toBe('plain string');
    expect(describeFailure({ code: 7 })).toBe('thrown value {"code":7}');
    expect(describeFailure(undefined)).toBe('thrown value undefined');
  });

  it('bounds the reason so it fits an AMQP header table', () => {
    expect(describeFailure(new Error('x'.repeat(100_000))).length).toBeLessThanOrEqual(2000);
  });
});
