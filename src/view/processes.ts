// Processes pane rows: who holds sockets and who is sending, without packet capture. One row per process
// (or, toggled, per remote address or per local service), with its listeners, its connections by state,
// and the sum of its TCP connections' throughput and retransmits from tcp_info. UDP and raw sockets have no
// byte counters in the kernel: they are counted, never given a rate.
//
// Attribution: a socket counts for every process that holds it, but its traffic goes to its first holder
// only, so the shares add up to 100 % (a listening socket inherited by every nginx worker would otherwise
// be counted once per worker).
import { isListener } from '../model/diff.js';
import type { LiveView } from '../model/livestore.js';
import { RATES, tcpIndex, tcpRates } from '../model/tcpinfo.js';
import type { InetSocket, ProcessInfo, Socket } from '../model/types.js';
import type { NameResolver } from '../sample/names.js';
import { escapeControl } from './escape.js';
import { type Comparator, cmpStr, NO_OWNERS, type RowBase, sorted } from './rows.js';

export type ProcessGroup = 'process' | 'remote' | 'service';
export const PROCESS_GROUPS: readonly ProcessGroup[] = ['process', 'remote', 'service'];

export interface ProcessRow extends RowBase {
  readonly group: ProcessGroup;
  /** What the row is: "3937/nginx", a remote address, or "tcp :443 (https)". Escaped. */
  readonly label: string;
  /** The process, for the process grouping. */
  readonly process: ProcessInfo | undefined;
  readonly user: string;
  /** Processes involved (the remote and service groupings), pids ascending. */
  readonly pids: readonly number[];
  readonly listeners: number;
  readonly established: number;
  readonly timeWait: number;
  readonly closeWait: number;
  /** TCP sockets in any other state. */
  readonly otherTcp: number;
  readonly udp: number;
  readonly raw: number;
  readonly unix: number;
  /** Sums over its TCP connections' tcp_info; undefined when none has a rate (yet, or no tcp_info). */
  readonly rxBps: number | undefined;
  readonly txBps: number | undefined;
  readonly retransPerSec: number | undefined;
  /** Its share of all TCP bytes per second (rx + tx), 0–1; undefined when there is no traffic figure. */
  readonly share: number | undefined;
  readonly sockets: readonly Socket[];
}

interface Acc {
  key: string;
  label: string;
  process: ProcessInfo | undefined;
  user: string;
  pids: Set<number>;
  listeners: number;
  established: number;
  timeWait: number;
  closeWait: number;
  otherTcp: number;
  udp: number;
  raw: number;
  unix: number;
  rx: number | undefined;
  tx: number | undefined;
  retr: number | undefined;
  sockets: Socket[];
}

function acc(key: string, label: string, process?: ProcessInfo): Acc {
  return {
    key,
    label,
    process,
    user: process ? escapeControl(process.user ?? String(process.uid)) : '',
    pids: new Set(process ? [process.pid] : []),
    listeners: 0,
    established: 0,
    timeWait: 0,
    closeWait: 0,
    otherTcp: 0,
    udp: 0,
    raw: 0,
    unix: 0,
    rx: undefined,
    tx: undefined,
    retr: undefined,
    sockets: [],
  };
}

function count(a: Acc, s: Socket): void {
  a.sockets.push(s);
  if (isListener(s)) a.listeners++;
  if (s.kind === 'unix') a.unix++;
  else if (s.proto === 'tcp' || s.proto === 'tcp6') {
    if (s.state === 'ESTABLISHED') a.established++;
    else if (s.state === 'TIME_WAIT') a.timeWait++;
    else if (s.state === 'CLOSE_WAIT') a.closeWait++;
    else if (s.state !== 'LISTEN') a.otherTcp++;
  } else if (s.proto.startsWith('raw')) a.raw++;
  else a.udp++;
}

const add = (x: number | undefined, y: number): number => (x ?? 0) + y;

function isUnspecified(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}

/**
 * Rows of the Processes pane for `group`. Sockets without a known owner are gathered in one row ("-")
 * for the process grouping, so their traffic is not lost from the total.
 */
export function processRows(
  view: LiveView,
  group: ProcessGroup,
  names?: NameResolver,
  numeric = false,
): ProcessRow[] {
  const { snapshot } = view;
  const table = snapshot.tcpInfo;
  const rates = table ? tcpRates(table) : undefined;
  const rateAt = (s: InetSocket, r: number): number | undefined => {
    if (!table || !rates) return undefined;
    const i = tcpIndex(table, s);
    if (i < 0) return undefined;
    const v = rates[i * RATES.length + r]!;
    return Number.isNaN(v) ? undefined : v;
  };
  const groups = new Map<string, Acc>();
  const get = (key: string, make: () => Acc) => {
    let a = groups.get(key);
    if (!a) {
      a = make();
      groups.set(key, a);
    }
    return a;
  };
  let totalRate = 0;
  for (const s of snapshot.sockets) {
    const owners = (s.inode !== 0 && snapshot.owners.get(s.inode)) || NO_OWNERS;
    let targets: Acc[];
    if (group === 'process') {
      targets =
        owners.length === 0
          ? [get('-', () => acc('-', '- (owner unknown)'))]
          : owners.map((p) =>
              get(`p${p.pid}`, () => acc(`p${p.pid}`, escapeControl(`${p.pid}/${p.command}`), p)),
            );
    } else if (s.kind === 'unix') {
      continue;
    } else if (group === 'remote') {
      if (isUnspecified(s.remote.address)) continue;
      const host = (!numeric && names?.host(s.remote.address)) || s.remote.address;
      targets = [get(`r${s.remote.address}`, () => acc(`r${s.remote.address}`, escapeControl(host)))];
    } else {
      // The local service: the listener's port, or for a connection the local port it was accepted on.
      const family = s.proto.replace(/6$/, '');
      const key = `s${family} ${s.local.port}`;
      const service =
        !numeric && names && !family.startsWith('raw')
          ? names.service(s.local.port, family === 'tcp' ? 'tcp' : 'udp')
          : undefined;
      targets = [
        get(key, () =>
          acc(key, `${family} :${s.local.port}${service ? ` (${escapeControl(service)})` : ''}`),
        ),
      ];
    }
    for (const a of targets) {
      count(a, s);
      for (const p of owners) a.pids.add(p.pid);
    }
    if (s.kind !== 'inet' || (s.proto !== 'tcp' && s.proto !== 'tcp6')) continue;
    const rx = rateAt(s, 0);
    const tx = rateAt(s, 1);
    const retr = rateAt(s, 2);
    // Traffic to the first holder only (see the note at the top).
    const first = targets[0]!;
    if (rx !== undefined) first.rx = add(first.rx, rx);
    if (tx !== undefined) first.tx = add(first.tx, tx);
    if (retr !== undefined) first.retr = add(first.retr, retr);
    totalRate += (rx ?? 0) + (tx ?? 0);
  }
  const rows: ProcessRow[] = [];
  for (const a of groups.values()) {
    const traffic = a.rx === undefined && a.tx === undefined ? undefined : (a.rx ?? 0) + (a.tx ?? 0);
    const pids = [...a.pids].sort((x, y) => x - y);
    const command = a.process ? escapeControl(a.process.command) : '';
    rows.push({
      key: `${group} ${a.key}`,
      group,
      label: a.label,
      process: a.process,
      user: a.user,
      pids,
      listeners: a.listeners,
      established: a.established,
      timeWait: a.timeWait,
      closeWait: a.closeWait,
      otherTcp: a.otherTcp,
      udp: a.udp,
      raw: a.raw,
      unix: a.unix,
      rxBps: a.rx,
      txBps: a.tx,
      retransPerSec: a.retr,
      share: traffic === undefined ? undefined : totalRate > 0 ? traffic / totalRate : 0,
      sockets: a.sockets,
      subject: {
        pids,
        commands: a.process ? [a.process.command] : [],
        cmdlines: a.process ? [a.process.cmdline] : [],
        users: a.process ? [a.process.user ?? String(a.process.uid)] : [],
        text: [a.label, command, a.user, ...pids.map(String)],
      },
    });
  }
  return rows;
}

const num = (v: number | undefined) => v ?? -1;

const PROCESS_SORT: Record<string, Comparator<ProcessRow>> = {
  share: (a, b) => num(b.share) - num(a.share) || num(b.established) - num(a.established),
  rx: (a, b) => num(b.rxBps) - num(a.rxBps),
  tx: (a, b) => num(b.txBps) - num(a.txBps),
  retr: (a, b) => num(b.retransPerSec) - num(a.retransPerSec),
  conns: (a, b) => b.established - a.established,
  listeners: (a, b) => b.listeners - a.listeners,
  pid: (a, b) => (a.pids[0] ?? Number.MAX_SAFE_INTEGER) - (b.pids[0] ?? Number.MAX_SAFE_INTEGER),
  name: (a, b) => cmpStr(a.label, b.label),
};

export const sortProcesses = (rows: readonly ProcessRow[], key: string, reverse: boolean) =>
  sorted(rows, PROCESS_SORT, key, reverse);
