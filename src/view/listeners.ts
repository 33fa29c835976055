// Listeners pane rows: current listeners with their accept queues; vanished ones (gone) and restarted ones
// pinned at the top until acknowledged; listeners that appeared marked new for a minute.
import { isListener, listenerKey } from '../model/diff.js';
import { CLIMB_WINDOW_MS, type Climb, type LiveView, type RestartedListener } from '../model/livestore.js';
import type { ProcessInfo, Socket } from '../model/types.js';
import type { NameResolver } from '../sample/names.js';
import { escapeControl } from './escape.js';
import {
  endpointKey,
  formatEndpointLive,
  NO_OWNERS,
  programText,
  protoRank,
  type RowBase,
  type Sort,
  socketSubject,
  sorted,
  type Toggles,
  unixProto,
  userText,
} from './rows.js';

export type ListenerStatus = 'new' | 'gone' | 'restarted' | '';

export interface ListenerRow extends RowBase {
  readonly socket: Socket;
  readonly owners: readonly ProcessInfo[];
  readonly proto: string;
  readonly local: string;
  readonly program: string;
  readonly user: string;
  readonly inode: number;
  readonly status: ListenerStatus;
  /** For 'gone': when it vanished; for 'new': when it appeared; for 'restarted': when it came back. */
  readonly since: number | undefined;
  /** For 'restarted': the pids before and after, and how long it was down when that was seen. */
  readonly restart: RestartedListener | undefined;
  /** TCP: connections waiting for accept(); UDP: bytes queued; undefined for unix and gone listeners. */
  readonly queue: number | undefined;
  /** TCP from sock_diag: the accept queue's limit. */
  readonly backlog: number | undefined;
  /** The accept queue is at its limit: new connections are being dropped (ListenOverflows). */
  readonly full: boolean;
  /**
   * TcpExt ListenOverflows / ListenDrops climbed in the last minute while this queue is full: the kernel
   * counts them host-wide, so this is the attribution ss and netstat leave to the reader. The last climbs.
   */
  readonly overflows: { readonly overflows?: Climb; readonly drops?: Climb } | undefined;
}

function queueOf(s: Socket): { queue?: number; backlog?: number } {
  if (s.kind === 'unix') return {};
  return { queue: s.recvQ, backlog: s.backlog };
}

/** Current listeners, plus vanished ones (status 'gone') until acknowledged. */
export function listenerRows(view: LiveView, t: Toggles, names?: NameResolver): ListenerRow[] {
  const { snapshot } = view;
  const rows: ListenerRow[] = [];
  const seen = new Set<string>();
  const now = snapshot.wallMs;
  const recent = (key: string) => {
    const c = view.counters.get(key)?.climbs.at(-1);
    return c && now - c.at < CLIMB_WINDOW_MS ? c : undefined;
  };
  const overflows = recent('TcpExt.ListenOverflows');
  const drops = recent('TcpExt.ListenDrops');
  const make = (
    s: Socket,
    owners: readonly ProcessInfo[],
    status: ListenerStatus,
    since: number | undefined,
    restart: RestartedListener | undefined,
  ) => {
    const key = listenerKey(s);
    const local =
      s.kind === 'unix'
        ? escapeControl(s.path) || `#${s.inode}`
        : formatEndpointLive(s.local.address, s.local.port, s.proto, t.numeric, names);
    const proto = s.kind === 'unix' ? unixProto(s.type) : s.proto;
    const program = programText(owners);
    const user =
      s.kind === 'unix' ? escapeControl(owners[0]?.user ?? '-') : userText(s.uid, owners, t.numeric);
    const text = [proto, local, program, user, status, String(s.inode)];
    if (s.kind === 'inet') text.push(String(s.local.port));
    const { queue, backlog } = status === 'gone' ? {} : queueOf(s);
    const full = queue !== undefined && backlog !== undefined && backlog > 0 && queue >= backlog;
    rows.push({
      key: `${key} ${status}`,
      socket: s,
      owners,
      proto,
      local,
      program,
      user,
      inode: s.inode,
      status,
      since,
      restart,
      queue,
      backlog,
      full,
      overflows: full && (overflows || drops) ? { overflows, drops } : undefined,
      subject: socketSubject(s, owners, text),
    });
  };
  for (const s of snapshot.sockets) {
    if (!isListener(s) || (s.kind === 'unix' && !t.showUnix)) continue;
    const key = listenerKey(s);
    if (seen.has(`${key} ${s.inode}`)) continue;
    seen.add(`${key} ${s.inode}`);
    const owners = (s.inode !== 0 && snapshot.owners.get(s.inode)) || NO_OWNERS;
    const restart = view.restarted.get(key);
    if (restart) {
      make(s, owners, 'restarted', restart.at, restart);
      continue;
    }
    const appeared = view.appeared.get(key);
    make(s, owners, appeared !== undefined ? 'new' : '', appeared, undefined);
  }
  // A vanished listener is an alert: it is shown (and counted in the status bar) even when unix sockets
  // are hidden, because a dead /run/php-fpm.sock is as much a crashed service as a dead :80.
  for (const g of view.gone) {
    make(g.socket, g.owners, 'gone', g.vanishedAt, undefined);
  }
  return rows;
}

/** Pinned above every sort until acknowledged: gone first, then restarted. */
function pinRank(s: ListenerStatus): number {
  return s === 'gone' ? 0 : s === 'restarted' ? 1 : 2;
}

const LISTENER_SORT: Record<string, Sort<ListenerRow>> = {
  proto: { key: (r) => `${String(protoRank(r.proto)).padStart(3, '0')} ${endpointKey(r.socket, 'local')}` },
  local: { key: (r) => endpointKey(r.socket, 'local') },
  pid: (a, b) =>
    (a.owners[0]?.pid ?? Number.MAX_SAFE_INTEGER) - (b.owners[0]?.pid ?? Number.MAX_SAFE_INTEGER),
  queue: (a, b) => (b.queue ?? -1) - (a.queue ?? -1),
  status: (a, b) => statusRank(a.status) - statusRank(b.status),
};
function statusRank(s: ListenerStatus): number {
  return s === 'gone' ? 0 : s === 'restarted' ? 1 : s === 'new' ? 2 : 3;
}

export function sortListeners(
  rows: readonly ListenerRow[],
  key: string,
  reverse: boolean,
): readonly ListenerRow[] {
  const ordered = sorted(rows, LISTENER_SORT, key, reverse);
  // A stable partition: what needs acknowledging stays on top whatever the sort says.
  if (!ordered.some((r) => pinRank(r.status) < 2)) return ordered;
  return [0, 1, 2].flatMap((rank) => ordered.filter((r) => pinRank(r.status) === rank));
}
