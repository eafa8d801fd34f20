/* A form read from its file: the workbook reader (read.h) reads the cells, which are seen as the
 * form reader's (form_read.h), and a round file or a form is told apart for build and check. */
#define _POSIX_C_SOURCE 200809L
#include "form.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include "form_read.h"
#include "import_table.h"
#include "labels.h"
#include "parser.h"
#include "read.h"
#include "roundwrite.h"

#include <sys/stat.h>

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
        diags->out_of_memory = true;
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
        ts_wbr_status st = ts_wbr_read_file(path, &opt, a, diags, &wb);
        if (st == TS_WBR_SYSTEM)
            diags->out_of_memory |= diags->errors == 0;
        ts_fbook book;
        if (st == TS_WBR_OK && !ts_form_view(wb, name, a, &book))
            diags->out_of_memory = true;
        else if (st == TS_WBR_OK && ts_form_language(&book, labels) < 0 &&
                 ts_table_found(wb, labels))
            ts_diag_add(diags, name, (ts_pos){0, 0, NULL}, TS_ERROR,
                        "this is a strategy-measure table, not a form: make a round file of it "
                        "first (taseuranta import %s -o ROUND.xml)",
                        name);
        else if (st == TS_WBR_OK)
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

/* ---- import ------------------------------------------------------------------------------ */

static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

/* The round that import makes of its workbook: the form it is (read back, the options over its
 * Kierros sheet), else the strategy-measure table it holds (table set; import_table.h), else
 * it is refused, saying what was looked for.  The workbook is read once. */
static int read_book(const ts_import_args *a, ts_diags *diags, ts_round **out, bool *table)
{
    *out = NULL;
    ts_arena *arena = ts_arena_new(NULL);
    if (arena == NULL) {
        ts_diag_add(diags, a->input, (ts_pos){0, 0, NULL}, TS_ERROR, "out of memory");
        return TS_SYSTEM_ERROR;
    }
    char data_buf[PATH_MAX], dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s/layouts/labels", ts_data_dir(data_buf));
    const ts_labels *labels[3];
    int rc = TS_OK;
    for (int l = 0; l < 3; l++)
        if ((labels[l] = ts_labels_load(dir, (ts_lang)l, arena, diags)) == NULL)
            rc = TS_INPUT_ERROR;
    const ts_wbr_book *wb = NULL;
    if (rc == TS_OK) {
        ts_wbr_options opt;
        ts_wbr_options_default(&opt);
        ts_wbr_status st = ts_wbr_read_file(a->input, &opt, arena, diags, &wb);
        rc = st == TS_WBR_OK ? TS_OK : st == TS_WBR_SYSTEM ? TS_SYSTEM_ERROR : TS_INPUT_ERROR;
    }
    ts_fbook book;
    if (rc == TS_OK && !ts_form_view(wb, a->input, arena, &book)) {
        ts_diag_add(diags, a->input, (ts_pos){0, 0, NULL}, TS_ERROR, "out of memory");
        rc = TS_SYSTEM_ERROR;
    }
    if (rc == TS_OK && ts_form_language(&book, labels) >= 0) {
        *out = ts_form_read_book(&book, labels, &a->over, false, diags);
        if (*out == NULL)
            rc = diags->out_of_memory && diags->errors == 0 ? TS_SYSTEM_ERROR : TS_INPUT_ERROR;
    } else if (rc == TS_OK && ts_table_found(wb, labels)) {
        *table = true;
        ts_table_options o;
        ts_table_options_none(&o);
        o.year = a->over.year;
        o.number = a->over.number;
        o.date = a->over.date;
        o.division = a->over.division;
        o.division_short = a->over.division_short;
        o.lang = a->over.lang;
        o.city = a->over.city;
        rc = (int)ts_table_import(wb, labels, &o, diags, out);
    } else if (rc == TS_OK) {
        const char *heads = ts_table_heads_looked_for(labels, arena);
        ts_diag_add(diags, a->input, (ts_pos){0, 0, NULL}, TS_ERROR,
                    "neither a form nor a strategy-measure table: a form has a sheet \"%s\" (or "
                    "\"%s\", \"%s\"); for a table, looked for %s",
                    ts_label(labels[0], "form.sheet.round"),
                    ts_label(labels[1], "form.sheet.round"),
                    ts_label(labels[2], "form.sheet.round"), heads ? heads : "its heads");
        rc = TS_INPUT_ERROR;
    }
    ts_arena_free(arena);
    return rc;
}

static int import_form(const ts_import_args *a, ts_diags *diags)
{
    if (same_file(a->input, a->output)) {
        ts_diag_add(diags, a->output, (ts_pos){0, 0}, TS_ERROR,
                    "this is the input file; name another file with -o");
        return TS_USAGE_ERROR;
    }
    struct stat st;
    if (!a->force && lstat(a->output, &st) == 0) {
        ts_diag_add(diags, a->output, (ts_pos){0, 0}, TS_ERROR,
                    "the file exists; import does not replace a file (it may hold someone's "
                    "edits) unless --force is given");
        return TS_USAGE_ERROR;
    }
    ts_round *r = NULL;
    bool table = false;
    int rc = read_book(a, diags, &r, &table);
    if (rc != TS_OK)
        return rc;
    char *xml = NULL;
    size_t len = 0;
    if (ts_round_xml(r, &xml, &len) != TS_OK) {
        ts_diag_add(diags, a->output, (ts_pos){0, 0}, TS_ERROR, "out of memory");
        rc = TS_SYSTEM_ERROR;
    }
    /* What is written must read back as a round: checked before it can replace anything. */
    if (rc == TS_OK) {
        ts_diags check;
        if (!ts_diags_init(&check, NULL)) {
            rc = TS_SYSTEM_ERROR;
        } else {
            ts_round *back = ts_parse_memory(xml, len, a->output, NULL, &check);
            if (back == NULL) {
                ts_diags_take(diags, &check);
                ts_diag_add(diags, a->output, (ts_pos){0, 0}, TS_ERROR,
                            "internal error: the round does not read back; nothing was written");
                rc = TS_SYSTEM_ERROR;
            }
            ts_round_free(back);
            ts_diags_free(&check);
        }
    }
    if (rc == TS_OK)
        rc = ts_write_file_whole(a->output, xml, len, a->force, diags);
    if (rc == TS_OK)
        fprintf(stderr, "%s: written: round %d/%d, dated %04d-%02d-%02d, from the %s %s (%zu %s)\n",
                a->output, r->number, r->year, r->date.year, r->date.month, r->date.day,
                table ? "strategy-measure table" : "form", a->input, r->n_measures,
                r->n_measures == 1 ? "measure" : "measures");
    free(xml);
    ts_round_free(r);
    return rc;
}

int ts_cmd_import(const ts_import_args *a)
{
    ts_diags diags;
    if (!ts_diags_init(&diags, NULL)) {
        fprintf(stderr, "taseuranta: error: out of memory\n");
        return TS_SYSTEM_ERROR;
    }
    int rc = import_form(a, &diags);
    ts_diags_print(&diags, stderr);
    ts_diags_free(&diags);
    return rc;
}
