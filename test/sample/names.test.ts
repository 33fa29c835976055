import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  NameResolver,
  parseHosts,
  parseNetworks,
  parseProtocols,
  parseServices,
} from '../../src/sample/names.js';
import { HostReader } from '../../src/sample/reader.js';

describe('name files', () => {
  it('parses hosts: first name wins, comments and blank lines ignored', () => {
    const m = parseHosts(
      '# c\n127.0.0.1 localhost lh\n127.0.0.1 other\n\n::1 ip6-localhost # trailing\nbad\n',
    );
    expect(m.get('127.0.0.1')).toBe('localhost');
    expect(m.get('::1')).toBe('ip6-localhost');
    expect(m.size).toBe(2);
  });

  it('parses services per protocol', () => {
    const m = parseServices('ssh 22/tcp\nhttp 80/tcp www\nhttp 80/udp\ndomain 53/udp\nbroken 5x/tcp\n');
    expect(m.get('22/tcp')).toBe('ssh');
    expect(m.get('53/udp')).toBe('domain');
    expect(m.has('5x/tcp')).toBe(false);
  });

  it("lets the last line for a port or protocol win, as netstat's lists do", () => {
    expect(parseServices('www 80/tcp\nhttp 80/tcp\n').get('80/tcp')).toBe('http');
    expect(parseProtocols('ip 0 IP\nhopopt 0 HOPOPT\n').get(0)).toBe('hopopt');
  });

  it('parses networks, padding short numbers as glibc does', () => {
    const m = parseNetworks(
      'default 0.0.0.0\nloopback 127\nlink-local 169.254.0.0\nten 10.20 # c\nbad 300.1\nx 1.2.3.4.5\n',
    );
    expect(m.get('127.0.0.0')).toBe('loopback');
    expect(m.get('10.20.0.0')).toBe('ten');
    expect(m.get('169.254.0.0')).toBe('link-local');
    expect(m.get('0.0.0.0')).toBe('default');
    expect(m.size).toBe(4);
  });

  it('parses protocols', () => {
    const m = parseProtocols('ip 0 IP\nicmp 1 ICMP # c\nipv6-icmp 58 IPv6-ICMP\nbad x\n');
    expect(m.get(1)).toBe('icmp');
    expect(m.get(58)).toBe('ipv6-icmp');
    expect(m.size).toBe(3);
  });
});

describe('NameResolver', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reads the files under the host root once, and again after invalidate()', () => {
    dir = mkdtempSync(join(tmpdir(), 'netwatch-names-'));
    mkdirSync(join(dir, 'etc'));
    writeFileSync(join(dir, 'etc/hosts'), '10.0.0.1 db\n');
    const names = new NameResolver(new HostReader(dir));
    expect(names.host('10.0.0.1')).toBe('db');
    expect(names.service(22, 'tcp')).toBeUndefined(); // no services file: numeric
    writeFileSync(join(dir, 'etc/hosts'), '10.0.0.1 database\n');
    expect(names.host('10.0.0.1')).toBe('db');
    names.invalidate();
    expect(names.host('10.0.0.1')).toBe('database');
  });
});
