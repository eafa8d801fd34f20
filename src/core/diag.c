#include "core/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

bool ts_diags_init(ts_diags *d, ts_alloc_fault *fault)
{
    memset(d, 0, sizeof *d);
    d->arena = ts_arena_new(fault);
    return d->arena != NULL;
}

void ts_diags_free(ts_diags *d)
{
    ts_arena_free(d->arena);
    memset(d, 0, sizeof *d);
}

static bool same_file(const char *a, const char *b)
{
    return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* The record of file's messages, made when it is the first; NULL when out of memory.  Most
 * messages name the file of the one before, so that one is tried first. */
static ts_diag_file *file_entry(ts_diags *d, const char *file, bool make)
{
    ts_diag_file *files = d->files.items;
    if (d->last_file > 0 && same_file(files[d->last_file - 1].file, file))
        return &files[d->last_file - 1];
    for (size_t i = 0; i < d->files.len; i++)
        if (same_file(files[i].file, file)) {
            d->last_file = i + 1;
            return &files[i];
        }
    if (!make)
        return NULL;
    const char *name = file ? ts_arena_strdup(d->arena, file) : NULL;
    ts_diag_file *f = file && !name ? NULL : ts_vec_push(d->arena, &d->files, sizeof *f);
    if (f == NULL)
        return NULL;
    f->file = name;
    d->last_file = d->files.len;
    return f;
}

bool ts_diag_full(ts_diags *d, const char *file, ts_severity sev)
{
    const ts_diag_file *f = file_entry(d, file, false);
    return f != NULL && f->kept[sev] >= TS_DIAG_CAP;
}

const char *ts_fault_name(ts_fault f)
{
    static const char *const names[] = {"input", "system", "out of memory"};
    return (unsigned)f < sizeof names / sizeof names[0] ? names[f] : "?";
}

static void add(ts_diags *d, const char *file, ts_pos pos, ts_severity sev, ts_fault fault,
                const char *fmt, va_list ap)
{
    if (sev == TS_ERROR) {
        d->errors++;
        d->system_errors += fault == TS_FAULT_SYSTEM;
        d->no_memory_errors += fault == TS_FAULT_NO_MEMORY;
    } else {
        d->warnings++;
    }
    ts_diag_file *f = file_entry(d, file, true);
    if (f == NULL) {
        d->out_of_memory = true;
        return;
    }
    if (f->kept[sev] >= TS_DIAG_CAP) {
        f->hidden[sev]++;
        return;
    }
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    char *msg = n < 0 ? NULL : ts_arena_alloc(d->arena, (size_t)n + 1);
    const char *sheet =
        pos.sheet && pos.sheet->name ? ts_arena_strdup(d->arena, pos.sheet->name) : NULL;
    bool copied = msg && (sheet || !pos.sheet || !pos.sheet->name);
    ts_diag *slot = copied ? ts_vec_push(d->arena, &d->list, sizeof *slot) : NULL;
    if (slot == NULL) {
        d->out_of_memory = true;
        return;
    }
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    f->kept[sev]++;
    slot->file = f->file;
    slot->pos = (ts_pos){pos.line, pos.col, NULL};
    slot->sheet = sheet;
    slot->sheet_order = sheet ? pos.sheet->order : 0;
    slot->severity = sev;
    slot->fault = sev == TS_ERROR ? fault : TS_FAULT_INPUT;
    slot->message = msg;
    slot->seq = d->list.len - 1;
}

void ts_diag_addv(ts_diags *d, const char *file, ts_pos pos, ts_severity sev, const char *fmt,
                  va_list ap)
{
    add(d, file, pos, sev, TS_FAULT_INPUT, fmt, ap);
}

void ts_diag_add(ts_diags *d, const char *file, ts_pos pos, ts_severity sev, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add(d, file, pos, sev, TS_FAULT_INPUT, fmt, ap);
    va_end(ap);
}

void ts_diag_faultv(ts_diags *d, const char *file, ts_pos pos, ts_fault fault, const char *fmt,
                    va_list ap)
{
    add(d, file, pos, TS_ERROR, fault, fmt, ap);
}

void ts_diag_fault(ts_diags *d, const char *file, ts_pos pos, ts_fault fault, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add(d, file, pos, TS_ERROR, fault, fmt, ap);
    va_end(ap);
}

bool ts_diags_out_of_memory(const ts_diags *d)
{
    return d->out_of_memory || d->no_memory_errors > 0;
}

ts_rc ts_diags_rc(const ts_diags *d)
{
    if (ts_diags_out_of_memory(d) || d->system_errors > 0)
        return TS_SYSTEM_ERROR;
    return d->errors > 0 ? TS_INPUT_ERROR : TS_OK;
}

static int diag_cmp(const void *pa, const void *pb)
{
    const ts_diag *a = pa, *b = pb;
    if ((a->file == NULL) != (b->file == NULL))
        return a->file == NULL ? -1 : 1;
    int c = a->file ? strcmp(a->file, b->file) : 0;
    if (c)
        return c;
    /* The workbook's own problems first, then sheet by sheet in the workbook's order. */
    if ((a->sheet != NULL) != (b->sheet != NULL))
        return a->sheet ? 1 : -1;
    if (a->sheet && a->sheet_order != b->sheet_order)
        return a->sheet_order < b->sheet_order ? -1 : 1;
    if (a->sheet && (c = strcmp(a->sheet, b->sheet)) != 0)
        return c;
    if (a->pos.line != b->pos.line)
        return a->pos.line < b->pos.line ? -1 : 1;
    if (a->pos.col != b->pos.col)
        return a->pos.col < b->pos.col ? -1 : 1;
    /* qsort is not stable: the order of arrival decides. */
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* One line of output is built here and written at once: standard error is unbuffered, and a
 * character at a time would be a system call each. */
typedef struct line_buf {
    FILE *out;
    size_t len;
    char bytes[4096];
} line_buf;

static void lb_flush(line_buf *b)
{
    if (b->len > 0)
        fwrite(b->bytes, 1, b->len, b->out);
    b->len = 0;
}

static void lb_put(line_buf *b, const char *s, size_t n)
{
    while (n > 0) {
        if (b->len == sizeof b->bytes)
            lb_flush(b);
        size_t room = sizeof b->bytes - b->len, k = n < room ? n : room;
        memcpy(b->bytes + b->len, s, k);
        b->len += k;
        s += k;
        n -= k;
    }
}

static void lb_printf(line_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void lb_printf(line_buf *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0)
        lb_put(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* Puts s with every character that could act on a terminal or break the one-line format
 * shown as <U+XXXX>: C0 and C1 controls (U+009B is CSI), DEL, and the bidirectional controls
 * that make a line read differently from what it holds.  Messages quote the input, which is
 * not trusted. */
static void put_safe(line_buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned cp = 0;
        size_t n = 1;
        if (*p < 0x20 || *p == 0x7F)
            cp = *p;
        else if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
            cp = p[1], n = 2;
        else if (p[0] == 0xD8 && p[1] == 0x9C)
            cp = 0x061C, n = 2;
        else if (p[0] == 0xE2 && p[1] == 0x80 &&
                 (p[2] == 0x8E || p[2] == 0x8F || (p[2] >= 0xAA && p[2] <= 0xAE)))
            cp = 0x2000u + (p[2] & 0x3Fu), n = 3;
        else if (p[0] == 0xE2 && p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9)
            cp = 0x2040u + (p[2] & 0x3Fu), n = 3;
        if (n == 1 && cp == 0 && *p >= 0x20) {
            lb_put(b, (const char *)p, 1);
            p++;
            continue;
        }
        lb_printf(b, "<U+%04X>", cp);
        p += n;
    }
}

/* "FILE: error: 9900 more errors and 3 more warnings in FILE are not shown" */
static void print_hidden(line_buf *b, const ts_diag_file *f)
{
    size_t e = f->hidden[TS_ERROR], w = f->hidden[TS_WARNING];
    if (e == 0 && w == 0)
        return;
    const char *file = f->file ? f->file : "taseuranta";
    put_safe(b, file);
    lb_printf(b, ": %s: ", e ? "error" : "warning");
    if (e)
        lb_printf(b, "%zu more error%s", e, e == 1 ? "" : "s");
    if (e && w)
        lb_printf(b, " and ");
    if (w)
        lb_printf(b, "%zu more warning%s", w, w == 1 ? "" : "s");
    lb_printf(b, " in ");
    put_safe(b, file);
    lb_printf(b, " %s not shown (only the first %d errors and %d warnings of a file are)\n",
              e + w == 1 ? "is" : "are", TS_DIAG_CAP, TS_DIAG_CAP);
    lb_flush(b);
}

void ts_diags_print(ts_diags *d, FILE *out)
{
    ts_diag *list = d->list.items;
    if (d->list.len > 1)
        qsort(list, d->list.len, sizeof *list, diag_cmp);
    line_buf b = {.out = out};
    for (size_t i = 0; i < d->list.len; i++) {
        const ts_diag *g = &list[i];
        const char *sev = g->severity == TS_ERROR ? "error" : "warning";
        const char *file = g->file ? g->file : "taseuranta";
        put_safe(&b, file);
        if (g->sheet) {
            char cell[16];
            lb_put(&b, ":", 1);
            put_safe(&b, g->sheet);
            if (g->pos.line)
                lb_printf(&b, "!%s", ts_cell_name(g->pos.line, g->pos.col, cell));
        } else if (g->pos.line) {
            lb_printf(&b, ":%u:%u", g->pos.line, g->pos.col ? g->pos.col : 1);
        }
        lb_printf(&b, ": %s: ", sev);
        put_safe(&b, g->message);
        lb_put(&b, "\n", 1);
        lb_flush(&b);
        /* Messages are left out only past the cap, so a file with some left out has kept
         * ones, and its closing line follows the last of them. */
        if (i + 1 == d->list.len || !same_file(list[i + 1].file, g->file)) {
            const ts_diag_file *f = file_entry(d, g->file, false);
            if (f != NULL)
                print_hidden(&b, f);
        }
    }
    if (d->out_of_memory)
        fprintf(out, "taseuranta: error: out of memory while reporting problems\n");
}

char *ts_cell_name(uint32_t row, uint32_t col, char *buf)
{
    char letters[8];
    size_t n = 0;
    for (uint32_t c = col ? col : 1; c > 0 && n < sizeof letters; c = (c - 1) / 26)
        letters[n++] = (char)('A' + (c - 1) % 26);
    size_t k = 0;
    while (n > 0)
        buf[k++] = letters[--n];
    snprintf(buf + k, 16 - k, "%u", row);
    return buf;
}

const char *ts_pos_text(ts_pos pos, char *buf, size_t len)
{
    char cell[16];
    if (pos.sheet)
        snprintf(buf, len, "%s!%s", pos.sheet->name ? pos.sheet->name : "",
                 ts_cell_name(pos.line, pos.col, cell));
    else
        snprintf(buf, len, "line %u, column %u", pos.line, pos.col);
    return buf;
}

/* A kept message again, in another record, with its fault and its place (a sheet's too). */
static void copy_message(ts_diags *dst, const ts_diag *g)
{
    ts_sheet_ref sheet = {g->sheet, g->sheet_order};
    ts_pos pos = {g->pos.line, g->pos.col, g->sheet ? &sheet : NULL};
    if (g->severity == TS_ERROR)
        ts_diag_fault(dst, g->file, pos, g->fault, "%s", g->message);
    else
        ts_diag_add(dst, g->file, pos, TS_WARNING, "%s", g->message);
}

void ts_diags_take(ts_diags *dst, ts_diags *src)
{
    /* Hidden errors keep their fault in the counts. */
    size_t system_errors = dst->system_errors + src->system_errors;
    size_t no_memory_errors = dst->no_memory_errors + src->no_memory_errors;
    ts_diag *list = src->list.items;
    for (size_t i = 0; i < src->list.len; i++)
        copy_message(dst, &list[i]);
    /* What src left out stays left out, and counted. */
    const ts_diag_file *files = src->files.items;
    for (size_t k = 0; k < src->files.len; k++) {
        for (int sev = 0; sev < 2; sev++) {
            if (files[k].hidden[sev] == 0)
                continue;
            ts_diag_file *f = file_entry(dst, files[k].file, true);
            if (f == NULL) {
                dst->out_of_memory = true;
                continue;
            }
            f->hidden[sev] += files[k].hidden[sev];
            if (sev == TS_ERROR)
                dst->errors += files[k].hidden[sev];
            else
                dst->warnings += files[k].hidden[sev];
        }
    }
    dst->out_of_memory |= src->out_of_memory;
    dst->system_errors = system_errors;
    dst->no_memory_errors = no_memory_errors;
    src->list.len = 0;
    src->files.len = 0;
    src->last_file = 0;
    src->errors = src->warnings = 0;
    src->system_errors = src->no_memory_errors = 0;
}

void ts_diags_rename(ts_diags *d, const char *from, const char *to)
{
    ts_diag_file *files = d->files.items;
    for (size_t k = 0; k < d->files.len; k++) {
        if (!same_file(files[k].file, from))
            continue;
        const char *name = ts_arena_strdup(d->arena, to);
        if (name == NULL) {
            d->out_of_memory = true;
            return;
        }
        ts_diag *list = d->list.items;
        for (size_t i = 0; i < d->list.len; i++)
            if (list[i].file == files[k].file)
                list[i].file = name;
        files[k].file = name;
    }
}
