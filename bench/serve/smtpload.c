/* A small load client for bench/serve/run.sh (smtp-source has no connect-EHLO-QUIT mode and cannot
 * hold connections open). Compiled by run.sh with cc; not part of smtpspec.
 *   smtpload sessions HOST PORT PARALLEL TOTAL   connect, greeting, EHLO, QUIT; prints sessions/s
 *   smtpload hold HOST PORT N                    N connections greeted and EHLO'd, held open; prints
 *                                                "held N" when all are up, closes them at EOF on stdin
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { GREETING, EHLO, QUIT, HELD, IDLE };
struct conn {
  int fd, state;
  size_t len;
  char buf[8192];
};

static struct sockaddr_in addr;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static int open_conn(struct conn* c) {
  c->fd = socket(AF_INET, SOCK_STREAM, 0);
  if (c->fd < 0) return -1;
  int one = 1;
  setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (connect(c->fd, (struct sockaddr*)&addr, sizeof addr) != 0) {
    close(c->fd);
    return -1;
  }
  c->state = GREETING;
  c->len = 0;
  return 0;
}

/* Reads what is there; returns the reply code when a complete final reply line arrived, 0 when more
 * is needed, -1 on EOF or error. */
static int read_reply(struct conn* c) {
  ssize_t n = read(c->fd, c->buf + c->len, sizeof c->buf - c->len - 1);
  if (n <= 0) return -1;
  c->len += (size_t)n;
  c->buf[c->len] = 0;
  char* line = c->buf;
  for (char* eol; (eol = strstr(line, "\r\n")) != NULL; line = eol + 2) {
    if (eol - line >= 4 && line[3] == ' ') {
      int code = atoi(line);
      c->len = 0;
      return code;
    }
  }
  /* keep the unfinished line */
  c->len = (size_t)(c->buf + c->len - line);
  memmove(c->buf, line, c->len);
  if (c->len >= sizeof c->buf - 1) return -1;
  return 0;
}

static int say(struct conn* c, const char* s) {
  size_t n = strlen(s);
  return write(c->fd, s, n) == (ssize_t)n ? 0 : -1;
}

int main(int argc, char** argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: smtpload sessions HOST PORT PARALLEL TOTAL | hold HOST PORT N\n");
    return 2;
  }
  int hold = strcmp(argv[1], "hold") == 0;
  addr.sin_family = AF_INET;
  addr.sin_port = htons((unsigned short)atoi(argv[3]));
  inet_pton(AF_INET, argv[2], &addr.sin_addr);
  int parallel = atoi(argv[4]);
  long total = hold ? parallel : atol(argv[5]);
  struct conn* cs = calloc((size_t)parallel, sizeof *cs);
  struct pollfd* pfd = calloc((size_t)parallel + 1, sizeof *pfd);
  long started = 0, done = 0, failed = 0, held = 0;
  double t0 = now();
  for (int i = 0; i < parallel; ++i) {
    cs[i].state = IDLE;
    if (started < total && open_conn(&cs[i]) == 0) ++started;
    else if (started < total) { ++failed; ++started; }
  }
  int announced = 0;
  for (;;) {
    int n = 0;
    for (int i = 0; i < parallel; ++i) {
      pfd[i].fd = (cs[i].state == IDLE || cs[i].state == HELD) ? -1 : cs[i].fd;
      pfd[i].events = POLLIN;
      if (pfd[i].fd >= 0) ++n;
    }
    if (hold && held + failed == total && !announced) {
      printf("held %ld failed %ld\n", held, failed);
      fflush(stdout);
      announced = 1;
    }
    if (announced) {
      char b[64];
      while (read(0, b, sizeof b) > 0) {}
      break;
    }
    if (n == 0 && (hold || done + failed >= total)) break;
    if (poll(pfd, (nfds_t)parallel, 30000) <= 0) {
      fprintf(stderr, "smtpload: timeout (%ld done, %ld held, %ld failed)\n", done, held, failed);
      return 1;
    }
    for (int i = 0; i < parallel; ++i) {
      if (pfd[i].fd < 0 || !pfd[i].revents) continue;
      struct conn* c = &cs[i];
      int code = read_reply(c);
      if (code == 0) continue;
      int ok = 1;
      if (code < 0) {
        ok = 0;
      } else if (c->state == GREETING) {
        ok = code == 220 && say(c, "EHLO load.example\r\n") == 0;
        c->state = EHLO;
      } else if (c->state == EHLO && hold) {
        ok = code == 250;
        c->state = HELD;
        held += ok;
      } else if (c->state == EHLO) {
        ok = code == 250 && say(c, "QUIT\r\n") == 0;
        c->state = QUIT;
      } else if (c->state == QUIT) {
        ok = code == 221;
        if (ok) {
          ++done;
          close(c->fd);
          c->state = IDLE;
        }
      }
      if (!ok) {
        ++failed;
        close(c->fd);
        c->state = IDLE;
      }
      if (c->state == IDLE && !hold && started < total) {
        ++started;
        if (open_conn(c) != 0) ++failed;
      }
    }
  }
  double secs = now() - t0;
  if (!hold) printf("sessions %ld failed %ld seconds %.3f rate %.0f\n", done, failed, secs, done / secs);
  for (int i = 0; i < parallel; ++i)
    if (cs[i].state != IDLE) close(cs[i].fd);
  return failed ? 1 : 0;
}
