import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseIpv6Route } from '../../src/proc/ipv6route.js';
import { parseRoute, routeFlagsText } from '../../src/proc/route.js';

function fixture(name: string, file: string): string {
  return readFileSync(new URL(`../../fixtures/${name}/proc/net/${file}`, import.meta.url), 'latin1');
}

const ROUTE_HEADER =
  'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT                   \n';

describe('parseRoute', () => {
  it('reads the live capture as netstat -rn printed it', () => {
    const { rows, skipped } = parseRoute(fixture('live-t0', 'route'));
    expect(skipped).toBe(0);
    // netstat -rn: 0.0.0.0 192.0.2.1 0.0.0.0 UG ... eth0 / 192.0.2.0 0.0.0.0 255.255.255.0 U ... eth0
    expect(rows).toEqual([
      {
        family: 4,
        iface: 'eth0',
        destination: '0.0.0.0',
        prefixLength: 0,
        genmask: '0.0.0.0',
        gateway: '192.0.2.1',
        flags: 0x3,
        refcnt: 0,
        use: 0,
        metric: 0,
        mtu: 0,
        window: 0,
        irtt: 0,
      },
      {
        family: 4,
        iface: 'eth0',
        destination: '192.0.2.0',
        prefixLength: 24,
        genmask: '255.255.255.0',
        gateway: '0.0.0.0',
        flags: 0x1,
        refcnt: 0,
        use: 0,
        metric: 0,
        mtu: 0,
        window: 0,
        irtt: 0,
      },
    ]);
    expect(rows.map((r) => routeFlagsText(r.flags, 4))).toEqual(['UG', 'U']);
  });

  it('reads the edge table: reject route, host route, padded lines', () => {
    const { rows, skipped } = parseRoute(fixture('edge-net', 'route'));
    expect(skipped).toBe(0);
    // Expected columns are what netstat -rne printed with this file as /proc/net/route.
    expect(
      rows.map((r) => [
        r.destination,
        r.gateway,
        r.genmask,
        r.prefixLength,
        routeFlagsText(r.flags, 4),
        r.metric,
        r.mtu,
        r.iface,
      ]),
    ).toEqual([
      ['0.0.0.0', '192.168.2.1', '0.0.0.0', 0, 'UG', 600, 0, 'wlan0'],
      ['192.168.2.0', '0.0.0.0', '255.255.255.0', 24, 'U', 600, 0, 'wlan0'],
      ['10.9.0.0', '0.0.0.0', '255.255.0.0', 16, '!', 0, 0, '*'],
      ['10.7.0.5', '10.8.0.1', '255.255.255.255', 32, 'UGH', 0, 1400, 'tun0'],
      ['172.16.0.0', '0.0.0.0', '255.240.0.0', 12, 'U', 100, 0, 'eth0'],
    ]);
    expect(rows[2]!.flags).toBe(0x201);
  });

  it('counts the bits of a non-contiguous mask', () => {
    const { rows } = parseRoute('eth0\t0000000A\t00000000\t0001\t0\t0\t0\t00FF00FF\t0\t0\t0\n');
    expect(rows[0]!.genmask).toBe('255.0.255.0');
    expect(rows[0]!.prefixLength).toBe(16);
  });

  it('accepts a file without its header and values at the edges of their ranges', () => {
    const { rows, skipped } = parseRoute(
      'eth0\t0100007F\t00000000\t0001\t-1\t4294967295\t-5\tFFFFFFFF\t0\t0\t0',
    );
    expect(skipped).toBe(0);
    expect(rows[0]).toMatchObject({ destination: '127.0.0.1', refcnt: -1, use: 4294967295, metric: -5 });
  });

  const good = 'eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0';
  const malformed: [string, string][] = [
    ['too few fields', 'eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0'],
    ['too many fields', `${good}\t0`],
    ['destination not hex', 'eth0\t0002ZZC0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0'],
    ['destination 7 digits', 'eth0\t00200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0'],
    ['gateway 9 digits', 'eth0\t000200C0\t000000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0'],
    ['flags not hex', 'eth0\t000200C0\t00000000\tUG\t0\t0\t0\t00FFFFFF\t0\t0\t0'],
    ['metric not decimal', 'eth0\t000200C0\t00000000\t0001\t0\t0\t0x10\t00FFFFFF\t0\t0\t0'],
    ['mask not hex', 'eth0\t000200C0\t00000000\t0001\t0\t0\t0\t255.255.255.0\t0\t0\t0'],
    ['irtt empty after a doubled tab', 'eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t\t'],
  ];
  it.each(malformed)('skips and counts a line: %s', (_name, line) => {
    const { rows, skipped } = parseRoute(`${ROUTE_HEADER}${line}\n${good}\n`);
    expect(skipped).toBe(1);
    expect(rows.map((r) => r.destination)).toEqual(['192.0.2.0']);
  });

  it('returns no rows for empty text or a header alone', () => {
    expect(parseRoute('')).toEqual({ rows: [], skipped: 0 });
    expect(parseRoute(ROUTE_HEADER)).toEqual({ rows: [], skipped: 0 });
  });
});

describe('routeFlagsText', () => {
  const cases: [string, number, 4 | 6, string][] = [
    ['v4 up', 0x1, 4, 'U'],
    ['v4 up gateway', 0x3, 4, 'UG'],
    ['v4 up gateway host', 0x7, 4, 'UGH'],
    ['v4 reject drops the U before it', 0x201, 4, '!'],
    ['v4 reject keeps the letters after it', 0x205, 4, '!H'],
    ['v4 reinstate dynamic modified', 0x39, 4, 'URDM'],
    ['v4 addrconf and cache are both lowercase c', 0x1040001, 4, 'Ucc'],
    ['v4 local is the top bit', 0x80000001, 4, 'Ul'],
    ['v4 none', 0, 4, ''],
    ['v6 up', 0x1, 6, 'U'],
    ['v6 local route', 0x80200001, 6, 'Un'],
    ['v6 unreachable default keeps order ! then n', 0x00200200, 6, '!n'],
    ['v6 reject with up keeps the U', 0x201, 6, 'U!'],
    ['v6 RA default route: D is RTF_DEFAULT', 0x00450003, 6, 'UGDAe'],
    ['v6 cache', 0x01000001, 6, 'UC'],
    ['v6 modified is lowercase m, dynamic is silent', 0x31, 6, 'Um'],
  ];
  it.each(cases)('%s', (_name, flags, family, text) => {
    expect(routeFlagsText(flags, family)).toBe(text);
  });
});

describe('parseIpv6Route', () => {
  it('reads the live capture as netstat -rn6 printed it', () => {
    const { rows, skipped } = parseIpv6Route(fixture('live-t0', 'ipv6_route'));
    expect(skipped).toBe(0);
    expect(
      rows.map((r) => [
        `${r.destination}/${r.prefixLength}`,
        r.gateway,
        routeFlagsText(r.flags, 6),
        r.metric,
        r.refcnt,
        r.iface,
      ]),
    ).toEqual([
      ['fd00::/64', '::', 'U', 256, 1, 'eth0'],
      ['fe80::/64', '::', 'U', 256, 2, 'eth0'],
      ['::/0', 'fd00::1', 'UG', 1024, 2, 'eth0'],
      ['::1/128', '::', 'Un', 0, 4, 'lo'],
      ['fd00::2/128', '::', 'Un', 0, 4, 'eth0'],
      ['fe80::fc:ff:fe00:1/128', '::', 'Un', 0, 2, 'eth0'],
      ['ff00::/8', '::', 'U', 256, 3, 'eth0'],
      // netstat prints this metric as -1 (%d); ip -6 route shows the unsigned value.
      ['::/0', '::', '!n', 4294967295, 1, 'lo'],
    ]);
    expect(rows[2]).toEqual({
      family: 6,
      iface: 'eth0',
      destination: '::',
      prefixLength: 0,
      genmask: '',
      gateway: 'fd00::1',
      flags: 0x3,
      refcnt: 2,
      use: 0,
      metric: 1024,
      mtu: 0,
      window: 0,
      irtt: 0,
      source: '::',
      sourcePrefixLength: 0,
    });
  });

  it('reads the edge table: RA default via link-local, source prefix, unpadded long name', () => {
    const { rows, skipped } = parseIpv6Route(fixture('edge-net', 'ipv6_route'));
    expect(skipped).toBe(0);
    // Flags and addresses as netstat -rn6 printed them with this file as /proc/net/ipv6_route.
    expect(
      rows.map((r) => [`${r.destination}/${r.prefixLength}`, r.gateway, routeFlagsText(r.flags, 6), r.iface]),
    ).toEqual([
      ['::/0', 'fe80::1', 'UGDAe', 'wlan0'],
      ['fe80::/64', '::', 'U', 'wlan0'],
      ['2001:db8:1::/48', '2001:db8::2', 'UG', 'verylongname0'],
      ['::1/128', '::', 'Un', 'lo'],
      ['::/0', '::', '!n', 'lo'],
      ['ff00::/8', '::', 'U', 'eth0'],
    ]);
    expect(rows[2]).toMatchObject({ source: '2001:db8:ffff::', sourcePrefixLength: 48, use: 7 });
  });

  const good =
    'fe800000000000000000000000000000 40 00000000000000000000000000000000 00 ' +
    '00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0';
  const z = '00000000000000000000000000000000';
  const malformed: [string, string][] = [
    ['no interface', `${z} 00 ${z} 00 ${z} 00000100 00000001 00000000 00000001`],
    ['extra field', `${good} extra`],
    ['destination 31 digits', `${z.slice(1)} 00 ${z} 00 ${z} 00000100 00000001 00000000 00000001 eth0`],
    ['destination not hex', `${z.slice(1)}g 00 ${z} 00 ${z} 00000100 00000001 00000000 00000001 eth0`],
    ['prefix length over 128', `${z} 81 ${z} 00 ${z} 00000100 00000001 00000000 00000001 eth0`],
    ['source prefix not hex', `${z} 00 ${z} zz ${z} 00000100 00000001 00000000 00000001 eth0`],
    ['next hop truncated', `${z} 00 ${z} 00 ${z.slice(4)} 00000100 00000001 00000000 00000001 eth0`],
    ['metric 9 digits', `${z} 00 ${z} 00 ${z} 000000100 00000001 00000000 00000001 eth0`],
    ['flags not hex', `${z} 00 ${z} 00 ${z} 00000100 00000001 00000000 0000000x eth0`],
    ['IPv4 route line', 'eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0'],
  ];
  it.each(malformed)('skips and counts a line: %s', (_name, line) => {
    const { rows, skipped } = parseIpv6Route(`${line}\n${good}\n`);
    expect(skipped).toBe(1);
    expect(rows.map((r) => r.destination)).toEqual(['fe80::']);
  });

  it('returns no rows for empty text', () => {
    expect(parseIpv6Route('')).toEqual({ rows: [], skipped: 0 });
    expect(parseIpv6Route('\n\n')).toEqual({ rows: [], skipped: 0 });
  });
});
