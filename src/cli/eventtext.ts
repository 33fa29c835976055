// How an event is written for logs and scripts: one line of text, or one JSON object on one line.
import type { NetEvent } from '../model/events.js';
import { escapeText } from '../view/escape.js';
import { jsonString } from './json.js';

/** ISO 8601 with the local offset: 2026-12-02T13:40:01.123+01:00 (what logs and `date -Iseconds` use). */
export function isoLocal(wallMs: number): string {
  const d = new Date(wallMs);
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const local = new Date(wallMs + offset * 60_000);
  return `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}.${pad(local.getUTCMilliseconds(), 3)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** One event as a log line: time, kind, object, detail (host text escaped; one line whatever it holds). */
export function eventLine(e: NetEvent, alerts: readonly string[] = []): string {
  const alert = alerts.length > 0 ? ` [alert ${alerts.join(' ')}]` : '';
  return escapeText(`${isoLocal(e.time)} ${e.kind} ${e.object} ${e.detail}${alert}`.replace(/\n/g, '\\n'));
}

/** One event as a JSON object on one line. */
export function eventJson(e: NetEvent, alerts: readonly string[] = []): string {
  const fields = [
    `"time":${jsonString(isoLocal(e.time))}`,
    `"kind":${jsonString(e.kind)}`,
    `"object":${jsonString(e.object)}`,
    `"detail":${jsonString(e.detail)}`,
    `"source":${jsonString(e.source ?? 'sample')}`,
  ];
  if (e.target)
    fields.push(`"target":{"table":${jsonString(e.target.table)},"key":${jsonString(e.target.key)}}`);
  if (alerts.length > 0) fields.push(`"alerts":[${alerts.map(jsonString).join(',')}]`);
  return `{${fields.join(',')}}`;
}
