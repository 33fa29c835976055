#!/usr/bin/env node
// Time the live sampler's tick on this host, with loopback load from scripts/loadgen.mjs:
//
//   node scripts/tick-time.mjs [--connections 2000] [--unix 200] [--ticks 60] [--lib dist/lib.js ...]
//
// Starts loadgen (2 × --connections TCP sockets over 4 processes, --unix unix sockets), takes 10 warm-up
// ticks with a Collector as the live view builds it (sock_diag, C fd reads, unix check), then --ticks timed
// ticks, and prints the median, p90 and minimum in ms as one JSON line. --lib points at another build's
// dist/lib.js (e.g. an older commit's, to compare before and after a change); given more than once, the
// builds take turns tick by tick on the same sockets, so load from elsewhere falls on all alike.
// --unix-check-cost adds the first build without its check of /proc/net/unix against UNIX_DIAG.
// Loopback only.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const argv = process.argv.slice(2);
const flag = (name, fallback) => {
  const at = argv.indexOf(name);
  return at < 0 ? fallback : argv[at + 1];
};
const here = path.dirname(fileURLToPath(import.meta.url));
const connections = Number(flag('--connections', 2000));
const unix = Number(flag('--unix', 200));
const ticks = Number(flag('--ticks', 60));
const libPaths = argv.flatMap((a, i) => (a === '--lib' ? [path.resolve(argv[i + 1])] : []));
if (libPaths.length === 0) libPaths.push(path.join(here, '../dist/lib.js'));
const libs = [];
for (const p of libPaths) libs.push(await import(pathToFileURL(p).href));

const load = spawn(
  process.execPath,
  [
    path.join(here, 'loadgen.mjs'),
    '--connections',
    String(connections),
    '--procs',
    '4',
    '--unix',
    String(unix),
  ],
  { stdio: ['pipe', 'pipe', 'inherit'] },
);
await new Promise((resolve, reject) => {
  let out = '';
  const timer = setTimeout(() => reject(new Error('loadgen not ready after 60 s')), 60_000);
  load.stdout.on('data', (chunk) => {
    out += chunk;
    if (out.includes('"ready":true')) {
      clearTimeout(timer);
      resolve();
    }
  });
  load.on('exit', (code) => reject(new Error(`loadgen exited with ${code}`)));
});

try {
  const configs = libs.map((lib, k) => ({ lib, name: libPaths[k], unixDump: undefined }));
  // --unix-check-cost: the first build twice, with and without the UNIX_DIAG check of /proc/net/unix.
  if (argv.includes('--unix-check-cost'))
    configs.splice(1, 0, { ...configs[0], name: `${libPaths[0]} (no unix check)`, unixDump: null });
  const runs = configs.map(({ lib, name, unixDump }) => {
    const reader = new lib.HostReader('/');
    const collector = new lib.Collector(
      reader,
      undefined,
      true,
      lib.tcpDumpFor('/'),
      lib.fdSocketsFor('/'),
      unixDump,
    );
    let sockets = 0;
    for (let i = 0; i < 10; i++) sockets = collector.collect(lib.SELECT_ALL).sockets.length;
    return { lib: name, collector, selection: lib.SELECT_ALL, sockets, times: [] };
  });
  for (let i = 0; i < ticks; i++) {
    for (const run of runs) {
      const t = performance.now();
      run.collector.collect(run.selection);
      run.times.push(performance.now() - t);
    }
  }
  for (const { lib, sockets, times } of runs) {
    times.sort((a, b) => a - b);
    const at = (q) => Number(times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(2));
    process.stdout.write(
      `${JSON.stringify({ lib, sockets, ticks, medianMs: at(0.5), p90Ms: at(0.9), minMs: at(0) })}\n`,
    );
  }
} finally {
  load.kill('SIGTERM');
}
