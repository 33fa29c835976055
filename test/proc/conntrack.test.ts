import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConntrack } from '../../src/proc/conntrack.js';
import { HostReader } from '../../src/sample/reader.js';

const live = new HostReader(fileURLToPath(new URL('../../fixtures/live-t0/', import.meta.url)));
const edge = new HostReader(fileURLToPath(new URL('../../fixtures/edge-counters/', import.meta.url)));

const TCP_ESTABLISHED =
  'ipv4     2 tcp      6 431999 ESTABLISHED src=127.0.0.1 dst=127.0.0.1 sport=53920 dport=5000 ' +
  'src=127.0.0.1 dst=127.0.0.1 sport=5000 dport=53920 [ASSURED] mark=0 zone=0 use=2';
const UDP =
  'ipv4     2 udp      17 29 src=127.0.0.1 dst=127.0.0.1 sport=53196 dport=5001 [UNREPLIED] ' +
  'src=127.0.0.1 dst=127.0.0.1 sport=5001 dport=53196 mark=0 zone=0 use=2';

describe('parseConntrack', () => {
  it('counts total, per protocol and per tcp state', () => {
    const { summary, skipped } = parseConntrack(`${TCP_ESTABLISHED}\n${UDP}\n${TCP_ESTABLISHED}\n`);
    expect(skipped).toBe(0);
    expect(summary.total).toBe(3);
    expect(summary.byProto).toEqual(
      new Map([
        ['tcp', 2],
        ['udp', 1],
      ]),
    );
    expect(summary.byTcpState).toEqual(new Map([['ESTABLISHED', 2]]));
  });

  it('reads the state of an offloaded flow, which has no expiry field', () => {
    const line =
      'ipv4     2 tcp      6 ESTABLISHED src=10.0.0.2 dst=10.0.0.3 sport=1 dport=2 [OFFLOAD] use=3';
    const { summary, skipped } = parseConntrack(line);
    expect(skipped).toBe(0);
    expect(summary.byTcpState.get('ESTABLISHED')).toBe(1);
  });

  it('handles a last line without newline, tabs and CRLF', () => {
    const { summary, skipped } = parseConntrack(`ipv4\t2\ttcp\t6\t10\tCLOSE_WAIT\tsrc=1.2.3.4\r\n${UDP}`);
    expect(skipped).toBe(0);
    expect(summary.total).toBe(2);
    expect(summary.byTcpState.get('CLOSE_WAIT')).toBe(1);
  });

  it('counts a large table without building an array of lines', () => {
    const lines = 200_000;
    const text = `${TCP_ESTABLISHED}\n${UDP}\n`.repeat(lines / 2);
    const { summary, skipped } = parseConntrack(text);
    expect(skipped).toBe(0);
    expect(summary.total).toBe(lines);
    expect(summary.byProto.get('udp')).toBe(lines / 2);
    expect(summary.byTcpState.get('ESTABLISHED')).toBe(lines / 2);
  });
});

const malformed = [
  {
    name: 'conntrack – tcp line without a state',
    line: 'ipv4 2 tcp 6 431999 src=10.0.0.2 dst=10.0.0.3 use=2',
  },
  {
    name: 'conntrack – tcp state not upper case',
    line: 'ipv4 2 tcp 6 431999 established src=10.0.0.2 use=2',
  },
  { name: 'conntrack – non-numeric L4 number', line: 'ipv4 2 udp seventeen 29 src=10.0.0.2 use=2' },
  { name: 'conntrack – non-numeric L3 number', line: 'ipv4 two udp 17 29 src=10.0.0.2 use=2' },
  { name: 'conntrack – stops after the L4 number', line: 'ipv4 2 udp 17' },
  { name: 'conntrack – one field', line: 'truncated-line' },
] as const;

describe('parseConntrack – malformed input', () => {
  it.each(malformed)('$name', ({ line }) => {
    const { summary, skipped } = parseConntrack(`${line}\n${UDP}\n`);
    expect(skipped).toBe(1);
    expect(summary.total).toBe(1);
    expect(summary.byProto).toEqual(new Map([['udp', 1]]));
    expect(summary.byTcpState.size).toBe(0);
  });

  it('conntrack – empty text gives an empty summary', () => {
    const { summary, skipped } = parseConntrack('');
    expect(skipped).toBe(0);
    expect(summary.total).toBe(0);
    expect(summary.byProto.size).toBe(0);
  });
});

describe('parseConntrack – fixtures', () => {
  it('live-t0: the table was empty (no conntrack rules on the capture host)', () => {
    const { summary, skipped } = parseConntrack(live.readText('proc/net/nf_conntrack') ?? '');
    expect(skipped).toBe(0);
    expect(summary.total).toBe(0);
  });

  it('edge-counters: tcp/udp/icmp/ipv6, offloaded, sctp and malformed lines', () => {
    const text = edge.readText('proc/net/nf_conntrack');
    expect(text).toBeDefined();
    const { summary, skipped } = parseConntrack(text ?? '');
    expect(skipped).toBe(3);
    expect(summary.total).toBe(10);
    expect(summary.byProto).toEqual(
      new Map([
        ['tcp', 5],
        ['udp', 2],
        ['icmp', 1],
        ['icmpv6', 1],
        ['sctp', 1],
      ]),
    );
    expect(summary.byTcpState).toEqual(
      new Map([
        ['ESTABLISHED', 3],
        ['TIME_WAIT', 1],
        ['SYN_SENT', 1],
      ]),
    );
  });
});
