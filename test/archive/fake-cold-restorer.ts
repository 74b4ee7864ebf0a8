/**
 * A stand-in for S3's RestoreObject / `x-amz-restore`, which no S3 emulator implements (s3rver
 * answers 501; fauxqs accepts and ignores it). It plays the state machine: a location is
 * `not-requested` until `request`, `in-progress` until the test calls `finish`, then `ready`.
 * The bytes themselves are still read from the real s3rver.
 */
import type { ColdRestorer, RestoreStatus } from '../../src/archive/targets/backup-target.js';

export class FakeColdRestorer implements ColdRestorer {
  readonly requests: { location: string; tier: string }[] = [];
  private readonly states = new Map<string, RestoreStatus>();

  async request(location: string, tier: string): Promise<void> {
    this.requests.push({ location, tier });
    if (this.states.get(location) !== 'ready') this.states.set(location, 'in-progress');
  }

  async status(location: string): Promise<RestoreStatus> {
    return this.states.get(location) ?? 'not-requested';
  }

  /** The cold storage finished restoring every requested location. */
  finish(): void {
    for (const [location, state] of this.states) if (state === 'in-progress') this.states.set(location, 'ready');
  }
}
