import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseKeyValuePairs, parseNetstat, parseSnmp } from '../../src/proc/snmp.js';
import { HostReader } from '../../src/sample/reader.js';

const live = new HostReader(fileURLToPath(new URL('../../fixtures/live-t0/', import.meta.url)));
const edge = new HostReader(fileURLToPath(new URL('../../fixtures/edge-counters/', import.meta.url)));

function fixture(reader: HostReader, rel: string): string {
  const text = reader.readText(rel);
  if (text === undefined) throw new Error(`missing fixture ${rel}`);
  return text;
}

describe('parseKeyValuePairs – well-formed input', () => {
  it('pairs header and value line by position within the group', () => {
    const { groups, skipped } = parseKeyValuePairs('Udp: InDatagrams NoPorts\nUdp: 7 3\n');
    expect(skipped).toBe(0);
    expect([...groups.keys()]).toEqual(['Udp']);
    expect(groups.get('Udp')).toEqual(
      new Map([
        ['InDatagrams', 7n],
        ['NoPorts', 3n],
      ]),
    );
  });

  it('keeps a negative MaxConn as -1n', () => {
    const { groups } = parseSnmp('Tcp: RtoAlgorithm MaxConn\nTcp: 1 -1\n');
    expect(groups.get('Tcp')?.get('MaxConn')).toBe(-1n);
  });

  it('keeps 18446744073709551615 exact', () => {
    const { groups } = parseSnmp('Ip: Forwarding InReceives\nIp: 1 18446744073709551615\n');
    expect(groups.get('Ip')?.get('InReceives')).toBe(18446744073709551615n);
  });

  it('takes column names from the header, so a kernel whose Tcp has an extra column just works', () => {
    const text =
      'Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens InCsumErrors FutureCounter\n' +
      'Tcp: 1 200 120000 -1 310 1 77\n';
    const { groups, skipped } = parseSnmp(text);
    expect(skipped).toBe(0);
    expect(groups.get('Tcp')?.size).toBe(7);
    expect(groups.get('Tcp')?.get('FutureCounter')).toBe(77n);
    expect(groups.get('Tcp')?.get('ActiveOpens')).toBe(310n);
  });

  it('merges a group printed over several pairs (IcmpMsg, 16 columns at a time on old kernels)', () => {
    const text = 'IcmpMsg: InType0 InType3\nIcmpMsg: 1 30\nIcmpMsg: OutType0\nIcmpMsg: 8\n';
    const { groups, skipped } = parseSnmp(text);
    expect(skipped).toBe(0);
    expect(groups.get('IcmpMsg')).toEqual(
      new Map([
        ['InType0', 1n],
        ['InType3', 30n],
        ['OutType0', 8n],
      ]),
    );
  });

  it('ignores blank lines (2.6 kernels start the file with one) and CRLF endings', () => {
    const { groups, skipped } = parseSnmp('\nIp: Forwarding\r\nIp: 2\r\n\n');
    expect(skipped).toBe(0);
    expect(groups.get('Ip')?.get('Forwarding')).toBe(2n);
  });

  it('parseSnmp and parseNetstat are the same parser', () => {
    expect(parseSnmp).toBe(parseKeyValuePairs);
    expect(parseNetstat).toBe(parseKeyValuePairs);
  });
});

interface MalformedCase {
  readonly name: string;
  readonly text: string;
  readonly skipped: number;
  /** group → names expected to survive */
  readonly kept: Readonly<Record<string, readonly string[]>>;
}

const malformed: readonly MalformedCase[] = [
  {
    name: 'snmp – value line has fewer columns than header',
    text: 'Tcp: RtoAlgorithm RtoMin RtoMax\nTcp: 1 200\nUdp: InDatagrams\nUdp: 5\n',
    skipped: 1,
    kept: { Udp: ['InDatagrams'] },
  },
  {
    name: 'snmp – value line has more columns than header',
    text: 'Tcp: RtoAlgorithm\nTcp: 1 200\nUdp: InDatagrams\nUdp: 5\n',
    skipped: 1,
    kept: { Udp: ['InDatagrams'] },
  },
  {
    name: 'snmp – header without value line at EOF',
    text: 'Udp: InDatagrams\nUdp: 5\nUdpLite: InDatagrams NoPorts\n',
    skipped: 1,
    kept: { Udp: ['InDatagrams'] },
  },
  {
    name: 'snmp – group prefix mismatch',
    text: 'Tcp: RtoAlgorithm RtoMin\nUdp: 1 200\nIcmp: InMsgs\nIcmp: 4\n',
    skipped: 1,
    kept: { Icmp: ['InMsgs'] },
  },
  {
    name: 'snmp – header followed by another header resyncs on the second',
    text: 'Tcp: RtoAlgorithm RtoMin\nUdp: InDatagrams\nUdp: 5\n',
    skipped: 1,
    kept: { Udp: ['InDatagrams'] },
  },
  {
    name: 'snmp – value line without its header',
    text: 'Tcp: 1 200\nUdp: InDatagrams\nUdp: 5\n',
    skipped: 1,
    kept: { Udp: ['InDatagrams'] },
  },
  {
    name: 'snmp – non-integer value in a value line',
    text: 'Tcp: RtoAlgorithm RtoMin\nTcp: 1 2x0\nUdp: InDatagrams\nUdp: 5\n',
    skipped: 1,
    kept: { Udp: ['InDatagrams'] },
  },
  {
    name: 'snmp – line without a colon',
    text: 'garbage here\nUdp: InDatagrams\nUdp: 5\n',
    skipped: 1,
    kept: { Udp: ['InDatagrams'] },
  },
  {
    name: 'snmp – prefix only, no columns',
    text: 'Tcp:\nUdp: InDatagrams\nUdp: 5\n',
    skipped: 1,
    kept: { Udp: ['InDatagrams'] },
  },
  { name: 'snmp – empty text', text: '', skipped: 0, kept: {} },
  { name: 'snmp – only blank lines', text: '\n\n  \n', skipped: 0, kept: {} },
];

describe('parseKeyValuePairs – malformed input', () => {
  it.each(malformed)('$name', ({ text, skipped, kept }) => {
    const result = parseKeyValuePairs(text);
    expect(result.skipped).toBe(skipped);
    const got = Object.fromEntries([...result.groups].map(([group, names]) => [group, [...names.keys()]]));
    expect(got).toEqual(kept);
  });
});

describe('parseSnmp – fixtures/live-t0/proc/net/snmp', () => {
  const { groups, skipped } = parseSnmp(fixture(live, 'proc/net/snmp'));

  it('finds every group with the kernel column counts', () => {
    expect(skipped).toBe(0);
    expect([...groups.keys()]).toEqual(['Ip', 'Icmp', 'IcmpMsg', 'Tcp', 'Udp', 'UdpLite']);
    expect(groups.get('Ip')?.size).toBe(20);
    expect(groups.get('Icmp')?.size).toBe(29);
    expect(groups.get('Tcp')?.size).toBe(15);
    expect(groups.get('Udp')?.size).toBe(9);
  });

  it('reads real values', () => {
    expect(groups.get('Ip')?.get('Forwarding')).toBe(2n);
    expect(groups.get('Ip')?.get('InReceives')).toBe(11997n);
    expect(groups.get('Ip')?.get('OutTransmits')).toBe(8967n);
    expect(groups.get('IcmpMsg')?.get('InType3')).toBe(2n);
    expect(groups.get('Tcp')?.get('MaxConn')).toBe(-1n);
    expect(groups.get('Tcp')?.get('ActiveOpens')).toBe(2092n);
    expect(groups.get('Tcp')?.get('CurrEstab')).toBe(4000n);
    expect(groups.get('Tcp')?.get('OutRsts')).toBe(138n);
    expect(groups.get('Udp')?.get('OutDatagrams')).toBe(110n);
  });
});

describe('parseNetstat – fixtures/live-t0/proc/net/netstat', () => {
  const { groups, skipped } = parseNetstat(fixture(live, 'proc/net/netstat'));

  it('finds TcpExt, IpExt and MPTcpExt', () => {
    expect(skipped).toBe(0);
    expect([...groups.keys()]).toEqual(['TcpExt', 'IpExt', 'MPTcpExt']);
    expect(groups.get('TcpExt')?.size).toBe(135);
    expect(groups.get('MPTcpExt')?.size).toBe(76);
  });

  it('reads real values', () => {
    expect(groups.get('TcpExt')?.get('TW')).toBe(21n);
    expect(groups.get('TcpExt')?.get('TCPPureAcks')).toBe(2160n);
    expect(groups.get('TcpExt')?.get('TCPAbortOnData')).toBe(69n);
    expect(groups.get('TcpExt')?.get('TCPDelivered')).toBe(2640n);
    expect(groups.get('IpExt')?.get('InOctets')).toBe(257422109n);
    expect(groups.get('MPTcpExt')?.get('MPCurrEstab')).toBe(0n);
  });
});

describe('parseSnmp – fixtures/edge-counters (older layout, extra Tcp column, broken pairs)', () => {
  it('snmp', () => {
    const { groups, skipped } = parseSnmp(fixture(edge, 'proc/net/snmp'));
    expect(skipped).toBe(1); // UdpLite value line is short
    expect([...groups.keys()]).toEqual(['Ip', 'Icmp', 'IcmpMsg', 'Tcp', 'Udp']);
    expect(groups.get('Ip')?.get('InReceives')).toBe(18446744073709551615n);
    expect(groups.get('Ip')?.get('ForwDatagrams')).toBe(9007199254740993n);
    expect(groups.get('Ip')?.has('OutTransmits')).toBe(false);
    expect(groups.get('IcmpMsg')?.size).toBe(18);
    expect(groups.get('IcmpMsg')?.get('OutType3')).toBe(30n);
    expect(groups.get('Tcp')?.size).toBe(16);
    expect(groups.get('Tcp')?.get('MaxConn')).toBe(-1n);
    expect(groups.get('Tcp')?.get('FutureCounter')).toBe(77n);
    expect(groups.get('Udp')?.size).toBe(6);
  });

  it('netstat', () => {
    const { groups, skipped } = parseNetstat(fixture(edge, 'proc/net/netstat'));
    expect(skipped).toBe(1); // IpExt header without value line at EOF
    expect([...groups.keys()]).toEqual(['TcpExt']);
    expect(groups.get('TcpExt')?.get('ListenDrops')).toBe(44n);
  });
});
