/**
 * The process launcher's child (see process-launcher.ts): starts the processors its parent sends
 * and answers with their results. When the parent goes away (it exited, or was killed with
 * SIGKILL), it kills every processor still running, with what they started, and exits: no
 * orphan keeps working on a job that another worker will run again. Signals sent to the worker's
 * group do not end it before its worker.
 */
import { startSubprocess, type Subprocess } from './subprocess.js';
import type { LaunchRequest, LaunchResult } from './process-launcher.js';

const running = new Map<number, Subprocess>();

process.on('message', (message: LaunchRequest) => {
  const subprocess = startSubprocess(message.spec);
  running.set(message.id, subprocess);
  void subprocess.done.then((result) => {
    running.delete(message.id);
    if (process.connected) process.send!({ id: message.id, result } satisfies LaunchResult);
  });
});

// A signal meant for the worker (Ctrl-C to its process group, systemd's SIGTERM to its whole
// control group) must not end the runs of a worker that drains: this process ends with its worker.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => undefined);

process.on('disconnect', () => {
  for (const subprocess of running.values()) subprocess.kill('SIGKILL');
  process.exit(0);
});
