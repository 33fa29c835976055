// Listeners pane rows: current listeners, and vanished ones marked gone until acknowledged.
import { isListener, listenerKey } from '../model/diff.js';
import type { LiveView } from '../model/livestore.js';
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
  userText,
} from './rows.js';

export type ListenerStatus = 'new' | 'gone' | '';

export interface ListenerRow extends RowBase {
  readonly socket: Socket;
  readonly owners: readonly ProcessInfo[];
  readonly proto: string;
  readonly local: string;
  readonly program: string;
  readonly user: string;
  readonly inode: number;
  readonly status: ListenerStatus;
  /** For 'gone': when it vanished; for 'new': when it appeared. */
  readonly since: number | undefined;
}

/** Current listeners, plus vanished ones (status 'gone') until acknowledged. */
export function listenerRows(view: LiveView, t: Toggles, names?: NameResolver): ListenerRow[] {
  const { snapshot } = view;
  const rows: ListenerRow[] = [];
  const seen = new Set<string>();
  const make = (
    s: Socket,
    owners: readonly ProcessInfo[],
    status: ListenerStatus,
    since: number | undefined,
  ) => {
    const key = listenerKey(s);
    const local =
      s.kind === 'unix'
        ? escapeControl(s.path) || `#${s.inode}`
        : formatEndpointLive(s.local.address, s.local.port, s.proto, t.numeric, names);
    const proto = s.kind === 'unix' ? `unix/${s.type.toLowerCase()}` : s.proto;
    const program = programText(owners);
    const user =
      s.kind === 'unix' ? escapeControl(owners[0]?.user ?? '-') : userText(s.uid, owners, t.numeric);
    const text = [proto, local, program, user, status, String(s.inode)];
    if (s.kind === 'inet') text.push(String(s.local.port));
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
      subject: socketSubject(s, owners, text),
    });
  };
  for (const s of snapshot.sockets) {
    if (!isListener(s) || (s.kind === 'unix' && !t.showUnix)) continue;
    const key = listenerKey(s);
    if (seen.has(`${key} ${s.inode}`)) continue;
    seen.add(`${key} ${s.inode}`);
    const appeared = view.appeared.get(key);
    make(
      s,
      (s.inode !== 0 && snapshot.owners.get(s.inode)) || NO_OWNERS,
      appeared !== undefined ? 'new' : '',
      appeared,
    );
  }
  // A vanished listener is an alert: it is shown (and counted in the status bar) even when unix sockets
  // are hidden, because a dead /run/php-fpm.sock is as much a crashed service as a dead :80.
  for (const g of view.gone) {
    make(g.socket, g.owners, 'gone', g.vanishedAt);
  }
  return rows;
}

const LISTENER_SORT: Record<string, Sort<ListenerRow>> = {
  proto: { key: (r) => `${String(protoRank(r.proto)).padStart(3, '0')} ${endpointKey(r.socket, 'local')}` },
  local: { key: (r) => endpointKey(r.socket, 'local') },
  pid: (a, b) =>
    (a.owners[0]?.pid ?? Number.MAX_SAFE_INTEGER) - (b.owners[0]?.pid ?? Number.MAX_SAFE_INTEGER),
  status: (a, b) => statusRank(a.status) - statusRank(b.status),
};
function statusRank(s: ListenerStatus): number {
  return s === 'gone' ? 0 : s === 'new' ? 1 : 2;
}

export const sortListeners = (rows: readonly ListenerRow[], key: string, reverse: boolean) =>
  sorted(rows, LISTENER_SORT, key, reverse);
