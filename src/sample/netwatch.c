// Optional native helper (dist/netwatch.node), built by scripts/build.mjs when a C compiler and Node's
// headers are present; netwatch works without it (src/sample/native.ts falls back to /proc).
//
// tcpSockets(): every TCP socket of this network namespace from the kernel's sock_diag netlink interface
// (what `ss` uses), as fixed-size records. At 20,000 sockets the dump costs the kernel ~20 ms where
// printing /proc/net/tcp and tcp6 as text costs ~45 ms (BENCHMARKS.md), and there is no text to parse.
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
  WORDS
};

typedef struct {
  uint32_t *w;
  size_t count;  // records
  size_t cap;    // records
} Records;

static uint32_t *next_record(Records *r) {
  if (r->count == r->cap) {
    size_t cap = r->cap ? r->cap * 2 : 4096;
    uint32_t *w = realloc(r->w, cap * WORDS * sizeof(uint32_t));
    if (!w) return NULL;
    r->w = w;
    r->cap = cap;
  }
  uint32_t *rec = r->w + r->count * WORDS;
  memset(rec, 0, WORDS * sizeof(uint32_t));
  r->count++;
  return rec;
}

// TCP states 0..12 (TCP_NEW_SYN_RECV included): what /proc/net/tcp lists. Bit 13 would add the
// bound-but-inactive sockets that newer kernels can dump, which /proc does not show.
#define ALL_TCP_STATES ((1u << 13) - 1)

/** Dump one family into `out`. Returns 0, or an errno value. */
static int dump_family(int fd, uint8_t family, int with_info, Records *out, char *buf, size_t buflen) {
  struct {
    struct nlmsghdr nlh;
    struct inet_diag_req_v2 req;
  } msg;
  memset(&msg, 0, sizeof msg);
  msg.nlh.nlmsg_len = sizeof msg;
  msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  msg.nlh.nlmsg_seq = family;
  msg.req.sdiag_family = family;
  msg.req.sdiag_protocol = IPPROTO_TCP;
  msg.req.idiag_states = ALL_TCP_STATES;
  msg.req.idiag_ext = with_info ? 1 << (INET_DIAG_INFO - 1) : 0;

  struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
  if (sendto(fd, &msg, sizeof msg, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0) return errno;

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
      if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY) continue;
      if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct inet_diag_msg))) continue;
      struct inet_diag_msg *m = NLMSG_DATA(h);
      uint32_t *rec = next_record(out);
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

      struct rtattr *a = (struct rtattr *)(m + 1);
      int alen = (int)(h->nlmsg_len - NLMSG_LENGTH(sizeof *m));
      for (; RTA_OK(a, alen); a = RTA_NEXT(a, alen)) {
        if (a->rta_type != INET_DIAG_INFO) continue;
        // Kernels differ in how much of tcp_info they send: take what fits, zeros for the rest.
        struct tcp_info info;
        memset(&info, 0, sizeof info);
        size_t n = RTA_PAYLOAD(a);
        memcpy(&info, RTA_DATA(a), n < sizeof info ? n : sizeof info);
        rec[W_HAS_INFO] = 1;
        rec[W_RTO] = info.tcpi_rto;
        rec[W_ATO] = info.tcpi_ato;
        rec[W_CWND] = info.tcpi_snd_cwnd;
        rec[W_SSTHRESH] = info.tcpi_snd_ssthresh;
        rec[W_PROBES] = info.tcpi_probes;
        rec[W_TCPI_RETRANSMITS] = info.tcpi_retransmits;
      }
    }
  }
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
 * tcpSockets(withInfo = true): ArrayBuffer of records (see the word list above). Without tcp_info the dump
 * is ~20 % cheaper and the W_RTO.. words stay zero. Throws when sock_diag is unusable.
 */
static napi_value tcp_sockets(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  bool with_info = true;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc >= 1) {
    napi_valuetype type;
    napi_typeof(env, argv[0], &type);
    if (type == napi_boolean) napi_get_value_bool(env, argv[0], &with_info);
  }
  int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0) return throw_errno(env, "netlink sock_diag socket", errno);
  size_t buflen = 64 * 1024;
  char *buf = malloc(buflen);
  Records recs = {0};
  int err = buf ? 0 : ENOMEM;
  if (!err) err = dump_family(fd, AF_INET, with_info, &recs, buf, buflen);
  if (!err) err = dump_family(fd, AF_INET6, with_info, &recs, buf, buflen);
  close(fd);
  free(buf);
  if (err) {
    free(recs.w);
    return throw_errno(env, "netlink sock_diag dump", err);
  }
  void *data;
  napi_value result;
  size_t bytes = recs.count * WORDS * sizeof(uint32_t);
  if (napi_create_arraybuffer(env, bytes, &data, &result) != napi_ok) {
    free(recs.w);
    return NULL;
  }
  if (bytes) memcpy(data, recs.w, bytes);
  free(recs.w);
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
  uint32_t denied;  // of the unreadable: fd directory refused to open (EACCES), net-tools' warning rule
  int error;  // errno of opening proc_dir itself
} OwnersJob;

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
      if (errno == EACCES || errno == EPERM) job->unreadable++;
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
          forbidden = 1;
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
      job->unreadable++;
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
  napi_property_descriptor props[] = {
      {"tcpSockets", NULL, tcp_sockets, NULL, NULL, NULL, napi_enumerable, NULL},
      {"socketOwners", NULL, socket_owners, NULL, NULL, NULL, napi_enumerable, NULL},
      {"fdSockets", NULL, fd_sockets, NULL, NULL, NULL, napi_enumerable, NULL},
      {"ipv4Addresses", NULL, ipv4_addresses, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  set_number(env, exports, "recordWords", WORDS);
  return exports;
}

#ifndef NODE_GYP_MODULE_NAME
#define NODE_GYP_MODULE_NAME netwatch
#endif
NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
