// Text for the help overlay and the details view. Pure; every string from the kernel or a process is
// already escaped in the rows, and cmdlines are escaped here.

import type { ProcessInfo, Socket } from '../model/types.js';
import { escapeControl } from './escape.js';
import { formatByteRate, formatClock, formatCount, formatDuration, formatPerSecond } from './format.js';
import { KEYMAP, type Pane } from './uistate.js';
import type { ConnectionRow, CounterRow, InterfaceRow, ListenerRow, RouteRow } from './viewmodel.js';

export function helpLines(): string[] {
  const keys = KEYMAP.map((b) => `  ${b.keys.padEnd(16)} ${b.help}`);
  return [
    ...keys,
    '',
    'Filter (/): space-separated terms, all must match; ! negates a term',
    '  port:80 sport:22 dport:443 port:8000-8100   pid:3937   state:est   proto:tcp6',
    '  addr:10.0.0.0/8 saddr:127.0.0.1 daddr:::1   cmd:nginx   user:www-data',
    '  a bare word matches any column (LISTEN, 8080, a counter name, an interface)',
    '',
    'Marks: + opened/new  - closed/gone  ~ state changed/reset  ! trouble counter climbing',
  ];
}

/**
 * The most of one field (a command line, a path) the details view escapes and wraps: whatever the host
 * holds, a frame costs what this many characters cost (the overlay then shows at most 64 wrapped lines).
 */
export const DETAIL_FIELD_MAX = 16_384;

/** `text` escaped, cut to DETAIL_FIELD_MAX first and marked when it was. */
export function detailField(text: string): string {
  if (text.length <= DETAIL_FIELD_MAX) return escapeControl(text);
  return `${escapeControl(text.slice(0, DETAIL_FIELD_MAX))}… (cut: ${text.length} characters in all)`;
}

function processLines(owners: readonly ProcessInfo[]): string[] {
  if (owners.length === 0) return ['  (no process found: kernel socket, or not readable without root)'];
  return owners.flatMap((p) => [
    `  pid ${p.pid}  ${detailField(p.command)}  uid ${p.uid}${p.user ? ` (${detailField(p.user)})` : ''}`,
    `    ${detailField(p.cmdline) || '[kernel thread or no cmdline]'}`,
  ]);
}

function socketLines(
  s: Socket,
  owners: readonly ProcessInfo[],
  firstSeen: number | undefined,
  now: number,
): string[] {
  const lines: string[] = [];
  if (s.kind === 'unix') {
    lines.push(
      `Protocol   unix ${s.type}`,
      `Path       ${detailField(s.path) || '(unbound)'}`,
      `State      ${s.state || 'UNCONN'}`,
      `Inode      ${s.inode}`,
      `RefCnt     ${s.refcount}   Flags 0x${s.flags.toString(16)}`,
    );
  } else {
    lines.push(
      `Protocol   ${s.proto}`,
      `Local      ${s.local.address} port ${s.local.port}`,
      `Remote     ${s.remote.address} port ${s.remote.port}`,
      `State      ${s.state} (0x${s.stateCode.toString(16).padStart(2, '0')})`,
      `Queues     Recv-Q ${s.recvQ}   Send-Q ${s.sendQ}`,
      `Inode      ${s.inode || '0 (TIME_WAIT / request socket: owned by the kernel)'}   uid ${s.uid}`,
      `Timer      kind ${s.timerActive}  expires ${formatDuration(Math.max(0, s.timerExpires) * 10)}  retransmits ${s.retransmits}  probes ${s.timeouts}`,
    );
    if (s.tcp) {
      lines.push(
        `TCP        rto ${s.tcp.rto * 10}ms  ato ${s.tcp.ato * 10}ms  ${s.tcp.qack === undefined ? '' : `qack ${s.tcp.qack}  `}cwnd ${s.tcp.cwnd}  ssthresh ${s.tcp.ssthresh === -1 ? '∞ (slow start)' : s.tcp.ssthresh}`,
      );
    }
    if (s.drops !== undefined) lines.push(`Drops      ${s.drops}`);
  }
  lines.push(
    `First seen ${firstSeen === undefined ? 'before netwatch started' : `${formatClock(firstSeen)} (${formatDuration(now - firstSeen)} ago)`}`,
    '',
    `Processes (${owners.length})`,
    ...processLines(owners),
  );
  return lines;
}

export type AnyRow = ConnectionRow | ListenerRow | RouteRow | InterfaceRow | CounterRow;

export function detailsLines(pane: Pane, row: AnyRow | undefined, now: number): string[] {
  if (!row) return ['Nothing selected.'];
  switch (pane) {
    case 'connections': {
      const r = row as ConnectionRow;
      return [
        ...(r.mark === '-' ? ['CLOSED (shown for a moment after it went away)', ''] : []),
        ...socketLines(r.socket, r.owners, r.firstSeen, now),
      ];
    }
    case 'listeners': {
      const r = row as ListenerRow;
      const status =
        r.status === 'gone'
          ? [`VANISHED at ${r.since === undefined ? '?' : formatClock(r.since)} — press a to acknowledge`, '']
          : r.status === 'new'
            ? [`NEW since ${r.since === undefined ? '?' : formatClock(r.since)}`, '']
            : [];
      return [
        ...status,
        ...socketLines(r.socket, r.owners, undefined, now).filter((l) => !l.startsWith('First seen')),
      ];
    }
    case 'routes': {
      const r = row as RouteRow;
      return [
        `Family      IPv${r.family}`,
        `Destination ${r.route.destination}/${r.route.prefixLength}`,
        `Gateway     ${r.route.gateway}`,
        ...(r.family === 4
          ? [`Genmask     ${r.route.genmask}`]
          : [`Source      ${r.route.source ?? '::'}/${r.route.sourcePrefixLength ?? 0}`]),
        `Flags       ${r.flags} (0x${r.route.flags.toString(16)})`,
        `Metric      ${r.metric}   RefCnt ${r.route.refcnt}   Use ${r.route.use}`,
        `MTU/Window  ${r.route.mtu} / ${r.route.window}   irtt ${r.route.irtt}`,
        `Interface   ${r.iface}`,
        ...(r.mark === '+' ? ['', 'ADDED in the last sample'] : r.mark === '-' ? ['', 'REMOVED'] : []),
      ];
    }
    case 'interfaces': {
      const r = row as InterfaceRow;
      return [
        `Interface  ${r.name}  (${r.operstate || 'unknown'}, flags ${r.flags}, MTU ${r.mtu ?? '-'})`,
        `RX         ${formatByteRate(r.rxBytesRate)}  ${formatPerSecond(r.rxPacketsRate)} pk/s   total ${formatCount(r.rxOk)} packets`,
        `TX         ${formatByteRate(r.txBytesRate)}  ${formatPerSecond(r.txPacketsRate)} pk/s   total ${formatCount(r.txOk)} packets`,
        `Errors     RX ${formatCount(r.rxErr)}  TX ${formatCount(r.txErr)}   ${formatPerSecond(r.errorsRate)}/s`,
        `Drops      RX ${formatCount(r.rxDrp)}  TX ${formatCount(r.txDrp)}   ${formatPerSecond(r.dropsRate)}/s`,
        `Overruns   RX ${formatCount(r.rxOvr)}  TX ${formatCount(r.txOvr)}`,
      ];
    }
    case 'stats': {
      const r = row as CounterRow;
      return [
        `Counter    ${r.group} ${r.name}  (nstat: ${r.group}${r.name})`,
        `Meaning    ${r.description ?? '-'}`,
        `Value      ${formatCount(r.value)}`,
        `Kind       ${r.gauge ? 'gauge (a level, no rate)' : 'counter'}${r.trouble ? ', signals trouble when it climbs' : ''}`,
        `Delta      ${r.delta === undefined ? (r.reset ? 'reset this sample' : '-') : r.delta.toString()}`,
        `Rate       ${r.rate === undefined ? '-' : `${formatPerSecond(r.rate)}/s`}`,
      ];
    }
  }
}
