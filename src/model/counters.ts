// What the diff and the UI need to know about protocol counters beyond their values: which ones are
// levels (show the value, never a rate), which ones mean trouble when they climb (highlight them), and
// how netstat -s says them in English.
//
// Groups are the prefixes of /proc/net/snmp, netstat and snmp6 (Ip, Icmp, Tcp, Udp, UdpLite, TcpExt,
// IpExt, MPTcpExt, Ip6, Icmp6, Udp6, UdpLite6); sockstat rows are passed as group 'sockstat'.

const key = (group: string, name: string): string => `${group}.${name}`;

/**
 * Values that are levels or settings, not monotonic counters. A rate of these is meaningless and a drop
 * is not a counter reset.
 */
const GAUGES: ReadonlySet<string> = new Set([
  // RFC 2012 tcpRtoAlgorithm: a constant enum (Linux always prints 1, "other").
  key('Tcp', 'RtoAlgorithm'),
  // Configured bounds of the retransmission timeout, in ms (TCP_RTO_MIN / TCP_RTO_MAX).
  key('Tcp', 'RtoMin'),
  key('Tcp', 'RtoMax'),
  // Connection limit; -1 means "dynamic", printed signed on purpose by the kernel.
  key('Tcp', 'MaxConn'),
  // Connections now in ESTABLISHED or CLOSE_WAIT: goes up and down with traffic.
  key('Tcp', 'CurrEstab'),
  // ipForwarding: 1 forwarding, 2 not forwarding (a sysctl, not an event count).
  key('Ip', 'Forwarding'),
  // The net.ipv4.ip_default_ttl sysctl.
  key('Ip', 'DefaultTTL'),
  // MPTCP connections now established (MPTCP_MIB_CURRESTAB is incremented and decremented).
  key('MPTcpExt', 'MPCurrEstab'),
]);

/** True for levels (Tcp CurrEstab, MaxConn, Ip DefaultTTL, everything in sockstat, ...), false for counters. */
export function isGauge(group: string, name: string): boolean {
  // sockstat is sockets in use, orphans, TIME_WAIT count and memory pages right now.
  if (group === 'sockstat') return true;
  return GAUGES.has(key(group, name));
}

// Names that say drop / overflow / error / retransmit / failure / timeout / abort / reset.
const TROUBLE_PATTERN = /Drop|Overflow|Err|Retrans|Fail|Timeout|Abort|Reset|Rst|Csum|Discard/;

/** Trouble signs whose names the pattern does not catch. */
const TROUBLE_EXTRA: ReadonlySet<string> = new Set([
  // A locally generated packet had no route: an application is talking to an unreachable network.
  key('Ip', 'OutNoRoutes'),
  key('Ip6', 'OutNoRoutes'),
  // Packets shorter than their headers claim: corruption on the wire or a broken sender.
  key('IpExt', 'InTruncatedPkts'),
  key('Ip6', 'InTruncatedPkts'),
  // Syncookies are only sent when a listener's SYN queue is full: a SYN flood or a slow accept().
  key('TcpExt', 'SyncookiesSent'),
  // TCP hit net.ipv4.tcp_mem pressure (entries, and ms spent under pressure).
  key('TcpExt', 'TCPMemoryPressures'),
  key('TcpExt', 'TCPMemoryPressuresChrono'),
  // Receive queue pruned or packets thrown away because a socket buffer overran.
  key('TcpExt', 'PruneCalled'),
  key('TcpExt', 'RcvPruned'),
  key('TcpExt', 'OfoPruned'),
]);

/** Names the pattern catches that are normal operation, not trouble. */
const NOT_TROUBLE: ReadonlySet<string> = new Set([
  // TCP_DEFER_ACCEPT listeners drop the bare handshake ACK on purpose and wait for data.
  key('TcpExt', 'TCPDeferAcceptDrop'),
  // TCP-AO ignores ICMP hard errors by design (RFC 5925 section 7.8); the count is policy, not loss.
  key('TcpExt', 'TCPAODroppedIcmps'),
]);

/**
 * True for counters that signal trouble when they climb: retransmits, drops and overflows, resets and
 * aborts, timeouts, checksum and other errors. Gauges are never trouble counters.
 *
 * Deliberately not included: InNoRoutes (IpExt, Ip6) counts received packets nobody routes, which on
 * most networks is broadcast or stray traffic; Udp NoPorts counts datagrams to closed ports (late DNS
 * replies, scans); InUnknownProtos and ICMP rate limiting likewise rise on healthy hosts.
 */
export function isTroubleCounter(group: string, name: string): boolean {
  if (isGauge(group, name)) return false;
  const k = key(group, name);
  if (NOT_TROUBLE.has(k)) return false;
  return TROUBLE_EXTRA.has(k) || TROUBLE_PATTERN.test(name);
}

// netstat -s wording (net-tools statistics.c), typos fixed, rephrased where netstat puts the number in
// the middle, so that every counter description reads after its value: "12 segments retransmitted".
// Levels and settings read as labels. Wording for counters netstat does not describe is ours.
const IP: Readonly<Record<string, string>> = {
  Forwarding: 'IP forwarding (1 on, 2 off)',
  DefaultTTL: 'default TTL',
  InReceives: 'total packets received',
  InHdrErrors: 'with invalid headers',
  InAddrErrors: 'with invalid addresses',
  ForwDatagrams: 'forwarded',
  OutForwDatagrams: 'forwarded',
  InUnknownProtos: 'with unknown protocol',
  InDiscards: 'incoming packets discarded',
  InDelivers: 'incoming packets delivered',
  OutRequests: 'requests sent out',
  OutDiscards: 'outgoing packets dropped',
  OutNoRoutes: 'dropped because of missing route',
  ReasmTimeout: 'fragments dropped after timeout',
  ReasmReqds: 'reassemblies required',
  ReasmOKs: 'packets reassembled ok',
  ReasmFails: 'packet reassemblies failed',
  FragOKs: 'outgoing packets fragmented ok',
  FragFails: 'outgoing packets failed fragmentation',
  FragCreates: 'fragments created',
  OutTransmits: 'packets transmitted',
  // Only in snmp6 (Ip6 reuses this table).
  InTooBigErrors: 'with packets too big',
  InNoRoutes: 'incoming packets with no route',
  InTruncatedPkts: 'with truncated packets',
  InMcastPkts: 'incoming multicast packets',
  OutMcastPkts: 'outgoing multicast packets',
};

const ICMP: Readonly<Record<string, string>> = {
  InMsgs: 'ICMP messages received',
  InErrors: 'input ICMP message failed',
  InCsumErrors: 'ICMP messages with bad checksum received',
  OutMsgs: 'ICMP messages sent',
  OutErrors: 'ICMP messages failed',
  OutRateLimitGlobal: 'ICMP messages suppressed by the global rate limit',
  OutRateLimitHost: 'ICMP messages suppressed by the per-host rate limit',
};

const TCP: Readonly<Record<string, string>> = {
  RtoAlgorithm: 'RTO algorithm (RFC 2012 code)',
  RtoMin: 'minimum retransmission timeout, ms',
  RtoMax: 'maximum retransmission timeout, ms',
  MaxConn: 'connection limit (-1: dynamic)',
  ActiveOpens: 'active connection openings',
  PassiveOpens: 'passive connection openings',
  AttemptFails: 'failed connection attempts',
  EstabResets: 'connection resets received',
  CurrEstab: 'connections established',
  InSegs: 'segments received',
  OutSegs: 'segments sent out',
  RetransSegs: 'segments retransmitted',
  InErrs: 'bad segments received',
  OutRsts: 'resets sent',
  InCsumErrors: 'segments with bad checksum received',
};

const UDP: Readonly<Record<string, string>> = {
  InDatagrams: 'packets received',
  NoPorts: 'packets to unknown port received',
  InErrors: 'packet receive errors',
  OutDatagrams: 'packets sent',
  RcvbufErrors: 'receive buffer errors',
  SndbufErrors: 'send buffer errors',
  InCsumErrors: 'packets with bad checksum received',
  IgnoredMulti: 'multicast or broadcast packets with no listener',
  MemErrors: 'packets dropped for lack of socket memory',
};

const TCP_EXT: Readonly<Record<string, string>> = {
  ListenDrops: 'SYNs to LISTEN sockets dropped',
  ListenOverflows: 'times the listen queue of a socket overflowed',
  SyncookiesSent: 'SYN cookies sent',
  SyncookiesRecv: 'SYN cookies received',
  SyncookiesFailed: 'invalid SYN cookies received',
  EmbryonicRsts: 'resets received for embryonic SYN_RECV sockets',
  PruneCalled: 'packets pruned from receive queue because of socket buffer overrun',
  RcvPruned: 'packets pruned from receive queue',
  OfoPruned: 'packets dropped from out-of-order queue because of socket buffer overrun',
  TW: 'TCP sockets finished time wait in fast timer',
  DelayedACKs: 'delayed acks sent',
  DelayedACKLost: 'times quick ack mode was activated',
  TCPPureAcks: 'acknowledgments not containing data payload received',
  TCPHPAcks: 'predicted acknowledgments',
  TCPHPHits: 'packet headers predicted',
  TCPSackRecovery: 'times recovered from packet loss by selective acknowledgements',
  TCPLostRetransmit: 'retransmits lost',
  TCPFastRetrans: 'fast retransmits',
  TCPSlowStartRetrans: 'retransmits in slow start',
  TCPSynRetrans: 'SYN retransmits',
  TCPTimeouts: 'other TCP timeouts',
  TCPLossProbes: 'tail loss probes sent',
  TCPSpuriousRTOs: 'spurious retransmission timeouts',
  TCPRetransFail: 'retransmits that failed to send',
  TCPAbortOnData: 'connections reset due to unexpected data',
  TCPAbortOnClose: 'connections reset due to early user close',
  TCPAbortOnMemory: 'connections aborted due to memory pressure',
  TCPAbortOnTimeout: 'connections aborted due to timeout',
  TCPAbortOnLinger: 'connections aborted after user close in linger timeout',
  TCPAbortFailed: 'times unable to send RST due to no memory',
  TCPMemoryPressures: 'times TCP ran low on memory',
  TCPBacklogDrop: 'packets dropped because the socket backlog was full',
  TCPRcvQDrop: 'packets dropped because the receive queue was full',
  TCPOFODrop: 'out-of-order packets dropped for lack of receive buffer',
  TCPReqQFullDrop: 'SYNs dropped because the SYN queue was full',
  TCPTimeWaitOverflow: 'TIME_WAIT sockets not kept because tcp_max_tw_buckets was reached',
};

const IP_EXT: Readonly<Record<string, string>> = {
  InNoRoutes: 'incoming packets with no route',
  InTruncatedPkts: 'with truncated packets',
  InOctets: 'bytes received',
  OutOctets: 'bytes sent',
  InCsumErrors: 'packets with bad checksum received',
};

const TABLES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Ip: IP,
  Ip6: IP,
  Icmp: ICMP,
  Icmp6: ICMP,
  Tcp: TCP,
  Udp: UDP,
  UdpLite: UDP,
  Udp6: UDP,
  UdpLite6: UDP,
  TcpExt: TCP_EXT,
  IpExt: IP_EXT,
};

/**
 * netstat -s's English for a counter, e.g. ('Tcp', 'RetransSegs') → 'segments retransmitted'; undefined
 * for counters we have no wording for. IPv6 groups share the IPv4 wording where the names match.
 */
export function counterDescription(group: string, name: string): string | undefined {
  const table = Object.hasOwn(TABLES, group) ? TABLES[group] : undefined;
  if (table === undefined || !Object.hasOwn(table, name)) return undefined;
  return table[name];
}
