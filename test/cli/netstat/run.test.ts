import { describe, expect, it } from 'vitest';
import { netstatFlags } from '../../../src/cli/netstat/flags.js';
import { type NetstatResult, ownersWarning, prepareNetstat } from '../../../src/cli/netstat/run.js';
import type { OwnerScanStats } from '../../../src/model/types.js';
import { inet, proc, snapshot, unix } from '../../helpers/snapshots.js';
import { host, options, PROC_NET } from './helpers.js';

const STATS: OwnerScanStats = { processes: 3, unreadable: 0, deniedFdDirs: 0, vanished: 0, rescanned: 3 };

async function listing(
  argv: string[],
  files: Record<string, string> = PROC_NET,
  parts = {},
  iteration = 0,
): Promise<NetstatResult> {
  const o = options(...argv);
  const snap = snapshot(0, {
    sockets: [
      inet('tcp', '127.0.0.1:22', '0.0.0.0:0', 'LISTEN', 10, { stateCode: 10 }),
      inet('tcp6', '::1:22', '::1:5000', 'ESTABLISHED', 11, { stateCode: 1 }),
      unix('/run/x.sock', 12),
    ],
    multicast: [
      { family: 4, ifindex: 1, iface: 'lo', group: '224.0.0.1', users: 1 },
      { family: 6, ifindex: 1, iface: 'lo', group: 'ff02::1', users: 1 },
    ],
    ...parts,
  });
  return (await prepareNetstat(o, netstatFlags(o), snap, host(files), iteration))({
    owners: new Map([[10, [proc(100, 'sshd', { argv0: '/usr/sbin/sshd' })]]]),
    stats: STATS,
  });
}

const out = (r: NetstatResult) =>
  r.chunks
    .filter((c) => c.fd === 1)
    .map((c) => c.text)
    .join('');
const err = (r: NetstatResult) =>
  r.chunks
    .filter((c) => c.fd === 2)
    .map((c) => c.text)
    .join('');
const titles = (r: NetstatResult) =>
  out(r)
    .split('\n')
    .filter((l) => /^(Active|IPv6\/IPv4|Kernel)/.test(l));

describe("netstat's main(): which tables, messages and exit statuses", () => {
  it('the default: inet connections without servers, then unix sockets', async () => {
    const r = await listing([]);
    expect(r.code).toBe(0);
    expect(titles(r)).toEqual([
      'Active Internet connections (w/o servers)',
      'Active UNIX domain sockets (w/o servers)',
    ]);
    expect(err(r)).toBe('');
  });

  it('-S on a kernel without SCTP: the header, the message, exit status 1, and nothing after it', async () => {
    const r = await listing(['-Su']);
    expect(r.code).toBe(1);
    expect(err(r)).toBe("netstat: no support for `AF INET (sctp)' on this system.\n");
    expect(titles(r)).toEqual(['Active Internet connections (w/o servers)']);
    expect(out(r)).not.toContain('udp');
  });

  it('-v names every family the system lacks, and still exits 0', async () => {
    const r = await listing(['-v']);
    expect(r.code).toBe(0);
    expect(err(r).split('\n').filter(Boolean)).toEqual([
      "netstat: no support for `AF INET (sctp)' on this system.",
      "netstat: no support for `AF IPX' on this system.",
      "netstat: no support for `AF AX25' on this system.",
      "netstat: no support for `AF X25' on this system.",
      "netstat: no support for `AF NETROM' on this system.",
      "netstat: no support for `AF ROSE' on this system.",
    ]);
  });

  it('-4 means every IPv4 protocol, silently without SCTP, and no unix sockets', async () => {
    const r = await listing(['-4', '-a']);
    expect(r.code).toBe(0);
    expect(err(r)).toBe('');
    expect(titles(r)).toEqual(['Active Internet connections (servers and established)']);
    expect(out(r)).toContain('127.0.0.1:22');
    expect(out(r)).not.toContain('::1');
  });

  it('--ax25 alone: only the message; -t --ax25: the TCP table first', async () => {
    expect(await listing(['--ax25'])).toEqual({
      chunks: [{ fd: 2, text: "netstat: no support for `AF AX25' on this system.\n" }],
      code: 1,
    });
    const r = await listing(['-t', '--ax25']);
    expect(titles(r)).toEqual(['Active Internet connections (w/o servers)']);
    expect(r.code).toBe(1);
  });

  it('Bluetooth (-2, -f, -A bluetooth): net-tools here is built without it', async () => {
    const r = await listing(['-2']);
    expect(r.code).toBe(1);
    expect(err(r)).toBe(
      "netstat: feature `AF BLUETOOTH' not supported.\nPlease recompile `net-tools' with newer kernel source or full configuration.\n",
    );
  });

  it('-M: no masquerading table since Linux 2.4', async () => {
    expect(await listing(['-M'])).toEqual({
      chunks: [{ fd: 2, text: "netstat: no support for `ip_masquerade' on this system.\n" }],
      code: 1,
    });
  });

  it('-g -4: the IPv4 sockets first, then the IPv4 groups', async () => {
    const r = await listing(['-g', '-4', '-n']);
    expect(titles(r)).toEqual(['Active Internet connections (w/o servers)', 'IPv6/IPv4 Group Memberships']);
    expect(out(r)).toContain('lo              1      224.0.0.1\n');
    expect(out(r)).not.toContain('ff02::1');
    const both = await listing(['-gn']);
    expect(titles(both)).toEqual(['IPv6/IPv4 Group Memberships']);
    expect(out(both)).toContain('ff02::1');
  });

  it('-s -x and -s -A inet6,inet: no statistics for that family, on stdout, exit 1', async () => {
    expect(await listing(['-s', '-x'])).toEqual({
      chunks: [{ fd: 1, text: 'netstat: No statistics support for specified address family: unix\n' }],
      code: 1,
    });
    expect(out(await listing(['-s', '-6', '-4']))).toBe(
      'netstat: No statistics support for specified address family: inet6,inet\n',
    );
  });

  it('-r with families: each in turn; unix has no routing (exit 3); -A bluetooth is unknown here', async () => {
    const r = await listing(['-rn', '-A', 'inet,inet6']);
    expect(titles(r)).toEqual(['Kernel IP routing table', 'Kernel IPv6 routing table']);
    expect(await listing(['-r', '-x'])).toEqual({
      chunks: [{ fd: 2, text: "No routing for address family `unix'.\n" }],
      code: 3,
    });
    expect((await listing(['-r', '-A', 'bluetooth'])).code).toBe(3);
    expect(await listing(['-r', '-A', 'ax25'])).toEqual({
      chunks: [
        { fd: 2, text: '/proc/net/ax25_route: No such file or directory\n' },
        { fd: 1, text: 'AX.25 not configured in this system.\n' },
      ],
      code: 1,
    });
  });

  it('-i -c prints "Kernel Interface table" before the first listing only', async () => {
    expect(out(await listing(['-i'], PROC_NET, {}, 0)).split('\n')[0]).toBe('Kernel Interface table');
    expect(out(await listing(['-i'], PROC_NET, {}, 1)).split('\n')[0]).toMatch(/^Iface {13}MTU/);
  });

  it('-p fills the program column; the warning comes before the tables', async () => {
    const o = options('-tanp');
    const finish = await prepareNetstat(
      o,
      netstatFlags(o),
      snapshot(0, { sockets: [inet('tcp', '127.0.0.1:22', '0.0.0.0:0', 'LISTEN', 10, { stateCode: 10 })] }),
      host(PROC_NET),
    );
    const r = finish({
      owners: new Map([[10, [proc(100, 'x', { argv0: '/usr/sbin/sshd' })]]]),
      stats: { ...STATS, unreadable: 2, deniedFdDirs: 1 },
    });
    expect(r.chunks[0]!.fd).toBe(2);
    expect(r.chunks[0]!.text).toMatch(/^\(Not all processes could be identified/);
    expect(out(r)).toContain('LISTEN      100/sshd            \n');
  });
});

describe("net-tools' rule for the -p warning", () => {
  const owners = new Map([[1, [proc(1, 'x')]]]);
  it('warns when some fd directory refused to open, not when only links could not be followed', async () => {
    expect(ownersWarning({ owners, stats: { ...STATS, unreadable: 1, deniedFdDirs: 0 } }, 0)).toBe('');
    expect(ownersWarning({ owners, stats: { ...STATS, unreadable: 1, deniedFdDirs: 1 } }, 1000)).toBe(
      '(Not all processes could be identified, non-owned process info\n will not be shown, you would have to be root to see it all.)\n',
    );
  });
  it('says that nothing could be read when no socket at all was found', async () => {
    expect(
      ownersWarning({ owners: new Map(), stats: { ...STATS, unreadable: 5, deniedFdDirs: 5 } }, 1000),
    ).toBe('(No info could be read for "-p": geteuid()=1000 but you should be root.)\n');
  });
});
