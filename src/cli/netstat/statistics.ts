// netstat -s, line for line: net-tools 2.10 statistics.c run on the kernel's text. Its quirks are kept on
// purpose, because `netstat -s | grep ...` recipes depend on them:
//   - each known counter has a sentence ("416 connections established"); a counter not in its tables is
//     printed as "Name: value", and only when it is not zero;
//   - the tables are searched with bsearch although some are not sorted (TcpExt's TCPDSACKUndo after
//     TCPDSackUndo, Ip's Forwarding before ForwDatagrams ...), so some known counters are not found and
//     come out as "Name: value" (glibc's bsearch is reproduced exactly, so exactly those);
//   - the ICMP histograms' titles, and the indentation carried from one counter to the next;
//   - sections netstat has no table for (IcmpMsg, UdpLite, IpExt, MPTcpExt ...) are printed whatever the
//     protocol flags say.

import { counterDescription, isGauge } from '../../model/counters.js';
import type { CounterGroups } from '../../model/types.js';

const NUMBER = 0;
const OPT_NUMBER = 1;
const I_FORWARD = 2;
const I_INP_ICMP = 3;
const I_OUTP_ICMP = 4;
const I_RTO_ALG = 5;

/** states[]: indentation and histogram title per state (i_rto_alg has no entry: 0). */
const INDENT = [4, 4, 4, 8, 8, 0];
const STATE_TITLE = ['', '', '', 'ICMP input histogram:', 'ICMP output histogram:', ''];

const STATIC = 1;
const TITLE = 2;

type Entry = readonly [title: string, out: string, type: number, marks?: number];

const IP: readonly Entry[] = [
  ['DefaultTTL', 'Default TTL is %llu', NUMBER, STATIC],
  ['Forwarding', 'Forwarding is %s', I_FORWARD, STATIC],
  ['ForwDatagrams', '%llu forwarded', NUMBER],
  ['FragCreates', '%llu fragments created', OPT_NUMBER],
  ['FragFails', '%llu outgoing packets failed fragmentation', OPT_NUMBER],
  ['FragOKs', '%llu outgoing packets fragmented ok', OPT_NUMBER],
  ['InAddrErrors', '%llu with invalid addresses', OPT_NUMBER],
  ['InDelivers', '%llu incoming packets delivered', NUMBER],
  ['InDiscards', '%llu incoming packets discarded', NUMBER],
  ['InHdrErrors', '%llu with invalid headers', OPT_NUMBER],
  ['InReceives', '%llu total packets received', NUMBER],
  ['InUnknownProtos', '%llu with unknown protocol', OPT_NUMBER],
  ['OutDiscards', '%llu outgoing packets dropped', OPT_NUMBER],
  ['OutNoRoutes', '%llu dropped because of missing route', OPT_NUMBER],
  ['OutRequests', '%llu requests sent out', NUMBER],
  ['ReasmFails', '%llu packet reassemblies failed', OPT_NUMBER],
  ['ReasmOKs', '%llu packets reassembled ok', OPT_NUMBER],
  ['ReasmReqds', '%llu reassemblies required', OPT_NUMBER],
  ['ReasmTimeout', '%llu fragments dropped after timeout', OPT_NUMBER],
];

const IP6: readonly Entry[] = [
  ['Ip6FragCreates', '%llu fragments created', OPT_NUMBER],
  ['Ip6FragFails', '%llu outgoing packets failed fragmentation', OPT_NUMBER],
  ['Ip6FragOKs', '%llu outgoing packets fragmented ok', OPT_NUMBER],
  ['Ip6InAddrErrors', '%llu with invalid addresses', OPT_NUMBER],
  ['Ip6InDelivers', '%llu incoming packets delivered', NUMBER],
  ['Ip6InDiscards', '%llu incoming packets discarded', NUMBER],
  ['Ip6InHdrErrors', '%llu with invalid headers', OPT_NUMBER],
  ['Ip6InMcastPkts', '%llu incoming multicast packets', OPT_NUMBER],
  ['Ip6InNoRoutes', '%llu incoming packets with no route', OPT_NUMBER],
  ['Ip6InReceives', '%llu total packets received', NUMBER],
  ['Ip6InTooBigErrors', '%llu with packets too big', OPT_NUMBER],
  ['Ip6InTruncatedPkts', '%llu with truncated packets', OPT_NUMBER],
  ['Ip6InUnknownProtos', '%llu with unknown protocol', OPT_NUMBER],
  ['Ip6OutDiscards', '%llu outgoing packets dropped', OPT_NUMBER],
  ['Ip6OutForwDatagrams', '%llu forwarded', NUMBER],
  ['Ip6OutMcastPkts', '%llu outgoing multicast packets', OPT_NUMBER],
  ['Ip6OutNoRoutes', '%llu dropped because of missing route', OPT_NUMBER],
  ['Ip6OutRequests', '%llu requests sent out', NUMBER],
  ['Ip6ReasmFails', '%llu packet reassemblies failed', OPT_NUMBER],
  ['Ip6ReasmOKs', '%llu packets reassembled ok', OPT_NUMBER],
  ['Ip6ReasmReqds', '%llu reassemblies required', OPT_NUMBER],
  ['Ip6ReasmTimeout', '%llu fragments dropped after timeout', OPT_NUMBER],
];

const ICMP: readonly Entry[] = [
  ['InAddrMaskReps', 'address mask replies: %llu', I_INP_ICMP, TITLE],
  ['InAddrMasks', 'address mask request: %llu', I_INP_ICMP, TITLE],
  ['InDestUnreachs', 'destination unreachable: %llu', I_INP_ICMP, TITLE],
  ['InEchoReps', 'echo replies: %llu', I_INP_ICMP, TITLE],
  ['InEchos', 'echo requests: %llu', I_INP_ICMP, TITLE],
  ['InErrors', '%llu input ICMP message failed', NUMBER],
  ['InMsgs', '%llu ICMP messages received', NUMBER],
  ['InParmProbs', 'wrong parameters: %llu', I_INP_ICMP, TITLE],
  ['InRedirects', 'redirects: %llu', I_INP_ICMP, TITLE],
  ['InSrcQuenchs', 'source quenches: %llu', I_INP_ICMP, TITLE],
  ['InTimeExcds', 'timeout in transit: %llu', I_INP_ICMP, TITLE],
  ['InTimestampReps', 'timestamp reply: %llu', I_INP_ICMP, TITLE],
  ['InTimestamps', 'timestamp request: %llu', I_INP_ICMP, TITLE],
  ['OutAddrMaskReps', 'address mask replies: %llu', I_OUTP_ICMP, TITLE],
  ['OutAddrMasks', 'address mask requests: %llu', I_OUTP_ICMP, TITLE],
  ['OutDestUnreachs', 'destination unreachable: %llu', I_OUTP_ICMP, TITLE],
  ['OutEchoReps', 'echo replies: %llu', I_OUTP_ICMP, TITLE],
  ['OutEchos', 'echo requests: %llu', I_OUTP_ICMP, TITLE],
  ['OutErrors', '%llu ICMP messages failed', NUMBER],
  ['OutMsgs', '%llu ICMP messages sent', NUMBER],
  ['OutParmProbs', 'wrong parameters: %llu', I_OUTP_ICMP, TITLE],
  ['OutRedirects', 'redirect: %llu', I_OUTP_ICMP, TITLE],
  ['OutSrcQuenchs', 'source quench: %llu', I_OUTP_ICMP, TITLE],
  ['OutTimeExcds', 'time exceeded: %llu', I_OUTP_ICMP, TITLE],
  ['OutTimestampReps', 'timestamp replies: %llu', I_OUTP_ICMP, TITLE],
  ['OutTimestamps', 'timestamp requests: %llu', I_OUTP_ICMP, TITLE],
];

const ICMP6: readonly Entry[] = [
  ['Icmp6InDestUnreachs', 'destination unreachable: %llu', I_INP_ICMP, TITLE],
  ['Icmp6InEchoReplies', 'echo replies: %llu', I_INP_ICMP, TITLE],
  ['Icmp6InEchos', 'echo requests: %llu', I_INP_ICMP, TITLE],
  ['Icmp6InErrors', '%llu input ICMP message failed', NUMBER],
  ['Icmp6InGroupMembQueries', 'group member queries: %llu', I_INP_ICMP, TITLE],
  ['Icmp6InGroupMembReductions', 'group member reductions: %llu', I_INP_ICMP, TITLE],
  ['Icmp6InGroupMembResponses', 'group member responses: %llu', I_INP_ICMP, TITLE],
  ['Icmp6InMsgs', '%llu ICMP messages received', NUMBER],
  ['Icmp6InNeighborAdvertisements', 'neighbour advertisement: %llu', I_INP_ICMP, TITLE],
  ['Icmp6InNeighborSolicits', 'neighbour solicits: %llu', I_INP_ICMP, TITLE],
  ['Icmp6InParmProblems', 'parameter problem: %llu', I_INP_ICMP, TITLE],
  ['Icmp6InPktTooBigs', 'packets too big: %llu', I_INP_ICMP, TITLE],
  ['Icmp6InRedirects', 'redirects: %llu', I_INP_ICMP, TITLE],
  ['Icmp6InRouterAdvertisements', 'router advertisement: %llu', I_INP_ICMP, TITLE],
  ['Icmp6InRouterSolicits', 'router solicits: %llu', I_INP_ICMP, TITLE],
  ['Icmp6InTimeExcds', 'received ICMPv6 time exceeded: %llu', I_INP_ICMP, TITLE],
  ['Icmp6OutDestUnreachs', 'destination unreachable: %llu', I_OUTP_ICMP, TITLE],
  ['Icmp6OutEchoReplies', 'echo replies: %llu', I_OUTP_ICMP, TITLE],
  ['Icmp6OutEchos', 'echo requests: %llu', I_OUTP_ICMP, TITLE],
  ['Icmp6OutGroupMembQueries', 'group member queries: %llu', I_OUTP_ICMP, TITLE],
  ['Icmp6OutGroupMembReductions', 'group member reductions: %llu', I_OUTP_ICMP, TITLE],
  ['Icmp6OutGroupMembResponses', 'group member responses: %llu', I_OUTP_ICMP, TITLE],
  ['Icmp6OutMsgs', '%llu ICMP messages sent', NUMBER],
  ['Icmp6OutNeighborAdvertisements', 'neighbor advertisements: %llu', I_OUTP_ICMP, TITLE],
  ['Icmp6OutNeighborSolicits', 'neighbor solicits: %llu', I_OUTP_ICMP, TITLE],
  ['Icmp6OutParmProblems', 'parameter problem: %llu', I_OUTP_ICMP, TITLE],
  ['Icmp6OutPktTooBigs', 'packets too big: %llu', I_OUTP_ICMP, TITLE],
  ['Icmp6OutRedirects', 'redirects: %llu', I_OUTP_ICMP, TITLE],
  // The trailing space is net-tools' own: this entry is never found.
  ['Icmp6OutRouterAdvertisements ', 'router advertisement: %llu', I_OUTP_ICMP, TITLE],
  ['Icmp6OutRouterSolicits', 'router solicits: %llu', I_OUTP_ICMP, TITLE],
  ['Icmp6OutTimeExcds', 'sent ICMPv6 time exceeded: %llu', I_OUTP_ICMP, TITLE],
];

const TCP: readonly Entry[] = [
  ['ActiveOpens', '%llu active connection openings', NUMBER],
  ['AttemptFails', '%llu failed connection attempts', NUMBER],
  ['CurrEstab', '%llu connections established', NUMBER],
  ['EstabResets', '%llu connection resets received', NUMBER],
  ['InErrs', '%llu bad segments received', NUMBER],
  ['InSegs', '%llu segments received', NUMBER],
  ['MaxConn', '', NUMBER],
  ['OutRsts', '%llu resets sent', NUMBER],
  ['OutSegs', '%llu segments sent out', NUMBER],
  ['PassiveOpens', '%llu passive connection openings', NUMBER],
  ['RetransSegs', '%llu segments retransmitted', NUMBER],
  ['RtoAlgorithm', 'RTO algorithm is %s', I_RTO_ALG, STATIC],
  ['RtoMax', '', NUMBER],
  ['RtoMin', '', NUMBER],
];

const UDP: readonly Entry[] = [
  ['InDatagrams', '%llu packets received', NUMBER],
  ['InErrors', '%llu packet receive errors', NUMBER],
  ['NoPorts', '%llu packets to unknown port received', NUMBER],
  ['OutDatagrams', '%llu packets sent', NUMBER],
  ['RcvbufErrors', '%llu receive buffer errors', NUMBER],
  ['SndbufErrors', '%llu send buffer errors', NUMBER],
];

const UDP6: readonly Entry[] = [
  ['Udp6InDatagrams', '%llu packets received', NUMBER],
  ['Udp6InErrors', '%llu packet receive errors', NUMBER],
  ['Udp6NoPorts', '%llu packets to unknown port received', NUMBER],
  ['Udp6OutDatagrams', '%llu packets sent', NUMBER],
];

const TCPEXT: readonly Entry[] = [
  ['DelayedACKLocked', '%llu delayed acks further delayed because of locked socket', OPT_NUMBER],
  ['DelayedACKLost', 'Quick ack mode was activated %llu times', OPT_NUMBER],
  ['DelayedACKs', '%llu delayed acks sent', OPT_NUMBER],
  ['EmbryonicRsts', '%llu resets received for embryonic SYN_RECV sockets', OPT_NUMBER],
  ['ListenDrops', '%llu SYNs to LISTEN sockets dropped', OPT_NUMBER],
  ['ListenOverflows', '%llu times the listen queue of a socket overflowed', OPT_NUMBER],
  ['LockDroppedIcmps', '%llu ICMP packets dropped because socket was locked', OPT_NUMBER],
  ['OfoPruned', '%llu packets dropped from out-of-order queue because of socket buffer overrun', OPT_NUMBER],
  ['OutOfWindowIcmps', '%llu ICMP packets dropped because they were out-of-window', OPT_NUMBER],
  ['PAWSActive', '%llu active connections rejected because of time stamp', OPT_NUMBER],
  ['PAWSEstab', '%llu packets rejected in established connections because of timestamp', OPT_NUMBER],
  ['PAWSPassive', '%llu passive connections rejected because of time stamp', OPT_NUMBER],
  ['PruneCalled', '%llu packets pruned from receive queue because of socket buffer overrun', OPT_NUMBER],
  ['RcvPruned', '%llu packets pruned from receive queue', OPT_NUMBER],
  ['SockMallocOOM', 'Ran %llu times out of system memory during packet sending', OPT_NUMBER],
  ['SyncookiesFailed', '%llu invalid SYN cookies received', OPT_NUMBER],
  ['SyncookiesRecv', '%llu SYN cookies received', OPT_NUMBER],
  ['SyncookiesSent', '%llu SYN cookies sent', OPT_NUMBER],
  ['TCPAbortFailed', '%llu times unable to send RST due to no memory', OPT_NUMBER],
  ['TCPAbortOnClose', '%llu connections reset due to early user close', OPT_NUMBER],
  ['TCPAbortOnData', '%llu connections reset due to unexpected data', OPT_NUMBER],
  ['TCPAbortOnLinger', '%llu connections aborted after user close in linger timeout', OPT_NUMBER],
  ['TCPAbortOnMemory', '%llu connections aborted due to memory pressure', OPT_NUMBER],
  ['TCPAbortOnSyn', '%llu connections reset due to unexpected SYN', OPT_NUMBER],
  ['TCPAbortOnTimeout', '%llu connections aborted due to timeout', OPT_NUMBER],
  ['TCPDirectCopyFromBacklog', '%llu bytes directly in process context from backlog', OPT_NUMBER],
  ['TCPDirectCopyFromPrequeue', '%llu bytes directly received in process context from prequeue', OPT_NUMBER],
  ['TCPDSACKOfoRecv', '%llu DSACKs for out of order packets received', OPT_NUMBER],
  ['TCPDSACKOfoSent', '%llu DSACKs sent for out of order packets', OPT_NUMBER],
  ['TCPDSACKOldSent', '%llu DSACKs sent for old packets', OPT_NUMBER],
  ['TCPDSACKRecv', '%llu DSACKs received', OPT_NUMBER],
  ['TCPDSackUndo', '%llu congestion window recovered without slow start using DSACK', OPT_NUMBER],
  ['TCPDSACKUndo', '%llu congestion windows recovered without slow start by DSACK', OPT_NUMBER],
  ['TCPFACKReorder', 'Detected reordering %llu times using FACK', OPT_NUMBER],
  ['TCPFastRetrans', '%llu fast retransmits', OPT_NUMBER],
  ['TCPForwardRetrans', '%llu forward retransmits', OPT_NUMBER],
  ['TCPFullUndo', '%llu congestion windows fully recovered without slow start', OPT_NUMBER],
  ['TCPHPAcks', '%llu predicted acknowledgments', OPT_NUMBER],
  ['TCPHPHits', '%llu packet headers predicted', NUMBER],
  ['TCPHPHitsToUser', '%llu packet headers predicted and directly queued to user', OPT_NUMBER],
  ['TCPLossFailures', '%llu timeouts in loss state', OPT_NUMBER],
  ['TCPLoss', '%llu TCP data loss events', OPT_NUMBER],
  ['TCPLossUndo', '%llu congestion windows recovered without slow start after partial ack', OPT_NUMBER],
  ['TCPLostRetransmits', '%llu retransmits lost', OPT_NUMBER],
  ['TCPMemoryPressures', 'TCP ran low on memory %llu times', OPT_NUMBER],
  ['TCPPartialUndo', '%llu congestion windows partially recovered using Hoe heuristic', OPT_NUMBER],
  ['TCPPrequeued', '%llu packets directly queued to recvmsg prequeue', OPT_NUMBER],
  ['TCPPrequeueDropped', '%llu packets dropped from prequeue', OPT_NUMBER],
  ['TCPPureAcks', '%llu acknowledgments not containing data payload received', OPT_NUMBER],
  ['TCPRcvCollapsed', '%llu packets collapsed in receive queue due to low socket buffer', OPT_NUMBER],
  ['TCPRenoFailures', '%llu timeouts after reno fast retransmit', OPT_NUMBER],
  ['TCPRenoRecoveryFailed', '%llu reno fast retransmits failed', OPT_NUMBER],
  ['TCPRenoRecoveryFail', '%llu classic Reno fast retransmits failed', OPT_NUMBER],
  ['TCPRenoRecovery', '%llu times recovered from packet loss due to fast retransmit', OPT_NUMBER],
  ['TCPRenoReorder', 'Detected reordering %llu times using reno fast retransmit', OPT_NUMBER],
  ['TCPSackFailures', '%llu timeouts after SACK recovery', OPT_NUMBER],
  ['TCPSackRecoveryFail', '%llu SACK retransmits failed', OPT_NUMBER],
  ['TCPSackRecovery', '%llu times recovered from packet loss by selective acknowledgements', OPT_NUMBER],
  ['TCPSACKReneging', '%llu bad SACK blocks received', OPT_NUMBER],
  ['TCPSACKReorder', 'Detected reordering %llu times using SACK', OPT_NUMBER],
  ['TCPSchedulerFailed', '%llu times receiver scheduled too late for direct processing', OPT_NUMBER],
  ['TCPSlowStartRetrans', '%llu retransmits in slow start', OPT_NUMBER],
  ['TCPTimeouts', '%llu other TCP timeouts', OPT_NUMBER],
  ['TCPTSReorder', 'Detected reordering %llu times using time stamp', OPT_NUMBER],
  ['TWKilled', '%llu TCP sockets finished time wait in slow timer', OPT_NUMBER],
  ['TW', '%llu TCP sockets finished time wait in fast timer', OPT_NUMBER],
  ['TWRecycled', '%llu time wait sockets recycled by time stamp', OPT_NUMBER],
];

const SCTP: readonly Entry[] = [
  ['SctpAborteds', '%llu Number of Aborteds ', NUMBER],
  ['SctpActiveEstabs', '%llu Active Associations', NUMBER],
  ['SctpChecksumErrors', '%llu Number of Packets with invalid Checksum', NUMBER],
  ['SctpCurrEstab', '%llu Current Associations', NUMBER],
  ['SctpFragUsrMsgs', '%llu Number of messages fragmented', NUMBER],
  ['SctpInCtrlChunks', '%llu Number of control chunks received', NUMBER],
  ['SctpInOrderChunks', '%llu Number of ordered chunks received', NUMBER],
  ['SctpInSCTPPacks', '%llu Number of SCTP packets received', NUMBER],
  ['SctpInUnorderChunks', '%llu Number of Unordered chunks received', NUMBER],
  ['SctpOutCtrlChunks', '%llu Number of control chunks sent', NUMBER],
  ['SctpOutOfBlues', '%llu Number of Out of Blue packets', NUMBER],
  ['SctpOutOrderChunks', '%llu Number of ordered chunks sent', NUMBER],
  ['SctpOutSCTPPacks', '%llu Number of SCTP packets sent', NUMBER],
  ['SctpOutUnorderChunks', '%llu Number of Unordered chunks sent', NUMBER],
  ['SctpPassiveEstabs', '%llu Passive Associations', NUMBER],
  ['SctpReasmUsrMsgs', '%llu Number of messages reassembled ', NUMBER],
  ['SctpShutdowns', '%llu Number of Graceful Terminations', NUMBER],
];

type Flag = 'raw' | 'tcp' | 'udp' | 'sctp';

interface Table {
  readonly title: string;
  readonly entries: readonly Entry[] | undefined;
  /** Which protocol flag shows it; undefined: a section net-tools has no table for, always shown. */
  readonly flag: Flag | undefined;
}

const SNMP_TABLES: readonly Table[] = [
  { title: 'Ip', entries: IP, flag: 'raw' },
  { title: 'Icmp', entries: ICMP, flag: 'raw' },
  { title: 'Tcp', entries: TCP, flag: 'tcp' },
  { title: 'Udp', entries: UDP, flag: 'udp' },
  { title: 'Sctp', entries: SCTP, flag: 'sctp' },
  { title: 'TcpExt', entries: TCPEXT, flag: 'tcp' },
];

const SNMP6_TABLES: readonly Table[] = [
  { title: 'Ip6', entries: IP6, flag: 'raw' },
  { title: 'Icmp6', entries: ICMP6, flag: 'raw' },
  { title: 'Udp6', entries: UDP6, flag: 'udp' },
  { title: 'Tcp6', entries: TCP, flag: 'tcp' },
];

function strcmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** glibc's bsearch, step for step, so an unsorted table misses exactly what netstat misses. */
export function bsearch(key: string, entries: readonly Entry[]): Entry | undefined {
  let l = 0;
  let u = entries.length;
  while (l < u) {
    const idx = (l + u) >>> 1;
    const c = strcmp(key, entries[idx]![0]);
    if (c < 0) u = idx;
    else if (c > 0) l = idx + 1;
    else return entries[idx];
  }
  return undefined;
}

const U64 = (1n << 64n) - 1n;

/** strtoull: leading blanks, a sign, decimal digits; "-1" wraps to 2^64-1; no digits is 0. */
function strtoull(text: string): bigint {
  const m = /^[ \t\n]*([+-]?)(\d+)/.exec(text);
  if (!m) return 0n;
  const v = BigInt(m[2]!) & U64;
  return m[1] === '-' ? (U64 + 1n - v) & U64 : v;
}

export interface StatisticsFlags {
  readonly raw: boolean;
  readonly tcp: boolean;
  readonly udp: boolean;
  readonly sctp: boolean;
}

/** The printing machine of statistics.c: its state (indentation, histogram) runs across sections. */
class Printer {
  readonly out: string[] = [];
  private state = NUMBER;

  constructor(private readonly flags: StatisticsFlags) {}

  shows(t: Table): boolean {
    return t.flag === undefined || this.flags[t.flag];
  }

  /** newtable: the section title (when its flag is on); a known section resets the state. */
  open(tables: readonly Table[], title: string): Table {
    const known = tables.find((t) => t.title === title);
    if (known) {
      if (this.shows(known)) this.out.push(`${title}:`);
      this.state = NUMBER;
      return known;
    }
    this.out.push(`${title}:`);
    return { title, entries: undefined, flag: undefined };
  }

  value(t: Table, title: string, val: bigint): void {
    const entry = t.entries ? bsearch(title, t.entries) : undefined;
    if (!entry) {
      if (val !== 0n) this.out.push(`${' '.repeat(INDENT[this.state]!)}${title}: ${val}`);
      return;
    }
    const [, out, type, marks = 0] = entry;
    if (marks & STATIC) return; // print_static is never set
    if (out === '') return;
    if (marks & TITLE && this.state !== type) {
      this.out.push(`${' '.repeat(INDENT[this.state]!)}${STATE_TITLE[type]}`);
    }
    let text = '';
    if (type === NUMBER || (type === OPT_NUMBER && val !== 0n)) text = out.replace('%llu', String(val));
    else if ((type === I_INP_ICMP || type === I_OUTP_ICMP) && val > 0n)
      text = out.replace('%llu', String(val));
    if (text) this.out.push(`${' '.repeat(INDENT[type]!)}${text}`);
    this.state = type;
  }
}

export interface StatisticsResult {
  readonly stdout: string[];
  readonly stderr: string[];
}

/** process_fd: a file of "Group: names" / "Group: values" line pairs, all groups or those starting with `only`. */
function pairs(p: Printer, text: string, only: string | undefined, file: string, stderr: string[]): void {
  const lines = text.split('\n');
  // getline's end of file: past the last line, or at the empty piece after the final newline.
  const eof = (at: number) => at >= lines.length || (at === lines.length - 1 && lines[at] === '');
  let i = 0;
  while (!eof(i)) {
    const head = lines[i++]!;
    if (head === '') continue; // the empty first line of some 2.6 kernels
    if (eof(i)) break; // a header without its values
    const values = lines[i++]!;
    const hc = head.indexOf(':');
    const vc = values.indexOf(':');
    if (hc < 0 || vc < 0) {
      stderr.push(`Problem while parsing ${file}`);
      return;
    }
    const title = head.slice(0, hc);
    if (only !== undefined && !title.startsWith(only)) continue;
    const table = p.open(SNMP_TABLES, title);
    if (!p.shows(table)) continue;
    const names = head
      .slice(hc + 1)
      .split(/[ \t]+/)
      .filter(Boolean);
    let rest = values.slice(vc + 1);
    for (const name of names) {
      const m = /^[ \t\n]*[+-]?\d*/.exec(rest)!;
      p.value(table, name, strtoull(rest));
      rest = rest.slice(m[0].length);
    }
  }
}

/** cpytitle: a snmp6 counter's section, up to and including its first '6' ("Icmp6InMsgs" → "Icmp6"). */
function snmp6Title(name: string): string {
  const six = name.indexOf('6');
  return six < 0 ? name : name.slice(0, six + 1);
}

/** process6_fd: "Name value" lines, a new section whenever the name stops containing the current one. */
function snmp6(p: Printer, text: string): void {
  let table: Table | undefined;
  let title = '';
  let last = 0n;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const [name = '', value] = line.trim().split(/[ \t]+/);
    if (value !== undefined && /^[+-]?\d/.test(value)) last = strtoull(value);
    if (!table || !name.includes(title)) {
      title = snmp6Title(name);
      table = p.open(SNMP6_TABLES, title);
    }
    if (p.shows(table)) p.value(table, name, last);
  }
}

/** process_fd2: /proc/net/sctp/snmp's "Name value" lines, as the Sctp section. */
function sctpSnmp(p: Printer, text: string): void {
  const table = p.open(SNMP_TABLES, 'Sctp');
  for (const line of text.split('\n')) {
    const m = /^(\S*)[ \t\n]*(.*)$/.exec(line)!;
    if (m[2] !== '' && p.shows(table)) p.value(table, m[1]!, strtoull(m[2]!));
  }
}

export interface StatisticsFiles {
  readonly snmp: string | undefined;
  readonly netstat: string | undefined;
  readonly snmp6: string | undefined;
  readonly sctpSnmp: string | undefined;
}

/** parsesnmp (IPv4: -s, -s -4, -s -A inet): snmp, netstat and sctp/snmp. */
export function ipv4Statistics(files: StatisticsFiles, flags: StatisticsFlags): StatisticsResult {
  const p = new Printer(flags);
  const stderr: string[] = [];
  if (files.snmp === undefined) {
    return { stdout: [], stderr: ['cannot open /proc/net/snmp: No such file or directory'] };
  }
  pairs(p, files.snmp, undefined, '/proc/net/snmp', stderr);
  if (files.netstat !== undefined) pairs(p, files.netstat, undefined, '/proc/net/netstat', stderr);
  if (files.sctpSnmp !== undefined) sctpSnmp(p, files.sctpSnmp);
  return { stdout: p.out, stderr };
}

/** parsesnmp6 (-s -6, -s -A inet6): snmp6, then the Tcp section of snmp. */
export function ipv6Statistics(files: StatisticsFiles, flags: StatisticsFlags): StatisticsResult {
  const p = new Printer(flags);
  const stderr: string[] = [];
  if (files.snmp6 === undefined) {
    return { stdout: [], stderr: ['cannot open /proc/net/snmp6: No such file or directory'] };
  }
  snmp6(p, files.snmp6);
  if (files.snmp === undefined) {
    return { stdout: p.out, stderr: ['cannot open /proc/net/snmp: No such file or directory'] };
  }
  pairs(p, files.snmp, 'Tcp', '/proc/net/snmp', stderr);
  return { stdout: p.out, stderr };
}

/**
 * `-s --all-counters`: every counter the kernel reports, by group, netstat's sentence where it has one and
 * `Name: value` for the rest (levels included), zeros kept.
 */
export function allCounters(
  counters: CounterGroups,
  o: { tcp: boolean; udp: boolean; udplite: boolean; raw: boolean; inet4: boolean; inet6: boolean },
): string[] {
  const wanted: string[] = [];
  if (o.tcp) wanted.push('Tcp', 'TcpExt', 'MPTcpExt');
  if (o.udp) wanted.push('Udp', 'Udp6');
  if (o.udplite) wanted.push('UdpLite', 'UdpLite6');
  if (o.raw) wanted.push('Ip', 'Icmp', 'IcmpMsg', 'Ip6', 'Icmp6', 'IpExt');
  const out: string[] = [];
  for (const [group, values] of counters) {
    if (wanted.length > 0 && !wanted.includes(group)) continue;
    if (o.inet4 && !o.inet6 && group.endsWith('6')) continue;
    if (o.inet6 && !o.inet4 && !group.endsWith('6')) continue;
    out.push(`${group}:`);
    for (const [name, value] of values) {
      const text = counterDescription(group, name);
      out.push(text && !isGauge(group, name) ? `    ${value} ${text}` : `    ${name}: ${value}`);
    }
  }
  return out;
}
