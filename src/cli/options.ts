// Command-line parsing: argv → Options, or a usage error (exit code 2). Pure apart from commander's own
// string building, so the CLI's behaviour on bad flags is unit-tested without spawning anything.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { type AlertRule, parseAlertRule } from '../model/alerts.js';
import { alertArgv } from './onalert.js';

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
  /** -A inet (also -4, --inet, --ip, --tcpip) was given. */
  inet4: boolean;
  /** -A inet6 (also -6, --inet6, --ip6) was given. */
  inet6: boolean;
  /** How many times -e was given: once adds User and Inode, and -i's long listing; -r counts it its own way. */
  extendCount: number;
  /** -c: print the listing again every second. */
  continuous: boolean;
  /** -C / -F: the routing cache, the FIB (the default), or both. */
  cache: boolean;
  fib: boolean;
  /** -N: netstat's "resolve hardware names"; for routes it also keeps hosts numeric, as in net-tools. */
  symbolic: boolean;
  /** -v: say which address families this system lacks. */
  verbose: boolean;
  /** --numeric-hosts / --numeric-ports / --numeric-users; -n sets all three. */
  numericHosts: boolean;
  numericPorts: boolean;
  numericUsers: boolean;
  /** Address families in the order given (-A LIST, -4, -6, -x, --inet ...), by net-tools' name (inet, unix, ax25 ...). */
  families: string[];
  /** -S / --sctp. */
  sctp: boolean;
  /** -M / --masquerade. */
  masquerade: boolean;
  /** -Z / --context: SELinux contexts. */
  context: boolean;
  /** -2 / --l2cap and -f / --rfcomm (Bluetooth, which net-tools here is built without). */
  l2cap: boolean;
  rfcomm: boolean;
  /** -s --all-counters: every counter the kernel has, not only what netstat -s prints. */
  allCounters: boolean;
  /** What netstat says on stderr while it reads its options (printed before the listing). */
  optionMessages: string[];
}

/**
 * net-tools' address family aliases (lib/af.c aftrans): what -A and the long options accept, and the name
 * each stands for.
 */
export const FAMILY_ALIASES: ReadonlyMap<string, string> = new Map([
  ['ax25', 'ax25'],
  ['ip', 'inet'],
  ['ip6', 'inet6'],
  ['ipx', 'ipx'],
  ['rose', 'rose'],
  ['appletalk', 'ddp'],
  ['netrom', 'netrom'],
  ['inet', 'inet'],
  ['inet6', 'inet6'],
  ['ddp', 'ddp'],
  ['unix', 'unix'],
  ['tcpip', 'inet'],
  ['econet', 'ec'],
  ['x25', 'x25'],
  ['ash', 'ash'],
  ['bluetooth', 'bluetooth'],
]);

/**
 * The long options net-tools takes for an address family (AFTRANS_OPTS) besides --unix, --inet and --inet6:
 * the first three are in its help, the rest are hidden here as they are there.
 */
const FAMILY_OPTIONS = [
  'ax25',
  'ipx',
  'netrom',
  'x25',
  'ip',
  'appletalk',
  'ddp',
  'rose',
  'bluetooth',
  'tcpip',
];
const SHOWN_FAMILY_OPTIONS = 3;

/** "inet,unix" → ['inet', 'unix'], or throws naming the first alias net-tools does not know. */
export function parseFamilies(text: string): string[] {
  const out: string[] = [];
  for (const alias of text.split(',')) {
    const name = FAMILY_ALIASES.get(alias);
    if (name === undefined) throw new InvalidArgumentError(`Unknown address family \`${alias}'.`);
    out.push(name);
  }
  return out;
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

/** netstat -e's count: each -e adds one (commander calls this once per occurrence). */
function count(_value: string, previous: number): number {
  return previous + 1;
}

/**
 * The program, and the address families in the order they are given (commander emits one event per
 * option as it parses, so -A, -4, -6, -x and the long family options can share one ordered list).
 */
export function buildProgram(version: string, families: string[] = []): Command {
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
    .option('--bell', 'ring the terminal bell when a listener vanishes or an alert fires')
    .option('--events', 'print each event as it happens (with --json: one JSON object a line), until stopped')
    .addOption(
      new Option(
        '--alert <rule>',
        'alert when RULE holds (repeatable): listener:PORT|any, rate:GROUP.NAME>N, state:STATE>N, event:KIND',
      )
        .argParser((text: string, previous: AlertRule[] = []) => {
          const r = parseAlertRule(text);
          if (!r.ok) throw new InvalidArgumentError(`"${text}": ${r.error}`);
          return [...previous, r.rule];
        })
        .default(undefined),
    )
    .option(
      '--on-alert <command>',
      'run COMMAND (no shell; the event in NETWATCH_* variables and on stdin) when an alert fires',
    )
    .addOption(
      new Option('--count <n>', 'with --events or --json: stop after N events or samples').argParser(
        (value: string) => {
          if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 1e9)
            throw new InvalidArgumentError('expected a whole number from 1, e.g. 10');
          return Number(value);
        },
      ),
    )
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
    .option('-S, --sctp', 'SCTP sockets (/proc/net/sctp)')
    .option('-w, --raw', 'raw sockets')
    .option('-x, --unix', 'unix domain sockets')
    .option('--ax25', 'AX.25 sockets (netstat says whether the system has them)')
    .option('--ipx', 'IPX sockets (idem)')
    .option('--netrom', 'NET/ROM sockets (idem)')
    .option('-l, --listening', 'only listening sockets')
    .option('-a, --all', 'listening and connected sockets')
    .option(
      '-n, --numeric',
      "don't resolve names (names come from /etc/hosts and /etc/services only, never DNS)",
    )
    .option('--numeric-hosts', "don't resolve host names")
    .option('--numeric-ports', "don't resolve port names")
    .option('--numeric-users', "don't resolve user names")
    .option('-N, --symbolic', 'resolve hardware names (routes: keep hosts numeric, as netstat does)')
    .option('-p, --programs', 'PID/Program name of each socket')
    .addOption(
      new Option('-e, --extend', 'user and inode; twice: more (-i -e: ifconfig-style)')
        .argParser(count)
        .default(0),
    )
    .option('-o, --timers', 'socket timers')
    .option('-W, --wide', "don't truncate addresses")
    .option('-v, --verbose', 'say which address families this system lacks')
    .option('-c, --continuous', 'print the listing again every second')
    .option('-r, --route', 'routing tables')
    .option('-F, --fib', 'with -r: the forwarding information base (default)')
    .option('-C, --cache', 'with -r: the routing cache')
    .option('-i, --interfaces', 'interface table')
    .option('-s, --statistics', "protocol counters, netstat -s's lines (-t -u -w -U -6 choose sections)")
    .option('--all-counters', 'with -s: every counter the kernel reports, by group, with descriptions')
    .option('-g, --groups', 'multicast group memberships')
    .option('-M, --masquerade', 'masqueraded connections (netstat says whether the system has them)')
    .option('-Z, --context', 'SELinux security context of each socket')
    .option(
      '-A, --protocol <families>',
      'address families, comma-separated: inet, inet6, unix, ...',
      (text: string) => {
        families.push(...parseFamilies(text));
        return text;
      },
    )
    .option('-4, --inet', 'IPv4 only (-A inet)')
    .option('-6, --inet6', 'IPv6 only (-A inet6)')
    .addOption(new Option('--inet4').hideHelp())
    .addOption(new Option('-d').hideHelp()) // netstat's -d (debug) does nothing
    .addOption(new Option('-2, --l2cap').hideHelp())
    .addOption(new Option('-f, --rfcomm').hideHelp())
    .argument('[delay...]', "netstat's trailing delay: accepted and ignored, as net-tools 2.10 does (use -c)")
    .showSuggestionAfterError(true);
  for (const name of FAMILY_OPTIONS.slice(SHOWN_FAMILY_OPTIONS))
    program.addOption(new Option(`--${name}`).hideHelp());
  // Commander emits these in the order of the command line, so the list keeps netstat's order.
  const family = (option: string, name: string) => program.on(`option:${option}`, () => families.push(name));
  family('inet', 'inet');
  family('inet4', 'inet');
  family('inet6', 'inet6');
  family('unix', 'unix');
  for (const name of FAMILY_OPTIONS) if (name !== 'tcpip') family(name, FAMILY_ALIASES.get(name)!);
  return program;
}

/** A trailing delay: digits only, as a number of seconds would be. Anything else is a mistyped argument. */
const DELAY = /^\d+$/;

/** Parse argv (without node and script). Never exits the process; the caller acts on the result. */
export function parseOptions(argv: readonly string[], version = '0.0.0'): ParseResult {
  const families: string[] = [];
  const program = buildProgram(version, families);
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
  const usage = (message: string): ParseResult => ({
    kind: 'exit',
    code: 2,
    stderr: `error: ${message}\n\n${program.helpInformation()}`,
  });
  const extra = program.args.find((a) => !DELAY.test(a));
  if (extra !== undefined)
    return usage(`too many arguments: '${extra}' (only a delay in seconds may follow)`);
  const o = program.opts();
  const tables = ['interfaces', 'route', 'masquerade', 'statistics'].filter((k) => o[k]);
  if (tables.length > 1)
    return usage(`-i, -r, -M and -s exclude each other (got ${tables.map((k) => `--${k}`).join(', ')})`);
  if (o.allCounters && !o.statistics) return usage('--all-counters goes with -s');
  if (o.events && (o.once || o.exporter !== undefined))
    return usage('--events streams as things happen: it goes with neither --once nor --exporter');
  if (o.count !== undefined && !o.events && !o.json) return usage('--count goes with --events or --json');
  const onAlert = o.onAlert === undefined ? undefined : alertArgv(String(o.onAlert));
  if (onAlert !== undefined && onAlert.length === 0) return usage('--on-alert needs a command');
  if (onAlert !== undefined && !o.alert) return usage('--on-alert goes with at least one --alert RULE');
  const streaming = Boolean(o.events || (o.json && (o.continuous || o.count !== undefined)));
  if (o.alert && o.once && !streaming)
    return usage('--alert needs time to watch: the live view, --events or --json -c');
  const numeric = Boolean(o.numeric);
  const options: Options = {
    once: Boolean(o.once),
    json: Boolean(o.json),
    root: String(o.root),
    intervalMs: Number(o.interval),
    bell: Boolean(o.bell),
    netlink: o.netlink !== false,
    exporter: o.exporter === undefined ? undefined : o.exporter === true ? DEFAULT_EXPORTER : o.exporter,
    exporterOwners: o.exporterOwners !== 'off',
    ...(o.events ? { events: true } : {}),
    ...(o.alert ? { alerts: o.alert as AlertRule[] } : {}),
    ...(onAlert ? { onAlert } : {}),
    ...(o.count !== undefined ? { count: Number(o.count) } : {}),
    tcp: Boolean(o.tcp),
    udp: Boolean(o.udp),
    udplite: Boolean(o.udplite),
    raw: Boolean(o.raw),
    unix: families.includes('unix'),
    listening: Boolean(o.listening),
    all: Boolean(o.all),
    numeric,
    programs: Boolean(o.programs),
    extend: Number(o.extend) > 0,
    timers: Boolean(o.timers),
    wide: Boolean(o.wide),
    route: Boolean(o.route),
    interfaces: Boolean(o.interfaces),
    statistics: Boolean(o.statistics),
    groups: Boolean(o.groups),
    inet4: families.includes('inet'),
    inet6: families.includes('inet6'),
    extendCount: Number(o.extend),
    continuous: Boolean(o.continuous),
    cache: Boolean(o.cache),
    fib: Boolean(o.fib),
    symbolic: Boolean(o.symbolic),
    verbose: Boolean(o.verbose),
    numericHosts: numeric || Boolean(o.numericHosts),
    numericPorts: numeric || Boolean(o.numericPorts),
    numericUsers: numeric || Boolean(o.numericUsers),
    families,
    sctp: Boolean(o.sctp),
    masquerade: Boolean(o.masquerade),
    context: Boolean(o.context),
    l2cap: Boolean(o.l2cap),
    rfcomm: Boolean(o.rfcomm),
    allCounters: Boolean(o.allCounters),
    // net-tools' table of family long options is one entry short (AFTRANS_CNT 12 of 13): --tcpip selects
    // nothing and says so. Kept, so that the output is netstat's; -A tcpip works.
    optionMessages: o.tcpip ? ["netstat.c: Internal Error `longopts 1 range'.\n"] : [],
  };
  if (
    options.json &&
    !options.once &&
    !options.events &&
    !options.continuous &&
    options.count === undefined
  ) {
    // --json alone is one document: imply --once rather than refuse. With --events, -c or --count it streams.
    options.once = true;
  }
  return { kind: 'ok', options };
}
