# Process churn for scripts/churn.mjs: fork RATE short-lived children a second for SECONDS. Each child binds a
# TCP listener on 127.0.0.1 (loopback only), writes "pid inode" to stdout, lives 50-500 ms and exits. The
# parent opens no socket (a child holds its own and the inherited stdio, reported first) and lets the kernel
# reap children (SIGCHLD ignored).
# argv: RATE SECONDS MARKER (the marker only tags the command line, so owners can be told apart).
import os
import random
import signal
import socket
import stat
import sys
import time

# The fds every child inherits (Node's stdio pipes are unix socket pairs): report them, they are held too.
for fd in (0, 1, 2):
    try:
        st = os.fstat(fd)
    except OSError:
        continue
    if stat.S_ISSOCK(st.st_mode):
        os.write(1, b"inherited %d\n" % st.st_ino)

rate = float(sys.argv[1])
seconds = float(sys.argv[2])
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
start = time.monotonic()
n = 0
failed = 0
while time.monotonic() - start < seconds:
    try:
        pid = os.fork()
    except OSError:
        failed += 1
        pid = -1
    if pid == 0:
        try:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            s.listen(1)
            os.write(1, b"%d %d\n" % (os.getpid(), os.fstat(s.fileno()).st_ino))
            time.sleep(random.uniform(0.05, 0.5))
        finally:
            os._exit(0)
    n += 1
    delay = start + n / rate - time.monotonic()
    if delay > 0:
        time.sleep(delay)
time.sleep(0.6)  # the last children end
os.write(1, b"done %d %d\n" % (n, failed))
