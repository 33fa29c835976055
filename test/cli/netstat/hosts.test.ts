import { describe, expect, it } from 'vitest';
import { endpointText, fixV4, hostText, ntop6, portText } from '../../../src/cli/netstat/hosts.js';
import { names } from './helpers.js';

describe('addresses as net-tools prints them', () => {
  const n = names({
    'etc/hosts': '127.0.0.1 localhost\n::1 ip6-localhost\n10.0.0.1 db\n',
    'etc/networks': 'tennet 0.10\n',
    'etc/services': 'ssh 22/tcp\ndomain 53/udp\nhttp-alt 8080/tcp\n',
    'etc/protocols': 'icmp 1 ICMP\nipv6-icmp 58 IPv6-ICMP\n',
  });

  it.each([
    ['127.0.0.1', false, 'localhost'],
    ['127.0.0.1', true, '127.0.0.1'],
    ['0.0.0.0', false, '0.0.0.0'],
    ['10.0.0.2', false, '10.0.0.2'],
    // INET_sprint's mask reads as "first byte is the host part" on a little-endian machine.
    ['0.10.0.0', false, 'tennet'],
    ['::', false, '[::]'],
    ['::', true, '::'],
    ['::1', false, 'ip6-localhost'],
    ['::1', true, '::1'],
    // A v4-mapped peer is printed as the IPv4 address it carries, and not looked up as IPv4.
    ['::ffff:127.0.0.1', false, '127.0.0.1'],
    ['::ffff:10.0.0.1', true, '10.0.0.1'],
    // glibc's inet_ntop writes IPv4-compatible addresses with a dotted tail.
    ['::102:304', true, '::1.2.3.4'],
  ])('%s (numeric %s) → %s', (address, numeric, text) => {
    expect(hostText(address, numeric, n)).toBe(text);
  });

  it('fixV4 keeps names and non-mapped addresses', () => {
    expect(fixV4('localhost', '::ffff:127.0.0.1')).toBe('localhost');
    expect(fixV4('host.example', '::ffff:1.2.3.4')).toBe('host.example');
    expect(fixV4('::1', '::1')).toBe('::1');
    expect(ntop6('fe80::1')).toBe('fe80::1');
  });

  it('names ports by protocol: services for tcp/udp, protocols for raw, never for SCTP', () => {
    expect(portText(0, 'tcp', false, n)).toBe('*');
    expect(portText(22, 'tcp', false, n)).toBe('ssh');
    expect(portText(22, 'tcp', true, n)).toBe('22');
    expect(portText(53, 'tcp', false, n)).toBe('53');
    expect(portText(53, 'udp', false, n)).toBe('domain');
    expect(portText(58, 'raw', false, n)).toBe('ipv6-icmp');
    expect(portText(22, 'sctp', false, n)).toBe('22');
  });

  it('cuts "host:port" to 22 columns as addr_do_one does, unless -W', () => {
    const host = 'fe80::1234:5678:9abc:def0';
    expect(endpointText(host, '8080', false)).toBe('fe80::1234:5678:9a:8080');
    expect(endpointText(host, '8080', true)).toBe(`${host}:8080`);
    expect(endpointText('10.0.0.1', 'http-alt', false)).toBe('10.0.0.1:http-alt');
    // The port keeps at most 18 columns, the host what is left.
    expect(endpointText('1.2.3.4', 'a-very-long-service-name', false)).toBe('1.2.:a-very-long-servic');
  });
});
