// Text for the help overlay and the details view. Pure; every string from the kernel or a process is
// already escaped in the rows, and cmdlines are escaped here.

import { seriesKey } from '../model/livestore.js';
import { readMem, type TcpInfoTable, tcpFieldsAt, tcpIndex, tcpStatsAt } from '../model/tcpinfo.js';
import type { ProcessInfo, Socket } from '../model/types.js';
import { escapeControl } from './escape.js';
import { formatByteRate, formatClock, formatCount, formatDuration, formatPerSecond } from './format.js';
import { fitHistory } from './overview.js';
import { sparkline } from './sparkline.js';
import { KEYMAP, type Pane } from './uistate.js';
import type {
  ConnectionRow,
  CounterRow,
  EventRow,
  InterfaceRow,
  ListenerRow,
  ProcessRow,
  RouteRow,
} from './viewmodel.js';

export function helpLines(): string[] {
  const keys = KEYMAP.map((b) => `  ${b.keys.padEnd(16)} ${b.help}`);
  return [
    ...keys,
    '',
    'Filter (/): space-separated terms, all must match; ! negates a term; a,b is either',
    '  port:80,443 sport:22 dport:443 port:8000-8100   pid:3937   state:est,tw   proto:tcp6',
    '  addr:10.0.0.0/8 saddr:127.0.0.1 daddr:::1   cmd:nginx (name or command line)   user:www-data',
    '  rtt>50ms  retr>0  rx>1MB/s  tx<10KiB/s   (tcp_info)      kind:listener  kind:iface-down (Events)',
    '  a bare word matches any column (LISTEN, 8080, a counter name, an interface)',
    '',
    'Marks: + opened/new  - closed/gone  ~ changed/restarted/reset  ! climbing, retransmitting, alert',
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

function unitText(value: bigint, unit: string): string {
  const n = Number(value);
  switch (unit) {
    case 'us':
      return n >= 1_000_000
        ? `${(n / 1_000_000).toFixed(2)} s`
        : n >= 1000
          ? `${(n / 1000).toFixed(2)} ms`
          : `${n} µs`;
    case 'ms':
      return n >= 1000 ? `${(n / 1000).toFixed(1)} s` : `${n} ms`;
    case 'bytes':
      return `${value} B${n >= 1024 ? ` (${formatByteRate(n).replace('/s', '')})` : ''}`;
    case 'bytes/s':
      return formatByteRate(n);
    default:
      return value.toString();
  }
}

/** Everything tcp_info and skmeminfo say of one connection, with units; none when it has no tcp_info. */
function tcpInfoLines(s: Socket, tcp: TcpInfoTable | undefined): string[] {
  if (!tcp || s.kind !== 'inet') return [];
  const i = tcpIndex(tcp, s);
  if (i < 0) return [];
  const m = tcpStatsAt(tcp, i);
  const lines = [
    '',
    `Throughput RX ${formatByteRate(m.rxBps)}  TX ${formatByteRate(m.txBps)}  retransmits ${m.retransPerSec === undefined ? '-' : `${formatPerSecond(m.retransPerSec)}/s`}  (tcp_info, over the last sample)`,
  ];
  for (const f of tcpFieldsAt(tcp, i))
    lines.push(`  ${f.field.label.padEnd(30)} ${unitText(f.value, f.field.unit)}`);
  const mem = readMem(tcp.words, tcp.at[i]!, tcp.layout);
  if (mem) {
    const use = (used: number | undefined, size: number | undefined) =>
      used === undefined || size === undefined || size === 0
        ? '-'
        : `${used} of ${size} B (${Math.round((used / size) * 100)}%)`;
    lines.push(
      `Buffers    receive ${use(mem.rmemAlloc, mem.rcvBuf)}   send ${use(mem.wmemQueued, mem.sndBuf)}${mem.drops ? `   drops ${mem.drops}` : ''}`,
    );
  }
  return lines;
}

function socketLines(
  s: Socket,
  owners: readonly ProcessInfo[],
  firstSeen: number | undefined,
  now: number,
  tcp?: TcpInfoTable,
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
    lines.push(...tcpInfoLines(s, tcp));
  }
  lines.push(
    `First seen ${firstSeen === undefined ? 'before netwatch started' : `${formatClock(firstSeen)} (${formatDuration(now - firstSeen)} ago)`}`,
    '',
    `Processes (${owners.length})`,
    ...processLines(owners),
  );
  return lines;
}

export type AnyRow =
  | ConnectionRow
  | ListenerRow
  | RouteRow
  | InterfaceRow
  | CounterRow
  | ProcessRow
  | EventRow;

/** A rate history accessor (LiveView.series), for the sparklines of counter details. */
export type SeriesOf = (key: string, n: number) => (number | undefined)[];

/** Samples shown in a details sparkline: the last two minutes at the default interval, a column each. */
const DETAILS_HISTORY = 120;

export function detailsLines(
  pane: Pane,
  row: AnyRow | undefined,
  now: number,
  series?: SeriesOf,
  width = 80,
  tcp?: TcpInfoTable,
): string[] {
  if (pane === 'overview')
    return [
      'The Overview has no rows of its own. Its figures:',
      '  Trouble     rates of the kernel counters (Stats pane, 6); ! marks one that climbed in the last minute',
      '  Traffic     RX/TX of every interface but loopback (Interfaces pane, 5)',
      '  Sockets     TCP sockets by state, listeners, UDP, raw and unix sockets; conntrack use / limit',
      '  Changes     listeners that appeared, vanished or restarted; links and routes (Listeners pane, 3)',
    ];
  if (!row) return ['Nothing selected.'];
  switch (pane) {
    case 'connections': {
      const r = row as ConnectionRow;
      return [
        ...(r.mark === '-' ? ['CLOSED (shown for a moment after it went away)', ''] : []),
        ...socketLines(r.socket, r.owners, r.firstSeen, now, tcp),
      ];
    }
    case 'listeners': {
      const r = row as ListenerRow;
      const status =
        r.status === 'gone'
          ? [`VANISHED at ${r.since === undefined ? '?' : formatClock(r.since)} — press a to acknowledge`, '']
          : r.status === 'new'
            ? [`NEW since ${r.since === undefined ? '?' : formatClock(r.since)}`, '']
            : r.status === 'restarted' && r.restart
              ? [
                  `RESTARTED at ${formatClock(r.restart.at)}: pid ${r.restart.beforePids.join(',') || '?'} → ${r.restart.afterPids.join(',') || '?'}${r.restart.downMs === undefined ? ' (within one sample)' : `, down ${formatDuration(r.restart.downMs)}`} — press a to acknowledge`,
                  '',
                ]
              : [];
      const queue =
        r.queue === undefined
          ? []
          : r.socket.kind === 'inet' && r.socket.state === 'LISTEN'
            ? [
                `Accept     ${r.queue} waiting${r.backlog === undefined ? ' (backlog limit: needs sock_diag)' : ` of ${r.backlog} (listen backlog)`}${r.full ? ' — FULL: new connections are dropped (TcpExt ListenOverflows)' : ''}`,
              ]
            : [`Queue      ${r.queue} bytes waiting to be read`];
      return [
        ...status,
        ...queue,
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
      const change = r.change ? [`Change     ${r.change.change} at ${formatClock(r.change.at)}`, ''] : [];
      const spark = Math.max(10, Math.min(DETAILS_HISTORY, width - 14));
      return [
        ...change,
        `Interface  ${r.name}  (${r.operstate || 'unknown'}, flags ${r.flags}, MTU ${r.mtu ?? '-'})`,
        `RX         ${formatByteRate(r.rxBytesRate)}  ${formatPerSecond(r.rxPacketsRate)} pk/s   total ${formatCount(r.rxOk)} packets`,
        `TX         ${formatByteRate(r.txBytesRate)}  ${formatPerSecond(r.txPacketsRate)} pk/s   total ${formatCount(r.txOk)} packets`,
        `Errors     RX ${formatCount(r.rxErr)}  TX ${formatCount(r.txErr)}   ${formatPerSecond(r.errorsRate)}/s`,
        `Drops      RX ${formatCount(r.rxDrp)}  TX ${formatCount(r.txDrp)}   ${formatPerSecond(r.dropsRate)}/s`,
        `Overruns   RX ${formatCount(r.rxOvr)}  TX ${formatCount(r.txOvr)}`,
        '',
        `RX history ${sparkline(fitHistory(r.history.rx, spark), spark)}`,
        `TX history ${sparkline(fitHistory(r.history.tx, spark), spark)}`,
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
        ...counterHistory(r, series, width),
      ];
    }
    case 'processes':
      return processDetails(row as ProcessRow, tcp);
    case 'events': {
      const e = (row as EventRow).event;
      return [
        `Time       ${formatClock(e.time)} (${formatDuration(now - e.time)} ago)${e.source === 'netlink' ? ', from a kernel notification between samples' : ''}`,
        `Kind       ${e.kind}${(row as EventRow).alerted ? '   (an alert rule fired on it)' : ''}`,
        `Object     ${escapeControl(e.object)}`,
        `Detail     ${escapeControl(e.detail)}`,
      ];
    }
  }
}

function counterHistory(r: CounterRow, series: SeriesOf | undefined, width: number): string[] {
  if (r.gauge) return [];
  const lines: string[] = [];
  if (series) {
    const dot = r.key.indexOf('.');
    const values = series(seriesKey.counter(r.key.slice(0, dot), r.key.slice(dot + 1)), DETAILS_HISTORY);
    const w = Math.max(10, Math.min(DETAILS_HISTORY, width - 14));
    let peak = 0;
    for (const v of values) if (v !== undefined && v > peak) peak = v;
    lines.push(
      '',
      `History    ${sparkline(fitHistory(values, w), w)}`,
      `           last ${values.length} samples, peak ${formatPerSecond(peak)}/s`,
    );
  }
  if (r.trouble) {
    lines.push('', r.climbs.length === 0 ? 'Climbs     none since netwatch started' : 'Last climbs');
    for (const c of [...r.climbs].reverse()) lines.push(`  ${formatClock(c.at)}  +${c.delta}`);
  }
  return lines;
}

function processDetails(r: ProcessRow, tcp: TcpInfoTable | undefined): string[] {
  const head =
    r.group === 'process' && r.process
      ? [
          `Process    ${r.label}  uid ${r.process.uid}${r.process.user ? ` (${escapeControl(r.process.user)})` : ''}`,
          `Command    ${escapeControl(r.process.cmdline) || '[kernel thread or no cmdline]'}`,
        ]
      : [
          `${r.group === 'remote' ? 'Remote    ' : 'Service   '} ${r.label}`,
          `Processes  ${r.pids.join(' ') || '-'}`,
        ];
  const traffic = [
    `Traffic    RX ${formatByteRate(r.rxBps)}  TX ${formatByteRate(r.txBps)}  retransmits ${r.retransPerSec === undefined ? '-' : `${formatPerSecond(r.retransPerSec)}/s`}  share ${r.share === undefined ? '-' : `${Math.round(r.share * 100)}%`}`,
    `Sockets    listen ${r.listeners}  established ${r.established}  time-wait ${r.timeWait}  close-wait ${r.closeWait}  other tcp ${r.otherTcp}  udp ${r.udp}  raw ${r.raw}  unix ${r.unix}`,
    '           (UDP and raw sockets have no byte counters in the kernel: counted, no rate)',
    '',
    `Its sockets (${r.sockets.length})`,
  ];
  const lines = r.sockets.slice(0, 200).map((s) => {
    if (s.kind === 'unix')
      return `  unix ${s.type.toLowerCase()} ${escapeControl(s.path) || '*'} ${s.state || 'UNCONN'}`;
    const ep = (a: string, p: number) => `${a.includes(':') ? `[${a}]` : a}:${p}`;
    let figures = '';
    if (tcp) {
      const i = tcpIndex(tcp, s);
      if (i >= 0) {
        const m = tcpStatsAt(tcp, i);
        figures = `  RX ${formatByteRate(m.rxBps)} TX ${formatByteRate(m.txBps)} rtt ${m.rttUs === undefined ? '-' : `${(m.rttUs / 1000).toFixed(1)}ms`} retr ${m.totalRetrans ?? '-'}`;
      }
    }
    return `  ${s.proto.padEnd(8)} ${ep(s.local.address, s.local.port)} → ${ep(s.remote.address, s.remote.port)} ${s.state}${figures}`;
  });
  if (r.sockets.length > 200) lines.push(`  … and ${r.sockets.length - 200} more`);
  return [...head, ...traffic, ...lines];
}
