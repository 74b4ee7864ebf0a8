import { createHmac, randomBytes } from 'node:crypto';

/**
 * Remembers, for a short time, that a password matched a stored scrypt hash, so that a client
 * sending HTTP Basic on every request (pySPEDAS, IDL, pymms) pays the deliberately slow hash
 * once per `ttlMs` instead of on each call. Entries are HMACs (with a key drawn per process) of
 * the stored hash and the password: a changed password or hash never matches an old entry, and
 * only successes are remembered, so failed logins always pay the full cost. In memory, bounded
 * (the oldest entries are forgotten first).
 */
export class VerifiedPasswordCache {
  private readonly key = randomBytes(32);
  private readonly entries = new Map<string, number>();

  constructor(
    private readonly ttlMs = 300_000,
    private readonly maxEntries = 10_000,
  ) {}

  has(storedHash: string, password: string, now = Date.now()): boolean {
    const id = this.id(storedHash, password);
    const expires = this.entries.get(id);
    if (expires === undefined) return false;
    if (expires > now) return true;
    this.entries.delete(id);
    return false;
  }

  remember(storedHash: string, password: string, now = Date.now()): void {
    const id = this.id(storedHash, password);
    this.entries.delete(id);
    this.entries.set(id, now + this.ttlMs);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  private id(storedHash: string, password: string): string {
    return createHmac('sha256', this.key).update(storedHash).update('\u0000').update(password.normalize('NFC')).digest('base64');
  }
}
