#!/usr/bin/env node
// Stands in for the docker/podman CLI in tests: no container engine runs on the test machines.
// It records every call's argv (one JSON line in $FAKE_ENGINE_RECORD) and plays a container:
// `run` takes the image's root folder from $FAKE_ENGINE_IMAGES (JSON {image: folder}), runs the
// entrypoint and arguments there with only the --env variables, container paths rewritten to
// the --mount sources; `kill` signals a running "container" by name; `rm -f` forgets it.
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const argv = process.argv.slice(2);
appendFileSync(process.env.FAKE_ENGINE_RECORD, JSON.stringify(argv) + '\n');
const stateDir = process.env.FAKE_ENGINE_STATE;
mkdirSync(stateDir, { recursive: true });
const pidFile = (name) => path.join(stateDir, `${name}.pid`);

const VALUE_FLAGS = new Set(['--name', '--network', '--pull', '--label', '--security-opt', '--cap-drop', '--user', '--userns', '--memory', '--memory-swap', '--cpus', '--mount', '--env', '--entrypoint', '--workdir']);

function run(args) {
  const options = { mounts: [], env: {} };
  let i = 0;
  for (; i < args.length && args[i].startsWith('--'); i++) {
    const flag = args[i];
    if (!VALUE_FLAGS.has(flag)) continue;
    const value = args[++i];
    if (flag === '--mount') options.mounts.push(Object.fromEntries(value.split(',').map((kv) => kv.split('='))));
    else if (flag === '--env') options.env[value.slice(0, value.indexOf('='))] = value.slice(value.indexOf('=') + 1);
    else options[flag.slice(2)] = value;
  }
  const [image, ...rest] = args.slice(i);
  const root = JSON.parse(process.env.FAKE_ENGINE_IMAGES ?? '{}')[image];
  if (!root) {
    process.stderr.write(`Unable to find image '${image}' locally\n`);
    process.exit(125);
  }
  const host = (text) => {
    for (const m of options.mounts) if (text === m.target || text.startsWith(m.target + '/')) return m.source + text.slice(m.target.length);
    return text;
  };
  const env = Object.fromEntries(Object.entries(options.env).map(([k, v]) => [k, host(v)]));
  const child = spawn(host(options.entrypoint), rest.map(host), { cwd: host(options.workdir ?? root), env: { PATH: process.env.PATH, ...env }, stdio: 'inherit', detached: true });
  writeFileSync(pidFile(options.name), String(child.pid));
  child.on('close', (code, signal) => {
    rmSync(pidFile(options.name), { force: true });
    process.exit(signal ? 128 + ({ SIGTERM: 15, SIGKILL: 9 }[signal] ?? 1) : code);
  });
}

function kill(args) {
  const signal = args[0] === '--signal' ? args[1] : 'SIGKILL';
  const name = args.at(-1);
  try {
    // the container's whole process tree, as a pid namespace would
    process.kill(-Number(readFileSync(pidFile(name), 'utf8')), signal);
  } catch {
    process.stderr.write(`Error response from daemon: No such container: ${name}\n`);
    process.exit(1);
  }
}

const [command, ...rest] = argv;
if (command === 'run') run(rest);
else if (command === 'kill') kill(rest);
else if (command === 'rm') rmSync(pidFile(rest.at(-1)), { force: true });
else {
  process.stderr.write(`fake engine: unsupported command ${command}\n`);
  process.exit(1);
}
