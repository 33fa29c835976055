// netstat's own flags, derived from our Options as net-tools 2.10's main() derives them (netstat.c), so the
// renderers can follow its tests line for line: which tables, which address families, which protocol files.
import type { Options } from '../options.js';

export type NetstatMode = 'masquerade' | 'statistics' | 'route' | 'interfaces' | 'sockets';

export interface NetstatFlags {
  readonly mode: NetstatMode;
  /** Protocols asked for (or implied by -4 / -6 / -A inet / -s without one: flag_noprot). */
  readonly tcp: boolean;
  readonly sctp: boolean;
  readonly udp: boolean;
  readonly udplite: boolean;
  readonly raw: boolean;
  /** The protocols were implied, not asked for: a missing protocol file is then not an error. */
  readonly noprot: boolean;
  readonly igmp: boolean;
  /** Address families (flag_inet, flag_inet6, flag_unx ...). */
  readonly inet: boolean;
  readonly inet6: boolean;
  readonly unix: boolean;
  readonly ipx: boolean;
  readonly ax25: boolean;
  readonly netrom: boolean;
  readonly x25: boolean;
  readonly rose: boolean;
  readonly l2cap: boolean;
  readonly rfcomm: boolean;
  /** flag_arg: something specific was asked for; otherwise every table is shown and missing ones are silent. */
  readonly arg: boolean;
  /** netstat's afname: the families, comma-joined in the order given ('inet' when none). */
  readonly afname: string;
  /** flag_exp: 1 + the number of -e. */
  readonly exp: number;
  /** Host, port and user names resolved unless these are set (flag_not). */
  readonly numHost: boolean;
  readonly numPort: boolean;
  readonly numUser: boolean;
  /** -N (FLAG_SYM): routes treat it as "numeric hosts". */
  readonly symbolic: boolean;
  readonly all: boolean;
  readonly listening: boolean;
  readonly programs: boolean;
  readonly context: boolean;
  readonly timers: boolean;
  readonly wide: boolean;
  readonly verbose: boolean;
  readonly continuous: boolean;
  readonly cache: boolean;
  readonly fib: boolean;
}

export function netstatFlags(o: Options): NetstatFlags {
  const has = (name: string) => o.families.includes(name);
  let inet = has('inet');
  let inet6 = has('inet6');
  let { tcp, sctp, udp, udplite, raw } = o;
  const statistics = o.statistics;
  let noprot = false;
  // "-4", "-A inet" or -s without a protocol mean every protocol of that family.
  if ((inet || inet6 || statistics) && !(tcp || sctp || udp || udplite || raw)) {
    noprot = tcp = sctp = udp = udplite = raw = true;
  }
  const igmp = o.groups;
  if ((tcp || sctp || udp || udplite || raw || igmp) && !(inet || inet6)) inet = inet6 = true;
  const bluetooth = has('bluetooth');
  let { l2cap, rfcomm } = o;
  if (bluetooth && !(l2cap || rfcomm)) l2cap = rfcomm = true;
  const unix = has('unix');
  const flags = {
    ipx: has('ipx'),
    ax25: has('ax25'),
    netrom: has('netrom'),
    x25: has('x25'),
    rose: has('rose'),
  };
  const arg =
    tcp ||
    sctp ||
    udplite ||
    udp ||
    raw ||
    unix ||
    flags.ipx ||
    flags.ax25 ||
    flags.netrom ||
    igmp ||
    flags.x25 ||
    flags.rose ||
    l2cap ||
    rfcomm;
  const mode: NetstatMode = o.masquerade
    ? 'masquerade'
    : statistics
      ? 'statistics'
      : o.route
        ? 'route'
        : o.interfaces
          ? 'interfaces'
          : 'sockets';
  return {
    mode,
    tcp,
    sctp,
    udp,
    udplite,
    raw,
    noprot,
    igmp,
    inet,
    inet6,
    unix,
    ...flags,
    l2cap,
    rfcomm,
    arg,
    afname: o.families.join(',') || 'inet',
    exp: 1 + o.extendCount,
    numHost: o.numericHosts,
    numPort: o.numericPorts,
    numUser: o.numericUsers,
    symbolic: o.symbolic,
    all: o.all,
    listening: o.listening,
    programs: o.programs || o.context,
    context: o.context,
    timers: o.timers,
    wide: o.wide,
    verbose: o.verbose,
    continuous: o.continuous,
    cache: o.cache,
    fib: o.fib,
  };
}

/** Which inet tables a socket listing prints, in netstat's order, and for which families. */
export interface InetTables {
  readonly tcp: boolean;
  readonly sctp: boolean;
  readonly udp: boolean;
  readonly udplite: boolean;
  readonly raw: boolean;
  /** INFO_GUTS6: the IPv4 file unless only IPv6 was asked for, and the reverse. */
  readonly v4: boolean;
  readonly v6: boolean;
}

export function inetTables(f: NetstatFlags): InetTables {
  const any = !f.arg;
  return {
    tcp: any || f.tcp,
    sctp: any || f.sctp,
    udp: any || f.udp,
    udplite: any || f.udplite,
    raw: any || f.raw,
    v4: any || f.inet,
    v6: any || f.inet6,
  };
}

/** The "Active Internet connections" section is printed at all. */
export function wantsInet(f: NetstatFlags): boolean {
  return !f.arg || f.tcp || f.sctp || f.udp || f.udplite || f.raw;
}

export function wantsUnix(f: NetstatFlags): boolean {
  return !f.arg || f.unix;
}
