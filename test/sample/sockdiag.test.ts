import { describe, expect, it, vi } from 'vitest';
import type { Snapshot } from '../../src/model/types.js';
import { parseInet } from '../../src/proc/inet.js';
import { OwnerScanner } from '../../src/sample/owners.js';
import { HostReader } from '../../src/sample/reader.js';
import { Collector, SELECT_ALL } from '../../src/sample/sampler.js';
import {
  DumpRing,
  decodeRecord,
  decodeTcpDump,
  RECORD_WORDS,
  RecordCache,
  W,
} from '../../src/sample/sockdiag.js';
import { type AnyRow, detailsLines } from '../../src/view/details.js';
import { fixture } from '../helpers/cli.js';

/** Address bytes in network order, as the kernel sends them, read as host words (what C's memcpy gives). */
function addressWords(bytes: number[]): number[] {
  const b = new Uint8Array(16);
  b.set(bytes);
  return [...new Uint32Array(b.buffer)];
}
const v4 = (a: string) => addressWords(a.split('.').map(Number));
function v6(groups: number[]): number[] {
  const bytes: number[] = [];
  for (const g of groups) bytes.push(g >> 8, g & 0xff);
  return addressWords(bytes);
}

interface Rec {
  family?: number;
  state: number;
  timer?: number;
  retrans?: number;
  expiresMs?: number;
  rqueue?: number;
  wqueue?: number;
  uid?: number;
  inode?: number;
  sport: number;
  dport?: number;
  src: number[];
  dst?: number[];
  info?: {
    rtoUs: number;
    atoUs: number;
    cwnd: number;
    ssthresh: number;
    probes: number;
    retransmits: number;
  };
}

function record(r: Rec): number[] {
  const w = new Array<number>(RECORD_WORDS).fill(0);
  w[W.FAMILY] = r.family ?? 2;
  w[W.STATE] = r.state;
  w[W.TIMER] = r.timer ?? 0;
  w[W.RETRANS] = r.retrans ?? 0;
  w[W.EXPIRES] = r.expiresMs ?? 0;
  w[W.RQUEUE] = r.rqueue ?? 0;
  w[W.WQUEUE] = r.wqueue ?? 0;
  w[W.UID] = r.uid ?? 0;
  w[W.INODE] = r.inode ?? 0;
  w[W.SPORT] = r.sport;
  w[W.DPORT] = r.dport ?? 0;
  const dst = r.dst ?? new Array(4).fill(0);
  for (let i = 0; i < 4; i++) {
    w[W.SRC + i] = r.src[i] ?? 0;
    w[W.DST + i] = dst[i] ?? 0;
  }
  if (r.info) {
    w[W.HAS_INFO] = 1;
    w[W.RTO] = r.info.rtoUs;
    w[W.ATO] = r.info.atoUs;
    w[W.CWND] = r.info.cwnd;
    w[W.SSTHRESH] = r.info.ssthresh;
    w[W.PROBES] = r.info.probes;
    w[W.TCPI_RETRANSMITS] = r.info.retransmits;
  }
  return w;
}

function dump(...records: number[][]): ArrayBuffer {
  return new Uint32Array(records.flat()).buffer;
}

const INFO = { rtoUs: 204_000, atoUs: 40_000, cwnd: 10, ssthresh: 0x7fff_ffff, probes: 0, retransmits: 0 };

const established = record({
  state: 1,
  sport: 43512,
  dport: 80,
  src: v4('127.0.0.1'),
  dst: v4('127.0.0.1'),
  rqueue: 5,
  wqueue: 7,
  uid: 1000,
  inode: 4242,
  timer: 1,
  expiresMs: 1234,
  retrans: 2,
  info: { ...INFO, probes: 1, retransmits: 3 },
});
const listener = record({
  state: 10,
  sport: 80,
  src: v4('0.0.0.0'),
  rqueue: 3,
  wqueue: 4096,
  inode: 17,
  info: INFO,
});
const timeWait = record({
  state: 6,
  sport: 50000,
  dport: 443,
  src: v4('10.0.0.2'),
  dst: v4('93.184.216.34'),
  timer: 3,
  expiresMs: 59_999,
});

describe('sock_diag records → the same rows as /proc/net/tcp', () => {
  it('decodes an established IPv4 socket with netstat units (ticks) and the tcp_info tail', () => {
    const row = decodeRecord(new Uint32Array(established), 0)!;
    expect(row).toEqual({
      kind: 'inet',
      proto: 'tcp',
      local: { address: '127.0.0.1', port: 43512 },
      remote: { address: '127.0.0.1', port: 80 },
      state: 'ESTABLISHED',
      stateCode: 1,
      recvQ: 5,
      sendQ: 7,
      timerActive: 1,
      timerExpires: 123, // 1234 ms → 123 clock ticks, rounded down as the kernel's clock_t conversion does
      retransmits: 3, // icsk_retransmits from tcp_info, as /proc prints, not idiag_retrans
      uid: 1000,
      timeouts: 1,
      inode: 4242,
      tcp: { rto: 20, ato: 4, cwnd: 10, ssthresh: -1 },
    });
  });

  it('matches the /proc parser field for field on the same socket (but refcount and qack)', () => {
    const text =
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n' +
      '   0: 0100007F:A9F8 0100007F:0050 01 00000007:00000005 01:0000007B 00000003  1000        1 4242 1 0000000000000000 20 4 0 10 -1\n';
    const fromProc = parseInet(text, 'tcp').rows[0]!;
    const { refcount, tcp, ...procRest } = fromProc;
    const { tcp: diagTcp, ...diagRest } = decodeRecord(new Uint32Array(established), 0)!;
    expect(diagRest).toEqual(procRest);
    expect(diagTcp).toEqual({ rto: tcp!.rto, ato: tcp!.ato, cwnd: tcp!.cwnd, ssthresh: tcp!.ssthresh });
    expect(refcount).toBe(1);
  });

  it("shows a listener's Send-Q as 0 like netstat (the dump gives the backlog limit) and no tail", () => {
    const row = decodeRecord(new Uint32Array(listener), 0)!;
    expect(row.state).toBe('LISTEN');
    expect(row.recvQ).toBe(3);
    expect(row.sendQ).toBe(0);
    expect(row.tcp).toBeUndefined();
    expect(row.local).toEqual({ address: '0.0.0.0', port: 80 });
    expect(row.remote).toEqual({ address: '0.0.0.0', port: 0 });
  });

  it('decodes TIME_WAIT with its timer and no inode, uid or tail', () => {
    const row = decodeRecord(new Uint32Array(timeWait), 0)!;
    expect(row.state).toBe('TIME_WAIT');
    expect(row.timerActive).toBe(3);
    expect(row.timerExpires).toBe(5999);
    expect(row.inode).toBe(0);
    expect(row.tcp).toBeUndefined();
    expect(row.remote).toEqual({ address: '93.184.216.34', port: 443 });
  });

  it('formats IPv6 and v4-mapped addresses as the /proc decoder does', () => {
    const words = new Uint32Array([
      ...record({ family: 10, state: 10, sport: 22, src: v6([0, 0, 0, 0, 0, 0, 0, 0]) }),
      ...record({
        family: 10,
        state: 1,
        sport: 8080,
        dport: 1,
        src: v6([0, 0, 0, 0, 0, 0, 0, 1]),
        dst: v6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x10]),
      }),
      ...record({ family: 10, state: 1, sport: 9, src: v6([0, 0, 0, 0, 0, 0xffff, 0x7f00, 0x0001]) }),
    ]);
    const rows = [0, 1, 2].map((i) => decodeRecord(words, i * RECORD_WORDS)!);
    expect(rows.map((r) => r.proto)).toEqual(['tcp6', 'tcp6', 'tcp6']);
    expect(rows[0]!.local.address).toBe('::');
    expect(rows[1]!.local.address).toBe('::1');
    expect(rows[1]!.remote.address).toBe('2001:db8::10');
    expect(rows[2]!.local.address).toBe('::ffff:127.0.0.1');
  });

  it('refuses a record of an unknown family and counts it as skipped', () => {
    const bad = record({ family: 99, state: 1, sport: 1, src: v4('1.2.3.4') });
    const { tcp, tcp6 } = decodeTcpDump(dump(bad, established));
    expect(tcp.rows).toHaveLength(1);
    expect(tcp.skipped).toBe(1);
    expect(tcp6.rows).toHaveLength(0);
  });

  it('splits the dump into tcp and tcp6 in dump order and keeps a repeated socket once', () => {
    const six = record({ family: 10, state: 10, sport: 22, src: v6([0, 0, 0, 0, 0, 0, 0, 1]), inode: 99 });
    const { tcp, tcp6 } = decodeTcpDump(dump(listener, six, established, listener));
    expect(tcp.rows.map((r) => r.inode)).toEqual([17, 4242]);
    expect(tcp6.rows.map((r) => r.inode)).toEqual([99]);
  });

  it('ignores a trailing partial record', () => {
    const buffer = new Uint32Array([...established, 1, 2, 3]).buffer;
    expect(decodeTcpDump(buffer).tcp.rows).toHaveLength(1);
  });
});

describe('RecordCache', () => {
  const other = record({
    state: 1,
    sport: 5000,
    dport: 80,
    src: v4('127.0.0.1'),
    dst: v4('127.0.0.1'),
    inode: 5,
  });

  it('hands back the same row object for an unchanged record, a new one for a changed record', () => {
    const cache = new RecordCache();
    const first = decodeTcpDump(dump(listener, established, other), cache).tcp.rows;
    const ticked = [...established];
    ticked[W.EXPIRES] = 1000;
    const second = decodeTcpDump(dump(listener, ticked, other), cache).tcp.rows;
    expect(second[0]).toBe(first[0]);
    expect(second[1]).not.toBe(first[1]);
    expect(second[1]!.timerExpires).toBe(100);
    expect(second[2]).toBe(first[2]);
  });

  it('finds its place again after sockets went away or appeared', () => {
    const cache = new RecordCache();
    const many = Array.from({ length: 6 }, (_, i) =>
      record({
        state: 1,
        sport: 6000 + i,
        dport: 80,
        src: v4('127.0.0.1'),
        dst: v4('127.0.0.1'),
        inode: 100 + i,
      }),
    );
    const first = decodeTcpDump(dump(...many), cache).tcp.rows;
    const fresh = record({
      state: 1,
      sport: 7000,
      dport: 80,
      src: v4('127.0.0.1'),
      dst: v4('127.0.0.1'),
      inode: 7,
    });
    // Three gone at once (the walk loses its place), one new in the middle.
    const second = decodeTcpDump(dump(many[0]!, fresh, many[4]!, many[5]!), cache).tcp.rows;
    expect(second[0]).toBe(first[0]);
    expect(second[1]!.inode).toBe(7);
    expect(second[2]).toBe(first[4]);
    expect(second[3]).toBe(first[5]);
  });

  it('does not reuse a row the previous dump dropped as a repeat', () => {
    const cache = new RecordCache();
    decodeTcpDump(dump(listener, listener), cache);
    const rows = decodeTcpDump(dump(listener, listener), cache).tcp.rows;
    expect(rows).toHaveLength(1);
  });
});

describe('Collector with a sock_diag dump', () => {
  const reader = () => new HostReader(fixture('live-t0'));
  const tcpOf = (s: Snapshot) => s.sockets.filter((x) => x.proto === 'tcp' || x.proto === 'tcp6');

  it('takes TCP from the dump and everything else from /proc', () => {
    const collector = new Collector(reader(), undefined, true, () => dump(listener, established));
    const snap = collector.collect(SELECT_ALL);
    expect(collector.tcpSource).toBe('netlink');
    expect(tcpOf(snap).map((s) => s.inode)).toEqual([17, 4242]);
    const fromProc = new Collector(reader()).collect(SELECT_ALL);
    expect(snap.sockets.filter((s) => s.proto === 'udp')).toEqual(
      fromProc.sockets.filter((s) => s.proto === 'udp'),
    );
    expect(fromProc.sockets.some((s) => s.proto === 'udp')).toBe(true);
  });

  it('reads /proc/net/tcp without a word when the dump fails from the start', () => {
    const collector = new Collector(reader(), undefined, true, () => {
      throw new Error('netlink sock_diag socket: Protocol not supported');
    });
    const snap = collector.collect(SELECT_ALL);
    const fromProc = new Collector(reader()).collect(SELECT_ALL);
    expect(tcpOf(snap)).toEqual(tcpOf(fromProc));
    expect(tcpOf(snap).length).toBeGreaterThan(0);
    expect(snap.warnings).toEqual([]);
    expect(collector.tcpSource).toBe('proc');
    expect(collector.tcpDumpFailure).toBe('netlink sock_diag socket: Protocol not supported');
  });

  it('warns once, and goes on from /proc, when a dump that worked fails', () => {
    let calls = 0;
    const collector = new Collector(reader(), undefined, true, () => {
      calls++;
      if (calls > 1) throw new Error('netlink sock_diag dump: Operation not permitted');
      return dump(established);
    });
    expect(tcpOf(collector.collect(SELECT_ALL))).toHaveLength(1);
    const second = collector.collect(SELECT_ALL);
    expect(second.warnings).toEqual([
      'netlink sock_diag dump: Operation not permitted; reading /proc/net/tcp from now on',
    ]);
    expect(tcpOf(second).length).toBeGreaterThan(1);
    const third = collector.collect(SELECT_ALL);
    expect(third.warnings).toEqual([]);
    expect(calls).toBe(2);
  });

  it('a live collector hands its dumps two buffers in turn, sized from the last dump', () => {
    const given: (ArrayBuffer | undefined)[] = [];
    const collector = new Collector(reader(), undefined, true, (into) => {
      given.push(into);
      // As the helper does: into the buffer when the records fit, else a new buffer.
      const words = new Uint32Array(dump(listener, established));
      if (!into || into.byteLength < words.byteLength) return words.buffer;
      const view = new Uint32Array(into, 0, words.length);
      view.set(words);
      return view;
    });
    const snaps = [0, 1, 2, 3, 4].map(() => collector.collect(SELECT_ALL));
    for (const s of snaps) expect(tcpOf(s).map((x) => x.inode)).toEqual([17, 4242]);
    expect(given.every((b) => b instanceof ArrayBuffer)).toBe(true);
    // The first two are sized before any dump (too small for none here: two records fit); then in turn.
    expect(new Set(given.slice(0, 2)).size).toBe(2);
    expect(given[2]).toBe(given[0]);
    expect(given[3]).toBe(given[1]);
    expect(given[4]).toBe(given[0]);
    // The latest table reads one buffer and its rates' "then" the other, which this dump did not touch.
    const [last, before] = [snaps[4]!.tcpInfo!, snaps[3]!.tcpInfo!];
    expect(last.words.buffer).not.toBe(before.words.buffer);
    expect(last.prevWords!.buffer).toBe(before.words.buffer);
  });

  it('hands the owner scan the same inode Set while the sockets stay the same, a new one when they change', () => {
    let second = false;
    const scans: ReadonlySet<number>[] = [];
    const collector = new Collector(reader(), undefined, true, () =>
      second ? dump(listener) : dump(listener, established),
    );
    const scan = vi.spyOn(OwnerScanner.prototype, 'scan').mockImplementation((inodes) => {
      scans.push(inodes);
      return {
        owners: new Map(),
        stats: { processes: 0, unreadable: 0, deniedFdDirs: 0, vanished: 0, rescanned: 0 },
      };
    });
    try {
      collector.collect(SELECT_ALL);
      collector.collect(SELECT_ALL);
      second = true;
      collector.collect(SELECT_ALL);
      collector.collect(SELECT_ALL);
    } finally {
      scan.mockRestore();
    }
    expect(scans).toHaveLength(4);
    expect(scans[1]).toBe(scans[0]);
    expect(scans[2]).not.toBe(scans[1]);
    expect(scans[3]).toBe(scans[2]);
    expect(scans[0]!.has(4242)).toBe(true);
    expect(scans[2]!.has(4242)).toBe(false);
    expect(scans[2]!.has(17)).toBe(true);
    expect(scans[2]!.size).toBe(scans[0]!.size - 1);
  });

  it('a one-shot collector dumps into a buffer of its own', () => {
    const given: (ArrayBuffer | undefined)[] = [];
    const collector = new Collector(reader(), undefined, false, (into) => {
      given.push(into);
      return dump(established);
    });
    expect(tcpOf(collector.collect(SELECT_ALL))).toHaveLength(1);
    expect(given).toEqual([undefined]);
  });

  it('does not dump when no TCP table is selected', () => {
    let calls = 0;
    const collector = new Collector(reader(), undefined, true, () => {
      calls++;
      return dump();
    });
    collector.collect({ ...SELECT_ALL, inet: new Set(['udp']) });
    expect(calls).toBe(0);
  });
});

describe('DumpRing', () => {
  const records = (b: ArrayBuffer) => b.byteLength / (RECORD_WORDS * 4);
  const took = (ring: DumpRing, n: number) => ring.took(new Uint32Array(n * RECORD_WORDS));

  it('two buffers in turn, each with room for the last dump and a quarter more', () => {
    const ring = new DumpRing();
    const first = ring.next();
    expect(records(first)).toBe(256);
    took(ring, 20_000);
    const second = ring.next();
    expect(records(second)).toBe(20_000 + 5_000 + 256);
    took(ring, 20_000);
    expect(second).not.toBe(first);
    // The first one was too small for 20,000: it is replaced; the other is reused as it is.
    const third = ring.next();
    expect(third).not.toBe(first);
    expect(records(third)).toBe(25_256);
    took(ring, 20_500);
    expect(ring.next()).toBe(second);
    took(ring, 20_500);
    expect(ring.next()).toBe(third);
  });

  it('gives memory back when the host has far fewer sockets than it had', () => {
    const ring = new DumpRing();
    const sized = [];
    for (let i = 0; i < 4; i++) {
      sized.push(ring.next());
      took(ring, 40_000);
    }
    expect(sized.slice(2).map(records)).toEqual([50_256, 50_256]);
    expect(ring.next()).toBe(sized[2]);
    took(ring, 1_000);
    const small = ring.next();
    expect(records(small)).toBe(1_000 + 250 + 256);
    // A dump that did not fit arrives as a buffer of its own: it counts as the last dump all the same.
    ring.took(new ArrayBuffer(60_000 * RECORD_WORDS * 4));
    expect(records(ring.next())).toBe(60_000 + 15_000 + 256);
  });
});

describe('details of a socket read through sock_diag', () => {
  it('shows the TCP tail without the qack it does not have', () => {
    const socket = decodeRecord(new Uint32Array(established), 0)!;
    const row = { mark: ' ', socket, owners: [], firstSeen: undefined } as unknown as AnyRow;
    const lines = detailsLines('connections', row, 0);
    expect(lines).toContain('TCP        rto 200ms  ato 40ms  cwnd 10  ssthresh ∞ (slow start)');
    expect(lines.join('\n')).not.toContain('qack');
    expect(lines).toContain('Timer      kind 1  expires 1s  retransmits 3  probes 1');
  });
});
