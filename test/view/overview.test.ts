// The Overview's model and layout, without a terminal: which figures it shows, how they are summed, and what
// survives a small terminal.
import { describe, expect, it } from 'vitest';
import { diffSnapshots } from '../../src/model/diff.js';
import { LiveStore, type SamplerState } from '../../src/model/livestore.js';
import type { Snapshot } from '../../src/model/types.js';
import { escapeControl } from '../../src/view/escape.js';
import { formatByteRate, formatClock, formatPerSecond } from '../../src/view/format.js';
import { fitHistory, type OverviewFormat, overviewLines, overviewModel } from '../../src/view/overview.js';
import { sparkline } from '../../src/view/sparkline.js';
import { WALL_BASE } from '../helpers/app.js';
import { counters, dev, inet, snapshot } from '../helpers/snapshots.js';

function viewOf(...snaps: Snapshot[]) {
  const store = new LiveStore({ getState: () => undefined, subscribe: () => () => {} });
  let prev: Snapshot | undefined;
  snaps.forEach((s, i) => {
    const state: SamplerState = { snapshot: s, diff: prev ? diffSnapshots(prev, s) : undefined, seq: i + 1 };
    store.ingest(state);
    prev = s;
  });
  return store.getView()!;
}

const F: OverviewFormat = {
  spark: sparkline,
  rate: formatPerSecond,
  bytes: (v) => formatByteRate(v),
  clock: formatClock,
  escape: escapeControl,
};

const sample = (t: number, retrans: bigint, rcvbuf4: bigint, rcvbuf6: bigint, ethRx: bigint, loRx: bigint) =>
  snapshot(t, {
    sockets: [
      inet('tcp', '10.0.0.1:22', '10.0.0.9:5000', 'ESTABLISHED', 1),
      inet('tcp', '10.0.0.1:22', '10.0.0.9:5001', 'ESTABLISHED', 2),
      inet('tcp', '10.0.0.1:22', '10.0.0.9:5002', 'CLOSE_WAIT', 3),
      inet('tcp', '0.0.0.0:22', '0.0.0.0:0', 'LISTEN', 4),
      inet('udp', '0.0.0.0:53', '0.0.0.0:0', 'UNCONN', 5),
    ],
    counters: counters({
      Tcp: { RetransSegs: retrans, OutRsts: 7n },
      Udp: { RcvbufErrors: rcvbuf4 },
      Udp6: { RcvbufErrors: rcvbuf6 },
    }),
    interfaces: [
      { ...dev('lo', loRx, loRx), ifindex: 1, flags: 0x9 },
      { ...dev('eth0', ethRx, 0n), ifindex: 2, flags: 0x1003, operstate: 'up' },
    ],
    conntrackUse: { count: 900, max: 1000 },
  });

describe('overviewModel', () => {
  const view = viewOf(sample(0, 10n, 1n, 2n, 0n, 0n), sample(1000, 25n, 4n, 2n, 2048n, 999_999n));
  const m = overviewModel(view);
  const line = (label: string) => m.trouble.find((t) => t.label === label)!;

  it('gives each trouble figure its rate, total and last climb; sums v4 and v6', () => {
    expect(line('TCP retransmits')).toMatchObject({
      rate: 15,
      total: 25n,
      climbing: true,
      lastClimb: { at: WALL_BASE + 1000, delta: 15n },
    });
    expect(line('UDP rcvbuf errors')).toMatchObject({ rate: 3, total: 6n, climbing: true });
    // Resets sent did not move: a total, a zero rate, no climb.
    expect(line('Resets sent')).toMatchObject({ rate: 0, total: 7n, climbing: false, lastClimb: undefined });
    // A counter this kernel does not have has no total at all (shown as n/a).
    expect(line('SYN retransmits').total).toBeUndefined();
    expect(line('TCP retransmits').history.at(-1)).toBe(15);
  });

  it('counts traffic without loopback, and lists the busiest link first, loopback last', () => {
    expect(m.rx.rate).toBe(2048);
    expect(m.busiest.map((b) => b.name)).toEqual(['eth0', 'lo']);
  });

  it('counts sockets by state in a connection’s order, listeners and conntrack use', () => {
    expect(m.sockets.tcp).toEqual([
      ['ESTABLISHED', 2],
      ['CLOSE_WAIT', 1],
      ['LISTEN', 1],
    ]);
    expect(m.sockets).toMatchObject({ listeners: 2, udp: 1, raw: 0, unix: 0 });
    expect(m.conntrack).toEqual({ count: 900, max: 1000 });
  });

  it('lays out at 80×21 with every trouble row, traffic, sockets and changes; conntrack at 90% in alert', () => {
    const lines = overviewLines(m, 80, 21, F);
    const text = lines.map((l) => l.segments.map((s) => s.text).join(''));
    // Header, 12 trouble rows, traffic, busiest, sockets, changes.
    expect(text).toHaveLength(17);
    expect(text[0]).toMatch(/^ Trouble\s+now\/s last 2 min\s+total last climb/);
    expect(text[1]).toMatch(/^!TCP retransmits\s+15 .* 25 \+15 at \d\d:\d\d:\d\d/);
    for (const t of text) expect([...t].length).toBeLessThanOrEqual(80);
    expect(text.find((t) => t.includes('Sockets'))).toMatch(
      /ESTAB 2 CW 1 {2}listeners 2 udp 1 raw 0 unix 0 {2}conntrack 900\/1000 \(90%\)/,
    );
    const conntrack = lines
      .find((l) => l.key === 'sockets')!
      .segments.find((s) => s.text.includes('conntrack'));
    expect(conntrack?.style).toBe('alert');
    expect(lines.find((l) => l.key === 'trouble Tcp.RetransSegs')!.segments[0]!.style).toBe('alert');
  });

  it('at 40×9 keeps what climbed, traffic and sockets before the quiet counters', () => {
    const text = overviewLines(m, 40, 9, F).map((l) => l.segments.map((s) => s.text).join(''));
    expect(text).toHaveLength(9);
    expect(text[0]).toMatch(/Trouble/);
    // Rows keep their reading order; the quiet ones only fill the lines left.
    expect(text[1]).toMatch(/^!TCP retransmits/);
    expect(text.filter((t) => t.startsWith('!'))).toHaveLength(2);
    expect(text.some((t) => t.startsWith('!UDP rcvbuf errors'))).toBe(true);
    expect(text.some((t) => t.includes('Traffic'))).toBe(true);
    expect(text.some((t) => t.includes('Sockets'))).toBe(true);
    for (const t of text) expect([...t].length).toBeLessThanOrEqual(40);
  });

  it('at 20×3 never draws more lines than it has', () => {
    expect(overviewLines(m, 20, 3, F)).toHaveLength(3);
    expect(overviewLines(m, 20, 0, F)).toEqual([]);
  });
});

describe('fitHistory', () => {
  it('folds samples into columns keeping each column’s largest, newest at the right', () => {
    expect(fitHistory([1, 9, 2, 3, 0, 4], 3)).toEqual([9, 3, 4]);
    expect(fitHistory([1, 9, 2, 3, 0], 3)).toEqual([1, 9, 3]);
    expect(fitHistory([undefined, undefined, 5, undefined], 2)).toEqual([undefined, 5]);
    expect(fitHistory([1, 2], 10)).toEqual([1, 2]);
  });
});

describe('sparkline with a shared scale', () => {
  it('draws a quiet row low against a busy row’s scale', () => {
    expect(sparkline([1, 1, 1], 3, 1000)).toBe('▂▂▂');
    expect(sparkline([1, 1, 1], 3)).toBe('███');
    expect(sparkline([500, 1000], 2, 1000)).toBe('▅█');
  });
});

describe('Overview changes', () => {
  it('lists an unacknowledged gone listener before newer, less urgent changes', () => {
    const web = inet('tcp', '0.0.0.0:80', '0.0.0.0:0', 'LISTEN', 100);
    const others = Array.from({ length: 30 }, (_, i) =>
      inet('tcp', `127.0.0.1:${2000 + i}`, '0.0.0.0:0', 'LISTEN', 200 + i),
    );
    const view = viewOf(
      snapshot(0, { sockets: [web] }),
      snapshot(1000, { sockets: [] }),
      snapshot(2000, { sockets: others }),
    );
    const m = overviewModel(view);
    expect(m.changes[0]).toMatchObject({ kind: 'listener-gone', object: 'tcp 0.0.0.0:80' });
    expect(m.changes[1]).toMatchObject({ kind: 'listener-new' });
    expect(m.gone).toBe(1);
  });
});
