import { describe, expect, it } from 'vitest';
import {
  ipv4CacheTable,
  ipv4RouteTable,
  ipv6RouteTable,
  routeLayout,
} from '../../../src/cli/netstat/routes.js';
import type { Route } from '../../../src/model/types.js';
import { route } from '../../helpers/snapshots.js';
import { names } from './helpers.js';

const v4 = (dest: string, mask: string, gw: string, flags: number, extra: Partial<Route> = {}): Route => ({
  ...route(dest, 0, gw, 'eth0'),
  genmask: mask,
  flags,
  ...extra,
});

describe('netstat -r', () => {
  it('counts -e its own way: -r 2, -r -e 1, -ree 3, -reee nothing, -reeee 1', () => {
    expect([0, 1, 2, 3, 4].map(routeLayout)).toEqual([2, 1, 3, 0, 1]);
  });

  const n = names({
    'etc/hosts': '192.0.2.1 gateway\n10.0.0.5 box\n',
    'etc/networks': 'link-local 169.254.0.0\n',
  });
  const routes = [
    v4('0.0.0.0', '0.0.0.0', '192.0.2.1', 0x3),
    v4('169.254.0.0', '255.255.0.0', '0.0.0.0', 0x1, { metric: 5 }),
    v4('10.0.0.5', '255.255.255.255', '0.0.0.0', 0x5),
    v4('10.66.0.0', '255.255.0.0', '0.0.0.0', 0x201, { iface: '*' }),
    v4('10.77.0.0', '255.255.0.0', '0.0.0.0', 0x0), // not up: not shown
  ];

  it('names default, networks and hosts, and prints reject routes with dashes', () => {
    expect(ipv4RouteTable(routes, 2, false, n)).toEqual([
      'Kernel IP routing table',
      'Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface',
      'default         gateway         0.0.0.0         UG        0 0          0 eth0',
      'link-local      0.0.0.0         255.255.0.0     U         0 0          0 eth0',
      'box             0.0.0.0         255.255.255.255 UH        0 0          0 eth0',
      '10.66.0.0       -               255.255.0.0     !         - -          - -',
    ]);
    expect(ipv4RouteTable(routes, 1, true, n).slice(1)).toEqual([
      'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface',
      '0.0.0.0         192.0.2.1       0.0.0.0         UG    0      0        0 eth0',
      '169.254.0.0     0.0.0.0         255.255.0.0     U     5      0        0 eth0',
      '10.0.0.5        0.0.0.0         255.255.255.255 UH    0      0        0 eth0',
      '10.66.0.0       -               255.255.0.0     !     0      -        0 -',
    ]);
    expect(ipv4RouteTable(routes, 3, true, n)[4]).toBe(
      '10.0.0.5        0.0.0.0         255.255.255.255 UH    0      0        0 eth0     0     0      0',
    );
    expect(ipv4RouteTable(routes, 0, true, n)).toEqual(['Kernel IP routing table']);
  });

  it('-C prints the header of a cache Linux no longer has', () => {
    expect(ipv4CacheTable(2)).toEqual([
      'Kernel IP routing cache',
      'Source          Destination     Gateway         Flags   MSS Window  irtt Iface',
    ]);
  });

  it('IPv6: [::] unless numeric, signed metrics, cached routes only with -C', () => {
    const r6 = (
      dest: string,
      len: number,
      gw: string,
      flags: number,
      metric: number,
      iface = 'eth0',
    ): Route => ({
      ...route(dest, len, gw, iface),
      flags,
      metric,
      refcnt: 1,
    });
    const list = [
      r6('fd00::', 64, '::', 0x1, 256),
      r6('::', 0, '::', 0x200200, 0xffffffff, 'lo'),
      r6('fd00::9', 128, 'fd00::1', 0x1000003, 0),
    ];
    expect(ipv6RouteTable(list, false, false, n)).toEqual([
      'Kernel IPv6 routing table',
      'Destination                    Next Hop                   Flag Met Ref  Use If',
      'fd00::/64                      [::]                       U    256 1      0 eth0',
      '[::]/0                         [::]                       !n   -1  1      0 lo',
    ]);
    expect(ipv6RouteTable(list, true, true, n)).toEqual([
      'Kernel IPv6 routing cache',
      'Destination                    Next Hop                   Flag Met Ref  Use If',
      'fd00::9/128                    fd00::1                    UGC  0   1      0 eth0',
    ]);
  });
});
