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

#include "layout/layout.h"
#include "writer/writer.h"

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
    return ts_layout_load(path, TEST_SOURCE_DIR, ts_slides_layout_needs(), f->a, &f->d);
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
    const ts_layout *l =
        ts_layout_load(tmp, TEST_SOURCE_DIR, ts_slides_layout_needs(), f->a, &f->d);
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

/* The pack's list of kinds with one more kind (`extra`), as a new kind's line in pack.c would
 * make it. */
static const ts_layout_needs *needs_with(const ts_kind_need *extra)
{
    static const ts_kind_need *kinds[32];
    static ts_layout_needs needs;
    const ts_layout_needs *pack = ts_slides_layout_needs();
    assert_true(pack->n_kinds < 31);
    for (size_t i = 0; i < pack->n_kinds; i++)
        kinds[i] = pack->kinds[i];
    kinds[pack->n_kinds] = extra;
    needs = (ts_layout_needs){kinds, pack->n_kinds + 1};
    return &needs;
}

static const ts_layout *load_with(fixture *f, const char *name, const ts_layout_needs *needs)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/layouts/%s", TEST_SOURCE_DIR, name);
    return ts_layout_load(path, TEST_SOURCE_DIR, needs, f->a, &f->d);
}

/* A kind added to the list that a layout lacks is a located message, and so is a style that
 * only it sets: the layout is refused before any slide is drawn. */
static void test_new_kind_refused_located(void **state)
{
    fixture *f = *state;
    static const ts_frame_need frames[] = {
        {"title", TS_FRAME_TITLE, {"title"}},
        {"chart", TS_FRAME_TEXT, {"roadmap-label", "body"}},
    };
    static const ts_kind_need roadmap = {"roadmap", frames, 2, NULL, 0};
    assert_null(load_with(f, "helsinki.xml", needs_with(&roadmap)));
    char *m = messages(f);
    char want[64];
    snprintf(want, sizeof want, "%u:1: <layout> lacks <slide kind=\"roadmap\">",
             line_of("<layout "));
    if (strstr(m, want) == NULL)
        fail_msg("want %s in %s", want, m);
    snprintf(want, sizeof want, "%u:3: <styles> lacks the style 'roadmap-label'",
             line_of("<styles>"));
    if (strstr(m, want) == NULL)
        fail_msg("want %s in %s", want, m);
    /* The styles of the other kinds are there: only the new one is missing. */
    assert_int_equal(f->d.errors, 2);
}

/* A layout's kinds hold their frames in the order of the kinds' needs, whatever the order in
 * the file: the slide code reaches a frame by its index. */
static void test_frames_in_order_of_needs(void **state)
{
    fixture *f = *state;
    const ts_layout_needs *needs = ts_slides_layout_needs();
    const char *names[] = {"helsinki.xml", "a4-landscape.xml"};
    for (int n = 0; n < 2; n++) {
        const ts_layout *l = load(f, names[n]);
        assert_non_null(l);
        assert_int_equal(l->n_kinds, needs->n_kinds);
        for (size_t k = 0; k < needs->n_kinds; k++) {
            const ts_slide_kind *kind = ts_layout_kind(l, needs->kinds[k]->name);
            assert_non_null(kind);
            assert_int_equal(kind->n_frames, needs->kinds[k]->n_frames);
            for (size_t i = 0; i < kind->n_frames; i++)
                assert_string_equal(kind->frames[i].name, needs->kinds[k]->frames[i].name);
        }
    }
    /* Frames written in another order land at their indices all the same. */
    const char *lines[] = {
        "<frame name=\"title\" x=\"48\" y=\"36\" w=\"864\" h=\"40\"/>",
        "<frame name=\"rule\" x=\"48\" y=\"82\" w=\"64\" h=\"4\"/>",
        "<frame name=\"body\" x=\"48\" y=\"104\" w=\"864\" h=\"396\"/>",
        "<frame name=\"pad\" x=\"12\" y=\"8\" w=\"0\" h=\"0\"/>",
        "<frame name=\"footer\" x=\"48\" y=\"506\" w=\"864\" h=\"18\"/>",
    };
    char from[1024] = "", to[1024] = "";
    for (int i = 0; i < 5; i++) {
        snprintf(from + strlen(from), sizeof from - strlen(from), "%s%s", i ? "\n    " : "",
                 lines[i]);
        snprintf(to + strlen(to), sizeof to - strlen(to), "%s%s", i ? "\n    " : "", lines[4 - i]);
    }
    const ts_layout *l = load_edited(f, from, to);
    if (l == NULL)
        fail_msg("%s", messages(f));
    const ts_slide_kind *notes = ts_layout_kind(l, "notes");
    assert_string_equal(notes->frames[0].name, "title");
    assert_string_equal(notes->frames[2].name, "footer");
    assert_true(fabs(notes->frames[2].y - 506) < 1e-9);
}

/* A kind's lengths: each required, each once, none unknown, each in proportion to the text; a
 * fault is reported at its element. */
static void test_lengths_checked(void **state)
{
    fixture *f = *state;
    const char *bar = "<length name=\"bar.height\" value=\"8\"/>";
    assert_null(load_edited(f, bar, ""));
    char want[96];
    snprintf(want, sizeof want, "%u:3: slide kind 'progress' lacks the length 'bar.height'",
             line_of("<slide kind=\"progress\""));
    if (strstr(messages(f), want) == NULL)
        fail_msg("want %s in %s", want, messages(f));

    const char *gap = "<length name=\"note.gap\" value=\"16\"/>";
    assert_null(load_edited(f, gap, "<length name=\"note.gap\" value=\"900\"/>"));
    snprintf(want, sizeof want, "%u:", line_of(gap));
    char *m = messages(f);
    assert_non_null(strstr(m, "the length 'note.gap' of 'goal' is 900 pt; it is from 0 to 56 pt"));
    assert_non_null(strstr(m, want));

    assert_null(load_edited(f, bar, "<length name=\"bar.hieght\" value=\"8\"/>"));
    assert_non_null(strstr(messages(f), "name=\"bar.hieght\" is not a length of 'progress'"));

    assert_null(load_edited(f, bar,
                            "<length name=\"bar.height\" value=\"8\"/>"
                            "<length name=\"bar.height\" value=\"9\"/>"));
    assert_non_null(strstr(messages(f), "the length 'bar.height' is given twice in 'progress'"));

    /* A length is where the kind's code finds it: by the index of its need. */
    const ts_layout *l = load(f, "helsinki.xml");
    const ts_slide_kind *k = ts_layout_kind(l, "progress");
    assert_int_equal(k->n_lengths, 26);
    assert_true(fabs(k->lengths[1] - 8) < 1e-9); /* bar.height */
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
        cmocka_unit_test_setup_teardown(test_new_kind_refused_located, setup, teardown),
        cmocka_unit_test_setup_teardown(test_frames_in_order_of_needs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lengths_checked, setup, teardown),
        cmocka_unit_test(test_contrast_ratio),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
