/* The build command: round files in, PDF / XLSX / ODS out.
 *
 * Each output is written to a temporary name beside its final one and renamed only when every
 * output of that round has been written, so that a reader (or a CI job that publishes the
 * folder) never sees half a file or half a round.  Several rounds build in parallel with -j;
 * one round's failure does not stop the others, and the exit status is the worst of them. */
#define _GNU_SOURCE /* pthreads, realpath, timegm */
#include "build.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "parser.h"
#include "table.h"

/* ---- Where the data is ----------------------------------------------------------------- */

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool has_layouts(const char *dir)
{
    char probe[PATH_MAX];
    int n = snprintf(probe, sizeof probe, "%s/layouts/labels", dir);
    return n > 0 && (size_t)n < sizeof probe && is_dir(probe);
}

/* Fills buf (PATH_MAX bytes) with the installed data folder and returns true, or false when
 * the program does not run from an installed prefix. */
static bool data_dir_from_exe(char *buf)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return false;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash == NULL)
        return false;
    *slash = '\0';
    /* An installed program lives in <prefix>/bin beside <prefix>/share/taseuranta. */
    char candidate[PATH_MAX];
    int m = snprintf(candidate, sizeof candidate, "%s/../%s", exe, TASEURANTA_INSTALL_DATA_DIR);
    return m > 0 && (size_t)m < sizeof candidate && has_layouts(candidate) &&
           realpath(candidate, buf) != NULL;
}

const char *ts_data_dir(char *buf)
{
    const char *env = getenv("TASEURANTA_DATA");
    if (env != NULL && *env)
        return env;
    if (data_dir_from_exe(buf))
        return buf;
    return TASEURANTA_SOURCE_DATA_DIR;
}

/* ---- One round ------------------------------------------------------------------------- */

typedef ts_rc (*ts_writer)(const ts_build_ctx *ctx, const char *path, ts_diags *diags);

typedef struct format_spec {
    const char *ext;
    ts_writer write;
} format_spec;

typedef struct job {
    const char *input;
    ts_rc rc;
    ts_diags diags;
    char *outputs; /* a line naming what was written, malloc'd */
} job;

typedef struct build_run {
    const ts_build_args *args;
    const char *data_dir;
    const ts_layout *layout;
    ts_arena *layout_arena;
    format_spec formats[3];
    size_t n_formats;
    job *jobs;
    size_t next_job;
    size_t done;
    pthread_mutex_t lock;
    bool tty;
} build_run;

time_t ts_build_now(const ts_round *r)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde != NULL && *sde) {
        char *end;
        errno = 0;
        long long v = strtoll(sde, &end, 10);
        if (errno == 0 && *end == '\0' && v >= 0)
            return (time_t)v;
    }
    struct tm tm = {0};
    tm.tm_year = r->date.year - 1900;
    tm.tm_mon = (r->date.month ? r->date.month : 1) - 1;
    tm.tm_mday = r->date.day ? r->date.day : 1;
    tm.tm_hour = 12;
    return timegm(&tm);
}

static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

static int mkdir_p(const char *dir)
{
    char path[PATH_MAX];
    size_t len = strlen(dir);
    if (len == 0 || len >= sizeof path)
        return -1;
    memcpy(path, dir, len + 1);
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
        return -1;
    return is_dir(path) ? 0 : -1;
}

/* Makes the temporary file `path` (ending in "-NNN.tmp") as a new file of our own: O_EXCL
 * neither follows a link planted under that name nor takes over a file that is there (another
 * process's, or a round of this batch with the same stem), so the writer, which opens the path
 * again, writes where we meant.  Tries the next number when the name is taken. */
static bool reserve_temp(char *path, size_t len)
{
    char *num = path + len - strlen("000.tmp");
    for (unsigned k = 0; k < 1000; k++) {
        char digits[4];
        snprintf(digits, sizeof digits, "%03u", k);
        memcpy(num, digits, 3);
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) {
            close(fd);
            return true;
        }
        if (errno != EEXIST)
            return false;
    }
    return false;
}

/* One output of a round, written by run_writer (on a thread of its own for the PDF). */
typedef struct writer_job {
    const format_spec *format;
    const ts_build_ctx *ctx;
    const char *path;
    ts_diags diags;
    bool diags_ok;
    ts_rc rc;
} writer_job;

static void *run_writer(void *arg)
{
    writer_job *w = arg;
    w->rc = w->format->write(w->ctx, w->path, &w->diags);
    if (w->rc == TS_OK && w->diags.out_of_memory)
        w->rc = TS_SYSTEM_ERROR;
    return NULL;
}

/* The workbooks of a round, one after the other, from w (ended by a NULL format); with
 * stop_at_failure the first failure ends them.  When both are asked for, the table they share
 * is built once, first, and a failure of it is the first workbook's.  Returns how many of w
 * ran. */
static size_t run_books(writer_job *w, bool stop_at_failure)
{
    size_t n = 0;
    while (w[n].format != NULL)
        n++;
    ts_build_ctx shared;
    ts_arena *a = NULL;
    if (n > 1) {
        shared = *w[0].ctx;
        const ts_table *t;
        w[0].rc = ts_book_begin(&shared, w[0].path, &w[0].diags, &a, &t);
        if (w[0].rc != TS_OK)
            return 1;
        shared.table = t;
        for (size_t i = 0; i < n; i++)
            w[i].ctx = &shared;
    }
    size_t ran = 0;
    while (ran < n) {
        run_writer(&w[ran++]);
        if (stop_at_failure && w[ran - 1].rc != TS_OK)
            break;
    }
    ts_arena_free(a);
    return ran;
}

static void *books_thread(void *arg)
{
    run_books(arg, false);
    /* What the workbooks freed stays in this thread's malloc arena, where the PDF, still being
     * drawn on the other thread, cannot use it: some 20 MB of a 300-measure round's peak.  It
     * goes back to the system now. */
    malloc_trim(0);
    return NULL;
}

/* Writes the outputs of a round: the workbooks on a thread of their own beside the PDF, by far
 * the longest, when there is more than one core (the writers share only the read-only round,
 * layout and labels; each has its own arenas and libraries' documents).  Diagnostics are
 * kept per output and reported in the order of the formats, as a sequential build would.
 * Returns how many outputs were started (their temporary files may exist). */
static size_t write_outputs(build_run *run, const ts_build_ctx *ctx, char temps[][PATH_MAX],
                            ts_diags *diags, ts_rc *rc)
{
    size_t n = run->n_formats;
    writer_job w[4]; /* ended by a NULL format */
    memset(w, 0, sizeof w);
    for (size_t i = 0; i < n; i++) {
        w[i] = (writer_job){.format = &run->formats[i], .ctx = ctx, .path = temps[i]};
        w[i].diags_ok = ts_diags_init(&w[i].diags, ctx->fault);
        if (!w[i].diags_ok) {
            for (size_t k = 0; k < i; k++)
                ts_diags_free(&w[k].diags);
            *rc = TS_SYSTEM_ERROR;
            return 0;
        }
    }
    /* With the fault hook (a test) the allocation count must not depend on the scheduling. */
    bool parallel = n > 1 && ctx->fault == NULL && sysconf(_SC_NPROCESSORS_ONLN) > 1 &&
                    strcmp(run->formats[0].ext, "pdf") == 0;
    /* The PDF stays on this thread: it reuses the memory the parser freed in this thread's
     * malloc arena, where a new thread would start a new one. */
    pthread_t books;
    bool started = parallel && pthread_create(&books, NULL, books_thread, &w[1]) == 0;
    size_t ran = 0;
    if (started) {
        run_writer(&w[0]);
        pthread_join(books, NULL);
        ran = n;
    } else {
        /* the first failure stops the round */
        size_t first_book = strcmp(run->formats[0].ext, "pdf") == 0;
        if (first_book == 1) {
            run_writer(&w[0]);
            ran = 1;
        }
        if (ran == 0 || w[0].rc == TS_OK)
            ran += run_books(&w[first_book], true);
    }
    *rc = TS_OK;
    for (size_t i = 0; i < n; i++) {
        if (i < ran) {
            ts_diags_take(diags, &w[i].diags);
            if (*rc == TS_OK)
                *rc = w[i].rc;
        }
        ts_diags_free(&w[i].diags);
    }
    return ran;
}

static ts_rc build_one(build_run *run, job *jb)
{
    const ts_build_args *args = run->args;
    ts_diags *diags = &jb->diags;
    ts_parse_options po;
    ts_parse_options_default(&po);
    po.lint = true;
    ts_round *round = ts_parse_file(jb->input, NULL, &po, diags);
    if (round == NULL)
        return diags->out_of_memory && diags->errors == 0 ? TS_SYSTEM_ERROR : TS_INPUT_ERROR;
    if (args->strict && diags->warnings > 0) {
        ts_diag_add(diags, jb->input, (ts_pos){0, 0}, TS_ERROR,
                    "refused under --strict: %zu warning%s", diags->warnings,
                    diags->warnings == 1 ? "" : "s");
        ts_round_free(round);
        return TS_INPUT_ERROR;
    }

    char labels_dir[PATH_MAX];
    snprintf(labels_dir, sizeof labels_dir, "%s/layouts/labels", run->data_dir);
    const ts_labels *labels = ts_labels_load(labels_dir, round->lang, round->arena, diags);
    if (labels == NULL) {
        ts_round_free(round);
        return TS_INPUT_ERROR;
    }

    ts_build_ctx ctx = {
        .round = round,
        .layout = run->layout,
        .labels = labels,
        .data_dir = run->data_dir,
        .hyphen_dir = TASEURANTA_HYPHEN_DIR,
        .pdfa = args->pdfa,
        .untagged = args->untagged,
        .now = ts_build_now(round),
    };

    const char *stem = ts_round_stem(round->arena, round);
    char finals[3][PATH_MAX], temps[3][PATH_MAX];
    size_t written = 0;
    ts_rc rc = stem ? TS_OK : TS_SYSTEM_ERROR;
    for (size_t i = 0; rc == TS_OK && i < run->n_formats; i++) {
        const format_spec *f = &run->formats[i];
        int n1 = snprintf(finals[i], PATH_MAX, "%s/%s.%s", args->out_dir, stem, f->ext);
        /* The job's number too: rounds of one batch may share a stem. */
        int n2 = snprintf(temps[i], PATH_MAX, "%s/.%s.%s.%ld-%zu-000.tmp", args->out_dir, stem,
                          f->ext, (long)getpid(), (size_t)(jb - run->jobs));
        if (n1 < 0 || n1 >= PATH_MAX || n2 < 0 || n2 >= PATH_MAX) {
            ts_diag_add(diags, NULL, (ts_pos){0, 0}, TS_ERROR, "output path too long: %s/%s",
                        args->out_dir, stem);
            rc = TS_SYSTEM_ERROR;
            break;
        }
        if (same_file(finals[i], jb->input)) {
            ts_diag_add(diags, finals[i], (ts_pos){0, 0}, TS_ERROR,
                        "refusing to overwrite the input file %s", jb->input);
            rc = TS_USAGE_ERROR;
            break;
        }
        if (!reserve_temp(temps[i], (size_t)n2)) {
            ts_diag_add(diags, finals[i], (ts_pos){0, 0}, TS_ERROR, "cannot write: %s",
                        strerror(errno));
            rc = TS_SYSTEM_ERROR;
            break;
        }
        /* Every reserved temporary file is removed again unless the round succeeds. */
        written = i + 1;
    }
    if (rc == TS_OK)
        write_outputs(run, &ctx, temps, diags, &rc);
    /* A writer names the file it writes, a temporary one: the user looks for the final. */
    for (size_t i = 0; i < written; i++)
        ts_diags_rename(diags, temps[i], finals[i]);
    if (written > sizeof finals / sizeof finals[0])
        written = sizeof finals / sizeof finals[0]; /* never: tells the compiler */
    /* Under --strict a warning found while writing (a character no font has) refuses the round
     * as a warning of the input does. */
    if (rc == TS_OK && args->strict && diags->warnings > 0) {
        ts_diag_add(diags, jb->input, (ts_pos){0, 0}, TS_ERROR,
                    "refused under --strict: %zu warning%s", diags->warnings,
                    diags->warnings == 1 ? "" : "s");
        rc = TS_INPUT_ERROR;
    }
    if (rc == TS_OK) {
        for (size_t i = 0; i < written; i++) {
            if (rename(temps[i], finals[i]) != 0) {
                ts_diag_add(diags, finals[i], (ts_pos){0, 0}, TS_ERROR, "cannot write: %s",
                            strerror(errno));
                rc = TS_SYSTEM_ERROR;
                /* The ones already renamed go too: a round appears whole or not at all. */
                for (size_t j = 0; j < i; j++)
                    unlink(finals[j]);
                for (size_t j = i; j < written; j++)
                    unlink(temps[j]);
                break;
            }
        }
    } else {
        for (size_t i = 0; i < written; i++)
            unlink(temps[i]);
    }
    if (rc == TS_OK) {
        size_t len = 0;
        for (size_t i = 0; i < written; i++)
            len += strlen(finals[i]) + 2;
        jb->outputs = malloc(len + 1);
        if (jb->outputs) {
            jb->outputs[0] = '\0';
            for (size_t i = 0; i < written; i++) {
                if (i)
                    strcat(jb->outputs, ", ");
                strcat(jb->outputs, finals[i]);
            }
        }
    }
    ts_round_free(round);
    return rc;
}

static void report(build_run *run, job *jb)
{
    /* Diagnostics of one round stay together even when rounds build in parallel. */
    pthread_mutex_lock(&run->lock);
    run->done++;
    if (run->tty)
        fputs("\r\033[K", stderr);
    ts_diags_print(&jb->diags, stderr);
    if (!run->args->quiet && !run->tty) {
        if (jb->rc == TS_OK)
            fprintf(stderr, "%s: built %s\n", jb->input, jb->outputs ? jb->outputs : "");
        else
            fprintf(stderr, "%s: failed\n", jb->input);
    }
    if (run->tty && !run->args->quiet && run->done < run->args->n_inputs)
        fprintf(stderr, "[%zu/%zu] building…", run->done, run->args->n_inputs);
    fflush(stderr);
    pthread_mutex_unlock(&run->lock);
}

static void *worker(void *arg)
{
    build_run *run = arg;
    for (;;) {
        pthread_mutex_lock(&run->lock);
        size_t i = run->next_job++;
        if (run->tty && !run->args->quiet && i < run->args->n_inputs)
            fprintf(stderr, "\r\033[K[%zu/%zu] %s", run->done, run->args->n_inputs,
                    run->args->inputs[i]);
        pthread_mutex_unlock(&run->lock);
        if (i >= run->args->n_inputs)
            return NULL;
        job *jb = &run->jobs[i];
        if (!ts_diags_init(&jb->diags, NULL)) {
            jb->rc = TS_SYSTEM_ERROR;
            continue;
        }
        jb->rc = build_one(run, jb);
        report(run, jb);
    }
}

int ts_cmd_build(const ts_build_args *args)
{
    build_run run = {.args = args};
    char data_dir[PATH_MAX];
    run.data_dir = ts_data_dir(data_dir);
    run.tty = isatty(STDERR_FILENO) != 0;
    if (args->pdf)
        run.formats[run.n_formats++] = (format_spec){"pdf", ts_write_pdf};
    if (args->xlsx)
        run.formats[run.n_formats++] = (format_spec){"xlsx", ts_write_xlsx};
    if (args->ods)
        run.formats[run.n_formats++] = (format_spec){"ods", ts_write_ods};

    if (mkdir_p(args->out_dir) != 0) {
        fprintf(stderr, "%s: error: cannot create the output folder: %s\n", args->out_dir,
                strerror(errno));
        return TS_SYSTEM_ERROR;
    }

    /* The layout is read once and shared, read-only, by every round of the batch. */
    ts_diags ldiags;
    if (!ts_diags_init(&ldiags, NULL))
        return TS_SYSTEM_ERROR;
    run.layout_arena = ts_arena_new(NULL);
    char default_layout[PATH_MAX];
    snprintf(default_layout, sizeof default_layout, "%s/layouts/helsinki.xml", run.data_dir);
    const char *layout_path = args->layout ? args->layout : default_layout;
    if (run.layout_arena != NULL)
        run.layout = ts_layout_load(layout_path, run.data_dir, run.layout_arena, &ldiags);
    ts_diags_print(&ldiags, stderr);
    if (run.layout == NULL) {
        int rc = run.layout_arena == NULL || ldiags.errors == 0 ? TS_SYSTEM_ERROR : TS_INPUT_ERROR;
        ts_diags_free(&ldiags);
        ts_arena_free(run.layout_arena);
        return rc;
    }
    ts_diags_free(&ldiags);

    run.jobs = calloc(args->n_inputs, sizeof *run.jobs);
    if (run.jobs == NULL || pthread_mutex_init(&run.lock, NULL) != 0) {
        free(run.jobs);
        ts_arena_free(run.layout_arena);
        fprintf(stderr, "taseuranta: error: out of memory\n");
        return TS_SYSTEM_ERROR;
    }
    for (size_t i = 0; i < args->n_inputs; i++)
        run.jobs[i].input = args->inputs[i];

    size_t n_threads = args->jobs > 1 ? (size_t)args->jobs : 1;
    if (n_threads > args->n_inputs)
        n_threads = args->n_inputs;
    pthread_t threads[64];
    if (n_threads > sizeof threads / sizeof threads[0])
        n_threads = sizeof threads / sizeof threads[0];
    size_t started = 0;
    for (size_t t = 1; t < n_threads; t++) {
        if (pthread_create(&threads[started], NULL, worker, &run) != 0)
            break;
        started++;
    }
    worker(&run); /* the main thread works too */
    for (size_t t = 0; t < started; t++)
        pthread_join(threads[t], NULL);

    int rc = TS_OK;
    size_t ok = 0;
    for (size_t i = 0; i < args->n_inputs; i++) {
        /* The exit statuses are ordered by how bad they are: 3 > 2 > 1 > 0. */
        if ((int)run.jobs[i].rc > rc)
            rc = (int)run.jobs[i].rc;
        ok += run.jobs[i].rc == TS_OK;
        ts_diags_free(&run.jobs[i].diags);
        free(run.jobs[i].outputs);
    }
    if (run.tty && !args->quiet)
        fputs("\r\033[K", stderr);
    if (!args->quiet && args->n_inputs > 1)
        fprintf(stderr, "taseuranta: %zu of %zu rounds built, %zu failed\n", ok, args->n_inputs,
                args->n_inputs - ok);
    pthread_mutex_destroy(&run.lock);
    free(run.jobs);
    ts_arena_free(run.layout_arena);
    return rc;
}
