/* A run's outputs as one set: the guard of its temporary files, and putting a round's files in
 * place together (outset.h). */
#define _GNU_SOURCE /* SI_TKILL */
#include "core/outset.h"
#include "core/buf.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

struct ts_guard {
    /* Held while the list changes and while a set is being put in place; the waiting thread
     * takes it when a signal comes and never gives it back, so that from then on no file is
     * made, renamed or removed by anyone else until the process ends. */
    pthread_mutex_t lock;
    char **temps; /* malloc'd paths of the temporary files that exist */
    size_t n_temps, cap_temps;
    sigset_t signals;  /* the ones waited for */
    sigset_t old_mask; /* the calling thread's, put back by ts_guard_stop */
    pthread_t thread;
    bool has_thread;
    bool stopping; /* under lock: ts_guard_stop has woken the thread to end it */
};

static const int guarded[] = {SIGINT, SIGTERM, SIGHUP};

static void remove_all(ts_guard *g)
{
    for (size_t i = 0; i < g->n_temps; i++)
        unlink(g->temps[i]);
}

static void *wait_for_signals(void *arg)
{
    ts_guard *g = arg;
    for (;;) {
        siginfo_t info;
        int sig = sigwaitinfo(&g->signals, &info);
        if (sig < 0)
            continue;
        pthread_mutex_lock(&g->lock);
        /* ts_guard_stop's own wake-up call (sent by this process to this thread: glibc reports
         * tgkill's SI_TKILL as SI_USER); any other signal ends the process even now. */
        if (g->stopping && info.si_pid == getpid() &&
            (info.si_code == SI_TKILL || info.si_code == SI_USER)) {
            pthread_mutex_unlock(&g->lock);
            return NULL;
        }
        remove_all(g);
        /* The default action of these three ends the process; a signal raised in this thread,
         * where it is no longer blocked, takes it. */
        signal(sig, SIG_DFL);
        sigset_t one;
        sigemptyset(&one);
        sigaddset(&one, sig);
        pthread_sigmask(SIG_UNBLOCK, &one, NULL);
        raise(sig);
        _exit(128 + sig); /* never: the signal has ended the process */
    }
}

ts_guard *ts_guard_start(void)
{
    ts_guard *g = calloc(1, sizeof *g);
    if (g == NULL)
        return NULL;
    int err = pthread_mutex_init(&g->lock, NULL);
    if (err != 0) {
        free(g);
        errno = err;
        return NULL;
    }
    sigemptyset(&g->signals);
    sigset_t blocked;
    pthread_sigmask(SIG_BLOCK, NULL, &blocked);
    int first = 0;
    for (size_t i = 0; i < sizeof guarded / sizeof guarded[0]; i++) {
        struct sigaction sa;
        /* A signal the program was started with ignored (or blocked) stays so. */
        if ((sigaction(guarded[i], NULL, &sa) == 0 && sa.sa_handler == SIG_IGN) ||
            sigismember(&blocked, guarded[i]) == 1)
            continue;
        sigaddset(&g->signals, guarded[i]);
        if (first == 0)
            first = guarded[i];
    }
    pthread_sigmask(SIG_BLOCK, &g->signals, &g->old_mask);
    if (first != 0) {
        err = pthread_create(&g->thread, NULL, wait_for_signals, g);
        if (err != 0) {
            pthread_sigmask(SIG_SETMASK, &g->old_mask, NULL);
            pthread_mutex_destroy(&g->lock);
            free(g);
            errno = err;
            return NULL;
        }
        g->has_thread = true;
    }
    return g;
}

void ts_guard_stop(ts_guard *g)
{
    if (g == NULL)
        return;
    if (g->has_thread) {
        pthread_mutex_lock(&g->lock);
        g->stopping = true;
        pthread_mutex_unlock(&g->lock);
        for (size_t i = 0; i < sizeof guarded / sizeof guarded[0]; i++) {
            if (sigismember(&g->signals, guarded[i])) {
                pthread_kill(g->thread, guarded[i]);
                break;
            }
        }
        pthread_join(g->thread, NULL);
    }
    /* Every file has been put in place or removed by now; what a caller forgot goes too. */
    remove_all(g);
    for (size_t i = 0; i < g->n_temps; i++)
        free(g->temps[i]);
    free(g->temps);
    pthread_mutex_destroy(&g->lock);
    sigset_t old = g->old_mask;
    free(g);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/* With g->lock held. */
static int remember(ts_guard *g, const char *path)
{
    if (!ts_grow((void **)&g->temps, &g->cap_temps, g->n_temps + 1, sizeof *g->temps))
        return ENOMEM;
    char *copy = strdup(path);
    if (copy == NULL)
        return ENOMEM;
    g->temps[g->n_temps++] = copy;
    return 0;
}

/* With g->lock held. */
static void forget(ts_guard *g, const char *path)
{
    for (size_t i = 0; i < g->n_temps; i++) {
        if (strcmp(g->temps[i], path) == 0) {
            free(g->temps[i]);
            g->temps[i] = g->temps[--g->n_temps];
            return;
        }
    }
}

int ts_guard_temp(ts_guard *g, const char *final, unsigned tag, char *temp)
{
    const char *slash = strrchr(final, '/');
    int dir_len = slash ? (int)(slash - final + 1) : 0;
    const char *name = final + dir_len;
    pthread_mutex_lock(&g->lock);
    int err = EEXIST;
    for (unsigned k = 0; k < 1000 && err == EEXIST; k++) {
        int len = snprintf(temp, PATH_MAX, "%.*s.%s.%ld-%u-%03u.tmp", dir_len, final, name,
                           (long)getpid(), tag, k);
        if (len < 0 || len >= PATH_MAX) {
            err = ENAMETOOLONG;
            break;
        }
        int fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
        if (fd < 0) {
            err = errno;
            continue;
        }
        close(fd);
        err = remember(g, temp);
        if (err != 0)
            unlink(temp);
    }
    pthread_mutex_unlock(&g->lock);
    return err;
}

void ts_guard_drop(ts_guard *g, const char *temp)
{
    pthread_mutex_lock(&g->lock);
    unlink(temp);
    forget(g, temp);
    pthread_mutex_unlock(&g->lock);
}

/* ---- Putting a set in place ------------------------------------------------------------ */

/* Takes the lock file at path and returns 0 with g->lock held too, or an errno value with
 * neither held.  The file is removed by whoever holds it when they are done, so a holder
 * checks that the file it locked is still the one at the path. */
static int take_lock(ts_guard *g, const char *path, int *fd_out)
{
    for (;;) {
        pthread_mutex_lock(&g->lock);
        /* Opened before it is created: in a shared sticky folder another user's lock file
         * can be opened but not opened with O_CREAT (fs.protected_regular). */
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0 && errno == ENOENT)
            fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0) {
            int err = errno;
            pthread_mutex_unlock(&g->lock);
            if (err == EEXIST)
                continue; /* made by another process just now */
            return err;   /* ENOENT here: the folder itself is gone */
        }
        if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
            struct stat held, now;
            if (fstat(fd, &held) == 0 && lstat(path, &now) == 0 && held.st_dev == now.st_dev &&
                held.st_ino == now.st_ino) {
                *fd_out = fd;
                return 0;
            }
            close(fd);
            pthread_mutex_unlock(&g->lock);
            continue;
        }
        int err = errno;
        pthread_mutex_unlock(&g->lock);
        if (err != EWOULDBLOCK) {
            close(fd);
            return err;
        }
        /* Another process is putting its set in place: wait for it without holding the
         * guard, which a signal must be able to take meanwhile. */
        flock(fd, LOCK_EX);
        flock(fd, LOCK_UN);
        close(fd);
    }
}

static void release_lock(ts_guard *g, const char *path, int fd)
{
    unlink(path);
    close(fd);
    pthread_mutex_unlock(&g->lock);
}

typedef enum kept {
    KEPT_NOTHING, /* no final was there (or a folder, which the rename will refuse) */
    KEPT_LINK,    /* the final stays where it is; a hard link to it is the way back */
    KEPT_MOVED,   /* the final was moved to the backup name */
} kept;

/* backup (PATH_MAX bytes) becomes ".NAME.PID-TAG-NNN.oldK" from the temporary file's name. */
static bool backup_name(const char *temp, unsigned k, char *backup)
{
    size_t len = strlen(temp);
    if (len < 4)
        return false;
    int n = snprintf(backup, PATH_MAX, "%.*s.old%u", (int)(len - 4), temp, k);
    return n > 0 && n < PATH_MAX;
}

/* Keeps a way back to the file at final, if there is one. */
static int keep(const char *final, const char *temp, char *backup, kept *how)
{
    *how = KEPT_NOTHING;
    struct stat st;
    if (lstat(final, &st) != 0)
        return errno == ENOENT ? 0 : errno;
    if (S_ISDIR(st.st_mode))
        return 0;
    unsigned k = 0;
    for (; k < 100; k++) {
        if (!backup_name(temp, k, backup))
            return ENAMETOOLONG;
        if (link(final, backup) == 0) {
            *how = KEPT_LINK;
            return 0;
        }
        if (errno == ENOENT)
            return 0;
        if (errno != EEXIST)
            break;
    }
    /* No link here (a file system without them, or another user's file that
     * fs.protected_hardlinks keeps us from linking): move the file itself aside, onto a name
     * made ours first so that nothing is replaced by the move. */
    for (; k < 200; k++) {
        if (!backup_name(temp, k, backup))
            return ENAMETOOLONG;
        int fd = open(backup, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0) {
            if (errno == EEXIST)
                continue;
            return errno;
        }
        close(fd);
        if (rename(final, backup) == 0) {
            *how = KEPT_MOVED;
            return 0;
        }
        int err = errno;
        unlink(backup);
        return err == ENOENT ? 0 : err;
    }
    return EEXIST;
}

enum { MAX_SET = 8 };

int ts_guard_install(ts_guard *g, const char *lock, char *const finals[], char *const temps[],
                     size_t n, ts_diags *diags)
{
    if (n > MAX_SET)
        return EINVAL;
    int lock_fd = -1;
    int err = take_lock(g, lock, &lock_fd);
    if (err != 0) {
        for (size_t i = 0; i < n; i++)
            ts_guard_drop(g, temps[i]);
        ts_diag_fault(diags, n ? finals[0] : lock, (ts_pos){0, 0}, TS_FAULT_SYSTEM,
                      "cannot take the lock %s to put the round's files in place: %s", lock,
                      strerror(err));
        return err;
    }
    char backups[MAX_SET][PATH_MAX];
    kept how[MAX_SET];
    size_t kept_n = 0, placed = 0, failed = 0;
    const char *step = NULL;
    for (; kept_n < n; kept_n++) {
        err = keep(finals[kept_n], temps[kept_n], backups[kept_n], &how[kept_n]);
        if (err != 0) {
            failed = kept_n;
            step = "cannot replace the file that is there";
            break;
        }
    }
    for (; err == 0 && placed < n; placed++) {
        if (rename(temps[placed], finals[placed]) != 0) {
            err = errno;
            failed = placed;
            step = "cannot put the new file in place";
            break;
        }
    }
    if (err == 0) {
        for (size_t i = 0; i < n; i++) {
            if (how[i] != KEPT_NOTHING)
                unlink(backups[i]);
            forget(g, temps[i]); /* it is a final now */
        }
        release_lock(g, lock, lock_fd);
        return 0;
    }
    /* Undo, last step first. */
    ts_diag_fault(diags, finals[failed], (ts_pos){0, 0}, TS_FAULT_SYSTEM,
                  "%s: %s; every file of the round is left as it was", step, strerror(err));
    for (size_t i = kept_n; i-- > 0;) {
        bool was_placed = i < placed;
        if (how[i] == KEPT_MOVED || (how[i] == KEPT_LINK && was_placed)) {
            if (rename(backups[i], finals[i]) != 0)
                ts_diag_fault(diags, finals[i], (ts_pos){0, 0}, TS_FAULT_SYSTEM,
                              "cannot put the earlier file back (%s): it is %s", strerror(errno),
                              backups[i]);
        } else if (how[i] == KEPT_LINK) {
            unlink(backups[i]); /* a second name of the file that stayed in place */
        } else if (was_placed && unlink(finals[i]) != 0) {
            ts_diag_fault(diags, finals[i], (ts_pos){0, 0}, TS_FAULT_SYSTEM,
                          "cannot take the new file away again: %s", strerror(errno));
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (i >= placed)
            unlink(temps[i]);
        forget(g, temps[i]);
    }
    release_lock(g, lock, lock_fd);
    return err;
}

ts_rc ts_output_may_write(const char *input, const char *output, bool force, const char *command,
                          ts_diags *diags)
{
    struct stat in, out;
    if (input != NULL && stat(input, &in) == 0 && stat(output, &out) == 0 &&
        in.st_dev == out.st_dev && in.st_ino == out.st_ino) {
        ts_diag_add(diags, output, (ts_pos){0, 0}, TS_ERROR,
                    "this is the input file; name another file with -o");
        return TS_USAGE_ERROR;
    }
    if (!force && lstat(output, &out) == 0) {
        ts_diag_add(diags, output, (ts_pos){0, 0}, TS_ERROR,
                    "the file exists; %s does not replace a file (it may hold someone's edits) "
                    "unless --force is given",
                    command);
        return TS_USAGE_ERROR;
    }
    return TS_OK;
}
