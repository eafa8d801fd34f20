/* The reader's context: its messages with their places (the file, a part and line, a cell),
 * whose fault each is, and the budgets that stop a read (bytes inflated, sheets, cells).  Every
 * part of the reader says its problems through these. */
#define _POSIX_C_SOURCE 200809L
#include "book/internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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
