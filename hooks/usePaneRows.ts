import { useEffect, useMemo, useRef } from 'react';
import type { LiveView } from '../src/model/livestore.js';
import type { NameResolver } from '../src/sample/names.js';
import type { AnyRow } from '../src/view/details.js';
import { type CompiledFilter, type FilterMetrics, parseFilter } from '../src/view/filter.js';
import type { Action, Pane, UiState } from '../src/view/uistate.js';
import type { ConnectionRow, Toggles } from '../src/view/viewmodel.js';
import {
  connectionMetrics,
  connectionRows,
  counterRows,
  eventRows,
  filterRows,
  interfaceRows,
  listenerRows,
  METRIC_SORTS,
  type MetricsOf,
  type ProcessGroup,
  processRows,
  routeRows,
  sortConnections,
  sortCounters,
  sortEvents,
  sortInterfaces,
  sortListeners,
  sortProcesses,
  sortRoutes,
  warmSubjects,
} from '../src/view/viewmodel.js';

/** Rows whose filter text is computed per turn of the event loop while the filter line is open (~3 ms). */
const WARM_CHUNK = 1000;

export interface PaneRows {
  /** Filtered and sorted rows of the pane in view. */
  readonly rows: readonly AnyRow[];
  /** Rows before filtering. */
  readonly total: number;
  /** Parse error of the filter being typed or applied; the last good filter stays in force. */
  readonly error: string | undefined;
}

function buildRows(
  view: LiveView | undefined,
  pane: Pane,
  t: Toggles,
  names: NameResolver,
  previous: readonly AnyRow[] | undefined,
  group: ProcessGroup,
): readonly AnyRow[] {
  if (!view) return [];
  switch (pane) {
    case 'overview':
      return [];
    case 'connections':
      return connectionRows(view, t, names, previous as readonly ConnectionRow[] | undefined);
    case 'listeners':
      return listenerRows(view, t, names);
    case 'routes':
      return routeRows(view, t, names);
    case 'interfaces':
      return interfaceRows(view);
    case 'stats':
      return counterRows(view, t);
    case 'processes':
      return processRows(view, group, names, t.numeric);
    case 'events':
      return eventRows(view);
  }
}

function sortRows(
  rows: readonly AnyRow[],
  pane: Pane,
  key: string,
  reverse: boolean,
  metrics: MetricsOf | undefined,
): readonly AnyRow[] {
  switch (pane) {
    case 'overview':
      return rows;
    case 'connections':
      return sortConnections(rows as never, key, reverse, metrics);
    case 'listeners':
      return sortListeners(rows as never, key, reverse);
    case 'routes':
      return sortRoutes(rows as never, key, reverse);
    case 'interfaces':
      return sortInterfaces(rows as never, key, reverse);
    case 'stats':
      return sortCounters(rows as never, key, reverse);
    case 'processes':
      return sortProcesses(rows as never, key, reverse);
    case 'events':
      return sortEvents(rows as never, key, reverse);
  }
}

/**
 * Rows for the pane in view. Three memo stages so a key press does only the work it must: rows are built
 * once per sample (or toggle), filtering once per filter change, sorting once per sort change.
 */
export function usePaneRows(view: LiveView | undefined, ui: UiState, names: NameResolver): PaneRows {
  const { pane, numeric, showUnix, hideZero, changedOnly, processGroup } = ui;
  // The previous rows of this pane, so an unchanged sample can hand back the same array (connectionRows)
  // and the filter and sort below are skipped. A cache read and written during render, not state.
  const last = useRef<{ pane: Pane; rows: readonly AnyRow[] } | undefined>(undefined);
  const built = useMemo(() => {
    const previous = last.current?.pane === pane ? last.current.rows : undefined;
    const rows = buildRows(
      view,
      pane,
      { numeric, showUnix, hideZero, changedOnly },
      names,
      previous,
      processGroup,
    );
    last.current = { pane, rows };
    return rows;
  }, [view, pane, numeric, showUnix, hideZero, changedOnly, names, processGroup]);
  const typed = ui.editing ?? ui.filters[pane];
  const { filter, error } = useMemo(() => {
    const parsed = parseFilter(typed);
    if (parsed.ok) return { filter: parsed.filter as CompiledFilter | undefined, error: undefined };
    // Keep the last good (applied) filter while the typed one is invalid.
    const applied = parseFilter(ui.filters[pane]);
    return { filter: applied.ok ? applied.filter : undefined, error: parsed.error };
  }, [typed, ui.filters, pane]);
  // While the filter line is open, compute every row's filter text a chunk at a time between events, so
  // the first key typed finds it ready (at 20,000 rows it is ~60 ms of formatting, otherwise all on that key).
  const filtering = ui.editing !== undefined;
  useEffect(() => {
    if (!filtering) return;
    let next = 0;
    let timer: NodeJS.Immediate | undefined;
    const step = () => {
      next = warmSubjects(built, next, WARM_CHUNK);
      timer = next < built.length ? setImmediate(step) : undefined;
    };
    timer = setImmediate(step);
    return () => {
      if (timer) clearImmediate(timer);
    };
  }, [built, filtering]);
  // tcp_info figures change every sample: a filter or sort on them re-runs with each view, the rest only
  // when their inputs change.
  const metrics = useMemo(
    () => (view && pane === 'connections' ? connectionMetrics(view) : undefined),
    [view, pane],
  );
  const filterMetrics = filter?.usesMetrics === true ? metrics : undefined;
  const filtered = useMemo(
    () => filterRows(built, filter, filterMetrics as ((r: AnyRow) => FilterMetrics | undefined) | undefined),
    [built, filter, filterMetrics],
  );
  const { key, reverse } = ui.sort[pane];
  const sortMetrics = pane === 'connections' && METRIC_SORTS.has(key) ? metrics : undefined;
  const rows = useMemo(
    () => sortRows(filtered, pane, key, reverse, sortMetrics),
    [filtered, pane, key, reverse, sortMetrics],
  );
  // z and c narrow the Stats rows before the filter; the total stays "all counters" so 21/402 says how
  // much they hide.
  const total = useMemo(() => {
    if (pane !== 'stats' || !view) return built.length;
    let n = 0;
    for (const values of view.snapshot.counters.values()) n += values.size;
    return n;
  }, [pane, view, built]);
  return { rows, total, error };
}

/**
 * The actions that take the view to the row whose key starts with `target.key` in `target.pane` (Enter on
 * an event): the pane, its filter cleared when the filter hides the row, and the row selected and in view.
 * The row is looked up as the pane would show it (same rows, filter and sort); a row that is no longer
 * there (a listener acknowledged since) leaves just the pane switch.
 */
export function jumpActions(
  view: LiveView,
  ui: UiState,
  target: { pane: Pane; key: string },
  names: NameResolver,
  page: number,
): Action[] {
  const { pane } = target;
  const t = {
    numeric: ui.numeric,
    showUnix: ui.showUnix,
    hideZero: ui.hideZero,
    changedOnly: ui.changedOnly,
  };
  const built = buildRows(view, pane, t, names, undefined, ui.processGroup);
  const { key, reverse } = ui.sort[pane];
  const metrics = pane === 'connections' ? connectionMetrics(view) : undefined;
  const find = (rows: readonly AnyRow[]) =>
    rows.findIndex((r) => r.key === target.key || r.key.startsWith(`${target.key} `));
  const parsed = parseFilter(ui.filters[pane]);
  const filtered = parsed.ok ? filterRows(built, parsed.filter) : built;
  const actions: Action[] = [{ type: 'pane', pane }];
  let rows = sortRows(filtered, pane, key, reverse, metrics);
  let index = find(rows);
  if (index < 0 && filtered !== built) {
    rows = sortRows(built, pane, key, reverse, metrics);
    index = find(rows);
    if (index >= 0) actions.push({ type: 'filterCancel' });
  }
  if (index >= 0)
    actions.push({ type: 'select', index, scrollTop: Math.max(0, index - Math.floor(page / 2)) });
  return actions;
}
