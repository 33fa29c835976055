import { describe, expect, it } from 'vitest';
import { decodeOwners, encodeOwners } from '../../src/sample/ownerswire.js';
import { proc } from '../helpers/snapshots.js';

describe('owners worker wire format', () => {
  it('round-trips a map in which one process holds several sockets and a socket has several holders', () => {
    const nginx = proc(10, 'nginx');
    const worker = proc(11, 'nginx', { uid: 33, user: 'www-data' });
    const owners = new Map([
      [100, [nginx]],
      [101, [nginx, worker]],
      [4294967295, [worker]],
    ]);
    const stats = { processes: 3, unreadable: 1, vanished: 0, rescanned: 3 };
    const message = encodeOwners(owners, stats);
    expect(message.processes).toHaveLength(2);
    expect(message.pairs).toHaveLength(8);
    const back = decodeOwners(message);
    expect(back).toEqual(owners);
    // Each process is one object again, shared by all its sockets.
    expect(back.get(100)![0]).toBe(back.get(101)![0]);
    // A socket with one holder gets that process's shared list; adding a holder never changes it.
    expect(back.get(101)).toEqual([nginx, worker]);
    expect(back.get(100)).toEqual([nginx]);
    expect(Object.isFrozen(back.get(100))).toBe(true);
    expect(message.stats).toEqual(stats);
  });

  it('encodes an empty map', () => {
    const message = encodeOwners(new Map(), { processes: 0, unreadable: 0, vanished: 0, rescanned: 0 });
    expect(decodeOwners(message).size).toBe(0);
  });
});
