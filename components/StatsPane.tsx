import { formatClock, formatCount, formatDelta, formatPerSecond } from '../src/view/format.js';
import type { CounterRow } from '../src/view/viewmodel.js';
import { type Column, type PaneProps, Table } from './Table.js';

export type StatsPaneProps = PaneProps<CounterRow>;

function rateText(r: CounterRow): string {
  if (r.gauge) return '';
  if (r.reset) return 'reset';
  return r.rate === undefined ? '-' : `${formatPerSecond(r.rate)}/s`;
}

function climbText(r: CounterRow): string {
  const c = r.lastClimb;
  return c ? `+${c.delta} at ${formatClock(c.at)}` : '';
}

// Group, Counter and Value stay at any width ≥ 40 (they only shrink); the rest go first.
const COLUMNS: Column<CounterRow>[] = [
  { key: 'group', header: 'Group', get: (r) => r.group, width: 8, min: 8, priority: 9, sortKey: 'group' },
  { key: 'name', header: 'Counter', get: (r) => r.name, min: 14, width: 26, flex: true, sortKey: 'name' },
  {
    key: 'value',
    header: 'Value',
    get: (r) => formatCount(r.value),
    align: 'right',
    width: 20,
    // 14 digits is 99 TB of IpExt InOctets; only the 20-digit extremes are cut below 60 columns.
    min: 14,
    sortKey: 'value',
  },
  {
    key: 'delta',
    header: 'Delta',
    get: (r) => (r.gauge ? '' : formatDelta(r.delta)),
    align: 'right',
    width: 10,
    min: 10,
    priority: 3,
  },
  {
    key: 'rate',
    header: 'Rate',
    get: rateText,
    align: 'right',
    width: 10,
    min: 10,
    priority: 7,
    sortKey: 'rate',
  },
  { key: 'climb', header: 'Last climb', get: climbText, width: 20, min: 20, priority: 7 },
  {
    key: 'description',
    header: 'Meaning',
    get: (r) => r.description ?? '',
    min: 10,
    width: 30,
    flex: true,
    priority: 4,
  },
];

/** Columns of the pane, for ←/→ (uistate PANE_COLUMNS must match). */
export const STATS_COLUMNS = COLUMNS.length;

function rowStyle(r: CounterRow) {
  // Trouble counters that climbed in the last minute are the ones a person is here to see.
  if (r.climbing) return { mark: '!', color: 'red', bold: true };
  if (r.reset) return { mark: '~', color: 'yellow' };
  return undefined;
}

const rowKey = (r: CounterRow) => r.key;

/**
 * Every counter of snmp, netstat and snmp6 by group, with delta and rate; trouble counters that climbed in
 * the last minute pinned on top, marked '!' with their last climb.
 */
export function StatsPane(props: StatsPaneProps) {
  return <Table {...props} columns={COLUMNS} rowKey={rowKey} rowStyle={rowStyle} />;
}
