/* A micro-benchmark run by hand (not a test): lays out 10,000 paragraphs of 300 characters.
 *   cmake --build build/dev --target bench_text && build/dev/tests/bench_text */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "text/text.h"

int main(void)
{
    static const char *const files[6] = {
        "LiberationSans-Regular.ttf",    "LiberationSans-Bold.ttf", "LiberationSans-Italic.ttf",
        "LiberationSans-BoldItalic.ttf", "DejaVuSans.ttf",          "DejaVuSans-Bold.ttf",
    };
    ts_diags d;
    if (!ts_diags_init(&d, NULL))
        return 1;
    ts_font_metrics *fm[6];
    for (int i = 0; i < 6; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/fonts/%s", TEST_SOURCE_DIR, files[i]);
        if ((fm[i] = ts_fm_load(path, &d)) == NULL)
            return 1;
    }
    ts_fonts fonts;
    for (int f = 0; f < TS_FACE_COUNT; f++) {
        fonts.face[f] = fm[f];
        fonts.fallback[f] = fm[f == TS_FACE_BOLD || f == TS_FACE_BOLD_ITALIC ? 5 : 4];
    }
    FILE *fp = fopen(TEST_DATA_DIR "/text-seeds.txt", "rb");
    if (fp == NULL)
        return 1;
    static char seeds[1 << 16];
    size_t len = fread(seeds, 1, sizeof seeds - 1, fp);
    fclose(fp);
    for (size_t i = 0; i < len; i++)
        if (seeds[i] == '\n')
            seeds[i] = ' ';

    ts_text_engine *e = ts_text_engine_new(&fonts, TS_LANG_FI, "/usr/share/hyphen", "bench", &d);
    ts_text_style st = {.size = 14, .leading = 18, .space_after = 6, .indent = 16};
    ts_arena *a = ts_arena_new(NULL);
    enum { N = 10000, CHARS = 300 };
    size_t lines = 0, at = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < N; i++) {
        if (at + CHARS * 2 > len)
            at = 0;
        /* 300 characters, starting and ending on a character boundary. */
        size_t start = at, end = at, chars = 0;
        while (chars < CHARS && end < len) {
            end++;
            while (end < len && ((unsigned char)seeds[end] & 0xC0) == 0x80)
                end++;
            chars++;
        }
        at = end;
        ts_run run = {.text = seeds + start, .len = end - start};
        ts_inline in = {.runs = &run, .n_runs = 1};
        const ts_flow *f = ts_layout_inline(e, a, &in, &st, 120 + (i % 5) * 60);
        if (f == NULL)
            return 1;
        lines += f->n_lines;
        if (i % 1000 == 999) { /* an arena per slide, as the writer would */
            ts_arena_free(a);
            a = ts_arena_new(NULL);
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("%d paragraphs of %d characters: %zu lines in %.3f s (%.1f us per paragraph)\n", N,
           CHARS, lines, s, s * 1e6 / N);
    ts_arena_free(a);
    ts_text_engine_free(e);
    for (int i = 0; i < 6; i++)
        ts_fm_free(fm[i]);
    ts_diags_free(&d);
    return 0;
}
