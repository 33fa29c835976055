// Issue 12: `--once --json` repeated a process's whole command line inside every socket it held, so a
// 2 MB argv × 20,000 sockets could not be serialised (RangeError: Invalid string length, 2.5 GB RSS).
// Each process is now listed once; this runs the binary on such a tree and bounds its memory and time.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';

const SOCKETS = 20_000;
const CMDLINE_BYTES = 2 * 1024 * 1024;
const MAXRSS = fileURLToPath(new URL('../helpers/maxrss.mjs', import.meta.url));

let root = '';
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'netwatch-amplify-'));
  const hex = (n: number, w: number) => n.toString(16).toUpperCase().padStart(w, '0');
  const lines = [
    '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
  ];
  for (let i = 0; i < SOCKETS; i++) {
    lines.push(
      `${String(i).padStart(5)}: 0100007F:${hex(1024 + (i % 60000), 4)} 0100007F:${hex(40000 + (i % 20000), 4)} 01 00000000:00000000 00:00000000 00000000  1000        0 ${100000 + i} 1 0000000000000000 20 4 30 10 -1`,
    );
  }
  mkdirSync(join(root, 'proc/net'), { recursive: true });
  writeFileSync(join(root, 'proc/net/tcp'), `${lines.join('\n')}\n`);
  const pid = join(root, 'proc/4242');
  mkdirSync(join(pid, 'fd'), { recursive: true });
  writeFileSync(join(pid, 'comm'), 'bigargv\n');
  writeFileSync(join(pid, 'status'), 'Name:\tbigargv\nUid:\t1000\t1000\t1000\t1000\n');
  // 16 arguments of 128 KiB, as the process in issue 15 had.
  const arg = 'A'.repeat(CMDLINE_BYTES / 16 - 1);
  writeFileSync(join(pid, 'cmdline'), `${Array.from({ length: 16 }, () => arg).join('\0')}\0`);
  for (let i = 0; i < SOCKETS; i++) symlinkSync(`socket:[${100000 + i}]`, join(pid, 'fd', String(i + 3)));
  mkdirSync(join(root, 'etc'), { recursive: true });
  writeFileSync(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nbig:x:1000:1000::/:/bin/sh\n');
}, 60_000);

afterAll(() => {
  if (root && !process.env.KEEP) rmSync(root, { recursive: true, force: true });
});

describe('--once --json with 20,000 sockets of one process with a 2 MB command line', () => {
  it('lists the process once, stays under 200 MiB RSS and a few seconds', () => {
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [MAXRSS, BIN, '--once', '--json', '--root', root], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      maxBuffer: 512 * 1024 * 1024,
      timeout: 60_000,
    });
    const wallMs = Date.now() - t0;
    expect(r.status, r.stderr).toBe(0);
    const usage = JSON.parse(r.output[3] as string) as { maxRssKiB: number; cpuMs: number };
    const doc = JSON.parse(r.stdout);
    expect(doc.sockets).toHaveLength(SOCKETS);
    expect(doc.sockets.every((s: { pids: number[] }) => s.pids.length === 1 && s.pids[0] === 4242)).toBe(
      true,
    );
    expect(Object.keys(doc.processes)).toEqual(['4242']);
    expect(doc.processes['4242']).toMatchObject({ pid: 4242, command: 'bigargv', uid: 1000, user: 'big' });
    // The command line appears once (cut or whole, as the sampler keeps it), never once per socket.
    expect(r.stdout.length).toBeLessThan(CMDLINE_BYTES + SOCKETS * 1024);
    expect(usage.maxRssKiB / 1024, 'MiB').toBeLessThan(200);
    // ~1 s here; generous for a loaded 2-core machine.
    expect(wallMs).toBeLessThan(15_000);
    console.log(
      `json amplification: ${Math.round(usage.maxRssKiB / 1024)} MiB peak RSS, ${wallMs} ms, ${r.stdout.length} bytes`,
    );
  }, 60_000);
});
