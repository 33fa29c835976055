// Events pane rows: every change of the session, newest first, with its time and how long ago; the ones
// an alert rule fired on are marked. Enter jumps to the event's object in its pane (jumpTarget).
import type { NetEvent } from '../model/events.js';
import type { LiveView } from '../model/livestore.js';
import { escapeControl } from './escape.js';
import { type Comparator, cmpStr, type RowBase, sorted } from './rows.js';
import type { Pane } from './uistate.js';

export interface EventRow extends RowBase {
  readonly event: NetEvent;
  readonly kind: string;
  readonly object: string;
  readonly detail: string;
  readonly alerted: boolean;
}

const ROWS = new WeakMap<NetEvent, EventRow>();

/** One row per event, newest first; a row is made once per event and kept. */
export function eventRows(view: LiveView): EventRow[] {
  const rows: EventRow[] = [];
  for (let i = view.events.length - 1; i >= 0; i--) {
    const e = view.events[i]!;
    const alerted = view.alerted.has(e.id);
    let row: EventRow | undefined = ROWS.get(e);
    if (!row || row.alerted !== alerted) {
      const object = escapeControl(e.object);
      const detail = escapeControl(e.detail);
      row = {
        key: `e${e.id}`,
        event: e,
        kind: e.kind,
        object,
        detail,
        alerted,
        subject: {
          kind: e.kind,
          text: [e.kind, object, detail, e.source ?? 'sample', alerted ? 'alert' : ''],
        },
      };
      ROWS.set(e, row);
    }
    rows.push(row);
  }
  return rows;
}

const EVENT_SORT: Record<string, Comparator<EventRow>> = {
  time: (a, b) => b.event.id - a.event.id,
  kind: (a, b) => cmpStr(a.kind, b.kind) || b.event.id - a.event.id,
  object: (a, b) => cmpStr(a.object, b.object) || b.event.id - a.event.id,
};

export const sortEvents = (rows: readonly EventRow[], key: string, reverse: boolean) =>
  sorted(rows, EVENT_SORT, key, reverse);

const PANE_OF: Readonly<Record<string, Pane>> = {
  listeners: 'listeners',
  interfaces: 'interfaces',
  routes: 'routes',
  counters: 'stats',
};

/** Where Enter on an event goes: the pane of its object and a prefix of that row's key. */
export function jumpTarget(e: NetEvent): { pane: Pane; key: string } | undefined {
  const t = e.target;
  if (!t) return undefined;
  const pane = PANE_OF[t.table];
  return pane ? { pane, key: t.key } : undefined;
}
