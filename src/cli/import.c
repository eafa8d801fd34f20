/* `taseuranta import BOOK -o ROUND.xml` (workbook-form.md §2): the form read back into a round
 * file, the options standing over its Kierros sheet; or, a workbook that is no form, the
 * strategy-measure table it holds made into a new round file (book/import_table.h), the
 * options standing over what the table says.  What is written is read back before it can
 * replace anything, and never replaces an existing file without --force nor the input. */
#define _POSIX_C_SOURCE 200809L
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/commands.h"
#include "core/outset.h"
#include "layout/labels.h"
#include "round/parser.h"
#include "round/roundwrite.h"
#include "book/form.h"
#include "book/import_table.h"
#include "book/read.h"

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
        rc = ts_wbr_read_file(a->input, &opt, arena, diags, &wb);
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

int ts_cmd_import(const ts_import_args *a, ts_diags *diags)
{
    if (ts_output_may_write(a->input, a->output, a->force, "import", diags) != TS_OK)
        return TS_USAGE_ERROR;
    ts_round *r = NULL;
    bool table = false;
    int rc = read_book(a, diags, &r, &table);
    if (rc != TS_OK)
        return rc;
    rc = ts_round_write(r, a->output, a->force, diags);
    if (rc == TS_OK)
        fprintf(stderr, "%s: written: round %d/%d, dated %04d-%02d-%02d, from the %s %s (%zu %s)\n",
                a->output, r->number, r->year, r->date.year, r->date.month, r->date.day,
                table ? "strategy-measure table" : "form", a->input, r->n_measures,
                r->n_measures == 1 ? "measure" : "measures");
    ts_round_free(r);
    return rc;
}
