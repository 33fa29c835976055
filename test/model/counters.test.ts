import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { counterDescription, isGauge, isTroubleCounter } from '../../src/model/counters.js';
import { parseNetstat, parseSnmp } from '../../src/proc/snmp.js';
import { parseSnmp6 } from '../../src/proc/snmp6.js';
import { HostReader } from '../../src/sample/reader.js';

const live = new HostReader(fileURLToPath(new URL('../../fixtures/live-t0/', import.meta.url)));

function liveCounters(): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  const texts = [
    parseSnmp(live.readText('proc/net/snmp') ?? ''),
    parseNetstat(live.readText('proc/net/netstat') ?? ''),
    parseSnmp6(live.readText('proc/net/snmp6') ?? ''),
  ];
  for (const { groups } of texts) {
    for (const [group, names] of groups) for (const name of names.keys()) pairs.push([group, name]);
  }
  return pairs;
}

describe('isGauge', () => {
  it.each([
    ['Tcp', 'CurrEstab'],
    ['Tcp', 'MaxConn'],
    ['Tcp', 'RtoAlgorithm'],
    ['Tcp', 'RtoMin'],
    ['Tcp', 'RtoMax'],
    ['Ip', 'Forwarding'],
    ['Ip', 'DefaultTTL'],
    ['MPTcpExt', 'MPCurrEstab'],
    ['sockstat', 'inuse'],
    ['sockstat', 'mem'],
  ])('%s %s is a level', (group, name) => {
    expect(isGauge(group, name)).toBe(true);
  });

  it.each([
    ['Tcp', 'ActiveOpens'],
    ['Tcp', 'RetransSegs'],
    ['Ip', 'InReceives'],
    ['TcpExt', 'TCPMemoryPressuresChrono'],
    ['Ip6', 'InReceives'],
    // Same name in another group is not the same counter.
    ['TcpExt', 'CurrEstab'],
  ])('%s %s is a counter', (group, name) => {
    expect(isGauge(group, name)).toBe(false);
  });

  it('finds exactly the expected levels among the real kernel counters', () => {
    const gauges = liveCounters()
      .filter(([group, name]) => isGauge(group, name))
      .map(([group, name]) => `${group}.${name}`);
    expect(gauges.sort()).toEqual(
      [
        'Ip.DefaultTTL',
        'Ip.Forwarding',
        'MPTcpExt.MPCurrEstab',
        'Tcp.CurrEstab',
        'Tcp.MaxConn',
        'Tcp.RtoAlgorithm',
        'Tcp.RtoMax',
        'Tcp.RtoMin',
      ].sort(),
    );
  });
});

describe('isTroubleCounter', () => {
  it.each([
    ['Tcp', 'RetransSegs'],
    ['Tcp', 'EstabResets'],
    ['Tcp', 'OutRsts'],
    ['Tcp', 'InErrs'],
    ['Tcp', 'InCsumErrors'],
    ['Tcp', 'AttemptFails'],
    ['TcpExt', 'TCPLostRetransmit'],
    ['TcpExt', 'TCPSynRetrans'],
    ['TcpExt', 'TCPFastRetrans'],
    ['TcpExt', 'TCPSlowStartRetrans'],
    ['TcpExt', 'TCPTimeouts'],
    ['TcpExt', 'ListenDrops'],
    ['TcpExt', 'ListenOverflows'],
    ['TcpExt', 'TCPBacklogDrop'],
    ['TcpExt', 'TCPRcvQDrop'],
    ['TcpExt', 'TCPAbortOnTimeout'],
    ['TcpExt', 'TCPAbortOnData'],
    ['TcpExt', 'SyncookiesSent'],
    ['TcpExt', 'TCPMemoryPressures'],
    ['TcpExt', 'OfoPruned'],
    ['Ip', 'InDiscards'],
    ['Ip', 'OutDiscards'],
    ['Ip', 'OutNoRoutes'],
    ['Ip', 'ReasmFails'],
    ['IpExt', 'InCsumErrors'],
    ['Udp', 'InErrors'],
    ['Udp', 'RcvbufErrors'],
    ['Udp', 'SndbufErrors'],
    ['Udp6', 'RcvbufErrors'],
    ['Ip6', 'InDiscards'],
    ['Icmp6', 'InErrors'],
  ])('%s %s signals trouble', (group, name) => {
    expect(isTroubleCounter(group, name)).toBe(true);
  });

  it.each([
    ['Tcp', 'ActiveOpens'],
    ['Tcp', 'InSegs'],
    ['Tcp', 'CurrEstab'],
    ['Tcp', 'MaxConn'],
    ['Ip', 'InReceives'],
    ['IpExt', 'InNoRoutes'],
    ['Ip6', 'InNoRoutes'],
    ['Udp', 'NoPorts'],
    ['Udp', 'InDatagrams'],
    ['TcpExt', 'TCPDeferAcceptDrop'],
    ['TcpExt', 'TCPAODroppedIcmps'],
    ['TcpExt', 'TCPPureAcks'],
    ['TcpExt', 'TW'],
    ['sockstat', 'orphan'],
  ])('%s %s is benign', (group, name) => {
    expect(isTroubleCounter(group, name)).toBe(false);
  });
});

describe('counterDescription', () => {
  it.each([
    ['Tcp', 'RetransSegs', 'segments retransmitted'],
    ['Tcp', 'ActiveOpens', 'active connection openings'],
    ['Ip', 'InReceives', 'total packets received'],
    ['TcpExt', 'ListenDrops', 'SYNs to LISTEN sockets dropped'],
    ['Udp', 'InErrors', 'packet receive errors'],
    ['Icmp', 'InMsgs', 'ICMP messages received'],
    ['Ip6', 'InReceives', 'total packets received'],
    ['Udp6', 'InErrors', 'packet receive errors'],
  ])('%s %s → %s', (group, name, text) => {
    expect(counterDescription(group, name)).toBe(text);
  });

  it('is undefined for counters without wording and for unknown groups', () => {
    expect(counterDescription('TcpExt', 'TCPACKSkippedSeq')).toBeUndefined();
    expect(counterDescription('Nope', 'InReceives')).toBeUndefined();
    expect(counterDescription('Tcp', 'toString')).toBeUndefined();
    expect(counterDescription('constructor', 'name')).toBeUndefined();
  });

  it('covers every real Ip, Icmp top-level, Tcp and Udp counter', () => {
    const missing = liveCounters()
      .filter(([group, name]) => {
        if (group === 'Icmp') return /Msgs|Errors|RateLimit/.test(name);
        return group === 'Ip' || group === 'Tcp' || group === 'Udp';
      })
      .filter(([group, name]) => counterDescription(group, name) === undefined);
    expect(missing).toEqual([]);
  });

  it('describes at least 20 TcpExt counters present in the real kernel', () => {
    const described = liveCounters().filter(
      ([group, name]) => group === 'TcpExt' && counterDescription(group, name) !== undefined,
    );
    expect(described.length).toBeGreaterThanOrEqual(20);
  });
});
