/* The round as a workbook (workbook-form.md): `taseuranta form` writes a round as an editable
 * workbook, a *form*, in the round's language; the form reader (form_read.c) reads one back into
 * the model.  What a form is, sheet by sheet, is form_schema.h; how text is written in a cell is
 * form_text.h. */
#ifndef TS_FORM_H
#define TS_FORM_H

#include <stdbool.h>

#include "build.h"
#include "commands.h"
#include "model.h"

typedef struct ts_form_args {
    const char *input;  /* the round (a round file or a form); NULL for a blank form */
    const char *output; /* FORM.xlsx or FORM.ods: the extension picks the format */
    ts_lang lang;       /* a blank form's language */
    bool force;         /* replace an existing output */
    ts_epoch epoch;     /* SOURCE_DATE_EPOCH */
} ts_form_args;

/* `taseuranta form`: returns the exit status (ts_rc).  The output is written whole or not at
 * all, and never over an existing file without force nor over the input. */
int ts_cmd_form(const ts_form_args *a);

/* The workbook format a path names by its extension (".xlsx", ".ods", in any case): 1 XLSX,
 * 2 ODS, 0 neither. */
int ts_form_format_of(const char *path);

/* The form of round r (NULL: a blank form in language `lang`) as a table of sheets for the
 * workbook writers, in `a`.  Texts too long for a cell are errors at their element in diags
 * (TS_INPUT_ERROR); TS_SYSTEM_ERROR when memory runs out. */
ts_rc ts_form_table(const ts_round *r, ts_lang lang, const ts_build_ctx *ctx, ts_arena *a,
                    ts_diags *diags, const struct ts_table **out);

#endif
