// Alert rules (`--alert RULE`, repeatable): which events and conditions deserve a bell and a command.
//
//   listener:8080            a listener on port 8080 vanished or restarted
//   listener:any             any listener vanished or restarted
//   rate:TcpExt.ListenOverflows>0    a counter's rate per second crosses above the value (> >= < <=)
//   state:CLOSE_WAIT>500     the number of TCP sockets in a state crosses above the value
//   event:iface-down         any event of that kind (a prefix: event:iface matches every link event)
//
// A rule fires once per crossing (a rate that stays above fires once, and again only after it fell back),
// or once per matching event. Parsing is pure and strict: a rule that does not parse is a usage error.
import { EVENT_KINDS, type EventKind, type NetEvent } from './events.js';
import { type Snapshot, TCP_STATE_NAMES } from './types.js';

type Op = '>' | '>=' | '<' | '<=';

export type AlertRule =
  | { readonly text: string; readonly kind: 'listener'; readonly port: number | 'any' }
  | {
      readonly text: string;
      readonly kind: 'rate';
      readonly group: string;
      readonly name: string;
      readonly op: Op;
      readonly value: number;
    }
  | {
      readonly text: string;
      readonly kind: 'state';
      readonly state: string;
      readonly op: Op;
      readonly value: number;
    }
  | { readonly text: string; readonly kind: 'event'; readonly prefix: string };

export type RuleResult = { ok: true; rule: AlertRule } | { ok: false; error: string };

const TCP_STATES: readonly string[] = TCP_STATE_NAMES;

const COMPARE = /^(>=|<=|>|<)(\d+(?:\.\d+)?)$/;

/** One `--alert` value → a rule, or why not (said after the rule text by the caller). */
export function parseAlertRule(text: string): RuleResult {
  const colon = text.indexOf(':');
  if (colon <= 0)
    return { ok: false, error: 'expected listener:PORT, rate:GROUP.NAME>N, state:STATE>N or event:KIND' };
  const field = text.slice(0, colon);
  const value = text.slice(colon + 1);
  switch (field) {
    case 'listener': {
      if (value === 'any') return { ok: true, rule: { text, kind: 'listener', port: 'any' } };
      if (!/^\d{1,5}$/.test(value) || Number(value) > 65535)
        return { ok: false, error: 'listener: takes a port (0-65535) or any' };
      return { ok: true, rule: { text, kind: 'listener', port: Number(value) } };
    }
    case 'rate': {
      const m = /^([A-Za-z][A-Za-z0-9]*)\.([A-Za-z][A-Za-z0-9_]*)(.*)$/.exec(value);
      const c = m ? COMPARE.exec(m[3]!) : null;
      if (!m || !c) return { ok: false, error: 'rate: takes GROUP.NAME>N (e.g. rate:Tcp.RetransSegs>100)' };
      return {
        ok: true,
        rule: { text, kind: 'rate', group: m[1]!, name: m[2]!, op: c[1] as Op, value: Number(c[2]) },
      };
    }
    case 'state': {
      const m = /^([A-Za-z_0-9-]+)(.*)$/.exec(value);
      const c = m ? COMPARE.exec(m[2]!) : null;
      const state = m?.[1]?.toUpperCase().replace(/-/g, '_');
      if (!m || !c || !state) return { ok: false, error: 'state: takes STATE>N (e.g. state:CLOSE_WAIT>500)' };
      if (!TCP_STATES.includes(state)) return { ok: false, error: `unknown TCP state "${m[1]}"` };
      return { ok: true, rule: { text, kind: 'state', state, op: c[1] as Op, value: Number(c[2]) } };
    }
    case 'event': {
      if (!EVENT_KINDS.some((k) => k.startsWith(value)) || value === '')
        return { ok: false, error: `no event kind starts with "${value}" (${EVENT_KINDS.join(', ')})` };
      return { ok: true, rule: { text, kind: 'event', prefix: value } };
    }
    default:
      return { ok: false, error: `unknown rule "${field}:" (listener:, rate:, state:, event:)` };
  }
}

/** A rule that fired: the rule, and the event it fired on (made by the engine for rate and state rules). */
export interface AlertFiring {
  readonly rule: AlertRule;
  readonly event: NetEvent;
}

function holds(op: Op, v: number, limit: number): boolean {
  switch (op) {
    case '>':
      return v > limit;
    case '>=':
      return v >= limit;
    case '<':
      return v < limit;
    case '<=':
      return v <= limit;
  }
}

function listenerPort(e: NetEvent): number | undefined {
  const m = /:(\d+)$/.exec(e.object);
  return m ? Number(m[1]) : undefined;
}

const LISTENER_TROUBLE: ReadonlySet<EventKind> = new Set(['listener-gone', 'listener-restarted']);

/**
 * The rules' state between samples (which conditions hold), and their evaluation. `nextId` numbers the
 * alert events it makes, shared with the store's own events.
 */
export class AlertEngine {
  private readonly active = new Set<AlertRule>();

  constructor(readonly rules: readonly AlertRule[]) {}

  /**
   * The firings of this sample: rules on its events, and rate/state rules that crossed into holding.
   * `rateOf` gives a counter's rate this sample; `stateCount` the sockets in a state.
   */
  evaluate(
    snapshot: Snapshot,
    events: readonly NetEvent[],
    rateOf: (group: string, name: string) => number | undefined,
    stateCount: (state: string) => number,
    nextId: () => number,
  ): AlertFiring[] {
    const out: AlertFiring[] = [];
    for (const rule of this.rules) {
      switch (rule.kind) {
        case 'listener':
          for (const e of events)
            if (LISTENER_TROUBLE.has(e.kind) && (rule.port === 'any' || listenerPort(e) === rule.port))
              out.push({ rule, event: e });
          break;
        case 'event':
          for (const e of events)
            if (e.kind.startsWith(rule.prefix) && e.kind !== 'alert') out.push({ rule, event: e });
          break;
        case 'rate':
        case 'state': {
          const v = rule.kind === 'rate' ? rateOf(rule.group, rule.name) : stateCount(rule.state);
          const now = v !== undefined && holds(rule.op, v, rule.value);
          if (now && !this.active.has(rule)) {
            this.active.add(rule);
            out.push({
              rule,
              event: {
                id: nextId(),
                time: snapshot.wallMs,
                kind: 'alert',
                object: rule.kind === 'rate' ? `${rule.group}.${rule.name}` : rule.state,
                detail: `${rule.text}: ${rule.kind === 'rate' ? `${round(v!)}/s` : `${v} sockets`}`,
                target:
                  rule.kind === 'rate' ? { table: 'counters', key: `${rule.group}.${rule.name}` } : undefined,
              },
            });
          } else if (!now && v !== undefined) this.active.delete(rule);
          break;
        }
      }
    }
    return out;
  }
}

function round(v: number): string {
  return v >= 100 || Number.isInteger(v) ? String(Math.round(v)) : v.toFixed(1);
}
