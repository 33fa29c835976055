// netstat -i and -i -e: net-tools 2.10 lib/interface.c (if_readlist, nstrcmp order, ife_print_short and
// ife_print_long, the ifconfig-style blocks). Pure: interfaces, addresses and sysfs values in, lines out.
import type { Interface } from '../../model/types.js';
import type { IfInet6 } from '../../proc/ifinet6.js';
import type { Ipv4Address } from '../../sample/ifaddrs.js';
import { escapeControl } from '../../view/escape.js';
import { fixV4, ntop6 } from './hosts.js';

export type { Ipv4Address };

/** What -i -e shows beyond /proc/net/dev and the flags: /sys/class/net/IFACE/{type,address,tx_queue_len}. */
export interface LinkInfo {
  readonly type?: number;
  /** The hardware address as sysfs prints it (hex bytes with ':'), '' when it has none. */
  readonly address?: string;
  readonly txQueueLen?: number;
}

const IFF_UP = 0x1;
const IFF_BROADCAST = 0x2;
const IFF_POINTOPOINT = 0x10;
const IFF_RUNNING = 0x40;

/** The alias suffix ":N" of a label and the label without it (cutalias). */
function cutAlias(name: string): { base: string; alias: string | undefined } {
  let digit = false;
  for (let pos = name.length; pos > 0; pos--) {
    const c = name.charCodeAt(pos - 1);
    if (c === 58 /* : */ && digit) return { base: name.slice(0, pos - 1), alias: name.slice(pos) };
    if (c < 48 || c > 57) break;
    digit = true;
  }
  return { base: name, alias: undefined };
}

function rindexNonDigit(name: string): number {
  for (let pos = name.length; pos > 0; pos--) {
    const c = name.charCodeAt(pos - 1);
    if (c < 48 || c > 57) return pos;
  }
  return 0;
}

function strcmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** net-tools' nstrcmp: like strcmp, but a trailing number and a ":N" alias compare as numbers (eth2 < eth10). */
export function nstrcmp(ap: string, bp: string): number {
  const { base: a, alias: aAlias } = cutAlias(ap);
  const { base: b, alias: bAlias } = cutAlias(bp);
  const ai = rindexNonDigit(a);
  const bi = rindexNonDigit(b);
  const res = strcmp(a.slice(0, Math.min(ai, bi)), b.slice(0, Math.min(ai, bi)));
  if (res !== 0) return res;
  if (ai !== bi) return ai > bi ? 1 : -1;
  const av = Number.parseInt(a.slice(ai), 10) || 0;
  const bv = Number.parseInt(b.slice(bi), 10) || 0;
  if (av !== bv) return av < bv ? -1 : 1;
  const whole = strcmp(a, b);
  if (whole !== 0) return whole;
  const aa = aAlias === undefined ? -1 : Number.parseInt(aAlias, 10) || 0;
  const ba = bAlias === undefined ? -1 : Number.parseInt(bAlias, 10) || 0;
  if (aa !== ba) return aa < ba ? -1 : 1;
  return aAlias !== undefined && bAlias !== undefined ? strcmp(aAlias, bAlias) : 0;
}

/** One entry of netstat's interface list: a device of /proc/net/dev or an address label. */
export interface ListedInterface {
  readonly name: string;
  /** The device of /proc/net/dev with the counters (undefined for an alias label: no statistics). */
  readonly dev: Interface | undefined;
  /** The device the flags and MTU come from (the alias's own device). */
  readonly base: Interface | undefined;
}

/**
 * if_readlist: the names of /proc/net/dev, then the IPv4 address labels (SIOCGIFCONF), kept sorted by
 * nstrcmp with duplicates merged.
 */
export function interfaceList(devs: readonly Interface[], ipv4: readonly Ipv4Address[]): ListedInterface[] {
  const byName = new Map(devs.map((d) => [d.name, d]));
  const list: string[] = [];
  const add = (name: string) => {
    let i = list.length;
    while (i > 0) {
      const n = nstrcmp(list[i - 1]!, name);
      if (n === 0) return;
      if (n < 0) break;
      i--;
    }
    list.splice(i, 0, name);
  };
  for (const d of devs) add(d.name);
  for (const a of ipv4) add(a.label);
  return list.map((name) => ({
    name,
    dev: byName.get(name),
    base: byName.get(name) ?? byName.get(cutAlias(name).base),
  }));
}

/**
 * The flags SIOCGIFFLAGS reports, from sysfs: the low 16 bits of dev->flags, with IFF_RUNNING set as the
 * kernel sets it (up, and operstate up or unknown).
 */
export function ioctlFlags(i: Interface | undefined): number {
  if (!i) return 0;
  let flags = (i.flags ?? 0) & 0xffff & ~IFF_RUNNING;
  if ((flags & IFF_UP) !== 0 && (i.operstate === 'up' || i.operstate === 'unknown')) flags |= IFF_RUNNING;
  return flags;
}

const SHORT_LETTERS: readonly (readonly [number, string])[] = [
  [0x200, 'A'],
  [0x2, 'B'],
  [0x4, 'D'],
  [0x8, 'L'],
  [0x1000, 'M'],
  [0x8000, 'd'],
  [0x100, 'P'],
  [0x20, 'N'],
  [0x80, 'O'],
  [0x10, 'P'],
  [0x800, 's'],
  [0x400, 'm'],
  [0x40, 'R'],
  [0x1, 'U'],
];

const LONG_NAMES: readonly (readonly [number, string])[] = [
  [0x1, 'UP'],
  [0x2, 'BROADCAST'],
  [0x4, 'DEBUG'],
  [0x8, 'LOOPBACK'],
  [0x10, 'POINTOPOINT'],
  [0x20, 'NOTRAILERS'],
  [0x40, 'RUNNING'],
  [0x80, 'NOARP'],
  [0x100, 'PROMISC'],
  [0x200, 'ALLMULTI'],
  [0x800, 'SLAVE'],
  [0x400, 'MASTER'],
  [0x1000, 'MULTICAST'],
  [0x8000, 'DYNAMIC'],
];

export const INTERFACE_TITLE = 'Kernel Interface table';
export const SHORT_HEADER =
  'Iface             MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP TX-OVR Flg';

/** ife_print_short: one line per interface. */
export function shortLine(entry: ListedInterface): string {
  const flags = ioctlFlags(entry.base);
  let line = `${escapeControl(entry.name).slice(0, 15).padEnd(15)} ${String(entry.base?.mtu ?? 0).padStart(5)} `;
  const d = entry.dev;
  if (d) {
    const n = (v: bigint, w: number) => v.toString().padStart(w);
    line += `${n(d.rxPackets, 8)} ${n(d.rxErrs, 6)} ${n(d.rxDrop, 6)} ${d.rxFifo.toString().padEnd(6)} `;
    line += `${n(d.txPackets, 8)} ${n(d.txErrs, 6)} ${n(d.txDrop, 6)} ${n(d.txFifo, 6)} `;
  } else {
    line += '     - no statistics available -'.padEnd(56);
  }
  if (flags === 0) line += '[NO FLAGS]';
  for (const [bit, letter] of SHORT_LETTERS) if ((flags & bit) !== 0) line += letter;
  return line;
}

/** "1.5 KiB": netstat's one-decimal size, exact for any 64-bit count (integer arithmetic, as in C). */
export function humanBytes(bytes: bigint): string {
  const units: [bigint, string][] = [
    [1n << 50n, 'PiB'],
    [1n << 40n, 'TiB'],
    [1n << 30n, 'GiB'],
    [1n << 20n, 'MiB'],
    [1n << 10n, 'KiB'],
  ];
  let tenths = bytes * 10n;
  let unit = 'B';
  if (bytes > 1n << 60n) {
    tenths = bytes / 115292150460684697n;
    unit = 'EiB';
  } else {
    for (const [size, name] of units) {
      if (bytes > size) {
        tenths /= size;
        unit = name;
        break;
      }
    }
  }
  return `${tenths / 10n}.${tenths % 10n} ${unit}`;
}

interface HwType {
  readonly name: string;
  readonly title: string;
  readonly print?: (address: string) => string;
}

function macBytes(address: string): number[] {
  return address === '' ? [] : address.split(':').map((h) => Number.parseInt(h, 16) || 0);
}

/** pr_unspec: the 16 bytes of a sockaddr's data, of which SIOCGIFHWADDR fills (and netstat keeps) 8. */
function unspecAddress(address: string): string {
  const bytes = macBytes(address).slice(0, 8);
  while (bytes.length < 16) bytes.push(0);
  return bytes.map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join('-');
}

const UNSPEC: HwType = { name: 'unspec', title: 'UNSPEC', print: unspecAddress };

/** lib/hw.c's types this build of net-tools names; any other type prints as UNSPEC. */
const HW_TYPES: ReadonlyMap<number, HwType> = new Map([
  [772, { name: 'loop', title: 'Local Loopback' }],
  [
    1,
    {
      name: 'ether',
      title: 'Ethernet',
      print: (a: string) =>
        macBytes(a)
          .concat([0, 0, 0, 0, 0, 0])
          .slice(0, 6)
          .map((b) => b.toString(16).padStart(2, '0'))
          .join(':'),
    },
  ],
  [512, { name: 'ppp', title: 'Point-to-Point Protocol' }],
  [768, { name: 'tunnel', title: 'IPIP Tunnel', print: () => '' }],
  [776, { name: 'sit', title: 'IPv6-in-IPv4' }],
]);

function flagsWord(flags: number): string {
  // ifr_flags is a short: IFF_DYNAMIC (0x8000) reads as negative.
  const signed = flags & 0x8000 ? flags - 0x10000 : flags;
  let text = `flags=${signed}<`;
  if (flags === 0) text += '>';
  for (const [bit, name] of LONG_NAMES) if ((flags & bit) !== 0) text += `${name},`;
  return text.endsWith(',') ? `${text.slice(0, -1)}>` : text.slice(0, -1);
}

function scopeText(scope: number): string {
  let text = '<';
  let s = scope;
  if (s & 0x80) {
    text += 'compat,';
    s -= 0x80;
  }
  if (s === 0) text += 'global,';
  if (s & 0x20) text += 'link,';
  if (s & 0x40) text += 'site,';
  if (s & 0x10) text += 'host,';
  return text.endsWith(',') ? `${text.slice(0, -1)}>` : text.slice(0, -1);
}

/** ife_print_long: the ifconfig-style block of one interface, with its blank line. */
export function longBlock(
  entry: ListedInterface,
  ipv4: Ipv4Address | undefined,
  ipv6: readonly IfInet6[],
  link: LinkInfo,
): string[] {
  const flags = ioctlFlags(entry.base);
  const name = escapeControl(entry.name);
  const out = [`${name}: ${flagsWord(flags)}  mtu ${entry.base?.mtu ?? 0}`];
  if (ipv4) {
    let line = `        inet ${ipv4.address}  netmask ${ipv4.netmask}`;
    if (flags & IFF_BROADCAST) line += `  broadcast ${ipv4.broadcast ?? '0.0.0.0'}`;
    if (flags & IFF_POINTOPOINT) line += `  destination ${ipv4.destination ?? '0.0.0.0'}`;
    out.push(line);
  }
  for (const a of ipv6) {
    if (a.device !== entry.name) continue;
    const text = fixV4(ntop6(a.address), a.address);
    out.push(
      `        inet6 ${text}  prefixlen ${a.prefixLength}  scopeid 0x${a.scope.toString(16)}${scopeText(a.scope)}`,
    );
  }
  const hw = link.type === undefined ? UNSPEC : (HW_TYPES.get(link.type) ?? UNSPEC);
  let line = hw.print ? `        ${hw.name} ${hw.print(link.address ?? '')}` : `        ${hw.name}`;
  if (link.txQueueLen !== undefined) line += `  txqueuelen ${link.txQueueLen}`;
  out.push(`${line}  (${hw.title})`);
  const d = entry.dev;
  if (d) {
    out.push(`        RX packets ${d.rxPackets}  bytes ${d.rxBytes} (${humanBytes(d.rxBytes)})`);
    out.push(`        RX errors ${d.rxErrs}  dropped ${d.rxDrop}  overruns ${d.rxFifo}  frame ${d.rxFrame}`);
    out.push(`        TX packets ${d.txPackets}  bytes ${d.txBytes} (${humanBytes(d.txBytes)})`);
    out.push(
      `        TX errors ${d.txErrs}  dropped ${d.txDrop} overruns ${d.txFifo}  carrier ${d.txCarrier}  collisions ${d.txColls}`,
    );
  }
  out.push('');
  return out;
}

/** The interfaces netstat lists: up ones, or all with -a. */
export function shownInterfaces(list: readonly ListedInterface[], all: boolean): ListedInterface[] {
  return list.filter((e) => all || (ioctlFlags(e.base) & IFF_UP) !== 0);
}
