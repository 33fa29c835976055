// /proc/net/sctp/eps and /proc/net/sctp/assocs (net/sctp/proc.c), read the way net-tools netstat reads them
// (netstat.c sctp_eps_do_one, sctp_assoc_do_one: whitespace tokens, then the address lists).
//
//   eps:    ENDPT SOCK STY SST HBKT LPORT UID INODE LADDRS...
//   assocs: ASSOC SOCK STY SST ST HBKT ASSOC-ID TX_QUEUE RX_QUEUE UID INODE LPORT RPORT LADDRS... <-> RADDRS...
//           \t HBINT INS OUTS ...
// Addresses are %pI4 (dotted) or %pI6 (eight groups of four hex digits); in assocs a '*' marks the primary.
import type { Parsed } from '../model/types.js';

export interface SctpEndpoint {
  /** sk_state, numbered as TCP's states (1 established, 10 listening, 7 closed). */
  readonly state: number;
  readonly port: number;
  readonly uid: number;
  readonly inode: number;
  /** Numeric addresses: dotted IPv4 or RFC 5952 IPv6. */
  readonly addresses: readonly string[];
}

export interface SctpAssoc {
  readonly state: number;
  readonly txQueue: number;
  readonly rxQueue: number;
  readonly uid: number;
  readonly inode: number;
  readonly localPort: number;
  readonly remotePort: number;
  readonly localAddresses: readonly string[];
  readonly remoteAddresses: readonly string[];
}

const INT = /^-?\d+$/;

function int(token: string | undefined): number | undefined {
  return token !== undefined && INT.test(token) ? Number(token) : undefined;
}

/** %pI6's eight groups → RFC 5952 text; dotted IPv4 as is; undefined for anything else. */
export function sctpAddress(token: string): string | undefined {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(token)) return token;
  const groups = token.split(':');
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  const words = groups.map((g) => Number.parseInt(g, 16));
  if (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) {
    return `::ffff:${words[6]! >> 8}.${words[6]! & 255}.${words[7]! >> 8}.${words[7]! & 255}`;
  }
  // The longest run of two or more zero groups becomes '::' (the first of equal runs).
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

function addresses(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/[ \t\n]+/)) {
    if (!raw) continue;
    const address = sctpAddress(raw.startsWith('*') ? raw.slice(1) : raw);
    if (address !== undefined) out.push(address);
  }
  return out;
}

function dataLines(text: string): string[] {
  // The first line is the header; a line with too few fields is what netstat calls "bogus".
  return text
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '');
}

export function parseSctpEndpoints(text: string): Parsed<SctpEndpoint> {
  const rows: SctpEndpoint[] = [];
  let skipped = 0;
  for (const line of dataLines(text)) {
    const t = line.trim().split(/[ \t]+/);
    const state = int(t[3]);
    const port = int(t[5]);
    const uid = int(t[6]);
    const inode = int(t[7]);
    if (state === undefined || port === undefined || uid === undefined || inode === undefined) {
      skipped++;
      continue;
    }
    rows.push({ state, port, uid, inode, addresses: addresses(t.slice(8).join(' ')) });
  }
  return { rows, skipped };
}

export function parseSctpAssocs(text: string): Parsed<SctpAssoc> {
  const rows: SctpAssoc[] = [];
  let skipped = 0;
  for (const line of dataLines(text)) {
    // The statistics after the remote addresses follow a tab; the two lists are split at "<->".
    const tab = line.indexOf('\t');
    const body = tab < 0 ? line : line.slice(0, tab);
    const arrow = body.indexOf('<->');
    const head = (arrow < 0 ? body : body.slice(0, arrow)).trim().split(/[ \t]+/);
    const state = int(head[3]);
    const txQueue = int(head[7]);
    const rxQueue = int(head[8]);
    const uid = int(head[9]);
    const inode = int(head[10]);
    const localPort = int(head[11]);
    const remotePort = int(head[12]);
    if (
      state === undefined ||
      txQueue === undefined ||
      rxQueue === undefined ||
      uid === undefined ||
      inode === undefined ||
      localPort === undefined ||
      remotePort === undefined
    ) {
      skipped++;
      continue;
    }
    rows.push({
      state,
      txQueue,
      rxQueue,
      uid,
      inode,
      localPort,
      remotePort,
      localAddresses: addresses(head.slice(13).join(' ')),
      remoteAddresses: arrow < 0 ? [] : addresses(body.slice(arrow + 3)),
    });
  }
  return { rows, skipped };
}
