// /proc/net/igmp and /proc/net/igmp6: multicast groups joined per interface.
//
// igmp (igmp_mc_seq_show) prints a device line before the first group of each device and indents the
// group lines with tabs:
//   1\tlo        :     1      V3
//   \t\t\t\t010000E0     1 0:00000000\t\t0
// The group is %08X of a host-order word (little-endian host assumed, as in addr.ts).
// igmp6 (igmp6_mc_seq_show) has one self-contained line per group, the group as %pi6 (network order):
//   1    lo              ff020000000000000000000000000001     1 0000000C 0
import { capName, LINE_MAX } from '../model/bounds.js';
import type { MulticastGroup, Parsed } from '../model/types.js';
import { tryDecodeIPv4Hex } from './addr.js';
import { networkOrderIPv6 } from './ipv6route.js';

const DECIMAL = /^\d{1,10}$/;

function decimal(field: string | undefined): number | undefined {
  return field !== undefined && DECIMAL.test(field) ? Number(field) : undefined;
}

interface Device {
  readonly ifindex: number;
  readonly iface: string;
}

/** `IDX\tNAME      : COUNT QUERIER` → the device, or undefined. */
function parseDeviceLine(line: string): Device | undefined {
  const colon = line.lastIndexOf(':');
  if (colon < 0) return undefined;
  const left = line.slice(0, colon).trim().split(/\s+/);
  const right = line
    .slice(colon + 1)
    .trim()
    .split(/\s+/);
  if (left.length !== 2 || right.length !== 2) return undefined;
  const ifindex = decimal(left[0]);
  if (ifindex === undefined || decimal(right[0]) === undefined) return undefined;
  return { ifindex, iface: capName(left[1]!) };
}

/** `GROUP USERS RUNNING:TIMER REPORTER` under the current device → the group, or undefined. */
function parseGroupLine(line: string, device: Device): MulticastGroup | undefined {
  const fields = line.trim().split(/\s+/);
  if (fields.length !== 4) return undefined;
  const group = tryDecodeIPv4Hex(fields[0]!);
  const users = decimal(fields[1]);
  if (group === undefined || users === undefined) return undefined;
  return { family: 4, ifindex: device.ifindex, iface: device.iface, group, users };
}

/** /proc/net/igmp text → IPv4 groups. Group lines with no valid device line above them are skipped. */
export function parseIgmp(text: string): Parsed<MulticastGroup> {
  const rows: MulticastGroup[] = [];
  let skipped = 0;
  let device: Device | undefined;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (line.startsWith('Idx')) continue;
    if (line.length > LINE_MAX) {
      skipped++; // no igmp line is that long: do not split megabytes into tokens
      continue;
    }
    // Group lines are indented; device lines start with the interface index.
    if (line.startsWith('\t') || line.startsWith(' ')) {
      const group = device === undefined ? undefined : parseGroupLine(line, device);
      if (group === undefined) skipped++;
      else rows.push(group);
    } else {
      device = parseDeviceLine(line);
      // A broken device line also orphans its groups, which then count as skipped one by one.
      if (device === undefined) skipped++;
    }
  }
  return { rows, skipped };
}

function parseIgmp6Line(fields: readonly string[]): MulticastGroup | undefined {
  if (fields.length !== 6) return undefined;
  const ifindex = decimal(fields[0]);
  const group = networkOrderIPv6(fields[2]!);
  const users = decimal(fields[3]);
  if (ifindex === undefined || group === undefined || users === undefined) return undefined;
  return { family: 6, ifindex, iface: capName(fields[1]!), group, users };
}

/** /proc/net/igmp6 text → IPv6 groups. */
export function parseIgmp6(text: string): Parsed<MulticastGroup> {
  const rows: MulticastGroup[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (trimmed.length > LINE_MAX) {
      skipped++;
      continue;
    }
    const group = parseIgmp6Line(trimmed.split(/\s+/));
    if (group === undefined) skipped++;
    else rows.push(group);
  }
  return { rows, skipped };
}
