// uid → user name from etc/passwd under the host root, so a fixture or `--root` tree resolves its own users
// rather than the monitoring machine's. No NSS (LDAP, sssd): we only know what the file says, like `ps` on a
// minimal container does.
import { capName } from '../model/bounds.js';
import { type HostReader, isForbidden } from './reader.js';

/** Minimum time between two reads of etc/passwd, in ms of the injected clock. */
const REREAD_MS = 60_000;

export interface UserNamesOptions {
  /** Monotonic clock in ms; performance.now by default, injected in tests. */
  now?: () => number;
}

/**
 * Parse passwd text (`name:password:uid:...`) into uid → name. Lines with fewer than three fields, an empty
 * name or a non-numeric uid are skipped (comments, NIS `+` entries, truncated lines). The first name for a
 * uid wins, as with getpwuid(3): root is 'root' even when a 'toor' line shares uid 0.
 */
export function parsePasswd(text: string): Map<number, string> {
  const byUid = new Map<number, string>();
  for (const line of text.split('\n')) {
    const fields = line.split(':', 3); // the first three are all we read, however many a line holds
    if (fields.length < 3) continue;
    const name = capName(fields[0]!);
    const uidText = fields[2]!;
    if (name === '' || !isDigits(uidText)) continue;
    const uid = Number(uidText);
    if (!byUid.has(uid)) byUid.set(uid, name);
  }
  return byUid;
}

function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

export class UserNames {
  private readonly reader: HostReader;
  private readonly now: () => number;
  private byUid: Map<number, string> | undefined;
  /** Why the last read of etc/passwd failed ('' when it did not, or when it was only forbidden). */
  failure = '';
  private loadedAt = 0;

  constructor(reader: HostReader, opts: UserNamesOptions = {}) {
    this.reader = reader;
    this.now = opts.now ?? (() => performance.now());
  }

  /** Forget what was read: the next lookup reads etc/passwd again (the live view calls this when it changes). */
  invalidate(): void {
    this.byUid = undefined;
  }

  /** User name of `uid`, or undefined when etc/passwd does not list it. */
  name(uid: number): string | undefined {
    if (this.byUid === undefined) this.load();
    const known = this.byUid!.get(uid);
    if (known !== undefined) return known;
    // A user added after start-up would stay nameless forever; re-reading on every miss would read the
    // file once per unknown process per tick (containers run as uids the host does not list), so misses
    // re-read at most once a minute.
    if (this.now() - this.loadedAt < REREAD_MS) return undefined;
    this.load();
    return this.byUid!.get(uid);
  }

  private load(): void {
    this.loadedAt = this.now();
    this.failure = '';
    let text: string | undefined;
    try {
      text = this.reader.readText('etc/passwd');
    } catch (err) {
      // An unreadable passwd only costs us names; uids are still shown. Refused (a FIFO, a directory, a
      // symlink loop or out of a --root tree) or forbidden, it is one warning, never a crash.
      if (!isForbidden(err)) this.failure = `cannot read /etc/passwd: ${(err as Error).message}`;
    }
    this.byUid = text === undefined ? new Map() : parsePasswd(text);
  }
}
