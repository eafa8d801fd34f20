/* The layout loader: both shipped layouts load, and a layout with a fault is refused with a
 * message that says where and what. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"

typedef struct fixture {
    ts_arena *a;
    ts_diags d;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->a = ts_arena_new(NULL);
    ts_diags_init(&f->d, NULL);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ts_diags_free(&f->d);
    ts_arena_free(f->a);
    free(f);
    return 0;
}

/* All messages in one string, to look for words in. */
static char *messages(fixture *f)
{
    static char buf[8192];
    buf[0] = '\0';
    const ts_diag *d = f->d.list.items;
    for (size_t i = 0; i < f->d.list.len; i++) {
        char line[1024];
        snprintf(line, sizeof line, "%u:%u: %s\n", d[i].pos.line, d[i].pos.col, d[i].message);
        strncat(buf, line, sizeof buf - strlen(buf) - 1);
    }
    return buf;
}

static const ts_layout *load(fixture *f, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/layouts/%s", TEST_SOURCE_DIR, name);
    return ts_layout_load(path, TEST_SOURCE_DIR, f->a, &f->d);
}

static void test_helsinki_loads(void **state)
{
    fixture *f = *state;
    const ts_layout *l = load(f, "helsinki.xml");
    if (l == NULL)
        fail_msg("%s", messages(f));
    assert_int_equal(f->d.errors, 0);
    assert_true(fabs(l->page_w - 960) < 1e-9 && fabs(l->page_h - 540) < 1e-9);
    assert_true(fabs(l->min_font_size - 14) < 1e-9);
    const ts_text_style *t = ts_layout_style(l, "title");
    assert_non_null(t);
    assert_true(t->bold && fabs(t->size - 32) < 1e-9);
    for (size_t i = 0; i < l->n_styles; i++)
        assert_true(l->styles[i].size >= l->min_font_size);
    const ts_frame *fr = ts_layout_frame(l, "progress", "col.doing");
    assert_non_null(fr);
    assert_true(fabs(fr->x - 344) < 1e-9);
    assert_null(ts_layout_frame(l, "progress", "nonesuch"));
    assert_non_null(strstr(l->font_files[TS_FACE_BOLD], "LiberationSans-Bold.ttf"));
    assert_non_null(strstr(l->fallback_files[TS_FACE_REGULAR], "DejaVuSans.ttf"));
    ts_rgb link;
    assert_true(ts_layout_colour(l, "link", &link));
    assert_true(link.b > 0.74 && link.r == 0);
    /* at-risk is yellow with dark text and a dark outline */
    assert_true(l->status[TS_STATUS_AT_RISK].fill.r == 1.0);
    assert_true(l->status[TS_STATUS_AT_RISK].text.r < 0.2);
    assert_true(l->status[TS_STATUS_AT_RISK].border.r < 0.2);
    assert_true(fabs(l->workbook.measure_widths[1] - 40) < 1e-9);
    assert_string_equal(l->workbook.font_name, "Arial");
}

static void test_a4_loads(void **state)
{
    fixture *f = *state;
    const ts_layout *l = load(f, "a4-landscape.xml");
    if (l == NULL)
        fail_msg("%s", messages(f));
    assert_true(fabs(l->page_w - 842) < 1e-9 && fabs(l->page_h - 595) < 1e-9);
    for (size_t k = 0; k < l->n_kinds; k++)
        for (size_t i = 0; i < l->kinds[k].n_frames; i++) {
            const ts_frame *fr = &l->kinds[k].frames[i];
            assert_true(fr->x + fr->w <= 842 && fr->y + fr->h <= 595);
        }
}

/* Writes the helsinki layout with one substitution to a temporary file and loads it. */
static const ts_layout *load_edited(fixture *f, const char *from, const char *to)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/layouts/helsinki.xml", TEST_SOURCE_DIR);
    FILE *in = fopen(path, "rb");
    assert_non_null(in);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, in);
    fclose(in);
    buf[n] = '\0';
    char *hit = strstr(buf, from);
    assert_non_null(hit);
    char tmp[] = "/tmp/test_layout_XXXXXX";
    int fd = mkstemp(tmp);
    assert_true(fd >= 0);
    FILE *out = fdopen(fd, "wb");
    fwrite(buf, 1, (size_t)(hit - buf), out);
    fputs(to, out);
    fputs(hit + strlen(from), out);
    fclose(out);
    const ts_layout *l = ts_layout_load(tmp, TEST_SOURCE_DIR, f->a, &f->d);
    remove(tmp);
    return l;
}

/* The line of the first occurrence of s in the helsinki layout. */
static unsigned line_of(const char *s)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/layouts/helsinki.xml", TEST_SOURCE_DIR);
    FILE *in = fopen(path, "rb");
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, in);
    fclose(in);
    buf[n] = '\0';
    char *hit = strstr(buf, s);
    unsigned line = 1;
    for (char *p = buf; p < hit; p++)
        line += *p == '\n';
    return line;
}

static void test_low_contrast_refused(void **state)
{
    fixture *f = *state;
    const char *from = "<style name=\"body\" size=\"18\" leading=\"23\" colour=\"black-90\"";
    const ts_layout *l =
        load_edited(f, from, "<style name=\"body\" size=\"18\" leading=\"23\" colour=\"#999999\"");
    /* 18 pt is large text: #999999 on white is 2.85:1, under 3:1 */
    assert_null(l);
    char *m = messages(f);
    assert_non_null(strstr(m, "#999999"));
    assert_non_null(strstr(m, "#ffffff"));
    assert_non_null(strstr(m, "2.85"));
    assert_non_null(strstr(m, "style 'body'"));
    char want[32];
    snprintf(want, sizeof want, "%u:", line_of(from));
    assert_true(strncmp(m, want, strlen(want)) == 0);
}

static void test_small_text_needs_4_5(void **state)
{
    fixture *f = *state;
    /* #767676 on white is 4.54:1 (passes); #777777 is 4.48:1 (fails for 14 pt regular text) */
    const char *footer = "<style name=\"footer\" size=\"14\" leading=\"17\" colour=\"black-70\"";
    assert_non_null(load_edited(
        f, footer, "<style name=\"footer\" size=\"14\" leading=\"17\" colour=\"#767676\""));
    assert_null(load_edited(
        f, footer, "<style name=\"footer\" size=\"14\" leading=\"17\" colour=\"#777777\""));
    assert_non_null(strstr(messages(f), "#777777"));
}

static void test_status_contrast_refused(void **state)
{
    fixture *f = *state;
    assert_null(load_edited(f, "<status name=\"at-risk\" fill=\"alert\" text=\"black-90\"",
                            "<status name=\"at-risk\" fill=\"alert\" text=\"white\""));
    char *m = messages(f);
    assert_non_null(strstr(m, "#ffffff"));
    assert_non_null(strstr(m, "#ffda07"));
    assert_non_null(strstr(m, "at-risk"));
}

static void test_missing_frame_refused(void **state)
{
    fixture *f = *state;
    const char *kind = "<slide kind=\"forecast\"";
    assert_null(
        load_edited(f, "<frame name=\"status\" x=\"48\" y=\"100\" w=\"864\" h=\"32\"/>", ""));
    char *m = messages(f);
    assert_non_null(strstr(m, "'forecast' lacks the frame 'status'"));
    char want[32];
    snprintf(want, sizeof want, "%u:3: ", line_of(kind));
    if (strstr(m, want) == NULL)
        fail_msg("want %s in %s", want, m);
}

static void test_faults_located(void **state)
{
    fixture *f = *state;
    assert_null(
        load_edited(f, "<style name=\"footer\" size=\"14\"", "<style name=\"footer\" size=\"12\""));
    assert_non_null(strstr(messages(f), "below the layout's min-font-size 14"));
    assert_null(load_edited(f, "<colour name=\"bus\" value=\"#0000bf\"/>",
                            "<colour name=\"bus\" value=\"#0000bg\"/>"));
    assert_non_null(strstr(messages(f), "#0000bg"));
    assert_null(load_edited(f, "<margins ", "<margin "));
    assert_non_null(strstr(messages(f), "unknown element <margin>"));
    assert_null(load_edited(f, "h=\"400\"/>", "h=\"4x0\"/>"));
    assert_non_null(strstr(messages(f), "h=\"4x0\" is not a number"));
    assert_null(load_edited(f, "fonts/DejaVuSans.ttf", "fonts/LICENSE-DejaVuSans.txt"));
    assert_non_null(strstr(messages(f), "is not a TrueType font"));
    assert_null(load_edited(f, "fonts/LiberationSans-Regular.ttf", "fonts/none.ttf"));
    assert_non_null(strstr(messages(f), "none.ttf cannot be read"));
    assert_null(load_edited(f, "<layout ", "<!DOCTYPE layout [<!ENTITY x \"y\">]><layout "));
    assert_non_null(strstr(messages(f), "DOCTYPE"));
    assert_null(load_edited(f, "<slide kind=\"goal\" background=\"white\"",
                            "<slide kind=\"goal\" colour=\"x\" background=\"white\""));
    assert_non_null(strstr(messages(f), "unknown attribute 'colour' on <slide>"));
}

static void test_contrast_ratio(void **state)
{
    (void)state;
    ts_rgb white = {1, 1, 1}, black = {0, 0, 0};
    ts_rgb bus = {0, 0, 191 / 255.0};
    ts_rgb coat = {0, 0x72 / 255.0, 0xc6 / 255.0};
    ts_rgb grey = {0x99 / 255.0, 0x99 / 255.0, 0x99 / 255.0};
    assert_true(fabs(ts_contrast_ratio(white, black) - 21.0) < 1e-9);
    assert_true(fabs(ts_contrast_ratio(white, bus) - 12.0) < 0.1);
    assert_true(fabs(ts_contrast_ratio(bus, white) - 12.0) < 0.1);
    assert_true(fabs(ts_contrast_ratio(white, coat) - 5.0) < 0.1);
    assert_true(fabs(ts_contrast_ratio(grey, white) - 2.85) < 0.01);
    assert_true(fabs(ts_contrast_ratio(white, white) - 1.0) < 1e-9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_helsinki_loads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a4_loads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_low_contrast_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_small_text_needs_4_5, setup, teardown),
        cmocka_unit_test_setup_teardown(test_status_contrast_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_frame_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_faults_located, setup, teardown),
        cmocka_unit_test(test_contrast_ratio),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
