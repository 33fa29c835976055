// The deduper the socket tables share: repeats dropped, distinct sockets kept, across reuse and growth.
import { describe, expect, it } from 'vitest';
import { RowDeduper } from '../../src/proc/dedupe.js';

interface Row {
  readonly inode: number;
  readonly name: string;
}
const row = (inode: number, name = `s${inode}`): Row => ({ inode, name });
const fresh = () => new RowDeduper<Row>((r) => `${r.name} ${r.inode}`);

describe('RowDeduper', () => {
  it('keeps each inode once; a different socket behind the same inode is kept, the same one is not', () => {
    const d = fresh();
    expect(d.add(row(7))).toBe(true);
    expect(d.add(row(8))).toBe(true);
    expect(d.add(row(7))).toBe(false);
    // An inode collision between two different sockets (their identities differ): both stay.
    expect(d.add(row(8, 'other'))).toBe(true);
    expect(d.add(row(8, 'other'))).toBe(false);
  });

  it('rows without an inode are told apart by identity', () => {
    const d = fresh();
    expect(d.add(row(0, 'a'))).toBe(true);
    expect(d.add(row(0, 'b'))).toBe(true);
    expect(d.add(row(0, 'a'))).toBe(false);
  });

  it('forgets everything on reset, many times over, and grows past its first table', () => {
    const d = fresh();
    for (let round = 0; round < 5; round++) {
      d.reset(round === 0 ? 0 : 50_000);
      const n = 30_000 + round;
      let kept = 0;
      // Inodes that collide in the low bits and ones far apart, as kernels hand out.
      for (let i = 1; i <= n; i++) if (d.add(row(i * 1024 + round))) kept++;
      expect(kept).toBe(n);
      let repeats = 0;
      for (let i = 1; i <= n; i += 97) if (!d.add(row(i * 1024 + round))) repeats++;
      expect(repeats).toBe(Math.ceil(n / 97));
      expect(d.add(row(n * 1024 + 1024 + round))).toBe(true);
    }
  });

  it('inodes beyond 32 bits are deduplicated too', () => {
    const d = fresh();
    const big = 2 ** 40 + 5;
    expect(d.add(row(big))).toBe(true);
    expect(d.add(row(big))).toBe(false);
    // Not confused with the 32-bit inode that has the same low bits.
    expect(d.add(row(5))).toBe(true);
    d.reset();
    expect(d.add(row(big))).toBe(true);
  });

  it('shrinks its table when a read is far smaller than the last', () => {
    const d = fresh();
    d.reset(200_000);
    for (let i = 1; i <= 1000; i++) d.add(row(i));
    d.reset(10);
    expect(d.add(row(1))).toBe(true);
    expect(d.add(row(1))).toBe(false);
  });
});
