import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { SockstatProto } from '../../src/model/types.js';
import { parseSockstat } from '../../src/proc/sockstat.js';
import { HostReader } from '../../src/sample/reader.js';

const live = new HostReader(fileURLToPath(new URL('../../fixtures/live-t0/', import.meta.url)));
const edge = new HostReader(fileURLToPath(new URL('../../fixtures/edge-counters/', import.meta.url)));

function fixture(reader: HostReader, rel: string): string {
  const text = reader.readText(rel);
  if (text === undefined) throw new Error(`missing fixture ${rel}`);
  return text;
}

function byProto(rows: readonly SockstatProto[]): Record<string, Record<string, bigint>> {
  return Object.fromEntries(rows.map((row) => [row.proto, Object.fromEntries(row.values)]));
}

describe('parseSockstat', () => {
  it('reads proto and name/value pairs', () => {
    const { rows, skipped } = parseSockstat('sockets: used 123\nTCP: inuse 5 orphan 0 tw 0 alloc 7 mem 1\n');
    expect(skipped).toBe(0);
    expect(byProto(rows)).toEqual({
      sockets: { used: 123n },
      TCP: { inuse: 5n, orphan: 0n, tw: 0n, alloc: 7n, mem: 1n },
    });
  });

  it('keeps row order and exact 64-bit values', () => {
    const { rows } = parseSockstat('UDP6: inuse 2\nFRAG: inuse 0 memory 18446744073709551615\n');
    expect(rows.map((row) => row.proto)).toEqual(['UDP6', 'FRAG']);
    expect(rows[1]?.values.get('memory')).toBe(18446744073709551615n);
  });
});

const malformed = [
  { name: 'sockstat – odd token count', text: 'UDP: inuse 3 mem\nRAW: inuse 1\n' },
  { name: 'sockstat – non-integer value', text: 'UDP: inuse three\nRAW: inuse 1\n' },
  { name: 'sockstat – no colon', text: 'UDP inuse 3\nRAW: inuse 1\n' },
  { name: 'sockstat – proto without pairs', text: 'UDP:\nRAW: inuse 1\n' },
] as const;

describe('parseSockstat – malformed input', () => {
  it.each(malformed)('$name', ({ text }) => {
    const { rows, skipped } = parseSockstat(text);
    expect(skipped).toBe(1);
    expect(byProto(rows)).toEqual({ RAW: { inuse: 1n } });
  });

  it('sockstat – empty text gives an empty result', () => {
    expect(parseSockstat('')).toEqual({ rows: [], skipped: 0 });
  });
});

describe('parseSockstat – fixtures', () => {
  it('live-t0 sockstat', () => {
    const { rows, skipped } = parseSockstat(fixture(live, 'proc/net/sockstat'));
    expect(skipped).toBe(0);
    expect(rows.map((row) => row.proto)).toEqual(['sockets', 'TCP', 'UDP', 'UDPLITE', 'RAW', 'FRAG']);
    const got = byProto(rows);
    expect(got.sockets).toEqual({ used: 4061n });
    expect(got.TCP).toEqual({ inuse: 3210n, orphan: 0n, tw: 5n, alloc: 4014n, mem: 151n });
    expect(got.FRAG).toEqual({ inuse: 0n, memory: 0n });
  });

  it('live-t0 sockstat6', () => {
    const { rows, skipped } = parseSockstat(fixture(live, 'proc/net/sockstat6'));
    expect(skipped).toBe(0);
    expect(byProto(rows)).toEqual({
      TCP6: { inuse: 804n },
      UDP6: { inuse: 4n },
      UDPLITE6: { inuse: 0n },
      RAW6: { inuse: 1n },
      FRAG6: { inuse: 0n, memory: 0n },
    });
  });

  it('edge-counters sockstat: odd token count skipped', () => {
    const { rows, skipped } = parseSockstat(fixture(edge, 'proc/net/sockstat'));
    expect(skipped).toBe(1);
    expect(rows.map((row) => row.proto)).toEqual(['sockets', 'TCP', 'FRAG']);
    expect(rows[1]?.values.get('mem')).toBe(18446744073709551615n);
  });
});
