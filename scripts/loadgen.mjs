#!/usr/bin/env node
// Load generator for fixtures and benchmarks. Loopback only (127.0.0.1 and ::1), never anything else.
//
//   node scripts/loadgen.mjs --connections 1000 --procs 10 [--churn 200] [--udp 20] [--unix 20] [--listeners 5]
//
// Holds N established TCP connections (2N sockets) spread over P child processes, each child with its own
// listener(s), plus UDP sockets and unix sockets. With --churn K it closes and reopens K connections per second
// in total. Prints one JSON line {"ready":true,"pids":[...],"ports":[...]} on stdout when all are up, and
// exits (with its children) on SIGTERM, SIGINT or when stdin, if a pipe, closes.
import { fork } from 'node:child_process';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

function args(argv) {
  const out = {
    connections: 100,
    procs: 4,
    churn: 0,
    udp: 10,
    unix: 10,
    listeners: 1,
    child: false,
    v6: 0.2,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--child') out.child = true;
    else if (a.startsWith('--')) out[a.slice(2)] = Number(argv[++i]);
  }
  return out;
}

const opt = args(process.argv.slice(2));

if (opt.child) runChild(opt);
else runParent(opt);

function runParent(opt) {
  const children = [];
  const per = Math.floor(opt.connections / opt.procs);
  const extra = opt.connections - per * opt.procs;
  const readies = [];
  let done = 0;
  for (let i = 0; i < opt.procs; i++) {
    const n = per + (i < extra ? 1 : 0);
    const child = fork(
      new URL(import.meta.url).pathname,
      [
        '--child',
        '--connections',
        String(n),
        '--churn',
        String(opt.churn / opt.procs),
        '--udp',
        String(Math.ceil(opt.udp / opt.procs)),
        '--unix',
        String(Math.ceil(opt.unix / opt.procs)),
        '--listeners',
        String(opt.listeners),
        '--v6',
        String(opt.v6),
        '--index',
        String(i),
      ],
      { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] },
    );
    children.push(child);
    child.on('message', (m) => {
      readies.push(m);
      if (++done === opt.procs) {
        process.stdout.write(
          `${JSON.stringify({ ready: true, pids: readies.map((r) => r.pid), ports: readies.flatMap((r) => r.ports) })}\n`,
        );
      }
    });
    child.on('exit', (code) => {
      if (code && !stopping) {
        process.stderr.write(`loadgen: child ${child.pid} exited with ${code}\n`);
        stop(1);
      }
    });
  }
  let stopping = false;
  function stop(code = 0) {
    if (stopping) return;
    stopping = true;
    for (const c of children) c.kill('SIGTERM');
    setTimeout(() => process.exit(code), 200).unref();
  }
  process.on('SIGTERM', () => stop());
  process.on('SIGINT', () => stop());
  // A parent that talks to us through a pipe ends us by closing it (no orphans if it dies).
  if (fs.fstatSync(0).isFIFO()) {
    process.stdin.on('end', () => stop());
    process.stdin.on('close', () => stop());
    process.stdin.resume();
  }
}

function runChild(opt) {
  const servers = [];
  const ports = [];
  const clients = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netwatch-loadgen-'));
  const wantsV6 = (i) => (i % 10) / 10 < opt.v6;

  const listenOne = (host) =>
    new Promise((resolve, reject) => {
      const srv = net.createServer((s) => {
        s.on('error', () => {});
        s.on('data', () => {});
      });
      srv.on('error', reject);
      srv.listen({ host, port: 0, backlog: 4096 }, () => {
        servers.push(srv);
        ports.push(srv.address().port);
        resolve(srv);
      });
    });

  const connectOne = (srv) =>
    new Promise((resolve) => {
      const a = srv.address();
      const c = net.connect({ host: a.address, port: a.port });
      c.on('connect', () => resolve(c));
      c.on('error', () => resolve(null));
    });

  (async () => {
    const v4 = await listenOne('127.0.0.1');
    const v6 = await listenOne('::1').catch(() => v4);
    for (let i = 1; i < opt.listeners; i++) await listenOne('127.0.0.1');
    for (let i = 0; i < opt.connections; i++) {
      const c = await connectOne(wantsV6(i) ? v6 : v4);
      if (c) clients.push(c);
    }
    for (let i = 0; i < opt.udp; i++) {
      const s = dgram.createSocket(i % 2 ? 'udp6' : 'udp4');
      s.bind(0, i % 2 ? '::1' : '127.0.0.1');
      s.on('error', () => {});
    }
    for (let i = 0; i < opt.unix; i++) {
      const p = path.join(dir, `s${i}.sock`);
      const srv = net.createServer(() => {});
      srv.listen(p);
      servers.push(srv);
    }
    if (opt.churn > 0) {
      // Close and reopen `churn` connections per second, in 10 slices a second.
      let carry = 0;
      setInterval(async () => {
        carry += opt.churn / 10;
        const k = Math.floor(carry);
        carry -= k;
        for (let j = 0; j < k && clients.length > 0; j++) {
          const idx = Math.floor(Math.random() * clients.length);
          const old = clients[idx];
          clients[idx] = clients[clients.length - 1];
          clients.pop();
          old.destroy();
          const c = await connectOne(wantsV6(idx) ? v6 : v4);
          if (c) clients.push(c);
        }
      }, 100);
    }
    process.send({ pid: process.pid, ports });
  })().catch((err) => {
    process.stderr.write(`loadgen child: ${err.message}\n`);
    process.exit(1);
  });

  const cleanup = () => {
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGTERM', cleanup);
  process.on('SIGINT', cleanup);
  process.on('disconnect', cleanup);
}
