// Hostile text for output tests: what no byte netwatch writes may hold raw (src/view/escape.ts).
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture } from './cli.js';

/** Every character escapeControl must replace (README, "Hostile input"). */
export const HOSTILE_CHARS: string[] = [
  ...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)),
  ...Array.from({ length: 0x21 }, (_, i) => String.fromCharCode(0x7f + i)),
  '\u00ad',
  '\u061c',
  '\u115f',
  '\u1160',
  '\u17b4',
  '\u17b5',
  '\u180e',
  '\u200b',
  '\u200c',
  '\u200d',
  '\u200e',
  '\u200f',
  '\u2028',
  '\u2029',
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202d',
  '\u202e',
  '\u2060',
  '\u2061',
  '\u2064',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\u206f',
  '\u3164',
  '\ufeff',
  '\uffa0',
  '\ufff9',
  '\ufffb',
  '\ufff0',
  '\u{1bca0}',
  '\u{1d173}',
  '\u{1d17a}',
  '\u{e0001}',
  '\u{e0041}',
  '\u{e007f}',
  '\ud800',
  '\udfff',
];

/** The raw bytes (as UTF-8) or characters no output may hold: C0 but \t \n, DEL, C1, the invisible set. */
export function rawUnsafe(text: string): string | undefined {
  const m =
    /[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufeff\uffa0\ufff0-\ufffb]|\udb40[\udc00-\udc7f]|\ud834[\udd73-\udd7a]|\ud82f[\udca0-\udca3]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.exec(
      text,
    );
  return m ? `U+${m[0].codePointAt(0)!.toString(16).padStart(4, '0')} at ${m.index}` : undefined;
}

/** The hostile set without whitespace, NUL, ':' or '|': it fits inside one field of a /proc line. */
export const HOSTILE_FIELD = HOSTILE_CHARS.filter(
  (c) => !/[\s\0]/.test(c) && c !== '\u2028' && c !== '\u2029',
)
  .join('')
  .replaceAll('\ud800\udfff', '\ud800.\udfff');

/**
 * A host root with HOSTILE_FIELD in every name a table prints: process name and command line (with the
 * whole hostile set, newlines too), user name, host name, unix path, interface (dev, routes, igmp),
 * counter groups and names (snmp, netstat, snmp6, sockstat). Built from fixtures/edge-hostile.
 */
export function writeHostileTree(dir: string): string {
  const H = HOSTILE_FIELD;
  const all = HOSTILE_CHARS.join('.');
  cpSync(fixture('edge-hostile'), dir, { recursive: true, verbatimSymlinks: true });
  const w = (rel: string, text: string) => {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };
  w('proc/100/comm', `e${H}\n`);
  w('proc/100/cmdline', `evil\0${all}\0--x${all}\0`);
  w('proc/100/status', `Name:\te${H}\nUid:\t1000\t1000\t1000\t1000\n`);
  w('etc/passwd', `root:x:0:0:root:/root:/bin/bash\nm${H}:x:1000:1000::/home/m:/bin/sh\n`);
  w('proc/sys/kernel/hostname', `host${H}\n`);
  w(
    'proc/net/unix',
    'Num       RefCount Protocol Flags    Type St Inode Path\n' +
      `0000000000000000: 00000002 00000000 00010000 0001 01 5003 /run/p${H}.sock\n` +
      `0000000000000000: 00000002 00000000 00000000 0001 03 5004 @abs${H}\n`,
  );
  w(
    'proc/net/dev',
    'Inter-|   Receive                                                |  Transmit\n' +
      ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n' +
      `eth${H}: 1 1 0 0 0 0 0 0 2 2 0 0 0 0 0 0\n`,
  );
  w(
    'proc/net/route',
    'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n' +
      `eth${H}\t00000000\t0102A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n`,
  );
  w(
    'proc/net/ipv6_route',
    `fe800000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001 eth${H}\n`,
  );
  w(
    'proc/net/igmp',
    'Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n' +
      `1\teth${H}        :     1      V3\n\t\t\t\t010000E0     1 0:00000000\t\t0\n`,
  );
  w('proc/net/netstat', `TcpExt: Sync${H}Sent ListenDrops\nTcpExt: 5 7\nG${H}: A${H}\nG${H}: 3\n`);
  w('proc/net/snmp6', `Ip6InReceives                   \t3\nIp6${H}Odd \t4\n`);
  w('proc/net/sockstat', `sockets: used 5\nTCP${H}: inuse 1 orphan 0\n`);
  mkdirSync(join(dir, `sys/class/net/eth${H}`), { recursive: true });
  w(`sys/class/net/eth${H}/operstate`, `up${H}\n`);
  w(`sys/class/net/eth${H}/mtu`, '1500\n');
  return dir;
}
