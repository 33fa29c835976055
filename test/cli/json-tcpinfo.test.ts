// --once --json on the live host with the native helper: a loopback connection carries its tcp_info with
// units in the names, exact integers, and its skmeminfo.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { nativeBinding } from '../../src/sample/native.js';
import { startSocketChild } from '../helpers/children.js';
import { BIN } from '../helpers/cli.js';

describe.runIf(nativeBinding() !== undefined)('--once --json with tcp_info', () => {
  it('names each field with its unit and gives buffer use', async () => {
    const child = await startSocketChild();
    try {
      const r = spawnSync(process.execPath, [BIN, '--once', '--json', '-t'], {
        maxBuffer: 256 * 1024 * 1024, // every TCP socket of the host: megabytes on a busy one
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(r.status).toBe(0);
      const doc = JSON.parse(r.stdout);
      const conn = doc.sockets.find(
        (s: { local: { port: number }; state: string }) =>
          s.local.port === child.ports.client4 && s.state === 'ESTABLISHED',
      );
      expect(conn.tcpInfo).toMatchObject({
        rttUs: expect.any(Number),
        bytesAcked: expect.any(Number),
        totalRetrans: 0,
      });
      expect(Object.keys(conn.tcpInfo)).toEqual(
        expect.arrayContaining(['minRttUs', 'segsOut', 'deliveryRateBps', 'lastDataSentMs']),
      );
      expect(conn.memInfo).toMatchObject({ rcvBuf: expect.any(Number), sndBuf: expect.any(Number) });
      // One sample: no rates.
      expect(conn.rates).toBeUndefined();
      const listener = doc.sockets.find(
        (s: { local: { port: number }; state: string }) =>
          s.local.port === child.ports.tcp4 && s.state === 'LISTEN',
      );
      expect(listener.backlog).toBeGreaterThan(0);
      expect(listener.tcpInfo).toBeUndefined();
    } finally {
      await child.stop();
    }
  }, 30_000);
});
