import { mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundleHash } from './bundle-hash.js';
import { VerifiedBundles } from './verified-bundles.js';

describe('VerifiedBundles', () => {
  let folder: string;
  let deployed: string;
  beforeEach(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'sdc-bundle-'));
    await writeFile(path.join(folder, 'processor.yaml'), 'name: p\n');
    await writeFile(path.join(folder, 'run.sh'), 'echo one\n');
    deployed = await bundleHash(folder);
  });
  afterEach(async () => rm(folder, { recursive: true, force: true }));

  it('when the files are unchanged, then the deployed hash is confirmed again', async () => {
    const verified = new VerifiedBundles();
    expect(await verified.currentHash(folder, deployed)).toBe(deployed);
    expect(await verified.currentHash(folder, deployed)).toBe(deployed);
  });

  it('when a verified file is rewritten with the same size and its modification time put back, then the change is still seen', async () => {
    const verified = new VerifiedBundles();
    expect(await verified.currentHash(folder, deployed)).toBe(deployed);
    const file = path.join(folder, 'run.sh');
    const before = await stat(file);
    await writeFile(file, 'echo two\n');
    await utimes(file, before.atime, before.mtime);
    expect(await verified.currentHash(folder, deployed)).not.toBe(deployed);
  });

  it('when a file is added or the folder removed after verification, then the change is seen', async () => {
    const verified = new VerifiedBundles();
    expect(await verified.currentHash(folder, deployed)).toBe(deployed);
    await writeFile(path.join(folder, 'extra.py'), 'print(1)\n');
    expect(await verified.currentHash(folder, deployed)).not.toBe(deployed);
    await rm(folder, { recursive: true });
    expect(await verified.currentHash(folder, deployed)).toBe('missing');
  });
});
