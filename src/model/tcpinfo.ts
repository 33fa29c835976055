// Per-connection TCP health from the kernel's tcp_info (and skmeminfo), as sock_diag hands them over:
// which fields exist, where they are, how to read them exactly, and per-second rates between two dumps.
//
// The raw bytes stay in the dump's words (src/sample/netwatch.c copies the attribute as the kernel sent
// it, with its length), so nothing is decoded for a socket nobody looks at: the Connections pane reads
// the visible rows, a sort or the Processes pane the rate columns, JSON every field. A field is present
// when the kernel's attribute was long enough to hold it (older kernels send a shorter struct).
import type { InetSocket } from './types.js';

/** Word offsets of the tcp_info part of a sock_diag record (see src/sample/sockdiag.ts W). */
export interface InfoLayout {
  /** Word holding the tcp_info attribute's length in bytes (0: none). */
  readonly infoLen: number;
  /** First word of the raw tcp_info bytes. */
  readonly info: number;
  /** Words of raw tcp_info kept. */
  readonly infoWords: number;
  /** Word holding the skmeminfo attribute's length in bytes. */
  readonly memLen: number;
  readonly mem: number;
  readonly memWords: number;
}

export interface TcpField {
  /** JSON name, with its unit named: rttUs, bytesAcked, deliveryRateBps … */
  readonly name: string;
  /** Byte offset in struct tcp_info (ABI-stable: the kernel only appends). */
  readonly offset: number;
  readonly size: 4 | 8;
  /** How a person reads it. */
  readonly unit: 'us' | 'ms' | 'bytes' | 'count' | 'bytes/s' | 'segments';
  readonly label: string;
}

/** The fields netwatch reads, in the order details show them. Offsets from linux/tcp.h (6.x). */
export const TCP_FIELDS: readonly TcpField[] = [
  { name: 'rttUs', offset: 68, size: 4, unit: 'us', label: 'RTT' },
  { name: 'rttVarUs', offset: 72, size: 4, unit: 'us', label: 'RTT variance' },
  { name: 'minRttUs', offset: 148, size: 4, unit: 'us', label: 'min RTT' },
  { name: 'totalRetrans', offset: 100, size: 4, unit: 'count', label: 'retransmits, total' },
  { name: 'retrans', offset: 36, size: 4, unit: 'count', label: 'retransmits, unacknowledged now' },
  { name: 'lost', offset: 32, size: 4, unit: 'count', label: 'lost' },
  { name: 'bytesAcked', offset: 120, size: 8, unit: 'bytes', label: 'bytes acked (sent)' },
  { name: 'bytesReceived', offset: 128, size: 8, unit: 'bytes', label: 'bytes received' },
  { name: 'bytesSent', offset: 200, size: 8, unit: 'bytes', label: 'bytes sent (with retransmits)' },
  { name: 'bytesRetrans', offset: 208, size: 8, unit: 'bytes', label: 'bytes retransmitted' },
  { name: 'segsIn', offset: 140, size: 4, unit: 'segments', label: 'segments in' },
  { name: 'segsOut', offset: 136, size: 4, unit: 'segments', label: 'segments out' },
  { name: 'deliveryRateBps', offset: 160, size: 8, unit: 'bytes/s', label: 'delivery rate' },
  { name: 'pacingRateBps', offset: 104, size: 8, unit: 'bytes/s', label: 'pacing rate' },
  { name: 'sndCwnd', offset: 80, size: 4, unit: 'segments', label: 'congestion window' },
  { name: 'notsentBytes', offset: 144, size: 4, unit: 'bytes', label: 'not yet sent' },
  { name: 'busyTimeUs', offset: 168, size: 8, unit: 'us', label: 'busy' },
  { name: 'rwndLimitedUs', offset: 176, size: 8, unit: 'us', label: 'limited by receive window' },
  { name: 'sndbufLimitedUs', offset: 184, size: 8, unit: 'us', label: 'limited by send buffer' },
  { name: 'lastDataRecvMs', offset: 52, size: 4, unit: 'ms', label: 'since data received' },
  { name: 'lastDataSentMs', offset: 44, size: 4, unit: 'ms', label: 'since data sent' },
];

/** skmeminfo words (linux/sock_diag.h SK_MEMINFO_*), for send/receive buffer use. */
export const MEM_FIELDS: readonly { readonly name: string; readonly index: number }[] = [
  { name: 'rmemAlloc', index: 0 },
  { name: 'rcvBuf', index: 1 },
  { name: 'wmemAlloc', index: 2 },
  { name: 'sndBuf', index: 3 },
  { name: 'fwdAlloc', index: 4 },
  { name: 'wmemQueued', index: 5 },
  { name: 'optMem', index: 6 },
  { name: 'backlog', index: 7 },
  { name: 'drops', index: 8 },
];

const FIELD = new Map(TCP_FIELDS.map((f) => [f.name, f]));

/**
 * The tcp_info of the TCP sockets of one dump, aligned with `sockets`, and where the same socket was in the
 * dump before (for rates). Plain data; the functions below read it. A live collector reuses the buffers
 * behind `words` and `prevWords`: read a table while its snapshot is the latest, or pin it (pinTcpInfo).
 */
export interface TcpInfoTable {
  readonly layout: InfoLayout;
  /** Rows that carry tcp_info, in dump order (the snapshot's own objects). */
  readonly sockets: readonly InetSocket[];
  /** The dump's words. */
  readonly words: Uint32Array;
  /** Word offset of each socket's record in `words`. */
  readonly at: Int32Array;
  /** The previous dump's words, and the offset of the same socket there (-1: new, or no previous). */
  readonly prevWords: Uint32Array | undefined;
  readonly prevAt: Int32Array;
  /** Monotonic ms between the previous dump and this one (0 without a previous). */
  readonly elapsedMs: number;
}

function infoBytes(words: Uint32Array, at: number, layout: InfoLayout): number {
  return Math.min(words[at + layout.infoLen] ?? 0, layout.infoWords * 4);
}

/** One field of the record at `at`, as a number (exact below 2^53); undefined when the kernel sent none. */
export function readField(
  words: Uint32Array,
  at: number,
  layout: InfoLayout,
  f: TcpField,
): number | undefined {
  if (infoBytes(words, at, layout) < f.offset + f.size) return undefined;
  const w = at + layout.info + f.offset / 4;
  const lo = words[w]!;
  return f.size === 4 ? lo : words[w + 1]! * 0x1_0000_0000 + lo;
}

/** The same, exact at any size (JSON). */
export function readFieldExact(
  words: Uint32Array,
  at: number,
  layout: InfoLayout,
  f: TcpField,
): bigint | undefined {
  if (infoBytes(words, at, layout) < f.offset + f.size) return undefined;
  const w = at + layout.info + f.offset / 4;
  const lo = BigInt(words[w]!);
  return f.size === 4 ? lo : (BigInt(words[w + 1]!) << 32n) | lo;
}

/** skmeminfo of the record, or undefined when absent. */
export function readMem(
  words: Uint32Array,
  at: number,
  layout: InfoLayout,
): Record<string, number> | undefined {
  const bytes = Math.min(words[at + layout.memLen] ?? 0, layout.memWords * 4);
  if (bytes < 4 * 4) return undefined;
  const out: Record<string, number> = {};
  for (const m of MEM_FIELDS) if ((m.index + 1) * 4 <= bytes) out[m.name] = words[at + layout.mem + m.index]!;
  return out;
}

/** Per-second rates kept per socket, in this order. */
export const RATES = ['rxBps', 'txBps', 'retransPerSec', 'segsOutPerSec'] as const;
export type RateName = (typeof RATES)[number];
const RATE_SOURCES: Record<RateName, TcpField> = {
  rxBps: FIELD.get('bytesReceived')!,
  // Acknowledged bytes are what reached the peer; bytesSent counts retransmits twice.
  txBps: FIELD.get('bytesAcked')!,
  retransPerSec: FIELD.get('totalRetrans')!,
  segsOutPerSec: FIELD.get('segsOut')!,
};

const RATES_OF = new WeakMap<TcpInfoTable, Float64Array>();

/**
 * Rates of every socket (sockets.length × RATES.length; NaN where there is none): the delta of each
 * counter since the previous dump over the interval. A new socket has no rate on its first sample, and a
 * counter that went down means the record is another socket (or a reset): no rate, never a negative one.
 * Computed once per table, on first use.
 */
export function tcpRates(table: TcpInfoTable): Float64Array {
  const cached = RATES_OF.get(table);
  if (cached) return cached;
  const n = table.sockets.length;
  const out = new Float64Array(n * RATES.length).fill(Number.NaN);
  const prev = table.prevWords;
  if (prev && table.elapsedMs > 0) {
    const perSec = 1000 / table.elapsedMs;
    for (let i = 0; i < n; i++) {
      const p = table.prevAt[i]!;
      if (p < 0) continue;
      for (let r = 0; r < RATES.length; r++) {
        const f = RATE_SOURCES[RATES[r]!];
        const now = readField(table.words, table.at[i]!, table.layout, f);
        const then = readField(prev, p, table.layout, f);
        if (now === undefined || then === undefined || now < then) continue;
        out[i * RATES.length + r] = (now - then) * perSec;
      }
    }
  }
  RATES_OF.set(table, out);
  return out;
}

/**
 * The same table over its own copy of the words it reads, for a view kept while later dumps are taken (a
 * paused view): a live collector writes its dumps into buffers it reuses (src/sample/sockdiag.ts DumpRing).
 */
export function pinTcpInfo(table: TcpInfoTable): TcpInfoTable {
  const pinned: TcpInfoTable = { ...table, words: table.words.slice(), prevWords: table.prevWords?.slice() };
  const rates = RATES_OF.get(table);
  if (rates) RATES_OF.set(pinned, rates);
  return pinned;
}

const INDEX_OF = new WeakMap<TcpInfoTable, Map<InetSocket, number>>();

/** Position of `s` in the table, or -1. The index is built once per table, on first use. */
export function tcpIndex(table: TcpInfoTable, s: InetSocket): number {
  let index = INDEX_OF.get(table);
  if (!index) {
    index = new Map();
    for (let i = 0; i < table.sockets.length; i++) index.set(table.sockets[i]!, i);
    INDEX_OF.set(table, index);
  }
  return index.get(s) ?? -1;
}

/** What the live view shows of one connection. Rates undefined on a first sample. */
export interface TcpStats {
  readonly rttUs: number | undefined;
  readonly totalRetrans: number | undefined;
  readonly rxBps: number | undefined;
  readonly txBps: number | undefined;
  readonly retransPerSec: number | undefined;
}

function rate(rates: Float64Array, i: number, name: RateName): number | undefined {
  const v = rates[i * RATES.length + RATES.indexOf(name)]!;
  return Number.isNaN(v) ? undefined : v;
}

/** The summary of socket `i` of the table. */
export function tcpStatsAt(table: TcpInfoTable, i: number): TcpStats {
  const rates = tcpRates(table);
  const at = table.at[i]!;
  return {
    rttUs: readField(table.words, at, table.layout, FIELD.get('rttUs')!),
    totalRetrans: readField(table.words, at, table.layout, FIELD.get('totalRetrans')!),
    rxBps: rate(rates, i, 'rxBps'),
    txBps: rate(rates, i, 'txBps'),
    retransPerSec: rate(rates, i, 'retransPerSec'),
  };
}

/** Every field of socket `i`, exact, with its name (for JSON and details); absent fields left out. */
export function tcpFieldsAt(
  table: TcpInfoTable,
  i: number,
): { name: string; value: bigint; field: TcpField }[] {
  const at = table.at[i]!;
  const out: { name: string; value: bigint; field: TcpField }[] = [];
  for (const f of TCP_FIELDS) {
    const value = readFieldExact(table.words, at, table.layout, f);
    if (value !== undefined) out.push({ name: f.name, value, field: f });
  }
  return out;
}
