import { describe, expect, it } from 'vitest';
import { diffSnapshots } from '../../src/diff.js';
import { InetLineCache, parseInet } from '../../src/proc/inet.js';
import { snapshot } from '../helpers/snapshots.js';

const HEADER =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
const A =
  '0100007F:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5001 1 0000000000000000 100 0 0 10 0\n';
const B =
  '0100007F:0050 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 5002 1 0000000000000000 20 4 30 10 -1\n';
const C =
  '0100007F:9C40 0100007F:0050 01 00000000:00000000 00:00000000 00000000     0        0 5003 1 0000000000000000 20 4 30 10 -1\n';
const table = (...rows: string[]) => HEADER + rows.map((r, i) => `   ${i}: ${r}`).join('');

describe('InetLineCache', () => {
  it('returns the same row object for an unchanged line, even when its slot number shifted', () => {
    const cache = new InetLineCache();
    const first = parseInet(table(A, B, C), 'tcp', cache).rows;
    const second = parseInet(table(B, C), 'tcp', cache).rows; // A went away: B and C moved up a slot
    expect(second).toHaveLength(2);
    expect(second[0]).toBe(first[1]);
    expect(second[1]).toBe(first[2]);
  });

  it('parses a changed line afresh', () => {
    const cache = new InetLineCache();
    const first = parseInet(table(A, B), 'tcp', cache).rows;
    const changedB = B.replace(' 01 00000000:00000000', ' 08 00000000:00000000'); // ESTABLISHED → CLOSE_WAIT
    const second = parseInet(table(A, changedB), 'tcp', cache).rows;
    expect(second[0]).toBe(first[0]);
    expect(second[1]).not.toBe(first[1]);
    expect(second[1]!.state).toBe('CLOSE_WAIT');
  });

  it('gives the same rows as an uncached parse', () => {
    const cache = new InetLineCache();
    parseInet(table(A, B), 'tcp', cache);
    expect(parseInet(table(A, B, C), 'tcp', cache)).toEqual(parseInet(table(A, B, C), 'tcp'));
  });

  it('keeps two sockets apart that share endpoints and state (SO_REUSEPORT listeners)', () => {
    const cache = new InetLineCache();
    const twin = A.replace(' 5001 ', ' 5009 ');
    const first = parseInet(table(A, twin), 'tcp', cache).rows;
    expect(first.map((r) => r.inode)).toEqual([5001, 5009]);
    const second = parseInet(table(A, twin), 'tcp', cache).rows;
    expect(second.map((r) => r.inode)).toEqual([5001, 5009]);
    expect(second[1]).toBe(first[1]);
  });

  it('forgets lines not seen in the last read', () => {
    const cache = new InetLineCache();
    const first = parseInet(table(A), 'tcp', cache).rows;
    parseInet(table(B), 'tcp', cache);
    expect(parseInet(table(A), 'tcp', cache).rows[0]).not.toBe(first[0]);
  });

  it('lets the diff settle unchanged sockets by identity and still see the changes', () => {
    const cache = new InetLineCache();
    const t0 = parseInet(table(A, B), 'tcp', cache).rows;
    const t1 = parseInet(table(B, C), 'tcp', cache).rows;
    const d = diffSnapshots(snapshot(0, { sockets: [...t0] }), snapshot(1000, { sockets: [...t1] }));
    expect(d.opened.map((s) => s.inode)).toEqual([5003]);
    expect(d.closed.map((s) => s.inode)).toEqual([5001]);
    expect(d.listenersVanished.map((s) => s.inode)).toEqual([5001]);
    expect(d.changed).toEqual([]);
  });
});
