#!/usr/bin/env node
// Process churn against the live sampler (issue 12):
//
//   node scripts/churn.mjs [--seconds 60] [--rate 200] [--interval 100] [--ss-every 10]
//
// scripts/churn-child.py forks --rate short-lived processes a second, each holding a TCP listener on
// 127.0.0.1, for --seconds, while a Sampler built as the live view builds it (sock_diag, C fd reads) samples
// every --interval ms. It checks that every sample is taken without a warning, and that no socket is ever
// attributed to a process that never held it: for the churned processes against what each reported holding,
// and every --ss-every samples for every process against `ss -tanpeH` run right after the sample (a holder
// that exited, or whose pid now names another program, in between is allowed). Prints one JSON line and
// exits 1 on any violation. test/integration/churn.test.ts runs a short version; the 60-second figure is in
// the README's Reliability section. Loopback only.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** What `ss -tanpeH` says: socket inode → holder pids. */
export function parseSs(text) {
  const holders = new Map();
  for (const line of text.split('\n')) {
    const ino = /\bino:(\d+)/.exec(line);
    const users = /users:\(\((.*?)\)\)/.exec(line);
    if (!ino || !users || ino[1] === '0') continue;
    const pids = new Set([...users[1].matchAll(/pid=(\d+)/g)].map((m) => Number(m[1])));
    holders.set(Number(ino[1]), pids);
  }
  return holders;
}

/**
 * Violations among `claims` ([pid, inode, pid, inode, ...] the sampler attributed to churned processes):
 * pairs no churned process reported holding (`truth`: "pid inode"), other than the inherited sockets.
 */
export function checkClaims(claims, truth, inherited) {
  const out = [];
  for (let i = 0; i < claims.length; i += 2) {
    if (!truth.has(`${claims[i]} ${claims[i + 1]}`) && !inherited.has(claims[i + 1]))
      out.push(`inode ${claims[i + 1]} attributed to churned pid ${claims[i]}, which never held it`);
  }
  return out;
}

function cmdlineOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0+$/, '').replaceAll('\0', ' ');
  } catch {
    return undefined;
  }
}

/**
 * Runs the churn. `lib` provides Sampler, HostReader, tcpDumpFor and fdSocketsFor (dist/lib.js, or the
 * sources in a test). Resolves to the figures and the list of violations (empty when all held).
 */
export async function runChurn(lib, { seconds = 60, rate = 200, intervalMs = 100, ssEvery = 10 } = {}) {
  const marker = `netwatch-churn-${process.pid}-${Date.now()}`;
  const child = spawn('python3', [path.join(here, 'churn-child.py'), String(rate), String(seconds), marker], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const truth = new Set(); // "pid inode" of every churned process's socket
  const inherited = new Set(); // sockets every churned process holds from its parent (stdio)
  let done;
  let buffered = '';
  const finished = new Promise((resolve) => {
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      let nl = buffered.indexOf('\n');
      while (nl >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const [a, b, c] = line.split(' ');
        if (a === 'done') done = { forked: Number(b), forkFailures: Number(c) };
        else if (a === 'inherited') inherited.add(Number(b));
        else {
          truth.add(`${a} ${b}`);
        }
        nl = buffered.indexOf('\n');
      }
    });
    child.on('exit', resolve);
  });

  const reader = new lib.HostReader('/');
  const sampler = new lib.Sampler({
    reader,
    tcpDump: lib.tcpDumpFor('/'),
    fdSockets: lib.fdSocketsFor('/'),
    intervalMs,
  });
  const claims = []; // [pid, inode] of churned processes, checked when every report is in
  const violations = [];
  let samples = 0;
  let ssChecks = 0;
  let attributed = 0;
  let maxTickMs = 0;
  const unsubscribe = sampler.subscribe(() => {
    const { snapshot } = sampler.getState();
    samples++;
    maxTickMs = Math.max(maxTickMs, snapshot.durationMs);
    for (const w of snapshot.warnings) violations.push(`sample ${samples}: warning: ${w}`);
    for (const [inode, infos] of snapshot.owners) {
      for (const p of infos) {
        if (p.cmdline.includes(marker)) {
          claims.push(p.pid, inode);
          attributed++;
        }
      }
    }
    if (ssEvery > 0 && samples % ssEvery === 0) {
      ssChecks++;
      const ss = parseSs(execFileSync('ss', ['-tanpeH'], { encoding: 'utf8', maxBuffer: 256 << 20 }));
      for (const s of snapshot.sockets) {
        if (s.kind !== 'inet' || (s.proto !== 'tcp' && s.proto !== 'tcp6') || s.inode === 0) continue;
        const theirs = ss.get(s.inode);
        if (theirs === undefined) continue; // closed in between
        for (const p of snapshot.owners.get(s.inode) ?? []) {
          if (theirs.has(p.pid)) continue;
          // Allowed: it exited between the sample and ss, or its pid now names another program.
          const now = cmdlineOf(p.pid);
          if (now === undefined) continue;
          if (p.cmdlineTruncated ? !now.startsWith(p.cmdline.slice(0, -1)) : now !== p.cmdline) continue;
          violations.push(
            `sample ${samples}: inode ${s.inode} attributed to ${p.pid} (${p.command}); ss says ${[...theirs].join(',')}`,
          );
        }
      }
    }
  });
  const started = performance.now();
  sampler.start();
  await finished;
  sampler.stop();
  unsubscribe();
  const wallS = (performance.now() - started) / 1000;
  violations.push(...checkClaims(claims, truth, inherited));
  return {
    seconds,
    rate,
    forked: done?.forked ?? 0,
    forkFailures: done?.forkFailures ?? 0,
    reported: truth.size,
    samples,
    expectedSamples: Math.floor((wallS * 1000) / intervalMs),
    maxTickMs: Math.round(maxTickMs),
    churnedAttributions: attributed,
    distinctChurnedPidsSeen: new Set(claims.filter((_, i) => i % 2 === 0)).size,
    ssChecks,
    violations,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const argv = process.argv.slice(2);
  const flag = (name, fallback) => {
    const at = argv.indexOf(name);
    return at < 0 ? fallback : Number(argv[at + 1]);
  };
  const lib = await import(pathToFileURL(path.join(here, '../dist/lib.js')).href);
  const result = await runChurn(lib, {
    seconds: flag('--seconds', 60),
    rate: flag('--rate', 200),
    intervalMs: flag('--interval', 100),
    ssEvery: flag('--ss-every', 10),
  });
  process.stdout.write(
    `${JSON.stringify({ ...result, violations: result.violations.slice(0, 20), violationCount: result.violations.length })}\n`,
  );
  process.exit(result.violations.length === 0 ? 0 : 1);
}
