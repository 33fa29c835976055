// /sys/class/net/IFACE/{mtu,flags,ifindex,operstate,speed}: one value per file. The parser is pure; the
// reader beside it is the thin I/O shell, reading each attribute on its own so that one refusal costs
// only that attribute.
import { capName } from '../model/bounds.js';
import type { SysNetInfo } from '../model/types.js';

export interface SysNetFiles {
  readonly mtu?: string;
  readonly flags?: string;
  readonly ifindex?: string;
  readonly operstate?: string;
  readonly speed?: string;
}

const UNSIGNED = /^\d{1,10}$/;
const SIGNED = /^-?\d{1,10}$/;
// The kernel prints flags with %#x, which gives a bare '0' (no 0x) for an interface with no flags.
const FLAGS = /^(?:0x)?[0-9a-f]{1,8}$/i;

function unsigned(text: string | undefined): number | undefined {
  const t = text?.trim();
  return t !== undefined && UNSIGNED.test(t) ? Number(t) : undefined;
}

/** Attribute file contents → values; anything absent or unparsable is left out. Never throws. */
export function parseSysNet(files: SysNetFiles): SysNetInfo {
  const info: { -readonly [K in keyof SysNetInfo]: SysNetInfo[K] } = {};
  const mtu = unsigned(files.mtu);
  if (mtu !== undefined) info.mtu = mtu;
  const flags = files.flags?.trim();
  if (flags !== undefined && FLAGS.test(flags)) info.flags = Number.parseInt(flags, 16);
  const ifindex = unsigned(files.ifindex);
  if (ifindex !== undefined) info.ifindex = ifindex;
  const operstate = files.operstate?.trim();
  if (operstate) info.operstate = capName(operstate);
  // -1 is SPEED_UNKNOWN (no link, or a driver that cannot tell).
  const speed = files.speed?.trim();
  if (speed !== undefined && SIGNED.test(speed) && Number(speed) >= 0) info.speed = Number(speed);
  return info;
}

const ATTRIBUTES = ['mtu', 'flags', 'ifindex', 'operstate', 'speed'] as const;

/** What readSysNet needs of a reader (src/sample/reader.ts HostReader has it); parsers import no sampling code. */
export interface TextSource {
  /** At most `limit` bytes of the file (src/sample/reader.ts HostReader.readText). */
  readText(rel: string, limit?: number): string | undefined;
}

/** Read cap of one attribute file: each holds one short value. */
const ATTRIBUTE_LIMIT = 4096;

/**
 * Reads and parses the attributes of one interface. Any error on one file makes just that attribute
 * missing: speed fails with EINVAL on virtual devices, and the device may vanish between files.
 */
export function readSysNet(reader: TextSource, iface: string): SysNetInfo {
  // The name ends up in a path: refuse what the kernel would never name a device.
  if (iface === '' || iface === '.' || iface === '..' || iface.includes('/')) return {};
  const files: { -readonly [K in keyof SysNetFiles]: string } = {};
  for (const attribute of ATTRIBUTES) {
    try {
      const text = reader.readText(`sys/class/net/${iface}/${attribute}`, ATTRIBUTE_LIMIT);
      if (text !== undefined) files[attribute] = text;
    } catch {
      // Unreadable counts as missing, as documented on SysNetInfo.
    }
  }
  return parseSysNet(files);
}

const IFF_UP = 0x1;
const IFF_RUNNING = 0x40;

// netstat -i's Flg letters in the order net-tools 2.10 prints them (lib/interface.c ife_print_short),
// confirmed against `netstat -ia` here: PROMISC's 'P' comes before NOARP's 'O', POINTOPOINT's 'P' after.
const IFACE_LETTERS: readonly (readonly [number, string])[] = [
  [0x200, 'A'], // ALLMULTI
  [0x2, 'B'], // BROADCAST
  [0x4, 'D'], // DEBUG
  [0x8, 'L'], // LOOPBACK
  [0x1000, 'M'], // MULTICAST
  [0x8000, 'd'], // DYNAMIC
  [0x100, 'P'], // PROMISC
  [0x20, 'N'], // NOTRAILERS
  [0x80, 'O'], // NOARP
  [0x10, 'P'], // POINTOPOINT
  [0x800, 's'], // SLAVE
  [0x400, 'm'], // MASTER
];

/**
 * netstat -i's Flg column, e.g. 0x1003 + 'up' → 'BMRU', 0x9 + 'unknown' → 'LRU'. The sysfs flags file
 * lacks IFF_RUNNING (netstat gets it from SIOCGIFFLAGS), so R is derived as the kernel does
 * (netif_oper_up): operstate 'up' or 'unknown', and only with IFF_UP set.
 * No flags at all gives netstat's '[NO FLAGS]'.
 */
export function netstatIfaceFlags(flags: number, operstate?: string): string {
  if (flags === 0) return '[NO FLAGS]';
  let text = '';
  for (const [bit, letter] of IFACE_LETTERS) {
    if ((flags & bit) !== 0) text += letter;
  }
  const up = (flags & IFF_UP) !== 0;
  const running = (flags & IFF_RUNNING) !== 0 || (up && (operstate === 'up' || operstate === 'unknown'));
  if (running) text += 'R';
  if (up) text += 'U';
  return text;
}
