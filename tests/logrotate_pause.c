/* LD_PRELOAD shim for tests/test_logrotate_generated.py: logrotate stops before every
 * call that changes a log file and waits until the test says "go".
 *
 * The windows between two of logrotate's steps last microseconds; strace can widen one
 * of them, but then the writer has to race it. Here logrotate itself stops: before each
 * open, rename, unlink, ftruncate and exec it reports the call on the socket whose
 * number is in LRPAUSE_FD ("open PATH FLAGS", "rename OLD NEW", ...) and blocks until
 * the test writes one byte back. The test writes the lines that belong in that gap
 * first, so every gap gets exactly the lines the model writes in it.
 *
 * Only the logrotate process the test started (its parent is LRPAUSE_PARENT) is
 * stopped, and its forked children until they exec: gzip and sh load this shim too,
 * but their parent is logrotate, so they run untouched. time() returns LRPAUSE_TIME,
 * so the name of a .backup file (app.log-YYYYMMDDHH.backup) is the same in every run.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

static int active;     /* this process (or a fork of it) is the logrotate under test */
static int sock = -1;
static long fixed_time = -1;

__attribute__((constructor)) static void init(void)
{
    const char *parent = getenv("LRPAUSE_PARENT"), *fd = getenv("LRPAUSE_FD");
    const char *t = getenv("LRPAUSE_TIME");
    if (parent && fd && atol(parent) == (long) getppid()) {
        active = 1;
        sock = atoi(fd);
    }
    if (t)
        fixed_time = atol(t);
}

/* Report one call and wait for the test's answer; a closed socket ends logrotate,
 * so a test that gave up never leaves it hanging. */
static void pause_at(const char *fmt, ...)
{
    char buf[4096];
    char ack;
    va_list ap;
    int n, saved = errno;

    if (!active)
        return;
    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
    va_end(ap);
    if (n < 0 || n >= (int) sizeof buf - 1)
        n = sizeof buf - 2;
    buf[n++] = '\n';
    if (write(sock, buf, n) != n || read(sock, &ack, 1) != 1)
        _exit(99);
    errno = saved;
}

typedef int (*open_fn)(const char *, int, ...);
typedef int (*__open_2_fn)(const char *, int);
typedef int (*rename_fn)(const char *, const char *);
typedef int (*unlink_fn)(const char *);
typedef int (*ftruncate_fn)(int, off_t);
typedef int (*execvp_fn)(const char *, char *const[]);
typedef time_t (*time_fn)(time_t *);

#define REAL(name) static name##_fn real_##name; \
    if (!real_##name) real_##name = (name##_fn) dlsym(RTLD_NEXT, #name)

int open(const char *path, int flags, ...)
{
    mode_t mode = 0;
    REAL(open);
    if (flags & O_CREAT) {
        va_list ap;
        va_start(ap, flags);
        mode = va_arg(ap, mode_t);
        va_end(ap);
    }
    pause_at("open %s %d", path, flags);
    return real_open(path, flags, mode);
}

/* _FORTIFY_SOURCE turns an open() without O_CREAT into __open_2(). */
int __open_2(const char *path, int flags)
{
    REAL(__open_2);
    pause_at("open %s %d", path, flags);
    return real___open_2(path, flags);
}

int rename(const char *old, const char *new)
{
    REAL(rename);
    pause_at("rename %s %s", old, new);
    return real_rename(old, new);
}

int unlink(const char *path)
{
    REAL(unlink);
    pause_at("unlink %s", path);
    return real_unlink(path);
}

int ftruncate(int fd, off_t length)
{
    REAL(ftruncate);
    pause_at("ftruncate %d %ld", fd, (long) length);
    return real_ftruncate(fd, length);
}

int execvp(const char *file, char *const argv[])
{
    REAL(execvp);
    pause_at("exec %s", file);
    return real_execvp(file, argv);
}

/* logrotate runs its scripts with execl("/bin/sh", "sh", "-c", script, ...). */
int execl(const char *path, const char *arg, ...)
{
    char *argv[64];
    int i = 0;
    va_list ap;

    argv[i++] = (char *) arg;
    va_start(ap, arg);
    while (i < 63 && (argv[i] = va_arg(ap, char *)) != NULL)
        i++;
    va_end(ap);
    argv[i] = NULL;
    pause_at("exec %s", path);
    return execv(path, argv);
}

time_t time(time_t *out)
{
    REAL(time);
    time_t now = fixed_time >= 0 ? (time_t) fixed_time : real_time(NULL);
    if (out)
        *out = now;
    return now;
}
