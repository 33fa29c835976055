#!/usr/bin/env python3
"""A small, varied socket load for comparing `netwatch --once` with net-tools netstat.

Loopback only (127.0.0.1, ::1 and ::ffff:127.0.0.1), never traffic to any other address.

    python3 scripts/netstat-load.py

Starts one process per role below, each holding its sockets, and prints one JSON line
{"ready": true, "pids": {...}, "ports": {...}, "dir": "..."} on stdout once all of them are up.
Ends (with its children) when stdin closes, on SIGTERM or SIGINT, and after 10 minutes at most.

What it holds, and why (each is a case where netstat's output has a rule of its own):
  main      TCP v4 and v6 listeners with established pairs; a tcp6 listener on ::ffff:127.0.0.1 with an
            IPv4 client (v4-mapped peers in tcp6 rows); a TIME_WAIT; UDP v4/v6 bound and one connected; UDP-Lite
            v4/v6; raw ICMP v4/v6 (as root); unix stream listener, its accepted pair, a datagram socket,
            an abstract name, an unbound socketpair and a path with a space. argv[0] is an absolute
            path, so netstat shows its base name.
  nginx     argv[0] "nginx: master process /usr/sbin/nginx" (no slash first: shown whole, cut to 19).
  sshd      rewrites its own argv area in place, as setproctitle does: "sshd: root@pts/0" + NUL padding.
  prctl     renames itself with prctl(PR_SET_NAME): comm changes, netstat still shows argv[0].
  nobody    runs as uid 65534 (as root only) and opens its sockets after setuid: -e shows the user.
  long      argv[0] /opt/x/a-program-name-longer-than-netstat-shows.
"""
import ctypes
import json
import os
import select
import signal
import socket
import sys
import tempfile
import time

IPPROTO_UDPLITE = 136
PR_SET_NAME = 15
ROLES = {
    'main': '/usr/local/sbin/netwatch-loadd',
    'nginx': 'nginx: master process /usr/sbin/nginx',
    'sshd': 'python3',
    'prctl': 'python3',
    'nobody': '/usr/bin/netwatch-nobody',
    'long': '/opt/x/a-program-name-longer-than-netstat-shows',
}
LIFETIME = 600


def listen(family, host, backlog=16):
    s = socket.socket(family, socket.SOCK_STREAM)
    if family == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0 if host.startswith('::ffff:') else 1)
    s.bind((host, 0))
    s.listen(backlog)
    return s


def pair(server, family, host):
    c = socket.socket(family, socket.SOCK_STREAM)
    c.connect((host, server.getsockname()[1]))
    a, _ = server.accept()
    return c, a


def udp(family, host, proto=0):
    s = socket.socket(family, socket.SOCK_DGRAM, proto)
    s.bind((host, 0))
    return s


def rewrite_argv(title):
    """Overwrite this process's argv area in place (what setproctitle does), through /proc/self/mem."""
    with open('/proc/self/stat', 'rb') as f:
        fields = f.read().rsplit(b')', 1)[1].split()
    # Fields 48 and 49 of stat (arg_start, arg_end), counted from 1; the split above starts at field 3.
    start, end = int(fields[47 - 2]), int(fields[48 - 2])
    data = title.encode()[: end - start - 1]
    with open('/proc/self/mem', 'r+b', buffering=0) as mem:
        mem.seek(start)
        mem.write(data + b'\0' * (end - start - len(data)))


def role_main(held, ports, workdir):
    t4 = listen(socket.AF_INET, '127.0.0.1')
    t6 = listen(socket.AF_INET6, '::1')
    tm = listen(socket.AF_INET6, '::ffff:127.0.0.1')
    held += [t4, t6, tm, *pair(t4, socket.AF_INET, '127.0.0.1'), *pair(t6, socket.AF_INET6, '::1')]
    held += list(pair(tm, socket.AF_INET, '127.0.0.1'))
    ports.update(tcp4=t4.getsockname()[1], tcp6=t6.getsockname()[1], mapped=tm.getsockname()[1])
    # The side that closes first enters TIME_WAIT (60 s): long enough for a comparison run.
    c, a = pair(t4, socket.AF_INET, '127.0.0.1')
    c.close()
    a.recv(1)
    a.close()
    u4 = udp(socket.AF_INET, '127.0.0.1')
    u6 = udp(socket.AF_INET6, '::1')
    uc = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    uc.connect(('127.0.0.1', u4.getsockname()[1]))
    held += [u4, u6, uc]
    ports.update(udp4=u4.getsockname()[1], udp6=u6.getsockname()[1])
    try:
        l4 = udp(socket.AF_INET, '127.0.0.1', IPPROTO_UDPLITE)
        l6 = udp(socket.AF_INET6, '::1', IPPROTO_UDPLITE)
        lc = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, IPPROTO_UDPLITE)
        lc.connect(('127.0.0.1', l4.getsockname()[1]))
        held += [l4, l6, lc]
        ports.update(udplite4=l4.getsockname()[1], udplite6=l6.getsockname()[1])
    except OSError:
        pass  # a kernel without UDP-Lite
    try:
        r4 = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
        r4.bind(('127.0.0.1', 0))
        r6 = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
        r6.bind(('::1', 0))
        held += [r4, r6]
    except OSError:
        pass  # not root
    path = os.path.join(workdir, 'stream.sock')
    us = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    us.bind(path)
    us.listen(4)
    uc2 = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    uc2.connect(path)
    ua, _ = us.accept()
    ud = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    ud.bind(os.path.join(workdir, 'dgram.sock'))
    ab = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    ab.bind('\0netwatch-load-%d' % os.getpid())
    ab.listen(1)
    sp = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    sp.bind(os.path.join(workdir, 'with space.sock'))
    sp.listen(1)
    held += [us, uc2, ua, ud, ab, sp, *socket.socketpair()]


def role_nginx(held, ports, workdir):
    s = listen(socket.AF_INET, '127.0.0.1')
    held.append(s)
    ports['nginx'] = s.getsockname()[1]


def role_sshd(held, ports, workdir):
    rewrite_argv('sshd: root@pts/0')
    s = listen(socket.AF_INET6, '::1')
    held += [s, *pair(s, socket.AF_INET6, '::1')]
    ports['sshd'] = s.getsockname()[1]


def role_prctl(held, ports, workdir):
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_NAME, b'renamed-prctl', 0, 0, 0)
    held.append(udp(socket.AF_INET, '127.0.0.1'))
    ports['prctl'] = held[-1].getsockname()[1]


def role_nobody(held, ports, workdir):
    if os.geteuid() == 0:
        os.setgid(65534)
        os.setuid(65534)
    s = listen(socket.AF_INET, '127.0.0.1')
    held += [s, socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)]
    ports['nobody'] = s.getsockname()[1]


def role_long(held, ports, workdir):
    held.append(udp(socket.AF_INET6, '::1'))
    ports['long'] = held[-1].getsockname()[1]


def child(role, workdir, ready_fd):
    held, ports = [], {}
    globals()['role_' + role](held, ports, workdir)
    os.write(ready_fd, (json.dumps({'role': role, 'pid': os.getpid(), 'ports': ports}) + '\n').encode())
    os.close(ready_fd)
    deadline = time.time() + LIFETIME
    while time.time() < deadline and os.getppid() != 1:
        time.sleep(0.5)


def main():
    if len(sys.argv) > 2 and sys.argv[1] == '--role':
        child(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return
    workdir = tempfile.mkdtemp(prefix='netwatch-load-')
    os.chmod(workdir, 0o755)
    read_end, write_end = os.pipe()
    os.set_inheritable(write_end, True)
    kids = []
    for role, argv0 in ROLES.items():
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            # sshd pads its arguments so that the title it writes over them fits.
            pad = ['x' * 40] if role == 'sshd' else []
            # Python finds its library from argv[0] when that holds a slash: tell it where it is instead.
            env = dict(os.environ, PYTHONHOME=sys.prefix)
            os.execve(sys.executable, [argv0, os.path.abspath(__file__), '--role', role, workdir,
                                       str(write_end), *pad], env)
        kids.append(pid)
    os.close(write_end)

    def stop(*_):
        for pid in kids:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for pid in kids:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        for name in os.listdir(workdir):
            os.unlink(os.path.join(workdir, name))
        os.rmdir(workdir)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    text = b''
    with os.fdopen(read_end, 'rb') as r:
        text = r.read()
    lines = [json.loads(line) for line in text.decode().splitlines() if line]
    pids = {line['role']: line['pid'] for line in lines}
    ports = {}
    for line in lines:
        ports.update(line['ports'])
    ok = len(lines) == len(ROLES)
    sys.stdout.write(json.dumps({'ready': ok, 'pids': pids, 'ports': ports, 'dir': workdir}) + '\n')
    sys.stdout.flush()
    if not ok:
        stop()
    deadline = time.time() + LIFETIME
    while time.time() < deadline:
        r, _, _ = select.select([sys.stdin], [], [], 1.0)
        if r and not os.read(sys.stdin.fileno(), 4096):
            break
    stop()


if __name__ == '__main__':
    main()
