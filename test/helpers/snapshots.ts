// Hand-built snapshots for diff, store and view-model tests.
import type {
  CounterGroups,
  DevCounters,
  InetProto,
  InetSocket,
  Interface,
  ProcessInfo,
  Route,
  Snapshot,
  Socket,
  SocketState,
  UnixSocket,
} from '../../src/model/types.js';

export function inet(
  proto: InetProto,
  local: string,
  remote: string,
  state: SocketState,
  inode: number,
  extra: Partial<InetSocket> = {},
): InetSocket {
  const split = (ep: string) => {
    const i = ep.lastIndexOf(':');
    return { address: ep.slice(0, i), port: Number(ep.slice(i + 1)) };
  };
  return {
    kind: 'inet',
    proto,
    local: split(local),
    remote: split(remote),
    state,
    stateCode: 0,
    recvQ: 0,
    sendQ: 0,
    timerActive: 0,
    timerExpires: 0,
    retransmits: 0,
    uid: 0,
    timeouts: 0,
    inode,
    refcount: 1,
    ...extra,
  };
}

export function unix(path: string, inode: number, listening = true): UnixSocket {
  return {
    kind: 'unix',
    proto: 'unix',
    refcount: 2,
    flags: listening ? 0x10000 : 0,
    type: 'STREAM',
    state: listening ? 'LISTENING' : 'CONNECTED',
    stateCode: listening ? 1 : 3,
    inode,
    path,
  };
}

export function dev(
  name: string,
  rxBytes: bigint,
  txBytes: bigint,
  extra: Partial<DevCounters> = {},
): DevCounters {
  return {
    name,
    rxBytes,
    rxPackets: 0n,
    rxErrs: 0n,
    rxDrop: 0n,
    rxFifo: 0n,
    rxFrame: 0n,
    rxCompressed: 0n,
    rxMulticast: 0n,
    txBytes,
    txPackets: 0n,
    txErrs: 0n,
    txDrop: 0n,
    txFifo: 0n,
    txColls: 0n,
    txCarrier: 0n,
    txCompressed: 0n,
    ...extra,
  };
}

export function route(destination: string, prefixLength: number, gateway: string, iface: string): Route {
  return {
    family: destination.includes(':') ? 6 : 4,
    iface,
    destination,
    prefixLength,
    genmask: '',
    gateway,
    flags: 1,
    refcnt: 0,
    use: 0,
    metric: 0,
    mtu: 0,
    window: 0,
    irtt: 0,
  };
}

export function counters(groups: Record<string, Record<string, bigint>>): CounterGroups {
  return new Map(Object.entries(groups).map(([g, v]) => [g, new Map(Object.entries(v))]));
}

export function proc(pid: number, command: string, extra: Partial<ProcessInfo> = {}): ProcessInfo {
  return { pid, command, cmdline: command, uid: 0, user: 'root', ...extra };
}

export function snapshot(
  monoMs: number,
  parts: Partial<Snapshot> & { sockets?: Socket[]; interfaces?: Interface[] } = {},
): Snapshot {
  return {
    monoMs,
    wallMs: 1_700_000_000_000 + monoMs,
    durationMs: 1,
    hostname: 'testhost',
    sockets: [],
    owners: new Map(),
    ownerStats: { processes: 0, unreadable: 0, vanished: 0, rescanned: 0 },
    routes: [],
    interfaces: [],
    counters: new Map(),
    sockstat: [],
    multicast: [],
    skippedLines: new Map(),
    warnings: [],
    ...parts,
  };
}
