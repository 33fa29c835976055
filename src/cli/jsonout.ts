// `netwatch --once --json`: one JSON object for scripts. Integers keep their exact digits (src/cli/json.ts),
// strings are JSON-escaped, so control characters from process names arrive as \u001b, never raw.

import { isListener } from '../model/diff.js';
import type { Snapshot, Socket } from '../model/types.js';
import { routeFlagsText } from '../proc/route.js';
import { netstatIfaceFlags } from '../proc/sysnet.js';
import { toJson } from './json.js';
import { socketSelection } from './once.js';
import type { Options } from './options.js';

function processes(snapshot: Snapshot, inode: number) {
  const owners = inode === 0 ? undefined : snapshot.owners.get(inode);
  return (owners ?? []).map((p) => ({
    pid: p.pid,
    command: p.command,
    cmdline: p.cmdline,
    uid: p.uid,
    user: p.user,
  }));
}

function socketJson(s: Socket, snapshot: Snapshot) {
  if (s.kind === 'unix') {
    return {
      proto: 'unix',
      type: s.type,
      state: s.state || 'UNCONN',
      path: s.path,
      inode: s.inode,
      refcount: s.refcount,
      listening: s.state === 'LISTENING',
      processes: processes(snapshot, s.inode),
    };
  }
  return {
    proto: s.proto,
    local: s.local,
    remote: s.remote,
    state: s.state,
    recvQ: s.recvQ,
    sendQ: s.sendQ,
    uid: s.uid,
    inode: s.inode,
    timer: { active: s.timerActive, expires: s.timerExpires, retransmits: s.retransmits },
    tcp: s.tcp,
    drops: s.drops,
    processes: processes(snapshot, s.inode),
  };
}

/** The JSON document. Sockets follow the protocol flags (-t -u -U -w -x -4 -6) and -l; by default all states. */
export function snapshotJson(snapshot: Snapshot, o: Options): string {
  const { inet, unix } = socketSelection(o);
  const sockets = snapshot.sockets
    .filter((s) => (s.kind === 'unix' ? unix : inet.has(s.proto)))
    .filter((s) => !o.listening || isListener(s))
    .map((s) => socketJson(s, snapshot));
  const counters: Record<string, ReadonlyMap<string, bigint>> = {};
  for (const [group, values] of snapshot.counters) counters[group] = values;
  const doc = {
    hostname: snapshot.hostname,
    time: new Date(snapshot.wallMs).toISOString(),
    sockets,
    interfaces: snapshot.interfaces.map((i) => ({
      ...i,
      flagsText: netstatIfaceFlags(i.flags ?? 0, i.operstate),
    })),
    routes: snapshot.routes.map((r) => ({ ...r, flagsText: routeFlagsText(r.flags, r.family) })),
    counters,
    sockstat: Object.fromEntries(snapshot.sockstat.map((p) => [p.proto, p.values])),
    multicast: snapshot.multicast,
    conntrack: snapshot.conntrack,
    owners: snapshot.ownerStats,
    skippedLines: snapshot.skippedLines,
    warnings: snapshot.warnings,
  };
  return toJson(doc, 2);
}
