import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { netstatIfaceFlags, parseSysNet, readSysNet, type SysNetFiles } from '../../src/proc/sysnet.js';
import { HostReader } from '../../src/sample/reader.js';

function fixtureReader(name: string): HostReader {
  return new HostReader(fileURLToPath(new URL(`../../fixtures/${name}/`, import.meta.url)));
}

/** A reader whose speed files fail the way a virtual device's do: EINVAL, not ENOENT. */
class EinvalSpeedReader extends HostReader {
  override readText(rel: string): string | undefined {
    if (rel.endsWith('/speed')) {
      throw Object.assign(new Error('EINVAL: invalid argument, read'), { code: 'EINVAL' });
    }
    return super.readText(rel);
  }
}

describe('readSysNet on the live capture', () => {
  const reader = fixtureReader('live-t0');
  // netstat -i / -ia here: lo 65536 LRU, eth0 1400 BMRU, ifb0 1500 BO.
  const cases: [string, object, string][] = [
    ['lo', { mtu: 65536, flags: 0x9, ifindex: 1, operstate: 'unknown' }, 'LRU'],
    ['eth0', { mtu: 1400, flags: 0x1003, ifindex: 4, operstate: 'up' }, 'BMRU'],
    ['ifb0', { mtu: 1500, flags: 0x82, ifindex: 2, operstate: 'down' }, 'BO'],
  ];
  it.each(cases)('%s', (iface, expected, flg) => {
    const info = readSysNet(reader, iface);
    // lo and ifb0 have no speed file; eth0's says -1: all three come out without speed.
    expect(info).toStrictEqual(expected);
    expect(netstatIfaceFlags(info.flags!, info.operstate)).toBe(flg);
  });

  it('gives an empty record for an interface that is gone', () => {
    expect(readSysNet(reader, 'nosuch0')).toStrictEqual({});
  });

  it('refuses names that would leave sys/class/net', () => {
    expect(readSysNet(reader, '..')).toStrictEqual({});
    expect(readSysNet(reader, '../../proc')).toStrictEqual({});
    expect(readSysNet(reader, '')).toStrictEqual({});
  });
});

describe('readSysNet on the edge tree', () => {
  const reader = fixtureReader('edge-net');
  const cases: [string, object, string][] = [
    ['eth1', { mtu: 9000, flags: 0x1003, ifindex: 5, operstate: 'down' }, 'BMU'],
    ['eth2', { mtu: 1500, flags: 0x1003, ifindex: 6, operstate: 'up', speed: 10000 }, 'BMRU'],
    ['tun0', { mtu: 1400, flags: 0x1091, ifindex: 7, operstate: 'unknown' }, 'MOPRU'],
    // flags and letters of an ifb set promisc, noarp, allmulticast and dynamic, as netstat -ia printed them.
    ['ifbp0', { mtu: 1500, flags: 0x9383, ifindex: 8, operstate: 'unknown' }, 'ABMdPORU'],
    ['null0', { flags: 0, ifindex: 9, operstate: 'down' }, '[NO FLAGS]'],
  ];
  it.each(cases)('%s', (iface, expected, flg) => {
    const info = readSysNet(reader, iface);
    expect(info).toStrictEqual(expected);
    expect(netstatIfaceFlags(info.flags!, info.operstate)).toBe(flg);
  });

  it('treats a read error other than ENOENT as that attribute missing', () => {
    const info = readSysNet(new EinvalSpeedReader(reader.root), 'eth2');
    expect(info).toStrictEqual({ mtu: 1500, flags: 0x1003, ifindex: 6, operstate: 'up' });
  });
});

describe('parseSysNet', () => {
  const cases: [string, SysNetFiles, object][] = [
    [
      'all present, with newlines',
      { mtu: '1500\n', flags: '0x1003\n', ifindex: '2\n', operstate: 'up\n', speed: '1000\n' },
      { mtu: 1500, flags: 0x1003, ifindex: 2, operstate: 'up', speed: 1000 },
    ],
    ['nothing', {}, {}],
    ['speed -1', { speed: '-1\n' }, {}],
    ['speed unparsable', { speed: 'fast' }, {}],
    ['speed zero is a value', { speed: '0' }, { speed: 0 }],
    ['flags zero printed without 0x', { flags: '0\n' }, { flags: 0 }],
    ['flags uppercase hex', { flags: '0X1A' }, { flags: 0x1a }],
    ['flags not hex', { flags: '0xzz' }, {}],
    ['mtu negative', { mtu: '-1' }, {}],
    ['mtu with junk', { mtu: '1500 bytes' }, {}],
    ['ifindex empty', { ifindex: '\n' }, {}],
    ['operstate blank', { operstate: '  \n' }, {}],
    ['operstate dormant kept as text', { operstate: 'dormant\n' }, { operstate: 'dormant' }],
  ];
  it.each(cases)('%s', (_name, files, expected) => {
    expect(parseSysNet(files)).toStrictEqual(expected);
  });
});

describe('netstatIfaceFlags', () => {
  const cases: [string, number, string | undefined, string][] = [
    ['loopback, unknown operstate', 0x9, 'unknown', 'LRU'],
    ['ethernet up', 0x1003, 'up', 'BMRU'],
    ['ethernet up, no carrier', 0x1003, 'down', 'BMU'],
    ['ethernet up, dormant is not running', 0x1003, 'dormant', 'BMU'],
    ['no operstate known', 0x1003, undefined, 'BMU'],
    ['operstate up but administratively down', 0x1002, 'up', 'BM'],
    ['IFF_RUNNING already in the flags (SIOCGIFFLAGS style)', 0x1043, undefined, 'BMRU'],
    ['promisc before noarp, pointopoint after', 0x191, 'unknown', 'POPRU'],
    ['allmulti first, debug and notrailers', 0x225, 'up', 'ADNRU'],
    ['bond master and slave', 0xc03, 'up', 'BsmRU'],
    ['no flags at all', 0, 'up', '[NO FLAGS]'],
  ];
  it.each(cases)('%s', (_name, flags, operstate, text) => {
    expect(netstatIfaceFlags(flags, operstate)).toBe(text);
  });
});
