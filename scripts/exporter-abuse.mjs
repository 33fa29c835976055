#!/usr/bin/env node
// Abuse for `netwatch --exporter`: concurrent scrapes, malformed requests, oversized headers and
// half-open connections, against a netwatch this script starts on 127.0.0.1 (never anything else).
// The test suite (test/cli/exporter-abuse.test.ts) runs one round; run more for the README's figures:
//   node scripts/exporter-abuse.mjs [--rounds 10] [--scrapes 1000] [--half-open 200] [--root DIR]
// Prints one JSON object: scrapes served, slowest scrape, snapshots taken, RSS before, at peak and after.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../dist/netwatch.js', import.meta.url));

export function rssMiB(pid, field = 'VmRSS') {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

/** Anonymous memory only (heap, buffers): what the process allocated, without the pages of files it mapped. */
export const anonMiB = (pid) => rssMiB(pid, 'RssAnon');

/** Start `netwatch --exporter 127.0.0.1:0 ...args`; resolves when it says where it serves. */
export function startExporterProcess(args = []) {
  const child = spawn(process.execPath, [BIN, '--exporter', '127.0.0.1:0', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 20 s: ${stderr}`)), 20_000);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      const m = /serving metrics at (http:\/\/\S+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1], pid: child.pid, stderr: () => stderr });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}: ${stderr}`));
    });
  });
}

/** One GET on a connection of its own; resolves with status, body length and milliseconds. */
export function get(url, timeoutMs = 30_000) {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: timeoutMs }, (res) => {
      let length = 0;
      let head = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        if (head.length < 200) head += chunk.slice(0, 200);
        length += chunk.length;
      });
      res.on('end', () => resolve({ status: res.statusCode, length, head, ms: performance.now() - t0 }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) =>
      resolve({ status: 0, length: 0, head: String(err), ms: performance.now() - t0 }),
    );
  });
}

/** Send `bytes` on a raw connection and resolve with the first line of the answer (or '' when closed). */
export function raw(port, bytes, timeoutMs = 15_000) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer.split('\r\n')[0] ?? '');
    };
    const timer = setTimeout(done, timeoutMs);
    socket.on('error', done);
    socket.on('data', (d) => {
      answer += d.toString('latin1');
      if (answer.includes('\r\n')) done();
    });
    socket.on('close', done);
    socket.on('connect', () => socket.write(bytes));
  });
}

/**
 * Open `n` connections that send half a request (even ones) or not a byte (odd ones), then nothing.
 * Resolves with them once all are open; each has `closedByServer`.
 */
export function halfOpen(port, n) {
  return Promise.all(
    Array.from(
      { length: n },
      (_, i) =>
        new Promise((resolve) => {
          const socket = net.connect(port, '127.0.0.1', () => {
            if (i % 2 === 0) socket.write('GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
            resolve(socket);
          });
          socket.closedByServer = new Promise((closed) => socket.on('close', closed));
          socket.on('error', () => {});
        }),
    ),
  );
}

/** One round of abuse against a running exporter. */
export async function abuseRound({ url, pid, scrapes = 1000, halfOpenCount = 200 }) {
  const port = Number(new URL(url).port);
  const idle = await halfOpen(port, halfOpenCount);
  const [results, malformed, oversized, unknownMethod, badPath] = await Promise.all([
    Promise.all(Array.from({ length: scrapes }, () => get(url))),
    raw(port, 'BLAH BLAH\r\n\r\n'),
    raw(port, `GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(70 * 1024)}\r\n\r\n`),
    raw(port, 'DELETE /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
    raw(port, 'GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
  ]);
  const peak = rssMiB(pid);
  return { results, malformed, oversized, unknownMethod, badPath, idle, peak };
}

async function main() {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  const rounds = Number(arg('--rounds', '10'));
  const scrapes = Number(arg('--scrapes', '1000'));
  const halfOpenCount = Number(arg('--half-open', '200'));
  const root = arg('--root', undefined);
  const server = await startExporterProcess(root ? ['--root', root] : []);
  for (let i = 0; i < 3; i++) await get(server.url);
  const before = rssMiB(server.pid);
  const anonBefore = anonMiB(server.pid);
  let served = 0;
  let failed = 0;
  let slowest = 0;
  let peak = before;
  const afterRound = [];
  for (let round = 0; round < rounds; round++) {
    const r = await abuseRound({ url: server.url, pid: server.pid, scrapes, halfOpenCount });
    served += r.results.filter((x) => x.status === 200).length;
    failed += r.results.filter((x) => x.status !== 200).length;
    slowest = Math.max(slowest, ...r.results.map((x) => x.ms));
    peak = Math.max(peak, r.peak);
    for (const s of r.idle) s.destroy();
    await new Promise((done) => setTimeout(done, 1000));
    afterRound.push(Math.round(rssMiB(server.pid)));
  }
  // Let the server close what is left and V8 settle, then measure again.
  await new Promise((r) => setTimeout(r, 15_000));
  await get(server.url);
  const after = rssMiB(server.pid);
  const anonAfter = anonMiB(server.pid);
  server.child.kill('SIGTERM');
  console.log(
    JSON.stringify({
      rounds,
      scrapesServed: served,
      scrapesFailed: failed,
      slowestScrapeMs: Math.round(slowest),
      rssBeforeMiB: Math.round(before),
      rssPeakMiB: Math.round(peak),
      rssAfterMiB: Math.round(after),
      rssAfterEachRoundMiB: afterRound,
      anonBeforeMiB: Math.round(anonBefore),
      anonAfterMiB: Math.round(anonAfter),
    }),
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
