import { formatCount, formatDelta, formatPerSecond } from '../src/view/format.js';
import type { CounterRow } from '../src/view/viewmodel.js';
import { type Column, type PaneProps, Table } from './Table.js';

export type StatsPaneProps = PaneProps<CounterRow>;

function rateText(r: CounterRow): string {
  if (r.gauge) return '';
  if (r.reset) return 'reset';
  return r.rate === undefined ? '-' : `${formatPerSecond(r.rate)}/s`;
}

const COLUMNS: Column<CounterRow>[] = [
  { key: 'group', header: 'Group', get: (r) => r.group, width: 8, priority: 6 },
  { key: 'name', header: 'Counter', get: (r) => r.name, min: 10, width: 26, priority: 10 },
  {
    key: 'value',
    header: 'Value',
    get: (r) => formatCount(r.value),
    align: 'right',
    width: 20,
    min: 6,
    priority: 9,
  },
  {
    key: 'delta',
    header: 'Delta',
    get: (r) => (r.gauge ? '' : formatDelta(r.delta)),
    align: 'right',
    width: 10,
    priority: 8,
  },
  { key: 'rate', header: 'Rate', get: rateText, align: 'right', width: 10, priority: 7 },
  {
    key: 'description',
    header: 'Meaning',
    get: (r) => r.description ?? '',
    min: 10,
    width: 40,
    flex: true,
    priority: 1,
  },
];

function rowStyle(r: CounterRow) {
  // Trouble counters that climbed are the ones a person is here to see: colour and a text mark.
  if (r.climbing) return { mark: '!', color: 'red', bold: true };
  if (r.reset) return { mark: '~', color: 'yellow' };
  return undefined;
}

const rowKey = (r: CounterRow) => r.key;

/** Every counter of snmp, netstat and snmp6 by group, with delta and rate; climbing trouble counters marked '!'. */
export function StatsPane(props: StatsPaneProps) {
  return <Table {...props} columns={COLUMNS} rowKey={rowKey} rowStyle={rowStyle} />;
}
