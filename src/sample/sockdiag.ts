// TCP sockets from the kernel's sock_diag netlink dump (src/sample/netwatch.c), as the same InetSocket
// rows the /proc/net/tcp parser makes, with netstat's conventions kept where the two interfaces differ:
//
//   field            /proc/net/tcp (netstat)                    sock_diag record → what we report
//   Send-Q, LISTEN   0 (write_seq - snd_una)                     the backlog limit → 0, as netstat shows
//   timer expiry     clock ticks (USER_HZ, 1/100 s)              milliseconds → ms / 10, rounded down
//   retransmits      icsk_retransmits                             tcpi_retransmits (idiag_retrans without
//                                                                 tcp_info, e.g. request sockets)
//   probes           icsk_probes_out                              tcpi_probes
//   rto, ato         clock ticks                                  tcpi_rto, tcpi_ato µs → ticks, rounded down
//   ssthresh         -1 in initial slow start                     ≥ 0x7fffffff → -1
//   TCP tail, LISTEN rto ato qack cwnd ssthresh                   absent: a listener's tcp_info is zeros
//   qack, refcount   printed                                      not in sock_diag: absent
//
// Addresses come as the kernel's network-order bytes read as host words, which is exactly the number
// /proc prints with %08X, so they go through the same decoders (and caches) as the text.
//
// Like InetLineCache for the text, RecordCache walks the previous dump in step and hands back the same
// row object for a record whose words did not change: less garbage, and the diff sees "unchanged".

import type { InfoLayout, TcpInfoTable } from '../model/tcpinfo.js';
import type { Endpoint, InetProto, InetSocket, Parsed, TcpTail } from '../model/types.js';
import { tryDecodeIPv4Hex, tryDecodeIPv6Hex } from '../proc/addr.js';
import { RowDeduper } from '../proc/dedupe.js';
import { inetStateName } from '../proc/inet.js';

/** Word offsets in a record; must match the enum in src/sample/netwatch.c. */
export const W = {
  FAMILY: 0,
  STATE: 1,
  TIMER: 2,
  RETRANS: 3,
  EXPIRES: 4,
  RQUEUE: 5,
  WQUEUE: 6,
  UID: 7,
  INODE: 8,
  SPORT: 9,
  DPORT: 10,
  SRC: 11,
  DST: 15,
  HAS_INFO: 19,
  RTO: 20,
  ATO: 21,
  CWND: 22,
  SSTHRESH: 23,
  PROBES: 24,
  TCPI_RETRANSMITS: 25,
  // The tcp_info attribute as the kernel sent it (length in bytes, then up to 232 bytes), and skmeminfo.
  INFO_LEN: 26,
  INFO: 27,
  MEM_LEN: 85,
  MEM: 86,
} as const;
/** Words per record. */
export const RECORD_WORDS = 95;
/**
 * The words a row is made of. The rest (raw tcp_info, skmeminfo) changes on every sample of a live
 * connection (its counters, "ms since last data") and is read on demand, so comparing it would make every
 * row new every tick.
 */
export const ROW_WORDS = 26;

export const INFO_LAYOUT: InfoLayout = {
  infoLen: W.INFO_LEN,
  info: W.INFO,
  infoWords: W.MEM_LEN - W.INFO,
  memLen: W.MEM_LEN,
  mem: W.MEM,
  memWords: RECORD_WORDS - W.MEM,
};

const AF_INET = 2;
const AF_INET6 = 10;
const TCP_TIME_WAIT = 6;
const TCP_LISTEN = 10;
const TCP_SYN_RECV = 3;
const INFINITE_SSTHRESH = 0x7fff_ffff;

function hex8(word: number): string {
  return word.toString(16).toUpperCase().padStart(8, '0');
}

// Consecutive records usually share an address (always the local one on a busy port): compare words
// before building the hex key. Slot 0 local, 1 remote.
const lastWords = [new Uint32Array(5), new Uint32Array(5)]; // family + 4 address words
const lastText = ['', ''];

function address(words: Uint32Array, at: number, v6: boolean, slot: 0 | 1): string | undefined {
  const last = lastWords[slot]!;
  const family = v6 ? AF_INET6 : AF_INET;
  const n = v6 ? 4 : 1;
  let same = last[0] === family && lastText[slot] !== '';
  for (let i = 0; same && i < n; i++) same = last[i + 1] === words[at + i];
  if (same) return lastText[slot];
  const text = v6
    ? tryDecodeIPv6Hex(hex8(words[at]!) + hex8(words[at + 1]!) + hex8(words[at + 2]!) + hex8(words[at + 3]!))
    : tryDecodeIPv4Hex(hex8(words[at]!));
  if (text === undefined) return undefined;
  last[0] = family;
  for (let i = 0; i < n; i++) last[i + 1] = words[at + i]!;
  lastText[slot] = text;
  return text;
}

/** One record → row; undefined for a family we do not know (never seen from a TCP dump). */
export function decodeRecord(words: Uint32Array, at: number): InetSocket | undefined {
  const family = words[at + W.FAMILY];
  if (family !== AF_INET && family !== AF_INET6) return undefined;
  const v6 = family === AF_INET6;
  const proto: InetProto = v6 ? 'tcp6' : 'tcp';
  const localAddress = address(words, at + W.SRC, v6, 0);
  const remoteAddress = address(words, at + W.DST, v6, 1);
  if (localAddress === undefined || remoteAddress === undefined) return undefined;
  const local: Endpoint = { address: localAddress, port: words[at + W.SPORT]! };
  const remote: Endpoint = { address: remoteAddress, port: words[at + W.DPORT]! };
  const stateCode = words[at + W.STATE]!;
  const hasInfo = words[at + W.HAS_INFO] === 1;
  const listen = stateCode === TCP_LISTEN;
  // tcp_info of a listener carries only its backlog (the rest is zero), so like TIME_WAIT and request
  // sockets it gets no tail rather than a wrong one.
  const full = hasInfo && stateCode !== TCP_TIME_WAIT && stateCode !== TCP_SYN_RECV && !listen;
  const row: { -readonly [K in keyof InetSocket]: InetSocket[K] } = {
    kind: 'inet',
    proto,
    local,
    remote,
    state: inetStateName(proto, stateCode),
    stateCode,
    recvQ: words[at + W.RQUEUE]!,
    sendQ: listen ? 0 : words[at + W.WQUEUE]!,
    timerActive: words[at + W.TIMER]!,
    timerExpires: Math.floor(words[at + W.EXPIRES]! / 10),
    retransmits: full ? words[at + W.TCPI_RETRANSMITS]! : words[at + W.RETRANS]!,
    uid: words[at + W.UID]!,
    timeouts: full ? words[at + W.PROBES]! : 0,
    inode: words[at + W.INODE]!,
  };
  // sock_diag reports a listener's backlog limit where /proc has 0: keep it beside netstat's Send-Q.
  if (listen) row.backlog = words[at + W.WQUEUE]!;
  if (!full) return row;
  const ssthresh = words[at + W.SSTHRESH]!;
  const tcp: TcpTail = {
    rto: Math.floor(words[at + W.RTO]! / 10_000),
    ato: Math.floor(words[at + W.ATO]! / 10_000),
    cwnd: words[at + W.CWND]!,
    ssthresh: ssthresh >= INFINITE_SSTHRESH ? -1 : ssthresh,
  };
  row.tcp = tcp;
  return row;
}

function sameRecord(a: Uint32Array, i: number, b: Uint32Array, j: number): boolean {
  for (let k = 0; k < ROW_WORDS; k++) if (a[i + k] !== b[j + k]) return false;
  return true;
}

/** Words that name a socket: family, state, ports, inode and the two addresses. */
const KEY_WORDS: readonly number[] = [
  W.FAMILY,
  W.STATE,
  W.SPORT,
  W.DPORT,
  W.INODE,
  ...[0, 1, 2, 3].flatMap((i) => [W.SRC + i, W.DST + i]),
];

/** The same socket in both records (its timer or queues may differ). */
function sameKey(a: Uint32Array, i: number, b: Uint32Array, j: number): boolean {
  for (const k of KEY_WORDS) if (a[i + k] !== b[j + k]) return false;
  return true;
}

/**
 * A 32-bit hash of the key words, for the index built when the walk loses its place. A collision only
 * points at the wrong record, which sameKey then refuses: the record is decoded again, nothing worse.
 */
function keyHash(w: Uint32Array, at: number): number {
  let h = 0x811c9dc5;
  for (const k of KEY_WORDS) h = Math.imul(h ^ w[at + k]!, 0x01000193);
  return h >>> 0;
}

/**
 * Rows of the previous dump, reused for records whose words are all unchanged. The dump comes in hash
 * order like /proc, so the walk compares each record with the one expected at that position (and the
 * next, for a socket that went away) and builds a key index only when it loses its place.
 */
export class RecordCache {
  /** One deduper for every dump (its tables are reused). */
  readonly deduper = new RowDeduper<InetSocket>(identity);
  private prev: Uint32Array = new Uint32Array(0);
  private prevRows: (InetSocket | undefined)[] = [];
  private nextRows: (InetSocket | undefined)[] = [];
  private kept = 0;
  private at = 0;
  private index: Map<number, number> | undefined;
  /** Word offset in the previous dump of the socket `take` last looked up (-1: not there). */
  matched = -1;

  /** The previous dump's words (for rates). */
  get previous(): Uint32Array {
    return this.prev;
  }

  /**
   * The previous row for the record at `i` of `words`, if its row words are unchanged. Either way
   * `matched` says where the same socket was in the previous dump.
   */
  take(words: Uint32Array, i: number): InetSocket | undefined {
    const prev = this.prev;
    const n = prev.length / RECORD_WORDS;
    const j = this.at;
    this.matched = -1;
    if (j < n) {
      if (sameRecord(words, i, prev, j * RECORD_WORDS)) {
        this.at = j + 1;
        this.matched = j * RECORD_WORDS;
        return this.prevRows[j];
      }
      if (j + 1 < n && sameRecord(words, i, prev, (j + 1) * RECORD_WORDS)) {
        this.at = j + 2;
        this.matched = (j + 1) * RECORD_WORDS;
        return this.prevRows[j + 1];
      }
      if (sameKey(words, i, prev, j * RECORD_WORDS)) {
        this.at = j + 1; // the same socket, changed in place (a timer, a queue)
        this.matched = j * RECORD_WORDS;
        return undefined;
      }
    }
    if (this.index === undefined) {
      this.index = new Map();
      for (let p = 0; p < n; p++) {
        const key = keyHash(prev, p * RECORD_WORDS);
        if (!this.index.has(key)) this.index.set(key, p);
      }
    }
    const p = this.index.get(keyHash(words, i));
    // A new socket (or a hash collision): decode it, and the walk stays where it was.
    if (p === undefined || !sameKey(words, i, prev, p * RECORD_WORDS)) return undefined;
    this.at = p + 1;
    this.matched = p * RECORD_WORDS;
    return sameRecord(words, i, prev, p * RECORD_WORDS) ? this.prevRows[p] : undefined;
  }

  keep(row: InetSocket | undefined): void {
    this.nextRows[this.kept++] = row;
  }

  /** After each dump: it becomes what the next one can reuse. `words` must not be changed afterwards. */
  turn(words: Uint32Array): void {
    this.prev = words;
    const done = this.nextRows;
    done.length = this.kept; // entries of two dumps ago beyond it go (the array keeps its room)
    // The two arrays swap roles rather than one growing from empty to 20,000 entries every second.
    this.nextRows = this.prevRows;
    this.prevRows = done;
    this.kept = 0;
    this.at = 0;
    this.index = undefined;
  }
}

function identity(s: InetSocket): string {
  return `${s.stateCode} ${s.local.address} ${s.local.port} ${s.remote.address} ${s.remote.port} ${s.inode}`;
}

/**
 * The buffers a live collector's dumps are written into, in turn. A dump at 20,000 sockets is 7.6 MB: a
 * new buffer each second cost ~7 ms of page faults and copying and made V8 account and collect 7.6 MB/s
 * of external memory. Two in turn: the latest dump's words (the latest snapshot's tcpInfo.words) and the
 * one before (its prevWords, and what the RecordCache compares with) are never written while that
 * snapshot is the latest. So a snapshot's tcp_info may be read while it is the collector's latest, which
 * is all a live view, a stream or the exporter does (each reads the snapshot a sample hands it before the
 * next sample is taken); one kept longer (a paused view) keeps its own copy (src/model/tcpinfo.ts
 * pinTcpInfo). A third buffer would let the snapshot before the latest be read too, for ~7.6 MB more
 * resident memory at 20,000 sockets; nothing needs it.
 */
export class DumpRing {
  static readonly SIZE = 2;
  private readonly buffers: (ArrayBuffer | undefined)[] = new Array(DumpRing.SIZE).fill(undefined);
  private turn = 0;
  private lastRecords = 0;

  /** The buffer for the next dump: room for the last dump's records and an eighth more. */
  next(): ArrayBuffer {
    const slot = this.turn;
    const last = this.lastRecords;
    const needed = last + (last >> 3) + 64;
    const have = this.buffers[slot];
    const records = have ? have.byteLength / (RECORD_WORDS * 4) : 0;
    // Grown with a quarter to spare; given back when the host has far fewer sockets than it had.
    if (!have || records < needed || records > 4 * needed) {
      const size = last + (last >> 2) + 256;
      this.buffers[slot] = new ArrayBuffer(size * RECORD_WORDS * 4);
    }
    return this.buffers[slot]!;
  }

  /** After the dump: what it returned (a view of next()'s buffer, or a new buffer when it did not fit). */
  took(dump: Uint32Array | ArrayBuffer): Uint32Array | ArrayBuffer {
    const words = dump instanceof Uint32Array ? dump.length : dump.byteLength / 4;
    this.lastRecords = Math.floor(words / RECORD_WORDS);
    this.turn = (this.turn + 1) % DumpRing.SIZE;
    return dump;
  }
}

/** What decodeTcpDump hands back besides the rows: the tcp_info of the sockets that have it. */
export type DumpInfo = Omit<TcpInfoTable, 'elapsedMs'>;

/**
 * A tcpSockets() dump → rows of tcp and tcp6, in dump order, and the table of their tcp_info (with where
 * each socket was in the previous dump, when a cache walks them). A socket the dump repeats (the kernel's
 * hash changed under a multi-part dump) is kept once; a record that cannot be decoded is counted in
 * `skipped` under its protocol.
 */
export function decodeTcpDump(
  dump: ArrayBuffer | Uint32Array,
  cache?: RecordCache,
): { tcp: Parsed<InetSocket>; tcp6: Parsed<InetSocket>; info: DumpInfo } {
  const words =
    dump instanceof Uint32Array
      ? dump.subarray(0, Math.floor(dump.length / RECORD_WORDS) * RECORD_WORDS)
      : new Uint32Array(dump, 0, Math.floor(dump.byteLength / 4 / RECORD_WORDS) * RECORD_WORDS);
  const prevWords = cache && cache.previous.length > 0 ? cache.previous : undefined;
  const tcp: InetSocket[] = [];
  const tcp6: InetSocket[] = [];
  const infoSockets: InetSocket[] = [];
  const count = words.length / RECORD_WORDS;
  const at = new Int32Array(count);
  const prevAt = new Int32Array(count);
  let withInfo = 0;
  let skipped4 = 0;
  let skipped6 = 0;
  const dedupe = cache ? cache.deduper : new RowDeduper(identity);
  dedupe.reset(count);
  for (let i = 0; i < words.length; i += RECORD_WORDS) {
    let row = cache?.take(words, i);
    const matched = cache ? cache.matched : -1;
    if (row === undefined) row = decodeRecord(words, i);
    if (row === undefined) {
      if (words[i + W.FAMILY] === AF_INET6) skipped6++;
      else skipped4++;
      cache?.keep(undefined);
      continue;
    }
    const kept = dedupe.add(row, words[i + W.INODE]!);
    cache?.keep(kept ? row : undefined);
    if (!kept) continue;
    if (row.proto === 'tcp6') tcp6.push(row);
    else tcp.push(row);
    // A listener's tcp_info holds only its backlog (the rest is zero): it has no throughput or RTT.
    if (words[i + W.INFO_LEN]! > 0 && row.stateCode !== TCP_LISTEN) {
      infoSockets.push(row);
      at[withInfo] = i;
      prevAt[withInfo] = matched;
      withInfo++;
    }
  }
  cache?.turn(words);
  return {
    tcp: { rows: tcp, skipped: skipped4 },
    tcp6: { rows: tcp6, skipped: skipped6 },
    info: {
      layout: INFO_LAYOUT,
      sockets: infoSockets,
      words,
      at: at.subarray(0, withInfo),
      prevWords,
      prevAt: prevAt.subarray(0, withInfo),
    },
  };
}
