// Drops rows the kernel printed twice in one read (seq_file can repeat a row across read chunks, a
// multi-part sock_diag dump can repeat a socket when the hash changed under it), for the socket tables.
// Inodes are unique per live socket, so an inode table settles almost every row cheaply; only rows without
// an inode (TIME_WAIT, request sockets) and the rare inode collision pay for a string identity.
//
// The inode table is open addressing over typed arrays, emptied by bumping a generation number: a live
// sampler reuses one deduper for every dump, and a Map of 20,000 inodes built anew each second was 1.8 MB
// of garbage and ~2.5 ms a tick.

// Small at first: a /proc parse makes one per read of a table that may hold a handful of rows.
const MIN_SLOTS = 64;
const U32 = 0x1_0000_0000;

export class RowDeduper<T extends { readonly inode: number }> {
  private keys = new Uint32Array(MIN_SLOTS);
  private stamps = new Uint32Array(MIN_SLOTS);
  private rows: (T | undefined)[] = new Array(MIN_SLOTS).fill(undefined);
  private generation = 1;
  private used = 0;
  /** Inodes that do not fit 32 bits (none on Linux today; the type allows them). */
  private wide: Map<number, T> | undefined;
  private seen = new Set<string>();

  constructor(private readonly identity: (row: T) => string) {}

  /** Forget every row, for the next read; `expected` rows size the table (it never shrinks below that). */
  reset(expected = 0): void {
    this.used = 0;
    this.wide = undefined;
    if (this.seen.size > 0) this.seen = new Set();
    const want = slotsFor(expected);
    if (want > this.keys.length || this.keys.length > 8 * Math.max(want, MIN_SLOTS)) {
      this.allocate(Math.max(want, MIN_SLOTS));
      return;
    }
    // Rows of the last read stay referenced until overwritten: they are the snapshot's own, alive anyway.
    if (++this.generation === 0xffff_ffff) {
      this.stamps.fill(0);
      this.generation = 1;
    }
  }

  /**
   * True when `row` was not seen before in this read. `inode` is row.inode, passed by a caller that has it
   * at hand (a sock_diag record's word) so the row object need not be read for the common case.
   */
  add(row: T, inode: number = row.inode): boolean {
    if (inode !== 0) {
      const first = this.firstWith(row, inode);
      if (first === undefined) return true;
      this.seen.add(this.identity(first));
    }
    const id = this.identity(row);
    if (this.seen.has(id)) return false;
    this.seen.add(id);
    return true;
  }

  /** The row already holding `row`'s inode, or undefined after recording `row` as its first. */
  private firstWith(row: T, inode: number): T | undefined {
    if (!(inode > 0 && inode < U32 && Number.isInteger(inode))) {
      this.wide ??= new Map();
      const first = this.wide.get(inode);
      if (first === undefined) this.wide.set(inode, row);
      return first;
    }
    if (2 * (this.used + 1) > this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    const gen = this.generation;
    let i = Math.imul(inode, 0x9e37_79b1) >>> 0;
    for (;;) {
      i &= mask;
      if (this.stamps[i] !== gen) {
        this.keys[i] = inode;
        this.stamps[i] = gen;
        this.rows[i] = row;
        this.used++;
        return undefined;
      }
      if (this.keys[i] === inode) return this.rows[i];
      i++;
    }
  }

  private allocate(slots: number): void {
    this.keys = new Uint32Array(slots);
    this.stamps = new Uint32Array(slots);
    this.rows = new Array(slots).fill(undefined);
    this.generation = 1;
    this.used = 0;
  }

  private grow(): void {
    const { keys, stamps, rows, generation } = this;
    this.allocate(keys.length * 2);
    for (let i = 0; i < keys.length; i++) if (stamps[i] === generation) this.firstWith(rows[i]!, keys[i]!);
  }
}

/** A power of two with room for `rows` at half load. */
function slotsFor(rows: number): number {
  let slots = MIN_SLOTS;
  while (slots < 2 * rows) slots *= 2;
  return slots;
}
