// The native helper against the kernel: real sockets on 127.0.0.1 and ::1, read once through sock_diag and
// once through /proc, must come out the same; its owner scan must find the same holders as ours.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InetSocket, Snapshot } from '../../src/model/types.js';
import { fdSocketsFor, nativeBinding, nativeUnavailableReason, tcpDumpFor } from '../../src/sample/native.js';
import { OwnerScanner, ownersFromPairs, parseSocketLink } from '../../src/sample/owners.js';
import { HostReader } from '../../src/sample/reader.js';
import { Collector, SELECT_ALL, type Selection } from '../../src/sample/sampler.js';
import { DumpRing, decodeTcpDump, RECORD_WORDS } from '../../src/sample/sockdiag.js';
import { UserNames } from '../../src/sample/users.js';
import { type SocketChild, startSocketChild } from '../helpers/children.js';

/** Whether this machine can build the helper: then the build must have, and these tests must run. */
function canBuild(): boolean {
  const headers = [join(dirname(process.execPath), '..', 'include', 'node'), '/usr/include/node'].some((d) =>
    existsSync(join(d, 'node_api.h')),
  );
  try {
    execFileSync(process.env.CC || 'cc', ['--version'], { stdio: 'ignore' });
  } catch {
    return false;
  }
  return headers && process.env.NETWATCH_NATIVE !== '0';
}

const buildable = canBuild();

it('the build made the native helper wherever a C compiler and Node headers exist', () => {
  if (!buildable) return;
  expect(nativeUnavailableReason()).toBe('');
  // The C record and the TypeScript decoder agree on its size (src/sample/sockdiag.ts RECORD_WORDS).
  expect(nativeBinding()?.recordWords).toBe(RECORD_WORDS);
});

const TCP_ONLY: Selection = { ...SELECT_ALL, inet: new Set(['tcp', 'tcp6']), unix: false };

describe.runIf(buildable)('native helper on real loopback sockets', () => {
  let child: SocketChild;
  let viaProc: Snapshot;
  let viaNetlink: Snapshot;

  beforeAll(async () => {
    child = await startSocketChild();
    viaNetlink = new Collector(new HostReader('/'), undefined, false, tcpDumpFor('/')).collect(TCP_ONLY);
    viaProc = new Collector(new HostReader('/'), undefined, false).collect(TCP_ONLY);
  });

  afterAll(async () => {
    await child?.stop();
  });

  const ofChild = (s: Snapshot) =>
    s.sockets
      .filter(
        (x): x is InetSocket =>
          x.kind === 'inet' && (s.owners.get(x.inode) ?? []).some((p) => p.pid === child.pid),
      )
      .sort((a, b) => a.inode - b.inode);

  it('reads the same TCP sockets of the child as /proc/net/tcp and tcp6 do', () => {
    const proc = ofChild(viaProc);
    const diag = ofChild(viaNetlink);
    expect(proc.map((s) => `${s.proto} ${s.local.port} ${s.state}`)).toEqual(
      expect.arrayContaining([
        `tcp ${child.ports.tcp4} LISTEN`,
        `tcp6 ${child.ports.tcp6} LISTEN`,
        `tcp ${child.ports.client4} ESTABLISHED`,
        `tcp6 ${child.ports.client6} ESTABLISHED`,
      ]),
    );
    expect(proc).toHaveLength(6);
    // Everything but what sock_diag does not carry (refcount, qack), a listener's tail, and what only
    // sock_diag carries (a listener's backlog, checked below).
    const comparable = ({ refcount: _r, backlog: _b, tcp, ...rest }: InetSocket) => ({
      ...rest,
      tcp:
        tcp && rest.state !== 'LISTEN'
          ? { rto: tcp.rto, ato: tcp.ato, cwnd: tcp.cwnd, ssthresh: tcp.ssthresh }
          : undefined,
    });
    expect(diag.map(comparable)).toEqual(proc.map(comparable));
    expect(diag.every((s) => s.refcount === undefined)).toBe(true);
    // net.createServer listens with Node's default backlog, 511 (the kernel caps it at somaxconn).
    for (const s of diag.filter((d) => d.state === 'LISTEN')) expect(s.backlog).toBeGreaterThan(0);
    expect(diag.filter((d) => d.state !== 'LISTEN').every((s) => s.backlog === undefined)).toBe(true);
  });

  it('leaves tcp_info out when asked (--once without -o or --json), and keeps everything else', () => {
    const lean = ofChild(
      new Collector(new HostReader('/'), undefined, false, tcpDumpFor('/', true, false)).collect(TCP_ONLY),
    );
    const name = (s: InetSocket) =>
      `${s.proto} ${s.local.port} ${s.remote.port} ${s.state} ${s.inode} ${s.sendQ}`;
    expect(lean.map(name)).toEqual(ofChild(viaNetlink).map(name));
    expect(lean).toHaveLength(6);
    expect(lean.filter((s) => s.tcp !== undefined)).toEqual([]);
    expect(ofChild(viaNetlink).filter((s) => s.tcp !== undefined)).toHaveLength(4);
  });

  it("writes a dump into the caller's buffer when it fits, into a new one when it does not", () => {
    const dump = tcpDumpFor('/')!;
    const childPorts = new Set(Object.values(child.ports));
    const ofChildIn = (d: Uint32Array | ArrayBuffer) => {
      const { tcp, tcp6 } = decodeTcpDump(d);
      return [...tcp.rows, ...tcp6.rows]
        .filter((s) => childPorts.has(s.local.port))
        .map((s) => `${s.proto} ${s.local.port} ${s.remote.port} ${s.state} ${s.inode}`)
        .sort();
    };
    const fresh = dump();
    expect(fresh).toBeInstanceOf(ArrayBuffer);
    const records = (fresh as ArrayBuffer).byteLength / (RECORD_WORDS * 4);
    const roomy = new ArrayBuffer((records + 4096) * RECORD_WORDS * 4);
    const into = dump(roomy);
    expect(into).toBeInstanceOf(Uint32Array);
    expect((into as Uint32Array).buffer).toBe(roomy);
    expect((into as Uint32Array).length % RECORD_WORDS).toBe(0);
    // One record of room: the helper goes on in a buffer of its own, and nothing is lost.
    const tiny = new ArrayBuffer(RECORD_WORDS * 4);
    const over = dump(tiny);
    expect(over).toBeInstanceOf(ArrayBuffer);
    expect(over).not.toBe(tiny);
    const expected = ofChildIn(fresh);
    expect(expected.length).toBeGreaterThanOrEqual(6);
    expect(ofChildIn(into)).toEqual(expected);
    expect(ofChildIn(over)).toEqual(expected);
    // Both families come in one request; one at a time (the fallback) gives the same sockets.
    const perFamily = nativeBinding()!.tcpSockets(true, null, true) as ArrayBuffer;
    expect(ofChildIn(perFamily)).toEqual(expected);
    expect(ofChildIn(fresh).some((s) => s.startsWith('tcp6 '))).toBe(true);
    // As a live collector uses it: after the first dumps size the ring, every dump lands in a ring buffer.
    const ring = new DumpRing();
    const landed: boolean[] = [];
    for (let i = 0; i < 6; i++) {
      const buffer = ring.next();
      const got = ring.took(dump(buffer));
      landed.push(got instanceof Uint32Array && got.buffer === buffer);
    }
    expect(landed.slice(2)).toEqual([true, true, true, true]);
  });

  it('finds the same holders of the child sockets as the TypeScript scanner', async () => {
    const reader = new HostReader('/');
    const scan = await nativeBinding()!.socketOwners(reader.path('proc'));
    const message = ownersFromPairs(reader, new UserNames(reader), scan);
    const at = message.processes.findIndex((p) => p.pid === child.pid);
    expect(at).toBeGreaterThanOrEqual(0);
    expect(message.processes[at]!.command).toBe('node');
    const nativeInodes = new Set<number>();
    for (let i = 0; i < message.pairs.length; i += 2)
      if (message.pairs[i + 1] === at) nativeInodes.add(message.pairs[i]!);
    const ours = new OwnerScanner(reader).scanAll();
    const ourInodes = new Set(
      [...ours.owners].filter(([, ps]) => ps.some((p) => p.pid === child.pid)).map(([i]) => i),
    );
    expect(nativeInodes.size).toBeGreaterThanOrEqual(6);
    expect([...nativeInodes].sort()).toEqual([...ourInodes].sort());
    expect(scan.processes).toBeGreaterThan(1);
  });

  it("reads a process's socket fds as readlink does, and says why it cannot", () => {
    const reader = new HostReader('/');
    const fdSockets = fdSocketsFor('/')!;
    const list = fdSockets(child.pid);
    const native = new Map<string, number>();
    for (let k = 0; k < list.length; k += 2) native.set(String(list[k]), list[k + 1]!);
    const expected = new Map<string, number>();
    for (const fd of readdirSync(`/proc/${child.pid}/fd`)) {
      const inode = parseSocketLink(reader.readLink(`proc/${child.pid}/fd/${fd}`));
      if (inode !== 0) expected.set(fd, inode);
    }
    expect(native.size).toBeGreaterThanOrEqual(6);
    expect([...native].sort()).toEqual([...expected].sort());
    expect(() => fdSockets(2 ** 22 + 1)).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });

  it('the owner scanner finds the same holders with the C fd reads, which it uses only for full reads', () => {
    // The process list is pinned to the child: a process that other test files (or anything on the host)
    // start between two scans is new to the scanner, and a new process's first read is a full read, in C.
    // That is what made this test fail under load ("expected [ 11373 ] to deeply equal []").
    const pinned = [child.pid];
    const reader = new PinnedProcReader('/', pinned);
    const inodes = new Set(viaProc.sockets.map((s) => s.inode).filter((i) => i !== 0));
    const native = fdSocketsFor('/')!;
    const calls: number[] = [];
    const withC = new OwnerScanner(reader, {
      fdSockets: (pid) => {
        calls.push(pid);
        return native(pid);
      },
    });
    const without = new OwnerScanner(reader);
    // Other test files open and close sockets meanwhile: compare what the child holds, which is stable.
    const childs = (m: ReturnType<OwnerScanner['scan']>['owners']) =>
      [...m]
        .filter(([, ps]) => ps.some((p) => p.pid === child.pid))
        .map(([inode, ps]) => `${inode}:${ps.map((p) => p.pid).join(',')}`)
        .sort();
    const first = childs(withC.scan(inodes).owners);
    expect(first.length).toBeGreaterThanOrEqual(4);
    expect(first).toEqual(childs(without.scan(inodes).owners));
    expect(calls).toContain(child.pid);
    // A quiet second scan reads no fd table at all; a full pass would read them in C again.
    calls.length = 0;
    const quiet = new Set([...inodes].filter((i) => first.some((e) => e.startsWith(`${i}:`))));
    expect(childs(withC.scan(quiet).owners)).toEqual(first);
    expect(calls).toEqual([]);
    // A process that appears is read whole, in C, even on a quiet scan: the load-dependent case, made explicit.
    pinned.push(process.pid);
    withC.scan(quiet);
    expect(calls).toEqual([process.pid]);
  });

  it('rejects with the reason when the proc directory cannot be read', async () => {
    await expect(nativeBinding()!.socketOwners('/nonexistent-netwatch-proc')).rejects.toThrow(
      /cannot read \/nonexistent-netwatch-proc: No such file or directory/,
    );
  });

  it('is not used for a --root other than the live host', () => {
    expect(tcpDumpFor('/tmp')).toBeUndefined();
    expect(tcpDumpFor('/', false)).toBeUndefined();
    expect(tcpDumpFor('/')).toBeTypeOf('function');
    expect(fdSocketsFor('/tmp')).toBeUndefined();
    expect(fdSocketsFor('/', false)).toBeUndefined();
    expect(fdSocketsFor('/')).toBeTypeOf('function');
  });
});

/** The live host, with `proc/` listing only the given pids (while they live): a process list the test controls. */
class PinnedProcReader extends HostReader {
  constructor(
    root: string,
    private readonly pids: readonly number[],
  ) {
    super(root);
  }

  override readDir(rel: string): string[] {
    const names = super.readDir(rel);
    if (rel !== 'proc') return names;
    return names.filter((name) => this.pids.includes(Number(name)));
  }
}
