import { describe, expect, it } from 'vitest';
import { parseOptions } from '../../src/cli/options.js';

describe('parseOptions', () => {
  it('takes netstat-style combined short flags', () => {
    const r = parseOptions(['--once', '-anlp']);
    expect(r.kind).toBe('ok');
    if (r.kind !== 'ok') return;
    expect(r.options).toMatchObject({
      once: true,
      all: true,
      numeric: true,
      listening: true,
      programs: true,
      tcp: false,
    });
  });

  it('reads TCP through netlink unless --no-netlink', () => {
    const d = parseOptions(['--once']);
    expect(d.kind === 'ok' && d.options.netlink).toBe(true);
    const r = parseOptions(['--once', '--no-netlink']);
    expect(r.kind === 'ok' && r.options.netlink).toBe(false);
  });

  it('parses --interval in seconds, fractions allowed', () => {
    const r = parseOptions(['--interval', '0.5']);
    expect(r.kind === 'ok' && r.options.intervalMs).toBe(500);
    const d = parseOptions([]);
    expect(d.kind === 'ok' && d.options.intervalMs).toBe(1000);
  });

  it.each([
    [['--interval', 'abc'], /--interval/],
    [['--interval', '0'], /between/],
    [['-z'], /unknown option '-z'/],
    [['--bogus'], /unknown option '--bogus'/],
    [['--root'], /argument missing/],
    [['extra'], /too many arguments|unknown command|excess/i],
  ])('rejects %j with usage on stderr and exit code 2', (argv, message) => {
    const r = parseOptions(argv);
    expect(r.kind).toBe('exit');
    if (r.kind !== 'exit') return;
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/Usage: netwatch/);
  });

  it('prints help on stdout with exit code 0', () => {
    const r = parseOptions(['--help']);
    expect(r).toMatchObject({ kind: 'exit', code: 0 });
    expect(r.kind === 'exit' && r.stdout).toMatch(/--once/);
  });

  it('counts -e, as netstat does (-ee is more than -e)', () => {
    const one = parseOptions(['-te']);
    const two = parseOptions(['-tee']);
    const spread = parseOptions(['-e', '-t', '--extend']);
    expect(one.kind === 'ok' && one.options.extendCount).toBe(1);
    expect(two.kind === 'ok' && two.options.extendCount).toBe(2);
    expect(spread.kind === 'ok' && spread.options.extendCount).toBe(2);
    const none = parseOptions(['-t']);
    expect(none.kind === 'ok' && [none.options.extendCount, none.options.extend]).toEqual([0, false]);
  });

  it('keeps the address families in the order given, from -A lists, -4 -6 -x and the long options', () => {
    const r = parseOptions([
      '-6',
      '-Ainet,unix',
      '--ipx',
      '-x',
      '--protocol=ip6',
      '-A',
      'tcpip',
      '--appletalk',
    ]);
    expect(r.kind === 'ok' && r.options.families).toEqual([
      'inet6',
      'inet',
      'unix',
      'ipx',
      'unix',
      'inet6',
      'inet',
      'ddp',
    ]);
    expect(r.kind === 'ok' && [r.options.inet4, r.options.inet6, r.options.unix]).toEqual([true, true, true]);
    const none = parseOptions(['-t']);
    expect(none.kind === 'ok' && [none.options.families, none.options.inet4, none.options.unix]).toEqual([
      [],
      false,
      false,
    ]);
  });

  it('takes every long option netstat has', () => {
    const r = parseOptions([
      ...['--tcp', '--udp', '--udplite', '--raw', '--unix', '--sctp', '--listening', '--all', '--programs'],
      ...['--extend', '--timers', '--wide', '--continuous', '--verbose', '--symbolic', '--context'],
      ...['--numeric-hosts', '--numeric-ports', '--numeric-users', '--ax25', '--netrom', '--inet', '--inet6'],
    ]);
    expect(r.kind).toBe('ok');
    if (r.kind !== 'ok') return;
    expect(r.options).toMatchObject({
      tcp: true,
      udp: true,
      udplite: true,
      raw: true,
      unix: true,
      sctp: true,
      listening: true,
      all: true,
      programs: true,
      extendCount: 1,
      timers: true,
      wide: true,
      continuous: true,
      verbose: true,
      symbolic: true,
      context: true,
      numeric: false,
      numericHosts: true,
      numericPorts: true,
      numericUsers: true,
      families: ['unix', 'ax25', 'netrom', 'inet', 'inet6'],
    });
    for (const table of [
      ['--route', '--fib', '--cache'],
      ['--interfaces'],
      ['--statistics'],
      ['--groups'],
      ['--masquerade'],
    ]) {
      expect(parseOptions(table).kind, table.join(' ')).toBe('ok');
    }
  });

  it("keeps net-tools' --tcpip: it selects nothing and says so (its option table is one entry short)", () => {
    const r = parseOptions(['--tcpip', '-n']);
    expect(r.kind === 'ok' && r.options.families).toEqual([]);
    expect(r.kind === 'ok' && r.options.optionMessages).toEqual([
      "netstat.c: Internal Error `longopts 1 range'.\n",
    ]);
  });

  it('-n sets the three --numeric-* flags', () => {
    const r = parseOptions(['-n']);
    expect(
      r.kind === 'ok' && [r.options.numericHosts, r.options.numericPorts, r.options.numericUsers],
    ).toEqual([true, true, true]);
  });

  it("accepts netstat's trailing delay and ignores it, as net-tools 2.10 does", () => {
    const r = parseOptions(['-s', '1']);
    expect(r.kind === 'ok' && r.options.statistics).toBe(true);
    expect(r.kind === 'ok' && r.options.continuous).toBe(false);
    expect(parseOptions(['-i', '2', '5']).kind).toBe('ok');
  });

  it.each([
    [['-A', 'foo'], /Unknown address family `foo'/],
    [['-Ainet,bogus'], /Unknown address family `bogus'/],
    [['-A'], /argument missing/],
    [['-i', '-r'], /exclude each other/],
    [['-s', '-M'], /exclude each other/],
    [['-I', 'eth0'], /unknown option '-I'/],
    [['-IIFACE'], /unknown option '-I/],
    [['-s', 'soon'], /too many arguments: 'soon'/],
    [['--all-counters'], /goes with -s/],
  ])('rejects %j, as netstat would, with our usage on stderr and exit code 2', (argv, message) => {
    const r = parseOptions(argv);
    expect(r.kind).toBe('exit');
    if (r.kind !== 'exit') return;
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/Usage: netwatch/);
  });

  it('implies --once for --json', () => {
    const r = parseOptions(['--json']);
    expect(r.kind === 'ok' && r.options.once).toBe(true);
  });

  it('--exporter-owners on|off (default on); anything else is a usage error', () => {
    const on = parseOptions(['--exporter', '9531']);
    expect(on.kind === 'ok' && on.options.exporterOwners).toBe(true);
    const off = parseOptions(['--exporter', '9531', '--exporter-owners', 'off']);
    expect(off.kind === 'ok' && off.options.exporterOwners).toBe(false);
    const bad = parseOptions(['--exporter-owners', 'maybe']);
    expect(bad).toMatchObject({ kind: 'exit', code: 2 });
  });

  it('--events, repeated --alert rules, --on-alert as argv (no shell) and --count', () => {
    const r = parseOptions([
      '--events',
      '--alert',
      'listener:22',
      '--alert',
      'rate:Tcp.RetransSegs>100',
      '--on-alert',
      '/usr/local/bin/page  --team net',
      '--count',
      '5',
    ]);
    expect(r.kind).toBe('ok');
    if (r.kind !== 'ok') return;
    expect(r.options.events).toBe(true);
    expect(r.options.once).toBe(false);
    expect(r.options.alerts?.map((a) => a.text)).toEqual(['listener:22', 'rate:Tcp.RetransSegs>100']);
    expect(r.options.alerts?.[0]).toMatchObject({ kind: 'listener', port: 22 });
    expect(r.options.onAlert).toEqual(['/usr/local/bin/page', '--team', 'net']);
    expect(r.options.count).toBe(5);
  });

  it('--json with -c or --count streams (not --once); --json alone is one document', () => {
    const c = parseOptions(['--json', '-c']);
    expect(c.kind === 'ok' && [c.options.once, c.options.continuous]).toEqual([false, true]);
    const n = parseOptions(['--json', '--count', '2']);
    expect(n.kind === 'ok' && [n.options.once, n.options.count]).toEqual([false, 2]);
    // The spelling, --once --json -c, streams too; so does --once --json --count N.
    const once = parseOptions(['--once', '--json', '-c', '--alert', 'listener:22']);
    expect(once.kind === 'ok' && [once.options.continuous, once.options.alerts?.length]).toEqual([true, 1]);
    const onceCount = parseOptions(['--once', '--json', '--count', '2']);
    expect(onceCount.kind === 'ok' && onceCount.options.count).toBe(2);
    const events = parseOptions(['--events', '--json']);
    expect(events.kind === 'ok' && [events.options.once, events.options.json]).toEqual([false, true]);
  });

  it.each([
    [['--alert', 'bogus'], /"bogus": expected listener:PORT/],
    [['--alert', 'listener:70000'], /"listener:70000": listener: takes a port/],
    [['--alert', 'state:FOO>3'], /unknown TCP state "FOO"/],
    [['--alert', 'event:nope'], /no event kind starts with "nope"/],
    [['--on-alert', 'true'], /--on-alert goes with at least one --alert/],
    [['--alert', 'listener:22', '--on-alert', '  '], /--on-alert needs a command/],
    [['--count', '3'], /--count goes with --events or --json/],
    [['--events', '--count', '0'], /whole number from 1/],
    [['--events', '--count', 'x'], /whole number from 1/],
    [['--events', '--once'], /neither --once nor --exporter/],
    [['--events', '--exporter'], /neither --once nor --exporter/],
    [['--once', '--alert', 'listener:22'], /needs time to watch/],
  ])('rejects %j with usage and exit code 2', (argv, message) => {
    const r = parseOptions(argv);
    expect(r).toMatchObject({ kind: 'exit', code: 2 });
    if (r.kind !== 'exit') return;
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/Usage: netwatch/);
  });
});
