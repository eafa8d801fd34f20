/* The reader's entry points: the file opened safely, the format told from the content, the
 * messages with their places, the budgets, and the look-ups on what was read. */
#define _POSIX_C_SOURCE 200809L
#include "book/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

void ts_wbr_options_default(ts_wbr_options *o)
{
    memset(o, 0, sizeof *o);
    o->limits.max_unpacked = (size_t)64 << 20;
    o->limits.max_entries = 100000;
    o->limits.max_cells = 2000000;
    o->limits.max_sheets = 10000;
}

/* ---- Messages ---------------------------------------------------------------------------- */

/* Counts an error; false when it is one too many (then the read stops, said once). */
static bool count_error(wbr_ctx *c)
{
    if (c->errors == WBR_MAX_ERRORS) {
        c->errors++;
        c->stop = true;
        ts_diag_add(c->diags, c->file, (ts_pos){0, 0}, TS_ERROR,
                    "more than %d problems; the first %d are shown", WBR_MAX_ERRORS,
                    WBR_MAX_ERRORS);
        return false;
    }
    if (c->errors > WBR_MAX_ERRORS)
        return false;
    c->errors++;
    return true;
}

static void say(wbr_ctx *c, const char *where, ts_pos pos, const char *fmt, va_list ap)
{
    if (count_error(c))
        ts_diag_addv(c->diags, where, pos, TS_ERROR, fmt, ap);
}

void wbr_error(wbr_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(c, c->file, (ts_pos){0, 0}, fmt, ap);
    va_end(ap);
}

void wbr_part_error(wbr_ctx *c, const char *part, uint32_t line, uint32_t col, const char *fmt, ...)
{
    char where[1200];
    snprintf(where, sizeof where, "%s:%s", c->file, part);
    va_list ap;
    va_start(ap, fmt);
    say(c, where, (ts_pos){line, line ? col : 0}, fmt, ap);
    va_end(ap);
}

void wbr_cell_error(wbr_ctx *c, const char *sheet, uint32_t row, uint32_t col, const char *fmt, ...)
{
    char where[1200];
    ts_wbr_where(c->file, sheet, row, col, where, sizeof where);
    va_list ap;
    va_start(ap, fmt);
    say(c, where, (ts_pos){0, 0}, fmt, ap);
    va_end(ap);
}

void wbr_ref_error(wbr_ctx *c, const char *sheet, const char *ref, size_t ref_len, const char *fmt,
                   ...)
{
    char where[1200];
    ts_wbr_where(c->file, sheet, UINT32_MAX, UINT32_MAX, where, sizeof where);
    size_t n = strlen(where);
    snprintf(where + n, sizeof where - n, "!%.*s", (int)(ref_len > 24 ? 24 : ref_len), ref);
    va_list ap;
    va_start(ap, fmt);
    say(c, where, (ts_pos){0, 0}, fmt, ap);
    va_end(ap);
}

void wbr_warning(wbr_ctx *c, const char *where, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ts_diag_addv(c->diags, where ? where : c->file, (ts_pos){0, 0}, TS_WARNING, fmt, ap);
    va_end(ap);
}

void wbr_oom(wbr_ctx *c)
{
    c->stop = true;
    c->system_failure = true;
    if (!c->oom_said) {
        c->oom_said = true;
        ts_diag_fault(c->diags, c->file, (ts_pos){0, 0}, TS_FAULT_NO_MEMORY,
                      "out of memory while reading the workbook");
    }
}

void wbr_read_failed(wbr_ctx *c, const char *part, int err)
{
    /* Said past the cap of the workbook's own problems too: the run's status comes from it. */
    c->system_failure = true;
    c->errors++;
    char where[1200];
    if (part != NULL)
        snprintf(where, sizeof where, "%s:%s", c->file, part);
    ts_diag_fault(c->diags, part != NULL ? where : c->file, (ts_pos){0, 0}, TS_FAULT_SYSTEM,
                  "cannot read the file: %s", strerror(err));
}

static const char *size_text(size_t n, char *buf, size_t cap)
{
    if (n >= (1u << 20) && n % (1u << 20) == 0)
        snprintf(buf, cap, "%zu MiB", n >> 20);
    else
        snprintf(buf, cap, "%zu bytes", n);
    return buf;
}

bool wbr_spend(wbr_ctx *c, size_t n, const char *part)
{
    if (n <= c->lim.max_unpacked && c->unpacked <= c->lim.max_unpacked - n) {
        c->unpacked += n;
        return true;
    }
    if (!c->stop) {
        char b[32];
        wbr_part_error(c, part, 0, 0,
                       "the workbook unpacks to more than %s (here, or with its text repeated); "
                       "a workbook may hold at most that",
                       size_text(c->lim.max_unpacked, b, sizeof b));
    }
    c->stop = true;
    return false;
}

bool wbr_take_sheet(wbr_ctx *c, size_t have, const char *part)
{
    if (have < c->lim.max_sheets)
        return true;
    if (!c->stop)
        wbr_part_error(c, part, 0, 0,
                       "the workbook has more than %zu sheets; a workbook may "
                       "hold at most that",
                       c->lim.max_sheets);
    c->stop = true;
    return false;
}

bool wbr_take_cells(wbr_ctx *c, size_t n, const char *sheet)
{
    if (n <= c->lim.max_cells && c->cells <= c->lim.max_cells - n) {
        c->cells += n;
        return true;
    }
    if (!c->cells_said) {
        c->cells_said = true;
        char where[1200];
        ts_wbr_where(c->file, sheet, UINT32_MAX, UINT32_MAX, where, sizeof where);
        ts_diag_add(c->diags, where, (ts_pos){0, 0}, TS_ERROR,
                    "the workbook has more than %zu cells with content and merged ranges; a "
                    "workbook may hold at most that",
                    c->lim.max_cells);
        c->errors++;
    }
    c->stop = true;
    return false;
}

/* ---- Reading ----------------------------------------------------------------------------- */

static const char *const OLE_MAGIC = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/* The first bytes say what the file is when it is no zip. */
static bool check_magic(wbr_ctx *c, const unsigned char *head, size_t n, size_t size)
{
    if (size == 0) {
        wbr_error(c, "the file is empty: an XLSX or ODS workbook is a zip archive");
        return false;
    }
    if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4)
        return true;
    if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 5 && head[3] == 6) {
        /* the end of a zip's directory, first: a zip of nothing */
        wbr_error(c, "the zip is empty: a workbook is a zip of its parts");
        return false;
    }
    if (n >= 8 && memcmp(head, OLE_MAGIC, 8) == 0) {
        wbr_error(c, "this is an Excel 97-2003 workbook (.xls) or a password-protected one; "
                     "save it as .xlsx or .ods, without a password");
        return false;
    }
    size_t k = 0;
    if (n >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF)
        k = 3;
    while (k < n && (head[k] == ' ' || head[k] == '\t' || head[k] == '\r' || head[k] == '\n'))
        k++;
    if (k < n && head[k] == '<') {
        wbr_error(c, "this is an XML file, not a workbook (a flat .fods or an Excel 2003 XML "
                     "sheet is not read); save it as .xlsx or .ods");
        return false;
    }
    wbr_error(c, "this is not a workbook: an XLSX or ODS workbook is a zip archive");
    return false;
}

typedef struct sniff {
    char buf[96];
    size_t len;
} sniff;

static bool sniff_sink(void *user, const char *data, size_t len)
{
    sniff *s = user;
    size_t room = sizeof s->buf - 1 - s->len;
    if (len > room)
        len = room;
    memcpy(s->buf + s->len, data, len);
    s->len += len;
    s->buf[s->len] = '\0';
    return s->len < sizeof s->buf - 1;
}

static ts_rc read_zip(wbr_ctx *c, const wbr_source *src, const ts_wbr_book **out)
{
    unsigned char head[16];
    size_t n = 0;
    if (src->data) {
        n = src->len < sizeof head ? src->len : sizeof head;
        memcpy(head, src->data, n);
    } else {
        ssize_t r;
        do
            r = pread(src->fd, head, sizeof head, 0);
        while (r < 0 && errno == EINTR);
        if (r < 0) {
            wbr_read_failed(c, NULL, errno);
            return TS_SYSTEM_ERROR;
        }
        n = (size_t)r;
    }
    if (!check_magic(c, head, n, src->len))
        return TS_INPUT_ERROR;
    ts_wbr_book *book = ts_arena_calloc(c->a, 1, sizeof *book);
    book = book ? book : NULL;
    if (book == NULL || (book->file = ts_arena_strdup(c->a, c->file)) == NULL) {
        wbr_oom(c);
        return TS_SYSTEM_ERROR;
    }
    bool ok = wbr_zip_open(c, src);
    if (ok) {
        sniff mt = {{0}, 0};
        int r = wbr_zip_read(c, "mimetype", sniff_sink, &mt);
        const char *ods = "application/vnd.oasis.opendocument.spreadsheet";
        if (r == 1 || (r == -1 && mt.len == sizeof mt.buf - 1)) {
            size_t l = mt.len;
            while (l > 0 &&
                   (mt.buf[l - 1] == '\n' || mt.buf[l - 1] == '\r' || mt.buf[l - 1] == ' '))
                l--;
            mt.buf[l] = '\0';
            if (strcmp(mt.buf, ods) == 0 || strcmp(mt.buf, "application/vnd.oasis.opendocument."
                                                           "spreadsheet-template") == 0) {
                book->format = TS_WBR_ODS;
                ok = wbr_read_ods(c, book);
            } else {
                wbr_error(c,
                          "the zip's mimetype is \"%.80s\": not a spreadsheet (an ODS "
                          "workbook says %s)",
                          mt.buf, ods);
                ok = false;
            }
        } else if (r == -1) {
            ok = false;
        } else if (wbr_zip_has(c, "xl/workbook.bin")) {
            wbr_error(c, "this is an Excel binary workbook (.xlsb); save it as .xlsx or .ods");
            ok = false;
        } else if (wbr_zip_has(c, "xl/workbook.xml") || wbr_zip_has(c, "_rels/.rels")) {
            book->format = TS_WBR_XLSX;
            ok = wbr_read_xlsx(c, book);
        } else {
            wbr_error(c, "the zip is neither an XLSX workbook (it has no xl/workbook.xml) nor an "
                         "ODS one (it has no mimetype)");
            ok = false;
        }
    }
    wbr_zip_close(c);
    if (ok && c->errors == 0 && !c->stop) {
        *out = book;
        return TS_OK;
    }
    if (c->errors == 0 && !c->oom_said) /* never silent */
        wbr_error(c, "the workbook cannot be read");
    return c->system_failure ? TS_SYSTEM_ERROR : TS_INPUT_ERROR;
}

static ts_rc run(const char *name, const wbr_source *src, const ts_wbr_options *opt, ts_arena *a,
                 ts_diags *diags, const ts_wbr_book **out)
{
    wbr_ctx c;
    memset(&c, 0, sizeof c);
    ts_wbr_options def;
    ts_wbr_options_default(&def);
    if (opt == NULL)
        opt = &def;
    c.a = a;
    c.diags = diags;
    c.file = name;
    c.lim = opt->limits;
    if (c.lim.max_unpacked == 0)
        c.lim.max_unpacked = def.limits.max_unpacked;
    if (c.lim.max_entries == 0)
        c.lim.max_entries = def.limits.max_entries;
    if (c.lim.max_cells == 0)
        c.lim.max_cells = def.limits.max_cells;
    if (c.lim.max_sheets == 0)
        c.lim.max_sheets = def.limits.max_sheets;
    /* The tables' hash key: from the kernel's random numbers, so that no workbook can be made
     * to collide (what is read never depends on it). */
    if (getrandom(c.hash_key, sizeof c.hash_key, GRND_NONBLOCK) != (ssize_t)sizeof c.hash_key) {
        c.hash_key[0] = (uint64_t)(uintptr_t)&c;
        c.hash_key[1] = (uint64_t)(uintptr_t)src->data ^ 0x9e3779b97f4a7c15u;
    }
    c.scratch = ts_arena_new(opt->fault);
    if (c.scratch == NULL) {
        wbr_oom(&c);
        return TS_SYSTEM_ERROR;
    }
    ts_rc st = read_zip(&c, src, out);
    ts_arena_free(c.scratch);
    return st;
}

ts_rc ts_wbr_read_bytes(const void *data, size_t len, const char *name, const ts_wbr_options *opt,
                        ts_arena *a, ts_diags *diags, const ts_wbr_book **out)
{
    *out = NULL;
    wbr_source src = {data ? data : (const void *)"", len, -1};
    return run(name, &src, opt, a, diags, out);
}

ts_rc ts_wbr_read_file(const char *path, const ts_wbr_options *opt, ts_arena *a, ts_diags *diags,
                       const ts_wbr_book **out)
{
    *out = NULL;
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        int e = errno;
        /* A path that names no readable file is the input's fault; anything else the
         * system's. */
        if (e == ENOENT || e == ENOTDIR || e == EACCES || e == ELOOP || e == ENAMETOOLONG) {
            ts_diag_add(diags, path, (ts_pos){0, 0}, TS_ERROR, "cannot open the workbook: %s",
                        strerror(e));
            return TS_INPUT_ERROR;
        }
        ts_diag_fault(diags, path, (ts_pos){0, 0}, TS_FAULT_SYSTEM, "cannot open the workbook: %s",
                      strerror(e));
        return TS_SYSTEM_ERROR;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        ts_diag_fault(diags, path, (ts_pos){0, 0}, TS_FAULT_SYSTEM, "cannot read the workbook: %s",
                      strerror(e));
        return TS_SYSTEM_ERROR;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        ts_diag_add(diags, path, (ts_pos){0, 0}, TS_ERROR,
                    "the workbook is %s, not a regular file; a workbook is read only from a file",
                    S_ISDIR(st.st_mode)                          ? "a folder"
                    : S_ISFIFO(st.st_mode)                       ? "a pipe (FIFO)"
                    : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                    : S_ISSOCK(st.st_mode)                       ? "a socket"
                                                                 : "something else");
        return TS_INPUT_ERROR;
    }
    wbr_source src = {NULL, (size_t)st.st_size, fd};
    ts_rc s = run(path, &src, opt, a, diags, out);
    close(fd);
    return s;
}

/* ---- Look-ups ---------------------------------------------------------------------------- */

char *ts_wbr_column_name(uint32_t col, char *buf)
{
    char tmp[8];
    size_t n = 0;
    uint64_t v = (uint64_t)col + 1;
    while (v > 0 && n < 7) {
        uint64_t d = (v - 1) % 26;
        tmp[n++] = (char)('A' + d);
        v = (v - 1) / 26;
    }
    for (size_t i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
    return buf;
}

char *ts_wbr_ref(uint32_t row, uint32_t col, char *buf)
{
    char c[8];
    snprintf(buf, TS_WBR_REF_SIZE, "%s%lu", ts_wbr_column_name(col, c), (unsigned long)row + 1);
    return buf;
}

bool ts_wbr_parse_ref(const char *s, size_t len, uint32_t *row, uint32_t *col)
{
    size_t i = 0;
    if (i < len && s[i] == '$')
        i++;
    uint32_t c = 0;
    size_t letters = 0;
    while (i < len && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z'))) {
        if (++letters > 3)
            return false;
        c = c * 26 + (uint32_t)((s[i] | 0x20) - 'a' + 1);
        i++;
    }
    if (letters == 0 || c > TS_WBR_MAX_COLS)
        return false;
    if (i < len && s[i] == '$')
        i++;
    uint64_t r;
    if (i >= len || s[i] == '0' || !wbr_parse_uint(s + i, len - i, TS_WBR_MAX_ROWS, &r))
        return false;
    *row = (uint32_t)r - 1;
    *col = c - 1;
    return true;
}

char *ts_wbr_where(const char *file, const char *sheet, uint32_t row, uint32_t col, char *buf,
                   size_t cap)
{
    size_t n = 0;
    /* appends s (len bytes), as much as fits */
#define PUT(s, len)                                                                                \
    do {                                                                                           \
        size_t l_ = (len);                                                                         \
        if (n + l_ >= cap)                                                                         \
            l_ = n + 1 < cap ? cap - 1 - n : 0;                                                    \
        memcpy(buf + n, (s), l_);                                                                  \
        n += l_;                                                                                   \
    } while (0)
    if (cap == 0)
        return buf;
    PUT(file, strlen(file));
    PUT(":", 1);
    bool quote = strpbrk(sheet, " :!'") != NULL;
    if (quote)
        PUT("'", 1);
    for (const char *p = sheet; *p; p++) {
        PUT(p, 1);
        if (quote && *p == '\'')
            PUT("'", 1);
    }
    if (quote)
        PUT("'", 1);
    if (row != UINT32_MAX && col != UINT32_MAX) {
        char ref[TS_WBR_REF_SIZE];
        PUT("!", 1);
        ts_wbr_ref(row, col, ref);
        PUT(ref, strlen(ref));
    }
#undef PUT
    buf[n] = '\0';
    return buf;
}

const ts_wbr_sheet *ts_wbr_sheet_named(const ts_wbr_book *b, const char *name)
{
    for (size_t i = 0; i < b->sheet_count; i++)
        if (strcmp(b->sheets[i].name, name) == 0)
            return &b->sheets[i];
    return NULL;
}

/* The first cell at or after row, col. */
static size_t lower_bound(const ts_wbr_sheet *s, uint32_t row, uint32_t col)
{
    size_t lo = 0, hi = s->cell_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const ts_wbr_cell *c = &s->cells[mid];
        if (c->row < row || (c->row == row && c->col < col))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const ts_wbr_cell *ts_wbr_cell_at(const ts_wbr_sheet *s, uint32_t row, uint32_t col)
{
    size_t i = lower_bound(s, row, col);
    if (i < s->cell_count && s->cells[i].row == row && s->cells[i].col == col)
        return &s->cells[i];
    return NULL;
}

const ts_wbr_cell *ts_wbr_row(const ts_wbr_sheet *s, uint32_t row, size_t *count)
{
    size_t i = lower_bound(s, row, 0);
    size_t j = row == UINT32_MAX ? s->cell_count : lower_bound(s, row + 1, 0);
    *count = j - i;
    return j > i ? &s->cells[i] : NULL;
}

static const ts_wbr_merge *merge_find(const ts_wbr_sheet *s, size_t lo, size_t hi, uint32_t row,
                                      uint32_t col)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->merge_reach[mid] < row)
            return NULL; /* nothing in this node reaches the row */
        const ts_wbr_merge *m = &s->merges[mid];
        if (m->first_row <= row && row <= m->last_row && m->first_col <= col && col <= m->last_col)
            return m;
        const ts_wbr_merge *l = merge_find(s, lo, mid, row, col);
        if (l)
            return l;
        if (m->first_row > row)
            return NULL; /* everything right of mid starts below the row */
        lo = mid + 1;
    }
    return NULL;
}

const ts_wbr_merge *ts_wbr_merge_at(const ts_wbr_sheet *s, uint32_t row, uint32_t col)
{
    if (s->merge_count == 0 || s->merge_reach == NULL)
        return NULL;
    return merge_find(s, 0, s->merge_count, row, col);
}

const char *ts_wbr_cell_text(const ts_wbr_cell *c, ts_arena *a)
{
    if ((c->type != TS_WBR_STRING && c->type != TS_WBR_ERROR) || c->run_count == 0)
        return "";
    if (c->run_count == 1)
        return c->runs[0].text;
    size_t n = 0;
    for (uint32_t i = 0; i < c->run_count; i++)
        n += c->runs[i].len;
    char *s = ts_arena_alloc(a, n + 1);
    if (s == NULL)
        return NULL;
    char *p = s;
    for (uint32_t i = 0; i < c->run_count; i++) {
        memcpy(p, c->runs[i].text, c->runs[i].len);
        p += c->runs[i].len;
    }
    *p = '\0';
    return s;
}
