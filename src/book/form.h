/* The round as a workbook (workbook-form.md): a form is a round written as an editable workbook
 * in the round's language (form_write.c); the form reader (form_read.c) reads one back into the
 * model.  What a form is, sheet by sheet, is form_schema.h; how text is written in a cell is
 * form_text.h.  The commands around them (`taseuranta form`, `import`) are cli/'s. */
#ifndef TS_FORM_H
#define TS_FORM_H

#include <stdbool.h>

#include "core/status.h"
#include "round/model.h"
#include "round/parser.h"
#include "writer/writer.h"
#include "book/form_read.h"

/* The workbook format a path names by its extension (".xlsx", ".ods", in any case): 1 XLSX,
 * 2 ODS, 0 neither. */
int ts_form_format_of(const char *path);

/* The form of round r (NULL: a blank form in language `lang`) as a table of sheets for the
 * workbook writers, in `a`.  Texts too long for a cell are errors at their element in diags
 * (TS_INPUT_ERROR); TS_SYSTEM_ERROR when memory runs out. */
ts_rc ts_form_table(const ts_round *r, ts_lang lang, const ts_build_ctx *ctx, ts_arena *a,
                    ts_diags *diags, const struct ts_table **out);

/* ---- Reading a form ---------------------------------------------------------------------- */

/* Whether the file at path is a workbook (a form) rather than a round file: by its extension
 * (.xlsx, .ods), else by its first bytes (a zip). */
bool ts_form_is_workbook(const char *path);

/* Reads the form at path (messages name it `display`, NULL: path) into a round: the workbook
 * reader reads the cells (read.h), the words come from the three label files under data_dir,
 * the overrides (NULL: none) stand over the Kierros sheet, the warnings of `check` come with
 * lint.  NULL when an error was said, with its fault: memory's or the system's when memory ran
 * out or the file could not be read (ts_diags_rc). */
ts_round *ts_form_read_file(const char *path, const char *display, const char *data_dir,
                            const ts_form_overrides *ov, bool lint, ts_diags *diags);

struct ts_wbr_book;

/* The workbook reader's book (read.h) as the form reader's cells (form_read.h), in a (the
 * book's own texts are not copied: it must outlive the view).  False when memory ran out. */
bool ts_form_view(const struct ts_wbr_book *wb, const char *display, ts_arena *a, ts_fbook *out);

/* A round from a round file or a form, whichever path is (ts_form_is_workbook): what build and
 * check read. */
ts_round *ts_round_read(const char *path, const char *display, const ts_parse_options *po,
                        const char *data_dir, ts_diags *diags);

#endif
