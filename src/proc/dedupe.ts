// Drops rows the kernel printed twice in one read (seq_file can repeat a row across read chunks), for
// the socket tables. Inodes are unique per live socket, so a number-keyed map settles almost every row
// cheaply; only rows without an inode (TIME_WAIT, request sockets) and the rare inode collision pay for
// a string identity.
export class RowDeduper<T extends { readonly inode: number }> {
  private readonly byInode = new Map<number, T>();
  private readonly seen = new Set<string>();

  constructor(private readonly identity: (row: T) => string) {}

  /** True when `row` was not seen before in this read. */
  add(row: T): boolean {
    if (row.inode !== 0) {
      const first = this.byInode.get(row.inode);
      if (first === undefined) {
        this.byInode.set(row.inode, row);
        return true;
      }
      this.seen.add(this.identity(first));
    }
    const id = this.identity(row);
    if (this.seen.has(id)) return false;
    this.seen.add(id);
    return true;
  }
}
