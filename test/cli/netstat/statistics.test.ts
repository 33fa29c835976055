import { describe, expect, it } from 'vitest';
import { bsearch, ipv4Statistics, ipv6Statistics } from '../../../src/cli/netstat/statistics.js';

const ALL = { raw: true, tcp: true, udp: true, sctp: true };
const NONE = { raw: false, tcp: false, udp: false, sctp: false };

const SNMP = [
  'Ip: Forwarding DefaultTTL InReceives InHdrErrors InAddrErrors ForwDatagrams InUnknownProtos InDiscards InDelivers OutRequests OutDiscards OutNoRoutes ReasmTimeout ReasmReqds ReasmOKs ReasmFails FragOKs FragFails FragCreates OutTransmits',
  'Ip: 1 64 3039 0 0 0 0 0 3039 3000 0 16 0 0 0 0 0 0 0 3000',
  'Icmp: InMsgs InErrors InCsumErrors InDestUnreachs InTimeExcds InParmProbs InSrcQuenchs InRedirects InEchos InEchoReps InTimestamps InTimestampReps InAddrMasks InAddrMaskReps OutMsgs OutErrors OutRateLimitGlobal OutRateLimitHost OutDestUnreachs OutTimeExcds OutParmProbs OutSrcQuenchs OutRedirects OutEchos OutEchoReps OutTimestamps OutTimestampReps OutAddrMasks OutAddrMaskReps',
  'Icmp: 5 0 6 0 0 0 0 0 5 0 0 0 0 0 7 0 0 0 2 0 0 0 0 0 5 0 0 0 0',
  'IcmpMsg: InType8 OutType0',
  'IcmpMsg: 5 5',
  'Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors',
  'Tcp: 1 200 120000 -1 42 35 0 1 416 646705 648037 99 0 150 0',
  'Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors',
  'Udp: 74 0 0 74 0 0 0 3 0',
  'UdpLite: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors',
  'UdpLite: 0 0 0 0 0 0 0 0 0',
  '',
].join('\n');

const NETSTAT = [
  'TcpExt: SyncookiesSent TW DelayedACKs TCPDSACKUndo TCPTimeouts TCPSynRetrans',
  'TcpExt: 0 316 70 8 44 7',
  'IpExt: InNoRoutes InOctets',
  'IpExt: 0 1234',
  '',
].join('\n');

describe('netstat -s, as statistics.c prints it', () => {
  it('has its sentences, omissions, "Name: value" lines and indentation', () => {
    const out = ipv4Statistics({ snmp: SNMP, netstat: NETSTAT, snmp6: undefined, sctpSnmp: undefined }, ALL);
    expect(out.stderr).toEqual([]);
    expect(out.stdout).toEqual([
      'Ip:',
      // Forwarding is in Iptab, but before ForwDatagrams, which bsearch cannot get past: not found.
      '    Forwarding: 1',
      '    3039 total packets received',
      '    0 forwarded',
      '    0 incoming packets discarded',
      '    3039 incoming packets delivered',
      '    3000 requests sent out',
      '    16 dropped because of missing route',
      '    OutTransmits: 3000',
      'Icmp:',
      '    5 ICMP messages received',
      '    0 input ICMP message failed',
      '    InCsumErrors: 6',
      // The title comes with the first histogram counter, even a zero one.
      '    ICMP input histogram:',
      '        echo requests: 5',
      '    7 ICMP messages sent',
      '    0 ICMP messages failed',
      '    ICMP output histogram:',
      '        destination unreachable: 2',
      '        echo replies: 5',
      // No table for IcmpMsg: "Name: value" for what is not zero, indented as the histogram was.
      'IcmpMsg:',
      '        InType8: 5',
      '        OutType0: 5',
      'Tcp:',
      '    42 active connection openings',
      '    35 passive connection openings',
      '    0 failed connection attempts',
      '    1 connection resets received',
      '    416 connections established',
      '    646705 segments received',
      '    648037 segments sent out',
      '    99 segments retransmitted',
      '    0 bad segments received',
      '    150 resets sent',
      'Udp:',
      '    74 packets received',
      '    0 packets to unknown port received',
      '    0 packet receive errors',
      '    74 packets sent',
      '    0 receive buffer errors',
      '    0 send buffer errors',
      '    IgnoredMulti: 3',
      'UdpLite:',
      'TcpExt:',
      // TW is found; TCPDSACKUndo and TCPTimeouts are in the table but out of order: bsearch misses them.
      '    316 TCP sockets finished time wait in fast timer',
      '    70 delayed acks sent',
      '    TCPDSACKUndo: 8',
      '    TCPTimeouts: 44',
      '    TCPSynRetrans: 7',
      'IpExt:',
      '    InOctets: 1234',
    ]);
  });

  it('-s -t: the protocol flags choose sections; those without a table are always printed', () => {
    const out = ipv4Statistics(
      { snmp: SNMP, netstat: NETSTAT, snmp6: undefined, sctpSnmp: undefined },
      { ...NONE, tcp: true },
    );
    expect(out.stdout.filter((l) => l.endsWith(':') && !l.startsWith(' '))).toEqual([
      'IcmpMsg:',
      'Tcp:',
      'UdpLite:',
      'TcpExt:',
      'IpExt:',
    ]);
    expect(out.stdout).toContain('    416 connections established');
    expect(out.stdout).not.toContain('    74 packets received');
  });

  it('reproduces glibc bsearch on the unsorted tables', () => {
    const ip = [['A'], ['C'], ['B']] as unknown as Parameters<typeof bsearch>[1];
    expect(bsearch('C', ip)?.[0]).toBe('C');
    expect(bsearch('B', ip)).toBeUndefined();
  });

  it('-s -6: snmp6 by section, then the Tcp section of snmp', () => {
    const snmp6 = [
      'Ip6InReceives                   	120',
      'Ip6InHdrErrors                  	0',
      'Ip6InDelivers                   	118',
      'Ip6OutRequests                  	119',
      'Icmp6InMsgs                     	3',
      'Icmp6InErrors                   	0',
      'Icmp6InNeighborSolicits         	2',
      'Icmp6OutRouterAdvertisements    	4',
      'Icmp6InType135                  	2',
      'Udp6InDatagrams                 	10',
      'UdpLite6InDatagrams             	0',
      'UdpLite6InErrors                	1',
      '',
    ].join('\n');
    const out = ipv6Statistics({ snmp: SNMP, netstat: undefined, snmp6, sctpSnmp: undefined }, ALL);
    expect(out.stdout).toEqual([
      'Ip6:',
      '    120 total packets received',
      '    118 incoming packets delivered',
      '    119 requests sent out',
      'Icmp6:',
      '    3 ICMP messages received',
      '    0 input ICMP message failed',
      '    ICMP input histogram:',
      '        neighbour solicits: 2',
      // net-tools' table has "Icmp6OutRouterAdvertisements " with a space: never found.
      '        Icmp6OutRouterAdvertisements: 4',
      '        Icmp6InType135: 2',
      'Udp6:',
      '    10 packets received',
      'UdpLite6:',
      '    UdpLite6InErrors: 1',
      'Tcp:',
      '    42 active connection openings',
      '    35 passive connection openings',
      '    0 failed connection attempts',
      '    1 connection resets received',
      '    416 connections established',
      '    646705 segments received',
      '    648037 segments sent out',
      '    99 segments retransmitted',
      '    0 bad segments received',
      '    150 resets sent',
    ]);
  });

  it('reads 64-bit and negative values as strtoull does, and keeps them exact', () => {
    const snmp = 'Udp: InDatagrams OutDatagrams\nUdp: 18446744073709551615 -1\n';
    expect(
      ipv4Statistics({ snmp, netstat: undefined, snmp6: undefined, sctpSnmp: undefined }, ALL).stdout,
    ).toEqual(['Udp:', '    18446744073709551615 packets received', '    18446744073709551615 packets sent']);
  });

  it('takes a header without values at the end as the end, and says when a file makes no sense', () => {
    const netstat = 'TcpExt: TW\nTcpExt: 3\nIpExt: InOctets\n';
    const ok = ipv4Statistics(
      { snmp: 'Udp: NoPorts\nUdp: 1\n', netstat, snmp6: undefined, sctpSnmp: undefined },
      ALL,
    );
    expect(ok.stderr).toEqual([]);
    expect(ok.stdout).toEqual([
      'Udp:',
      '    1 packets to unknown port received',
      'TcpExt:',
      '    3 TCP sockets finished time wait in fast timer',
    ]);
    const bad = ipv4Statistics(
      { snmp: 'Udp NoPorts\nUdp 1\n', netstat: undefined, snmp6: undefined, sctpSnmp: undefined },
      ALL,
    );
    expect(bad.stderr).toEqual(['Problem while parsing /proc/net/snmp']);
    expect(
      ipv4Statistics({ snmp: undefined, netstat, snmp6: undefined, sctpSnmp: undefined }, ALL).stderr,
    ).toEqual(['cannot open /proc/net/snmp: No such file or directory']);
  });

  it('prints /proc/net/sctp/snmp as the Sctp section', () => {
    const sctpSnmp =
      'SctpCurrEstab                   	2\nSctpActiveEstabs                	5\nSctpT1InitExpireds              	1\n';
    const out = ipv4Statistics({ snmp: '', netstat: undefined, snmp6: undefined, sctpSnmp }, ALL);
    expect(out.stdout).toEqual([
      'Sctp:',
      '    2 Current Associations',
      '    5 Active Associations',
      '    SctpT1InitExpireds: 1',
    ]);
  });
});
