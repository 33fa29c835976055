import { describe, expect, it, vi } from 'vitest';
import { type AlertRule, parseAlertRule } from '../../src/model/alerts.js';
import { makeStore } from '../helpers/app.js';
import { counters, inet, proc, snapshot } from '../helpers/snapshots.js';

function rules(...texts: string[]): AlertRule[] {
  return texts.map((t) => {
    const r = parseAlertRule(t);
    if (!r.ok) throw new Error(r.error);
    return r.rule;
  });
}

describe('parseAlertRule', () => {
  it.each([
    ['listener:8080', { kind: 'listener', port: 8080 }],
    ['listener:any', { kind: 'listener', port: 'any' }],
    [
      'rate:TcpExt.ListenOverflows>0',
      { kind: 'rate', group: 'TcpExt', name: 'ListenOverflows', op: '>', value: 0 },
    ],
    [
      'rate:Tcp.RetransSegs>=100.5',
      { kind: 'rate', group: 'Tcp', name: 'RetransSegs', op: '>=', value: 100.5 },
    ],
    ['state:CLOSE_WAIT>500', { kind: 'state', state: 'CLOSE_WAIT', op: '>', value: 500 }],
    ['state:close-wait>500', { kind: 'state', state: 'CLOSE_WAIT', op: '>', value: 500 }],
    ['event:iface', { kind: 'event', prefix: 'iface' }],
  ])('%s', (text, rule) => {
    expect(parseAlertRule(text)).toEqual({ ok: true, rule: { text, ...rule } });
  });

  it.each([
    ['8080', 'expected listener:PORT, rate:GROUP.NAME>N, state:STATE>N or event:KIND'],
    ['listener:http', 'listener: takes a port (0-65535) or any'],
    ['listener:70000', 'listener: takes a port (0-65535) or any'],
    ['rate:RetransSegs>1', 'rate: takes GROUP.NAME>N (e.g. rate:Tcp.RetransSegs>100)'],
    ['rate:Tcp.RetransSegs', 'rate: takes GROUP.NAME>N (e.g. rate:Tcp.RetransSegs>100)'],
    ['state:BOGUS>1', 'unknown TCP state "BOGUS"'],
    ['cpu:99', 'unknown rule "cpu:" (listener:, rate:, state:, event:)'],
  ])('%s is refused: %s', (text, error) => {
    expect(parseAlertRule(text)).toEqual({ ok: false, error });
  });

  it('event: names the kinds there are', () => {
    const r = parseAlertRule('event:nope');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/^no event kind starts with "nope" \(listener-new, .*alert\)$/);
  });
});

describe('alerts in the store', () => {
  const WEB = inet('tcp', '0.0.0.0:8080', '0.0.0.0:0', 'LISTEN', 100);
  const SSH = inet('tcp', '0.0.0.0:22', '0.0.0.0:0', 'LISTEN', 101);
  const owners = new Map([
    [100, [proc(10, 'web')]],
    [101, [proc(11, 'sshd')]],
  ]);

  it('listener:PORT fires on that listener vanishing or restarting, and marks the event', () => {
    const onAlerts = vi.fn();
    const { store, push } = makeStore([snapshot(0, { sockets: [WEB, SSH], owners })], {
      alerts: rules('listener:8080'),
      onAlerts,
    });
    push(snapshot(1000, { sockets: [WEB], owners }));
    expect(onAlerts).not.toHaveBeenCalled();
    push(snapshot(2000, { sockets: [], owners }));
    expect(onAlerts).toHaveBeenCalledTimes(1);
    const [firing] = onAlerts.mock.calls[0]![0];
    expect(firing.rule.text).toBe('listener:8080');
    expect(firing.event).toMatchObject({ kind: 'listener-gone', object: 'tcp 0.0.0.0:8080' });
    expect(store.getView()!.alerted.has(firing.event.id)).toBe(true);
  });

  it('rate: fires once when the rate crosses above, and again only after it fell back', () => {
    const onAlerts = vi.fn();
    const c = (n: bigint, t: number) => snapshot(t, { counters: counters({ Tcp: { RetransSegs: n } }) });
    const { store, push } = makeStore([c(0n, 0)], { alerts: rules('rate:Tcp.RetransSegs>100'), onAlerts });
    push(c(50n, 1000)); // 50/s
    push(c(250n, 2000)); // 200/s: fires
    push(c(500n, 3000)); // 250/s: still above, no second firing
    push(c(520n, 4000)); // 20/s: below
    push(c(700n, 5000)); // 180/s: fires again
    expect(onAlerts).toHaveBeenCalledTimes(2);
    const alerts = store.getView()!.events.filter((e) => e.kind === 'alert');
    expect(alerts.map((e) => e.detail)).toEqual([
      'rate:Tcp.RetransSegs>100: 200/s',
      'rate:Tcp.RetransSegs>100: 180/s',
    ]);
  });

  it('state: fires when the count of sockets in a state crosses above', () => {
    const onAlerts = vi.fn();
    const cw = (n: number, t: number) =>
      snapshot(t, {
        sockets: Array.from({ length: n }, (_, i) =>
          inet('tcp', `10.0.0.1:${20000 + i}`, '10.0.0.2:80', 'CLOSE_WAIT', 500 + i),
        ),
      });
    makeStore([cw(1, 0), cw(3, 1000), cw(4, 2000)], { alerts: rules('state:CLOSE_WAIT>2'), onAlerts });
    expect(onAlerts).toHaveBeenCalledTimes(1);
    expect(onAlerts.mock.calls[0]![0][0].event).toMatchObject({
      kind: 'alert',
      object: 'CLOSE_WAIT',
      detail: 'state:CLOSE_WAIT>2: 3 sockets',
    });
  });
});
