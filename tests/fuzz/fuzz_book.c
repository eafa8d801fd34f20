/* libFuzzer target: bytes as a workbook, through the reader (src/book/read.h), and what it
 * returns checked against the promises of read.h.
 *
 * The first byte chooses how the rest is taken (modulo 3):
 *   0  the workbook's file as it is (a zip, or anything else)
 *   1  XLSX parts, separated by the byte 0x01, packed here into a zip without compression
 *      under the names _rels/.rels, xl/workbook.xml, xl/_rels/workbook.xml.rels,
 *      xl/worksheets/sheet1.xml, xl/sharedStrings.xml, xl/styles.xml, xl/worksheets/sheet2.xml,
 *      xl/worksheets/sheet3.xml
 *   2  ODS parts the same way: mimetype (written here), content.xml, styles.xml
 * so that the fuzzer mutates the XML itself, not deflated bytes behind a checksum.  The limits
 * are smaller than the program's (4 MiB, 100,000 cells) so that an input near them stays
 * fast; the code that enforces them is the same.
 *
 * A book that is a form (it has a Kierros sheet in some language: the corpus holds forms) goes
 * on through the form reader (src/book/form_read.h), which must read it or say why it does not,
 * and whose round must make a round file that reads back.  A book that is no form but holds a
 * strategy-measure table (our own workbooks in the corpus hold one) goes through the table
 * import (src/book/import_table.h) alike.
 *
 * With TS_FUZZ_BOOK_REPLAY defined, the file gets a main that runs saved inputs without
 * libFuzzer (fuzz_book_replay FILE...), so that the corpus and every input the fuzzer found
 * are replayed in the ordinary and the sanitizer builds. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "book/form.h"
#include "book/import_table.h"
#include "book/read.h"
#include "layout/labels.h"
#include "round/parser.h"
#include "round/roundwrite.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- A zip of stored parts --------------------------------------------------------------- */

static uint32_t crc32_of(const uint8_t *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return ~c;
}

typedef struct out {
    uint8_t *p;
    size_t len, cap;
} out;

static void put(out *o, const void *s, size_t n)
{
    if (o->len + n > o->cap) {
        size_t cap = (o->len + n) * 2;
        uint8_t *p = realloc(o->p, cap);
        if (p == NULL)
            abort();
        o->p = p;
        o->cap = cap;
    }
    memcpy(o->p + o->len, s, n);
    o->len += n;
}

static void put16(out *o, uint32_t v)
{
    uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    put(o, b, 2);
}

static void put32(out *o, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    put(o, b, 4);
}

typedef struct part {
    const char *name;
    const uint8_t *data;
    size_t len;
} part;

static void zip_parts(const part *parts, size_t n, out *z)
{
    uint32_t offsets[16];
    for (size_t i = 0; i < n; i++) {
        offsets[i] = (uint32_t)z->len;
        size_t nl = strlen(parts[i].name);
        put32(z, 0x04034b50);
        put16(z, 20);
        put16(z, 0);
        put16(z, 0); /* stored */
        put32(z, 0);
        put32(z, crc32_of(parts[i].data, parts[i].len));
        put32(z, (uint32_t)parts[i].len);
        put32(z, (uint32_t)parts[i].len);
        put16(z, (uint32_t)nl);
        put16(z, 0);
        put(z, parts[i].name, nl);
        put(z, parts[i].data, parts[i].len);
    }
    size_t cd = z->len;
    for (size_t i = 0; i < n; i++) {
        size_t nl = strlen(parts[i].name);
        put32(z, 0x02014b50);
        put16(z, 20);
        put16(z, 20);
        put16(z, 0);
        put16(z, 0);
        put32(z, 0);
        put32(z, crc32_of(parts[i].data, parts[i].len));
        put32(z, (uint32_t)parts[i].len);
        put32(z, (uint32_t)parts[i].len);
        put16(z, (uint32_t)nl);
        put16(z, 0);
        put16(z, 0);
        put16(z, 0);
        put16(z, 0);
        put32(z, 0);
        put32(z, offsets[i]);
        put(z, parts[i].name, nl);
    }
    size_t cd_len = z->len - cd;
    put32(z, 0x06054b50);
    put16(z, 0);
    put16(z, 0);
    put16(z, (uint32_t)n);
    put16(z, (uint32_t)n);
    put32(z, (uint32_t)cd_len);
    put32(z, (uint32_t)cd);
    put16(z, 0);
}

static const char *const xlsx_names[] = {
    "_rels/.rels",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/worksheets/sheet1.xml",
    "xl/sharedStrings.xml",
    "xl/styles.xml",
    "xl/worksheets/sheet2.xml",
    "xl/worksheets/sheet3.xml",
};
static const char *const ods_names[] = {"mimetype", "content.xml", "styles.xml"};
static const char ods_mime[] = "application/vnd.oasis.opendocument.spreadsheet";

/* ---- What read.h promises ---------------------------------------------------------------- */

#define EXPECT(cond)                                                                               \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_book: %s:%d: broken promise: %s\n", __FILE__, __LINE__, #cond);  \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static void check_cell(const ts_wbr_sheet *s, const ts_wbr_cell *c, ts_arena *a)
{
    EXPECT(c->row < TS_WBR_MAX_ROWS && c->col < TS_WBR_MAX_COLS);
    EXPECT(c->row < s->rows && c->col < s->cols);
    EXPECT(c->type <= TS_WBR_ERROR);
    EXPECT(ts_wbr_cell_at(s, c->row, c->col) == c);
    const ts_wbr_merge *m = ts_wbr_merge_at(s, c->row, c->col);
    EXPECT(c->merge == 0 ? m == NULL : m == &s->merges[c->merge - 1]);
    for (uint32_t i = 0; i < c->run_count; i++) {
        const ts_wbr_run *r = &c->runs[i];
        EXPECT(r->len > 0 && strlen(r->text) == r->len);
        if (i > 0) {
            const ts_wbr_run *p = &c->runs[i - 1];
            EXPECT(p->bold != r->bold || p->italic != r->italic);
            EXPECT(r->text[0] != '\n');
        }
    }
    EXPECT(c->run_count == 0 || c->type == TS_WBR_STRING || c->type == TS_WBR_ERROR);
    const char *text = ts_wbr_cell_text(c, a);
    EXPECT(text != NULL);
    if (c->format) {
        EXPECT(c->format->code && c->format->prefix && c->format->suffix);
        EXPECT((unsigned)c->format->kind <= TS_WBR_FMT_TEXT);
    }
    char ref[TS_WBR_REF_SIZE];
    uint32_t r, k;
    ts_wbr_ref(c->row, c->col, ref);
    EXPECT(ts_wbr_parse_ref(ref, strlen(ref), &r, &k) && r == c->row && k == c->col);
}

static void check_book(const ts_wbr_book *b, ts_arena *a)
{
    for (size_t i = 0; i < b->sheet_count; i++) {
        const ts_wbr_sheet *s = &b->sheets[i];
        EXPECT(s->name != NULL);
        EXPECT(ts_wbr_sheet_named(b, s->name) != NULL);
        for (size_t k = 0; k < s->cell_count; k++) {
            if (k > 0) {
                const ts_wbr_cell *p = &s->cells[k - 1], *c = &s->cells[k];
                EXPECT(p->row < c->row || (p->row == c->row && p->col < c->col));
            }
            check_cell(s, &s->cells[k], a);
        }
        for (size_t k = 0; k < s->merge_count; k++) {
            const ts_wbr_merge *m = &s->merges[k];
            EXPECT(m->first_row <= m->last_row && m->first_col <= m->last_col);
            EXPECT(m->last_row < s->rows && m->last_col < s->cols);
            EXPECT(m->first_row < m->last_row || m->first_col < m->last_col);
            EXPECT(ts_wbr_merge_at(s, m->first_row, m->first_col) == m);
            EXPECT(ts_wbr_merge_at(s, m->last_row, m->last_col) == m);
            for (size_t j = k + 1; j < s->merge_count && j < k + 200; j++) {
                const ts_wbr_merge *o = &s->merges[j];
                EXPECT(o->first_row > m->last_row || o->last_row < m->first_row ||
                       o->first_col > m->last_col || o->last_col < m->first_col);
            }
        }
        size_t n;
        const ts_wbr_cell *row = ts_wbr_row(s, 0, &n);
        EXPECT((row == NULL) == (n == 0));
    }
}

/* The label files the form reader takes its words from, read once for the whole run (the
 * harness's own cache: the program reads them per round). */
static const ts_labels *const *form_labels(void)
{
    static const ts_labels *labels[3];
    static ts_arena *a; /* kept, and reachable, until the process ends */
    static bool tried;
    if (!tried) {
        tried = true;
        a = ts_arena_new(NULL);
        ts_diags d;
        if (a == NULL || !ts_diags_init(&d, NULL))
            abort();
        for (int l = 0; l < 3; l++)
            labels[l] = ts_labels_load(TS_SOURCE_DIR "/layouts/labels", (ts_lang)l, a, &d);
        ts_diags_free(&d);
    }
    return labels;
}

/* A round made of the book must make a round file that reads back. */
static void check_round_file(const ts_round *r)
{
    char *xml;
    size_t len;
    EXPECT(ts_round_xml(r, &xml, &len) == TS_OK);
    ts_diags back;
    if (!ts_diags_init(&back, NULL))
        abort();
    ts_round *again = ts_parse_memory(xml, len, "fuzz.xml", NULL, &back);
    if (again == NULL)
        ts_diags_print(&back, stderr);
    EXPECT(again != NULL);
    ts_round_free(again);
    ts_diags_free(&back);
    free(xml);
}

static void check_form(const ts_wbr_book *book, ts_arena *a)
{
    const ts_labels *const *labels = form_labels();
    ts_fbook fb;
    if (labels[0] == NULL || labels[1] == NULL || labels[2] == NULL ||
        !ts_form_view(book, "fuzz.bin", a, &fb) || ts_form_language(&fb, labels) < 0)
        return;
    ts_diags d;
    if (!ts_diags_init(&d, NULL))
        abort();
    ts_round *r = ts_form_read_book(&fb, labels, NULL, true, &d);
    /* a refusal always says why, a reading has no error */
    EXPECT(r == NULL ? d.errors > 0 || d.out_of_memory : d.errors == 0);
    if (r != NULL)
        check_round_file(r);
    FILE *null = fopen("/dev/null", "w");
    if (null) {
        ts_diags_print(&d, null);
        fclose(null);
    }
    ts_round_free(r);
    ts_diags_free(&d);
}

static void check_table(const ts_wbr_book *book, ts_arena *a)
{
    const ts_labels *const *labels = form_labels();
    ts_fbook fb;
    if (labels[0] == NULL || labels[1] == NULL || labels[2] == NULL ||
        !ts_form_view(book, "fuzz.bin", a, &fb) || ts_form_language(&fb, labels) >= 0 ||
        !ts_table_found(book, labels))
        return;
    ts_diags d;
    if (!ts_diags_init(&d, NULL))
        abort();
    ts_table_options opt;
    ts_table_options_none(&opt);
    ts_round *r = NULL;
    ts_rc rc = ts_table_import(book, labels, &opt, &d, &r);
    /* an import has no error; a refusal or a failure says why */
    EXPECT(rc == TS_OK || rc == TS_INPUT_ERROR || rc == TS_SYSTEM_ERROR);
    EXPECT((rc == TS_OK) == (r != NULL));
    EXPECT(rc == TS_OK ? d.errors == 0 : d.errors > 0);
    if (r != NULL)
        check_round_file(r);
    FILE *null = fopen("/dev/null", "w");
    if (null) {
        ts_diags_print(&d, null);
        fclose(null);
    }
    ts_round_free(r);
    ts_diags_free(&d);
}

/* Reads one input; verbose says how it went (for the replay's -v). */
static void run_one(const uint8_t *data, size_t size, bool verbose)
{
    if (size < 1)
        return;
    unsigned mode = data[0] % 3;
    data++;
    size--;
    out z = {NULL, 0, 0};
    const uint8_t *bytes = data;
    size_t len = size;
    if (mode != 0) {
        const char *const *names = mode == 1 ? xlsx_names : ods_names;
        size_t max = mode == 1 ? sizeof xlsx_names / sizeof *xlsx_names
                               : sizeof ods_names / sizeof *ods_names;
        part parts[8];
        size_t n = 0;
        if (mode == 2)
            parts[n++] = (part){ods_names[0], (const uint8_t *)ods_mime, sizeof ods_mime - 1};
        size_t start = 0;
        for (size_t i = 0; i <= size && n < max; i++) {
            if (i == size || data[i] == 0x01) {
                parts[n] = (part){names[n], data + start, i - start};
                n++;
                start = i + 1;
            }
        }
        zip_parts(parts, n, &z);
        bytes = z.p;
        len = z.len;
    }
    ts_wbr_options opt;
    ts_wbr_options_default(&opt);
    opt.limits.max_unpacked = (size_t)4 << 20;
    opt.limits.max_cells = 100000;
    opt.limits.max_entries = 1000;
    ts_arena *a = ts_arena_new(NULL);
    ts_diags diags;
    if (a == NULL || !ts_diags_init(&diags, NULL))
        abort();
    const ts_wbr_book *book = NULL;
    ts_rc st = ts_wbr_read_bytes(bytes, len, "fuzz.bin", &opt, a, &diags, &book);
    EXPECT(st == TS_OK || st == TS_INPUT_ERROR || st == TS_SYSTEM_ERROR);
    EXPECT((st == TS_OK) == (book != NULL));
    /* a refusal always says why; a reading says nothing */
    EXPECT(st == TS_OK ? diags.errors == 0 : diags.errors > 0 || diags.out_of_memory);
    if (book) {
        check_book(book, a);
        check_form(book, a);
        check_table(book, a);
    }
    if (verbose) {
        fprintf(stderr, "  mode %u: %s", mode,
                st == TS_OK            ? "read"
                : st == TS_INPUT_ERROR ? "refused"
                                       : "system failure");
        if (book) {
            fprintf(stderr, ", %zu sheets\n", book->sheet_count);
        } else {
            fputc('\n', stderr);
            ts_diags_print(&diags, stderr);
        }
    }
    FILE *null = fopen("/dev/null", "w");
    if (null) {
        ts_diags_print(&diags, null);
        fclose(null);
    }
    ts_diags_free(&diags);
    ts_arena_free(a);
    free(z.p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    run_one(data, size, false);
    return 0;
}

#ifdef TS_FUZZ_BOOK_REPLAY
#include <dirent.h>
#include <sys/stat.h>

#include "core/fileio.h"

static int replay(const char *path, bool verbose)
{
    char *file;
    size_t len;
    if (ts_read_file(path, (size_t)64 << 20, NULL, &file, &len) != 0) {
        fprintf(stderr, "fuzz_book_replay: cannot read %s\n", path);
        return 2;
    }
    if (verbose)
        fprintf(stderr, "%s\n", path);
    run_one((const uint8_t *)file, len, verbose);
    free(file);
    return 0;
}

/* fuzz_book_replay [-v] FILE|FOLDER...: each file, and each file in each folder, once; -v says
 * how each went.  A crash or a broken promise aborts; otherwise the exit status is 0. */
int main(int argc, char **argv)
{
    int rc = 0;
    size_t n = 0;
    bool verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
    for (int i = 1 + verbose; i < argc; i++) {
        struct stat st;
        DIR *d = stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode) ? opendir(argv[i]) : NULL;
        if (d == NULL) {
            rc |= replay(argv[i], verbose);
            n++;
            continue;
        }
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
            rc |= replay(path, verbose);
            n++;
        }
        closedir(d);
    }
    fprintf(stderr, "fuzz_book_replay: %zu inputs\n", n);
    return rc;
}
#endif
