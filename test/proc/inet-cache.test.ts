import { describe, expect, it } from 'vitest';
import { diffSnapshots } from '../../src/model/diff.js';
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

  // Lines D..F: more connections, distinct endpoints and inodes.
  const conn = (port: number, inode: number) =>
    `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')} 0100007F:0050 01 00000000:00000000 00:00000000 00000000     0        0 ${inode} 1 0000000000000000 20 4 30 10 -1\n`;
  const [D, E, F] = [41000, 41001, 41002].map((port, i) => conn(port, 6000 + i)) as [string, string, string];

  it('finds its place again after several rows went away at once', () => {
    const cache = new InetLineCache();
    const first = parseInet(table(A, B, C, D, E, F), 'tcp', cache).rows;
    const second = parseInet(table(A, E, F), 'tcp', cache).rows;
    expect(second.map((r) => r.inode)).toEqual([5001, 6001, 6002]);
    expect(second[1]).toBe(first[4]);
    expect(second[2]).toBe(first[5]);
  });

  it('reuses the rows after one inserted ahead of them', () => {
    const cache = new InetLineCache();
    const first = parseInet(table(B, C, D), 'tcp', cache).rows;
    const second = parseInet(table(A, B, C, D), 'tcp', cache).rows;
    expect(second.slice(1)).toEqual(first);
    for (const [i, row] of second.slice(1).entries()) expect(row).toBe(first[i]);
  });

  it('reuses the rows after one that changed in place (a timer, a queue)', () => {
    const cache = new InetLineCache();
    const first = parseInet(table(A, B, C, D), 'tcp', cache).rows;
    const queued = B.replace(' 00000000:00000000 ', ' 00000010:00000000 '); // tx_queue 16
    const second = parseInet(table(A, queued, C, D), 'tcp', cache).rows;
    expect(second[1]!.sendQ).toBe(16);
    expect(second[0]).toBe(first[0]);
    expect(second[2]).toBe(first[2]);
    expect(second[3]).toBe(first[3]);
  });

  it('keeps a line the kernel repeated within one read once, cached or not', () => {
    const cache = new InetLineCache();
    const repeated = table(A, B, B, C);
    expect(parseInet(repeated, 'tcp', cache).rows.map((r) => r.inode)).toEqual([5001, 5002, 5003]);
    expect(parseInet(repeated, 'tcp', cache).rows.map((r) => r.inode)).toEqual([5001, 5002, 5003]);
    expect(parseInet(table(A, B, C, C), 'tcp', cache).rows.map((r) => r.inode)).toEqual([5001, 5002, 5003]);
  });

  it('agrees with an uncached parse through any sequence of inserts, removals, changes and reorders', () => {
    // A fixed-seed walk: each step removes, adds, changes and swaps a few lines of the last table.
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    let next = 0;
    const fresh = () => conn(20000 + next, 90000 + next++);
    let lines = Array.from({ length: 40 }, fresh);
    const cache = new InetLineCache();
    let reused = 0;
    let previous = new Set(parseInet(table(...lines), 'tcp', cache).rows);
    for (let step = 0; step < 200; step++) {
      for (let k = random(4); k > 0 && lines.length > 0; k--) lines.splice(random(lines.length), 1);
      for (let k = random(4); k > 0; k--) lines.splice(random(lines.length + 1), 0, fresh());
      for (let k = random(3); k > 0 && lines.length > 0; k--) {
        const i = random(lines.length);
        lines[i] = lines[i]!.replace(/ 00000000:00000000 /, ` 0000000${random(9) + 1}:00000000 `);
      }
      if (random(5) === 0 && lines.length > 1) {
        const i = random(lines.length);
        const j = random(lines.length);
        [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      }
      if (random(7) === 0 && lines.length > 0) lines = [...lines, lines[random(lines.length)]!]; // a repeat
      const text = table(...lines);
      const cached = parseInet(text, 'tcp', cache);
      expect(cached).toEqual(parseInet(text, 'tcp'));
      for (const row of cached.rows) if (previous.has(row)) reused++;
      previous = new Set(cached.rows);
      lines = [...new Set(lines)];
    }
    // Most lines survive a step unchanged, and those come back as the same objects.
    expect(reused).toBeGreaterThan(200 * 30);
  });

  it('parses a text in pieces cut at line ends as it parses the whole text, cached or not', () => {
    const text = table(A, B, C, D, B, E, F); // B repeated, in another piece
    const lines = text.split(/(?<=\n)/);
    const pieces = [lines.slice(0, 2).join(''), lines.slice(2, 5).join(''), lines.slice(5).join('')];
    expect(pieces.join('')).toBe(text);
    const whole = parseInet(text, 'tcp');
    expect(whole.rows.map((r) => r.inode)).toEqual([5001, 5002, 5003, 6000, 6001, 6002]);
    expect(parseInet(pieces, 'tcp')).toEqual(whole);
    const cache = new InetLineCache();
    expect(parseInet(pieces, 'tcp', cache)).toEqual(whole);
    expect(parseInet([text], 'tcp', cache)).toEqual(whole);
  });
});
