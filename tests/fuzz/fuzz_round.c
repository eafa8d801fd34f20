/* libFuzzer target: bytes as a round file, through the parser and, when it parses, every writer.
 *
 * The first byte chooses the options, the rest is the round:
 *   bits 0-1  labels and language: 0 the round's own, 1 fi, 2 sv, 3 en (the round's lang is
 *             overridden, so a Swedish text meets Finnish hyphenation and the reverse)
 *   bit 2     layout: 0 helsinki.xml, 1 a4-landscape.xml
 *   bit 3     PDF/A
 *   bits 4-6  writers: pdf, xlsx, ods (none set: all three)
 *   bit 7     lint warnings on
 * Labels and layouts are loaded once in LLVMFuzzerInitialize.  Outputs go to a scratch folder
 * of this process under /dev/shm (else $TMPDIR, else /tmp) and are removed after each input.
 *
 * The same file is linked with tests/fuzz/replay_main.c into fuzz_replay, which runs saved
 * inputs (the regression files) without libFuzzer in the ordinary and the sanitizer builds.
 * The layout and label loaders have a target of their own, fuzz_layout.c. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "writer/writer.h"
#include "fuzz_env.h"
#include "fuzz_target.h"
#include "round/parser.h"

#ifndef TS_FUZZ_DATA_DIR
#error "TS_FUZZ_DATA_DIR must name the source tree (layouts/, fonts/)"
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
    fuzz_env_init(&env, "fuzz_round", "fuzz", TS_FUZZ_DATA_DIR, &diags);
    atexit(free_env);
    ts_diags_free(&diags);
    return 0;
}

typedef ts_rc (*writer_fn)(const ts_build_ctx *ctx, const char *path, ts_diags *diags);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned opts = data[0];
    ts_diags diags;
    if (!ts_diags_init(&diags, NULL))
        return 0;
    ts_parse_options po;
    ts_parse_options_default(&po);
    po.lint = (opts & 0x80) != 0;
    ts_round *round = ts_parse_memory((const char *)data + 1, size - 1, "fuzz.xml", &po, &diags);
    if (round == NULL) {
        if (diags.errors == 0 && !diags.out_of_memory) {
            fprintf(stderr, "fuzz_round: the parser refused the input without an error\n");
            abort();
        }
        ts_diags_free(&diags);
        return 0;
    }
    unsigned lang = opts & 3u;
    if (lang != 0)
        round->lang = (ts_lang)(lang - 1);
    ts_build_ctx ctx = {
        .round = round,
        .layout = env.layouts[(opts >> 2) & 1u],
        .labels = env.labels[round->lang],
        .data_dir = TS_FUZZ_DATA_DIR,
        .hyphen_dir = "/usr/share/hyphen",
        .pdfa = (opts & 8u) != 0,
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
        size_t errors = diags.errors;
        fuzz_env_check_rc(&env, writer_at[i](&ctx, env.paths[i], &diags), &diags, errors, names[i]);
        unlink(env.paths[i]);
    }
    ts_round_free(round);
    ts_diags_free(&diags);
    return 0;
}

const unsigned char *fuzz_every_option(size_t *n)
{
    /* language (4) x layout (2) x PDF/A (2), all writers, lint on */
    static unsigned char opts[16];
    for (unsigned i = 0; i < 16; i++)
        opts[i] = (unsigned char)(0x80u | i);
    *n = 16;
    return opts;
}
