import { Box, useApp, useInput } from 'ink';
import { useMemo, useReducer, useRef } from 'react';
import { useFollowedSelection } from '../hooks/useFollowedSelection.js';
import { useLiveView } from '../hooks/useLiveView.js';
import { jumpActions, usePaneRows } from '../hooks/usePaneRows.js';
import { useTerminalSize } from '../hooks/useTerminalSize.js';
import { listenerKey } from '../src/model/diff.js';
import type { LiveStore } from '../src/model/livestore.js';
import type { NameResolver } from '../src/sample/names.js';
import { detailsLines, helpLines } from '../src/view/details.js';
import { escapeControl } from '../src/view/escape.js';
import { parseFilter } from '../src/view/filter.js';
import { formatClock, formatMs } from '../src/view/format.js';
import { actionsFor } from '../src/view/keys.js';
import { overviewModel } from '../src/view/overview.js';
import { ownersNotice, togglesText } from '../src/view/status.js';
import {
  type Action,
  initialUiState,
  PANE_TITLES,
  reduce,
  sortArrow,
  type UiState,
} from '../src/view/uistate.js';
import {
  type ConnectionRow,
  type CounterRow,
  connectionMetrics,
  type EventRow,
  type InterfaceRow,
  jumpTarget,
  type ListenerRow,
  type ProcessRow,
  type RouteRow,
  tcpStateCounts,
} from '../src/view/viewmodel.js';
import { ConnectionsPane } from './ConnectionsPane.js';
import { EventsPane } from './EventsPane.js';
import { FilterLine } from './FilterLine.js';
import { InterfacesPane } from './InterfacesPane.js';
import { ListenersPane } from './ListenersPane.js';
import { Overlay, wrapLines } from './Overlay.js';
import { OverviewPane } from './OverviewPane.js';
import { ProcessesPane } from './ProcessesPane.js';
import { RoutesPane } from './RoutesPane.js';
import { StatsPane } from './StatsPane.js';
import { StatusBar } from './StatusBar.js';
import { TabBar } from './TabBar.js';

export interface AppProps {
  /** The live store (sampler underneath). */
  store: LiveStore;
  /** Name lookups from etc/hosts and etc/services. */
  names: NameResolver;
  /** Sampling interval, for the status bar. */
  intervalMs: number;
  /** NO_COLOR: marks stay as text, colours go. */
  noColor: boolean;
  /** The terminal draws styles (chalk level > 0); without, the selection is marked '>'. */
  styled?: boolean;
  /** Running as root: what the owner-scan notice can say. */
  root?: boolean;
  /** Why there is no tcp_info (RX/TX, RTT, retransmits per connection), asked when a sample has none. */
  tcpInfoNote?: () => string;
  /** What --on-alert's command last did wrong, if lately (asked at each frame). */
  alertNote?: () => string | undefined;
  /** Starting UI state (tests). */
  initial?: Partial<UiState>;
  /** Called once when the user quits (q / Ctrl-C), before Ink exits. */
  onQuit?: () => void;
}

const SHORT_STATES: Record<string, string> = {
  ESTABLISHED: 'ESTAB',
  TIME_WAIT: 'TW',
  CLOSE_WAIT: 'CW',
  LISTEN: 'LISTEN',
  SYN_SENT: 'SYN-S',
  SYN_RECV: 'SYN-R',
  FIN_WAIT1: 'FW1',
  FIN_WAIT2: 'FW2',
  LAST_ACK: 'LACK',
  CLOSING: 'CLOSING',
  CLOSE: 'CLOSE',
};

/** The live monitor: tab bar, the pane in view (or help / details), filter line, status bar. */
export function App({
  store,
  names,
  intervalMs,
  noColor,
  styled = true,
  root = false,
  tcpInfoNote,
  alertNote,
  initial,
  onQuit,
}: AppProps) {
  const { exit } = useApp();
  const { columns, rows: termRows } = useTerminalSize();
  const [ui, dispatch] = useReducer(reduce, initial, (i) => initialUiState(i));
  const view = useLiveView(store);
  const { rows, total, error } = usePaneRows(view, ui, names);

  // Layout: never taller than the terminal (Ink clears the screen when a frame is, which flickers).
  const compact = termRows < 5;
  const paneHeight = Math.max(1, termRows - (compact ? 1 : 3));
  const page = Math.max(1, paneHeight - 1);
  const width = Math.max(1, columns);
  const { selected, scrollTop } = useFollowedSelection(ui, rows);
  const snapshot = view?.snapshot;

  // Help and details can be longer than the pane (the keymap alone is at 80×24): they scroll.
  const overlay = ui.help
    ? { title: 'netwatch keys', lines: helpLines() }
    : ui.details
      ? {
          title: `${PANE_TITLES[ui.pane]}: details`,
          lines: detailsLines(
            ui.pane,
            rows[selected],
            snapshot?.wallMs ?? 0,
            view?.series,
            width,
            snapshot?.tcpInfo,
          ),
        }
      : undefined;
  const overlayLines = overlay ? wrapLines(overlay.lines, width).length : 0;
  const overlayBody = Math.max(1, paneHeight - 1);
  const overlayTop = Math.min(ui.overlayTop, Math.max(0, overlayLines - overlayBody));
  const keyContext = overlay ? { total: overlayLines, page: overlayBody } : { total: rows.length, page };

  // Keys can arrive faster than React re-renders (typing over SSH, a paste, tmux send-keys): each event
  // must see the state the previous one left, not the state of the last render.
  const latest = useRef(ui);
  latest.current = ui;
  // What this render shows, and from which state: the view may have moved the selection to follow its row.
  const shown = useRef({ ui, selected, scrollTop });
  shown.current = { ui, selected, scrollTop };
  // What the keys act on (a row to jump from, rows to acknowledge): this render's, not the one the handler
  // was first made in.
  const onScreen = useRef({ rows, view, page, keyContext });
  onScreen.current = { rows, view, page, keyContext };
  useInput((input, key) => {
    const { rows, view, page, keyContext } = onScreen.current;
    let state = latest.current;
    // The first key after a render starts from the row on screen (later keys of the same burst already do).
    const { ui: from, selected: at, scrollTop: top } = shown.current;
    if (
      from === state &&
      !state.help &&
      !state.details &&
      (state.selected[state.pane] !== at || state.scrollTop[state.pane] !== top)
    ) {
      const sync: Action = { type: 'select', index: at, scrollTop: top };
      state = reduce(state, sync);
      latest.current = state;
      dispatch(sync);
    }
    for (const action of actionsFor({ input, ...key }, state, keyContext)) {
      // Side effects belong to the event, not to an effect that watches state.
      if (action.type === 'quit') {
        onQuit?.();
        exit();
        return;
      }
      if (action.type === 'togglePause') store.setPaused(!state.paused);
      if (action.type === 'ack') store.acknowledge(ackKeys(state, rows, page));
      // Enter on an event: its object, in its pane (the filter there is cleared if it hides the row).
      if (action.type === 'details' && state.pane === 'events' && !state.details && view) {
        const row = rows[state.selected.events] as EventRow | undefined;
        const target = row ? jumpTarget(row.event) : undefined;
        if (target) {
          const jump = jumpActions(view, state, target, names, page);
          for (const a of jump) {
            state = reduce(state, a);
            latest.current = state;
            dispatch(a);
          }
          continue;
        }
      }
      // An invalid filter is not applied: the line stays open with its error, the last good filter stays.
      if (action.type === 'filterApply' && state.editing !== undefined && !parseFilter(state.editing).ok)
        continue;
      state = reduce(state, action);
      latest.current = state;
      dispatch(action);
    }
  });

  // Counting TCP states walks every socket: once per sample, not on every key press.
  const stateSummary = useMemo(
    () =>
      view
        ? [...tcpStateCounts(view).entries()]
            .sort((a, b) => b[1] - a[1])
            .map(([s, n]) => `${SHORT_STATES[s] ?? s} ${n}`)
            .join(' ')
        : '',
    [view],
  );
  const items: string[] = [];
  const alerts: string[] = [];
  if (view?.paused || ui.paused) alerts.push('PAUSED');
  if (view && view.gone.length > 0)
    alerts.push(`${view.gone.length} listener${view.gone.length > 1 ? 's' : ''} gone (a: ack)`);
  if (view && view.restarted.size > 0) alerts.push(`${view.restarted.size} restarted`);
  // A paging command that fails must be seen: it is the user's way of hearing about the rest.
  const alertTrouble = alertNote?.();
  if (alertTrouble) alerts.push(escapeControl(alertTrouble));
  if (ui.notice) items.push(ui.notice);
  if (snapshot) {
    items.push(
      escapeControl(snapshot.hostname),
      `every ${intervalMs / 1000}s`,
      `${formatClock(snapshot.wallMs)} in ${formatMs(snapshot.durationMs)}`,
    );
    if (stateSummary) items.push(stateSummary);
    // What the filter leaves of the pane in view, so it stays visible whichever line has room.
    if (ui.filters[ui.pane] || ui.editing !== undefined) items.push(`${rows.length}/${total} shown`);
    const toggles = togglesText(ui);
    if (toggles) items.push(toggles);
    if (!snapshot.tcpInfo && (ui.pane === 'connections' || ui.pane === 'processes')) {
      const why = tcpInfoNote?.() || 'TCP sockets were read from /proc';
      items.push(`no RX/TX/RTT columns: ${why}`);
    }
    const owners = ownersNotice(snapshot.ownerStats, root);
    if (owners) items.push(owners);
    if (snapshot.warnings.length > 0) items.push(escapeControl(snapshot.warnings[0]!));
  } else {
    items.push('sampling…');
  }

  const metrics = useMemo(() => (view ? connectionMetrics(view) : undefined), [view]);
  // The Overview is built only while it is in view.
  const overview = useMemo(
    () => (ui.pane === 'overview' && view ? overviewModel(view) : undefined),
    [ui.pane, view],
  );

  let body: React.ReactNode;
  const { key: sortKey, reverse } = ui.sort[ui.pane];
  const common = {
    width,
    height: paneHeight,
    selected,
    scrollTop,
    wide: ui.wide,
    noColor,
    plain: !styled,
    sort: sortKey ? { key: sortKey, arrow: sortArrow(sortKey, reverse) } : undefined,
    hOffset: ui.hOffset[ui.pane],
  };
  if (overlay) {
    const scroll = overlayLines > overlayBody ? ', ↑↓ PgUp PgDn scroll' : '';
    const closer = ui.help ? '? or Esc closes' : 'Enter or Esc closes';
    body = (
      <Overlay
        title={`${overlay.title} (${closer}${scroll})`}
        lines={overlay.lines}
        width={width}
        height={paneHeight}
        offset={overlayTop}
      />
    );
  } else {
    switch (ui.pane) {
      case 'overview':
        body = (
          <OverviewPane model={overview} width={width} height={paneHeight} bits={ui.bits} noColor={noColor} />
        );
        break;
      case 'connections':
        body = (
          <ConnectionsPane
            rows={rows as ConnectionRow[]}
            now={snapshot?.wallMs ?? 0}
            metrics={metrics}
            bits={ui.bits}
            {...common}
          />
        );
        break;
      case 'listeners':
        body = <ListenersPane rows={rows as ListenerRow[]} {...common} />;
        break;
      case 'routes':
        body = <RoutesPane rows={rows as RouteRow[]} {...common} />;
        break;
      case 'interfaces':
        body = <InterfacesPane rows={rows as InterfaceRow[]} bits={ui.bits} {...common} />;
        break;
      case 'stats':
        body = <StatsPane rows={rows as CounterRow[]} {...common} />;
        break;
      case 'events':
        body = <EventsPane rows={rows as EventRow[]} now={snapshot?.wallMs ?? 0} {...common} />;
        break;
      case 'processes':
        body = (
          <ProcessesPane
            rows={rows as ProcessRow[]}
            group={ui.processGroup}
            bits={ui.bits}
            tcpInfo={snapshot?.tcpInfo !== undefined}
            {...common}
          />
        );
        break;
    }
  }

  return (
    <Box flexDirection="column" width={width} height={termRows}>
      {!compact && <TabBar pane={ui.pane} width={width} noColor={noColor} />}
      <Box height={paneHeight} flexDirection="column">
        {body}
      </Box>
      {!compact && (
        <FilterLine
          editing={ui.editing}
          cursor={ui.cursor}
          noRows={ui.pane === 'overview'}
          applied={ui.filters[ui.pane]}
          error={error}
          shown={rows.length}
          total={total}
          width={width}
          noColor={noColor}
        />
      )}
      <StatusBar items={items} alerts={alerts} width={width} noColor={noColor} />
    </Box>
  );
}

/**
 * What `a` acknowledges: in the Listeners pane, the marked listeners on screen (the visible window of
 * the filtered rows); anywhere else, every mark (the status bar is where they are on screen).
 */
function ackKeys(ui: UiState, rows: readonly unknown[], page: number): string[] | undefined {
  if (ui.pane !== 'listeners') return undefined;
  const top = ui.scrollTop.listeners;
  const keys: string[] = [];
  for (const row of rows.slice(top, top + page) as ListenerRow[])
    if (row.status !== '') keys.push(listenerKey(row.socket));
  return keys;
}
