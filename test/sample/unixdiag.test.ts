import { describe, expect, it } from 'vitest';
import type { UnixSocket } from '../../src/model/types.js';
import { parseUnix } from '../../src/proc/unix.js';
import { UnixDiagCheck } from '../../src/sample/unixdiag.js';

interface Diag {
  inode: number;
  type: number; // 1 stream, 2 dgram, 5 seqpacket
  state: number; // 10 listen, 1 established, 7 close
  name?: string;
}

/** The helper's unixSockets() buffer: a count, records of 4 words, then the names' bytes. */
function dumpOf(list: Diag[]): ArrayBuffer {
  const names = list.map((d) => Buffer.from(d.name ?? '', 'utf8'));
  const total = 4 + list.length * 16 + names.reduce((n, b) => n + b.length, 0);
  const buf = new ArrayBuffer(total);
  const words = new Uint32Array(buf, 0, 1 + list.length * 4);
  words[0] = list.length;
  list.forEach((d, i) => {
    words.set([d.inode, d.type, d.state, names[i]!.length], 1 + i * 4);
  });
  let at = 4 + list.length * 16;
  const bytes = new Uint8Array(buf);
  for (const b of names) {
    bytes.set(b, at);
    at += b.length;
  }
  return buf;
}

const HEADER = 'Num       RefCount Protocol Flags    Type St Inode Path';
const line = (inode: number, flags: string, type: string, st: string, name?: string) =>
  `0000000000000000: 00000002 00000000 ${flags} ${type} ${st} ${inode}${name === undefined ? '' : ` ${name}`}`;
const LISTEN = '00010000';
const NONE = '00000000';

function rowsOf(...lines: string[]): readonly UnixSocket[] {
  return parseUnix(`${HEADER}\n${lines.join('\n')}\n`).rows;
}

describe('UnixDiagCheck', () => {
  const FAKE = line(424242, LISTEN, '0001', '01', '/run/fake-sshd.sock');

  it('drops a row the kernel does not list: a forged line inside an abstract name', () => {
    const rows = rowsOf(line(100, NONE, '0001', '01', `@x\n${FAKE}`), line(101, NONE, '0002', '01'));
    expect(rows.map((r) => r.inode)).toEqual([100, 424242, 101]);
    const dump = dumpOf([
      { inode: 100, type: 1, state: 7, name: `\0x\n${FAKE}`.replace('\0', '@') },
      { inode: 101, type: 2, state: 7 },
    ]);
    const { rows: kept, dropped } = new UnixDiagCheck().check(rows, dump);
    expect(kept.map((r) => [r.inode, r.path])).toEqual([
      [100, `@x\n${FAKE}`],
      [101, ''],
    ]);
    expect(dropped).toBe(1);
  });

  it("takes the kernel's name when /proc's differs (a tail /proc read as another row)", () => {
    const rows = rowsOf(line(200, LISTEN, '0001', '01', '/tmp/a'), line(201, NONE, '0001', '03'));
    const dump = dumpOf([
      { inode: 200, type: 1, state: 10, name: `/tmp/a\n${line(201, NONE, '0001', '03')}` },
    ]);
    const { rows: kept, dropped } = new UnixDiagCheck().check(rows, dump);
    expect(kept.map((r) => [r.inode, r.path, r.state])).toEqual([
      [200, `/tmp/a\n${line(201, NONE, '0001', '03')}`, 'LISTENING'],
    ]);
    expect(dropped).toBe(1);
  });

  it('drops a row that borrows a real inode with another type or listening flag, and keeps each inode once', () => {
    const real = line(300, NONE, '0001', '03', '/run/db.sock');
    const rows = rowsOf(
      line(300, LISTEN, '0001', '01', '/run/db.sock'), // claims to listen
      line(300, NONE, '0002', '03', '/run/db.sock'), // claims DGRAM
      real,
      real.replace(': 00000002', ': 00000003'), // the same socket again, another refcount
    );
    const dump = dumpOf([{ inode: 300, type: 1, state: 1, name: '/run/db.sock' }]);
    const { rows: kept, dropped } = new UnixDiagCheck().check(rows, dump);
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({ inode: 300, type: 'STREAM', state: 'CONNECTED' });
    expect(dropped).toBe(rows.length - 1);
  });

  it('finds rows in any order, and leaves sockets opened after the /proc read out', () => {
    const rows = rowsOf(
      line(3, NONE, '0001', '03'),
      line(1, NONE, '0001', '03'),
      line(2, NONE, '0001', '03'),
    );
    const dump = dumpOf([
      { inode: 1, type: 1, state: 1 },
      { inode: 2, type: 1, state: 1 },
      { inode: 3, type: 1, state: 1 },
      { inode: 4, type: 1, state: 1 },
    ]);
    expect(new UnixDiagCheck().check(rows, dump).rows.map((r) => r.inode)).toEqual([3, 1, 2]);
  });

  it('hands back the same row objects for the same rows, corrected ones included', () => {
    const rows = rowsOf(line(400, NONE, '0001', '01', '/tmp/x'), line(401, NONE, '0002', '01', '@y'));
    const dump = dumpOf([
      { inode: 400, type: 1, state: 7, name: '/tmp/x\nrest' },
      { inode: 401, type: 2, state: 7, name: '@y' },
    ]);
    const check = new UnixDiagCheck();
    const first = check.check(rows, dump).rows;
    const second = check.check(rows, dump).rows;
    expect(first[0]!.path).toBe('/tmp/x\nrest');
    expect(first[1]).toBe(rows[1]);
    expect(second[0]).toBe(first[0]);
    expect(second[1]).toBe(first[1]);
  });

  it('refuses a truncated buffer', () => {
    const dump = dumpOf([{ inode: 1, type: 1, state: 1, name: 'abc' }]).slice(0, 22);
    expect(() => new UnixDiagCheck().check([], dump)).toThrow(/truncated/);
  });
});
