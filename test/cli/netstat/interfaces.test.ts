import { describe, expect, it } from 'vitest';
import {
  humanBytes,
  interfaceList,
  ioctlFlags,
  longBlock,
  nstrcmp,
  shortLine,
  shownInterfaces,
} from '../../../src/cli/netstat/interfaces.js';
import type { Interface } from '../../../src/model/types.js';
import { dev } from '../../helpers/snapshots.js';

const iface = (
  name: string,
  flags: number,
  operstate: string,
  extra: Partial<Interface> = {},
): Interface => ({
  ...dev(name, 0n, 0n),
  mtu: 1500,
  flags,
  operstate,
  ...extra,
});

describe('nstrcmp: net-tools’ order of interface names', () => {
  // net-tools' own cases (lib/nstrcmp.c NSTRCMP_TEST).
  it.each([
    ['eth1', 'eth1', 0],
    ['eth0:1', 'eth0:1', 0],
    ['a', 'aa', -1],
    ['eth0', 'eth1', -1],
    ['eth1', 'eth20', -1],
    ['eth20', 'eth100', -1],
    ['eth', 'eth2', -1],
    ['eth0:1', 'eth0:2', -1],
    ['eth1:10', 'eth13:10', -1],
    ['eth1:1', 'eth1:13', -1],
    ['a', 'a:', -1],
    ['eth2:10', 'eth2:1', 1],
    ['eth13:1', 'eth1:0', 1],
    ['a1b12', 'a1b2', 1],
    ['eth1', 'eth01', 1],
    ['eth01:1', 'eth1:1', -1],
  ])('%s vs %s: %i', (a, b, sign) => {
    expect(Math.sign(nstrcmp(a, b))).toBe(sign);
  });

  it('lists /proc/net/dev names and address labels in that order, merged', () => {
    const list = interfaceList(
      [iface('eth10', 0x1003, 'up'), iface('lo', 0x9, 'unknown'), iface('eth2', 0x1003, 'up')],
      [
        { label: 'eth2:1', address: '10.0.0.1', netmask: '255.0.0.0' },
        { label: 'eth2', address: '10.0.0.2', netmask: '255.0.0.0' },
      ],
    );
    expect(list.map((e) => [e.name, e.dev?.name, e.base?.name])).toEqual([
      ['eth2', 'eth2', 'eth2'],
      ['eth2:1', undefined, 'eth2'],
      ['eth10', 'eth10', 'eth10'],
      ['lo', 'lo', 'lo'],
    ]);
  });
});

describe('interface flags and lines', () => {
  it('derives RUNNING as SIOCGIFFLAGS reports it, and keeps 16 bits', () => {
    expect(ioctlFlags(iface('eth0', 0x1003, 'up'))).toBe(0x1043);
    expect(ioctlFlags(iface('eth0', 0x1003, 'down'))).toBe(0x1003);
    expect(ioctlFlags(iface('lo', 0x9, 'unknown'))).toBe(0x49);
    expect(ioctlFlags(iface('x', 0x1002, 'up'))).toBe(0x1002); // not up: not running
    expect(ioctlFlags(iface('x', 0x11003, 'up'))).toBe(0x1043);
  });

  it('short lines: counters, an alias without statistics, flag letters', () => {
    const eth = { ...iface('eth0', 0x1003, 'up'), rxPackets: 793026n, txPackets: 849443n };
    expect(shortLine({ name: 'eth0', dev: eth, base: eth })).toBe(
      'eth0             1500   793026      0      0 0        849443      0      0      0 BMRU',
    );
    expect(shortLine({ name: 'eth0:7', dev: undefined, base: eth })).toBe(
      'eth0:7           1500      - no statistics available -                        BMRU',
    );
    const none = iface('ifb0', 0, 'down', { mtu: 1500 });
    expect(shortLine({ name: 'ifb0', dev: none, base: none }).endsWith(' [NO FLAGS]')).toBe(true);
  });

  it('-i lists interfaces that are up, -a all', () => {
    const list = interfaceList([iface('a', 0x1003, 'up'), iface('b', 0x1002, 'down')], []);
    expect(shownInterfaces(list, false).map((e) => e.name)).toEqual(['a']);
    expect(shownInterfaces(list, true).map((e) => e.name)).toEqual(['a', 'b']);
  });

  it('human sizes as netstat computes them, exact above 2^53', () => {
    expect(humanBytes(0n)).toBe('0.0 B');
    expect(humanBytes(1024n)).toBe('1024.0 B');
    expect(humanBytes(1025n)).toBe('1.0 KiB');
    expect(humanBytes(114498824n)).toBe('109.1 MiB');
    expect(humanBytes(230789n)).toBe('225.3 KiB');
    expect(humanBytes(2n ** 53n + 1n)).toBe('8.0 PiB');
    expect(humanBytes(2n ** 64n - 1n)).toBe('16.0 EiB');
  });

  it('long blocks: flags word, inet and inet6 lines, hardware, counters', () => {
    const eth = {
      ...iface('eth0', 0x1003, 'up', { mtu: 1400 }),
      rxPackets: 2853n,
      rxBytes: 114498824n,
      txPackets: 1845n,
      txBytes: 230789n,
      rxBytesExtra: 0n,
    };
    const block = longBlock(
      { name: 'eth0', dev: eth, base: eth },
      { label: 'eth0', address: '192.0.2.2', netmask: '255.255.255.0', broadcast: '192.0.2.255' },
      [
        {
          address: 'fe80::fc:ff:fe00:1',
          ifindex: 2,
          prefixLength: 64,
          scope: 0x20,
          flags: 0x80,
          device: 'eth0',
        },
        { address: 'fd00::2', ifindex: 2, prefixLength: 64, scope: 0, flags: 0, device: 'eth0' },
        { address: '::1', ifindex: 1, prefixLength: 128, scope: 0x10, flags: 0, device: 'lo' },
      ],
      { type: 1, address: '02:fc:00:00:00:01', txQueueLen: 1000 },
    );
    expect(block).toEqual([
      'eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1400',
      '        inet 192.0.2.2  netmask 255.255.255.0  broadcast 192.0.2.255',
      '        inet6 fe80::fc:ff:fe00:1  prefixlen 64  scopeid 0x20<link>',
      '        inet6 fd00::2  prefixlen 64  scopeid 0x0<global>',
      '        ether 02:fc:00:00:00:01  txqueuelen 1000  (Ethernet)',
      '        RX packets 2853  bytes 114498824 (109.1 MiB)',
      '        RX errors 0  dropped 0  overruns 0  frame 0',
      '        TX packets 1845  bytes 230789 (225.3 KiB)',
      '        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0',
      '',
    ]);
  });

  it('long blocks: loopback, point-to-point, unknown hardware, no flags at all', () => {
    const tun = iface('tun0', 0x1091, 'unknown', { mtu: 1500 });
    expect(
      longBlock(
        { name: 'tun0', dev: undefined, base: tun },
        { label: 'tun0', address: '10.8.0.1', netmask: '255.255.255.255', destination: '10.8.0.2' },
        [],
        { type: 65534, address: '', txQueueLen: 500 },
      ),
    ).toEqual([
      'tun0: flags=4305<UP,POINTOPOINT,RUNNING,NOARP,MULTICAST>  mtu 1500',
      '        inet 10.8.0.1  netmask 255.255.255.255  destination 10.8.0.2',
      '        unspec 00-00-00-00-00-00-00-00-00-00-00-00-00-00-00-00  txqueuelen 500  (UNSPEC)',
      '',
    ]);
    const lo = iface('lo', 0x9, 'unknown', { mtu: 65536 });
    expect(longBlock({ name: 'lo', dev: undefined, base: lo }, undefined, [], { type: 772 })[1]).toBe(
      '        loop  (Local Loopback)',
    );
    const bare = iface('x', 0, 'down', { mtu: 0 });
    expect(
      longBlock({ name: 'x', dev: undefined, base: bare }, undefined, [], { type: 768, txQueueLen: 0 }),
    ).toEqual(['x: flags=0<  mtu 0', '        tunnel   txqueuelen 0  (IPIP Tunnel)', '']);
  });
});
