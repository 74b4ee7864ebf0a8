import { open } from 'node:fs/promises';

interface SyncState {
  running?: Promise<void>;
  next?: Promise<void>;
}

/**
 * fsyncs directories with group commit: callers who ask for a directory while an fsync of it is
 * in flight share the one fsync that starts after it (the in-flight one may predate their
 * rename), so N concurrent puts into one folder cost about two directory fsyncs, not N.
 */
export class DirectorySyncer {
  private readonly states = new Map<string, SyncState>();

  /** `fsync` is replaceable so that tests can count the fsyncs actually made. */
  constructor(private readonly fsync: (dir: string) => Promise<void> = fsyncDirectory) {}

  /** Resolves once every entry renamed into `dir` before this call is on disk. */
  sync(dir: string): Promise<void> {
    let state = this.states.get(dir);
    if (!state) {
      state = {};
      this.states.set(dir, state);
    }
    if (!state.running) return this.start(dir, state);
    const current = state;
    current.next ??= current.running!.then(ignore, ignore).then(() => {
      current.next = undefined;
      return this.start(dir, current);
    });
    return current.next;
  }

  private start(dir: string, state: SyncState): Promise<void> {
    const run: Promise<void> = this.fsync(dir).finally(() => {
      if (state.running === run) state.running = undefined;
      if (!state.running && !state.next) this.states.delete(dir);
    });
    state.running = run;
    return run;
  }
}

/** Makes the entries of a directory (created, renamed files) durable. */
export async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function ignore(): void {}
