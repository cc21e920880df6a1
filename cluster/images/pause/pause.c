/*
 * klab-pause: the first process of every pod sandbox on klab's real node.
 *
 * It holds the pod's namespaces open while the pod's containers come and go, so it must do almost nothing:
 * sleep until a signal arrives, reap any child that is re-parented to it (it is PID 1 of the pod's PID namespace
 * when the pod shares one), and exit cleanly on SIGINT/SIGTERM so the runtime can stop the sandbox quickly.
 * Built static (no libc at run time), so the image is this one file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define KLAB_PAUSE_VERSION "1.0"

static void stop(int sig) {
  (void)sig;
  _exit(0);
}

static void reap(int sig) {
  (void)sig;
  int saved = errno;
  while (waitpid(-1, NULL, WNOHANG) > 0) {
  }
  errno = saved;
}

static int on(int sig, void (*fn)(int)) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = fn;
  sa.sa_flags = SA_RESTART | (sig == SIGCHLD ? SA_NOCLDSTOP : 0);
  sigemptyset(&sa.sa_mask);
  return sigaction(sig, &sa, NULL);
}

int main(int argc, char **argv) {
  if (argc > 1 && (strcmp(argv[1], "-v") == 0 || strcmp(argv[1], "--version") == 0)) {
    printf("klab-pause %s\n", KLAB_PAUSE_VERSION);
    return 0;
  }
  if (getpid() != 1) fprintf(stderr, "klab-pause: warning: not PID 1 (pid %d)\n", (int)getpid());
  if (on(SIGINT, stop) || on(SIGTERM, stop) || on(SIGCHLD, reap)) {
    perror("klab-pause: sigaction");
    return 1;
  }
  for (;;) pause();
}
