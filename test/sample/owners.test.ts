import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OwnerMap } from '../../src/model/types.js';
import {
  OwnerScanner,
  ownersFromPairs,
  parseCmdline,
  parseComm,
  parseSocketLink,
  parseStatusUid,
} from '../../src/sample/owners.js';
import { HostReader } from '../../src/sample/reader.js';
import { UserNames } from '../../src/sample/users.js';

describe('parseSocketLink', () => {
  const cases: [string, string, number][] = [
    ['socket', 'socket:[12345]', 12345],
    ['large 32-bit inode', 'socket:[4294967295]', 4294967295],
    ['pipe', 'pipe:[11981]', 0],
    ['file', '/dev/null', 0],
    ['anon inode', 'anon_inode:[eventpoll]', 0],
    ['malformed: no closing bracket', 'socket:[123', 0],
    ['malformed: empty inode', 'socket:[]', 0],
    ['malformed: non-digit', 'socket:[12a4]', 0],
    ['malformed: trailing text', 'socket:[12] (deleted)', 0],
    ['malformed: prefix only', 'socket:[', 0],
  ];
  for (const [name, target, want] of cases) {
    it(name, () => {
      expect(parseSocketLink(target)).toBe(want);
    });
  }
});

describe('parseComm / parseCmdline / parseStatusUid', () => {
  const comm: [string, string, string][] = [
    ['trailing newline trimmed', 'node\n', 'node'],
    ['only one newline trimmed', 'a\n\n', 'a\n'],
    ['no newline', 'sshd', 'sshd'],
    ['spaces kept', 'Web Content\n', 'Web Content'],
  ];
  for (const [name, text, want] of comm) {
    it(`comm: ${name}`, () => {
      expect(parseComm(text)).toBe(want);
    });
  }

  const cmdline: [string, string, string][] = [
    [
      'NULs become spaces, trailing one dropped',
      '/usr/bin/node\0app.js\0--port\x008080\0',
      '/usr/bin/node app.js --port 8080',
    ],
    ['kernel thread', '', ''],
    ['setproctitle padding', 'nginx: worker process\0\0\0\0', 'nginx: worker process'],
    ['empty argument kept', 'a\0\0b\0', 'a  b'],
    ['no trailing NUL', 'sh', 'sh'],
  ];
  for (const [name, text, want] of cmdline) {
    it(`cmdline: ${name}`, () => {
      expect(parseCmdline(text)).toEqual({ text: want, truncated: false });
    });
  }

  it('cmdline: a long one is cut at 4,096 code units, marked with … and flagged', () => {
    const arg = 'x'.repeat(130_000);
    const text = `/usr/bin/python3\0-c\0${arg}\0${arg}\0`;
    const { text: kept, truncated } = parseCmdline(text);
    expect(truncated).toBe(true);
    expect(kept).toHaveLength(4097);
    expect(kept.startsWith('/usr/bin/python3 -c xxx')).toBe(true);
    expect(kept.endsWith('x…')).toBe(true);
  });

  it('cmdline: exactly 4,096 code units is kept whole; one more is cut', () => {
    expect(parseCmdline('a'.repeat(4096))).toEqual({ text: 'a'.repeat(4096), truncated: false });
    expect(parseCmdline(`${'a'.repeat(4096)}\0\0\0`)).toEqual({ text: 'a'.repeat(4096), truncated: false });
    expect(parseCmdline('a'.repeat(4097))).toEqual({ text: `${'a'.repeat(4096)}…`, truncated: true });
  });

  it('cmdline: a read that stopped at its cap is flagged even when what was read is short', () => {
    expect(parseCmdline('sh\0-c\0', true)).toEqual({ text: 'sh -c…', truncated: true });
  });

  it('comm: a hostile 2 MB comm (a --root tree) is cut at 1,024 code units and marked', () => {
    const comm = parseComm(`${'n'.repeat(2_000_000)}\n`);
    expect(comm).toBe(`${'n'.repeat(1024)}…`);
  });

  const status: [string, string, number | undefined][] = [
    ['real uid is the first number', 'Name:\tx\nUid:\t1000\t0\t0\t0\nGid:\t0\n', 1000],
    ['Uid on the first line', 'Uid:\t7\t7\t7\t7\n', 7],
    ['malformed: no Uid line', 'Name:\tx\nGid:\t0\t0\t0\t0\n', undefined],
    ['malformed: Uid without number', 'Name:\tx\nUid:\t\n', undefined],
    ['malformed: Uid inside another word', 'Name:\txUid:\t5\n', undefined],
  ];
  for (const [name, text, want] of status) {
    it(`status: ${name}`, () => {
      expect(parseStatusUid(text)).toBe(want);
    });
  }
});

/** Records fd directory reads and throws injected errno errors for chosen paths. */
class TestReader extends HostReader {
  readonly dirReads: string[] = [];
  readonly linkReads: string[] = [];
  readonly faults = new Map<string, string>();

  private fault(rel: string): void {
    const code = this.faults.get(rel);
    if (code !== undefined) throw Object.assign(new Error(`${code}: ${rel}`), { code });
  }
  override readDir(rel: string): string[] {
    this.dirReads.push(rel);
    this.fault(rel);
    return super.readDir(rel);
  }
  override readLink(rel: string): string {
    this.linkReads.push(rel);
    this.fault(rel);
    return super.readLink(rel);
  }
  override readText(rel: string, limit?: number, wholeLines?: boolean): string | undefined {
    this.fault(rel);
    return super.readText(rel, limit, wholeLines);
  }
  /** fd directories read since the last call. */
  takeFdReads(): string[] {
    const fds = this.dirReads.filter((rel) => rel.endsWith('/fd'));
    this.dirReads.length = 0;
    return fds.sort();
  }
}

interface FakeProcess {
  comm?: string;
  cmdline?: string;
  uid?: number;
  /** fd number → inode (socket) or raw link target. */
  fds?: Record<number, number | string>;
}

function pidsOf(owners: OwnerMap, inode: number): number[] | undefined {
  return owners.get(inode)?.map((p) => p.pid);
}

describe('OwnerScanner on a hand-made proc tree', () => {
  let root: string;
  let reader: TestReader;

  const proc = (pid: number, p: FakeProcess = {}): void => {
    const dir = path.join(root, 'proc', String(pid));
    fs.mkdirSync(path.join(dir, 'fd'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'comm'), `${p.comm ?? `proc${pid}`}\n`);
    fs.writeFileSync(path.join(dir, 'cmdline'), p.cmdline ?? `/bin/proc${pid}\0`);
    if (p.uid !== undefined)
      fs.writeFileSync(path.join(dir, 'status'), `Name:\tx\nUid:\t${p.uid}\t0\t0\t0\n`);
    for (const [fd, target] of Object.entries(p.fds ?? {})) link(pid, Number(fd), target);
  };
  const link = (pid: number, fd: number, target: number | string): void => {
    const to = typeof target === 'number' ? `socket:[${target}]` : target;
    fs.symlinkSync(to, path.join(root, 'proc', String(pid), 'fd', String(fd)));
  };
  const inodes = (...list: number[]): ReadonlySet<number> => new Set(list);

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'netwatch-owners-'));
    fs.mkdirSync(path.join(root, 'etc'));
    fs.writeFileSync(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/:\n');
    // Non-process entries that a real /proc has at top level.
    fs.mkdirSync(path.join(root, 'proc', 'net'), { recursive: true });
    fs.mkdirSync(path.join(root, 'proc', 'self'));
    reader = new TestReader(root);
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('lists every holder of a shared socket once, sorted by pid', () => {
    proc(200, { fds: { 3: 5000 } });
    proc(100, { fds: { 3: 5000, 4: 5000, 5: 'pipe:[77]', 6: '/dev/null' } });
    const { owners, stats } = new OwnerScanner(reader).scan(inodes(5000));
    expect(pidsOf(owners, 5000)).toEqual([100, 200]);
    expect(stats).toEqual({ processes: 2, unreadable: 0, deniedFdDirs: 0, vanished: 0, rescanned: 2 });
  });

  it('fills command, cmdline, uid and user', () => {
    proc(100, {
      comm: 'node',
      cmdline: '/usr/bin/node\0server.js\0--port\x008080\0',
      uid: 1000,
      fds: { 3: 1 },
    });
    proc(101, { uid: 4242, fds: { 3: 2 } });
    proc(102, { cmdline: '', fds: { 3: 3 } }); // no status file: uid from the owner of proc/102
    const { owners } = new OwnerScanner(reader).scan(inodes(1, 2, 3));
    expect(owners.get(1)).toEqual([
      {
        pid: 100,
        command: 'node',
        cmdline: '/usr/bin/node server.js --port 8080',
        argv0: '/usr/bin/node',
        uid: 1000,
        user: 'alice',
      },
    ]);
    expect(owners.get(2)?.[0]).toEqual({
      pid: 101,
      command: 'proc101',
      cmdline: '/bin/proc101',
      argv0: '/bin/proc101',
      uid: 4242,
    });
    expect(owners.get(2)?.[0]).not.toHaveProperty('user');
    const uid = fs.statSync(path.join(root, 'proc', '102')).uid;
    expect(owners.get(3)?.[0]).toMatchObject({ pid: 102, cmdline: '', uid });
  });

  it('keeps comm raw, control bytes and all (escaping is the printer job)', () => {
    const evil = '\x1b]0;pwned\x07\x9b';
    proc(100, { comm: evil, fds: { 3: 1 } });
    const { owners } = new OwnerScanner(reader).scan(inodes(1));
    const command = owners.get(1)![0]!.command;
    // The reader decodes UTF-8: U+009B (C1 CSI, written as C2 9B) arrives as the code point itself.
    expect([...command].map((c) => c.codePointAt(0))).toEqual([
      0x1b, 0x5d, 0x30, 0x3b, 0x70, 0x77, 0x6e, 0x65, 0x64, 0x07, 0x9b,
    ]);
  });

  it('never owns inode 0 and ignores non-numeric proc entries', () => {
    proc(100, { fds: { 3: 1, 4: 'socket:[0]' } });
    const { owners, stats } = new OwnerScanner(reader).scan(inodes(0, 1));
    expect([...owners.keys()]).toEqual([1]);
    expect(stats.processes).toBe(1);
  });

  it('drops a pid whose directory disappeared, with its inodes', () => {
    proc(100, { fds: { 3: 1000 } });
    proc(200, { fds: { 3: 2000 } });
    const scanner = new OwnerScanner(reader);
    expect(pidsOf(scanner.scan(inodes(1000, 2000)).owners, 2000)).toEqual([200]);
    fs.rmSync(path.join(root, 'proc', '200'), { recursive: true });
    const { owners, stats } = scanner.scan(inodes(1000, 2000));
    expect([...owners.keys()]).toEqual([1000]);
    expect(stats.processes).toBe(1);
    expect(stats.vanished).toBe(0); // gone before listing: not "mid-scan"
  });

  it('reads only the new pid fd directory when a new pid brings the new socket', () => {
    proc(100, { fds: { 3: 1000 } });
    proc(200, { fds: { 3: 2000 } });
    const scanner = new OwnerScanner(reader);
    scanner.scan(inodes(1000, 2000));
    reader.takeFdReads();
    proc(300, { fds: { 7: 3000 } });
    const { owners, stats } = scanner.scan(inodes(1000, 2000, 3000));
    expect(pidsOf(owners, 3000)).toEqual([300]);
    expect(reader.takeFdReads()).toEqual(['proc/300/fd']);
    expect(stats.rescanned).toBe(1);
  });

  it('follows only the fds that changed when a known process opens a socket (rule 5)', () => {
    proc(100, { fds: { 3: 1000, 4: 1001, 5: 1002, 6: 'pipe:[9]' } });
    const scanner = new OwnerScanner(reader, { fullEvery: 1000 });
    scanner.scan(inodes(1000, 1001, 1002));
    reader.linkReads.length = 0;
    link(100, 7, 1003);
    const { owners } = scanner.scan(inodes(1000, 1001, 1002, 1003));
    expect(pidsOf(owners, 1003)).toEqual([100]);
    expect(pidsOf(owners, 1001)).toEqual([100]);
    // The live sockets on fds 3-5 are not followed again; the pipe (not a socket) and the new fd are.
    expect(reader.linkReads.sort()).toEqual(['proc/100/fd/6', 'proc/100/fd/7']);
  });

  it('follows an fd again when its socket closed, so a reused fd number is seen (rule 5)', () => {
    proc(100, { fds: { 3: 1000, 4: 1001 } });
    const scanner = new OwnerScanner(reader, { fullEvery: 1000 });
    scanner.scan(inodes(1000, 1001));
    // Socket 1000 closes and fd 3 is reused for a new socket 2000.
    fs.rmSync(path.join(root, 'proc/100/fd/3'));
    link(100, 3, 2000);
    reader.linkReads.length = 0;
    const { owners } = scanner.scan(inodes(1001, 2000));
    expect(pidsOf(owners, 2000)).toEqual([100]);
    expect(owners.has(1000)).toBe(false);
    expect(reader.linkReads).toEqual(['proc/100/fd/3']);
  });

  it('follows every fd on the periodic full pass', () => {
    proc(100, { fds: { 3: 1000, 4: 1001 } });
    const scanner = new OwnerScanner(reader, { fullEvery: 2 });
    scanner.scan(inodes(1000, 1001)); // the first scan is a full pass
    reader.linkReads.length = 0;
    scanner.scan(inodes(1000, 1001));
    expect(reader.linkReads).toEqual([]);
    scanner.scan(inodes(1000, 1001)); // every 2nd scan: full, following every fd
    expect(reader.linkReads.sort()).toEqual(['proc/100/fd/3', 'proc/100/fd/4']);
  });

  it('hands back the same map when nothing changed, and keeps unchanged arrays when something did', () => {
    proc(100, { fds: { 3: 1000, 4: 1001 } });
    const scanner = new OwnerScanner(reader, { fullEvery: 1000 });
    const first = scanner.scan(inodes(1000, 1001)).owners;
    const second = scanner.scan(inodes(1000, 1001)).owners;
    expect(second).toBe(first);
    link(100, 5, 1002);
    const third = scanner.scan(inodes(1000, 1001, 1002)).owners;
    expect(third).not.toBe(first);
    expect(third.get(1000)).toBe(first.get(1000));
    expect(pidsOf(third, 1002)).toEqual([100]);
    // A socket that is no longer asked for is no longer in the map, even though nothing else changed.
    const fourth = scanner.scan(inodes(1000, 1002)).owners;
    expect([...fourth.keys()].sort()).toEqual([1000, 1002]);
  });

  it('scanAll maps every socket any process holds, without being told which', () => {
    proc(100, { fds: { 3: 1000, 4: 1001 } });
    proc(200, { fds: { 3: 1001, 5: 'pipe:[7]' } });
    const { owners, stats } = new OwnerScanner(reader).scanAll();
    expect([...owners.keys()].sort()).toEqual([1000, 1001]);
    expect(pidsOf(owners, 1001)).toEqual([100, 200]);
    expect(stats.processes).toBe(2);
  });

  it('the same inode Set again: no rescan while all are known, a rescan once a holder exits', () => {
    proc(100, { fds: { 3: 1000 } });
    proc(200, { fds: { 3: 2000 } });
    const scanner = new OwnerScanner(reader);
    const same = inodes(1000, 2000);
    scanner.scan(same);
    reader.takeFdReads();
    expect(scanner.scan(same).stats.rescanned).toBe(0);
    expect(reader.takeFdReads()).toEqual([]);
    // 100 hands its socket to 200 (SCM_RIGHTS) and exits: 1000 has no known holder any more.
    link(200, 9, 1000);
    fs.rmSync(path.join(root, 'proc', '100'), { recursive: true });
    const { owners } = scanner.scan(same);
    expect(pidsOf(owners, 1000)).toEqual([200]);
    expect(reader.takeFdReads()).toEqual(['proc/200/fd']);
  });

  it('reads no fd directory at all when every requested inode is known', () => {
    proc(100, { fds: { 3: 1000 } });
    proc(200, { fds: { 3: 2000 } });
    const scanner = new OwnerScanner(reader);
    scanner.scan(inodes(1000, 2000));
    reader.dirReads.length = 0;
    const { owners, stats } = scanner.scan(inodes(1000, 2000));
    expect(reader.dirReads).toEqual(['proc']);
    expect(stats.rescanned).toBe(0);
    expect(pidsOf(owners, 1000)).toEqual([100]);
    expect(pidsOf(owners, 2000)).toEqual([200]);
  });

  it('rescans known pids once when a known pid opens a new socket', () => {
    proc(100, { fds: { 3: 1000 } });
    proc(200, { fds: { 3: 2000 } });
    const scanner = new OwnerScanner(reader);
    const first = scanner.scan(inodes(1000, 2000));
    reader.takeFdReads();
    link(200, 4, 2001);
    const { owners, stats } = scanner.scan(inodes(1000, 2000, 2001));
    expect(pidsOf(owners, 2001)).toEqual([200]);
    expect(reader.takeFdReads()).toEqual(['proc/100/fd', 'proc/200/fd']);
    expect(stats.rescanned).toBe(2);
    // The process objects survive the rescan (same identity for React).
    expect(owners.get(1000)![0]).toBe(first.owners.get(1000)![0]);
    expect(owners.get(2001)![0]).toBe(first.owners.get(2000)![0]);
    // A new Map every scan: snapshots stay immutable.
    expect(owners).not.toBe(first.owners);
    expect(pidsOf(first.owners, 2001)).toBeUndefined();
  });

  it('refreshes comm on rescan, and cmdline with it when comm changed', () => {
    proc(100, { comm: 'bash', cmdline: 'bash\0', fds: { 3: 1000 } });
    const scanner = new OwnerScanner(reader);
    scanner.scan(inodes(1000));
    fs.writeFileSync(path.join(root, 'proc/100/comm'), 'python3\n');
    fs.writeFileSync(path.join(root, 'proc/100/cmdline'), 'python3\0-m\0http.server\0');
    link(100, 4, 1001);
    const { owners } = scanner.scan(inodes(1000, 1001));
    expect(owners.get(1001)![0]).toMatchObject({ command: 'python3', cmdline: 'python3 -m http.server' });
    expect(owners.get(1000)![0]).toBe(owners.get(1001)![0]);
  });

  it('remembers orphan inodes so they do not force a rescan every scan', () => {
    proc(100, { fds: { 3: 1000 } });
    const scanner = new OwnerScanner(reader);
    scanner.scan(inodes(1000));
    reader.takeFdReads();

    // 9999 is a kernel socket: nobody holds it.
    expect(scanner.scan(inodes(1000, 9999)).stats.rescanned).toBe(1);
    const third = scanner.scan(inodes(1000, 9999));
    expect(third.stats.rescanned).toBe(0);
    expect(scanner.scan(inodes(1000, 9999)).stats.rescanned).toBe(0);
    expect(reader.takeFdReads()).toEqual(['proc/100/fd']);
    expect(third.owners.has(9999)).toBe(false);
  });

  it('forgets an orphan once it is no longer requested', () => {
    proc(100, { fds: { 3: 1000 } });
    const scanner = new OwnerScanner(reader);
    scanner.scan(inodes(1000, 9999)); // first scan: 9999 orphan
    scanner.scan(inodes(1000)); // 9999 closed, dropped from the orphans
    link(100, 4, 9999); // the number comes back (inode reuse) and is now held
    const { owners, stats } = scanner.scan(inodes(1000, 9999));
    expect(stats.rescanned).toBe(1);
    expect(pidsOf(owners, 9999)).toEqual([100]);
  });

  it('runs a full rescan every fullEvery scans, which bounds the stale SCM_RIGHTS case', () => {
    proc(100, { fds: { 3: 1000 } });
    proc(200, { fds: { 3: 2000 } });
    const scanner = new OwnerScanner(reader, { fullEvery: 3 });
    scanner.scan(inodes(1000, 2000)); // scan 1: full
    reader.takeFdReads();
    link(200, 9, 1000); // 100 passes its socket to the known pid 200: nothing looks unknown

    const second = scanner.scan(inodes(1000, 2000));
    const third = scanner.scan(inodes(1000, 2000));
    expect(reader.takeFdReads()).toEqual([]);
    expect(pidsOf(second.owners, 1000)).toEqual([100]); // the documented miss
    expect(pidsOf(third.owners, 1000)).toEqual([100]);

    const fourth = scanner.scan(inodes(1000, 2000));
    expect(fourth.stats.rescanned).toBe(2);
    expect(pidsOf(fourth.owners, 1000)).toEqual([100, 200]);
    expect(scanner.scan(inodes(1000, 2000)).stats.rescanned).toBe(0);
  });

  it('counts a forbidden fd directory as unreadable and still maps the others', () => {
    proc(100, { fds: { 3: 1000 } });
    proc(200, { fds: { 3: 2000 } });
    reader.faults.set('proc/200/fd', 'EACCES');
    const scanner = new OwnerScanner(reader);
    const { owners, stats } = scanner.scan(inodes(1000, 2000));
    expect(pidsOf(owners, 1000)).toEqual([100]);
    expect(owners.has(2000)).toBe(false);
    const first = { pid: 200, reason: 'permission denied' };
    expect(stats).toEqual({
      processes: 2,
      unreadable: 1,
      deniedFdDirs: 1,
      vanished: 0,
      rescanned: 1,
      firstUnreadable: first,
    });
    // Still unreadable on the next tick; its socket is an orphan, so no retry storm.
    const next = scanner.scan(inodes(1000, 2000));
    expect(next.stats).toEqual({
      processes: 2,
      unreadable: 1,
      deniedFdDirs: 1,
      vanished: 0,
      rescanned: 0,
      firstUnreadable: first,
    });
  });

  it('counts a process whose fd links may not be followed as unreadable', () => {
    // What root in a container sees for processes outside it: readdir works, readlink is EACCES.
    proc(100, { fds: { 3: 1000 } });
    proc(200, { fds: { 3: 2000, 4: 2001 } });
    reader.faults.set('proc/200/fd/3', 'EACCES');
    const { owners, stats } = new OwnerScanner(reader).scan(inodes(1000, 2000, 2001));
    expect([...owners.keys()]).toEqual([1000]);
    expect(stats.unreadable).toBe(1);
    expect(stats.firstUnreadable).toEqual({ pid: 200, reason: 'permission denied' });
    // net-tools warns only when an fd directory refuses to open: this one opened.
    expect(stats.deniedFdDirs).toBe(0);
    expect(stats.vanished).toBe(0);
  });

  it("ownersFromPairs: the C scan's first unreadable pid, or a lower one whose identity could not be read", () => {
    proc(100, { fds: { 3: 1000 } });
    proc(200, { fds: { 3: 2000 } });
    reader.faults.set('proc/200/comm', 'EACCES');
    const pairs = new Float64Array([1000, 100, 2000, 200]);
    const users = new UserNames(reader);
    const scan = { pairs, processes: 3, unreadable: 1, firstUnreadablePid: 300, firstUnreadableErrno: 1 };
    const message = ownersFromPairs(reader, users, scan);
    expect(message.processes.map((p) => p.pid)).toEqual([100]);
    expect(message.stats.unreadable).toBe(2);
    expect(message.stats.firstUnreadable).toEqual({ pid: 200, reason: 'permission denied' });
    reader.faults.clear();
    const fromC = ownersFromPairs(reader, users, scan);
    expect(fromC.stats.firstUnreadable).toEqual({ pid: 300, reason: 'operation not permitted' });
    expect(ownersFromPairs(reader, users, { pairs, processes: 2, unreadable: 0 }).stats.firstUnreadable).toBe(
      undefined,
    );
  });

  it('a 2 MB command line in a tree is read only up to its cap and kept cut, flagged', () => {
    proc(100, { cmdline: `/usr/bin/python3\0-c\0${'y'.repeat(2_000_000)}\0`, fds: { 3: 1000 } });
    const { owners } = new OwnerScanner(reader).scan(inodes(1000));
    const info = owners.get(1000)![0]!;
    expect(info.cmdline).toHaveLength(4097);
    expect(info.cmdline.startsWith('/usr/bin/python3 -c yyy')).toBe(true);
    expect(info.cmdline.endsWith('…')).toBe(true);
    expect(info.cmdlineTruncated).toBe(true);
    expect(owners.get(1000)![0]).not.toHaveProperty('cmdlineTruncated', false);
  });

  it('names the lowest unreadable pid and its reason, and none once all are readable', () => {
    proc(100, { fds: { 3: 1000 } });
    proc(300, { fds: { 3: 3000 } });
    proc(200, { fds: { 3: 2000 } });
    reader.faults.set('proc/300/fd', 'EACCES');
    reader.faults.set('proc/200/fd', 'EPERM');
    const scanner = new OwnerScanner(reader, { fullEvery: 1 });
    const { stats } = scanner.scan(inodes(1000, 2000, 3000));
    expect(stats.unreadable).toBe(2);
    expect(stats.firstUnreadable).toEqual({ pid: 200, reason: 'operation not permitted' });
    reader.faults.clear();
    const next = scanner.scan(inodes(1000, 2000, 3000));
    expect(next.stats.unreadable).toBe(0);
    expect(next.stats.firstUnreadable).toBeUndefined();
  });

  it('counts a process that exits mid-scan as vanished and carries on', () => {
    proc(100, { fds: { 3: 1000 } });
    proc(200, { fds: { 3: 2000 } });
    reader.faults.set('proc/200/comm', 'ENOENT');
    const scanner = new OwnerScanner(reader);
    const { owners, stats } = scanner.scan(inodes(1000, 2000));
    expect(pidsOf(owners, 1000)).toEqual([100]);
    expect(owners.has(2000)).toBe(false);
    expect(stats.vanished).toBe(1);
    expect(stats.processes).toBe(2);

    // ESRCH on the fd directory of a known process during a rescan (forced by the unknown 3000) counts
    // the same way; 200 is simply new again.
    reader.faults.clear();
    reader.faults.set('proc/100/fd', 'ESRCH');
    const next = scanner.scan(inodes(1000, 2000, 3000));
    expect(next.stats.vanished).toBe(1);
    expect(pidsOf(next.owners, 2000)).toEqual([200]);
    expect(next.owners.has(1000)).toBe(false);
  });

  it('skips an fd closed between readdir and readlink without losing the process', () => {
    proc(100, { fds: { 3: 1000, 4: 1001 } });
    reader.faults.set('proc/100/fd/3', 'ENOENT');
    const { owners, stats } = new OwnerScanner(reader).scan(inodes(1000, 1001));
    expect(pidsOf(owners, 1001)).toEqual([100]);
    expect(owners.has(1000)).toBe(false);
    expect(stats.vanished).toBe(0);
  });

  it('uses an injected UserNames', () => {
    proc(100, { uid: 0, fds: { 3: 1 } });
    const users = new UserNames(new HostReader(path.join(root, 'nowhere')));
    const { owners } = new OwnerScanner(reader, { users }).scan(inodes(1));
    expect(owners.get(1)![0]!.user).toBeUndefined();
    expect(owners.get(1)![0]!.uid).toBe(0);
  });

  it('returns an empty map when the root has no proc', () => {
    fs.rmSync(path.join(root, 'proc'), { recursive: true });
    const { owners, stats } = new OwnerScanner(reader).scan(inodes(1));
    expect(owners.size).toBe(0);
    expect(stats).toEqual({ processes: 0, unreadable: 0, deniedFdDirs: 0, vanished: 0, rescanned: 0 });
  });
});

describe('OwnerScanner on the live-t0 capture', () => {
  const fixture = fileURLToPath(new URL('../../fixtures/live-t0/', import.meta.url));

  function listenInodes(): number[] {
    const found: number[] = [];
    for (const file of ['tcp', 'tcp6']) {
      const lines = fs
        .readFileSync(path.join(fixture, 'proc/net', file), 'latin1')
        .split('\n')
        .slice(1);
      for (const line of lines) {
        const fields = line.trim().split(/\s+/);
        if (fields.length > 9 && fields[3] === '0A') found.push(Number(fields[9]));
      }
    }
    return found;
  }

  it('maps the loadgen listeners to their node processes', () => {
    const listeners = listenInodes();
    expect(listeners).toContain(8164);
    const { owners, stats } = new OwnerScanner(new HostReader(fixture)).scan(new Set(listeners));
    // 127.0.0.1:0x9507 is a listener of loadgen child 3753.
    expect(owners.get(8164)).toEqual([
      {
        pid: 3753,
        command: 'node',
        cmdline: expect.stringMatching(/^\/usr\/bin\/node \/work\/main\/scripts\/loadgen\.mjs --child /),
        argv0: '/usr/bin/node',
        uid: 0,
        user: 'root',
      },
    ]);
    // The python helper's listener, and port 2024 whose holder was not captured.
    expect(owners.get(16563)?.map((p) => [p.pid, p.command])).toEqual([[3859, 'python3']]);
    expect(owners.has(118)).toBe(false);
    expect(listeners.filter((inode) => !owners.has(inode))).toEqual([118]);
    expect(stats).toEqual({ processes: 5, unreadable: 0, deniedFdDirs: 0, vanished: 0, rescanned: 5 });
  });
});

describe('OwnerScanner on this machine', () => {
  let child: ChildProcess | undefined;
  let port = 0;

  beforeAll(async () => {
    const server =
      "const s=require('net').createServer().listen(0,'127.0.0.1',()=>console.log(s.address().port))";
    const proc = spawn(process.execPath, ['-e', server], { stdio: ['ignore', 'pipe', 'inherit'] });
    child = proc;
    port = await new Promise<number>((resolve, reject) => {
      let out = '';
      proc.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(Number(out.trim()));
      });
      proc.on('exit', (code) => reject(new Error(`server child exited with ${code}`)));
    });
  });
  afterAll(() => {
    child?.kill();
  });

  it('finds the child process as the owner of its listening socket', () => {
    const want = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
    let inode = 0;
    for (const line of fs.readFileSync('/proc/net/tcp', 'latin1').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length > 9 && fields[1]!.endsWith(want) && fields[3] === '0A') inode = Number(fields[9]);
    }
    expect(inode).toBeGreaterThan(0);

    const scanner = new OwnerScanner(new HostReader('/'));
    const { owners, stats } = scanner.scan(new Set([inode]));
    const holders = owners.get(inode) ?? [];
    expect(holders.map((p) => p.pid)).toEqual([child!.pid]);
    expect(holders[0]!.command).toBe(path.basename(process.execPath).slice(0, 15));
    expect(holders[0]!.uid).toBe(process.getuid!());
    expect(stats.processes).toBeGreaterThan(1);

    // Steady state: the same request again is answered from the cache.
    expect(scanner.scan(new Set([inode])).owners.get(inode)?.[0]).toBe(holders[0]);
  });
});
