import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSnmp6 } from '../../src/proc/snmp6.js';
import { HostReader } from '../../src/sample/reader.js';

const live = new HostReader(fileURLToPath(new URL('../../fixtures/live-t0/', import.meta.url)));
const edge = new HostReader(fileURLToPath(new URL('../../fixtures/edge-counters/', import.meta.url)));

function fixture(reader: HostReader, rel: string): string {
  const text = reader.readText(rel);
  if (text === undefined) throw new Error(`missing fixture ${rel}`);
  return text;
}

describe('parseSnmp6 – name splitting', () => {
  it.each([
    ['Ip6InReceives', 'Ip6', 'InReceives'],
    ['Icmp6InMsgs', 'Icmp6', 'InMsgs'],
    ['Icmp6OutType133', 'Icmp6', 'OutType133'],
    ['Udp6RcvbufErrors', 'Udp6', 'RcvbufErrors'],
    ['UdpLite6InDatagrams', 'UdpLite6', 'InDatagrams'],
  ])('%s → %s / %s', (full, group, name) => {
    const { groups, skipped } = parseSnmp6(`${full}                 \t42\n`);
    expect(skipped).toBe(0);
    expect(groups.get(group)?.get(name)).toBe(42n);
  });

  it('keeps 18446744073709551615 exact', () => {
    const { groups } = parseSnmp6('Ip6InOctets 18446744073709551615\n');
    expect(groups.get('Ip6')?.get('InOctets')).toBe(18446744073709551615n);
  });
});

const malformed = [
  { name: 'snmp6 – non-numeric value', text: 'Ip6InReceives abc\nIp6InDelivers 3\n' },
  { name: 'snmp6 – name without value', text: 'Ip6InReceives\nIp6InDelivers 3\n' },
  { name: 'snmp6 – three fields', text: 'Ip6InReceives 1 2\nIp6InDelivers 3\n' },
  { name: 'snmp6 – name without a 6 (dev_snmp6 ifIndex)', text: 'ifIndex 2\nIp6InDelivers 3\n' },
  { name: 'snmp6 – group without a counter name', text: 'Ip6 5\nIp6InDelivers 3\n' },
  { name: 'snmp6 – lower-case after the 6', text: 'Ip6inReceives 5\nIp6InDelivers 3\n' },
] as const;

describe('parseSnmp6 – malformed input', () => {
  it.each(malformed)('$name', ({ text }) => {
    const { groups, skipped } = parseSnmp6(text);
    expect(skipped).toBe(1);
    expect([...groups.keys()]).toEqual(['Ip6']);
    expect(groups.get('Ip6')).toEqual(new Map([['InDelivers', 3n]]));
  });

  it('snmp6 – empty text gives an empty result', () => {
    const { groups, skipped } = parseSnmp6('');
    expect(groups.size).toBe(0);
    expect(skipped).toBe(0);
  });
});

describe('parseSnmp6 – fixtures', () => {
  it('live-t0: 90 counters in four groups, real values', () => {
    const { groups, skipped } = parseSnmp6(fixture(live, 'proc/net/snmp6'));
    expect(skipped).toBe(0);
    expect([...groups.keys()]).toEqual(['Ip6', 'Icmp6', 'Udp6', 'UdpLite6']);
    const total = [...groups.values()].reduce((sum, group) => sum + group.size, 0);
    expect(total).toBe(90);
    expect(groups.get('Ip6')?.get('InReceives')).toBe(1202n);
    expect(groups.get('Ip6')?.get('OutOctets')).toBe(93960n);
    expect(groups.get('Icmp6')?.get('InErrors')).toBe(1n);
    expect(groups.get('Icmp6')?.get('OutType143')).toBe(4n);
    expect(groups.get('Icmp6')?.get('OutNeighborSolicits')).toBe(5n);
    expect(groups.get('Udp6')?.get('InDatagrams')).toBe(0n);
  });

  it('edge-counters: skips the non-numeric line, keeps the rest', () => {
    const { groups, skipped } = parseSnmp6(fixture(edge, 'proc/net/snmp6'));
    expect(skipped).toBe(1);
    expect(groups.get('Ip6')?.get('InReceives')).toBe(18446744073709551615n);
    expect(groups.get('Icmp6')?.get('InType134')).toBe(4n);
    expect(groups.get('Udp6')?.has('InErrors')).toBe(false);
    expect(groups.get('UdpLite6')?.get('InDatagrams')).toBe(0n);
  });
});
