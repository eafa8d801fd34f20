/* Allocation failure: the Nth allocation of a whole run (parse, labels, layout, every writer)
 * fails, for N = 1, 2, ... until a run completes without reaching N.  Every run must end with
 * an error status or succeed, never crash, and free everything it allocated.
 *
 *   test_alloc_fail ROUND.xml [--stride K] [--from N] [--to N] [--only parse]
 *
 * This program replaces malloc, calloc, realloc, free and the aligned allocators for the whole
 * process (glibc lets a program do so and routes its own and every library's allocations
 * through them), forwards to glibc's __libc_* functions, counts the calls made while armed,
 * and keeps the blocks still live in a table so that a leak is reported with the address of
 * the code that allocated it.  Built only without the sanitizers, which replace malloc too.
 *
 * Excluded allocation sites, where a library cannot survive a NULL and our code cannot help
 * (a fault that falls on one moves on to the next allocation):
 *   - anything under libstdc++ (operator new): libvoikko is C++ behind a C API, and voikkoInit
 *     lets std::bad_alloc escape (std::string::_M_assign while it reads the dictionary), which
 *     ends the process in std::terminate; no C caller can catch it.
 *   - everything under libxlsxwriter 1.1.4: it does not survive a failed allocation.  It
 *     crashes in lxw_get_sst_index (shared_strings.c: an unchecked lxw_strdup goes into its
 *     tree), in worksheet_write_string and its siblings (worksheet.c: the unchecked result of
 *     _new_*_cell goes to _insert_cell), in lxw_new_attribute_* (xmlwriter.c: writes into an
 *     unchecked malloc), in lxw_worksheet_new's error path (lxw_worksheet_free follows pointers
 *     not yet set); and it leaks in workbook_add_worksheet and in lxw_format_get_xf_index (the
 *     format key, when lxw_insert_hash_element fails, from workbook_new_opt on).  Our handling
 *     of its failures (workbook_close failing) is tested by a full disk and a file size limit.
 *   - xmlListPushFront (libxml2 2.9.14, xmlwriter.c): xmlTextWriterStartElement and its
 *     siblings ignore its failure and leak the stack entry they made (and its name).
 *   - xmlParserInputBufferCreateMem (libxml2 2.9.14, xmlIO.c): when xmlBufAdd fails it frees
 *     the input buffer but not the xmlBuf inside it (xmlCtxtReadMemory of every XML we read).
 *   - getpwuid_r (glibc, called by voikkoInit for the home folder): a failure inside makes
 *     the dynamic loader bring in and keep another NSS module, state of the process and not
 *     of the run.
 *   - zipOpenNewFileInZip4_64 (minizip 1.1, zip.c): the central header's ALLOC is not
 *     checked before it is written to (libxlsxwriter and our ODS writer both add files so).
 *   - allocations under HPDF_Dict_Write while libharu 2.3.0 saves (HPDF_Xref_WriteToStream):
 *     there a Type0 font's before-write function (hpdf_font_cid.c) creates its descriptor and
 *     FontFile2 stream and leaks them when a later allocation (HPDF_Dict_Add, HPDF_Xref_Add,
 *     HPDF_TTFontDef_SaveFontData) fails.  A failed save is still tested: by a full disk and a
 *     file size limit (tests/tools/test_hostile.py).
 *   - HPDF_FileWriter_New (libharu 2.3.0, hpdf_streams.c): when the stream cannot be allocated
 *     it returns without closing the FILE it opened (the PDF in HPDF_SaveToFile).  Fonts reach
 *     libharu through a stream over bytes we read (src/pdf/shim.c), never its file reader.
 *   - HPDF_Page_New (libharu 2.3.0, hpdf_pages.c): its AddResource goes on after
 *     HPDF_Dict_Add(page, "Resources", resource) failed and freed `resource`, and adds
 *     "ProcSet" to the freed dictionary (a crash in HPDF_GetMem on a dead mmgr).
 *   - a malloc that libharu 2.3.0 makes itself rather than through HPDF_GetMem: UTF8_EncodeText
 *     (hpdf_encoder_utf.c, static) copies into an unchecked malloc(len * 2) for every string
 *     that HPDF_Page_ShowText draws in a UTF-8 font. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <malloc.h>

#include "writer/writer.h"
#include "round/parser.h"

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void __libc_free(void *p);
extern void *__libc_memalign(size_t align, size_t size);

/* ---- The allocator ---------------------------------------------------------------------- */

enum { TABLE_BITS = 21, TABLE_SIZE = 1 << TABLE_BITS, MAX_FRAMES = 24 };

typedef struct live_block {
    void *ptr; /* NULL: empty; TOMBSTONE: freed */
    void *caller;
    size_t size;
} live_block;

enum { TRACE_FRAMES = 10 };

#define TOMBSTONE ((void *)1)

/* The allocator's state is process-wide by nature: malloc has no context argument.  The PDF
 * writer compresses pages on a thread of its own, so every change is made under `lock`
 * (recursive: backtrace() may allocate while it is held). */
static pthread_mutex_t lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
/* backtrace() and dladdr() may allocate: those calls are not counted. */
static _Thread_local bool in_hook;

static struct {
    bool armed;
    long fail_at; /* the armed call number that fails; 0: none */
    long calls;   /* allocation calls while armed */
    long failed;  /* calls that were made to fail */
    void *failed_caller;
    void *fault_trace[TRACE_FRAMES + 4]; /* with TS_ALLOC_TRACE: the failed allocation's stack */
    long skipped;                        /* faults passed on by an excluded site */
    const char *only_under;              /* TS_ALLOC_ONLY_UNDER */
    long live;
    live_block *table;
    void *(*traces)[TRACE_FRAMES]; /* with TS_ALLOC_TRACE: each live block's stack */
} A;

static size_t slot_of(void *p)
{
    uintptr_t h = (uintptr_t)p >> 4;
    h ^= h >> 17;
    h *= 0x9E3779B97F4A7C15u;
    return (size_t)(h >> (64 - TABLE_BITS));
}

static void track_unlocked(void *p, size_t size, void *caller)
{
    if (p == NULL || A.table == NULL)
        return;
    for (size_t i = slot_of(p);; i = (i + 1) & (TABLE_SIZE - 1)) {
        if (A.table[i].ptr == NULL || A.table[i].ptr == TOMBSTONE) {
            A.table[i] = (live_block){p, caller, size};
            if (A.traces != NULL && !in_hook) {
                in_hook = true;
                memset(A.traces[i], 0, sizeof A.traces[i]);
                backtrace(A.traces[i], TRACE_FRAMES);
                in_hook = false;
            }
            A.live++;
            return;
        }
    }
}

static void untrack_unlocked(void *p)
{
    if (p == NULL || A.table == NULL || A.live == 0)
        return;
    for (size_t i = slot_of(p);; i = (i + 1) & (TABLE_SIZE - 1)) {
        if (A.table[i].ptr == NULL)
            return; /* allocated before arming */
        if (A.table[i].ptr == p) {
            A.table[i].ptr = TOMBSTONE;
            A.live--;
            return;
        }
    }
}

static void track(void *p, size_t size, void *caller)
{
    pthread_mutex_lock(&lock);
    track_unlocked(p, size, caller);
    pthread_mutex_unlock(&lock);
}

static void untrack(void *p)
{
    pthread_mutex_lock(&lock);
    untrack_unlocked(p);
    pthread_mutex_unlock(&lock);
}

/* Allocation sites that are never failed (see the top of the file): a frame in one of these
 * libraries, or in one of these functions, on the stack of the allocation. */
static const char *const excluded_libraries[] = {"libstdc++"};

static bool excluded_function(const char *name)
{
    static const char *const names[] = {
        "zipOpenNewFileInZip4_64", "xmlListPushFront", "getpwuid_r",
        "HPDF_FileWriter_New",     "HPDF_Page_New",    "xmlParserInputBufferCreateMem"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(name, names[i]) == 0)
            return true;
    return false;
}

static bool is_excluded(void *caller)
{
    void *frames[MAX_FRAMES];
    in_hook = true;
    Dl_info direct;
    if (dladdr(caller, &direct) && direct.dli_fname && strstr(direct.dli_fname, "libhpdf") &&
        !(direct.dli_sname && strcmp(direct.dli_sname, "HPDF_GetMem") == 0)) {
        in_hook = false;
        return true;
    }
    int n = backtrace(frames, MAX_FRAMES);
    bool excluded = false, saving_pdf = false, making_font_objects = false;
    bool in_xlsxwriter = false;
    for (int i = 0; i < n && !excluded; i++) {
        Dl_info info;
        if (!dladdr(frames[i], &info))
            continue;
        if (info.dli_sname && strcmp(info.dli_sname, "HPDF_Xref_WriteToStream") == 0)
            saving_pdf = true;
        if (info.dli_fname && strstr(info.dli_fname, "libxlsxwriter"))
            in_xlsxwriter = true;
        if (info.dli_sname && strcmp(info.dli_sname, "HPDF_Dict_Write") == 0)
            making_font_objects = true; /* the before-write functions run in there */
        for (size_t k = 0; k < sizeof excluded_libraries / sizeof *excluded_libraries; k++)
            excluded |= info.dli_fname && strstr(info.dli_fname, excluded_libraries[k]);
        excluded |= info.dli_sname && excluded_function(info.dli_sname);
    }
    in_hook = false;
    return excluded || (saving_pdf && making_font_objects) || in_xlsxwriter;
}

static bool under_only(const char *function)
{
    if (function == NULL)
        return true;
    void *frames[MAX_FRAMES];
    in_hook = true;
    int n = backtrace(frames, MAX_FRAMES);
    bool found = false;
    for (int i = 0; i < n && !found; i++) {
        Dl_info info;
        found = dladdr(frames[i], &info) && info.dli_sname && strcmp(info.dli_sname, function) == 0;
    }
    in_hook = false;
    return found;
}

/* Where a debugger stops to see the stack of the allocation made to fail. */
__attribute__((noinline)) void ts_alloc_fault_here(void);
__attribute__((noinline)) void ts_alloc_fault_here(void)
{
    __asm__ volatile("");
}

/* Whether this call fails: counted only while armed and outside excluded callers. */
static bool should_fail_unlocked(void *caller);

static bool should_fail(void *caller)
{
    pthread_mutex_lock(&lock);
    bool fail = should_fail_unlocked(caller);
    pthread_mutex_unlock(&lock);
    return fail;
}

static bool should_fail_unlocked(void *caller)
{
    if (!A.armed || in_hook)
        return false;
    A.calls++;
    if (A.fail_at > 0 && A.calls == A.fail_at) {
        /* An excluded site passes the fault on to the next allocation (and so does any site
         * outside TS_ALLOC_ONLY_UNDER=FUNCTION, a debugging aid to sweep one library). */
        if (is_excluded(caller) || !under_only(A.only_under)) {
            A.fail_at++;
            A.skipped++;
            return false;
        }
        A.failed++;
        A.failed_caller = caller;
        if (A.traces != NULL) {
            in_hook = true;
            memset(A.fault_trace, 0, sizeof A.fault_trace);
            backtrace(A.fault_trace, TRACE_FRAMES + 4);
            in_hook = false;
        }
        ts_alloc_fault_here();
        return true;
    }
    return false;
}

void *malloc(size_t size)
{
    void *caller = __builtin_return_address(0);
    if (should_fail(caller)) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = __libc_malloc(size);
    if (A.armed)
        track(p, size, caller);
    return p;
}

void *calloc(size_t n, size_t size)
{
    void *caller = __builtin_return_address(0);
    if (should_fail(caller)) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = __libc_calloc(n, size);
    if (A.armed)
        track(p, n * size, caller);
    return p;
}

void *realloc(void *old, size_t size)
{
    void *caller = __builtin_return_address(0);
    if (old != NULL && size == 0) {
        untrack(old);
        __libc_free(old);
        return NULL;
    }
    if (should_fail(caller)) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = __libc_realloc(old, size);
    if (p != NULL) {
        untrack(old);
        if (A.armed)
            track(p, size, caller);
    }
    return p;
}

void free(void *p)
{
    untrack(p);
    __libc_free(p);
}

static void *aligned(size_t align, size_t size, void *caller)
{
    if (should_fail(caller))
        return NULL;
    void *p = __libc_memalign(align, size);
    if (A.armed)
        track(p, size, caller);
    return p;
}

int posix_memalign(void **out, size_t align, size_t size)
{
    void *p = aligned(align, size, __builtin_return_address(0));
    if (p == NULL)
        return ENOMEM;
    *out = p;
    return 0;
}

void *aligned_alloc(size_t align, size_t size)
{
    return aligned(align, size, __builtin_return_address(0));
}

void *memalign(size_t align, size_t size)
{
    return aligned(align, size, __builtin_return_address(0));
}

void *valloc(size_t size)
{
    return aligned((size_t)sysconf(_SC_PAGESIZE), size, __builtin_return_address(0));
}

void *pvalloc(size_t size)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    return aligned(page, (size + page - 1) / page * page, __builtin_return_address(0));
}

/* ---- One run ---------------------------------------------------------------------------- */

typedef struct run_result {
    int parse;  /* -1 not reached, else ts_rc */
    int labels; /* -1 not reached, 0 ok, 1 refused */
    int layout;
    int writers[3];
    bool out_of_memory_reported;
    char first_error[160];
} run_result;

/* Memory running out is a fault of its own kind (TS_FAULT_NO_MEMORY), set where it happens. */
static bool reports_oom(const ts_diags *d)
{
    return ts_diags_out_of_memory(d);
}

static run_result run_once(const char *round_path, const char *out_dir, bool parse_only)
{
    run_result res = {-1, -1, -1, {-1, -1, -1}, false, ""};
    ts_diags diags;
    if (!ts_diags_init(&diags, NULL)) {
        res.out_of_memory_reported = true; /* main says "out of memory" then */
        return res;
    }
    ts_parse_options po;
    ts_parse_options_default(&po);
    po.lint = true;
    ts_round *round = ts_parse_file(round_path, NULL, &po, &diags);
    res.parse = round ? TS_OK : TS_INPUT_ERROR;
    const ts_labels *labels = NULL;
    const ts_layout *layout = NULL;
    ts_arena *la = NULL;
    if (round != NULL && !parse_only) {
        labels =
            ts_labels_load(TEST_SOURCE_DIR "/layouts/labels", round->lang, round->arena, &diags);
        res.labels = labels ? 0 : 1;
        la = ts_arena_new(NULL);
        layout = la ? ts_layout_load(TEST_SOURCE_DIR "/layouts/helsinki.xml", TEST_SOURCE_DIR,
                                     ts_slides_layout_needs(), la, &diags)
                    : NULL;
        res.layout = layout ? 0 : 1;
    }
    if (labels != NULL && layout != NULL) {
        ts_build_ctx ctx = {.round = round,
                            .layout = layout,
                            .labels = labels,
                            .data_dir = TEST_SOURCE_DIR,
                            .hyphen_dir = "/usr/share/hyphen",
                            .now = 1600000000,
                            .single_thread = true};
        static const char *const ext[3] = {"pdf", "xlsx", "ods"};
        ts_rc (*const write[3])(const ts_build_ctx *, const char *,
                                ts_diags *) = {ts_write_pdf, ts_write_xlsx, ts_write_ods};
        for (int i = 0; i < 3; i++) {
            char path[4200];
            snprintf(path, sizeof path, "%s/out.%s", out_dir, ext[i]);
            res.writers[i] = (int)write[i](&ctx, path, &diags);
            unlink(path);
        }
    }
    res.out_of_memory_reported = reports_oom(&diags);
    for (size_t i = 0; i < diags.list.len; i++) {
        const ts_diag *g = (const ts_diag *)diags.list.items + i;
        if (g->severity == TS_ERROR) {
            snprintf(res.first_error, sizeof res.first_error, "%s", g->message);
            break;
        }
    }
    ts_round_free(round);
    ts_arena_free(la);
    ts_diags_free(&diags);
    return res;
}

static bool all_ok(const run_result *r, bool parse_only)
{
    if (r->parse != TS_OK)
        return false;
    if (parse_only)
        return true;
    return r->labels == 0 && r->layout == 0 && r->writers[0] == TS_OK && r->writers[1] == TS_OK &&
           r->writers[2] == TS_OK;
}

static void describe(void *caller, char *buf, size_t cap)
{
    Dl_info info;
    if (dladdr(caller, &info) && info.dli_fname)
        snprintf(buf, cap, "%s (%s+0x%zx)", info.dli_sname ? info.dli_sname : "?", info.dli_fname,
                 (size_t)((uintptr_t)caller - (uintptr_t)info.dli_fbase));
    else
        snprintf(buf, cap, "%p", caller);
}

static void report_leaks(long n)
{
    fprintf(stderr, "N=%ld: %ld blocks leaked:\n", n, A.live);
    for (int k = 0; A.traces != NULL && k < TRACE_FRAMES + 4 && A.fault_trace[k]; k++) {
        char where[512];
        describe(A.fault_trace[k], where, sizeof where);
        fprintf(stderr, "    failed: %s\n", where);
    }
    int shown = 0;
    for (size_t i = 0; i < TABLE_SIZE && shown < 20; i++) {
        live_block *b = &A.table[i];
        if (b->ptr == NULL || b->ptr == TOMBSTONE)
            continue;
        Dl_info info;
        const char *obj = "?", *sym = "?";
        uintptr_t off = 0;
        if (dladdr(b->caller, &info)) {
            obj = info.dli_fname ? info.dli_fname : "?";
            sym = info.dli_sname ? info.dli_sname : "?";
            off = (uintptr_t)b->caller - (uintptr_t)info.dli_fbase;
        }
        fprintf(stderr, "  %zu bytes from %s (%s+0x%zx)\n", b->size, sym, obj, (size_t)off);
        for (int k = 0; A.traces != NULL && k < TRACE_FRAMES && A.traces[i][k]; k++) {
            char where[512];
            describe(A.traces[i][k], where, sizeof where);
            fprintf(stderr, "      %s\n", where);
        }
        shown++;
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(
            stderr,
            "usage: test_alloc_fail ROUND.xml [--stride K] [--from N] [--to N] [--only parse]\n");
        return 2;
    }
    const char *round_path = argv[1];
    long stride = 1, from = 1, to = 0;
    bool parse_only = false;
    for (int i = 2; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--stride") == 0)
            stride = atol(argv[i + 1]);
        else if (strcmp(argv[i], "--to") == 0)
            to = atol(argv[i + 1]);
        else if (strcmp(argv[i], "--from") == 0)
            from = atol(argv[i + 1]);
        else if (strcmp(argv[i], "--only") == 0)
            parse_only = strcmp(argv[i + 1], "parse") == 0;
    }
    if (stride < 1 || from < 1)
        return 2;
    A.table = __libc_calloc(TABLE_SIZE, sizeof *A.table);
    if (A.table == NULL)
        return 3;
    A.only_under = getenv("TS_ALLOC_ONLY_UNDER");
    if (getenv("TS_ALLOC_TRACE"))
        A.traces = __libc_calloc(TABLE_SIZE, sizeof *A.traces);
    void *warm_frames[4];
    backtrace(warm_frames, 4); /* loads libgcc_s now rather than inside a counted run */

    char out_dir[] = "/tmp/taseuranta-alloc-XXXXXX";
    if (mkdtemp(out_dir) == NULL)
        return 3;
    /* Libraries' one-time global set-up happens outside the counted runs: libxml2's parser
     * state, and whatever the first whole run initialises (voikko, libunibreak, fontconfig-free
     * font caches of libharu are per document). */
    xmlInitParser();
    run_result warm = run_once(round_path, out_dir, parse_only);
    if (!all_ok(&warm, parse_only)) {
        fprintf(stderr,
                "the run without a fault fails: parse %d labels %d layout %d writers %d %d %d\n",
                warm.parse, warm.labels, warm.layout, warm.writers[0], warm.writers[1],
                warm.writers[2]);
        return 1;
    }

    /* A run without a fault, counted: how many calls a whole run makes. */
    memset(A.table, 0, TABLE_SIZE * sizeof *A.table);
    A.live = 0;
    A.calls = 0;
    A.fail_at = 0;
    A.skipped = 0;
    A.armed = true;
    run_once(round_path, out_dir, parse_only);
    xmlResetLastError();
    A.armed = false;
    long total = A.calls;
    if (A.live != 0) {
        report_leaks(0);
        return 1;
    }
    fprintf(stderr, "a whole run makes %ld allocation calls; failing every %ld%s from %ld\n", total,
            stride, stride == 1 ? "st" : "th", from);

    int failures = 0;
    long runs = 0, errors = 0, tolerated = 0, unexplained = 0, skipped = 0;
    for (long n = from; to == 0 || n <= to; n += stride) {
        memset(A.table, 0, TABLE_SIZE * sizeof *A.table);
        A.live = 0;
        A.calls = 0;
        A.failed = 0;
        A.skipped = 0;
        A.fail_at = n;
        if (getenv("TS_ALLOC_TRACE"))
            fprintf(stderr, "N=%ld\n", n);
        A.armed = true;
        run_result r = run_once(round_path, out_dir, parse_only);
        /* libxml2 keeps a copy of the last error of the thread until the next one: its state,
         * not a leak of the run. */
        xmlResetLastError();
        A.armed = false;
        runs++;
        bool hit = A.failed > 0;
        skipped += A.skipped;
        bool ok = all_ok(&r, parse_only);
        if (A.live != 0) {
            report_leaks(n);
            failures++;
        }
        if (!hit) {
            if (!ok) {
                fprintf(stderr, "N=%ld: no fault, and yet the run failed\n", n);
                failures++;
            }
            break;
        }
        if (ok) {
            tolerated++; /* the library or our code coped with the NULL (a fallback, a retry) */
            if (getenv("TS_ALLOC_VERBOSE")) {
                char where[512];
                describe(A.failed_caller, where, sizeof where);
                fprintf(stderr, "N=%ld: the run succeeded all the same (failed: from %s)\n", n,
                        where);
            }
        } else {
            errors++;
            if (!r.out_of_memory_reported && ++unexplained <= 10) {
                fprintf(stderr,
                        "N=%ld: the run failed without saying it ran out of memory "
                        "(parse %d labels %d layout %d writers %d %d %d): %s\n",
                        n, r.parse, r.labels, r.layout, r.writers[0], r.writers[1], r.writers[2],
                        r.first_error);
            }
        }
        if (failures > 20)
            break;
    }
    rmdir(out_dir);
    fprintf(stderr,
            "%ld runs: %ld ended in an error (%ld of them without naming memory), %ld coped with "
            "the failed allocation, %ld faults moved on from an excluded site; %d with a leak or a "
            "wrong status\n",
            runs, errors, unexplained, tolerated, skipped, failures);
    /* A person whose build ran out of memory should be told so.  libxml2 sometimes goes on
     * after a failed allocation and ends with an error of the file (a dropped namespace, "not
     * well-formed"), which the message cannot know better: a few such runs are allowed. */
    if (unexplained * 10 > errors) {
        fprintf(stderr,
                "%ld of %ld failed runs did not say they ran out of memory (at most 10 %%)\n",
                unexplained, errors);
        return 1;
    }
    return failures ? 1 : 0;
}
