import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseIgmp, parseIgmp6 } from '../../src/proc/igmp.js';

function fixture(name: string, file: string): string {
  return readFileSync(new URL(`../../fixtures/${name}/proc/net/${file}`, import.meta.url), 'latin1');
}

const IGMP_HEADER = 'Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n';
const LO = '1\tlo        :     1      V3\n';
const GROUP = '\t\t\t\t010000E0     1 0:00000000\t\t0\n';

describe('parseIgmp', () => {
  it('reads the live capture', () => {
    const { rows, skipped } = parseIgmp(fixture('live-t0', 'igmp'));
    expect(skipped).toBe(0);
    expect(rows).toEqual([
      { family: 4, ifindex: 1, iface: 'lo', group: '224.0.0.1', users: 1 },
      { family: 4, ifindex: 4, iface: 'eth0', group: '224.0.0.1', users: 1 },
    ]);
  });

  it('reads two devices with several groups, users and a running timer', () => {
    const { rows, skipped } = parseIgmp(fixture('edge-net', 'igmp'));
    expect(skipped).toBe(0);
    expect(rows.map((r) => [r.ifindex, r.iface, r.group, r.users])).toEqual([
      [1, 'lo', '224.0.0.1', 1],
      [3, 'wlan0', '224.0.0.251', 2],
      [3, 'wlan0', '239.255.255.250', 1],
      [3, 'wlan0', '224.0.0.1', 1],
    ]);
  });

  const malformed: [string, string, number][] = [
    ['group line before any device', `${GROUP}${LO}${GROUP}`, 1],
    ['group not hex', `${LO}\t\t\t\t0100Z0E0     1 0:00000000\t\t0\n${GROUP}`, 1],
    ['group 7 digits', `${LO}\t\t\t\t10000E0     1 0:00000000\t\t0\n${GROUP}`, 1],
    ['users not a number', `${LO}\t\t\t\t010000E0     x 0:00000000\t\t0\n${GROUP}`, 1],
    ['group line missing the reporter', `${LO}\t\t\t\t010000E0     1 0:00000000\n${GROUP}`, 1],
    // The broken device line and the group under it are both counted; the next device recovers.
    ['device line without a colon', `1\tlo     1      V3\n${GROUP}${LO}${GROUP}`, 2],
    ['device index not a number', `x\tlo        :     1      V3\n${GROUP}${LO}${GROUP}`, 2],
    ['device name missing', `1\t:     1      V3\n${GROUP}${LO}${GROUP}`, 2],
  ];
  it.each(malformed)('skips and counts: %s', (_name, body, skippedCount) => {
    const { rows, skipped } = parseIgmp(`${IGMP_HEADER}${body}`);
    expect(skipped).toBe(skippedCount);
    expect(rows).toEqual([{ family: 4, ifindex: 1, iface: 'lo', group: '224.0.0.1', users: 1 }]);
  });

  it('returns no rows for empty text or a header alone', () => {
    expect(parseIgmp('')).toEqual({ rows: [], skipped: 0 });
    expect(parseIgmp(IGMP_HEADER)).toEqual({ rows: [], skipped: 0 });
  });
});

describe('parseIgmp6', () => {
  it('reads the live capture', () => {
    const { rows, skipped } = parseIgmp6(fixture('live-t0', 'igmp6'));
    expect(skipped).toBe(0);
    expect(rows).toHaveLength(10);
    expect(rows[0]).toEqual({ family: 6, ifindex: 1, iface: 'lo', group: 'ff02::1', users: 1 });
    expect(rows.filter((r) => r.iface === 'eth0').map((r) => r.group)).toEqual([
      'ff02::1:ff00:2',
      'ff02::1:ff00:1',
      'ff02::1',
      'ff01::1',
    ]);
  });

  it('reads the edge file', () => {
    const { rows, skipped } = parseIgmp6(fixture('edge-net', 'igmp6'));
    expect(skipped).toBe(0);
    expect(rows.map((r) => [r.ifindex, r.iface, r.group, r.users])).toEqual([
      [1, 'lo', 'ff02::1', 1],
      [3, 'wlan0', 'ff02::fb', 2],
      [3, 'wlan0', 'ff02::1:ff12:3456', 1],
      [3, 'wlan0', 'ff02::1', 1],
    ]);
  });

  const good = '4    eth0            ff020000000000000000000000000001     1 0000000C 0';
  const malformed: [string, string][] = [
    ['five fields', '4    eth0            ff020000000000000000000000000001     1 0000000C'],
    ['seven fields', `${good} 9`],
    ['group 31 digits', '4    eth0            ff02000000000000000000000000001     1 0000000C 0'],
    ['group not hex', '4    eth0            ff02000000000000000000000000000g     1 0000000C 0'],
    ['index not a number', 'x    eth0            ff020000000000000000000000000001     1 0000000C 0'],
    ['users negative', '4    eth0            ff020000000000000000000000000001    -1 0000000C 0'],
    ['an igmp device line', '1\tlo        :     1      V3'],
  ];
  it.each(malformed)('skips and counts a line: %s', (_name, line) => {
    const { rows, skipped } = parseIgmp6(`${line}\n${good}\n`);
    expect(skipped).toBe(1);
    expect(rows).toEqual([{ family: 6, ifindex: 4, iface: 'eth0', group: 'ff02::1', users: 1 }]);
  });

  it('returns no rows for empty text', () => {
    expect(parseIgmp6('')).toEqual({ rows: [], skipped: 0 });
  });
});
