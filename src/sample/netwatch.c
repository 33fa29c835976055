// Optional native helper (dist/netwatch.node), built by scripts/build.mjs when a C compiler and Node's
// headers are present; netwatch works without it (src/sample/native.ts falls back to /proc).
//
// tcpSockets(): every TCP socket of this network namespace from the kernel's sock_diag netlink interface
// (what `ss` uses), as fixed-size records. At 20,000 sockets the dump costs the kernel ~20 ms where
// printing /proc/net/tcp and tcp6 as text costs ~45 ms (BENCHMARKS.md), and there is no text to parse.
//
// unixSockets(): every unix socket of this network namespace from sock_diag (UNIX_DIAG), with each name's
// real length: /proc/net/unix prints a name byte for byte, newlines included, so a name can forge a line
// there (src/sample/unixdiag.ts checks /proc's rows against this list).
//
// socketOwners(procDir): the (socket inode, pid) pairs of every process, from readlinkat() on each
// /proc/PID/fd entry, run on a libuv worker thread so the JavaScript thread reads the socket tables
// meanwhile. Returns a Promise.
//
// Nothing here interprets the data beyond copying kernel fields: the meaning (state names, units, the
// netstat conventions) is decided in TypeScript (src/sample/sockdiag.ts, src/sample/owners.ts), where it is tested.
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <arpa/inet.h>
#include <linux/unix_diag.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <net/if.h>
#include <netinet/in.h>
#include <node_api.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

// One record per socket, in 32-bit words (host byte order except the address words, which are the
// kernel's network-order bytes read as host integers: exactly what /proc/net/tcp prints with %08X).
enum {
  W_FAMILY,     // AF_INET (2) or AF_INET6 (10)
  W_STATE,      // idiag_state (TCP_* numbers, as /proc prints them)
  W_TIMER,      // idiag_timer: 0 off, 1 retransmit, 2 keepalive, 3 TIME_WAIT, 4 zero-window probe
  W_RETRANS,    // idiag_retrans
  W_EXPIRES,    // idiag_expires, milliseconds
  W_RQUEUE,     // idiag_rqueue
  W_WQUEUE,     // idiag_wqueue (the backlog limit for LISTEN)
  W_UID,        // idiag_uid
  W_INODE,      // idiag_inode (0 for TIME_WAIT and request sockets)
  W_SPORT,      // local port, host order
  W_DPORT,      // remote port, host order
  W_SRC,        // 4 words
  W_DST = W_SRC + 4,  // 4 words
  W_HAS_INFO = W_DST + 4,  // 1 when the tcp_info words below are filled
  W_RTO,        // tcpi_rto, microseconds
  W_ATO,        // tcpi_ato, microseconds
  W_CWND,       // tcpi_snd_cwnd
  W_SSTHRESH,   // tcpi_snd_ssthresh
  W_PROBES,     // tcpi_probes (icsk_probes_out)
  W_TCPI_RETRANSMITS,  // tcpi_retransmits (icsk_retransmits)
  // The attributes as the kernel sent them, for src/model/tcpinfo.ts to read by offset: their length in
  // bytes (0: not sent; may exceed what is kept), then the first bytes. Rows are built from the words above
  // only (ROW_WORDS in src/sample/sockdiag.ts), so these may change every sample without new rows.
  W_INFO_LEN,   // INET_DIAG_INFO payload length
  W_INFO,       // struct tcp_info, up to INFO_WORDS words
  W_MEM_LEN = W_INFO + 58,  // INET_DIAG_SKMEMINFO payload length
  W_MEM,        // u32 skmeminfo[SK_MEMINFO_VARS]
  WORDS = W_MEM + 9
};
#define INFO_WORDS (W_MEM_LEN - W_INFO)
#define MEM_WORDS (WORDS - W_MEM)

typedef struct {
  uint32_t *w;
  size_t count;  // records
  size_t cap;    // records
  int borrowed;  // w is the caller's buffer (tcpSockets' `into`): never realloc'd or freed here
} Records;

static uint32_t *next_record(Records *r) {
  if (r->count == r->cap) {
    size_t cap = r->cap ? r->cap * 2 : 4096;
    uint32_t *w;
    if (r->borrowed) {
      // The caller's buffer is full: go on in one of our own, with what was written so far.
      w = malloc(cap * WORDS * sizeof(uint32_t));
      if (w && r->count) memcpy(w, r->w, r->count * WORDS * sizeof(uint32_t));
    } else {
      w = realloc(r->w, cap * WORDS * sizeof(uint32_t));
    }
    if (!w) return NULL;
    r->w = w;
    r->cap = cap;
    r->borrowed = 0;
  }
  uint32_t *rec = r->w + r->count * WORDS;
  memset(rec, 0, WORDS * sizeof(uint32_t));
  r->count++;
  return rec;
}

// TCP states 0..12 (TCP_NEW_SYN_RECV included): what /proc/net/tcp lists. Bit 13 would add the
// bound-but-inactive sockets that newer kernels can dump, which /proc does not show.
#define ALL_TCP_STATES ((1u << 13) - 1)

/** A 32-bit field of the copied tcp_info bytes (all read fields lie well inside the bytes kept). */
static uint32_t info_u32(const unsigned char *raw, size_t offset) {
  uint32_t v;
  memcpy(&v, raw + offset, sizeof v);
  return v;
}
_Static_assert(offsetof(struct tcp_info, tcpi_snd_cwnd) + 4 <= INFO_WORDS * 4, "tcp_info tail beyond the kept bytes");

#ifndef TCPDIAG_GETSOCK
#define TCPDIAG_GETSOCK 18
#endif

/** Called for each reply message of a dump (its payload at least the size asked for): 0 or an errno value. */
typedef int (*DiagReply)(const struct nlmsghdr *h, void *ctx);

/**
 * Send one sock_diag dump request and hand each reply of `reply_type` whose payload holds at least
 * `min_payload` bytes to `each`, until the kernel says it is done. Returns 0, or an errno value (the
 * kernel's refusal, a failed read, or the first one `each` returns).
 */
static int diag_dump(int fd, const struct nlmsghdr *request, uint16_t reply_type, size_t min_payload,
                     DiagReply each, void *ctx, char *buf, size_t buflen) {
  struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
  if (sendto(fd, request, request->nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0) return errno;
  for (;;) {
    ssize_t len = recv(fd, buf, buflen, 0);
    if (len < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (len == 0) return EPROTO;
    for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
      if (h->nlmsg_type == NLMSG_DONE) return 0;
      if (h->nlmsg_type == NLMSG_ERROR) {
        struct nlmsgerr *e = NLMSG_DATA(h);
        return e->error ? -e->error : EPROTO;
      }
      if (h->nlmsg_type != reply_type || h->nlmsg_len < NLMSG_LENGTH(min_payload)) continue;
      int err = each(h, ctx);
      if (err) return err;
    }
  }
}

/** One inet_diag reply → one record of `ctx` (Records). */
static int tcp_record(const struct nlmsghdr *h, void *ctx) {
  const struct inet_diag_msg *m = NLMSG_DATA(h);
  uint32_t *rec = next_record(ctx);
  if (!rec) return ENOMEM;
  rec[W_FAMILY] = m->idiag_family;
  rec[W_STATE] = m->idiag_state;
  rec[W_TIMER] = m->idiag_timer;
  rec[W_RETRANS] = m->idiag_retrans;
  rec[W_EXPIRES] = m->idiag_expires;
  rec[W_RQUEUE] = m->idiag_rqueue;
  rec[W_WQUEUE] = m->idiag_wqueue;
  rec[W_UID] = m->idiag_uid;
  rec[W_INODE] = m->idiag_inode;
  rec[W_SPORT] = ntohs(m->id.idiag_sport);
  rec[W_DPORT] = ntohs(m->id.idiag_dport);
  memcpy(&rec[W_SRC], m->id.idiag_src, 16);
  memcpy(&rec[W_DST], m->id.idiag_dst, 16);

  const struct rtattr *a = (const struct rtattr *)(m + 1);
  int alen = (int)(h->nlmsg_len - NLMSG_LENGTH(sizeof *m));
  for (; RTA_OK(a, alen); a = RTA_NEXT(a, alen)) {
    if (a->rta_type == INET_DIAG_SKMEMINFO) {
      size_t n = RTA_PAYLOAD(a);
      rec[W_MEM_LEN] = (uint32_t)n;
      memcpy(&rec[W_MEM], RTA_DATA(a), n < MEM_WORDS * 4 ? n : MEM_WORDS * 4);
      continue;
    }
    if (a->rta_type != INET_DIAG_INFO) continue;
    {
      size_t n = RTA_PAYLOAD(a);
      rec[W_INFO_LEN] = (uint32_t)n;
      memcpy(&rec[W_INFO], RTA_DATA(a), n < INFO_WORDS * 4 ? n : INFO_WORDS * 4);
    }
    // Kernels differ in how much of tcp_info they send: the copy above holds what came, zeros after
    // it (the record starts zeroed), and the tail's fields are read from it (no second copy of the
    // struct per socket).
    const unsigned char *raw = (const unsigned char *)&rec[W_INFO];
    rec[W_HAS_INFO] = 1;
    rec[W_RTO] = info_u32(raw, offsetof(struct tcp_info, tcpi_rto));
    rec[W_ATO] = info_u32(raw, offsetof(struct tcp_info, tcpi_ato));
    rec[W_CWND] = info_u32(raw, offsetof(struct tcp_info, tcpi_snd_cwnd));
    rec[W_SSTHRESH] = info_u32(raw, offsetof(struct tcp_info, tcpi_snd_ssthresh));
    rec[W_PROBES] = raw[offsetof(struct tcp_info, tcpi_probes)];
    rec[W_TCPI_RETRANSMITS] = raw[offsetof(struct tcp_info, tcpi_retransmits)];
  }
  return 0;
}

/**
 * Dump into `out`: one family (AF_INET, AF_INET6) with SOCK_DIAG_BY_FAMILY, or both in one walk of the
 * kernel's hash tables (family AF_UNSPEC) with the older TCPDIAG_GETSOCK request, whose replies carry that
 * type. The established table has a bucket per ~4 KB of memory (262,144 here): walking it once rather than
 * twice saves ~2.5 ms a dump. Returns 0, or an errno value.
 */
static int dump_family(int fd, uint8_t family, int with_info, Records *out, char *buf, size_t buflen) {
  uint32_t ext = with_info ? (1 << (INET_DIAG_INFO - 1)) | (1 << (INET_DIAG_SKMEMINFO - 1)) : 0;
  struct {
    struct nlmsghdr nlh;
    union {
      struct inet_diag_req_v2 v2;
      struct inet_diag_req compat;
    } req;
  } msg;
  memset(&msg, 0, sizeof msg);
  uint16_t reply_type;
  if (family == AF_UNSPEC) {
    msg.nlh.nlmsg_len = NLMSG_LENGTH(sizeof msg.req.compat);
    msg.nlh.nlmsg_type = reply_type = TCPDIAG_GETSOCK;
    msg.req.compat.idiag_family = AF_INET;  // ignored: the kernel dumps every family for this request
    msg.req.compat.idiag_states = ALL_TCP_STATES;
    msg.req.compat.idiag_ext = ext;
  } else {
    msg.nlh.nlmsg_len = NLMSG_LENGTH(sizeof msg.req.v2);
    msg.nlh.nlmsg_type = reply_type = SOCK_DIAG_BY_FAMILY;
    msg.req.v2.sdiag_family = family;
    msg.req.v2.sdiag_protocol = IPPROTO_TCP;
    msg.req.v2.idiag_states = ALL_TCP_STATES;
    msg.req.v2.idiag_ext = ext;
  }
  msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  msg.nlh.nlmsg_seq = family + 1;

  return diag_dump(fd, &msg.nlh, reply_type, sizeof(struct inet_diag_msg), tcp_record, out, buf, buflen);
}

static napi_value throw_errno(napi_env env, const char *what, int err) {
  char text[200];
  snprintf(text, sizeof text, "%s: %s", what, strerror(err));
  char code[32];
  snprintf(code, sizeof code, "E%d", err);
  napi_throw_error(env, code, text);
  return NULL;
}

/**
 * tcpSockets(withInfo = true, into?): the records (see the word list above). Without tcp_info the dump is
 * ~20 % cheaper and the W_RTO.. words stay zero. With `into` (an ArrayBuffer), records are written there
 * and the number of records is returned when they all fit; otherwise, and without it, a new ArrayBuffer
 * of exactly the records. A live view passes a buffer it reuses: at 20,000 sockets a dump is 7.6 MB, and
 * a fresh buffer each second cost ~7 ms in page faults and copies, more than a third of the kernel's own
 * work (and 7.6 MB/s of external memory for V8 to account and collect). Throws when sock_diag is unusable.
 */
static napi_value tcp_sockets(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  bool with_info = true;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc >= 1) {
    napi_valuetype type;
    napi_typeof(env, argv[0], &type);
    if (type == napi_boolean) napi_get_value_bool(env, argv[0], &with_info);
  }
  Records recs = {0};
  if (argc >= 2) {
    bool is_buffer = false;
    void *data = NULL;
    size_t length = 0;
    if (napi_is_arraybuffer(env, argv[1], &is_buffer) == napi_ok && is_buffer &&
        napi_get_arraybuffer_info(env, argv[1], &data, &length) == napi_ok && data &&
        length >= WORDS * sizeof(uint32_t)) {
      recs.w = data;
      recs.cap = length / (WORDS * sizeof(uint32_t));
      recs.borrowed = 1;
    }
  }
  // A third argument true: one family at a time, as a kernel without TCPDIAG_GETSOCK makes us (for tests).
  bool per_family = false;
  if (argc >= 3) {
    napi_valuetype type;
    napi_typeof(env, argv[2], &type);
    if (type == napi_boolean) napi_get_value_bool(env, argv[2], &per_family);
  }
  int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0) return throw_errno(env, "netlink sock_diag socket", errno);
  size_t buflen = 64 * 1024;
  char *buf = malloc(buflen);
  int err = buf ? 0 : ENOMEM;
  if (!err) {
    err = per_family ? EINVAL : dump_family(fd, AF_UNSPEC, with_info, &recs, buf, buflen);
    // A kernel without the older request refuses it before sending any socket: one family at a time then,
    // on a fresh socket (the refused dump may have left replies behind).
    if (err && err != ENOMEM && recs.count == 0) {
      close(fd);
      fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
      err = fd < 0 ? errno : 0;
      if (!err) err = dump_family(fd, AF_INET, with_info, &recs, buf, buflen);
      if (!err) err = dump_family(fd, AF_INET6, with_info, &recs, buf, buflen);
    }
  }
  if (fd >= 0) close(fd);
  free(buf);
  if (err) {
    if (!recs.borrowed) free(recs.w);
    return throw_errno(env, "netlink sock_diag dump", err);
  }
  napi_value result;
  if (recs.borrowed) {
    if (napi_create_double(env, (double)recs.count, &result) != napi_ok) return NULL;
    return result;
  }
  void *data;
  size_t bytes = recs.count * WORDS * sizeof(uint32_t);
  if (napi_create_arraybuffer(env, bytes, &data, &result) != napi_ok) {
    free(recs.w);
    return NULL;
  }
  if (bytes) memcpy(data, recs.w, bytes);
  free(recs.w);
  return result;
}

// ---- unixSockets -------------------------------------------------------------------------------------

// One record per unix socket, in 32-bit words, after a count and before the names' bytes (in record order).
enum { U_INODE, U_TYPE, U_STATE, U_NAME_LEN, U_WORDS };

typedef struct {
  uint8_t *bytes;
  size_t len, cap;
} Bytes;

static int bytes_add(Bytes *b, const void *data, size_t n) {
  if (b->len + n > b->cap) {
    size_t cap = b->cap ? b->cap : 64 * 1024;
    while (cap < b->len + n) cap *= 2;
    uint8_t *p = realloc(b->bytes, cap);
    if (!p) return ENOMEM;
    b->bytes = p;
    b->cap = cap;
  }
  memcpy(b->bytes + b->len, data, n);
  b->len += n;
  return 0;
}

typedef struct {
  Bytes *recs, *names;
} UnixOut;

/** One unix_diag reply → a record in `recs` and its name in `names` (ctx: UnixOut). */
static int unix_record(const struct nlmsghdr *h, void *ctx) {
  UnixOut *out = ctx;
  const struct unix_diag_msg *m = NLMSG_DATA(h);
  uint32_t rec[U_WORDS] = {m->udiag_ino, m->udiag_type, m->udiag_state, 0};
  const uint8_t *name = NULL;
  size_t name_len = 0;
  const struct rtattr *a = (const struct rtattr *)(m + 1);
  int alen = (int)(h->nlmsg_len - NLMSG_LENGTH(sizeof *m));
  for (; RTA_OK(a, alen); a = RTA_NEXT(a, alen)) {
    if (a->rta_type != UNIX_DIAG_NAME) continue;
    name = RTA_DATA(a);
    name_len = RTA_PAYLOAD(a);
  }
  // As /proc/net/unix prints it: a path name without the terminating NUL the kernel stores with it, an
  // abstract name with its leading NUL, and every NUL, shown as '@'.
  if (name_len > 0 && name[0] != 0 && name[name_len - 1] == 0) name_len--;
  if (name_len > 108) name_len = 108;  // sun_path's size: the kernel never sends more
  uint8_t shown[108];
  for (size_t i = 0; i < name_len; i++) shown[i] = name[i] ? name[i] : '@';
  rec[U_NAME_LEN] = (uint32_t)name_len;
  int err = bytes_add(out->recs, rec, sizeof rec);
  if (!err && name_len) err = bytes_add(out->names, shown, name_len);
  return err;
}

/** Dump every unix socket into `recs` (U_WORDS words each) and `names`. Returns 0, or an errno value. */
static int dump_unix(int fd, Bytes *recs, Bytes *names, char *buf, size_t buflen) {
  struct {
    struct nlmsghdr nlh;
    struct unix_diag_req req;
  } msg;
  memset(&msg, 0, sizeof msg);
  msg.nlh.nlmsg_len = sizeof msg;
  msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  msg.nlh.nlmsg_seq = AF_UNIX;
  msg.req.sdiag_family = AF_UNIX;
  msg.req.udiag_states = (uint32_t)-1;
  msg.req.udiag_show = UDIAG_SHOW_NAME;

  UnixOut out = {recs, names};
  return diag_dump(fd, &msg.nlh, SOCK_DIAG_BY_FAMILY, sizeof(struct unix_diag_msg), unix_record, &out, buf, buflen);
}

/**
 * unixSockets(): ArrayBuffer of one word (the record count), the records (U_WORDS words: inode, type,
 * sk_state, name length), then the names' bytes, back to back in record order. Throws when sock_diag for unix sockets is unusable (no unix_diag).
 */
static napi_value unix_sockets(napi_env env, napi_callback_info info) {
  (void)info;
  int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0) return throw_errno(env, "netlink sock_diag socket", errno);
  size_t buflen = 64 * 1024;
  char *buf = malloc(buflen);
  Bytes recs = {0}, names = {0};
  int err = buf ? dump_unix(fd, &recs, &names, buf, buflen) : ENOMEM;
  close(fd);
  free(buf);
  if (err) {
    free(recs.bytes);
    free(names.bytes);
    return throw_errno(env, "netlink sock_diag unix dump", err);
  }
  void *data;
  napi_value result;
  uint32_t count = (uint32_t)(recs.len / (U_WORDS * sizeof(uint32_t)));
  if (napi_create_arraybuffer(env, sizeof count + recs.len + names.len, &data, &result) == napi_ok) {
    memcpy(data, &count, sizeof count);
    if (recs.len) memcpy((uint8_t *)data + sizeof count, recs.bytes, recs.len);
    if (names.len) memcpy((uint8_t *)data + sizeof count + recs.len, names.bytes, names.len);
  } else {
    result = NULL;
  }
  free(recs.bytes);
  free(names.bytes);
  return result;
}

// ---- socketOwners ----------------------------------------------------------------------------------

typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  char *proc_dir;
  double *pairs;  // inode, pid, inode, pid, ...
  size_t count, cap;  // pairs
  uint32_t processes, unreadable;
  double first_unreadable_pid;  // lowest pid counted in unreadable, and why (errno)
  int first_unreadable_errno;
  uint32_t denied;  // of the unreadable: fd directory refused to open (EACCES), net-tools' warning rule
  int error;  // errno of opening proc_dir itself
} OwnersJob;

static void count_unreadable(OwnersJob *job, double pid, int err) {
  if (job->unreadable == 0 || pid < job->first_unreadable_pid) {
    job->first_unreadable_pid = pid;
    job->first_unreadable_errno = err;
  }
  job->unreadable++;
}

static int add_pair(OwnersJob *job, double inode, double pid) {
  if (job->count == job->cap) {
    size_t cap = job->cap ? job->cap * 2 : 4096;
    double *p = realloc(job->pairs, cap * 2 * sizeof(double));
    if (!p) return -1;
    job->pairs = p;
    job->cap = cap;
  }
  job->pairs[job->count * 2] = inode;
  job->pairs[job->count * 2 + 1] = pid;
  job->count++;
  return 0;
}

/** Inode of a link target "socket:[12345]", or 0. */
static double socket_inode(const char *t, ssize_t n) {
  static const char prefix[] = "socket:[";
  const ssize_t p = sizeof prefix - 1;
  if (n <= p + 1 || memcmp(t, prefix, p) != 0 || t[n - 1] != ']') return 0;
  double v = 0;
  for (ssize_t i = p; i < n - 1; i++) {
    if (t[i] < '0' || t[i] > '9') return 0;
    v = v * 10 + (t[i] - '0');
  }
  return v;
}

static void owners_execute(napi_env env, void *data) {
  (void)env;
  OwnersJob *job = data;
  DIR *proc = opendir(job->proc_dir);
  if (!proc) {
    job->error = errno;
    return;
  }
  int proc_fd = dirfd(proc);
  struct dirent *d;
  while ((d = readdir(proc)) != NULL) {
    const char *name = d->d_name;
    if (name[0] < '1' || name[0] > '9') continue;
    double pid = 0;
    int numeric = 1;
    for (const char *c = name; *c; c++) {
      if (*c < '0' || *c > '9') {
        numeric = 0;
        break;
      }
      pid = pid * 10 + (*c - '0');
    }
    if (!numeric) continue;
    job->processes++;
    char path[300];
    snprintf(path, sizeof path, "%s/fd", name);
    int fd_dir = openat(proc_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd_dir < 0) {
      if (errno == EACCES) job->denied++;
      if (errno == EACCES || errno == EPERM) count_unreadable(job, pid, errno);
      continue;  // ENOENT: the process exited meanwhile
    }
    DIR *fds = fdopendir(fd_dir);
    if (!fds) {
      close(fd_dir);
      continue;
    }
    struct dirent *e;
    int forbidden = 0;
    size_t before = job->count;
    while ((e = readdir(fds)) != NULL) {
      if (e->d_name[0] == '.') continue;
      char target[64];
      ssize_t n = readlinkat(fd_dir, e->d_name, target, sizeof target);
      if (n < 0) {
        if (errno == EACCES || errno == EPERM) {
          forbidden = errno;
          break;
        }
        continue;  // closed between readdir and readlink
      }
      double inode = socket_inode(target, n);
      if (inode != 0 && add_pair(job, inode, pid) != 0) {
        job->error = ENOMEM;
        break;
      }
    }
    closedir(fds);
    if (forbidden) {
      // Like the TypeScript scanner: a process whose links we may not follow holds nothing we report.
      job->count = before;
      count_unreadable(job, pid, forbidden);
    }
    if (job->error) break;
  }
  closedir(proc);
}

static void set_number(napi_env env, napi_value obj, const char *key, double v) {
  napi_value n;
  napi_create_double(env, v, &n);
  napi_set_named_property(env, obj, key, n);
}

static void owners_complete(napi_env env, napi_status status, void *data) {
  OwnersJob *job = data;
  if (status != napi_ok || job->error) {
    char text[300];
    int err = job->error ? job->error : ECANCELED;
    snprintf(text, sizeof text, "cannot read %s: %s", job->proc_dir, strerror(err));
    napi_value message, error;
    napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &message);
    napi_create_error(env, NULL, message, &error);
    napi_reject_deferred(env, job->deferred, error);
  } else {
    napi_value result, buffer, pairs;
    void *bytes;
    size_t size = job->count * 2 * sizeof(double);
    napi_create_arraybuffer(env, size, &bytes, &buffer);
    if (size) memcpy(bytes, job->pairs, size);
    napi_create_typedarray(env, napi_float64_array, job->count * 2, buffer, 0, &pairs);
    napi_create_object(env, &result);
    napi_set_named_property(env, result, "pairs", pairs);
    set_number(env, result, "processes", job->processes);
    set_number(env, result, "unreadable", job->unreadable);
    if (job->unreadable) {
      set_number(env, result, "firstUnreadablePid", job->first_unreadable_pid);
      set_number(env, result, "firstUnreadableErrno", job->first_unreadable_errno);
    }
    set_number(env, result, "denied", job->denied);
    napi_resolve_deferred(env, job->deferred, result);
  }
  napi_delete_async_work(env, job->work);
  free(job->pairs);
  free(job->proc_dir);
  free(job);
}

/** socketOwners(procDir): Promise<{ pairs: Float64Array, processes, unreadable, denied: number }> */
static napi_value socket_owners(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  size_t len = 0;
  if (argc < 1 || napi_get_value_string_utf8(env, argv[0], NULL, 0, &len) != napi_ok) {
    napi_throw_type_error(env, NULL, "socketOwners(procDir: string)");
    return NULL;
  }
  OwnersJob *job = calloc(1, sizeof *job);
  if (!job || !(job->proc_dir = malloc(len + 1))) {
    free(job);
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  napi_get_value_string_utf8(env, argv[0], job->proc_dir, len + 1, &len);
  napi_value promise, name;
  napi_create_promise(env, &job->deferred, &promise);
  napi_create_string_utf8(env, "netwatch:socketOwners", NAPI_AUTO_LENGTH, &name);
  napi_create_async_work(env, NULL, name, owners_execute, owners_complete, job, &job->work);
  napi_queue_async_work(env, job->work);
  return promise;
}

// ---- fdSockets ---------------------------------------------------------------------------------------

/** Throw an Error whose code is the errno's name where the TypeScript side classifies it (gone, forbidden). */
static napi_value throw_fs_errno(napi_env env, const char *path, int err) {
  const char *code = err == ENOENT ? "ENOENT" : err == ESRCH ? "ESRCH" : err == ENOTDIR ? "ENOTDIR"
                     : err == EACCES ? "EACCES" : err == EPERM ? "EPERM" : NULL;
  char fallback[32];
  if (!code) {
    snprintf(fallback, sizeof fallback, "E%d", err);
    code = fallback;
  }
  char text[400];
  snprintf(text, sizeof text, "%s: %s", path, strerror(err));
  napi_throw_error(env, code, text);
  return NULL;
}

/**
 * fdSockets(fdDir: string): Float64Array of (fd, socket inode) pairs, one per fd of that directory that is
 * a socket, read now (readdir + readlinkat, no JavaScript string per fd). Throws with code ENOENT when the
 * process is gone, EACCES/EPERM when its fds may not be listed or followed (the whole table is refused,
 * as the TypeScript scanner does). An fd closed between readdir and readlinkat is skipped.
 */
static napi_value fd_sockets(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char path[512];
  size_t len = 0;
  if (argc < 1 || napi_get_value_string_utf8(env, argv[0], path, sizeof path, &len) != napi_ok ||
      len >= sizeof path - 1) {
    napi_throw_type_error(env, NULL, "fdSockets(fdDir: string)");
    return NULL;
  }
  int dir_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return throw_fs_errno(env, path, errno);
  DIR *dir = fdopendir(dir_fd);
  if (!dir) {
    int err = errno;
    close(dir_fd);
    return throw_fs_errno(env, path, err);
  }
  static double *pairs = NULL;  // kept between calls: only the main thread calls this
  static size_t cap = 0;        // pairs
  size_t count = 0;
  int err = 0;
  struct dirent *e;
  while ((e = readdir(dir)) != NULL) {
    const char *name = e->d_name;
    if (name[0] < '0' || name[0] > '9') continue;
    char target[64];
    ssize_t n = readlinkat(dir_fd, name, target, sizeof target);
    if (n < 0) {
      if (errno == EACCES || errno == EPERM) {
        err = errno;
        break;
      }
      continue;  // closed between readdir and readlinkat
    }
    double inode = socket_inode(target, n);
    if (inode == 0) continue;
    if (count == cap) {
      size_t next = cap ? cap * 2 : 1024;
      double *p = realloc(pairs, next * 2 * sizeof(double));
      if (!p) {
        err = ENOMEM;
        break;
      }
      pairs = p;
      cap = next;
    }
    double fd = 0;
    for (const char *c = name; *c >= '0' && *c <= '9'; c++) fd = fd * 10 + (*c - '0');
    pairs[count * 2] = fd;
    pairs[count * 2 + 1] = inode;
    count++;
  }
  closedir(dir);
  if (err) return throw_fs_errno(env, path, err);
  napi_value buffer, result;
  void *bytes;
  size_t size = count * 2 * sizeof(double);
  if (napi_create_arraybuffer(env, size, &bytes, &buffer) != napi_ok) return NULL;
  if (size) memcpy(bytes, pairs, size);
  napi_create_typedarray(env, napi_float64_array, count * 2, buffer, 0, &result);
  return result;
}


// ---- watchLinks: rtnetlink notifications ------------------------------------------------------------
//
// The kernel tells a NETLINK_ROUTE socket bound to the link, address and route groups about every change
// as it happens (what `ip monitor` prints), so a link that flaps down and up between two samples is still
// seen. A small thread waits on the socket (poll, with an eventfd to stop it) and hands each batch of raw
// messages to the JavaScript thread through a thread-safe function, where they become plain objects.
// Meaning (which change is news) is decided in TypeScript.

#include <linux/if.h>
#include <linux/if_addr.h>
#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>

typedef struct {
  int fd;        // the netlink socket
  int stop_fd;   // eventfd: written to stop the thread
  pthread_t thread;
  napi_threadsafe_function tsfn;
  int closed;
} LinkWatch;

typedef struct {
  size_t len;
  int lost;  // the kernel dropped notifications (ENOBUFS): polling must catch up
  char data[];
} LinkBatch;

static void set_string(napi_env env, napi_value obj, const char *key, const char *s) {
  napi_value v;
  napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, obj, key, v);
}

static void set_address(napi_env env, napi_value obj, const char *key, int family, const void *data, size_t len) {
  char text[INET6_ADDRSTRLEN];
  if ((family == AF_INET && len >= 4) || (family == AF_INET6 && len >= 16)) {
    if (inet_ntop(family, data, text, sizeof text)) set_string(env, obj, key, text);
  }
}

/** One rtnetlink message → an object, or NULL for a type we do not report. */
static napi_value link_message(napi_env env, struct nlmsghdr *h) {
  napi_value o;
  int t = h->nlmsg_type;
  if (t == RTM_NEWLINK || t == RTM_DELLINK) {
    if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct ifinfomsg))) return NULL;
    struct ifinfomsg *m = NLMSG_DATA(h);
    napi_create_object(env, &o);
    set_string(env, o, "type", t == RTM_NEWLINK ? "link" : "link-deleted");
    set_number(env, o, "ifindex", m->ifi_index);
    set_number(env, o, "flags", m->ifi_flags);
    int alen = (int)IFLA_PAYLOAD(h);
    for (struct rtattr *a = IFLA_RTA(m); RTA_OK(a, alen); a = RTA_NEXT(a, alen)) {
      if (a->rta_type == IFLA_IFNAME && RTA_PAYLOAD(a) > 0) {
        char name[IFNAMSIZ + 1] = {0};
        memcpy(name, RTA_DATA(a), RTA_PAYLOAD(a) < IFNAMSIZ ? RTA_PAYLOAD(a) : IFNAMSIZ);
        set_string(env, o, "name", name);
      } else if (a->rta_type == IFLA_MTU && RTA_PAYLOAD(a) >= 4) {
        set_number(env, o, "mtu", *(uint32_t *)RTA_DATA(a));
      } else if (a->rta_type == IFLA_OPERSTATE && RTA_PAYLOAD(a) >= 1) {
        set_number(env, o, "operstate", *(uint8_t *)RTA_DATA(a));
      } else if (a->rta_type == IFLA_CARRIER && RTA_PAYLOAD(a) >= 1) {
        set_number(env, o, "carrier", *(uint8_t *)RTA_DATA(a));
      }
    }
    return o;
  }
  if (t == RTM_NEWADDR || t == RTM_DELADDR) {
    if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct ifaddrmsg))) return NULL;
    struct ifaddrmsg *m = NLMSG_DATA(h);
    napi_create_object(env, &o);
    set_string(env, o, "type", t == RTM_NEWADDR ? "address" : "address-deleted");
    set_number(env, o, "ifindex", m->ifa_index);
    set_number(env, o, "family", m->ifa_family == AF_INET6 ? 6 : 4);
    set_number(env, o, "prefixLength", m->ifa_prefixlen);
    int alen = (int)IFA_PAYLOAD(h);
    for (struct rtattr *a = IFA_RTA(m); RTA_OK(a, alen); a = RTA_NEXT(a, alen)) {
      // IFA_LOCAL is the address of a point-to-point peer's near end; IFA_ADDRESS otherwise.
      if (a->rta_type == IFA_LOCAL || (a->rta_type == IFA_ADDRESS && m->ifa_family == AF_INET6))
        set_address(env, o, "address", m->ifa_family, RTA_DATA(a), RTA_PAYLOAD(a));
      else if (a->rta_type == IFA_LABEL && RTA_PAYLOAD(a) > 0) {
        char name[IFNAMSIZ + 1] = {0};
        memcpy(name, RTA_DATA(a), RTA_PAYLOAD(a) < IFNAMSIZ ? RTA_PAYLOAD(a) : IFNAMSIZ);
        set_string(env, o, "name", name);
      }
    }
    return o;
  }
  if (t == RTM_NEWROUTE || t == RTM_DELROUTE) {
    if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct rtmsg))) return NULL;
    struct rtmsg *m = NLMSG_DATA(h);
    // The main table only, as /proc/net/route and netstat -r show it; no cache clones.
    if (m->rtm_table != RT_TABLE_MAIN) return NULL;
    napi_create_object(env, &o);
    set_string(env, o, "type", t == RTM_NEWROUTE ? "route" : "route-deleted");
    set_number(env, o, "family", m->rtm_family == AF_INET6 ? 6 : 4);
    set_number(env, o, "prefixLength", m->rtm_dst_len);
    int alen = (int)RTM_PAYLOAD(h);
    for (struct rtattr *a = RTM_RTA(m); RTA_OK(a, alen); a = RTA_NEXT(a, alen)) {
      if (a->rta_type == RTA_DST) set_address(env, o, "destination", m->rtm_family, RTA_DATA(a), RTA_PAYLOAD(a));
      else if (a->rta_type == RTA_GATEWAY) set_address(env, o, "gateway", m->rtm_family, RTA_DATA(a), RTA_PAYLOAD(a));
      else if (a->rta_type == RTA_OIF && RTA_PAYLOAD(a) >= 4) set_number(env, o, "ifindex", *(uint32_t *)RTA_DATA(a));
      else if (a->rta_type == RTA_PRIORITY && RTA_PAYLOAD(a) >= 4) set_number(env, o, "metric", *(uint32_t *)RTA_DATA(a));
    }
    return o;
  }
  return NULL;
}

static void link_call_js(napi_env env, napi_value cb, void *context, void *data) {
  (void)context;
  LinkBatch *batch = data;
  if (env == NULL || batch == NULL) {
    free(batch);
    return;
  }
  napi_value list;
  napi_create_array(env, &list);
  uint32_t n = 0;
  int len = (int)batch->len;
  size_t off = 0;
  // The batch is whole datagrams back to back, each prefixed by its length.
  while (off + sizeof(uint32_t) <= (size_t)len) {
    uint32_t dlen;
    memcpy(&dlen, batch->data + off, sizeof dlen);
    off += sizeof dlen;
    if (off + dlen > (size_t)len) break;
    int mlen = (int)dlen;
    for (struct nlmsghdr *h = (struct nlmsghdr *)(batch->data + off); NLMSG_OK(h, mlen); h = NLMSG_NEXT(h, mlen)) {
      napi_value o = link_message(env, h);
      if (o) napi_set_element(env, list, n++, o);
    }
    off += dlen;
  }
  if (batch->lost) {
    napi_value o;
    napi_create_object(env, &o);
    set_string(env, o, "type", "overrun");
    napi_set_element(env, list, n++, o);
  }
  free(batch);
  if (n == 0) return;
  napi_value global, argv[1] = {list};
  napi_get_global(env, &global);
  napi_call_function(env, global, cb, 1, argv, NULL);
}

static void *link_thread(void *arg) {
  LinkWatch *w = arg;
  static const size_t DGRAM = 32 * 1024;
  for (;;) {
    struct pollfd fds[2] = {{.fd = w->fd, .events = POLLIN}, {.fd = w->stop_fd, .events = POLLIN}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[1].revents) break;
    if (!(fds[0].revents & POLLIN)) continue;
    // Drain what is there into one batch (bounded: 64 datagrams), then hand it over.
    size_t cap = 64 * (DGRAM + sizeof(uint32_t));
    LinkBatch *batch = malloc(sizeof *batch + cap);
    if (!batch) break;
    batch->len = 0;
    batch->lost = 0;
    for (int i = 0; i < 64; i++) {
      char *at = batch->data + batch->len + sizeof(uint32_t);
      ssize_t got = recv(w->fd, at, DGRAM, MSG_DONTWAIT);
      if (got < 0) {
        if (errno == ENOBUFS) batch->lost = 1;
        if (errno == EINTR || errno == ENOBUFS) continue;
        break;
      }
      if (got == 0) break;
      uint32_t dlen = (uint32_t)got;
      memcpy(batch->data + batch->len, &dlen, sizeof dlen);
      batch->len += sizeof dlen + dlen;
    }
    if (batch->len == 0 && !batch->lost) {
      free(batch);
      continue;
    }
    if (napi_call_threadsafe_function(w->tsfn, batch, napi_tsfn_nonblocking) != napi_ok) free(batch);
  }
  return NULL;
}

static void link_watch_stop(LinkWatch *w) {
  if (w->closed) return;
  w->closed = 1;
  uint64_t one = 1;
  if (write(w->stop_fd, &one, sizeof one) < 0) { /* the thread also ends when the socket errors */ }
  pthread_join(w->thread, NULL);
  close(w->fd);
  close(w->stop_fd);
  napi_release_threadsafe_function(w->tsfn, napi_tsfn_abort);
}

static napi_value link_watch_close(napi_env env, napi_callback_info info) {
  void *data;
  napi_get_cb_info(env, info, NULL, NULL, NULL, &data);
  if (data) link_watch_stop(data);
  return NULL;
}

static void link_watch_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  LinkWatch *w = data;
  link_watch_stop(w);
  free(w);
}

/**
 * watchLinks(callback): subscribe to link, address and route changes of this network namespace; callback
 * receives arrays of { type: 'link'|'link-deleted'|'address'|'address-deleted'|'route'|'route-deleted'|
 * 'overrun', ... }. Returns { close() }. Throws when the socket cannot be made (then poll only).
 */
static napi_value watch_links(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  napi_valuetype type;
  if (argc < 1 || napi_typeof(env, argv[0], &type) != napi_ok || type != napi_function) {
    napi_throw_type_error(env, NULL, "watchLinks(callback: function)");
    return NULL;
  }
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) return throw_errno(env, "netlink route socket", errno);
  struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
  sa.nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR | RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE;
  if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
    int err = errno;
    close(fd);
    return throw_errno(env, "netlink route bind", err);
  }
  int stop_fd = eventfd(0, EFD_CLOEXEC);
  LinkWatch *w = calloc(1, sizeof *w);
  if (stop_fd < 0 || !w) {
    free(w);
    close(fd);
    if (stop_fd >= 0) close(stop_fd);
    napi_throw_error(env, NULL, "cannot watch the netlink route socket");
    return NULL;
  }
  w->fd = fd;
  w->stop_fd = stop_fd;
  napi_value name;
  napi_create_string_utf8(env, "netwatch:watchLinks", NAPI_AUTO_LENGTH, &name);
  if (napi_create_threadsafe_function(env, argv[0], NULL, name, 0, 1, NULL, NULL, NULL, link_call_js, &w->tsfn) !=
      napi_ok) {
    close(fd);
    close(stop_fd);
    free(w);
    napi_throw_error(env, NULL, "cannot watch the netlink route socket");
    return NULL;
  }
  // A watcher must not keep Node alive on its own: the sampler's timer does that while the view runs.
  napi_unref_threadsafe_function(env, w->tsfn);
  if (pthread_create(&w->thread, NULL, link_thread, w) != 0) {
    napi_release_threadsafe_function(w->tsfn, napi_tsfn_abort);
    close(fd);
    close(stop_fd);
    free(w);
    napi_throw_error(env, NULL, "cannot start the netlink watcher thread");
    return NULL;
  }
  napi_value handle, close_fn;
  napi_create_object(env, &handle);
  napi_create_function(env, "close", NAPI_AUTO_LENGTH, link_watch_close, w, &close_fn);
  napi_set_named_property(env, handle, "close", close_fn);
  napi_wrap(env, handle, w, link_watch_finalize, NULL, NULL);
  return handle;
}
static napi_value watchdog_arm(napi_env env, napi_callback_info info);

// ---- ipv4Addresses ----------------------------------------------------------------------------------

static void set_ipv4(napi_env env, napi_value obj, const char *key, const struct sockaddr *sa) {
  char text[INET_ADDRSTRLEN];
  if (!sa || sa->sa_family != AF_INET) return;
  inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, text, sizeof text);
  napi_value v;
  napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, obj, key, v);
}

/**
 * ipv4Addresses(): [{ label, address, netmask, broadcast, destination }], one per label of getifaddrs(3)'s
 * IPv4 entries, in its order, each read with the ioctls netstat uses (SIOCGIFADDR: the label's primary
 * address, SIOCGIFNETMASK, SIOCGIFBRDADDR, SIOCGIFDSTADDR). /proc and /sys do not have them, and
 * getifaddrs itself cannot tell "no broadcast address" (ifconfig: 0.0.0.0) from one.
 */
static napi_value ipv4_addresses(napi_env env, napi_callback_info info) {
  (void)info;
  struct ifaddrs *list;
  if (getifaddrs(&list) != 0) return throw_fs_errno(env, "getifaddrs", errno);
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    int err = errno;
    freeifaddrs(list);
    return throw_fs_errno(env, "socket", err);
  }
  napi_value result;
  napi_create_array(env, &result);
  uint32_t n = 0;
  for (struct ifaddrs *a = list; a; a = a->ifa_next) {
    if (!a->ifa_addr || a->ifa_addr->sa_family != AF_INET) continue;
    int seen = 0;  // one entry per label: SIOCGIFADDR gives its primary address
    for (struct ifaddrs *b = list; b != a && !seen; b = b->ifa_next)
      seen = b->ifa_addr && b->ifa_addr->sa_family == AF_INET && strcmp(b->ifa_name, a->ifa_name) == 0;
    if (seen) continue;
    struct ifreq req;
    memset(&req, 0, sizeof req);
    snprintf(req.ifr_name, sizeof req.ifr_name, "%s", a->ifa_name);
    if (ioctl(fd, SIOCGIFADDR, &req) != 0) continue;  // gone meanwhile
    napi_value obj, label;
    napi_create_object(env, &obj);
    napi_create_string_utf8(env, a->ifa_name, NAPI_AUTO_LENGTH, &label);
    napi_set_named_property(env, obj, "label", label);
    set_ipv4(env, obj, "address", &req.ifr_addr);
    static const struct { unsigned long request; const char *key; } more[] = {
        {SIOCGIFNETMASK, "netmask"}, {SIOCGIFBRDADDR, "broadcast"}, {SIOCGIFDSTADDR, "destination"}};
    for (size_t k = 0; k < sizeof more / sizeof more[0]; k++) {
      if (ioctl(fd, more[k].request, &req) == 0) set_ipv4(env, obj, more[k].key, &req.ifr_addr);
    }
    napi_set_element(env, result, n++, obj);
  }
  close(fd);
  freeifaddrs(list);
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
#ifdef __GLIBC__
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif
  napi_property_descriptor props[] = {
      {"tcpSockets", NULL, tcp_sockets, NULL, NULL, NULL, napi_enumerable, NULL},
      {"socketOwners", NULL, socket_owners, NULL, NULL, NULL, napi_enumerable, NULL},
      {"fdSockets", NULL, fd_sockets, NULL, NULL, NULL, napi_enumerable, NULL},
      {"watchLinks", NULL, watch_links, NULL, NULL, NULL, napi_enumerable, NULL},
      {"watchdogArm", NULL, watchdog_arm, NULL, NULL, NULL, napi_enumerable, NULL},
      {"unixSockets", NULL, unix_sockets, NULL, NULL, NULL, napi_enumerable, NULL},
      {"ipv4Addresses", NULL, ipv4_addresses, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  set_number(env, exports, "recordWords", WORDS);
  set_number(env, exports, "unixRecordWords", U_WORDS);
  return exports;
}

#ifndef NODE_GYP_MODULE_NAME
#define NODE_GYP_MODULE_NAME netwatch
#endif
NAPI_MODULE(NODE_GYP_MODULE_NAME, init)

/* ---------------------------------------------------------------------------------------------------
 * Signal watchdog for the live view (issue 15). JavaScript answers SIGTERM, SIGHUP and SIGINT only when
 * its event loop turns: libuv's handler writes to a pipe that the loop reads. If the main thread is busy
 * (a frame or a sample that runs long), the signal waits and so does the user. watchdogArm(restore,
 * graceMs) chains a handler in front of libuv's for those three (call it after the JS listeners are in
 * place, so libuv's is the one chained), saves the terminal's modes as they are now (before raw mode),
 * and starts a thread. The handler notes the signal and its time and calls libuv's as before. When a
 * noted signal is still not acted on after graceMs (JS would have exited by then), the thread writes
 * `restore` to fd 1, puts the saved modes back on fd 0, and ends the process by the signal's default
 * action. Everything here is optional: without the helper the live view relies on the loop turning.
 * ------------------------------------------------------------------------------------------------- */
#include <pthread.h>
#include <signal.h>
#include <termios.h>
#include <time.h>

static const int WATCHED[] = {SIGTERM, SIGHUP, SIGINT};
#define N_WATCHED (sizeof WATCHED / sizeof WATCHED[0])
static struct sigaction wd_previous[N_WATCHED];
static volatile sig_atomic_t wd_signal = 0;
static struct timespec wd_when;
static char *wd_restore = NULL;
static size_t wd_restore_len = 0;
static struct termios wd_termios;
static int wd_have_termios = 0;
static long wd_grace_ms = 1000;
static int wd_armed = 0;

static void wd_handler(int sig, siginfo_t *info, void *ctx) {
  if (!wd_signal) {
    clock_gettime(CLOCK_MONOTONIC, &wd_when);
    wd_signal = sig;
  }
  for (size_t i = 0; i < N_WATCHED; i++) {
    if (WATCHED[i] != sig) continue;
    struct sigaction *p = &wd_previous[i];
    if (p->sa_flags & SA_SIGINFO) {
      if (p->sa_sigaction) p->sa_sigaction(sig, info, ctx);
    } else if (p->sa_handler != SIG_DFL && p->sa_handler != SIG_IGN && p->sa_handler) {
      p->sa_handler(sig);
    }
  }
}

static void *wd_thread(void *arg) {
  (void)arg;
  for (;;) {
    struct timespec tick = {0, 50 * 1000 * 1000};
    nanosleep(&tick, NULL);
    int sig = wd_signal;
    if (!sig) continue;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long elapsed = (now.tv_sec - wd_when.tv_sec) * 1000 + (now.tv_nsec - wd_when.tv_nsec) / 1000000;
    if (elapsed < wd_grace_ms) continue;
    if (wd_restore_len) {
      ssize_t ignored = write(1, wd_restore, wd_restore_len);
      (void)ignored;
    }
    if (wd_have_termios) tcsetattr(0, TCSANOW, &wd_termios);
    signal(sig, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    kill(getpid(), sig);
    _exit(128 + sig); /* not reached unless the signal is blocked elsewhere */
  }
  return NULL;
}

static napi_value watchdog_arm(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  napi_value result;
  if (wd_armed) {
    napi_get_boolean(env, true, &result);
    return result;
  }
  size_t len = 0;
  if (argc >= 1 && napi_get_value_string_utf8(env, argv[0], NULL, 0, &len) == napi_ok) {
    wd_restore = malloc(len + 1);
    if (wd_restore && napi_get_value_string_utf8(env, argv[0], wd_restore, len + 1, &wd_restore_len) != napi_ok)
      wd_restore_len = 0;
  }
  double grace = 1000;
  if (argc >= 2) napi_get_value_double(env, argv[1], &grace);
  wd_grace_ms = grace > 0 ? (long)grace : 1000;
  wd_have_termios = isatty(0) && tcgetattr(0, &wd_termios) == 0;
  for (size_t i = 0; i < N_WATCHED; i++) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = wd_handler;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigfillset(&sa.sa_mask);
    sigaction(WATCHED[i], &sa, &wd_previous[i]);
  }
  pthread_t thread;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  /* The thread must not take the signals: the main thread's handler (libuv's, chained) does. */
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &old);
  int err = pthread_create(&thread, &attr, wd_thread, NULL);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  pthread_attr_destroy(&attr);
  wd_armed = err == 0;
  napi_get_boolean(env, wd_armed, &result);
  return result;
}
