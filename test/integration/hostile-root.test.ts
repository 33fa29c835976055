// Untrusted --root trees (issue 16): FIFOs, devices, sockets and directories where files belong, symlinks
// that leave the tree or loop. Each tree is a copy of fixtures/live-t0 with one thing replaced, run through
// the real CLI in a child process with a time limit, so a regression that blocks shows as a failed test
// rather than a suite that never ends.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, fixture } from '../helpers/cli.js';

const PID = '3753'; // a process of live-t0 that holds sockets

interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function run(root: string, args: string[]): Run {
  const started = performance.now();
  const r = spawnSync(process.execPath, [BIN, '--root', root, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 30_000, // a run that blocks is killed here and fails on its signal
    maxBuffer: 64 * 1024 * 1024,
  });
  return {
    status: r.status,
    signal: r.signal,
    stdout: r.stdout,
    stderr: r.stderr,
    ms: performance.now() - started,
  };
}

/** Ended by itself, status 0, no stack trace, every stderr line ours or one of netstat's messages. */
function expectClean(r: Run): void {
  expect(r.signal, `killed after ${Math.round(r.ms)} ms: it blocked`).toBeNull();
  expect(r.stderr).not.toMatch(/\n\s+at |Error:/);
  expect(r.status, r.stderr).toBe(0);
  for (const line of r.stderr.split('\n').filter(Boolean)) {
    expect(line).toMatch(/^netwatch: |^\(Not all processes|^ will not be shown|^cannot open \/proc\/net\//);
  }
}

let base: string;
let outside: string;
let n = 0;
const SECRET = 'netwatch-secret-outside-the-tree';

/** A fresh copy of live-t0 with `mutate` applied. */
function tree(mutate: (root: string) => void): string {
  const root = join(base, `t${n++}`);
  fs.cpSync(fixture('live-t0'), root, { recursive: true, verbatimSymlinks: true });
  mutate(root);
  return root;
}

function replaceWith(root: string, rel: string, make: (abs: string) => void): void {
  const abs = join(root, rel);
  fs.rmSync(abs, { recursive: true, force: true });
  make(abs);
}

const fifo = (abs: string) => execFileSync('mkfifo', [abs]);

beforeAll(() => {
  base = fs.mkdtempSync(join(tmpdir(), 'netwatch-hostile-'));
  outside = join(base, 'outside');
  fs.mkdirSync(outside);
  fs.writeFileSync(join(outside, 'secret'), `${SECRET}\n`);
});

afterAll(() => {
  fs.rmSync(base, { recursive: true, force: true });
});

describe('a FIFO where a file belongs: one warning, never a hang', { timeout: 90_000 }, () => {
  it.each([
    ['proc/net/tcp', ['--once', '-tan'], 'cannot read /proc/net/tcp: a FIFO, not a regular file'],
    ['proc/net/snmp', ['--once', '-s'], 'cannot read /proc/net/snmp: a FIFO, not a regular file'],
    ['etc/passwd', ['--once', '-anpe'], 'cannot read /etc/passwd: a FIFO, not a regular file'],
    [
      'proc/sys/kernel/hostname',
      ['--once', '--json'],
      'cannot read /proc/sys/kernel/hostname: a FIFO, not a regular file',
    ],
  ])('%s (%s)', (rel, args, warning) => {
    const root = tree((r) => replaceWith(r, rel, fifo));
    const r = run(root, args as string[]);
    expectClean(r);
    expect(r.stderr.split('\n').filter((l) => l === `netwatch: ${warning}`)).toHaveLength(1);
  });

  it("a process's comm: that process is unreadable, the others keep their owners", () => {
    const root = tree((r) => replaceWith(r, `proc/${PID}/comm`, fifo));
    const r = run(root, ['--once', '-tanp']);
    expectClean(r);
    expect(r.stdout).not.toContain(`${PID}/`);
    expect(r.stdout).toMatch(/\b3752\/node\b/);
    // Not net-tools' notice (that is for a refused fd directory): a line saying which process and why.
    expect(r.stderr).toContain(`netwatch: process ${PID} could not be read: a FIFO, not a regular file`);
    expect(r.stderr).not.toContain('Not all processes could be identified');
  });

  it('--json reads the rest of the tree and says which table it skipped', () => {
    const root = tree((r) => replaceWith(r, 'proc/net/unix', fifo));
    const r = run(root, ['--once', '--json']);
    expectClean(r);
    const json = JSON.parse(r.stdout) as { sockets: { proto: string }[] };
    expect(json.sockets.some((s) => s.proto === 'tcp')).toBe(true);
    expect(json.sockets.some((s) => s.proto === 'unix')).toBe(false);
    expect(r.stderr).toContain('netwatch: cannot read /proc/net/unix: a FIFO, not a regular file');
  });
});

describe('symlinks that leave the tree are not followed', { timeout: 90_000 }, () => {
  it('a cmdline linked to a file outside: the file is not read, the process is counted unreadable', () => {
    const root = tree((r) =>
      replaceWith(r, `proc/${PID}/cmdline`, (abs) => fs.symlinkSync(join(outside, 'secret'), abs)),
    );
    const r = run(root, ['--once', '--json']);
    expectClean(r);
    expect(r.stdout).not.toContain(SECRET);
    expect(r.stdout).toContain('"tcp"');
  });

  it('a relative link that climbs out (../../../outside/secret) is refused too', () => {
    const root = tree((r) =>
      replaceWith(r, `proc/${PID}/cmdline`, (abs) => fs.symlinkSync(`../../../outside/secret`, abs)),
    );
    // The tree is base/tN, so three levels up from proc/PID is base: ../../../outside is base/outside.
    expect(fs.readFileSync(join(root, `proc/${PID}/cmdline`), 'utf8')).toContain(SECRET);
    const r = run(root, ['--once', '-tanp', '--json']);
    expectClean(r);
    expect(r.stdout).not.toContain(SECRET);
  });

  it('a link inside the tree is followed', () => {
    const root = tree((r) => {
      fs.writeFileSync(join(r, 'cmdline-inside'), 'inside-the-tree\0--flag\0');
      replaceWith(r, `proc/${PID}/cmdline`, (abs) => fs.symlinkSync('../../cmdline-inside', abs));
    });
    const r = run(root, ['--once', '--json']);
    expectClean(r);
    expect(r.stdout).toContain('inside-the-tree --flag');
  });

  it('proc/net/tcp linked to /dev/zero costs nothing', () => {
    const root = tree((r) => replaceWith(r, 'proc/net/tcp', (abs) => fs.symlinkSync('/dev/zero', abs)));
    const r = run(root, ['--once', '-tan']);
    expectClean(r);
    expect(r.stderr).toContain('netwatch: cannot read /proc/net/tcp: resolves outside the root');
    expect(r.ms).toBeLessThan(10_000); // it took 20 s and 3-6 GB before; ~0.2 s now
  });

  it("a process's fd directory linked to the live host's /proc/self/fd: none of its links are read", () => {
    const root = tree((r) => replaceWith(r, `proc/${PID}/fd`, (abs) => fs.symlinkSync('/proc/self/fd', abs)));
    const r = run(root, ['--once', '-tanp']);
    expectClean(r);
    expect(r.stdout).not.toContain(`${PID}/`);
  });

  it('the proc directory itself linked out of the tree is not a host root', () => {
    const root = tree((r) => replaceWith(r, 'proc', (abs) => fs.symlinkSync('/proc', abs)));
    const r = run(root, ['--once', '-tan']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^netwatch: .*is not a directory: is --root .* a host root\?\n$/);
  });
});

describe('directories, loops, devices and sockets where files belong', { timeout: 90_000 }, () => {
  it.each([
    ['etc/passwd a directory', (abs: string) => fs.mkdirSync(abs), 'a directory, not a regular file'],
    ['etc/passwd a symlink loop', (abs: string) => fs.symlinkSync('passwd', abs), 'ELOOP'],
  ])('%s: -e and -anpe print the tables and one warning', (_name, make, why) => {
    const root = tree((r) => replaceWith(r, 'etc/passwd', make));
    for (const args of [
      ['--once', '-e'],
      ['--once', '-anpe'],
    ]) {
      const r = run(root, args);
      expectClean(r);
      expect(r.stdout).toContain('tcp');
      const warnings = r.stderr
        .split('\n')
        .filter((l) => l.startsWith('netwatch: cannot read /etc/passwd: '));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(why);
    }
  });

  it('a pid directory that loops (proc/N -> .) or links in a circle costs one look each', () => {
    const root = tree((r) => {
      fs.symlinkSync('.', join(r, 'proc/9001'));
      fs.symlinkSync('9003', join(r, 'proc/9002'));
      fs.symlinkSync('9002', join(r, 'proc/9003'));
      fs.symlinkSync('../../9004', join(r, 'proc/9004'));
    });
    const r = run(root, ['--once', '-anp']);
    expectClean(r);
    expect(r.stdout).toMatch(/\b3752\/node\b/);
  });

  it('a unix socket in place of proc/net/udp is refused', async () => {
    const root = tree((r) => fs.rmSync(join(r, 'proc/net/udp')));
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(join(root, 'proc/net/udp'), resolve));
    try {
      const r = run(root, ['--once', '-uan']);
      expectClean(r);
      expect(r.stderr).toContain('netwatch: cannot read /proc/net/udp: a socket, not a regular file');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a character device inside the tree is refused without opening it (root only: mknod)', (ctx) => {
    const root = tree(() => {});
    const abs = join(root, 'proc/net/raw');
    fs.rmSync(abs);
    try {
      execFileSync('mknod', [abs, 'c', '1', '5'], { stdio: 'ignore' }); // /dev/zero's numbers
    } catch {
      ctx.skip(); // not root (no CAP_MKNOD): a user cannot plant a device in a tree either
    }
    const r = run(root, ['--once', '-wan']);
    expectClean(r);
    expect(r.stderr).toContain('netwatch: cannot read /proc/net/raw: a character device, not a regular file');
  });
});

// The reader checks where a file really is through /proc/self/fd; netstat-compare.mjs mounts a fixture's
// proc over /proc, where there is no /proc/self. The checks must hold there too, by device and inode.
const canUnshare =
  process.getuid?.() === 0 && spawnSync('unshare', ['-m', 'true'], { stdio: 'ignore' }).status === 0;
describe.skipIf(!canUnshare)('with no /proc/self (a tree mounted over /proc)', { timeout: 90_000 }, () => {
  it('reads the files, still refuses a FIFO and a link out of the tree', () => {
    const root = tree((r) => {
      replaceWith(r, 'proc/net/udp', fifo);
      replaceWith(r, 'proc/net/raw', (abs) => fs.symlinkSync(join(outside, 'secret'), abs));
    });
    const script = `mount --bind ${root}/proc /proc && exec ${process.execPath} ${BIN} --root ${root} --once -tuwn`;
    const r = spawnSync('unshare', ['-m', 'sh', '-c', script], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 30_000,
    });
    expect(r.signal, 'it blocked').toBeNull();
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^tcp +0 +0 127\.0\.0\.1:38151 /m);
    expect(r.stdout).not.toContain(SECRET);
    expect(r.stderr).toContain('netwatch: cannot read /proc/net/udp: a FIFO, not a regular file');
    expect(r.stderr).toContain('netwatch: cannot read /proc/net/raw: resolves outside the root');
  });
});
