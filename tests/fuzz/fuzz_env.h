/* What the round and layout fuzz targets share: a scratch folder for the writers' files, the
 * shipped label files and layouts loaded once, and the rule for a writer's status.  libFuzzer's
 * entry points take no context, so each target keeps one fuzz_env of its own, set in
 * LLVMFuzzerInitialize and read-only while inputs run. */
#ifndef TS_FUZZ_ENV_H
#define TS_FUZZ_ENV_H

#include <stddef.h>

#include "core/arena.h"
#include "core/diag.h"
#include "core/status.h"
#include "layout/labels.h"
#include "layout/layout.h"
#include "round/model.h"

typedef struct fuzz_env {
    const char *target;          /* names the target in its messages: "fuzz_round" */
    ts_arena *arena;             /* what is loaded once, for the whole process */
    ts_round *round;             /* a target's own round (fuzz_layout), or NULL */
    const ts_labels *labels[3];  /* fi, sv, en */
    const ts_layout *layouts[2]; /* helsinki.xml, a4-landscape.xml */
    char dir[256];
    char paths[3][300]; /* out.pdf, out.xlsx, out.ods in dir */
} fuzz_env;

/* Makes the scratch folder (under /dev/shm, else $TMPDIR, else /tmp; `tag` in its name) and
 * loads the labels and layouts of data_dir into a new arena.  diags is initialised here and
 * left for the caller to load more with and to free.  Says what failed and aborts. */
void fuzz_env_init(fuzz_env *env, const char *target, const char *tag, const char *data_dir,
                   ts_diags *diags);

/* Removes the scratch folder and frees what was loaded (the target's round too). */
void fuzz_env_free(fuzz_env *env);

/* Says that `what` cannot be loaded, with diags (NULL: none), and aborts. */
_Noreturn void fuzz_env_fail(const fuzz_env *env, const char *what, const ts_diags *diags);

/* A writer refuses an input with TS_INPUT_ERROR and a located error (a cell too long).  A
 * TS_SYSTEM_ERROR is a finding: the scratch folder is in memory with room to spare, so only a
 * fault of ours or of a library (a limit of libharu's, say) can make a write fail: said, and
 * the process aborts. */
void fuzz_env_check_rc(const fuzz_env *env, ts_rc rc, const ts_diags *diags, size_t errors_before,
                       const char *writer);

#endif
