import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { InetProto, InetSocket } from '../../src/model/types.js';
import { inetStateName, parseInet } from '../../src/proc/inet.js';

function fixture(name: string, file: string): string {
  return readFileSync(new URL(`../../fixtures/${name}/proc/net/${file}`, import.meta.url), 'latin1');
}

/** Data lines of a capture, without the header, blank lines and exact repeats. */
function distinctDataLines(text: string): number {
  return new Set(
    text
      .split('\n')
      .slice(1)
      .filter((l) => l.trim() !== ''),
  ).size;
}

function find(rows: readonly InetSocket[], inode: number): InetSocket {
  const row = rows.find((r) => r.inode === inode);
  if (row === undefined) throw new Error(`no row with inode ${inode}`);
  return row;
}

const H4 = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
const H6 =
  '  sl  local_address                         remote_address                        st tx_queue rx_queue ' +
  'tr tm->when retrnsmt   uid  timeout inode';
const TCP_OK =
  '   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1001 1 ' +
  '0000000000000000 100 0 0 10 0';
const TCP6_OK =
  '   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 ' +
  '00:00000000 00000000     0        0 1001 1 0000000000000000 100 0 0 10 0';
const UDP_OK =
  '  68: 00000000:0044 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1001 2 ' +
  '0000000000000000 0';
const RAW6_OK =
  '  58: 00000000000000000000000000000000:003A 00000000000000000000000000000000:0000 07 00000000:00000000 ' +
  '00:00000000 00000000     0        0 1001 2 0000000000000000 0';

const GOOD: Record<InetProto, [string, string]> = {
  tcp: [H4, TCP_OK],
  tcp6: [H6, TCP6_OK],
  udp: [H4, UDP_OK],
  udp6: [H6, RAW6_OK],
  udplite: [H4, UDP_OK],
  udplite6: [H6, RAW6_OK],
  raw: [H4, UDP_OK],
  raw6: [H6, RAW6_OK],
};

/** A row template with its local address / fields swapped for something broken. */
const tcpRow = (local: string, rest = '0A 00000000:00000000 00:00000000 00000000     0        0 2002 1') =>
  `   1: ${local} 00000000:0000 ${rest} 0000000000000000 100 0 0 10 0`;

describe('parseInet: malformed lines are skipped and counted, never thrown', () => {
  const cases: [string, InetProto, string][] = [
    ['tcp – local address not hex', 'tcp', tcpRow('0100G07F:1F91')],
    [
      'tcp – remote address not hex',
      'tcp',
      '   1: 0100007F:1F91 0000Z000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2002 1 0 100 0 0 10 0',
    ],
    ['tcp – port not hex', 'tcp', tcpRow('0100007F:1FZ1')],
    ['tcp – port wider than 16 bits', 'tcp', tcpRow('0100007F:1FFFF')],
    ['tcp – address without port', 'tcp', tcpRow('0100007F')],
    ['tcp – 32-digit address in an IPv4 table', 'tcp', tcpRow('00000000000000000000000001000000:1F91')],
    ['tcp – 7-digit address', 'tcp', tcpRow('100007F:1F91')],
    [
      'tcp – state not hex',
      'tcp',
      tcpRow('0100007F:1F91', '0X 00000000:00000000 00:00000000 00000000 0 0 2002 1'),
    ],
    [
      'tcp – queues without colon',
      'tcp',
      tcpRow('0100007F:1F91', '0A 0000000000000000 00:00000000 00000000 0 0 2002 1'),
    ],
    [
      'tcp – rx queue not hex',
      'tcp',
      tcpRow('0100007F:1F91', '0A 00000000:0000000Q 00:00000000 00000000 0 0 2002 1'),
    ],
    [
      'tcp – timer without colon',
      'tcp',
      tcpRow('0100007F:1F91', '0A 00000000:00000000 0000000000 00000000 0 0 2002 1'),
    ],
    [
      'tcp – tm->when longer than 16 digits',
      'tcp',
      tcpRow('0100007F:1F91', '0A 00000000:00000000 01:FFFFFFFFFFFFFFFFF 00000000 0 0 2002 1'),
    ],
    [
      'tcp – retrnsmt not hex',
      'tcp',
      tcpRow('0100007F:1F91', '0A 00000000:00000000 00:00000000 0000000K 0 0 2002 1'),
    ],
    [
      'tcp – uid not decimal',
      'tcp',
      tcpRow('0100007F:1F91', '0A 00000000:00000000 00:00000000 00000000 1e3 0 2002 1'),
    ],
    [
      'tcp – inode not decimal',
      'tcp',
      tcpRow('0100007F:1F91', '0A 00000000:00000000 00:00000000 00000000 0 0 2A02 1'),
    ],
    [
      'tcp – negative inode',
      'tcp',
      tcpRow('0100007F:1F91', '0A 00000000:00000000 00:00000000 00000000 0 0 -2002 1'),
    ],
    [
      'tcp – ssthresh not decimal',
      'tcp',
      '   1: 0100007F:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 2002 1 0 100 0 0 10 x',
    ],
    [
      'tcp – slot number without colon',
      'tcp',
      '   1 0100007F:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 2002 1 0 100 0 0 10 0',
    ],
    [
      'tcp – 11 fields',
      'tcp',
      '   1: 0100007F:1F91 00000000:0000 06 00000000:00000000 03:00000BB8 00000000 0 0 0 3',
    ],
    [
      'tcp – 13 fields',
      'tcp',
      '   1: 0100007F:1F91 00000000:0000 06 00000000:00000000 03:00000BB8 00000000 0 0 0 3 0 0',
    ],
    [
      'tcp – 16 fields',
      'tcp',
      '   1: 0100007F:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 2002 1 0 100 0 0 10',
    ],
    [
      'tcp – 18 fields',
      'tcp',
      '   1: 0100007F:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 2002 1 0 100 0 0 10 0 0',
    ],
    ['tcp – truncated line', 'tcp', '   1: 0100007F:1F91 00000000:00'],
    ['tcp – garbage', 'tcp', 'hello world'],
    [
      'tcp6 – 8-digit address in an IPv6 table',
      'tcp6',
      '   1: 0100007F:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 2002 1 0 100 0 0 10 0',
    ],
    [
      'tcp6 – remote address one digit short',
      'tcp6',
      '   1: 00000000000000000000000001000000:1F91 0000000000000000000000000000000:0000 0A 00000000:00000000 ' +
        '00:00000000 00000000 0 0 2002 1 0 100 0 0 10 0',
    ],
    [
      'udp – 12 fields (no drops)',
      'udp',
      '  69: 00000000:0045 00000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 2002 2 0000000000000000',
    ],
    [
      'udp – 17 fields (TCP layout in a UDP table)',
      'udp',
      '  69: 00000000:0045 00000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 2002 2 0 100 0 0 10 0',
    ],
    [
      'udp – drops not decimal',
      'udp',
      '  69: 00000000:0045 00000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 2002 2 0000000000000000 z',
    ],
    [
      'raw – 32-digit address in an IPv4 table',
      'raw',
      '   1: 00000000000000000000000000000000:0001 00000000000000000000000000000000:0000 07 00000000:00000000 ' +
        '00:00000000 00000000 0 0 2002 2 0000000000000000 0',
    ],
    [
      'raw6 – address not hex',
      'raw6',
      '  58: 000000000000000000000000000000G0:003A 00000000000000000000000000000000:0000 07 00000000:00000000 ' +
        '00:00000000 00000000 0 0 2002 2 0000000000000000 0',
    ],
  ];

  it('control: the row template used above parses when nothing is broken', () => {
    const parsed = parseInet(`${H4}\n${tcpRow('0100007F:1F91')}\n`, 'tcp');
    expect(parsed.skipped).toBe(0);
    expect(parsed.rows.map((r) => [r.local.port, r.inode, r.tcp?.cwnd])).toEqual([[0x1f91, 2002, 10]]);
  });

  it.each(cases)('%s', (_name, proto, line) => {
    const [header, good] = GOOD[proto];
    const parsed = parseInet(`${header}\n${good}\n${line}\n`, proto);
    expect(parsed.skipped).toBe(1);
    expect(parsed.rows.map((r) => r.inode)).toEqual([1001]);
  });

  it('a broken fixture keeps its good rows and counts the rest', () => {
    const parsed = parseInet(fixture('edge-sockets-broken', 'tcp'), 'tcp');
    expect(parsed.rows.map((r) => [r.local.port, r.inode])).toEqual([
      [8080, 80001],
      [8081, 80006],
    ]);
    expect(parsed.skipped).toBe(5);
  });
});

describe('parseInet: framing', () => {
  it.each([
    ['empty text', ''],
    ['only a header', `${H4}\n`],
    ['only a header, no newline', H4],
    ['header and blank lines', `${H4}\n\n   \n`],
  ])('%s → no rows, nothing skipped', (_name, text) => {
    expect(parseInet(text, 'tcp')).toEqual({ rows: [], skipped: 0 });
  });

  it('reads a last line without a newline', () => {
    expect(parseInet(`${H4}\n${TCP_OK}`, 'tcp').rows.map((r) => r.inode)).toEqual([1001]);
  });

  it('parses a first line that is not a header instead of dropping it', () => {
    expect(parseInet(`${TCP_OK}\n`, 'tcp').rows.map((r) => r.inode)).toEqual([1001]);
  });

  it('tolerates CRLF line ends', () => {
    const parsed = parseInet(`${H4}\r\n${TCP_OK}\r\n`, 'tcp');
    expect(parsed.skipped).toBe(0);
    expect(parsed.rows[0]?.tcp?.ssthresh).toBe(0);
  });
});

describe('parseInet: duplicates', () => {
  const TW =
    '   3: 0100007F:D432 0100007F:1F90 06 00000000:00000000 03:00000BB8 00000000     0        0 0 3 0000000000000000';
  const TW2 =
    '   4: 0100007F:D433 0100007F:1F90 06 00000000:00000000 03:00000BB8 00000000     0        0 0 3 0000000000000000';

  it('duplicate row kept once', () => {
    const parsed = parseInet(`${H4}\n${TCP_OK}\n${TCP_OK}\n`, 'tcp');
    expect(parsed.rows).toHaveLength(1);
    expect(parsed.skipped).toBe(0);
  });

  it('duplicate inode-0 TIME_WAIT row kept once, a different one kept', () => {
    const parsed = parseInet(`${H4}\n${TW}\n${TW2}\n${TW}\n`, 'tcp');
    expect(parsed.rows.map((r) => r.local.port)).toEqual([0xd432, 0xd433]);
  });

  it('a repeat whose timers moved is still the same row', () => {
    const later = TW.replace('03:00000BB8', '03:00000BB0');
    expect(parseInet(`${H4}\n${TW}\n${later}\n`, 'tcp').rows).toHaveLength(1);
  });

  it('same inode in another state is a different row (kept)', () => {
    const closing = TCP_OK.replace(' 0A ', ' 07 ');
    const parsed = parseInet(`${H4}\n${TCP_OK}\n${closing}\n${TCP_OK}\n${closing}\n`, 'tcp');
    expect(parsed.rows.map((r) => r.state)).toEqual(['LISTEN', 'CLOSE']);
  });
});

describe('inetStateName', () => {
  it.each([
    ['tcp', 0x01, 'ESTABLISHED'],
    ['tcp', 0x02, 'SYN_SENT'],
    ['tcp', 0x03, 'SYN_RECV'],
    ['tcp', 0x04, 'FIN_WAIT1'],
    ['tcp', 0x05, 'FIN_WAIT2'],
    ['tcp', 0x06, 'TIME_WAIT'],
    ['tcp', 0x07, 'CLOSE'],
    ['tcp', 0x08, 'CLOSE_WAIT'],
    ['tcp', 0x09, 'LAST_ACK'],
    ['tcp6', 0x0a, 'LISTEN'],
    ['tcp', 0x0b, 'CLOSING'],
    ['tcp', 0x0c, 'SYN_RECV'],
    ['tcp', 0x00, 'UNKNOWN'],
    ['tcp', 0x0d, 'UNKNOWN'],
    ['tcp', 0xff, 'UNKNOWN'],
    ['udp', 0x07, 'UNCONN'],
    ['udp6', 0x01, 'ESTABLISHED'],
    ['raw', 0x07, 'UNCONN'],
    ['udplite', 0x0a, 'LISTEN'],
    ['raw6', 0x0e, 'UNKNOWN'],
  ] as const)('%s %i → %s', (proto, code, name) => {
    expect(inetStateName(proto, code)).toBe(name);
  });
});

describe('parseInet on fixtures/edge-sockets', () => {
  it('tcp: full rows, short TIME_WAIT / SYN_RECV rows, negative timer, ssthresh -1, a duplicate', () => {
    const { rows, skipped } = parseInet(fixture('edge-sockets', 'tcp'), 'tcp');
    expect(skipped).toBe(0);
    expect(rows.map((r) => r.state)).toEqual([
      'LISTEN',
      'ESTABLISHED',
      'ESTABLISHED',
      'TIME_WAIT',
      'SYN_RECV',
    ]);

    expect(rows[0]).toEqual({
      kind: 'inet',
      proto: 'tcp',
      local: { address: '127.0.0.1', port: 8080 },
      remote: { address: '0.0.0.0', port: 0 },
      state: 'LISTEN',
      stateCode: 0x0a,
      recvQ: 5,
      sendQ: 0,
      timerActive: 0,
      timerExpires: 0,
      retransmits: 0,
      uid: 1000,
      timeouts: 0,
      inode: 40001,
      refcount: 1,
      tcp: { rto: 100, ato: 0, qack: 0, cwnd: 10, ssthresh: 0 },
    });
    expect(rows[1]?.tcp).toEqual({ rto: 20, ato: 4, qack: 30, cwnd: 10, ssthresh: -1 });

    const overdue = rows[2]!;
    expect(overdue.local).toEqual({ address: '10.0.2.15', port: 22 });
    expect(overdue.remote).toEqual({ address: '192.168.1.1', port: 50000 });
    expect([overdue.sendQ, overdue.recvQ, overdue.timerActive, overdue.timerExpires]).toEqual([
      36, 0, 1, -10,
    ]);
    expect([overdue.retransmits, overdue.timeouts, overdue.refcount]).toEqual([2, 3, 2]);

    const tw = rows[3]!;
    expect(tw).toEqual({
      kind: 'inet',
      proto: 'tcp',
      local: { address: '127.0.0.1', port: 54322 },
      remote: { address: '127.0.0.1', port: 8080 },
      state: 'TIME_WAIT',
      stateCode: 6,
      recvQ: 0,
      sendQ: 0,
      timerActive: 3,
      timerExpires: 3000,
      retransmits: 0,
      uid: 0,
      timeouts: 0,
      inode: 0,
      refcount: 3,
    });
    expect('tcp' in tw).toBe(false);

    const syn = rows[4]!;
    expect([syn.stateCode, syn.inode, syn.retransmits, syn.timerExpires, syn.tcp]).toEqual([
      3,
      0,
      1,
      100,
      undefined,
    ]);
    expect(syn.remote).toEqual({ address: '192.168.1.2', port: 50001 });
  });

  it('tcp6: IPv4-mapped, link-local, RFC 5952 compression, short TIME_WAIT row', () => {
    const { rows, skipped } = parseInet(fixture('edge-sockets', 'tcp6'), 'tcp6');
    expect(skipped).toBe(0);
    expect(
      rows.map((r) => `${r.local.address} ${r.local.port} ${r.remote.address} ${r.remote.port} ${r.state}`),
    ).toEqual([
      ':: 22 :: 0 LISTEN',
      '::ffff:127.0.0.1 8080 ::ffff:127.0.0.2 57344 ESTABLISHED',
      'fe80::56e1:adff:fe7c:6609 22 fe80::1 40000 ESTABLISHED',
      '2001:db8::1:0:0:1 443 2001:db8:0:1::2 40001 CLOSE_WAIT',
      '::1 40002 ::1 22 TIME_WAIT',
    ]);
    expect(rows[1]?.timerActive).toBe(2);
    expect(rows[1]?.timerExpires).toBe(6000);
    expect(rows[3]?.uid).toBe(33);
    expect(rows[4]?.tcp).toBeUndefined();
    expect(rows.every((r) => r.proto === 'tcp6' && r.kind === 'inet')).toBe(true);
  });

  it('udp and udp6: UNCONN / ESTABLISHED and drops', () => {
    const udp = parseInet(fixture('edge-sockets', 'udp'), 'udp');
    expect(udp.skipped).toBe(0);
    expect(
      udp.rows.map((r) => [r.local.address, r.local.port, r.remote.address, r.remote.port, r.state, r.drops]),
    ).toEqual([
      ['0.0.0.0', 68, '0.0.0.0', 0, 'UNCONN', 0],
      ['10.0.2.15', 40000, '8.8.8.8', 53, 'ESTABLISHED', 3],
    ]);
    expect(udp.rows[0]?.tcp).toBeUndefined();

    const udp6 = parseInet(fixture('edge-sockets', 'udp6'), 'udp6');
    expect(udp6.rows.map((r) => `${r.local.address}:${r.local.port} ${r.state}`)).toEqual([
      ':::5353 UNCONN',
      'fe80::56e1:adff:fe7c:6609:546 UNCONN',
    ]);
  });

  it('raw and raw6: the port is the IP protocol (1 icmp, 58 ipv6-icmp)', () => {
    const raw = parseInet(fixture('edge-sockets', 'raw'), 'raw');
    const raw6 = parseInet(fixture('edge-sockets', 'raw6'), 'raw6');
    expect(raw.rows.map((r) => [r.proto, r.local.address, r.local.port, r.state, r.inode])).toEqual([
      ['raw', '0.0.0.0', 1, 'UNCONN', 60005],
    ]);
    expect(raw6.rows.map((r) => [r.proto, r.local.address, r.local.port, r.state, r.inode])).toEqual([
      ['raw6', '::', 58, 'UNCONN', 60006],
    ]);
  });

  it('udplite / udplite6 with only a header', () => {
    expect(parseInet(fixture('edge-sockets', 'udplite'), 'udplite')).toEqual({ rows: [], skipped: 0 });
    expect(parseInet(fixture('edge-sockets', 'udplite6'), 'udplite6')).toEqual({ rows: [], skipped: 0 });
  });
});

describe('parseInet on the real capture fixtures/live-t0', () => {
  const protos: InetProto[] = ['tcp', 'tcp6', 'udp', 'udp6', 'udplite', 'udplite6', 'raw', 'raw6'];
  const parsed = new Map(protos.map((p) => [p, parseInet(fixture('live-t0', p), p)] as const));
  const rows = (p: InetProto) => parsed.get(p)!.rows;

  it.each(protos)('%s: one row per distinct data line, nothing skipped', (proto) => {
    const text = fixture('live-t0', proto);
    expect(parsed.get(proto)!.skipped).toBe(0);
    expect(rows(proto)).toHaveLength(distinctDataLines(text));
    expect(rows(proto).every((r) => r.proto === proto)).toBe(true);
  });

  it('has the expected sizes', () => {
    expect(protos.map((p) => rows(p).length)).toEqual([3215, 804, 9, 4, 0, 0, 1, 1]);
  });

  it('decodes known tcp rows', () => {
    const listener = find(rows('tcp'), 8164);
    expect([listener.local, listener.remote, listener.state, listener.tcp]).toEqual([
      { address: '127.0.0.1', port: 0x9507 },
      { address: '0.0.0.0', port: 0 },
      'LISTEN',
      { rto: 100, ato: 0, qack: 0, cwnd: 10, ssthresh: 0 },
    ]);
    expect(find(rows('tcp'), 118).local).toEqual({ address: '0.0.0.0', port: 2024 });

    const tw = rows('tcp').find((r) => r.local.port === 0xcaa6 && r.state === 'TIME_WAIT')!;
    expect([tw.remote, tw.inode, tw.refcount, tw.timerActive, tw.timerExpires, tw.tcp]).toEqual([
      { address: '127.0.0.1', port: 0xac71 },
      0,
      3,
      3,
      0x15d6,
      undefined,
    ]);
    expect(rows('tcp').filter((r) => r.state === 'TIME_WAIT')).toHaveLength(5);
    expect(rows('tcp').filter((r) => r.state === 'ESTABLISHED').length).toBeGreaterThan(2000);
  });

  it('decodes known tcp6 rows', () => {
    expect(find(rows('tcp6'), 7024)).toMatchObject({
      local: { address: '::1', port: 0x989f },
      remote: { address: '::', port: 0 },
      state: 'LISTEN',
    });
    expect(find(rows('tcp6'), 11948)).toMatchObject({
      local: { address: '::1', port: 0x914f },
      remote: { address: '::1', port: 0xddae },
      state: 'ESTABLISHED',
      tcp: { rto: 20, ato: 0, qack: 0, cwnd: 10, ssthresh: -1 },
    });
  });

  it('has LISTEN rows on 127.0.0.1 and ::1', () => {
    expect(rows('tcp').some((r) => r.state === 'LISTEN' && r.local.address === '127.0.0.1')).toBe(true);
    expect(rows('tcp6').some((r) => r.state === 'LISTEN' && r.local.address === '::1')).toBe(true);
  });

  it('decodes udp: unconnected and one connected socket', () => {
    expect(find(rows('udp'), 16574)).toMatchObject({
      local: { address: '127.0.0.1', port: 0x941d },
      remote: { address: '127.0.0.1', port: 9 },
      state: 'ESTABLISHED',
      drops: 0,
    });
    expect(find(rows('udp'), 11593)).toMatchObject({
      local: { address: '127.0.0.1', port: 0xa142 },
      state: 'UNCONN',
    });
    expect(rows('udp6').every((r) => r.local.address === '::1' && r.state === 'UNCONN')).toBe(true);
  });

  it('has raw rows with port 1 (icmp) in raw and 58 in raw6', () => {
    expect(rows('raw').map((r) => [r.local.port, r.inode, r.state])).toEqual([[1, 16561, 'UNCONN']]);
    expect(rows('raw6').map((r) => [r.local.port, r.inode, r.state])).toEqual([[58, 16562, 'UNCONN']]);
  });
});
