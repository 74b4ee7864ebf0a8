import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { MemoryEventBus } from '../../src/bus/memory-event-bus.js';
import { createEventBus } from '../../src/bus/create-event-bus.js';
import { BusUnavailableError } from '../../src/bus/bus-errors.js';
import { describeEventBusContract } from './event-bus-contract.js';

describe('MemoryEventBus', () => {
  describeEventBusContract(async () => new MemoryEventBus());

  it('is what createEventBus builds for { kind: "memory" }', async () => {
    const bus = await createEventBus({ kind: 'memory' });
    expect(bus).toBeInstanceOf(MemoryEventBus);
    expect(bus.description).toBe('memory');
    await bus.close();
  });

  it('refuses work once closed', async () => {
    const bus = new MemoryEventBus();
    await bus.close();
    await expect(bus.publish([{ id: 'late', type: 't', routingKey: 'k', body: {} }])).rejects.toThrow(BusUnavailableError);
    await expect(bus.ping()).rejects.toThrow(BusUnavailableError);
  });

  it('lets a process exit while a retry is still waiting for its delay (timers are unref\'d)', async () => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/bus/fixtures/memory-pending-retry.ts'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(output).toContain('retry pending');
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
