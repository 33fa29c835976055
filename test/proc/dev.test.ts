import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDev } from '../../src/proc/dev.js';

function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/${name}/proc/net/dev`, import.meta.url), 'latin1');
}

const HEADER =
  'Inter-|   Receive                                                |  Transmit\n' +
  ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls ' +
  'carrier compressed\n';
const MAX = 18446744073709551615n;

describe('parseDev', () => {
  it('reads the live capture', () => {
    const { rows, skipped } = parseDev(fixture('live-t0'));
    expect(skipped).toBe(0);
    expect(rows.map((r) => r.name)).toEqual(['lo', 'ifb0', 'ifb1', 'eth0']);
    expect(rows[0]).toEqual({
      name: 'lo',
      rxBytes: 376026n,
      rxPackets: 6088n,
      rxErrs: 0n,
      rxDrop: 0n,
      rxFifo: 0n,
      rxFrame: 0n,
      rxCompressed: 0n,
      rxMulticast: 0n,
      txBytes: 376026n,
      txPackets: 6088n,
      txErrs: 0n,
      txDrop: 0n,
      txFifo: 0n,
      txColls: 0n,
      txCarrier: 0n,
      txCompressed: 0n,
    });
    // netstat -i at capture time: eth0 RX-OK 7114, TX-OK 4093.
    expect(rows[3]).toMatchObject({
      rxBytes: 257238819n,
      rxPackets: 7114n,
      txBytes: 450671n,
      txPackets: 4093n,
    });
  });

  it('reads the edge file: counters and names that run into the colon, aliases', () => {
    const { rows, skipped } = parseDev(fixture('edge-net'));
    expect(skipped).toBe(0);
    // netstat -i with this file as /proc/net/dev listed eth0, eth0:1 and eth0:2 with these packet counts.
    expect(rows.map((r) => [r.name, r.rxBytes, r.rxPackets, r.txBytes, r.txPackets])).toEqual([
      ['lo', 376026n, 6088n, 376026n, 6088n],
      ['eth0', MAX, 7114n, MAX, 4093n],
      ['verylongname0', 123456789n, 100n, 987654321n, 200n],
      ['eth0:1', 100n, 1n, 200n, 2n],
      ['wlan|0', 5n, 1n, 6n, 1n],
      ['eth0:2', 42n, 1n, 43n, 1n],
    ]);
    // Every column lands in its own field.
    expect(Object.values(rows[1]!).slice(1)).toEqual([
      MAX,
      7114n,
      1n,
      2n,
      3n,
      4n,
      5n,
      6n,
      MAX,
      4093n,
      7n,
      8n,
      9n,
      10n,
      11n,
      12n,
    ]);
  });

  it('keeps 2^64-1 exact, beyond what a number can hold', () => {
    const { rows } = parseDev('eth0:18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 0 0 18446744073709551615\n');
    expect(rows[0]!.rxBytes).toBe(MAX);
    expect(rows[0]!.txCompressed).toBe(MAX);
    expect(rows[0]!.rxBytes - 1n).toBe(18446744073709551614n);
  });

  const sixteen = ' 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16';
  const names: [string, string, string, bigint][] = [
    ['space after the colon', `  eth0:${sixteen}`, 'eth0', 1n],
    ['no space after the colon', `eth0:${sixteen.slice(1)}`, 'eth0', 1n],
    ['alias with space', `eth0:1:${sixteen}`, 'eth0:1', 1n],
    ['alias without space', `eth0:1:${sixteen.slice(1)}`, 'eth0:1', 1n],
    ['alias with several colons', `a:b:c:${sixteen}`, 'a:b:c', 1n],
    ['15-character name, no padding', `abcdefghijklmno:${sixteen}`, 'abcdefghijklmno', 1n],
  ];
  it.each(names)('splits the name: %s', (_name, line, name, rxBytes) => {
    const { rows, skipped } = parseDev(`${line}\n`);
    expect(skipped).toBe(0);
    expect(rows[0]!.name).toBe(name);
    expect(rows[0]!.rxBytes).toBe(rxBytes);
    expect(rows[0]!.txCompressed).toBe(16n);
  });

  const malformed: [string, string][] = [
    ['no colon', `  eth0${sixteen}`],
    ['15 counters', `  eth0:${sixteen.slice(0, -3)}`],
    ['17 counters', `  eth0:${sixteen} 17`],
    ['negative counter', '  eth0: -1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16'],
    ['hex counter', '  eth0: 0x1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16'],
    ['empty name', `     :${sixteen}`],
    ['blank inside the name', `eth0 junk:${sixteen}`],
    ['header line past the top', HEADER.split('\n')[0]!],
  ];
  it.each(malformed)('skips and counts a line: %s', (_name, line) => {
    const { rows, skipped } = parseDev(`${HEADER}${line}\n    lo:${sixteen}\n`);
    expect(skipped).toBe(1);
    expect(rows.map((r) => r.name)).toEqual(['lo']);
  });

  it('returns no rows for empty text or headers alone', () => {
    expect(parseDev('')).toEqual({ rows: [], skipped: 0 });
    expect(parseDev(HEADER)).toEqual({ rows: [], skipped: 0 });
  });
});
