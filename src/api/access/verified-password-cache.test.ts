import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateCatalog } from '../../catalog/migrate.js';
import { openCatalog, type Catalog } from '../../catalog/open-catalog.js';
import { TeamAccounts } from './team-accounts.js';
import { VerifiedPasswordCache } from './verified-password-cache.js';

describe('VerifiedPasswordCache', () => {
  it('remembers a verified password for its stored hash until the entry expires', () => {
    const cache = new VerifiedPasswordCache(1_000);
    cache.remember('hash-a', 'secret', 0);
    expect(cache.has('hash-a', 'secret', 999)).toBe(true);
    expect(cache.has('hash-a', 'other', 999)).toBe(false);
    expect(cache.has('hash-b', 'secret', 999)).toBe(false);
    expect(cache.has('hash-a', 'secret', 1_000)).toBe(false);
  });

  it('forgets the oldest entries beyond its size', () => {
    const cache = new VerifiedPasswordCache(60_000, 2);
    for (const password of ['one', 'two', 'three']) cache.remember('hash', password, 0);
    expect(['one', 'two', 'three'].map((p) => cache.has('hash', p, 1))).toEqual([false, true, true]);
  });
});

describe('TeamAccounts password checks with the cache', () => {
  let catalog: Catalog;
  let accounts: TeamAccounts;

  beforeAll(async () => {
    catalog = await openCatalog({ kind: 'pglite', dataDir: 'memory://' });
    await migrateCatalog(catalog.db);
    accounts = new TeamAccounts(catalog.db, 'm');
    await accounts.createUser('ann', 'first');
  });
  afterAll(async () => catalog?.close());

  it('answers a repeated check without the slow hash, yet refuses an old password or a disabled account at once', async () => {
    expect(await accounts.checkPassword('ann', 'first')).toMatchObject({ name: 'ann' });
    const started = performance.now();
    for (let i = 0; i < 20; i++) expect(await accounts.checkPassword('ann', 'first')).toMatchObject({ name: 'ann' });
    // Twenty scrypt checks would take seconds; cached ones are catalog reads.
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(await accounts.checkPassword('ann', 'wrong')).toBeUndefined();
    await accounts.setPassword('ann', 'second');
    expect(await accounts.checkPassword('ann', 'first')).toBeUndefined();
    expect(await accounts.checkPassword('ann', 'second')).toMatchObject({ name: 'ann' });
    await accounts.disableUser('ann');
    expect(await accounts.checkPassword('ann', 'second')).toBeUndefined();
  });
});
