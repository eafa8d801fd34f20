/* A run's outputs as one set (outputs.md §3 "Outputs").
 *
 * Every output is written to a temporary file beside its final name.  A guard keeps the list of
 * a run's temporary files and removes them when the run is stopped by SIGINT, SIGTERM or SIGHUP;
 * a round's files are then put in place together, under a lock beside them that another process
 * of this program takes too, or not at all: when one of them cannot be put in place, the files
 * that were there before are put back as they were.
 *
 * The signals are taken by a thread of the guard's own that waits for them (sigwait), not by a
 * handler: it is an ordinary thread, so it can wait for a set that is being put in place to be
 * whole before it removes what is left, and the program needs no static state for it. */
#ifndef TS_OUTSET_H
#define TS_OUTSET_H

#include <stdbool.h>
#include <stddef.h>

#include "core/diag.h"
#include "core/status.h"

typedef struct ts_guard ts_guard;

/* Starts guarding: blocks SIGINT, SIGTERM and SIGHUP (those the program was not started with
 * ignored, as nohup ignores SIGHUP, or blocked) in the calling thread, so in every thread it starts
 * later, and starts the thread that waits for them.  When one comes, that thread removes every
 * temporary file of the guard and ends the process with the same signal, so that whoever
 * started it sees it stopped by that signal.  Call before any other thread is started.
 * Returns NULL, with errno set, when it cannot (out of memory, no thread). */
ts_guard *ts_guard_start(void);

/* Ends the guard (NULL does nothing): the waiting thread stops and the calling thread's signal
 * mask is put back, so a signal that came after the run's last file was put in place ends the
 * process now, with nothing left to remove. */
void ts_guard_stop(ts_guard *g);

/* Makes a new, empty temporary file beside `final` (PATH_MAX bytes at most), named
 * ".NAME.PID-TAG-NNN.tmp" in final's folder, where NNN is the first number free: created with
 * O_EXCL, it is never a file or a link someone else put there.  Writes its path into temp
 * (PATH_MAX bytes) and keeps it in the guard's list.  Returns 0, or an errno value
 * (ENAMETOOLONG when the name does not fit). */
int ts_guard_temp(ts_guard *g, const char *final, unsigned tag, char *temp);

/* Removes the temporary file and forgets it. */
void ts_guard_drop(ts_guard *g, const char *temp);

/* Puts the n temporary files in place of their finals, as one set.  Takes the lock file
 * `lock` (beside the finals; another process installing the same set waits for it), keeps a
 * way back to every final that exists (a hard link to it under a hidden name, or when the file
 * system allows no link, the file itself moved to that name), renames every temporary file
 * over its final, and only then lets the old ones go.  When one step fails, every step before
 * it is undone: the finals are what they were, the temporary files are removed, and diags says
 * which final could not be put in place and why (and, should undoing fail too, where an earlier
 * version was left).  Returns 0 or the errno value of the failed step. */
int ts_guard_install(ts_guard *g, const char *lock, char *const finals[], char *const temps[],
                     size_t n, ts_diags *diags);

/* Whether a command that writes one file (new-round, form, import) may write `output`: not over
 * its input (NULL: it has none), and not over a file that exists unless `force` (it may hold
 * someone's edits).  TS_OK, or TS_USAGE_ERROR said in diags at output, naming the command. */
ts_rc ts_output_may_write(const char *input, const char *output, bool force, const char *command,
                          ts_diags *diags);

#endif
