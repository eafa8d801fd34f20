/* A form read from its file: the workbook reader (read.h) reads the cells, which are seen as the
 * form reader's (form_read.h), and a round file or a form is told apart for build and check. */
#define _POSIX_C_SOURCE 200809L
#include "book/form.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "book/form_read.h"
#include "book/import_table.h"
#include "layout/labels.h"
#include "round/parser.h"
#include "book/read.h"

static ts_fcell_format format_of(const ts_wbr_numfmt *f)
{
    if (f == NULL)
        return TS_FFMT_GENERAL;
    switch (f->kind) {
    case TS_WBR_FMT_GENERAL:
    case TS_WBR_FMT_NUMBER:
    case TS_WBR_FMT_TEXT:
    case TS_WBR_FMT_SCIENTIFIC:
        return TS_FFMT_GENERAL;
    case TS_WBR_FMT_PERCENT:
        return TS_FFMT_PERCENT;
    case TS_WBR_FMT_DATE:
    case TS_WBR_FMT_DATETIME:
        return TS_FFMT_DATE;
    default:
        return TS_FFMT_OTHER;
    }
}

bool ts_form_view(const ts_wbr_book *wb, const char *display, ts_arena *a, ts_fbook *out)
{
    ts_fsheet *sheets = ts_arena_calloc(a, wb->sheet_count + 1, sizeof *sheets);
    if (sheets == NULL)
        return false;
    for (size_t si = 0; si < wb->sheet_count; si++) {
        const ts_wbr_sheet *s = &wb->sheets[si];
        ts_fcell *cells = ts_arena_calloc(a, s->cell_count + 1, sizeof *cells);
        if (cells == NULL)
            return false;
        size_t n = 0;
        for (size_t i = 0; i < s->cell_count; i++) {
            const ts_wbr_cell *c = &s->cells[i];
            ts_fcell *f = &cells[n];
            *f = (ts_fcell){.row = c->row, .col = c->col, .number = c->number};
            switch ((ts_wbr_type)c->type) {
            case TS_WBR_STRING:
            case TS_WBR_ERROR: {
                ts_cell_run *runs = ts_arena_calloc(a, c->run_count + 1, sizeof *runs);
                if (runs == NULL)
                    return false;
                for (size_t k = 0; k < c->run_count; k++)
                    runs[k] = (ts_cell_run){c->runs[k].text, c->runs[k].len,
                                            (c->runs[k].bold ? TS_RUN_BOLD : 0u) |
                                                (c->runs[k].italic ? TS_RUN_ITALIC : 0u)};
                f->type = c->type == TS_WBR_ERROR ? TS_FCELL_ERROR : TS_FCELL_TEXT;
                f->runs = runs;
                f->n_runs = c->run_count;
                break;
            }
            case TS_WBR_NUMBER:
                f->type = TS_FCELL_NUMBER;
                f->format = format_of(c->format);
                break;
            case TS_WBR_BOOLEAN:
                f->type = TS_FCELL_BOOLEAN;
                break;
            default:
                continue; /* a formula without a value is an empty cell */
            }
            n++;
        }
        sheets[si] = (ts_fsheet){s->name, cells, n};
    }
    *out = (ts_fbook){display, sheets, wb->sheet_count, wb->date1904};
    return true;
}

int ts_form_format_of(const char *path)
{
    size_t n = strlen(path);
    if (n > 5 && strcasecmp(path + n - 5, ".xlsx") == 0)
        return 1;
    if (n > 4 && strcasecmp(path + n - 4, ".ods") == 0)
        return 2;
    return 0;
}

bool ts_form_is_workbook(const char *path)
{
    if (ts_form_format_of(path) != 0)
        return true;
    /* A zip by its first bytes: a form saved under another name. */
    unsigned char magic[4] = {0};
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return false;
    ssize_t n = read(fd, magic, sizeof magic);
    close(fd);
    return n == 4 && memcmp(magic, "PK\x03\x04", 4) == 0;
}

ts_round *ts_form_read_file(const char *path, const char *display, const char *data_dir,
                            const ts_form_overrides *ov, bool lint, ts_diags *diags)
{
    const char *name = display ? display : path;
    ts_arena *a = ts_arena_new(NULL);
    if (a == NULL) {
        ts_diag_fault(diags, name, (ts_pos){0, 0}, TS_FAULT_NO_MEMORY, "out of memory");
        return NULL;
    }
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s/layouts/labels", data_dir);
    const ts_labels *labels[3];
    bool ok = true;
    for (int l = 0; l < 3; l++)
        ok &= (labels[l] = ts_labels_load(dir, (ts_lang)l, a, diags)) != NULL;
    ts_round *r = NULL;
    if (ok) {
        ts_wbr_options opt;
        ts_wbr_options_default(&opt);
        const ts_wbr_book *wb = NULL;
        ts_rc st = ts_wbr_read_file(path, &opt, a, diags, &wb);
        ts_fbook book;
        if (st == TS_OK && !ts_form_view(wb, name, a, &book))
            ts_diag_fault(diags, name, (ts_pos){0, 0}, TS_FAULT_NO_MEMORY, "out of memory");
        else if (st == TS_OK && ts_form_language(&book, labels) < 0 && ts_table_found(wb, labels))
            ts_diag_add(diags, name, (ts_pos){0, 0, NULL}, TS_ERROR,
                        "this is a strategy-measure table, not a form: make a round file of it "
                        "first (taseuranta import %s -o ROUND.xml)",
                        name);
        else if (st == TS_OK)
            r = ts_form_read_book(&book, labels, ov, lint, diags);
    }
    ts_arena_free(a);
    return r;
}

ts_round *ts_round_read(const char *path, const char *display, const ts_parse_options *po,
                        const char *data_dir, ts_diags *diags)
{
    if (!ts_form_is_workbook(path))
        return ts_parse_file(path, display, po, diags);
    return ts_form_read_file(path, display, data_dir, NULL, po ? po->lint : false, diags);
}
