/* `taseuranta form`: a round (a round file or a form) or nothing (--blank) written as a form,
 * an editable workbook in the round's language (workbook-form.md §1).  The form's table is
 * book/form.h's; the workbook writers write it into a temporary file that is put in place
 * whole, never over an existing file without --force nor over the input. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cli/build.h"
#include "cli/commands.h"
#include "core/outset.h"
#include "round/roundwrite.h"
#include "writer/writer.h"
#include "book/form.h"
#include "book/table.h"

typedef struct book_job {
    const ts_build_ctx *ctx;
    bool ods;
    ts_diags *diags;
    const char *output;
} book_job;

/* Writes the workbook into the temporary file; its own messages name the output. */
static int write_book(void *user, int fd, const char *tmp)
{
    (void)fd;
    book_job *j = user;
    ts_diags own;
    if (!ts_diags_init(&own, NULL))
        return ENOMEM;
    ts_rc rc = j->ods ? ts_write_ods(j->ctx, tmp, &own) : ts_write_xlsx(j->ctx, tmp, &own);
    const ts_diag *list = own.list.items;
    for (size_t i = 0; i < own.list.len; i++) {
        bool tmp_named = list[i].file != NULL && strcmp(list[i].file, tmp) == 0;
        ts_diag_add(j->diags, tmp_named ? j->output : list[i].file, list[i].pos, list[i].severity,
                    "%s", list[i].message);
    }
    bool said = own.list.len > 0;
    ts_diags_free(&own);
    return rc == TS_OK ? 0 : said ? ECANCELED : EIO;
}

int ts_cmd_form(const ts_form_args *a, ts_diags *diags)
{
    int format = ts_form_format_of(a->output);
    if (ts_output_may_write(a->input, a->output, a->force, "form", diags) != TS_OK)
        return TS_USAGE_ERROR;
    ts_round *r = NULL;
    ts_lang lang = a->lang;
    char data_buf[PATH_MAX], path[PATH_MAX];
    const char *data_dir = ts_data_dir(data_buf);
    if (a->input != NULL) {
        ts_parse_options po;
        ts_parse_options_default(&po);
        r = ts_round_read(a->input, NULL, &po, data_dir, diags);
        if (r == NULL)
            return diags->out_of_memory && diags->errors == 0 ? TS_SYSTEM_ERROR : TS_INPUT_ERROR;
        lang = r->lang;
    }
    ts_arena *arena = ts_arena_new(NULL);
    if (arena == NULL) {
        ts_round_free(r);
        return TS_SYSTEM_ERROR;
    }
    snprintf(path, sizeof path, "%s/layouts/labels", data_dir);
    const ts_labels *labels = ts_labels_load(path, lang, arena, diags);
    snprintf(path, sizeof path, "%s/layouts/helsinki.xml", data_dir);
    /* The shipped layout, for the row heights of the workbook's fonts; it is checked against
     * the pack's needs as every layout is. */
    const ts_layout *layout =
        labels ? ts_layout_load(path, data_dir, ts_slides_layout_needs(), arena, diags) : NULL;
    int rc = labels && layout ? TS_OK : TS_INPUT_ERROR;

    /* A blank form stands for no round: its document properties name none. */
    ts_round blank = {.file = a->output, .lang = lang, .year = -1, .city = "", .division = ""};
    const ts_round *about = r ? r : &blank;
    ts_build_ctx ctx = {
        .round = about,
        .layout = layout,
        .labels = labels,
        .data_dir = data_dir,
        .hyphen_dir = TASEURANTA_HYPHEN_DIR,
    };
    /* No clock: the round's date, SOURCE_DATE_EPOCH, or (blank) the first second of 2000. */
    ctx.now = r ? ts_build_now(r, a->epoch) : a->epoch.set ? (time_t)a->epoch.seconds : 946684800;
    const ts_table *table = NULL;
    if (rc == TS_OK)
        rc = ts_form_table(r, lang, &ctx, arena, diags, &table);
    if (rc == TS_OK) {
        ctx.table = table;
        book_job job = {&ctx, format == 2, diags, a->output};
        rc = ts_write_file_by(a->output, a->force, write_book, &job, diags);
    }
    if (rc == TS_OK)
        fprintf(stderr, "%s: written: the form of %s (%zu measures), in %s\n", a->output,
                a->input ? a->input : "a new round", r ? r->n_measures : (size_t)0,
                ts_lang_name(lang));
    ts_arena_free(arena);
    ts_round_free(r);
    return rc;
}
