// Every line parser skips a 10 MB line as one malformed line, without splitting it, and keeps the good ones;
// names it keeps are capped at NAME_MAX (src/model/bounds.ts).
import { describe, expect, it } from 'vitest';
import { CUT_MARK, capText, LINE_MAX, NAME_MAX } from '../../src/model/bounds.js';
import { parseDev } from '../../src/proc/dev.js';
import { parseIgmp, parseIgmp6 } from '../../src/proc/igmp.js';
import { parseIpv6Route } from '../../src/proc/ipv6route.js';
import { parseRoute } from '../../src/proc/route.js';
import { parseKeyValuePairs } from '../../src/proc/snmp.js';
import { parseSnmp6 } from '../../src/proc/snmp6.js';
import { parseSockstat } from '../../src/proc/sockstat.js';

const TOKENS = '1 '.repeat(5_000_000);

describe('a 10 MB line of five million tokens is one skipped line', () => {
  const cases: [string, (text: string) => { skipped: number }, string][] = [
    [
      'route',
      parseRoute,
      'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n',
    ],
    ['ipv6_route', parseIpv6Route, ''],
    ['dev', parseDev, 'Inter-|   Receive\n face |bytes\n'],
    ['igmp', parseIgmp, 'Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n'],
    ['igmp6', parseIgmp6, ''],
    ['snmp6', parseSnmp6, 'Ip6InReceives 1\n'],
    ['sockstat', parseSockstat, 'sockets: used 1\n'],
    ['snmp', parseKeyValuePairs, 'Tcp: RtoMin\nTcp: 200\n'],
  ];
  it.each(cases)('%s', (_name, parse, good) => {
    // Deterministic rather than timed: record the largest array any split() made during the parse.
    const split = String.prototype.split;
    let largest = 0;
    String.prototype.split = function (this: string, ...args: Parameters<typeof split>) {
      const parts = split.apply(this, args);
      largest = Math.max(largest, parts.length);
      return parts;
    } as typeof split;
    let parsed: { skipped: number };
    try {
      parsed = parse(`${good}${TOKENS}\n`);
    } finally {
      String.prototype.split = split;
    }
    expect(parsed.skipped).toBe(1);
    expect(largest).toBeLessThan(100); // splitting the line would have made five million
  });

  it('a real TcpExt header (3 KB) is far under the snmp line cap', () => {
    const names = Array.from({ length: 140 }, (_, i) => `TcpExtCounterName${i}`);
    const text = `TcpExt: ${names.join(' ')}\nTcpExt: ${names.map(() => '0').join(' ')}\n`;
    expect(text.length).toBeLessThan(16 * LINE_MAX);
    expect(parseKeyValuePairs(text).groups.get('TcpExt')?.size).toBe(140);
  });
});

describe('names are capped where they enter the model', () => {
  const long = 'n'.repeat(3000);
  it('interface names (dev, route, ipv6_route, igmp6), counter names', () => {
    expect(parseDev(`${long}: ${'0 '.repeat(16)}\n`).rows[0]!.name).toBe(capText(long, NAME_MAX));
    const route = `${long}\t00000000\t0100000A\t0003\t0\t0\t100\t00000000\t0\t0\t0\n`;
    expect(parseRoute(route).rows[0]!.iface).toHaveLength(NAME_MAX + 1);
    const v6 = `${'0'.repeat(32)} 00 ${'0'.repeat(32)} 00 ${'0'.repeat(32)} 00000064 00000001 00000000 00000001 ${long}\n`;
    expect(parseIpv6Route(v6).rows[0]!.iface.endsWith(CUT_MARK)).toBe(true);
    expect(
      parseIgmp6(`1 ${long} ff0200000000000000000001ff000001 1 00000004 0\n`).rows[0]!.iface,
    ).toHaveLength(NAME_MAX + 1);
    const counters = parseKeyValuePairs(`Tcp: ${long}\nTcp: 5\n`);
    expect([...counters.groups.get('Tcp')!.keys()]).toEqual([capText(long, NAME_MAX)]);
  });

  it('capText keeps short text as it is and never splits a surrogate pair', () => {
    const short = 'eth0';
    expect(capText(short, 16)).toBe(short);
    expect(capText('ab😀cd', 3)).toBe(`ab${CUT_MARK}`);
    expect(capText('ab😀cd', 4)).toBe(`ab😀${CUT_MARK}`);
  });
});
