import { describe, expect, it } from 'vitest';
import { parseSctpAssocs, parseSctpEndpoints, sctpAddress } from '../../src/proc/sctp.js';

// As net/sctp/proc.c prints them (sctp_eps_seq_show, sctp_assocs_seq_show).
const EPS = [
  ' ENDPT     SOCK   STY SST HBKT LPORT   UID INODE LADDRS',
  '       0        0 2   10  40   5000      0 91234 127.0.0.1 0000:0000:0000:0000:0000:0000:0000:0001 ',
  '       0        0 1   10  41   5001   1000 91240 10.0.0.1 ',
  '       0        0 1   10  41', // too short: bogus
  '',
].join('\n');

const ASSOCS = [
  ' ASSOC     SOCK   STY SST ST HBKT ASSOC-ID TX_QUEUE RX_QUEUE UID INODE LPORT RPORT LADDRS <-> RADDRS HBINT INS OUTS MAXRT T1X T2X RTXC wmema wmemq sndbuf rcvbuf',
  '       0        0 2   1   3  0       2        0        0       0 91250  5000 40000  *127.0.0.1 10.0.0.1 <-> *127.0.0.1 \t   30000    10    10   10    0    0        0        1        0   212992   212992',
  '',
].join('\n');

describe('/proc/net/sctp', () => {
  it('reads endpoints with their local addresses, and counts bogus lines', () => {
    const { rows, skipped } = parseSctpEndpoints(EPS);
    expect(skipped).toBe(1);
    expect(rows).toEqual([
      { state: 10, port: 5000, uid: 0, inode: 91234, addresses: ['127.0.0.1', '::1'] },
      { state: 10, port: 5001, uid: 1000, inode: 91240, addresses: ['10.0.0.1'] },
    ]);
  });

  it('reads associations: queues, ports, both address lists (the primary marked *), not the statistics after the tab', () => {
    const { rows, skipped } = parseSctpAssocs(ASSOCS);
    expect(skipped).toBe(0);
    expect(rows).toEqual([
      {
        state: 1,
        txQueue: 0,
        rxQueue: 0,
        uid: 0,
        inode: 91250,
        localPort: 5000,
        remotePort: 40000,
        localAddresses: ['127.0.0.1', '10.0.0.1'],
        remoteAddresses: ['127.0.0.1'],
      },
    ]);
  });

  it('turns %pI6 into RFC 5952 text', () => {
    expect(sctpAddress('fe80:0000:0000:0000:0000:0000:0000:0001')).toBe('fe80::1');
    expect(sctpAddress('0000:0000:0000:0000:0000:ffff:7f00:0001')).toBe('::ffff:127.0.0.1');
    expect(sctpAddress('2001:0db8:0000:0001:0000:0000:0000:0002')).toBe('2001:db8:0:1::2');
    expect(sctpAddress('0000:0000:0000:0000:0000:0000:0000:0000')).toBe('::');
    expect(sctpAddress('garbage')).toBeUndefined();
  });
});
