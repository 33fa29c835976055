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
});
