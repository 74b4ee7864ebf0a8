import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DirectorySyncer, fsyncDirectory } from './directory-syncer.js';

describe('DirectorySyncer', () => {
  let dir: string;
  const started: number[] = [];
  /** The real fsync, recording when each one starts. */
  const countingFsync = async (target: string): Promise<void> => {
    started.push(performance.now());
    await fsyncDirectory(target);
  };

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sdc-dirsync-'));
    started.length = 0;
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('serves 20 concurrent callers of one folder with two fsyncs: the one in flight and one after it', async () => {
    const syncer = new DirectorySyncer(countingFsync);
    await Promise.all(Array.from({ length: 20 }, () => syncer.sync(dir)));
    expect(started).toHaveLength(2);
  });

  it('resolves a caller who arrived during an fsync only after an fsync that started after its call', async () => {
    const syncer = new DirectorySyncer(countingFsync);
    const first = syncer.sync(dir);
    const calledAt = performance.now();
    await syncer.sync(dir);
    expect(started.some((t) => t >= calledAt)).toBe(true);
    await first;
    await syncer.sync(dir);
    expect(started).toHaveLength(3);
  });

  it('rejects when the folder cannot be opened', async () => {
    await expect(new DirectorySyncer().sync(path.join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
