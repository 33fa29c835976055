import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HostReader } from '../../src/sample/reader.js';
import { parsePasswd, UserNames } from '../../src/sample/users.js';

describe('parsePasswd', () => {
  const cases: { name: string; text: string; want: [number, string][] }[] = [
    { name: 'full line', text: 'root:x:0:0:root:/root:/bin/bash\n', want: [[0, 'root']] },
    { name: 'three fields are enough', text: 'svc:x:42\n', want: [[42, 'svc']] },
    { name: 'no trailing newline', text: 'a:x:1:1::/:/bin/sh', want: [[1, 'a']] },
    { name: 'malformed: too few fields', text: 'broken:x\nok:x:2:2::/:\n', want: [[2, 'ok']] },
    { name: 'malformed: non-numeric uid', text: 'bad:x:12a:0::/:\nneg:x:-1:0::/:\n', want: [] },
    { name: 'malformed: empty uid', text: 'bad:x::0::/:\n', want: [] },
    { name: 'malformed: empty name', text: ':x:5:0::/:\n', want: [] },
    { name: 'NIS include line', text: '+::::::\n', want: [] },
    { name: 'comment and blank lines', text: '# users\n\nbin:x:2:2::/:\n', want: [[2, 'bin']] },
    { name: 'first name for a uid wins', text: 'root:x:0:0::/:\ntoor:x:0:0::/:\n', want: [[0, 'root']] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect([...parsePasswd(c.text)]).toEqual(c.want);
    });
  }
});

class CountingReader extends HostReader {
  passwdReads = 0;
  override readText(rel: string): string | undefined {
    if (rel === 'etc/passwd') this.passwdReads++;
    return super.readText(rel);
  }
}

describe('UserNames', () => {
  let root: string;
  let clock: number;
  const now = () => clock;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'netwatch-users-'));
    fs.mkdirSync(path.join(root, 'etc'));
    fs.writeFileSync(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/bash\nbin:x:2:2::/:\n');
    clock = 1_000;
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('resolves uids from etc/passwd under the host root and undefined for unknown ones', () => {
    const users = new UserNames(new HostReader(root), { now });
    expect(users.name(0)).toBe('root');
    expect(users.name(2)).toBe('bin');
    expect(users.name(4242)).toBeUndefined();
  });

  it('reads the file lazily, once, while only known uids are asked for', () => {
    const reader = new CountingReader(root);
    const users = new UserNames(reader, { now });
    expect(reader.passwdReads).toBe(0);
    users.name(0);
    clock += 3_600_000;
    users.name(2);
    users.name(0);
    expect(reader.passwdReads).toBe(1);
  });

  it('re-reads for an unknown uid at most once per 60 s of the injected clock', () => {
    const reader = new CountingReader(root);
    const users = new UserNames(reader, { now });
    expect(users.name(1000)).toBeUndefined();
    fs.appendFileSync(path.join(root, 'etc/passwd'), 'alice:x:1000:1000::/home/alice:/bin/sh\n');

    clock += 59_999;
    expect(users.name(1000)).toBeUndefined();
    expect(reader.passwdReads).toBe(1);

    clock += 1;
    expect(users.name(1000)).toBe('alice');
    expect(reader.passwdReads).toBe(2);

    expect(users.name(7)).toBeUndefined();
    expect(reader.passwdReads).toBe(2);
  });

  it('has no names when etc/passwd is missing', () => {
    fs.rmSync(path.join(root, 'etc/passwd'));
    const users = new UserNames(new HostReader(root), { now });
    expect(users.name(0)).toBeUndefined();
  });
});
