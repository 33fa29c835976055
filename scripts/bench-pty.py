#!/usr/bin/env python3
"""Process and terminal driver for scripts/bench.mjs (stdlib only).

  bench-pty.py wall --runs 7 --spec '{"ss": ["ss", "-tanp"], ...}'
      Spawns each command --runs times, round-robin after one discarded warm-up each, stdout and stderr to
      /dev/null. Per run: wall time (perf_counter around posix_spawn..wait4) and the child's own rusage
      (user, sys, maxrss), which spawnSync in Node cannot give.

  bench-pty.py first-frame --runs 5 [--cols 200 --rows 50] -- CMD...
      Starts CMD in a fresh pty each run: time from spawn to the first output holding the tab bar
      ("Overview"), and to the first frame with figures (the Overview's "Sockets  ESTAB 123" above zero, or a
      table's "123/456  ? help"), then `q`.

  bench-pty.py live [--cpu-window 30 --settle 3 --filter port:123 --soak 0 --rss-every 5] -- CMD...
      One session: waits for a populated frame, measures CPU (utime+stime from /proc/PID/stat) over the window
      and RSS on the pane netwatch opens on (the Overview), then goes to Connections (`2`, the heaviest pane)
      and measures key-to-frame latency for each key of `/FILTER<Enter><Esc>`, then an optional RSS soak.

Prints one JSON object on stdout; progress goes to stderr.
"""

import argparse
import ctypes
import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time

CLK_TCK = os.sysconf('SC_CLK_TCK')
ANSI = re.compile(rb'\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]|\x1b[()][0-9A-B]')
ROWS_LINE = re.compile(rb'(\d+)/(\d+)  \? help')
OVERVIEW_LINE = re.compile(rb'Sockets\s+ESTAB (\d+)')
TAB_BAR = b'Overview'


def die_with_parent():
    """PR_SET_PDEATHSIG: if whoever started us is killed outright, we (and what we run) get SIGTERM."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    if os.getppid() == 1:  # the parent is already gone
        os._exit(1)


def log(msg):
    print(f'bench-pty: {msg}', file=sys.stderr, flush=True)


def now():
    return time.perf_counter()


# ---------------------------------------------------------------------------------------------- wall


def run_once(argv):
    devnull = os.open(os.devnull, os.O_RDWR)
    try:
        actions = [
            (os.POSIX_SPAWN_DUP2, devnull, 0),
            (os.POSIX_SPAWN_DUP2, devnull, 1),
            (os.POSIX_SPAWN_DUP2, devnull, 2),
        ]
        t0 = now()
        pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=actions)
        _, status, ru = os.wait4(pid, 0)
        t1 = now()
    finally:
        os.close(devnull)
    return {
        'wallMs': (t1 - t0) * 1000,
        'userMs': ru.ru_utime * 1000,
        'sysMs': ru.ru_stime * 1000,
        'cpuMs': (ru.ru_utime + ru.ru_stime) * 1000,
        'maxRssKiB': ru.ru_maxrss,
        'exit': os.waitstatus_to_exitcode(status),
    }


def cmd_wall(a):
    spec = json.loads(a.spec)
    out = {name: [] for name in spec}
    for argv in spec.values():
        run_once(argv)  # warm-up: page cache, dentries, lazy kernel state
    for _ in range(a.runs):
        for name, argv in spec.items():
            out[name].append(run_once(argv))
    json.dump(out, sys.stdout)
    print()


# ---------------------------------------------------------------------------------------------- pty


class Session:
    """One program in a pty: reads everything it writes (so it never blocks on a full pty) with timestamps."""

    def __init__(self, argv, cols, rows):
        env = dict(os.environ, TERM=os.environ.get('BENCH_TERM', 'xterm-256color'))
        env.pop('COLUMNS', None)
        env.pop('LINES', None)
        self.t0 = now()
        pid, fd = pty.fork()
        if pid == 0:  # child: size the terminal before exec, so the first frame already has it
            try:
                die_with_parent()
                fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
                os.execvpe(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid = pid
        self.fd = fd
        self.tail = b''  # last bytes written, for pattern checks across read boundaries
        self.capture = None  # bytearray collecting everything while set
        self.bytes = 0
        self.eof = False
        self.last_out = None
        self.status = None

    def read(self, timeout):
        """One read within `timeout` seconds: (time, bytes), or None on timeout / EOF."""
        if self.eof:
            time.sleep(max(0.0, timeout))
            return None
        r, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        if not r:
            return None
        try:
            data = os.read(self.fd, 1 << 16)
        except OSError:  # EIO: the child closed its side (exited)
            data = b''
        t = now()
        if not data:
            self.eof = True
            return None
        self.bytes += len(data)
        self.tail = (self.tail + data)[-(1 << 16) :]
        if self.capture is not None:
            self.capture += data
        self.last_out = t
        return t, data

    def drain(self, seconds):
        """Keep reading for `seconds`; returns the number of separate writes seen (roughly frames)."""
        end = now() + seconds
        chunks = 0
        while True:
            left = end - now()
            if left <= 0:
                return chunks
            if self.read(left):
                chunks += 1

    def wait_for(self, predicate, timeout):
        """Read until predicate(stripped tail) holds; returns the time of the read that satisfied it."""
        end = now() + timeout
        while now() < end:
            got = self.read(end - now())
            if got and predicate(strip(self.tail)):
                return got[0]
            if self.eof:
                return None
        return None

    def quiet(self, gap, timeout):
        """Read until nothing arrives for `gap` seconds; False when output never paused within `timeout`."""
        end = now() + timeout
        while now() < end:
            if self.read(min(gap, max(0.0, end - now()))) is None:
                return True
        return False

    def send(self, data):
        os.write(self.fd, data)

    def stopped(self):
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid == 0:
                return False
            self.status = os.waitstatus_to_exitcode(status)
        return True

    def close(self, key=b'q', timeout=5.0):
        """Quit with `key`; escalate to SIGTERM and SIGKILL. Returns ms from key to exit (None if killed)."""
        t = now()
        try:
            if key:
                self.send(key)
        except OSError:
            pass
        end = t + timeout
        while now() < end:
            self.read(0.02)
            if self.stopped():
                return (now() - t) * 1000
        for sig, wait in ((signal.SIGTERM, 2.0), (signal.SIGKILL, 2.0)):
            try:
                os.kill(self.pid, sig)
            except ProcessLookupError:
                break
            end = now() + wait
            while now() < end:
                self.read(0.02)
                if self.stopped():
                    break
            if self.stopped():
                break
        return None

    def finish(self):
        if not self.stopped():
            self.close(None, 0)
        try:
            os.close(self.fd)
        except OSError:
            pass


def strip(raw):
    return ANSI.sub(b'', raw)


def rows_of(text):
    """(shown, total) from the last filter-line count in the text, or None."""
    last = None
    for m in ROWS_LINE.finditer(text):
        last = m
    return (int(last.group(1)), int(last.group(2))) if last else None


def overview_of(text):
    """Established TCP sockets the Overview counts, from its last Sockets line, or None."""
    last = None
    for m in OVERVIEW_LINE.finditer(text):
        last = m
    return int(last.group(1)) if last else None


def populated(text):
    r = rows_of(text)
    if r is not None and r[1] > 0:
        return True
    n = overview_of(text)
    return n is not None and n > 0


def table_populated(text):
    r = rows_of(text)
    return r is not None and r[1] > 0


def cpu_ticks(pid):
    with open(f'/proc/{pid}/stat', 'rb') as f:
        fields = f.read().rsplit(b')', 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15, counted after the comm)


def status_kib(pid):
    out = {}
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            key, _, value = line.partition(':')
            if key in ('VmRSS', 'VmHWM', 'Threads'):
                out[key] = int(value.split()[0])
    return out


def median(xs):
    s = sorted(xs)
    n = len(s)
    if n == 0:
        return None
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


# ---------------------------------------------------------------------------------------------- first frame


def cmd_first_frame(a):
    runs = []
    for i in range(a.runs):
        s = Session(a.cmd, a.cols, a.rows)
        try:
            t_tab = s.wait_for(lambda t: TAB_BAR in t, a.timeout)
            t_rows = s.wait_for(populated, a.timeout) if t_tab else None
            rows = rows_of(strip(s.tail))
            if rows is None:
                n = overview_of(strip(s.tail))
                rows = (n, n) if n is not None else None
            s.quiet(0.05, 1.0)
            quit_ms = s.close(b'q')
            runs.append(
                {
                    'firstFrameMs': (t_tab - s.t0) * 1000 if t_tab else None,
                    'firstRowsMs': (t_rows - s.t0) * 1000 if t_rows else None,
                    'rows': rows[1] if rows else None,
                    'quitMs': quit_ms,
                    'exit': s.status,
                }
            )
            log(f'first frame run {i + 1}: {runs[-1]}')
        finally:
            s.finish()
    json.dump({'runs': runs}, sys.stdout)
    print()


# ---------------------------------------------------------------------------------------------- live


def key_latency(s, key, expect, offset):
    """
    Sync to a frame the program drew on its own (a sample tick), wait `offset` s of silence so the key lands
    between ticks, send the key and time the first output byte after it and the end of that write burst.
    """
    for _ in range(5):
        if s.wait_for(lambda _t: True, 3.0) is None:  # any output: the next tick frame
            return None
        s.quiet(0.03, 2.0)
        if s.read(offset) is None:  # no frame arrived while we waited: the program is idle
            break
    else:
        return None
    s.capture = bytearray()
    t0 = now()
    s.send(key)
    got = s.read(2.0)
    if got is None:
        s.capture = None
        return {'key': key.decode('latin-1'), 'firstByteMs': None}
    first = got[0]
    s.quiet(0.01, 1.0)
    end = s.last_out
    burst = strip(bytes(s.capture))
    s.capture = None
    return {
        'key': key.decode('latin-1'),
        'firstByteMs': (first - t0) * 1000,
        'burstEndMs': (end - t0) * 1000,
        'echoed': expect is None or expect in burst,
    }


def cmd_live(a):
    s = Session(a.cmd, a.cols, a.rows)
    out = {'pid': s.pid}
    try:
        t_tab = s.wait_for(lambda t: TAB_BAR in t, a.timeout)
        t_rows = s.wait_for(populated, a.timeout) if t_tab else None
        if not t_rows:
            out['error'] = 'no populated frame within timeout'
            log(out['error'] + f'; last output: {strip(s.tail)[-400:]!r}')
            return
        out['firstFrameMs'] = (t_tab - s.t0) * 1000
        out['firstRowsMs'] = (t_rows - s.t0) * 1000
        s.drain(a.settle)
        n = overview_of(strip(s.tail))
        out['overviewEstablished'] = n
        if a.cpu_window > 0:
            # RSS saws up and down with V8's collections: sample it each second and keep the median and peak.
            c0, t0, b0 = cpu_ticks(s.pid), now(), s.bytes
            writes = 0
            rss = []
            while now() - t0 < a.cpu_window:
                writes += s.drain(min(1.0, a.cpu_window - (now() - t0)))
                rss.append(status_kib(s.pid)['VmRSS'])
            c1, t1 = cpu_ticks(s.pid), now()
            out['cpu'] = {
                'seconds': t1 - t0,
                'cpuSecPerSec': (c1 - c0) / CLK_TCK / (t1 - t0),
                'ticks': c1 - c0,
                'ptyReads': writes,
                'bytesPerSec': (s.bytes - b0) / (t1 - t0),
            }
            out['memory'] = {**status_kib(s.pid), 'rssMedian': median(rss), 'rssMax': max(rss), 'rssMin': min(rss)}
            log(f'cpu window: {out["cpu"]}, memory {out["memory"]}')
        # Connections: the pane with a row per socket, where keys cost the most.
        s.send(b'2')
        t_conn = s.wait_for(table_populated, a.timeout)
        s.drain(a.settle)
        out['rows'] = rows_of(strip(s.tail)) if t_conn else None
        if a.filter:
            cursor = '\u2588'  # the filter line's block cursor, drawn only while typing
            keys = [(b'/', f'/{cursor}'.encode())]
            keys += [(ch.encode(), f'/{a.filter[: i + 1]}{cursor}'.encode()) for i, ch in enumerate(a.filter)]
            keys += [(b'\r', b'filter: ' + a.filter.encode()), (b'\x1b', b'? help')]
            offsets = [0.15, 0.25, 0.35, 0.2, 0.3, 0.4]
            lat = []
            for i, (key, expect) in enumerate(keys):
                r = key_latency(s, key, expect, offsets[i % len(offsets)])
                if r:
                    lat.append(r)
                    log(f'key {r}')
            out['keys'] = lat
            s.drain(0.5)
            out['rowsAfterKeys'] = rows_of(strip(s.tail))
        if a.soak > 0:
            samples = []
            c0, t0 = cpu_ticks(s.pid), now()
            while True:
                t = now() - t0
                samples.append({'t': t, **status_kib(s.pid)})
                if t >= a.soak:
                    break
                s.drain(min(a.rss_every, a.soak - t))
            c1, t1 = cpu_ticks(s.pid), now()
            out['soak'] = {'samples': samples, 'cpuSecPerSec': (c1 - c0) / CLK_TCK / (t1 - t0)}
            out['rowsAfterSoak'] = rows_of(strip(s.tail))
        out['quitMs'] = s.close(b'q')
        out['exit'] = s.status
    finally:
        s.finish()
        json.dump(out, sys.stdout)
        print()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest='mode', required=True)
    w = sub.add_parser('wall')
    w.add_argument('--runs', type=int, default=7)
    w.add_argument('--spec', required=True)
    for name in ('first-frame', 'live'):
        q = sub.add_parser(name)
        q.add_argument('--cols', type=int, default=200)
        q.add_argument('--rows', type=int, default=50)
        q.add_argument('--timeout', type=float, default=30.0)
        if name == 'first-frame':
            q.add_argument('--runs', type=int, default=5)
        else:
            q.add_argument('--settle', type=float, default=3.0)
            q.add_argument('--cpu-window', type=float, default=30.0)
            q.add_argument('--filter', default='')
            q.add_argument('--soak', type=float, default=0.0)
            q.add_argument('--rss-every', type=float, default=5.0)
        q.add_argument('cmd', nargs='+')
    a = p.parse_args()
    die_with_parent()
    # SIGTERM from bench.mjs must still run the finally blocks that stop the program under test.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    {'wall': cmd_wall, 'first-frame': cmd_first_frame, 'live': cmd_live}[a.mode](a)


if __name__ == '__main__':
    main()
