// The data model shared by parsers, sampler, diff, outputs and the UI.
import type { TcpInfoTable } from './tcpinfo.js';

// Everything here is plain immutable data: no classes, no methods, so snapshots can be
// compared, serialised and handed across the React boundary without surprises.

/** Result of parsing one /proc file: the rows, plus how many lines were skipped as malformed. */
export interface Parsed<T> {
  readonly rows: readonly T[];
  /** Lines that did not parse (wrong field count, bad hex, ...). Never fatal. */
  readonly skipped: number;
}

export type InetProto = 'tcp' | 'tcp6' | 'udp' | 'udp6' | 'udplite' | 'udplite6' | 'raw' | 'raw6';

export interface Endpoint {
  /** Numeric address: dotted IPv4, or RFC 5952 IPv6 (IPv4-mapped as ::ffff:a.b.c.d). */
  readonly address: string;
  /** Port; for raw sockets the IP protocol number, as the kernel prints it. */
  readonly port: number;
}

/** netstat's names for TCP states, plus UNCONN for unconnected UDP/raw. */
export type SocketState =
  | 'ESTABLISHED'
  | 'SYN_SENT'
  | 'SYN_RECV'
  | 'FIN_WAIT1'
  | 'FIN_WAIT2'
  | 'TIME_WAIT'
  | 'CLOSE'
  | 'CLOSE_WAIT'
  | 'LAST_ACK'
  | 'LISTEN'
  | 'CLOSING'
  | 'NEW_SYN_RECV'
  | 'UNCONN'
  | 'UNKNOWN';

/** The kernel's TCP states 1..11 (TCP_ESTABLISHED .. TCP_CLOSING) by netstat's names: code n at n - 1. */
export const TCP_STATE_NAMES = [
  'ESTABLISHED',
  'SYN_SENT',
  'SYN_RECV',
  'FIN_WAIT1',
  'FIN_WAIT2',
  'TIME_WAIT',
  'CLOSE',
  'CLOSE_WAIT',
  'LAST_ACK',
  'LISTEN',
  'CLOSING',
] as const satisfies readonly SocketState[];

/** Per-socket TCP tail, only on full TCP sockets (not TIME_WAIT / SYN_RECV mini-sockets). */
export interface TcpTail {
  /** Retransmit timeout, in clock ticks (USER_HZ) as printed. */
  readonly rto: number;
  readonly ato: number;
  /** Quick-ack count and pingpong bit; absent when read from sock_diag, which does not report it. */
  readonly qack?: number;
  readonly cwnd: number;
  /** -1 while in initial slow start; for LISTEN the fastopen max queue length. */
  readonly ssthresh: number;
}

export interface InetSocket {
  readonly kind: 'inet';
  readonly proto: InetProto;
  readonly local: Endpoint;
  readonly remote: Endpoint;
  readonly state: SocketState;
  /** Raw state byte from the kernel (e.g. 0x0A for LISTEN). */
  readonly stateCode: number;
  /** netstat's Recv-Q: kernel rx_queue. */
  readonly recvQ: number;
  /** netstat's Send-Q: kernel tx_queue. */
  readonly sendQ: number;
  /** Timer kind as the kernel numbers it (0 off, 1 retransmit/on, 2 keepalive, 3 timewait, 4 probe). */
  readonly timerActive: number;
  /** Timer expiry in clock ticks (USER_HZ, normally 100/s); may be negative when overdue. */
  readonly timerExpires: number;
  readonly retransmits: number;
  readonly uid: number;
  /** Zero-window probes (tcp) / unanswered timeouts, as printed. */
  readonly timeouts: number;
  /** 0 for TIME_WAIT and SYN_RECV request sockets: they belong to no file descriptor. */
  readonly inode: number;
  /** Absent when read from sock_diag, which does not report it. */
  readonly refcount?: number;
  readonly tcp?: TcpTail;
  /** TCP LISTEN from sock_diag: the accept queue's limit (listen() backlog); recvQ is its length. */
  readonly backlog?: number;
  /** UDP / raw: sk_drops. */
  readonly drops?: number;
}

export type UnixType = 'STREAM' | 'DGRAM' | 'RAW' | 'RDM' | 'SEQPACKET' | 'UNKNOWN';
export type UnixState = 'LISTENING' | 'CONNECTED' | 'CONNECTING' | 'DISCONNECTING' | 'FREE' | '' | 'UNKNOWN';

export interface UnixSocket {
  readonly kind: 'unix';
  readonly proto: 'unix';
  readonly refcount: number;
  /** Raw flags word; 0x10000 is __SO_ACCEPTCON (netstat's ACC). */
  readonly flags: number;
  readonly type: UnixType;
  readonly state: UnixState;
  readonly stateCode: number;
  readonly inode: number;
  /** Bound path, abstract names start with '@'; '' when unbound. Raw kernel text, escape before printing. */
  readonly path: string;
}

export type Socket = InetSocket | UnixSocket;

/** Routing table entry, IPv4 or IPv6, in numeric form. */
export interface Route {
  readonly family: 4 | 6;
  readonly iface: string;
  readonly destination: string;
  /** Prefix length (IPv4 derived from the mask). */
  readonly prefixLength: number;
  /** IPv4 dotted mask; for IPv6 ''. */
  readonly genmask: string;
  readonly gateway: string;
  /** RTF_* bits. */
  readonly flags: number;
  readonly refcnt: number;
  readonly use: number;
  readonly metric: number;
  readonly mtu: number;
  readonly window: number;
  readonly irtt: number;
  /** IPv6 only: source prefix. */
  readonly source?: string;
  readonly sourcePrefixLength?: number;
}

/** One line of /proc/net/dev. Counters are bigint: 64-bit and exact. */
export interface DevCounters {
  readonly name: string;
  readonly rxBytes: bigint;
  readonly rxPackets: bigint;
  readonly rxErrs: bigint;
  readonly rxDrop: bigint;
  readonly rxFifo: bigint;
  readonly rxFrame: bigint;
  readonly rxCompressed: bigint;
  readonly rxMulticast: bigint;
  readonly txBytes: bigint;
  readonly txPackets: bigint;
  readonly txErrs: bigint;
  readonly txDrop: bigint;
  readonly txFifo: bigint;
  readonly txColls: bigint;
  readonly txCarrier: bigint;
  readonly txCompressed: bigint;
}

/** /sys/class/net/IFACE attributes; any unreadable one is undefined. */
export interface SysNetInfo {
  readonly mtu?: number;
  /** IFF_* flags from the `flags` file (hex). */
  readonly flags?: number;
  readonly ifindex?: number;
  readonly operstate?: string;
  /** Mb/s; undefined when the kernel refuses (virtual devices) or reports -1. */
  readonly speed?: number;
}

export interface Interface extends DevCounters, SysNetInfo {}

/** Protocol counters: group (Ip, Tcp, TcpExt, Ip6, ...) → name → value. Values are exact and may be negative. */
export type CounterGroups = ReadonlyMap<string, ReadonlyMap<string, bigint>>;

export interface SockstatProto {
  /** e.g. 'TCP', 'UDP', 'TCP6', 'FRAG' */
  readonly proto: string;
  /** e.g. { inuse: 5n, orphan: 0n, tw: 0n, alloc: 7n, mem: 1n } */
  readonly values: ReadonlyMap<string, bigint>;
}

export interface MulticastGroup {
  readonly family: 4 | 6;
  readonly ifindex: number;
  readonly iface: string;
  /** Group address, numeric. */
  readonly group: string;
  readonly users: number;
}

export interface ConntrackSummary {
  readonly total: number;
  /** per L4 protocol name (tcp, udp, icmp, ...) */
  readonly byProto: ReadonlyMap<string, number>;
  /** per TCP state (ESTABLISHED, TIME_WAIT, ...) */
  readonly byTcpState: ReadonlyMap<string, number>;
}

/** A process that holds a socket. */
export interface ProcessInfo {
  readonly pid: number;
  /** From /proc/PID/comm, raw; escape before printing. */
  readonly command: string;
  /**
   * From /proc/PID/cmdline with NULs turned into spaces, raw; at most 4,096 code units, then '…' when it
   * was longer (src/model/bounds.ts). `command` is capped the same way at 1,024.
   */
  readonly cmdline: string;
  /** Present (true) when `cmdline` was cut: the process's command line is longer than what is kept. */
  readonly cmdlineTruncated?: true;
  /** argv[0]: /proc/PID/cmdline up to its first NUL, raw. netstat -p names a process by it, not by comm. */
  readonly argv0?: string;
  readonly uid: number;
  /** Resolved from etc/passwd under the host root; undefined when unknown. */
  readonly user?: string;
}

export interface OwnerScanStats {
  /** Processes seen in /proc. */
  readonly processes: number;
  /**
   * Processes whose fd directory could not be read (EACCES, EPERM; under --root also a file refused as
   * unsafe, see src/sample/reader.ts) — "run as root to see all".
   */
  readonly unreadable: number;
  /** The lowest pid among the unreadable ones and why ('permission denied'), when there is one. */
  readonly firstUnreadable?: { readonly pid: number; readonly reason: string };
  /**
   * Of those, the processes whose fd directory could not even be opened (EACCES), which is net-tools' rule
   * for "Not all processes could be identified": a directory it may list but whose links it may not follow
   * (pid 1 in some sandboxes, even for root) does not count. Absent when the scan did not tell them apart.
   */
  readonly deniedFdDirs?: number;
  /** Processes that vanished between listing and reading. */
  readonly vanished: number;
  /** How many processes had their fd directory read this tick (the rest came from cache). */
  readonly rescanned: number;
}

/** Sparse inode → owning processes. */
export type OwnerMap = ReadonlyMap<number, readonly ProcessInfo[]>;

/** A consistent picture of the host at one instant. Immutable. */
export interface Snapshot {
  /** Monotonic milliseconds (performance.now() or injected clock). */
  readonly monoMs: number;
  /** Wall-clock ms since epoch, for display only. */
  readonly wallMs: number;
  /** How long taking this snapshot took, ms. */
  readonly durationMs: number;
  readonly hostname: string;
  readonly sockets: readonly Socket[];
  readonly owners: OwnerMap;
  readonly ownerStats: OwnerScanStats;
  readonly routes: readonly Route[];
  readonly interfaces: readonly Interface[];
  /** snmp + netstat + snmp6 merged by group. */
  readonly counters: CounterGroups;
  readonly sockstat: readonly SockstatProto[];
  readonly multicast: readonly MulticastGroup[];
  readonly conntrack?: ConntrackSummary;
  /** nf_conntrack_count / nf_conntrack_max, where netfilter's conntrack is loaded. */
  readonly conntrackUse?: { readonly count: number; readonly max: number };
  /** tcp_info of the TCP sockets, where they came from sock_diag (src/model/tcpinfo.ts). */
  readonly tcpInfo?: TcpInfoTable;
  /** Per-file count of skipped malformed lines, only files with skips. */
  readonly skippedLines: ReadonlyMap<string, number>;
  /** Human-readable problems met while sampling (missing files are not problems). */
  readonly warnings: readonly string[];
}
