// Spoofed unix sockets (issue 16), with real sockets: an abstract name that holds a newline and a
// well-formed /proc/net/unix line, and a path with a newline. The sampler's snapshot and `--once -x` must
// show the sockets `ss` shows (netlink), no invented one, and each name whole.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UnixSocket } from '../../src/model/types.js';
import { unixDumpFor } from '../../src/sample/native.js';
import { HostReader } from '../../src/sample/reader.js';
import { Collector, SELECT_NOTHING } from '../../src/sample/sampler.js';
import { BIN } from '../helpers/cli.js';

const FAKE = '0000000000000000: 00000002 00000000 00010000 0001 01 424242 /run/fake-sshd.sock';

const PYTHON = `
import json, os, socket, sys
d = sys.argv[1]
a = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
a.bind(b"\\0x\\n" + sys.argv[2].encode())
a.listen(1)
p = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
p.bind(os.path.join(d, "a\\nb tail.sock"))
p.listen(1)
print(json.dumps({"abstract": os.fstat(a.fileno()).st_ino, "path": os.fstat(p.fileno()).st_ino}), flush=True)
sys.stdin.read()
`;

function hasPython(): boolean {
  try {
    execFileSync('python3', ['-c', 'pass'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const UNIX_ONLY = { ...SELECT_NOTHING, unix: true };

describe.runIf(hasPython())('unix sockets whose names hold newlines', () => {
  let dir: string;
  let child: ChildProcess;
  let inodes: { abstract: number; path: number };

  beforeAll(async () => {
    dir = fs.mkdtempSync(join(tmpdir(), 'netwatch-spoof-'));
    child = spawn('python3', ['-c', PYTHON, dir, FAKE], { stdio: ['pipe', 'pipe', 'inherit'] });
    inodes = await new Promise((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(JSON.parse(out));
      });
      child.on('exit', (code) => reject(new Error(`python exited with ${code}`)));
    });
  });

  afterAll(() => {
    child?.kill('SIGKILL');
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const unix = (c: Collector) =>
    c.collect(UNIX_ONLY).sockets.filter((s): s is UnixSocket => s.kind === 'unix');

  it('/proc alone is fooled: the forged line reads as a socket (what the check below must undo)', () => {
    const rows = unix(new Collector(new HostReader('/'), undefined, false, undefined, undefined, null));
    expect(rows.some((s) => s.inode === 424242 && s.path === '/run/fake-sshd.sock')).toBe(true);
  });

  it.runIf(unixDumpFor('/') !== undefined)(
    'the sampler shows no invented socket, and both names whole',
    () => {
      const collector = new Collector(new HostReader('/'), undefined, true);
      expect(collector.unixChecked).toBe(true);
      for (let tick = 0; tick < 2; tick++) {
        const rows = unix(collector);
        expect(rows.filter((s) => s.inode === 424242)).toEqual([]);
        expect(rows.filter((s) => s.path.includes('fake-sshd'))).toHaveLength(1);
        expect(rows.find((s) => s.inode === inodes.abstract)).toMatchObject({
          path: `@x\n${FAKE}`,
          state: 'LISTENING',
          type: 'STREAM',
        });
        expect(rows.find((s) => s.inode === inodes.path)?.path).toBe(join(dir, 'a\nb tail.sock'));
      }
    },
  );

  it.runIf(unixDumpFor('/') !== undefined)(
    '--once -xa lists the sockets ss lists: one line each, the forged one nowhere',
    () => {
      const r = spawnSync(process.execPath, [BIN, '--once', '-xa'], {
        encoding: 'utf8',
        timeout: 15_000,
        maxBuffer: 256 * 1024 * 1024,
      });
      expect(r.status).toBe(0);
      const lines = r.stdout.split('\n');
      expect(lines.filter((l) => l.includes('fake-sshd'))).toHaveLength(1);
      expect(lines.find((l) => l.includes('fake-sshd'))).toContain(String(inodes.abstract));
      expect(lines.filter((l) => l.includes('b tail.sock'))).toHaveLength(1);
      expect(lines.some((l) => /\b424242\b/.test(l) && !l.includes(String(inodes.abstract)))).toBe(false);
      // ss reads netlink: as many listening sockets of the child as we show (two), not three.
      const ss = execFileSync('ss', ['-xlpH'], { encoding: 'utf8' });
      const ofChild = ss.split(`pid=${child.pid},`).length - 1;
      expect(ofChild).toBe(2);
    },
  );
});
