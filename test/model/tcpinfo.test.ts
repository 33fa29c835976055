// tcp_info as the kernel sends it: a captured attribute read field by field (checked against a DataView
// reading of the same bytes), cut to the lengths older kernels send and to a length that ends inside a
// field, and rates between two dumps, with a new socket and a counter that went down.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type InfoLayout,
  pinTcpInfo,
  readField,
  readFieldExact,
  readMem,
  TCP_FIELDS,
  type TcpInfoTable,
  tcpFieldsAt,
  tcpIndex,
  tcpRates,
  tcpStatsAt,
} from '../../src/model/tcpinfo.js';
import { INFO_LAYOUT, RECORD_WORDS } from '../../src/sample/sockdiag.js';
import { inet } from '../helpers/snapshots.js';

const [infoLine, memLine] = readFileSync(
  new URL('../../fixtures/tcpinfo/established-6.18.txt', import.meta.url),
  'utf8',
)
  .split('\n')
  .filter((l) => l && !l.startsWith('#'));
const [infoLen, infoHex] = infoLine!.split(' ') as [string, string];
const [memLen, memHex] = memLine!.split(' ') as [string, string];
const INFO = Buffer.from(infoHex, 'hex');
const MEM = Buffer.from(memHex, 'hex');
const L: InfoLayout = INFO_LAYOUT;

/** One record as netwatch.c writes it, with the attribute cut to `len` bytes as the kernel said. */
function record(len: number, bytes: Uint8Array = INFO, mem: Uint8Array = MEM): Uint32Array {
  const words = new Uint32Array(RECORD_WORDS);
  words[L.infoLen] = len;
  const kept = Math.min(len, L.infoWords * 4, bytes.length);
  new Uint8Array(words.buffer, L.info * 4, kept).set(bytes.subarray(0, kept));
  words[L.memLen] = mem.length;
  new Uint8Array(words.buffer, L.mem * 4, mem.length).set(mem);
  return words;
}

const view = new DataView(INFO.buffer, INFO.byteOffset, INFO.byteLength);
const field = (name: string) => TCP_FIELDS.find((f) => f.name === name)!;
const expected = (name: string): bigint => {
  const f = field(name);
  return f.size === 4 ? BigInt(view.getUint32(f.offset, true)) : view.getBigUint64(f.offset, true);
};

describe('reading a captured tcp_info', () => {
  const words = record(Number(infoLen));

  it('the fixture is what Linux 6.18 sends: 280 bytes, of which netwatch keeps 232', () => {
    expect(Number(infoLen)).toBe(280);
    expect(INFO.length).toBe(232);
    expect(Number(memLen)).toBe(36);
  });

  it('reads every field at its offset, exactly, as a DataView does', () => {
    for (const f of TCP_FIELDS) {
      expect(readFieldExact(words, 0, L, f), f.name).toBe(expected(f.name));
      expect(readField(words, 0, L, f), f.name).toBe(Number(expected(f.name)));
    }
    // The bulk sender of the capture: it retransmitted, and acknowledged bytes are below bytes sent.
    expect(readField(words, 0, L, field('totalRetrans'))).toBeGreaterThan(0);
    expect(readField(words, 0, L, field('bytesAcked'))!).toBeLessThan(
      readField(words, 0, L, field('bytesSent'))!,
    );
    expect(readMem(words, 0, L)).toMatchObject({ rcvBuf: MEM.readUInt32LE(4), sndBuf: MEM.readUInt32LE(12) });
  });

  it.each([
    [
      'Linux 3.x (104 bytes: up to tcpi_total_retrans)',
      104,
      ['rttUs', 'totalRetrans', 'sndCwnd'],
      ['pacingRateBps', 'bytesAcked', 'minRttUs'],
    ],
    [
      'Linux 4.2 (144 bytes: + pacing, bytes acked/received, segs)',
      144,
      ['bytesAcked', 'bytesReceived', 'segsIn'],
      ['notsentBytes', 'deliveryRateBps'],
    ],
    [
      'Linux 4.10 (192 bytes: + delivery rate, busy, limited times)',
      192,
      ['deliveryRateBps', 'busyTimeUs', 'sndbufLimitedUs'],
      ['bytesSent', 'bytesRetrans'],
    ],
    ['Linux 4.19 (216 bytes: + bytes sent/retransmitted)', 216, ['bytesSent', 'bytesRetrans'], []],
    [
      'a truncated attribute ending inside bytes_received (130 bytes)',
      130,
      ['bytesAcked'],
      ['bytesReceived', 'segsOut'],
    ],
    ['an empty attribute', 0, [], ['rttUs', 'lost']],
  ] as const)('%s', (_name, len, present, absent) => {
    const short = record(len);
    for (const name of present)
      expect(readField(short, 0, L, field(name)), name).toBe(Number(expected(name)));
    for (const name of absent) expect(readField(short, 0, L, field(name)), name).toBeUndefined();
  });

  it('keeps a 64-bit counter above 2^53 exact', () => {
    const big = Buffer.from(INFO);
    big.writeBigUInt64LE(2n ** 60n + 7n, field('bytesAcked').offset);
    const w = record(280, big);
    expect(readFieldExact(w, 0, L, field('bytesAcked'))).toBe(2n ** 60n + 7n);
  });
});

describe('tcpRates', () => {
  const bytesAcked = field('bytesAcked').offset;
  const bytesReceived = field('bytesReceived').offset;
  const totalRetrans = field('totalRetrans').offset;
  function withCounters(acked: bigint, received: bigint, retrans: number): Uint8Array {
    const b = Buffer.from(INFO);
    b.writeBigUInt64LE(acked, bytesAcked);
    b.writeBigUInt64LE(received, bytesReceived);
    b.writeUInt32LE(retrans, totalRetrans);
    return b;
  }
  const a = inet('tcp', '127.0.0.1:5000', '127.0.0.1:6000', 'ESTABLISHED', 1);
  const b = inet('tcp', '127.0.0.1:5001', '127.0.0.1:6000', 'ESTABLISHED', 2);
  const c = inet('tcp', '127.0.0.1:5002', '127.0.0.1:6000', 'ESTABLISHED', 3);

  function dump(...records: Uint32Array[]): Uint32Array {
    const out = new Uint32Array(records.length * RECORD_WORDS);
    records.forEach((r, i) => {
      out.set(r, i * RECORD_WORDS);
    });
    return out;
  }

  it('is the delta over the interval; none for a new socket or a counter that went down', () => {
    const prev = dump(record(280, withCounters(1000n, 5000n, 3)), record(280, withCounters(9000n, 0n, 0)));
    const next = dump(
      record(280, withCounters(3000n, 9000n, 5)), // a: +2000 acked, +4000 received, +2 retransmits in 0.5 s
      record(280, withCounters(10n, 0n, 0)), // b: acked went down: another socket behind the same key
      record(280, withCounters(50n, 50n, 0)), // c: new
    );
    const table: TcpInfoTable = {
      layout: L,
      sockets: [a, b, c],
      words: next,
      at: Int32Array.from([0, RECORD_WORDS, 2 * RECORD_WORDS]),
      prevWords: prev,
      prevAt: Int32Array.from([0, RECORD_WORDS, -1]),
      elapsedMs: 500,
    };
    expect(tcpStatsAt(table, 0)).toMatchObject({
      txBps: 4000,
      rxBps: 8000,
      retransPerSec: 4,
      totalRetrans: 5,
    });
    expect(tcpStatsAt(table, 1)).toMatchObject({ txBps: undefined, rxBps: 0, retransPerSec: 0 });
    expect(tcpStatsAt(table, 2)).toMatchObject({ txBps: undefined, rxBps: undefined, totalRetrans: 0 });
    expect(tcpIndex(table, b)).toBe(1);
    expect(tcpIndex(table, inet('tcp', '1.1.1.1:1', '2.2.2.2:2', 'ESTABLISHED', 9))).toBe(-1);
    // The same Float64Array on a second call: rates are computed once per table.
    expect(tcpRates(table)).toBe(tcpRates(table));
    expect(tcpFieldsAt(table, 0).find((f) => f.name === 'bytesAcked')?.value).toBe(3000n);
  });

  it('a pinned table reads its own copy: the dump buffers it came from can be written again', () => {
    const prev = dump(record(280, withCounters(1000n, 5000n, 3)));
    const next = dump(record(280, withCounters(3000n, 9000n, 5)));
    const table: TcpInfoTable = {
      layout: L,
      sockets: [a],
      words: next,
      at: Int32Array.from([0]),
      prevWords: prev,
      prevAt: Int32Array.from([0]),
      elapsedMs: 1000,
    };
    const pinned = pinTcpInfo(table);
    // The collector's next dumps go into the same buffers.
    next.fill(0);
    prev.fill(7);
    expect(tcpStatsAt(pinned, 0)).toMatchObject({
      txBps: 2000,
      rxBps: 4000,
      retransPerSec: 2,
      totalRetrans: 5,
    });
    expect(tcpStatsAt(table, 0).totalRetrans).toBeUndefined();
    expect(pinned.words.buffer).not.toBe(next.buffer);
    // Rates already computed travel with the pinned table.
    const computed = tcpRates(table);
    expect(tcpRates(pinTcpInfo(table))).toBe(computed);
  });

  it('has no rates without a previous dump', () => {
    const table: TcpInfoTable = {
      layout: L,
      sockets: [a],
      words: dump(record(280)),
      at: Int32Array.from([0]),
      prevWords: undefined,
      prevAt: Int32Array.from([-1]),
      elapsedMs: 0,
    };
    expect(tcpStatsAt(table, 0)).toMatchObject({
      rxBps: undefined,
      txBps: undefined,
      retransPerSec: undefined,
    });
    expect(tcpStatsAt(table, 0).rttUs).toBe(Number(expected('rttUs')));
  });
});
