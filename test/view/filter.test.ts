import { describe, expect, it } from 'vitest';
import { type FilterSubject, parseFilter } from '../../src/view/filter.js';

// One row of each kind the TUI shows; every filter below is checked against all of them, so each case
// also says which rows it must NOT match.
const ROWS = {
  curl: {
    proto: 'tcp',
    localAddress: '10.1.2.3',
    localPort: 43210,
    remoteAddress: '93.184.216.34',
    remotePort: 443,
    state: 'ESTABLISHED',
    pids: [3937],
    commands: ['curl'],
    users: ['alice'],
    text: ['tcp', '10.1.2.3:43210', '93.184.216.34:443', 'ESTABLISHED', '3937/curl'],
  },
  nginx: {
    proto: 'tcp6',
    localAddress: '::',
    localPort: 8080,
    remoteAddress: '::',
    remotePort: 0,
    state: 'LISTEN',
    pids: [100, 101],
    commands: ['nginx', 'Nginx-Worker'],
    users: ['www-data'],
    text: ['tcp6', '[::]:8080', '[::]:*', 'LISTEN', '100/nginx'],
  },
  pg: {
    proto: 'tcp6',
    localAddress: '::ffff:127.0.0.1',
    localPort: 5432,
    remoteAddress: '::ffff:127.0.0.1',
    remotePort: 50000,
    state: 'ESTABLISHED',
    pids: [2000],
    commands: ['postgres'],
    users: ['postgres'],
    text: ['tcp6', '[::ffff:127.0.0.1]:5432', '[::ffff:127.0.0.1]:50000', 'ESTABLISHED', 'postgres'],
  },
  tw: {
    proto: 'tcp',
    localAddress: '127.0.0.1',
    localPort: 80,
    remoteAddress: '127.0.0.1',
    remotePort: 51000,
    state: 'TIME_WAIT',
    text: ['tcp', '127.0.0.1:80', '127.0.0.1:51000', 'TIME_WAIT'],
  },
  synrecv: {
    proto: 'tcp',
    localAddress: '192.168.1.5',
    localPort: 22,
    remoteAddress: '10.200.0.9',
    remotePort: 60000,
    state: 'NEW_SYN_RECV',
    text: ['tcp', '192.168.1.5:22', '10.200.0.9:60000', 'NEW_SYN_RECV'],
  },
  dhcp: {
    proto: 'udp6',
    localAddress: 'fe80::1c2d:3eff:fe4f:5a6b',
    localPort: 546,
    remoteAddress: '::',
    remotePort: 0,
    state: 'UNCONN',
    pids: [700],
    commands: ['dhclient'],
    users: ['root'],
    text: ['udp6', '[fe80::1c2d:3eff:fe4f:5a6b]:546', '[::]:*', 'UNCONN'],
  },
  lite: {
    proto: 'udplite',
    localAddress: '0.0.0.0',
    localPort: 5000,
    remoteAddress: '0.0.0.0',
    remotePort: 0,
    state: 'UNCONN',
    text: ['udplite', '0.0.0.0:5000', 'UNCONN'],
  },
  raw: {
    proto: 'RAW',
    localAddress: '0.0.0.0',
    localPort: 1,
    remoteAddress: '0.0.0.0',
    remotePort: 0,
    state: 'UNCONN',
    pids: [4242],
    commands: ['python3'],
    cmdlines: ['python3 /opt/tools/bulk.py -r 4M'],
    users: ['root'],
    text: ['raw', '0.0.0.0:1', 'UNCONN'],
  },
  dbus: {
    proto: 'unix',
    state: 'LISTENING',
    pids: [1],
    commands: ['systemd'],
    users: ['Root'],
    text: ['unix', 'STREAM', 'LISTENING', '/run/dbus/system_bus_socket'],
  },
  counter: { text: ['TcpExt', 'ListenDrops', '12'] },
  iface: { text: ['eth0', 'up', '1500'] },
} satisfies Record<string, FilterSubject>;

type RowName = keyof typeof ROWS;
const NAMES = Object.keys(ROWS) as RowName[];
const INET: RowName[] = ['curl', 'nginx', 'pg', 'tw', 'synrecv', 'dhcp', 'lite', 'raw'];

function except(...names: RowName[]): RowName[] {
  return NAMES.filter((n) => !names.includes(n));
}

function matching(source: string): RowName[] {
  const result = parseFilter(source);
  if (!result.ok) throw new Error(`${source}: ${result.error}`);
  return NAMES.filter((n) => result.filter.matches(ROWS[n]));
}

describe('parseFilter matching', () => {
  it.each<[string, string, RowName[]]>([
    ['empty filter', '', NAMES],
    ['blank filter', '   \t ', NAMES],
    // ports
    ['port either side (local)', 'port:80', ['tw']],
    ['port either side (remote)', 'port:443', ['curl']],
    ['port 0 is the unconnected remote side', 'port:0', ['nginx', 'dhcp', 'lite', 'raw']],
    ['sport local only', 'sport:443', []],
    ['sport matches local', 'sport:43210', ['curl']],
    ['dport remote only', 'dport:80', []],
    ['dport matches remote', 'dport:443', ['curl']],
    ['port range inclusive low', 'port:8080-8090', ['nginx']],
    ['port range inclusive high', 'port:5000-5432', ['pg', 'lite']],
    ['one-port range', 'port:22-22', ['synrecv']],
    ['sport range', 'sport:1-1024', ['tw', 'synrecv', 'dhcp', 'raw']],
    ['dport range', 'dport:50000-60000', ['pg', 'tw', 'synrecv']],
    ['port with no match', 'port:9', []],
    // addresses
    ['v4 CIDR either side', 'addr:10.0.0.0/8', ['curl', 'synrecv']],
    ['v4 CIDR non-octet prefix', 'addr:10.1.2.0/30', ['curl']],
    ['v4 CIDR matches mapped v6', 'addr:127.0.0.0/8', ['pg', 'tw']],
    ['v4 single address matches mapped v6', 'addr:127.0.0.1', ['pg', 'tw']],
    [
      'v4 /0 matches every v4 and mapped row',
      'addr:0.0.0.0/0',
      ['curl', 'pg', 'tw', 'synrecv', 'lite', 'raw'],
    ],
    ['wildcard v4 address', 'addr:0.0.0.0', ['lite', 'raw']],
    ['mapped term selects v4 rows too', 'addr:::ffff:127.0.0.1', ['pg', 'tw']],
    ['mapped CIDR term', 'addr:::ffff:127.0.0.0/104', ['pg', 'tw']],
    ['v6 CIDR', 'addr:fe80::/10', ['dhcp']],
    ['v6 CIDR case-insensitive', 'addr:FE80::/10', ['dhcp']],
    ['v6 single address', 'addr:::', ['nginx', 'dhcp']],
    ['v6 /0 does not match plain v4 rows', 'addr:::/0', ['nginx', 'pg', 'dhcp']],
    ['v6 loopback', 'addr:::1', []],
    ['saddr local only', 'saddr:10.200.0.0/16', []],
    ['saddr matches local', 'saddr:192.168.0.0/16', ['synrecv']],
    ['daddr remote only', 'daddr:192.168.1.5', []],
    ['daddr matches remote', 'daddr:10.200.0.9/32', ['synrecv']],
    ['daddr v6', 'daddr:::', ['nginx', 'dhcp']],
    // pid
    ['pid', 'pid:3937', ['curl']],
    ['pid any of several', 'pid:101', ['nginx']],
    ['pid no match', 'pid:39', []],
    // state
    ['state prefix', 'state:est', ['curl', 'pg']],
    ['state case-insensitive', 'state:ESTAB', ['curl', 'pg']],
    ['state listen matches LISTEN and LISTENING', 'state:listen', ['nginx', 'dbus']],
    ['state listening alias also matches LISTEN', 'state:listening', ['nginx', 'dbus']],
    ['state tw alias', 'state:tw', ['tw']],
    ['state separators ignored', 'state:time-wait', ['tw']],
    ['state syn alias includes NEW_SYN_RECV', 'state:syn', ['synrecv']],
    ['state unconn', 'state:unconn', ['dhcp', 'lite', 'raw']],
    ['state no match', 'state:closing', []],
    // proto
    ['proto tcp is both families', 'proto:tcp', ['curl', 'nginx', 'pg', 'tw', 'synrecv']],
    ['proto tcp4 is v4 only', 'proto:tcp4', ['curl', 'tw', 'synrecv']],
    ['proto tcp6 is v6 only', 'proto:tcp6', ['nginx', 'pg']],
    ['proto udp excludes udplite', 'proto:udp', ['dhcp']],
    ['proto udp4 has none here', 'proto:udp4', []],
    ['proto udplite', 'proto:udplite', ['lite']],
    ['proto case-insensitive both ways', 'proto:Raw', ['raw']],
    ['proto unix exact', 'proto:unix', ['dbus']],
    ['a comma is "or": port', 'port:443,5432', ['curl', 'pg']],
    ['a comma is "or": state', 'state:est,tw', ['curl', 'pg', 'tw']],
    ['a comma is "or": proto', 'proto:udp,unix', ['dhcp', 'dbus']],
    ['a negated list is "none of"', 'proto:tcp !state:est,tw', ['nginx', 'synrecv']],
    ['cmd: matches the full command line', 'cmd:bulk.py', ['raw']],
    ['cmd: matches the short name too', 'cmd:python', ['raw']],
    // cmd / user
    ['cmd substring', 'cmd:gin', ['nginx']],
    ['cmd case-insensitive', 'cmd:WORKER', ['nginx']],
    ['cmd with digits only', 'cmd:3', ['raw']],
    ['cmd no match', 'cmd:apache', []],
    ['user exact', 'user:www-data', ['nginx']],
    ['user case-insensitive', 'user:root', ['dhcp', 'raw', 'dbus']],
    ['user is not a substring', 'user:www', []],
    // bare words
    ['bare word upper-case text', 'listen', ['nginx', 'dbus', 'counter']],
    ['bare number', '8080', ['nginx']],
    ['bare address', '127.0.0.1', ['pg', 'tw']],
    ['bare word in unix path', 'dbus', ['dbus']],
    ['bare word in counter name', 'tcpext', ['counter']],
    ['bare word interface name', 'ETH0', ['iface']],
    ['bare v6 address with letters before a colon', 'fe80::1c2d:3eff:fe4f:5a6b', ['dhcp']],
    ['bare v6 address whose first group is letters', 'dead:beef::1', []],
    ['bare word with a leading colon', ':8080', ['nginx']],
    ['bare word with non-ASCII needle', 'é', []],
    // negation
    ['negated field', '!state:listen', except('nginx', 'dbus')],
    ['negated bare word', '!127.0.0.1', except('pg', 'tw')],
    ['negated port matches rows without ports', '!port:80', except('tw')],
    ['negated pid matches rows without pids', '!pid:3937', except('curl')],
    ['negated addr', '!addr:10.0.0.0/8', except('curl', 'synrecv')],
    // missing-field rule
    ['port needs a port', 'port:0-65535', INET],
    ['addr needs an address', '!addr:0.0.0.0/0', ['nginx', 'dhcp', 'dbus', 'counter', 'iface']],
    ['state needs a state', '!state:e', except('curl', 'pg')],
    ['proto needs a proto', '!proto:tcp', ['dhcp', 'lite', 'raw', 'dbus', 'counter', 'iface']],
    ['cmd needs commands', '!cmd:e', except('nginx', 'pg', 'dhcp', 'dbus')],
    ['user needs users', '!user:root', except('dhcp', 'raw', 'dbus')],
    // AND
    ['two terms', 'proto:tcp state:est', ['curl', 'pg']],
    ['three terms', 'proto:tcp state:est !addr:127.0.0.0/8', ['curl']],
    ['four terms with a bare word', 'proto:tcp6 port:1-10000 !state:listen postgres', ['pg']],
    ['contradiction', 'state:listen state:est', []],
    ['field names are case-insensitive', 'PORT:80 Proto:TCP', ['tw']],
    ['extra whitespace between terms', '  proto:udp6   port:546 ', ['dhcp']],
  ])('%s: %s', (_name, source, expected) => {
    expect(matching(source)).toEqual(NAMES.filter((n) => expected.includes(n)));
  });
});

describe('parseFilter compiled terms', () => {
  it('keeps the source and parses each term once', () => {
    const result = parseFilter('!sport:8000-8100 addr:10.0.0.0/8 State:TIME-WAIT cmd:NGINX');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.filter.source).toBe('!sport:8000-8100 addr:10.0.0.0/8 State:TIME-WAIT cmd:NGINX');
    const [port, addr, state, cmd] = result.filter.terms;
    expect(port).toEqual({
      source: '!sport:8000-8100',
      position: 0,
      negated: true,
      kind: 'port',
      side: 'local',
      min: 8000,
      max: 8100,
    });
    expect(addr).toMatchObject({ position: 17, kind: 'addr', side: 'either', family: 4, prefix: 8 });
    expect(addr?.kind === 'addr' && Array.from(addr.bytes)).toEqual([10, 0, 0, 0]);
    expect(state).toEqual({
      source: 'State:TIME-WAIT',
      position: 33,
      negated: false,
      kind: 'state',
      needle: 'timewait',
      aliases: [],
    });
    expect(cmd).toMatchObject({ kind: 'cmd', needle: 'nginx' });
  });

  it('turns a mapped v6 term into its v4 equivalent', () => {
    const result = parseFilter('daddr:::ffff:10.0.0.0/104');
    expect(result.ok && result.filter.terms[0]).toMatchObject({
      kind: 'addr',
      side: 'remote',
      family: 4,
      prefix: 8,
    });
  });

  it('gives an empty term list for an empty filter', () => {
    const result = parseFilter('');
    expect(result.ok && result.filter.terms).toEqual([]);
  });
});

describe('parseFilter errors', () => {
  it.each<[string, string, string, number]>([
    ['unknown field with a typo', 'prot:tcp', 'unknown field "prot" (try proto:)', 0],
    ['unknown field transposed', 'state:est prto:tcp', 'unknown field "prto" (try proto:)', 10],
    ['unknown field synonym', 'src:10.0.0.1', 'unknown field "src" (try saddr:)', 0],
    ['unknown field with no hint', 'x port:1 zzzzzz:1', 'unknown field "zzzzzz"', 9],
    ['unknown field keeps its case', 'Prot:tcp', 'unknown field "Prot" (try proto:)', 0],
    ['non-numeric port', 'port:8o', 'bad port "8o"', 0],
    ['service name is not a port', 'dport:http', 'bad port "http"', 0],
    ['port too large', 'sport:65536', 'bad port "65536"', 0],
    ['negative port', 'port:-1', 'bad range "-1"', 0],
    ['reversed range', 'tcp port:9000-80', 'bad range "9000-80"', 4],
    ['range with a bad end', 'port:80-9o', 'bad range "80-9o"', 0],
    ['range with an open end', 'port:80-', 'bad range "80-"', 0],
    ['bad v4 octet in CIDR', 'addr:10.0.0.300/8', 'bad address "10.0.0.300/8"', 0],
    ['v4 prefix too long', 'addr:10.0.0.0/33', 'bad address "10.0.0.0/33"', 0],
    ['v6 prefix too long', 'saddr:fe80::/129', 'bad address "fe80::/129"', 0],
    ['empty prefix', 'addr:10.0.0.0/', 'bad address "10.0.0.0/"', 0],
    ['host name', 'daddr:localhost', 'bad address "localhost"', 0],
    ['address with port', 'addr:1.2.3.4:80', 'bad address "1.2.3.4:80"', 0],
    ['bad v6', 'addr:fe80:::1', 'bad address "fe80:::1"', 0],
    ['bad pid', 'pid:12a', 'bad pid "12a"', 0],
    ['state of separators only', 'state:--', 'bad state "--"', 0],
    ['empty port', 'port:', 'empty value after "port:"', 0],
    ['empty value keeps typed case', 'x !USER:', 'empty value after "USER:"', 2],
    ['lone bang', 'state:est !', '"!" needs a term', 10],
    ['double bang', '!!listen', 'one "!" per term', 0],
    ['negated bad term reports the bang position', 'a !port:x', 'bad port "x"', 2],
    ['first error wins', 'port:x pid:y', 'bad port "x"', 0],
    ['proto is not a prefix', 'proto:un', 'unknown protocol "un" (tcp, udp, udplite, raw, unix, …)', 0],
    [
      'unknown protocol',
      'port:80 proto:sctp',
      'unknown protocol "sctp" (tcp, udp, udplite, raw, unix, …)',
      8,
    ],
    [
      'unknown state',
      'state:bogus',
      'unknown state "bogus" (est, listen, tw, syn, close-wait, unconn, …)',
      0,
    ],
    ['a bad alternative', 'port:80,8o', 'bad port "8o"', 0],
    ['an empty alternative', 'state:est,', 'empty alternative in "est,"', 0],
  ])('%s: %s', (_name, source, error, position) => {
    expect(parseFilter(source)).toEqual({ ok: false, error, position });
  });
});

describe('parseFilter on many rows', () => {
  it('counts 20,000 subjects against a 4-term filter', () => {
    const subjects: FilterSubject[] = [];
    let expected = 0;
    for (let i = 0; i < 20_000; i++) {
      const v6 = i % 2 === 1;
      const port = 8000 + (i % 200);
      const inTen = i % 5 === 0;
      const host = inTen ? `10.0.${(i >> 8) & 255}.${i & 255}` : `192.168.${(i >> 8) & 255}.${i & 255}`;
      const state = i % 3 === 0 ? 'LISTEN' : 'ESTABLISHED';
      const command = i % 7 === 0 ? 'nginx' : 'node';
      subjects.push({
        proto: v6 ? 'tcp6' : 'tcp',
        localAddress: v6 ? `::ffff:${host}` : host,
        localPort: port,
        remoteAddress: '127.0.0.1',
        remotePort: 40000 + (i % 1000),
        state,
        pids: [1000 + (i % 50)],
        commands: [command],
        users: ['app'],
        text: [v6 ? 'tcp6' : 'tcp', `${host}:${port}`, state, command],
      });
      if (port <= 8100 && state === 'ESTABLISHED' && inTen && command !== 'nginx') expected++;
    }
    const result = parseFilter('port:8000-8100 state:est saddr:10.0.0.0/8 !NGINX');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    let count = 0;
    for (const s of subjects) if (result.filter.matches(s)) count++;
    expect(expected).toBeGreaterThan(1000);
    expect(count).toBe(expected);
  });
});

describe('tcp_info comparisons', () => {
  const m = { rttUs: 62_000, totalRetrans: 3, rxBps: 1_500_000, txBps: 2048 };
  const subject: FilterSubject = { proto: 'tcp', text: ['tcp'] };
  const hit = (source: string, metrics: typeof m | null = m) => {
    const r = parseFilter(source);
    if (!r.ok) throw new Error(r.error);
    return r.filter.matches(subject, metrics ?? undefined);
  };

  it.each([
    ['rtt>50ms', true],
    ['rtt>62ms', false],
    ['rtt>=62ms', true],
    ['rtt<1s', true],
    ['rtt>61999us', true],
    ['rtt>50', true],
    ['retr>0', true],
    ['retr=3', true],
    ['retr<3', false],
    ['rx>1MB/s', true],
    ['rx>1MiB/s', true],
    ['rx>2MB/s', false],
    ['rx>10Mbit/s', true],
    ['tx<2KiB/s', false],
    ['tx<=2KiB/s', true],
    ['tx>1kb', true],
    ['!retr>0', false],
    ['RTT>50ms', true],
  ])('%s → %s', (source, expected) => {
    expect(hit(source)).toBe(expected);
  });

  it('a row without tcp_info does not match a comparison, and its negation does', () => {
    expect(hit('retr>0', null)).toBe(false);
    expect(hit('!retr>0', null)).toBe(true);
  });

  it('says it uses metrics, so the view re-filters every sample', () => {
    const r = parseFilter('port:80 rtt>10ms');
    expect(r.ok && r.filter.usesMetrics).toBe(true);
    const plain = parseFilter('port:80');
    expect(plain.ok && plain.filter.usesMetrics).toBe(false);
  });

  it.each([
    ['rtt>fast', 'bad rtt value "fast"'],
    ['rtt>5min', 'bad unit "min" for rtt (us, ms, s)'],
    ['retr>2x', 'bad unit "x" for retr (a plain count)'],
    ['rx>3furlongs', 'bad unit "furlongs" for rx (B/s, KB/s, MB/s, KiB/s, Mbit/s …)'],
  ])('%s is an error: %s', (source, error) => {
    expect(parseFilter(source)).toEqual({ ok: false, error, position: 0 });
  });
});
