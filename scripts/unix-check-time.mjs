#!/usr/bin/env node
// What checking /proc/net/unix against the kernel's UNIX_DIAG list costs a sample:
//
//   node scripts/unix-check-time.mjs [--sockets 2000] [--samples 60]
//
// Binds --sockets unix listeners in a temporary directory (this process's fd limit bounds it), then times,
// per sample, the UNIX_DIAG dump, the read of /proc/net/unix, its parse (with the line cache, as the live
// view does) and the check, and prints the medians (first 10 samples dropped) as one JSON line.
import * as fs from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const argv = process.argv.slice(2);
const flag = (name, fallback) => {
  const at = argv.indexOf(name);
  return at < 0 ? fallback : Number(argv[at + 1]);
};
const count = flag('--sockets', 2000);
const samples = Math.max(20, flag('--samples', 60));
const here = path.dirname(fileURLToPath(import.meta.url));
const lib = await import(pathToFileURL(path.join(here, '../dist/lib.js')).href);
const dump = lib.unixDumpFor('/');
if (!dump) {
  process.stderr.write('unix-check-time: the native helper (with unixSockets) is not built\n');
  process.exit(1);
}
const dir = fs.mkdtempSync(path.join(tmpdir(), 'netwatch-unixcheck-'));
const servers = [];
try {
  for (let i = 0; i < count; i++) {
    const server = net.createServer();
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(path.join(dir, `${i}.sock`), resolve);
    });
    servers.push(server);
  }
  const reader = new lib.HostReader('/');
  const cache = new lib.UnixLineCache();
  const check = new lib.UnixDiagCheck();
  const t = { dumpMs: [], readMs: [], parseMs: [], checkMs: [] };
  let rows = 0;
  for (let i = 0; i < samples; i++) {
    let at = performance.now();
    const d = dump();
    t.dumpMs.push(performance.now() - at);
    at = performance.now();
    const text = reader.readText('proc/net/unix', 64 * 1024 * 1024);
    t.readMs.push(performance.now() - at);
    at = performance.now();
    const parsed = lib.parseUnix(text, cache).rows;
    t.parseMs.push(performance.now() - at);
    at = performance.now();
    rows = check.check(parsed, d).rows.length;
    t.checkMs.push(performance.now() - at);
  }
  const median = (xs) => {
    const kept = xs.slice(10).sort((a, b) => a - b);
    return Number(kept[Math.floor(kept.length / 2)].toFixed(2));
  };
  const out = { sockets: count, rows };
  for (const [k, xs] of Object.entries(t)) out[k] = median(xs);
  process.stdout.write(`${JSON.stringify(out)}\n`);
} finally {
  for (const s of servers) s.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
