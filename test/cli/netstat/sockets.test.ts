import { describe, expect, it } from 'vitest';
import { netstatFlags } from '../../../src/cli/netstat/flags.js';
import {
  contextColumn,
  cutBytes,
  finishRows,
  inetHeader,
  inetRow,
  programColumn,
  programName,
  RowBatch,
  shownByState,
  unixHeader,
  unixRow,
} from '../../../src/cli/netstat/sockets.js';
import { inet, proc, unix } from '../../helpers/snapshots.js';
import { names, options } from './helpers.js';

const fmt = (...argv: string[]) => ({
  flags: netstatFlags(options(...argv)),
  names: names({ 'etc/services': 'http-alt 8080/tcp\n' }),
  userOf: (uid: number) => (uid === 0 ? 'root' : uid === 33 ? 'www-data' : undefined),
});

describe('program names by netstat’s rule', () => {
  it.each([
    ['/usr/sbin/nginx', 'nginx: worker', 'nginx'],
    ['nginx: master process /usr/sbin/nginx', 'nginx', 'nginx: master process /usr/sbin/nginx'],
    ['sshd: root@pts/0', 'sshd', 'sshd: root@pts/0'],
    ['python3', 'renamed-prctl', 'python3'],
    ['/usr/bin/', 'x', ''],
  ])('argv[0] %j (comm %j) → %j', (argv0, command, name) => {
    expect(programName(proc(1, command, { argv0, cmdline: `${argv0} arg` }))).toBe(name);
  });

  it('falls back to comm when the command line is empty (netstat would print "PID/")', () => {
    expect(programName(proc(7, 'kworker', { argv0: '', cmdline: '' }))).toBe('kworker');
    expect(programName({ pid: 7, command: 'old', cmdline: '/bin/old -x', uid: 0 })).toBe('old');
  });

  it('cuts "PID/name" to 19 bytes, whole characters, and escapes control characters', () => {
    expect(programColumn(proc(18678, 'x', { argv0: 'nginx: master process /usr/sbin/nginx' }))).toBe(
      '18678/nginx: master',
    );
    expect(programColumn(proc(12345, 'x', { argv0: '/opt/x/a-program-name-longer' }))).toBe(
      '12345/a-program-nam',
    );
    expect(cutBytes('12345/naïve-ünïcode', 19)).toBe('12345/naïve-ünïc');
    expect(cutBytes('12345/naïve-ünïcöde', 20)).toBe('12345/naïve-ünïc');
    expect(programColumn(proc(1, 'x', { argv0: 'evil\x1b[2J' }))).toBe('1/evil\\e[2J');
    expect(programColumn(undefined)).toBe('-');
  });

  it('keeps the last 48 characters of a long SELinux context', () => {
    const long = `system_u:system_r:${'x'.repeat(60)}:s0`;
    expect(contextColumn(long)).toBe(long.slice(-48));
    expect(contextColumn('unconfined_u:unconfined_r:unconfined_t:s0')).toBe(
      'unconfined_u:unconfined_r:unconfined_t:s0',
    );
    expect(contextColumn(undefined)).toBe('-');
  });
});

describe('which sockets -l and -a show', () => {
  const all = { all: true, listening: false };
  const servers = { all: false, listening: true };
  const clients = { all: false, listening: false };
  it('TCP: servers are the sockets without a peer port (whatever their state)', () => {
    const listen = inet('tcp', '127.0.0.1:80', '0.0.0.0:0', 'LISTEN', 1, { stateCode: 10 });
    const closing = inet('tcp', '127.0.0.1:80', '0.0.0.0:0', 'CLOSE', 1, { stateCode: 7 });
    const est = inet('tcp6', '::1:80', '::1:5000', 'ESTABLISHED', 2, { stateCode: 1 });
    expect([listen, closing, est].map((s) => shownByState(s, servers))).toEqual([true, true, false]);
    expect([listen, closing, est].map((s) => shownByState(s, clients))).toEqual([false, false, true]);
    expect([listen, closing, est].map((s) => shownByState(s, all))).toEqual([true, true, true]);
  });
  it('UDP and raw: servers are the sockets without a peer address', () => {
    const bound = inet('udp', '127.0.0.1:53', '0.0.0.0:0', 'UNCONN', 1, { stateCode: 7 });
    const connected = inet('udp6', '::1:53', '::1:0', 'ESTABLISHED', 2, { stateCode: 1 });
    expect([bound, connected].map((s) => shownByState(s, servers))).toEqual([true, false]);
  });
  it('unix: servers are unconnected sockets that accept connections', () => {
    expect(shownByState(unix('/run/a.sock', 1, true), servers)).toBe(true);
    expect(shownByState(unix('/run/a.sock', 2, false), servers)).toBe(false);
  });
});

describe('socket rows', () => {
  it('names UDP-Lite udpl / udpl6 and keeps the columns where netstat has them', () => {
    const f = fmt('-n');
    const udp = inetRow(inet('udp', '127.0.0.1:5000', '0.0.0.0:0', 'UNCONN', 1, { stateCode: 7 }), f).head;
    const lite = inetRow(
      inet('udplite', '127.0.0.1:5000', '0.0.0.0:0', 'UNCONN', 1, { stateCode: 7 }),
      f,
    ).head;
    const lite6 = inetRow(inet('udplite6', '::1:5000', ':::0', 'UNCONN', 1, { stateCode: 7 }), f).head;
    expect(lite).toBe(udp.replace('udp  ', 'udpl '));
    expect(lite6.startsWith('udpl6      0      0 ::1:5000                :::*')).toBe(true);
    expect(lite.length).toBe(udp.length);
  });

  it('prints raw states as numbers and UDP states as netstat names them', () => {
    const f = fmt('-n');
    expect(inetRow(inet('raw', '0.0.0.0:1', '0.0.0.0:0', 'UNCONN', 1, { stateCode: 7 }), f).head).toMatch(
      / 7 {10}$/,
    );
    expect(
      inetRow(inet('udp', '127.0.0.1:1', '127.0.0.1:2', 'ESTABLISHED', 1, { stateCode: 1 }), f).head,
    ).toMatch(/ESTABLISHED$/);
    expect(inetRow(inet('udp', '127.0.0.1:1', '0.0.0.0:0', 'UNCONN', 1, { stateCode: 7 }), f).head).toMatch(
      / {12}$/,
    );
    expect(inetRow(inet('udp', '127.0.0.1:1', '0.0.0.0:0', 'UNKNOWN', 1, { stateCode: 10 }), f).head).toMatch(
      /UNKNOWN {4}$/,
    );
  });

  it('prints a v4-mapped peer of a tcp6 row as netstat does: as IPv4', () => {
    const row = inetRow(
      inet('tcp6', '::ffff:127.0.0.1:44017', '::ffff:127.0.0.1:34540', 'ESTABLISHED', 5, { stateCode: 1 }),
      fmt('-n'),
    ).head;
    expect(row).toBe('tcp6       0      0 127.0.0.1:44017         127.0.0.1:34540         ESTABLISHED');
  });

  it('adds User and Inode with -e (names unless numeric) and the timer with -o', () => {
    const s = inet('tcp', '127.0.0.1:8080', '0.0.0.0:0', 'LISTEN', 4242, { stateCode: 10, uid: 33 });
    expect(inetRow(s, fmt('-e')).head).toBe(
      'tcp        0      0 127.0.0.1:http-alt      0.0.0.0:*               LISTEN      www-data   4242      ',
    );
    expect(inetRow(s, fmt('-ne')).head.endsWith('LISTEN      33         4242      ')).toBe(true);
    expect(inetRow(s, fmt('-e', '--numeric-users')).head).toContain('127.0.0.1:http-alt');
    const timers = (x: Partial<Parameters<typeof inet>[5]>, proto: 'tcp' | 'udp' = 'tcp') =>
      inetRow(inet(proto, '127.0.0.1:1', '127.0.0.1:2', 'ESTABLISHED', 1, { stateCode: 1, ...x }), fmt('-no'))
        .tail;
    expect(timers({ timerActive: 0, retransmits: 2, timeouts: 1 })).toBe(' off (0.00/2/1)');
    expect(timers({ timerActive: 1, timerExpires: 20, retransmits: 3 })).toBe(' on (0.20/3/0)');
    expect(timers({ timerActive: 2, timerExpires: 712345 })).toBe(' keepalive (7123.45/0/0)');
    expect(timers({ timerActive: 3, timerExpires: 5999 })).toBe(' timewait (59.99/0/0)');
    expect(timers({ timerActive: 4, timerExpires: -5 })).toBe(' probe (0.00/0/0)');
    expect(timers({ timerActive: 9 })).toBe(' unkn-9 (0.00/0/0)');
    // UDP: no retransmits, and the two timer kinds are "on1" and "on2".
    expect(timers({ timerActive: 2, timerExpires: 100, retransmits: 5 }, 'udp')).toBe(' on2 (1.00/0/0)');
  });

  it('prints unix flags, states and the whole path (netstat cuts it at a space)', () => {
    const listening = unixRow({ ...unix('/tmp/with space.sock', 70002), flags: 0x10000 | 0x20000 });
    expect(listening.head).toBe('unix  2      [ ACC W ]   STREAM     LISTENING     70002   ');
    expect(listening.tail).toBe(' /tmp/with space.sock');
    const anonymous = unixRow({ ...unix('', 9, false), type: 'DGRAM', state: '', stateCode: 1 });
    expect(anonymous.head + anonymous.tail).toBe(
      'unix  2      [ ]         DGRAM                    9        ',
    );
  });

  it('has netstat’s headers, trailing spaces included', () => {
    expect(inetHeader(netstatFlags(options('-tanpeo')))).toEqual([
      'Active Internet connections (servers and established)',
      'Proto Recv-Q Send-Q Local Address           Foreign Address         State       User       Inode      PID/Program name     Timer',
    ]);
    expect(inetHeader(netstatFlags(options('-tl')))[1]).toBe(
      'Proto Recv-Q Send-Q Local Address           Foreign Address         State      ',
    );
    expect(unixHeader(netstatFlags(options('-xp')))).toEqual([
      'Active UNIX domain sockets (w/o servers)',
      'Proto RefCnt Flags       Type       State         I-Node   PID/Program name     Path',
    ]);
  });

  it('fills PID/Program from the first holder, once per process', () => {
    const f = netstatFlags(options('-anp'));
    const p = proc(3937, 'httpd', { argv0: '/usr/sbin/httpd' });
    const owners = new Map([
      [10, [p]],
      [11, [p, proc(4000, 'child')]],
    ]);
    const rows = new RowBatch();
    rows.literal('Active');
    rows.row('tcp6 ... LISTEN     ', '', 10);
    rows.row('unix ... 11      ', ' /run/x', 11);
    rows.row('unix ... 12      ', ' ', 12);
    expect(finishRows(rows, f, { owners }).split('\n')).toEqual([
      'Active',
      'tcp6 ... LISTEN      3937/httpd          ',
      'unix ... 11       3937/httpd           /run/x',
      'unix ... 12       -                    ',
      '',
    ]);
    expect(finishRows(new RowBatch(), f, { owners })).toBe('');
  });
});
