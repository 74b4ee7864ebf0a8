import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Where one job runs: its job file, its staged inputs and the folder its outputs go to. */
export interface ScratchFolder {
  dir: string;
  inputDir: string;
  outputDir: string;
  jobFile: string;
}

/**
 * The scratch folders of one process's jobs, kept from job to job: a folder with its `inputs/`
 * and `outputs/` is made the first time a job slot needs one and emptied when its job ends, not
 * made and removed per job. Creating and deleting three folders and a file per job is most of
 * what staging cost on a filesystem that looks for a free inode past every recently freed one
 * (ext4 without a journal skips the inodes freed in the last minutes, so a steady stream of jobs
 * made every creation slower). The process's folders live under `<workDir>/<host>-<pid>-<random>`
 * (several processes may share a work folder) and are removed when it stops.
 */
export class ScratchFolders {
  private readonly root: string;
  private readonly idle: ScratchFolder[] = [];
  private made = 0;

  constructor(workDir: string) {
    this.root = path.join(workDir, `${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`);
  }

  /** An empty scratch folder for one job; give it back with `release`. */
  async acquire(): Promise<ScratchFolder> {
    const reused = this.idle.pop();
    if (reused) return reused;
    const dir = path.join(this.root, `slot-${this.made++}`);
    const folder = { dir, inputDir: path.join(dir, 'inputs'), outputDir: path.join(dir, 'outputs'), jobFile: path.join(dir, 'job.json') };
    await Promise.all([mkdir(folder.inputDir, { recursive: true }), mkdir(folder.outputDir, { recursive: true })]);
    return folder;
  }

  /**
   * Empties a job's folder for the next job: whatever the job left in its inputs and outputs goes,
   * and anything else it wrote beside them; the job file stays, to be overwritten. A folder that
   * cannot be emptied is dropped (removed if it can be) rather than handed to another job.
   */
  async release(folder: ScratchFolder): Promise<void> {
    try {
      await Promise.all([emptyFolder(folder.inputDir), emptyFolder(folder.outputDir), emptyFolder(folder.dir, new Set(['inputs', 'outputs', 'job.json']))]);
      this.idle.push(folder);
    } catch {
      await rm(folder.dir, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  /** Removes this process's scratch folders (when it stops taking jobs). */
  async removeAll(): Promise<void> {
    this.idle.splice(0);
    await rm(this.root, { recursive: true, force: true });
  }
}

async function emptyFolder(dir: string, keep: ReadonlySet<string> = new Set()): Promise<void> {
  const names = (await readdir(dir)).filter((name) => !keep.has(name));
  await Promise.all(names.map((name) => rm(path.join(dir, name), { recursive: true, force: true })));
}
