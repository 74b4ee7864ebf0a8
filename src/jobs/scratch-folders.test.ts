import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScratchFolders } from './scratch-folders.js';

describe('ScratchFolders', () => {
  let workDir: string;

  beforeEach(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'sdc-scratch-'));
  });
  afterEach(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('hands a released folder to the next job emptied, keeping its folders and job file (no inode made or freed for them)', async () => {
    const folders = new ScratchFolders(workDir);
    const first = await folders.acquire();
    await writeFile(first.jobFile, '{"jobId":1}');
    await writeFile(path.join(first.inputDir, 'input.cdf'), 'in');
    await mkdir(path.join(first.outputDir, 'nested'));
    await writeFile(path.join(first.outputDir, 'nested', 'left.cdf'), 'out');
    await writeFile(path.join(first.dir, 'job.container.json'), '{}');
    const inodes = await Promise.all([first.inputDir, first.outputDir, first.jobFile].map(async (p) => (await stat(p)).ino));
    await folders.release(first);

    const second = await folders.acquire();
    expect(second).toEqual(first);
    expect(await readdir(second.inputDir)).toEqual([]);
    expect(await readdir(second.outputDir)).toEqual([]);
    expect((await readdir(second.dir)).sort()).toEqual(['inputs', 'job.json', 'outputs']);
    expect(await Promise.all([second.inputDir, second.outputDir, second.jobFile].map(async (p) => (await stat(p)).ino))).toEqual(inodes);
  });

  it('gives jobs running at once folders of their own, under one folder of this process, removed when it stops', async () => {
    const folders = new ScratchFolders(workDir);
    const [a, b] = await Promise.all([folders.acquire(), folders.acquire()]);
    expect(a.dir).not.toBe(b.dir);
    expect(path.dirname(a.dir)).toBe(path.dirname(b.dir));
    expect(path.basename(path.dirname(a.dir))).toMatch(new RegExp(`^${os.hostname()}-${process.pid}-[0-9a-f]{6}$`));
    expect(path.basename(path.dirname(a.dir))).not.toBe(path.basename(path.dirname((await new ScratchFolders(workDir).acquire()).dir)));
    await folders.removeAll();
    await expect(stat(path.dirname(a.dir))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('drops a folder it cannot empty instead of handing it to another job', async () => {
    const folders = new ScratchFolders(workDir);
    const broken = await folders.acquire();
    await rm(broken.inputDir, { recursive: true });
    await folders.release(broken);
    await expect(stat(broken.dir)).rejects.toMatchObject({ code: 'ENOENT' });
    const next = await folders.acquire();
    expect(next.dir).not.toBe(broken.dir);
    expect(await readdir(next.inputDir)).toEqual([]);
  });
});
