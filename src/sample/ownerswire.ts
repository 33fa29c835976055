// How the owners worker hands its result to the main thread: each process once, and (inode, process index)
// pairs in a buffer that is transferred rather than cloned (20,000 sockets would otherwise be 20,000 arrays).
import type { OwnerScanStats, ProcessInfo } from '../model/types.js';

/** What the worker posts: processes once each, and (inode, process index) pairs in a transferable buffer. */
export interface OwnersMessage {
  readonly processes: readonly ProcessInfo[];
  readonly pairs: Float64Array;
  readonly stats: OwnerScanStats;
}

export function encodeOwners(
  owners: ReadonlyMap<number, readonly ProcessInfo[]>,
  stats: OwnerScanStats,
): OwnersMessage {
  const index = new Map<ProcessInfo, number>();
  const processes: ProcessInfo[] = [];
  let n = 0;
  for (const list of owners.values()) n += list.length;
  const pairs = new Float64Array(n * 2);
  let i = 0;
  for (const [inode, list] of owners) {
    for (const p of list) {
      let at = index.get(p);
      if (at === undefined) {
        at = processes.length;
        processes.push(p);
        index.set(p, at);
      }
      pairs[i++] = inode;
      pairs[i++] = at;
    }
  }
  return { processes, pairs, stats };
}

/**
 * Back to inode → holders. Almost every socket has one holder, so those share one frozen one-element list
 * per process instead of 20,000 arrays that a one-shot run would allocate, keep and have the GC copy.
 */
export function decodeOwners(message: OwnersMessage): Map<number, readonly ProcessInfo[]> {
  const owners = new Map<number, readonly ProcessInfo[]>();
  const { pairs, processes } = message;
  const alone = processes.map((p) => Object.freeze([p]));
  for (let i = 0; i < pairs.length; i += 2) {
    const inode = pairs[i]!;
    const at = pairs[i + 1]!;
    const list = owners.get(inode);
    owners.set(inode, list === undefined ? alone[at]! : [...list, processes[at]!]);
  }
  return owners;
}
