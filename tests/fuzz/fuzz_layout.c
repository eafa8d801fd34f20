/* libFuzzer target: bytes as a layout or a label file, through its loader and, when it loads
 * and the options ask for it, through the writers of a small round that uses every slide kind.
 *
 * The first byte chooses the options, the rest is the file:
 *   bit 0     0: a layout, 1: a label file
 *   bits 1-2  the label file's language: 0 fi, 1 sv, 2 en (3 is fi too)
 *   bit 3     build: write the round with what was loaded (and the shipped other half)
 *   bits 4-6  writers when building: pdf, xlsx, ods (none set: all three)
 *   bit 7     the shipped layout for labels: 0 helsinki.xml, 1 a4-landscape.xml
 * The round (tests/data/valid/parser-fi.xml), the shipped layouts and labels are loaded once in
 * LLVMFuzzerInitialize.  Fonts named by a layout are looked up in the source tree, as the
 * program looks them up in its data folder.  Outputs go to a scratch folder of this process
 * under /dev/shm (else $TMPDIR, else /tmp) and are removed after each input.
 *
 * Linked with tests/fuzz/replay_main.c into fuzz_layout_replay, which runs saved inputs (the
 * regression files) without libFuzzer in the ordinary and the sanitizer builds. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "writer/writer.h"
#include "fuzz_env.h"
#include "fuzz_target.h"
#include "layout/labels.h"
#include "layout/layout.h"
#include "round/parser.h"

#ifndef TS_FUZZ_DATA_DIR
#error "TS_FUZZ_DATA_DIR must name the source tree (layouts/, fonts/, tests/data/)"
#endif

/* libFuzzer's entry points take no context, so the loaded data lives here: set once, read-only
 * while inputs run. */
static fuzz_env env;

static void free_env(void)
{
    fuzz_env_free(&env);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    ts_diags diags;
    fuzz_env_init(&env, "fuzz_layout", "fuzz-layout", TS_FUZZ_DATA_DIR, &diags);
    atexit(free_env);
    ts_parse_options po;
    ts_parse_options_default(&po);
    env.round =
        ts_parse_file(TS_FUZZ_DATA_DIR "/tests/data/valid/parser-fi.xml", NULL, &po, &diags);
    if (env.round == NULL)
        fuzz_env_fail(&env, "the round", &diags);
    ts_diags_free(&diags);
    return 0;
}

typedef ts_rc (*writer_fn)(const ts_build_ctx *ctx, const char *path, ts_diags *diags);

static void build(const ts_layout *layout, const ts_labels *labels, ts_lang lang, unsigned opts,
                  ts_diags *diags)
{
    /* The round is shared by every input: the writers read it and never change it, but its
     * language follows the labels. */
    ts_round round = *env.round;
    round.lang = lang;
    ts_build_ctx ctx = {
        .round = &round,
        .layout = layout,
        .labels = labels,
        .data_dir = TS_FUZZ_DATA_DIR,
        .hyphen_dir = "/usr/share/hyphen",
        .now = 1600000000,
    };
    unsigned writers = (opts >> 4) & 7u;
    if (writers == 0)
        writers = 7;
    static const writer_fn writer_at[3] = {ts_write_pdf, ts_write_xlsx, ts_write_ods};
    static const char *const names[3] = {"ts_write_pdf", "ts_write_xlsx", "ts_write_ods"};
    for (size_t i = 0; i < 3; i++) {
        if (!(writers & (1u << i)))
            continue;
        size_t errors = diags->errors;
        fuzz_env_check_rc(&env, writer_at[i](&ctx, env.paths[i], diags), diags, errors, names[i]);
        unlink(env.paths[i]);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned opts = data[0];
    ts_diags diags;
    ts_arena *a = ts_arena_new(NULL);
    if (a == NULL || !ts_diags_init(&diags, NULL)) {
        ts_arena_free(a);
        return 0;
    }
    const char *bytes = (const char *)data + 1;
    size_t len = size - 1;
    static const ts_lang langs[4] = {TS_LANG_FI, TS_LANG_SV, TS_LANG_EN, TS_LANG_FI};
    ts_lang lang = langs[(opts >> 1) & 3u];
    const ts_layout *layout = env.layouts[(opts >> 7) & 1u];
    const ts_labels *labels = env.labels[lang];
    bool loaded;
    if (opts & 1u) {
        labels = ts_labels_load_memory("fuzz-labels.xml", bytes, len, lang, a, &diags);
        loaded = labels != NULL;
    } else {
        layout = ts_layout_load_memory("fuzz-layout.xml", bytes, len, TS_FUZZ_DATA_DIR,
                                       ts_slides_layout_needs(), a, &diags);
        loaded = layout != NULL;
    }
    if (!loaded && diags.errors == 0 && !diags.out_of_memory) {
        fprintf(stderr, "fuzz_layout: the loader refused the input without an error\n");
        abort();
    }
    if (loaded && diags.errors > 0) {
        fprintf(stderr, "fuzz_layout: the loader accepted an input it reported an error of\n");
        ts_diags_print(&diags, stderr);
        abort();
    }
    if (loaded && (opts & 8u))
        build(layout, labels, lang, opts, &diags);
    ts_diags_free(&diags);
    ts_arena_free(a);
    return 0;
}

const unsigned char *fuzz_every_option(size_t *n)
{
    /* layout (built with all writers), and labels in each language (built), each alone too */
    static const unsigned char opts[] = {0x00, 0x08, 0x88, 0x01, 0x09,
                                         0x03, 0x0B, 0x05, 0x0D, 0x8D};
    *n = sizeof opts;
    return opts;
}
