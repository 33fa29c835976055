// Command-line parsing: argv → Options, or a usage error (exit code 2). Pure apart from commander's own
// string building, so the CLI's behaviour on bad flags is unit-tested without spawning anything.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { AlertRule } from '../model/alerts.js';

export interface Options {
  once: boolean;
  json: boolean;
  root: string;
  intervalMs: number;
  bell: boolean;
  /** TCP sockets from netlink sock_diag when the native helper is built (false: --no-netlink, /proc only). */
  netlink: boolean;
  /** --exporter [HOST:]PORT: serve Prometheus metrics instead of the live view. */
  exporter: ExporterAddress | undefined;
  /** --exporter-owners off: no `command` label on listener series (who holds which port stays private). */
  exporterOwners?: boolean;
  /** --events: print events as they happen (with --json: NDJSON) instead of the live view. */
  events?: boolean;
  /** --alert RULE (repeatable), parsed. */
  alerts?: readonly AlertRule[];
  /** --on-alert CMD, split into argv (no shell). */
  onAlert?: readonly string[];
  /** --count N: samples of --json to print (NDJSON), then exit. */
  count?: number;
  // netstat's selection flags
  tcp: boolean;
  udp: boolean;
  udplite: boolean;
  raw: boolean;
  unix: boolean;
  listening: boolean;
  all: boolean;
  numeric: boolean;
  programs: boolean;
  extend: boolean;
  timers: boolean;
  wide: boolean;
  route: boolean;
  interfaces: boolean;
  statistics: boolean;
  groups: boolean;
  inet4: boolean;
  inet6: boolean;
}

// Kept here rather than in exporter.ts so that parsing arguments does not load prom-client.
export interface ExporterAddress {
  readonly host: string;
  readonly port: number;
}

export const DEFAULT_EXPORTER: ExporterAddress = { host: '127.0.0.1', port: 9531 };

/** "9531", ":9531", "0.0.0.0:9531", "[::1]:9531" → host and port; undefined when malformed. */
export function parseExporterAddress(text: string | true): ExporterAddress | undefined {
  if (text === true || text === '') return DEFAULT_EXPORTER;
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(text) ?? /^()()(\d+)$/.exec(text);
  if (!m) return undefined;
  const port = Number(m[3]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return undefined;
  const host = m[1] || m[2] || DEFAULT_EXPORTER.host;
  return { host, port };
}

export type ParseResult =
  | { kind: 'ok'; options: Options }
  | { kind: 'exit'; code: number; stdout?: string; stderr?: string };

function parseInterval(value: string): number {
  const seconds = Number(value);
  if (!/^\d*\.?\d+$/.test(value.trim()) || !Number.isFinite(seconds) || seconds < 0.05 || seconds > 3600) {
    throw new InvalidArgumentError('expected seconds between 0.05 and 3600, e.g. 1 or 0.5');
  }
  return Math.round(seconds * 1000);
}

export function buildProgram(version: string): Command {
  const program = new Command('netwatch');
  program
    .description(
      'Live network monitor for Linux: connections, listeners, routes, interfaces and protocol counters.\n' +
        'With no arguments on a terminal it opens the live view; with --once (or when stdout is not a\n' +
        'terminal) it prints netstat-style tables and exits.',
    )
    .version(version, '-V, --version')
    .helpOption('-h, --help', 'show this help')
    .option('--once', 'print the current state once and exit (netstat layout)')
    .option('--json', 'with --once: print one JSON object instead of tables')
    .option('--root <dir>', 'host root to read proc/ and sys/ from', '/')
    .addOption(
      new Option('--interval <seconds>', 'sampling interval of the live view')
        .default(1000, '1')
        .argParser(parseInterval),
    )
    .option('--bell', 'ring the terminal bell when a listener vanishes')
    .option('--no-netlink', 'read TCP sockets from /proc/net/tcp* even where netlink sock_diag is available')
    .addOption(
      new Option(
        '--exporter [addr]',
        'serve Prometheus metrics at http://ADDR/metrics (default 127.0.0.1:9531)',
      ).argParser((value: string) => {
        const address = parseExporterAddress(value);
        if (!address) throw new InvalidArgumentError('expected PORT or HOST:PORT, e.g. 9531 or 0.0.0.0:9531');
        return address;
      }),
    )
    .addOption(
      new Option('--exporter-owners <on|off>', "with --exporter: label listeners with their process's name")
        .choices(['on', 'off'])
        .default('on'),
    )
    .option('-t, --tcp', 'TCP sockets')
    .option('-u, --udp', 'UDP sockets')
    .option('-U, --udplite', 'UDP-Lite sockets')
    .option('-w, --raw', 'raw sockets')
    .option('-x, --unix', 'unix domain sockets')
    .option('-l, --listening', 'only listening sockets')
    .option('-a, --all', 'listening and connected sockets')
    .option(
      '-n, --numeric',
      "don't resolve names (names come from /etc/hosts and /etc/services only, never DNS)",
    )
    .option('-p, --programs', 'PID/Program name of each socket')
    .option('-e, --extend', 'user and inode')
    .option('-o, --timers', 'socket timers')
    .option('-W, --wide', "don't truncate addresses")
    .option('-r, --route', 'routing tables')
    .option('-i, --interfaces', 'interface table')
    .option('-s, --statistics', 'protocol counters (like netstat -s)')
    .option('-g, --groups', 'multicast group memberships')
    .option('-4, --inet4', 'IPv4 only')
    .option('-6, --inet6', 'IPv6 only')
    .allowExcessArguments(false)
    .showSuggestionAfterError(true);
  return program;
}

/** Parse argv (without node and script). Never exits the process; the caller acts on the result. */
export function parseOptions(argv: readonly string[], version = '0.0.0'): ParseResult {
  const program = buildProgram(version);
  let stdout = '';
  let stderr = '';
  program.exitOverride();
  program.configureOutput({
    writeOut: (s) => {
      stdout += s;
    },
    writeErr: (s) => {
      stderr += s;
    },
  });
  try {
    program.parse([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') {
        return { kind: 'exit', code: 0, stdout };
      }
      return { kind: 'exit', code: 2, stderr: `${stderr}\n${program.helpInformation()}` };
    }
    throw err;
  }
  const o = program.opts();
  const options: Options = {
    once: Boolean(o.once),
    json: Boolean(o.json),
    root: String(o.root),
    intervalMs: Number(o.interval),
    bell: Boolean(o.bell),
    netlink: o.netlink !== false,
    exporter: o.exporter === undefined ? undefined : o.exporter === true ? DEFAULT_EXPORTER : o.exporter,
    exporterOwners: o.exporterOwners !== 'off',
    tcp: Boolean(o.tcp),
    udp: Boolean(o.udp),
    udplite: Boolean(o.udplite),
    raw: Boolean(o.raw),
    unix: Boolean(o.unix),
    listening: Boolean(o.listening),
    all: Boolean(o.all),
    numeric: Boolean(o.numeric),
    programs: Boolean(o.programs),
    extend: Boolean(o.extend),
    timers: Boolean(o.timers),
    wide: Boolean(o.wide),
    route: Boolean(o.route),
    interfaces: Boolean(o.interfaces),
    statistics: Boolean(o.statistics),
    groups: Boolean(o.groups),
    inet4: Boolean(o.inet4),
    inet6: Boolean(o.inet6),
  };
  if (options.json && !options.once) {
    // --json only makes sense for one-shot output; imply it rather than refuse.
    options.once = true;
  }
  return { kind: 'ok', options };
}
