#include "diag.h"

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

void ts_diag_addv(ts_diags *d, const char *file, ts_pos pos, ts_severity sev, const char *fmt,
                  va_list ap)
{
    if (sev == TS_ERROR)
        d->errors++;
    else
        d->warnings++;
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    char *msg = n < 0 ? NULL : ts_arena_alloc(d->arena, (size_t)n + 1);
    const char *f = file ? ts_arena_strdup(d->arena, file) : NULL;
    const char *sheet =
        pos.sheet && pos.sheet->name ? ts_arena_strdup(d->arena, pos.sheet->name) : NULL;
    bool copied = msg && (f || !file) && (sheet || !pos.sheet || !pos.sheet->name);
    ts_diag *slot = copied ? ts_vec_push(d->arena, &d->list, sizeof *slot) : NULL;
    if (slot == NULL) {
        d->out_of_memory = true;
        return;
    }
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    slot->file = f;
    slot->pos = (ts_pos){pos.line, pos.col, NULL};
    slot->sheet = sheet;
    slot->sheet_order = sheet ? pos.sheet->order : 0;
    slot->severity = sev;
    slot->message = msg;
}

void ts_diag_add(ts_diags *d, const char *file, ts_pos pos, ts_severity sev, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ts_diag_addv(d, file, pos, sev, fmt, ap);
    va_end(ap);
}

static int diag_cmp(const void *pa, const void *pb)
{
    const ts_diag *a = pa, *b = pb;
    int c = strcmp(a->file ? a->file : "", b->file ? b->file : "");
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
    /* qsort is not stable: fall back to the order of arrival. */
    return a < b ? -1 : a > b;
}

/* Prints s with every character that could act on a terminal or break the one-line format
 * shown as <U+XXXX>: C0 and C1 controls (U+009B is CSI), DEL, and the bidirectional controls
 * that make a line read differently from what it holds.  Messages quote the input, which is
 * not trusted. */
static void put_safe(const char *s, FILE *out)
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
            fputc(*p, out);
            p++;
            continue;
        }
        fprintf(out, "<U+%04X>", cp);
        p += n;
    }
}

void ts_diags_print(ts_diags *d, FILE *out)
{
    ts_diag *list = d->list.items;
    if (d->list.len > 1)
        qsort(list, d->list.len, sizeof *list, diag_cmp);
    for (size_t i = 0; i < d->list.len; i++) {
        const ts_diag *g = &list[i];
        const char *sev = g->severity == TS_ERROR ? "error" : "warning";
        const char *file = g->file ? g->file : "taseuranta";
        put_safe(file, out);
        if (g->sheet) {
            char cell[16];
            fputc(':', out);
            put_safe(g->sheet, out);
            if (g->pos.line)
                fprintf(out, "!%s", ts_cell_name(g->pos.line, g->pos.col, cell));
        } else if (g->pos.line) {
            fprintf(out, ":%u:%u", g->pos.line, g->pos.col ? g->pos.col : 1);
        }
        fprintf(out, ": %s: ", sev);
        put_safe(g->message, out);
        fputc('\n', out);
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

void ts_diags_take(ts_diags *dst, ts_diags *src)
{
    ts_diag *list = src->list.items;
    for (size_t i = 0; i < src->list.len; i++) {
        ts_sheet_ref sheet = {list[i].sheet, list[i].sheet_order};
        ts_pos pos = {list[i].pos.line, list[i].pos.col, list[i].sheet ? &sheet : NULL};
        ts_diag_add(dst, list[i].file, pos, list[i].severity, "%s", list[i].message);
    }
    dst->out_of_memory |= src->out_of_memory;
    src->list.len = 0;
    src->errors = src->warnings = 0;
}
