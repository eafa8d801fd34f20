/* What every writer is handed: the round, the look, the words, and the run's options; and the
 * three writers' entry points.  The command line fills a ts_build_ctx and calls the writers
 * through this header alone, so that it knows nothing of libharu, libxlsxwriter or the ODS
 * package. */
#ifndef TS_WRITER_H
#define TS_WRITER_H

#include <stdbool.h>
#include <time.h>

#include "core/arena.h"
#include "core/diag.h"
#include "layout/labels.h"
#include "layout/layout.h"
#include "round/model.h"
#include "core/status.h"

typedef struct ts_build_ctx {
    const ts_round *round;
    const ts_layout *layout;
    const ts_labels *labels;
    const char *data_dir;   /* where layouts/, fonts/ live */
    const char *hyphen_dir; /* where hyph_sv_SE.dic lives */
    bool pdfa;              /* PDF/A-2a */
    bool untagged;          /* benchmark only: the same pack without the structure tree */
    time_t now;             /* "now" for every date in the outputs: SOURCE_DATE_EPOCH, else the
                               round's date at 12:00 UTC; never the clock */
    ts_alloc_fault *fault;  /* test hook; NULL normally */
    bool single_thread;     /* test hook: no helper thread, so that the Nth allocation is the same
                               one in every run of the allocation-failure sweep */
    /* The workbooks' table (table.h), built once when one build writes both; NULL: each
       workbook writer builds its own. */
    const struct ts_table *table;
} ts_build_ctx;

/* Each writer writes the whole file to `path` (the caller has chosen a temporary name beside
 * the final one and renames it on success).  Faults of the content (a character no font has, a
 * cell over 32,767 characters) are reported in diags at the element's FILE:LINE:COLUMN; a cell
 * too long is an error (TS_INPUT_ERROR), a missing glyph a warning. */
ts_rc ts_write_pdf(const ts_build_ctx *ctx, const char *path, ts_diags *diags);
/* What the PDF writer needs of a layout: every slide kind of the pack, with its frames, the
 * styles set in them and its lengths (src/slides/pack.c).  The caller hands it to
 * ts_layout_load, which refuses a layout that lacks one or has one that no kind needs. */
const ts_layout_needs *ts_slides_layout_needs(void);
ts_rc ts_write_xlsx(const ts_build_ctx *ctx, const char *path, ts_diags *diags);
ts_rc ts_write_ods(const ts_build_ctx *ctx, const char *path, ts_diags *diags);

#endif
