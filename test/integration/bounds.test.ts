// Bounded input (issues 12 and 15): a 10 MB line in every file of a tree, 1,000,000 lines in
// /proc/net/unix, a file over its read cap, and a real process with a 1.8 MB command line. Each collect runs
// in a child process that reports its own time and memory, so a regression shows as a figure over its
// bound rather than as a machine that swaps.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CMDLINE_MAX, NAME_MAX } from '../../src/model/bounds.js';
import type { Snapshot } from '../../src/model/types.js';
import { fdSocketsFor, tcpDumpFor } from '../../src/sample/native.js';
import { HostReader } from '../../src/sample/reader.js';
import { Collector, SELECT_ALL } from '../../src/sample/sampler.js';
import { fixture, REPO } from '../helpers/cli.js';

interface Measured {
  ms: number;
  rssMiB: number;
  sockets: number;
  unix: number;
  warnings: string[];
  longestName: number;
}

/** Collect `root` twice in a fresh process (dist/lib.js): the second collect's time, the peak RSS. */
function measure(root: string): Measured {
  const script = `
    const lib = await import(${JSON.stringify(`${REPO}dist/lib.js`)});
    const c = new lib.Collector(new lib.HostReader(${JSON.stringify(root)}), undefined, false);
    c.collect(lib.SELECT_ALL);
    const t = performance.now();
    const s = c.collect(lib.SELECT_ALL);
    const ms = performance.now() - t;
    const names = [s.hostname];
    for (const x of s.sockets) if (x.kind === 'unix') names.push(x.path);
    for (const i of s.interfaces) names.push(i.name, i.operstate ?? '');
    for (const r of s.routes) names.push(r.iface);
    for (const m of s.multicast) names.push(m.iface);
    for (const [g, values] of s.counters) names.push(g, ...values.keys());
    for (const list of s.owners.values()) for (const p of list) names.push(p.command, p.user ?? '');
    process.stdout.write(JSON.stringify({
      ms, rssMiB: process.resourceUsage().maxRSS / 1024, sockets: s.sockets.length,
      unix: s.sockets.filter((x) => x.kind === 'unix').length, warnings: s.warnings,
      longestName: names.reduce((m, n) => Math.max(m, n.length), 0),
    }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 80_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`measuring ${root} failed (${r.status} ${r.signal}): ${r.stderr}`);
  const m: Measured = JSON.parse(r.stdout);
  // The README's figures: NETWATCH_FIGURES=1 npx vitest run test/integration/bounds.test.ts
  if (process.env.NETWATCH_FIGURES === '1')
    process.stderr.write(
      `bounds: ${root}: ${Math.round(m.ms)} ms, ${Math.round(m.rssMiB)} MiB RSS, ${m.sockets} sockets\n`,
    );
  return m;
}

let base: string;

beforeAll(() => {
  base = fs.mkdtempSync(join(tmpdir(), 'netwatch-bounds-'));
});

afterAll(() => {
  if (base) fs.rmSync(base, { recursive: true, force: true });
});

describe('bounded input', () => {
  it('a 10 MB line in every file of a tree: one bounded collect, every name capped', () => {
    const root = join(base, 'long-lines');
    fs.cpSync(fixture('live-t0'), root, { recursive: true, verbatimSymlinks: true });
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.isFile()) files.push(p);
      }
    };
    walk(root);
    // Two shapes: one long word (one huge name), and five million short tokens (a split's worst case).
    const word = `${'x'.repeat(10_000_000)}\n`;
    const tokens = `${'1 '.repeat(5_000_000)}\n`;
    files.forEach((file, i) => {
      fs.appendFileSync(file, i % 2 ? word : tokens);
    });
    expect(files.length).toBeGreaterThan(40);
    const m = measure(root);
    expect(m.sockets).toBeGreaterThan(4000); // every good line still read
    expect(m.longestName).toBeLessThanOrEqual(NAME_MAX + 1);
    expect(m.ms).toBeLessThan(15_000); // ~0.2 s here; bounded, not fast, on a loaded machine
    expect(m.rssMiB).toBeLessThan(600); // ~115 MiB here
  }, 120_000);

  it('1,000,000 lines in /proc/net/unix: all read, in bounded time and memory', () => {
    const root = join(base, 'million');
    fs.mkdirSync(join(root, 'proc/net'), { recursive: true });
    const fd = fs.openSync(join(root, 'proc/net/unix'), 'w');
    fs.writeSync(fd, 'Num       RefCount Protocol Flags    Type St Inode Path\n');
    const chunk: string[] = [];
    for (let i = 0; i < 1_000_000; i++) {
      chunk.push(`0000000000000000: 00000003 00000000 00000000 0001 03 ${100_000 + i}\n`);
      if (chunk.length === 50_000) {
        fs.writeSync(fd, chunk.join(''));
        chunk.length = 0;
      }
    }
    fs.closeSync(fd);
    const m = measure(root);
    expect(m.unix).toBe(1_000_000);
    expect(m.warnings).toEqual([]);
    expect(m.ms).toBeLessThan(30_000); // ~1.5 s here
    expect(m.rssMiB).toBeLessThan(1024); // ~550 MiB here (two collects)
  }, 120_000);

  it('a file over its read cap is read up to the cap, with one warning', () => {
    const root = join(base, 'over-cap');
    fs.mkdirSync(join(root, 'proc/net'), { recursive: true });
    const pair = 'Tcp: RtoMin RtoMax\nTcp: 200 120000\n';
    fs.writeFileSync(join(root, 'proc/net/snmp'), pair.repeat(Math.ceil((2 * 1024 * 1024) / pair.length)));
    const s = new Collector(new HostReader(root)).collect({ ...SELECT_ALL, owners: false });
    expect(s.warnings).toEqual(['/proc/net/snmp is larger than 1 MiB: read only that much']);
    expect(s.counters.get('Tcp')?.get('RtoMax')).toBe(120000n);
  });
});

describe('a real process with a 1.8 MB command line', () => {
  let child: ChildProcess;
  let port: number;

  beforeAll(async () => {
    // 14 arguments of 130,000 bytes (one argument may hold at most 128 KiB), as in issue 15.
    const args = Array.from({ length: 14 }, (_, i) => `${i}`.padEnd(130_000, 'a'));
    const code = `const s=require('node:net').createServer();s.listen(0,'127.0.0.1',()=>process.stdout.write(s.address().port+'\\n'));process.stdin.resume();process.stdin.on('end',()=>process.exit(0));`;
    child = spawn(process.execPath, ['-e', code, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
    port = await new Promise((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d;
        if (out.includes('\n')) resolve(Number(out));
      });
      child.on('exit', (c) => reject(new Error(`child exited with ${c}`)));
    });
  });

  afterAll(() => {
    child?.stdin?.end();
    child?.kill();
  });

  it('enters the model cut at 4 KiB, marked, with cmdlineTruncated', () => {
    expect(fs.statSync(`/proc/${child.pid}/cmdline`).size).toBe(0); // /proc sizes say nothing
    const collector = new Collector(
      new HostReader('/'),
      undefined,
      false,
      tcpDumpFor('/'),
      fdSocketsFor('/'),
    );
    const s: Snapshot = collector.collect(SELECT_ALL);
    const listener = s.sockets.find(
      (x) => x.kind === 'inet' && x.state === 'LISTEN' && x.local.port === port,
    );
    const owner = s.owners.get(listener!.inode)?.find((p) => p.pid === child.pid);
    expect(owner?.cmdlineTruncated).toBe(true);
    expect(owner!.cmdline).toHaveLength(CMDLINE_MAX + 1);
    expect(owner!.cmdline.startsWith(`${process.execPath} -e `)).toBe(true);
    expect(owner!.cmdline.endsWith('…')).toBe(true);
  });
});
