/* The build command: round files in, PDF / XLSX / ODS out.
 *
 * A run reads every round first, and refuses before anything is written when two rounds would
 * write the same file or a round would write over an input of the run.  Then each round's
 * outputs are written to temporary names beside their final ones and put in place as one set
 * (outset.h) only when every one of them has been written, so that a reader (or a CI job that
 * publishes the folder) never sees half a file or half a round.  Several rounds build in
 * parallel with -j; one round's failure does not stop the others, and the exit status is the
 * worst of them. */
#define _GNU_SOURCE /* pthreads, realpath, timegm, malloc_trim */
#include "cli/build.h"
#include "writer/writer.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/commands.h"
#include "core/outset.h"
#include "round/parser.h"
#include "book/form.h"
#include "book/table.h"

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

/* ---- Shipped layouts ------------------------------------------------------------------- */

/* "--layout a4-landscape": a name with no folder and no ".xml" names a shipped layout. */
static bool is_layout_name(const char *arg)
{
    size_t n = strlen(arg);
    return n > 0 && strchr(arg, '/') == NULL && !(n >= 4 && strcmp(arg + n - 4, ".xml") == 0);
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void ts_layout_names(const char *data_dir, char *buf, size_t len)
{
    if (len == 0)
        return;
    buf[0] = '\0';
    char dir[PATH_MAX];
    int n = snprintf(dir, sizeof dir, "%s/layouts", data_dir);
    DIR *d = n > 0 && (size_t)n < sizeof dir ? opendir(dir) : NULL;
    if (d == NULL)
        return;
    char *names[64];
    size_t count = 0;
    for (struct dirent *e; count < sizeof names / sizeof names[0] && (e = readdir(d)) != NULL;) {
        size_t l = strlen(e->d_name);
        if (l > 4 && e->d_name[0] != '.' && strcmp(e->d_name + l - 4, ".xml") == 0 &&
            (names[count] = strndup(e->d_name, l - 4)) != NULL)
            count++;
    }
    closedir(d);
    qsort(names, count, sizeof names[0], compare_names);
    size_t used = 0;
    for (size_t i = 0; i < count; i++) {
        int m = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", names[i]);
        if (m > 0 && (size_t)m < len - used)
            used += (size_t)m;
        free(names[i]);
    }
}

/* The layout file a run reads: --layout as a path, or a shipped layout by its name, or the
 * default.  Prints the problem and returns false when a name names no shipped layout. */
static bool layout_file(const char *data_dir, const char *arg, char *buf)
{
    if (arg != NULL && !is_layout_name(arg)) {
        snprintf(buf, PATH_MAX, "%s", arg);
        return true;
    }
    int n = snprintf(buf, PATH_MAX, "%s/layouts/%s.xml", data_dir, arg ? arg : "helsinki");
    struct stat st;
    if (arg == NULL || (n > 0 && n < PATH_MAX && stat(buf, &st) == 0 && S_ISREG(st.st_mode)))
        return true;
    char names[512];
    ts_layout_names(data_dir, names, sizeof names);
    fprintf(stderr,
            "taseuranta: --layout %s: no shipped layout has this name (the shipped ones: %s, "
            "in %s/layouts); a file in this folder is named as ./%s\n"
            "try 'taseuranta --help'\n",
            arg, *names ? names : "none found", data_dir, arg);
    return false;
}

/* ---- SOURCE_DATE_EPOCH ----------------------------------------------------------------- */

/* 9999-12-31T23:59:59Z: the dates in the files have four-digit years. */
#define TS_EPOCH_MAX 253402300799LL

bool ts_epoch_parse(const char *value, ts_epoch *out, char *why, size_t why_len)
{
    *out = (ts_epoch){0};
    /* Empty is how a CI job or a test unsets it (CMake's ENVIRONMENT "SOURCE_DATE_EPOCH="). */
    if (value == NULL || *value == '\0')
        return true;
    unsigned long long v = 0;
    bool overflow = false;
    const char *p = value;
    for (; *p >= '0' && *p <= '9'; p++) {
        unsigned d = (unsigned)(*p - '0');
        if (v > (~0ULL - d) / 10)
            overflow = true;
        else
            v = v * 10 + d;
    }
    if (*p != '\0' || p == value) {
        snprintf(why, why_len,
                 "SOURCE_DATE_EPOCH='%.40s%s' is not a whole number of seconds since "
                 "1970-01-01 UTC (from 0 to %lld)",
                 value, strlen(value) > 40 ? "…" : "", TS_EPOCH_MAX);
        return false;
    }
    if (!overflow && v <= (unsigned long long)TS_EPOCH_MAX) {
        *out = (ts_epoch){.set = true, .seconds = (long long)v};
        return true;
    }
    /* Milliseconds since 1970 have had 13 digits since 2001; a few more seconds than the
     * range holds are not milliseconds. */
    if (!overflow && v >= 1000000000000ULL && v / 1000 <= (unsigned long long)TS_EPOCH_MAX)
        snprintf(why, why_len,
                 "SOURCE_DATE_EPOCH=%llu is in milliseconds; it is a number of seconds (here "
                 "%llu)",
                 v, v / 1000);
    else
        snprintf(why, why_len,
                 "SOURCE_DATE_EPOCH=%.40s%s is out of range: seconds since 1970-01-01 UTC "
                 "from 0 to %lld (the end of the year 9999)",
                 value, strlen(value) > 40 ? "…" : "", TS_EPOCH_MAX);
    return false;
}

time_t ts_build_now(const ts_round *r, ts_epoch epoch)
{
    if (epoch.set)
        return (time_t)epoch.seconds;
    struct tm tm = {0};
    tm.tm_year = r->date.year - 1900;
    tm.tm_mon = (r->date.month ? r->date.month : 1) - 1;
    tm.tm_mday = r->date.day ? r->date.day : 1;
    tm.tm_hour = 12;
    return timegm(&tm);
}

/* ---- A run ----------------------------------------------------------------------------- */

typedef ts_rc (*ts_writer)(const ts_build_ctx *ctx, const char *path, ts_diags *diags);

typedef struct format_spec {
    const char *ext;
    ts_writer write;
} format_spec;

typedef struct job {
    const char *input;
    ts_rc rc;
    ts_diags diags;
    bool diags_ok;
    ts_round *round; /* read, kept until it is built; NULL: read again then */
    char *stem;      /* the outputs' name (malloc'd); NULL when the round was refused */
    ts_lang lang;
    ts_pos where;  /* the round element, where a refusal of the whole round is reported */
    char *outputs; /* a line naming what was written, malloc'd */
} job;

typedef struct build_run build_run;
typedef void (*job_fn)(build_run *run, job *jb);

struct build_run {
    const ts_build_args *args;
    const char *out_dir; /* args->out_dir without a trailing '/' */
    const char *data_dir;
    const char *layout_path;
    const ts_layout *layout;
    ts_arena *layout_arena;
    ts_guard *guard;
    format_spec formats[3];
    size_t n_formats;
    job *jobs;
    job_fn fn;        /* what the workers do to each job */
    bool building;    /* the workers build (and show progress); else they read */
    size_t next_job;  /* under lock */
    size_t done;      /* under lock */
    size_t kept;      /* bytes of rounds kept from reading to building, under lock */
    size_t keep_most; /* the cap of kept */
    pthread_mutex_t lock;
    bool tty;
};

/* Mebibytes of read rounds a batch keeps for building (a round of 1,000 measures takes some
 * 85); past them a round is read again when its turn to be built comes. */
enum { KEEP_PARSED_MIB = 256 };

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
    struct stat st;
    if (stat(path, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}

/* ---- Reading ----------------------------------------------------------------------------- */

static ts_round *read_round(const build_run *run, const char *input, ts_diags *diags, ts_rc *rc)
{
    ts_parse_options po;
    ts_parse_options_default(&po);
    po.lint = true;
    /* A round file, or a form (a workbook) that stands for one. */
    ts_round *round = ts_round_read(input, NULL, &po, run->data_dir, diags);
    if (round == NULL) {
        *rc = ts_diags_rc(diags) == TS_SYSTEM_ERROR ? TS_SYSTEM_ERROR : TS_INPUT_ERROR;
        return NULL;
    }
    if (run->args->strict && diags->warnings > 0) {
        ts_diag_add(diags, input, (ts_pos){0, 0}, TS_ERROR, "refused under --strict: %zu warning%s",
                    diags->warnings, diags->warnings == 1 ? "" : "s");
        ts_round_free(round);
        *rc = TS_INPUT_ERROR;
        return NULL;
    }
    *rc = TS_OK;
    return round;
}

static void read_job(build_run *run, job *jb)
{
    jb->diags_ok = ts_diags_init(&jb->diags, NULL);
    if (!jb->diags_ok) {
        jb->rc = TS_SYSTEM_ERROR;
        return;
    }
    ts_round *round = read_round(run, jb->input, &jb->diags, &jb->rc);
    if (round == NULL)
        return;
    const char *stem = ts_round_stem(round->arena, round);
    jb->stem = stem ? strdup(stem) : NULL;
    if (jb->stem == NULL) {
        ts_diag_fault(&jb->diags, jb->input, (ts_pos){0, 0}, TS_FAULT_NO_MEMORY, "out of memory");
        ts_round_free(round);
        jb->rc = TS_SYSTEM_ERROR;
        return;
    }
    jb->lang = round->lang;
    jb->where = round->pos;
    size_t bytes = ts_arena_used(round->arena);
    pthread_mutex_lock(&run->lock);
    bool keep = run->kept == 0 || run->kept + bytes <= run->keep_most;
    if (keep)
        run->kept += bytes;
    pthread_mutex_unlock(&run->lock);
    if (keep)
        jb->round = round;
    else
        ts_round_free(round);
}

/* Reads a round again that was not kept from the first reading, which found its outputs'
 * names: a file that changed meanwhile is refused. */
static ts_round *read_again(const build_run *run, job *jb, ts_rc *rc)
{
    ts_diags again;
    if (!ts_diags_init(&again, NULL)) {
        *rc = TS_SYSTEM_ERROR;
        return NULL;
    }
    ts_round *round = read_round(run, jb->input, &again, rc);
    const char *stem = round ? ts_round_stem(round->arena, round) : NULL;
    if (round != NULL && stem != NULL && strcmp(stem, jb->stem) == 0) {
        ts_diags_free(&again); /* what it says was said by the first reading */
        return round;
    }
    if (round == NULL && *rc != TS_SYSTEM_ERROR)
        ts_diags_take(&jb->diags, &again);
    if (round == NULL || stem != NULL) {
        ts_diag_add(&jb->diags, jb->input, (ts_pos){0, 0}, TS_ERROR,
                    "the file changed while the batch was built; nothing was written for it");
        *rc = TS_INPUT_ERROR;
    } else {
        ts_diag_fault(&jb->diags, jb->input, (ts_pos){0, 0}, TS_FAULT_NO_MEMORY, "out of memory");
        *rc = TS_SYSTEM_ERROR;
    }
    ts_round_free(round);
    ts_diags_free(&again);
    return NULL;
}

/* ---- Refusing a run before anything is written ------------------------------------------ */

/* A file the run reads, by its identity. */
typedef struct input_file {
    dev_t dev;
    ino_t ino;
    const char *path;
    const char *what; /* "the layout", ... */
} input_file;

static void add_input(input_file *in, size_t *n, const char *path, const char *what)
{
    struct stat st;
    if (path == NULL || stat(path, &st) != 0)
        return;
    for (size_t i = 0; i < *n; i++)
        if (in[i].dev == st.st_dev && in[i].ino == st.st_ino)
            return;
    in[(*n)++] = (input_file){st.st_dev, st.st_ino, path, what};
}

static const input_file *find_input(const input_file *in, size_t n, const struct stat *st)
{
    for (size_t i = 0; i < n; i++)
        if (in[i].dev == st->st_dev && in[i].ino == st->st_ino)
            return &in[i];
    return NULL;
}

/* "out/kuva-2020-3.pdf, .xlsx and .ods" into buf. */
static void outputs_phrase(const build_run *run, const char *stem, char *buf, size_t len)
{
    int n = snprintf(buf, len, "%s/%s.%s", run->out_dir, stem, run->formats[0].ext);
    size_t used = n > 0 && (size_t)n < len ? (size_t)n : 0;
    for (size_t i = 1; used && i < run->n_formats; i++) {
        n = snprintf(buf + used, len - used, "%s.%s", i + 1 == run->n_formats ? " and " : ", ",
                     run->formats[i].ext);
        if (n > 0 && (size_t)n < len - used)
            used += (size_t)n;
    }
}

/* Two rounds that would write the same file, and an output that is a file the run reads: each
 * is an error in diags, at the round.  Returns true when there is none. */
static bool outputs_are_free(build_run *run, ts_diags *diags)
{
    const ts_build_args *args = run->args;
    size_t cap = args->n_inputs + 4 + 2 * TS_FACE_COUNT + 1;
    input_file *in = malloc(cap * sizeof *in);
    if (in == NULL) {
        ts_diag_fault(diags, NULL, (ts_pos){0, 0}, TS_FAULT_NO_MEMORY, "out of memory");
        return false;
    }
    size_t n_in = 0;
    bool langs[3] = {false, false, false};
    for (size_t i = 0; i < args->n_inputs; i++) {
        add_input(in, &n_in, run->jobs[i].input, "the round file");
        if (run->jobs[i].stem != NULL && (unsigned)run->jobs[i].lang < 3)
            langs[run->jobs[i].lang] = true;
    }
    add_input(in, &n_in, run->layout_path, "the layout");
    char labels[3][PATH_MAX];
    for (int l = 0; l < 3; l++) {
        snprintf(labels[l], PATH_MAX, "%s/layouts/labels/%s.xml", run->data_dir,
                 ts_lang_name((ts_lang)l));
        if (langs[l])
            add_input(in, &n_in, labels[l], "the label file");
    }
    for (size_t f = 0; f < TS_FACE_COUNT; f++) {
        add_input(in, &n_in, run->layout->font_files[f], "a font of the layout");
        add_input(in, &n_in, run->layout->fallback_files[f], "a font of the layout");
    }
    char icc[PATH_MAX];
    snprintf(icc, sizeof icc, "%s/layouts/icc/sRGB.icc", run->data_dir);
    if (args->pdfa && args->pdf)
        add_input(in, &n_in, icc, "the colour profile of --pdfa");

    bool free_ = true;
    for (size_t j = 0; j < args->n_inputs; j++) {
        const job *b = &run->jobs[j];
        if (b->stem == NULL)
            continue;
        char what[PATH_MAX + 64];
        outputs_phrase(run, b->stem, what, sizeof what);
        for (size_t i = 0; i < j; i++) {
            const job *a = &run->jobs[i];
            if (a->stem == NULL || strcmp(a->stem, b->stem) != 0)
                continue;
            struct stat sa, sb;
            if (stat(a->input, &sa) == 0 && stat(b->input, &sb) == 0 && sa.st_dev == sb.st_dev &&
                sa.st_ino == sb.st_ino)
                ts_diag_add(diags, b->input, b->where, TS_ERROR,
                            "this round is given twice (also as %s); each round is built once",
                            a->input);
            else
                ts_diag_add(diags, b->input, b->where, TS_ERROR,
                            "%s and this round would both write %s: both name their files "
                            "%s; give one of them another division short name "
                            "(<division short=\"...\">), or build them into different folders",
                            a->input, what, b->stem);
            free_ = false;
            break;
        }
        for (size_t f = 0; f < run->n_formats; f++) {
            char out[PATH_MAX];
            int n =
                snprintf(out, sizeof out, "%s/%s.%s", run->out_dir, b->stem, run->formats[f].ext);
            if (n < 0 || (size_t)n >= sizeof out)
                continue; /* too long a name is found when it is written */
            /* The file the name leads to, and a link standing at the name. */
            struct stat st, lst;
            const input_file *hit = NULL;
            if (stat(out, &st) == 0)
                hit = find_input(in, n_in, &st);
            if (hit == NULL && lstat(out, &lst) == 0)
                hit = find_input(in, n_in, &lst);
            if (hit == NULL)
                continue;
            ts_diag_add(diags, b->input, b->where, TS_ERROR,
                        "its output %s is %s of this run (%s); refusing to write over an input",
                        out, hit->what, hit->path);
            free_ = false;
        }
    }
    free(in);
    return free_;
}

/* ---- Building -------------------------------------------------------------------------- */

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
    if (w->rc == TS_OK && ts_diags_out_of_memory(&w->diags))
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
static size_t write_outputs(build_run *run, const ts_build_ctx *ctx, char *const temps[],
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

static ts_rc build_round(build_run *run, job *jb)
{
    const ts_build_args *args = run->args;
    ts_diags *diags = &jb->diags;
    ts_rc rc = TS_OK;
    ts_round *round = jb->round;
    jb->round = NULL;
    if (round == NULL && (round = read_again(run, jb, &rc)) == NULL)
        return rc;

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
        .now = ts_build_now(round, args->epoch),
    };

    char final_buf[3][PATH_MAX], temp_buf[3][PATH_MAX];
    char *finals[3] = {final_buf[0], final_buf[1], final_buf[2]};
    char *temps[3] = {temp_buf[0], temp_buf[1], temp_buf[2]};
    size_t made = 0; /* temporary files that exist */
    for (size_t i = 0; rc == TS_OK && i < run->n_formats; i++) {
        int n =
            snprintf(finals[i], PATH_MAX, "%s/%s.%s", run->out_dir, jb->stem, run->formats[i].ext);
        int err = n < 0 || n >= PATH_MAX
                      ? ENAMETOOLONG
                      : ts_guard_temp(run->guard, finals[i], (unsigned)(jb - run->jobs), temps[i]);
        if (err != 0) {
            ts_diag_fault(diags, n >= 0 && n < PATH_MAX ? finals[i] : run->out_dir, (ts_pos){0, 0},
                          TS_FAULT_SYSTEM, "cannot write: %s", strerror(err));
            rc = TS_SYSTEM_ERROR;
            break;
        }
        made = i + 1;
    }
    if (rc == TS_OK)
        write_outputs(run, &ctx, temps, diags, &rc);
    /* A writer names the file it writes, a temporary one: the user looks for the final. */
    for (size_t i = 0; i < made; i++)
        ts_diags_rename(diags, temps[i], finals[i]);
    /* Under --strict a warning found while writing (a character no font has) refuses the round
     * as a warning of the input does. */
    if (rc == TS_OK && args->strict && diags->warnings > 0) {
        ts_diag_add(diags, jb->input, (ts_pos){0, 0}, TS_ERROR,
                    "refused under --strict: %zu warning%s", diags->warnings,
                    diags->warnings == 1 ? "" : "s");
        rc = TS_INPUT_ERROR;
    }
    if (rc == TS_OK) {
        char lock[PATH_MAX];
        int n = snprintf(lock, sizeof lock, "%s/.%s.lock", run->out_dir, jb->stem);
        if (n < 0 || (size_t)n >= sizeof lock) {
            ts_diag_fault(diags, finals[0], (ts_pos){0, 0}, TS_FAULT_SYSTEM, "cannot write: %s",
                          strerror(ENAMETOOLONG));
            rc = TS_SYSTEM_ERROR;
        } else if (ts_guard_install(run->guard, lock, finals, temps, made, diags) != 0) {
            rc = TS_SYSTEM_ERROR;
        }
        made = 0; /* put in place, or removed */
    }
    for (size_t i = 0; i < made; i++)
        ts_guard_drop(run->guard, temps[i]);
    if (rc == TS_OK) {
        size_t len = 1;
        for (size_t i = 0; i < run->n_formats; i++)
            len += strlen(finals[i]) + 2;
        jb->outputs = malloc(len);
        if (jb->outputs) {
            jb->outputs[0] = '\0';
            for (size_t i = 0; i < run->n_formats; i++) {
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
    if (jb->diags_ok)
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

static void build_job(build_run *run, job *jb)
{
    if (jb->rc == TS_OK)
        jb->rc = build_round(run, jb);
    report(run, jb);
}

static void *worker(void *arg)
{
    build_run *run = arg;
    for (;;) {
        pthread_mutex_lock(&run->lock);
        size_t i = run->next_job++;
        if (run->building && run->tty && !run->args->quiet && i < run->args->n_inputs)
            fprintf(stderr, "\r\033[K[%zu/%zu] %s", run->done, run->args->n_inputs,
                    run->args->inputs[i]);
        pthread_mutex_unlock(&run->lock);
        if (i >= run->args->n_inputs)
            return NULL;
        run->fn(run, &run->jobs[i]);
    }
}

/* Does fn to every job, on -j threads (this one among them). */
static void run_jobs(build_run *run, job_fn fn, bool building)
{
    run->fn = fn;
    run->building = building;
    run->next_job = 0;
    size_t n_threads = run->args->jobs > 1 ? (size_t)run->args->jobs : 1;
    if (n_threads > run->args->n_inputs)
        n_threads = run->args->n_inputs;
    pthread_t threads[64];
    if (n_threads > sizeof threads / sizeof threads[0])
        n_threads = sizeof threads / sizeof threads[0];
    size_t started = 0;
    for (size_t t = 1; t < n_threads; t++) {
        if (pthread_create(&threads[started], NULL, worker, run) != 0)
            break;
        started++;
    }
    worker(run);
    for (size_t t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
}

/* Prints what reading the rounds found, then the refusals of the run. */
static void print_refused(build_run *run, ts_diags *refusals)
{
    for (size_t i = 0; i < run->args->n_inputs; i++)
        if (run->jobs[i].diags_ok)
            ts_diags_print(&run->jobs[i].diags, stderr);
    ts_diags_print(refusals, stderr);
}

static int build_all(build_run *run)
{
    const ts_build_args *args = run->args;
    run_jobs(run, read_job, false);

    ts_diags refusals;
    if (!ts_diags_init(&refusals, NULL)) {
        fprintf(stderr, "taseuranta: error: out of memory\n");
        return TS_SYSTEM_ERROR;
    }
    if (!outputs_are_free(run, &refusals)) {
        print_refused(run, &refusals);
        bool oom = ts_diags_out_of_memory(&refusals) || refusals.errors == 0;
        ts_diags_free(&refusals);
        if (!oom && !args->quiet)
            fprintf(stderr, "taseuranta: nothing was written\n");
        return oom ? TS_SYSTEM_ERROR : TS_USAGE_ERROR;
    }
    if (mkdir_p(run->out_dir) != 0) {
        ts_diag_fault(&refusals, run->out_dir, (ts_pos){0, 0}, TS_FAULT_SYSTEM,
                      "cannot create the output folder: %s", strerror(errno));
        print_refused(run, &refusals);
        ts_diags_free(&refusals);
        return TS_SYSTEM_ERROR;
    }
    ts_diags_free(&refusals);

    run_jobs(run, build_job, true);
    int rc = TS_OK;
    size_t ok = 0;
    for (size_t i = 0; i < args->n_inputs; i++) {
        /* The exit statuses are ordered by how bad they are: 3 > 2 > 1 > 0. */
        if ((int)run->jobs[i].rc > rc)
            rc = (int)run->jobs[i].rc;
        ok += run->jobs[i].rc == TS_OK;
    }
    if (run->tty && !args->quiet)
        fputs("\r\033[K", stderr);
    if (!args->quiet && args->n_inputs > 1)
        fprintf(stderr, "taseuranta: %zu of %zu rounds built, %zu failed\n", ok, args->n_inputs,
                args->n_inputs - ok);
    return rc;
}

int ts_cmd_build(const ts_build_args *args)
{
    build_run run = {.args = args};
    char data_dir[PATH_MAX];
    run.data_dir = ts_data_dir(data_dir);
    run.tty = isatty(STDERR_FILENO) != 0;
    run.keep_most = (args->keep_parsed_mib >= 0 ? (size_t)args->keep_parsed_mib : KEEP_PARSED_MIB)
                    << 20;
    if (args->pdf)
        run.formats[run.n_formats++] = (format_spec){"pdf", ts_write_pdf};
    if (args->xlsx)
        run.formats[run.n_formats++] = (format_spec){"xlsx", ts_write_xlsx};
    if (args->ods)
        run.formats[run.n_formats++] = (format_spec){"ods", ts_write_ods};
    char out_dir[PATH_MAX];
    size_t len = strlen(args->out_dir);
    while (len > 1 && args->out_dir[len - 1] == '/')
        len--;
    if (len >= sizeof out_dir) {
        fprintf(stderr, "%s: error: cannot create the output folder: %s\n", args->out_dir,
                strerror(ENAMETOOLONG));
        return TS_SYSTEM_ERROR;
    }
    memcpy(out_dir, args->out_dir, len);
    out_dir[len] = '\0';
    run.out_dir = out_dir;
    char layout_path[PATH_MAX];
    if (!layout_file(run.data_dir, args->layout, layout_path))
        return TS_USAGE_ERROR;
    run.layout_path = layout_path;

    /* Before any thread or file of the run exists. */
    run.guard = ts_guard_start();
    if (run.guard == NULL) {
        fprintf(stderr, "taseuranta: error: cannot start: %s\n", strerror(errno));
        return TS_SYSTEM_ERROR;
    }

    /* The layout is read once and shared, read-only, by every round of the batch. */
    ts_diags ldiags;
    int rc = TS_SYSTEM_ERROR;
    if (!ts_diags_init(&ldiags, NULL)) {
        fprintf(stderr, "taseuranta: error: out of memory\n");
        ts_guard_stop(run.guard);
        return rc;
    }
    run.layout_arena = ts_arena_new(NULL);
    if (run.layout_arena != NULL)
        run.layout = ts_layout_load(layout_path, run.data_dir, ts_slides_layout_needs(),
                                    run.layout_arena, &ldiags);
    ts_diags_print(&ldiags, stderr);
    if (run.layout == NULL)
        rc = run.layout_arena == NULL || ldiags.errors == 0 ? TS_SYSTEM_ERROR : TS_INPUT_ERROR;
    ts_diags_free(&ldiags);

    if (run.layout != NULL) {
        run.jobs = calloc(args->n_inputs, sizeof *run.jobs);
        if (run.jobs == NULL || pthread_mutex_init(&run.lock, NULL) != 0) {
            free(run.jobs);
            run.jobs = NULL;
            fprintf(stderr, "taseuranta: error: out of memory\n");
        } else {
            for (size_t i = 0; i < args->n_inputs; i++)
                run.jobs[i].input = args->inputs[i];
            rc = build_all(&run);
            for (size_t i = 0; i < args->n_inputs; i++) {
                job *jb = &run.jobs[i];
                if (jb->diags_ok)
                    ts_diags_free(&jb->diags);
                ts_round_free(jb->round);
                free(jb->stem);
                free(jb->outputs);
            }
            pthread_mutex_destroy(&run.lock);
            free(run.jobs);
        }
    }
    ts_arena_free(run.layout_arena);
    ts_guard_stop(run.guard);
    return rc;
}
