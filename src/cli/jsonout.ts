// `netwatch --once --json`: one JSON object for scripts. Integers keep their exact digits (src/cli/json.ts),
// strings are JSON-escaped, so control characters from process names arrive as \u001b, never raw.
// Each process is listed once, in the top-level `processes` object keyed by pid, and a socket names its
// owners by pid (`pids`): a process with a 2 MB command line holding 20,000 sockets is 2 MB of JSON, not
// 40 GB (issue 12; it used to be repeated inside every socket).

import { isListener } from '../model/diff.js';
import { readMem, tcpFieldsAt, tcpIndex, tcpStatsAt } from '../model/tcpinfo.js';
import type { ProcessInfo, Snapshot, Socket } from '../model/types.js';
import { routeFlagsText } from '../proc/route.js';
import { netstatIfaceFlags } from '../proc/sysnet.js';
import { writeJson } from './json.js';
import { socketSelection } from './once.js';
import type { Options } from './options.js';

/** The processes the listed sockets name, each once. */
type ProcessTable = Map<number, ProcessInfo>;

function pidsOf(snapshot: Snapshot, inode: number, table: ProcessTable): number[] {
  const owners = inode === 0 ? undefined : snapshot.owners.get(inode);
  if (!owners) return [];
  return owners.map((p) => {
    if (!table.has(p.pid)) table.set(p.pid, p);
    return p.pid;
  });
}

function processesJson(table: ProcessTable) {
  const pids = [...table.keys()].sort((a, b) => a - b);
  const out = new Map<string, object>();
  for (const pid of pids) {
    const p = table.get(pid)!;
    out.set(String(pid), {
      pid,
      command: p.command,
      cmdline: p.cmdline,
      // The model cuts command lines at 4 KiB (src/model/bounds.ts); say when this one was.
      cmdlineTruncated: p.cmdlineTruncated === true ? true : undefined,
      uid: p.uid,
      user: p.user,
    });
  }
  return out;
}

/**
 * A TCP socket's tcp_info as the kernel sent it, each field exact and named with its unit (rttUs,
 * bytesAcked, deliveryRateBps …), plus skmeminfo; absent fields (older kernels) left out. Rates need two
 * samples: --json -c / --count give them (rates), a single --once has none.
 */
function tcpInfoJson(s: Socket, snapshot: Snapshot) {
  const table = snapshot.tcpInfo;
  if (!table || s.kind !== 'inet') return {};
  const i = tcpIndex(table, s);
  if (i < 0) return {};
  const info: Record<string, bigint> = {};
  for (const f of tcpFieldsAt(table, i)) info[f.name] = f.value;
  const stats = tcpStatsAt(table, i);
  const rates =
    stats.rxBps === undefined && stats.txBps === undefined
      ? undefined
      : { rxBps: stats.rxBps, txBps: stats.txBps, retransPerSec: stats.retransPerSec };
  return { tcpInfo: info, memInfo: readMem(table.words, table.at[i]!, table.layout), rates };
}

function socketJson(s: Socket, snapshot: Snapshot, table: ProcessTable) {
  if (s.kind === 'unix') {
    return {
      proto: 'unix',
      type: s.type,
      state: s.state || 'UNCONN',
      path: s.path,
      inode: s.inode,
      refcount: s.refcount,
      listening: s.state === 'LISTENING',
      pids: pidsOf(snapshot, s.inode, table),
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
    backlog: s.backlog,
    drops: s.drops,
    pids: pidsOf(snapshot, s.inode, table),
    ...tcpInfoJson(s, snapshot),
  };
}

/**
 * The JSON document, handed to `sink` in chunks. Sockets follow the protocol flags (-t -u -U -w -x -4 -6)
 * and -l; by default all states. `indent` 0 writes it on one line (NDJSON).
 */
export function writeSnapshotJson(
  snapshot: Snapshot,
  o: Options,
  sink: (chunk: string) => void,
  extra?: Record<string, unknown>,
  indent = 2,
): void {
  const { inet, unix } = socketSelection(o);
  const table: ProcessTable = new Map();
  const sockets = snapshot.sockets
    .filter((s) => (s.kind === 'unix' ? unix : inet.has(s.proto)))
    .filter((s) => !o.listening || isListener(s))
    .map((s) => socketJson(s, snapshot, table));
  const counters: Record<string, ReadonlyMap<string, bigint>> = {};
  for (const [group, values] of snapshot.counters) counters[group] = values;
  const doc = {
    hostname: snapshot.hostname,
    time: new Date(snapshot.wallMs).toISOString(),
    sockets,
    processes: processesJson(table),
    interfaces: snapshot.interfaces.map((i) => ({
      ...i,
      flagsText: netstatIfaceFlags(i.flags ?? 0, i.operstate),
    })),
    routes: snapshot.routes.map((r) => ({ ...r, flagsText: routeFlagsText(r.flags, r.family) })),
    counters,
    sockstat: Object.fromEntries(snapshot.sockstat.map((p) => [p.proto, p.values])),
    multicast: snapshot.multicast,
    conntrack: snapshot.conntrack,
    conntrackUse: snapshot.conntrackUse,
    owners: snapshot.ownerStats,
    skippedLines: snapshot.skippedLines,
    warnings: snapshot.warnings,
    ...extra,
  };
  writeJson(doc, indent, sink);
}

/** The JSON document as one string. */
export function snapshotJson(snapshot: Snapshot, o: Options): string {
  const chunks: string[] = [];
  writeSnapshotJson(snapshot, o, (chunk) => chunks.push(chunk));
  return chunks.join('');
}
