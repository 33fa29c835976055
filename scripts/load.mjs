#!/usr/bin/env node
// Keep every core busy while a command runs, to shake out tests that depend on machine load:
//
//   node scripts/load.mjs --runs 3 -- npm test
//
// Starts one spinning worker thread per core (or --workers N), plus a churn of short-lived child processes
// (--spawns N a second, default 20: new pids are what made the owner-scan test flaky), runs the command
// --runs times in a row under that load, and exits non-zero if any run failed. Every run is bounded by
// --timeout seconds (default 600); the load stops when the script ends, whatever happens.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

const args = process.argv.slice(2);
const dash = args.indexOf('--');
if (dash < 0 || dash === args.length - 1) {
  process.stderr.write(
    'usage: node scripts/load.mjs [--workers N] [--spawns N] [--runs N] [--timeout S] -- command ...\n',
  );
  process.exit(2);
}
const flags = args.slice(0, dash);
const command = args.slice(dash + 1);
const flag = (name, fallback) => {
  const at = flags.indexOf(name);
  if (at < 0) return fallback;
  const n = Number(flags[at + 1]);
  if (!Number.isFinite(n) || n < 0) {
    process.stderr.write(`load: ${name} wants a number\n`);
    process.exit(2);
  }
  return n;
};
const workers = flag('--workers', availableParallelism());
const spawnsPerSecond = flag('--spawns', 20);
const runs = flag('--runs', 1);
const timeoutS = flag('--timeout', 600);

const spin = `
const { parentPort } = require('node:worker_threads');
let stop = false;
parentPort.on('message', () => { stop = true; });
(function loop() {
  const until = Date.now() + 50;
  let x = 0;
  while (Date.now() < until) x += Math.sqrt(x + 1);
  if (!stop) setImmediate(loop);
})();
`;
const spinners = Array.from({ length: workers }, () => new Worker(spin, { eval: true }));
const churn =
  spawnsPerSecond > 0
    ? setInterval(() => {
        spawn('true', [], { stdio: 'ignore' }).on('error', () => {});
      }, 1000 / spawnsPerSecond)
    : undefined;

function stopLoad() {
  if (churn) clearInterval(churn);
  for (const w of spinners) w.terminate();
}
process.on('SIGINT', () => {
  stopLoad();
  process.exit(130);
});

// spawnSync would block the event loop that drives the churn: run each command asynchronously.
function runOnce() {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(command[0], command.slice(1), { stdio: 'inherit' });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutS * 1000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, signal, seconds: (Date.now() - started) / 1000 });
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ code: 127, signal: null, seconds: 0, error: err.message });
    });
  });
}

const results = [];
for (let i = 0; i < runs; i++) {
  const r = await runOnce();
  results.push(r);
  process.stderr.write(
    `load: run ${i + 1}/${runs}: ${r.signal ? `killed by ${r.signal}` : `exit ${r.code}`} in ${r.seconds.toFixed(1)} s` +
      ` (${workers} spinning threads, ${spawnsPerSecond} spawns/s)\n`,
  );
}
stopLoad();
process.exit(results.every((r) => r.code === 0 && !r.signal) ? 0 : 1);
