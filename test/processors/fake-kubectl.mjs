#!/usr/bin/env node
// Stands in for kubectl in tests: no Kubernetes cluster runs on the test machines. It records
// every call's argv (one JSON line in $FAKE_KUBECTL_RECORD) and plays the Job controller:
// `apply -f -` starts the Job's container on this host (image root folders from
// $FAKE_KUBECTL_IMAGES, the PVC's folder from $FAKE_KUBECTL_VOLUMES, sub-path mounts as path
// rewrites), honouring activeDeadlineSeconds; `get job|pods -o json`, `logs` and `delete` report
// and remove it. Images listed in $FAKE_KUBECTL_PULL_FAILS never start (ErrImagePull).
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const state = process.env.FAKE_KUBECTL_STATE;
mkdirSync(state, { recursive: true });
const file = (name, ext) => path.join(state, `${name}.${ext}`);
const readJson = (f) => JSON.parse(readFileSync(f, 'utf8'));

let argv = process.argv.slice(2);
if (argv[0] !== '__pod') appendFileSync(process.env.FAKE_KUBECTL_RECORD, JSON.stringify(argv) + '\n');
// global flags first, as the runtime passes them
while (argv[0] === '--namespace' || argv[0] === '--context') argv = argv.slice(2);
const [verb, ...rest] = argv;

function notFound(name) {
  process.stderr.write(`Error from server (NotFound): jobs.batch "${name}" not found\n`);
  process.exit(1);
}

function apply() {
  const job = JSON.parse(readFileSync(0, 'utf8'));
  const name = job.metadata.name;
  writeFileSync(file(name, 'job.json'), JSON.stringify(job));
  const image = job.spec.template.spec.containers[0].image;
  if ((process.env.FAKE_KUBECTL_PULL_FAILS ?? '').split(',').includes(image)) {
    writeFileSync(file(name, 'waiting.json'), JSON.stringify({ reason: 'ErrImagePull', message: `pull access denied for ${image}` }));
  } else {
    const out = openSync(file(name, 'log'), 'w');
    spawn(process.execPath, [process.argv[1], '__pod', name], { detached: true, stdio: ['ignore', out, out] }).unref();
  }
  process.stdout.write(`job.batch/${name} created\n`);
}

function pod(name) {
  const job = readJson(file(name, 'job.json'));
  const spec = job.spec.template.spec;
  const container = spec.containers[0];
  const volumes = JSON.parse(process.env.FAKE_KUBECTL_VOLUMES ?? '{}');
  const workVolume = spec.volumes.find((v) => v.name === 'work');
  const volumeRoot = workVolume.hostPath?.path ?? volumes[workVolume.persistentVolumeClaim?.claimName];
  const mounts = container.volumeMounts.filter((m) => m.name === 'work').map((m) => [m.mountPath, path.join(volumeRoot, m.subPath)]);
  const host = (text) => {
    for (const [target, source] of mounts) if (text === target || text.startsWith(target + '/')) return source + text.slice(target.length);
    return text;
  };
  const root = JSON.parse(process.env.FAKE_KUBECTL_IMAGES ?? '{}')[container.image];
  const env = Object.fromEntries(container.env.map((e) => [e.name, host(e.value)]));
  const child = spawn(host(container.command[0]), container.args.map(host), { cwd: root, env: { PATH: process.env.PATH, ...env }, stdio: 'inherit', detached: true });
  writeFileSync(file(name, 'pid'), String(child.pid));
  const deadline = setTimeout(() => {
    writeFileSync(file(name, 'status.json'), JSON.stringify({ deadline: true }));
    process.kill(-child.pid, 'SIGKILL');
  }, job.spec.activeDeadlineSeconds * 1000);
  child.on('close', (code, signal) => {
    clearTimeout(deadline);
    if (!existsSync(file(name, 'status.json'))) writeFileSync(file(name, 'status.json'), JSON.stringify({ exitCode: code ?? 128 + (signal === 'SIGKILL' ? 9 : 15) }));
  });
}

function jobStatus(name) {
  if (!existsSync(file(name, 'job.json'))) notFound(name);
  if (!existsSync(file(name, 'status.json'))) return { active: 1 };
  const done = readJson(file(name, 'status.json'));
  if (done.deadline) return { failed: 1, conditions: [{ type: 'Failed', status: 'True', reason: 'DeadlineExceeded' }] };
  if (done.exitCode === 0) return { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] };
  return { failed: 1, conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }] };
}

function podState(name) {
  if (existsSync(file(name, 'waiting.json'))) return { waiting: readJson(file(name, 'waiting.json')) };
  if (!existsSync(file(name, 'status.json'))) return { running: {} };
  const done = readJson(file(name, 'status.json'));
  return { terminated: { exitCode: done.exitCode ?? 137, reason: done.exitCode === 0 ? 'Completed' : 'Error' } };
}

function get(args) {
  const name = args[0] === 'job' ? args[1] : args[args.indexOf('--selector') + 1].replace('job-name=', '');
  if (args[0] === 'job') process.stdout.write(JSON.stringify({ status: jobStatus(name) }));
  else process.stdout.write(JSON.stringify({ items: existsSync(file(name, 'job.json')) ? [{ status: { containerStatuses: [{ state: podState(name) }] } }] : [] }));
}

function remove(name) {
  if (existsSync(file(name, 'pid')) && !existsSync(file(name, 'status.json'))) {
    try {
      process.kill(-Number(readFileSync(file(name, 'pid'), 'utf8')), 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const ext of ['job.json', 'pid', 'status.json', 'waiting.json']) rmSync(file(name, ext), { force: true });
  process.stdout.write(`job.batch "${name}" deleted\n`);
}

if (verb === '__pod') pod(rest[0]);
else if (verb === 'apply') apply();
else if (verb === 'get') get(rest);
else if (verb === 'logs') process.stdout.write(existsSync(file(rest[0].slice(4), 'log')) ? readFileSync(file(rest[0].slice(4), 'log'), 'utf8') : '');
else if (verb === 'delete') remove(rest[1]);
else {
  process.stderr.write(`fake kubectl: unsupported command ${verb}\n`);
  process.exit(1);
}
