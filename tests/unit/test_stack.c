/* The fit policy (src/slides/stack.h) on flows built by hand: each rule has a test that fails
 * when the rule is switched off (widows, orphans, a paragraph's lone line, keep-with-next, the
 * continuation mark, whole items split only when taller than a slide, never a blank slide).
 * The stack runs on a recorder instead of slides: its turns and the lines it places are
 * written down, slide by slide. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "slides/stack.h"

/* ---- Flows by hand --------------------------------------------------------------------- */

enum { MAX_LINES = 64, LEADING = 10 };

typedef struct hand_flow {
    ts_flow f;
    ts_line lines[MAX_LINES];
    ts_node nodes[MAX_LINES];
    ts_text_style style;
} hand_flow;

/* A flow of paragraphs of the given numbers of lines (0 ends the list), each line LEADING pt
 * tall; space_after pt after the flow. */
static const ts_flow *flow_of(hand_flow *h, const int *paragraphs, double space_after)
{
    memset(h, 0, sizeof *h);
    h->style = (ts_text_style){.name = "body",
                               .size = 8,
                               .leading = LEADING,
                               .space_before = 4,
                               .space_after = space_after};
    size_t n = 0, p = 0;
    for (; paragraphs[p] > 0; p++) {
        h->nodes[p] = (ts_node){.kind = TS_NODE_P, .id = p};
        for (int i = 0; i < paragraphs[p]; i++, n++) {
            assert_true(n < MAX_LINES);
            h->lines[n] = (ts_line){.node = &h->nodes[p],
                                    .first_of_node = i == 0,
                                    .last_of_node = i == paragraphs[p] - 1,
                                    .top = (double)n * LEADING,
                                    .baseline = (double)n * LEADING + 8,
                                    .height = LEADING};
        }
    }
    h->f = (ts_flow){.lines = h->lines,
                     .n_lines = n,
                     .nodes = h->nodes,
                     .n_nodes = p,
                     .width = 100,
                     .height = (double)n * LEADING,
                     .style = &h->style};
    return &h->f;
}

static const ts_flow *paragraph(hand_flow *h, int lines)
{
    int p[] = {lines, 0};
    return flow_of(h, p, 0);
}

/* ---- A stack on a recorder ------------------------------------------------------------- */

enum { MAX_SLIDES = 16, MAX_PLACED = 64 };

typedef struct placed {
    int slide;
    const ts_flow *f;
    size_t first, end;
    double y;
} placed;

typedef struct recorder {
    sl_stack st;
    double height; /* of every slide's region, from y = 0 */
    int slides;    /* opened, the first included */
    const char *titles[MAX_SLIDES], *marks[MAX_SLIDES];
    struct ts_elem *captions[MAX_SLIDES]; /* what each continued title is the caption of */
    placed placed[MAX_PLACED];
    int n_placed;
} recorder;

static void record_turn(sl_stack *st, const char *title, const char *mark,
                        struct ts_elem *caption_of)
{
    recorder *r = (recorder *)st; /* the stack is the recorder's first member */
    assert_true(r->slides < MAX_SLIDES);
    r->titles[r->slides] = title;
    r->marks[r->slides] = mark;
    r->captions[r->slides] = caption_of;
    r->slides++;
    sl_stack_region(st, 0, 0, 100, r->height);
}

static const sl_stack_ops recorder_ops = {record_turn};

static void record_lines(void *arg, const ts_flow *f, size_t first, size_t end, double x, double y,
                         double w)
{
    (void)x;
    (void)w;
    recorder *r = arg;
    assert_true(r->n_placed < MAX_PLACED);
    r->placed[r->n_placed++] = (placed){r->slides - 1, f, first, end, y};
}

/* A stack whose slides hold `height` pt, opened on its first slide. */
static void open_recorder(recorder *r, double height)
{
    memset(r, 0, sizeof *r);
    r->height = height;
    r->st = (sl_stack){.ops = &recorder_ops,
                       .title = "Tavoite",
                       .mark = "(jatkuu)",
                       .capacity = height,
                       .slides = 1};
    r->titles[0] = "Tavoite";
    r->slides = 1;
    sl_stack_region(&r->st, 0, 0, 100, height);
}

/* The slide on which line k of f was placed (-1: never). */
static int slide_of(const recorder *r, const ts_flow *f, size_t k)
{
    for (int i = 0; i < r->n_placed; i++)
        if (r->placed[i].f == f && r->placed[i].first <= k && k < r->placed[i].end)
            return r->placed[i].slide;
    return -1;
}

/* ---- Widows and orphans ---------------------------------------------------------------- */

static void test_widows(void **state)
{
    (void)state;
    hand_flow h;
    const ts_flow *f = paragraph(&h, 10);
    /* Nine lines fit: the break would leave one line alone on the next slide.  It leaves
     * three. */
    assert_int_equal(sl_fit_lines(f, 0, 95, false, SL_TEXT_RUNTS), 7);
    /* Seven fit: three are left anyway. */
    assert_int_equal(sl_fit_lines(f, 0, 75, false, SL_TEXT_RUNTS), 7);
    /* The same through a stack: the tenth line does not go alone to the second slide. */
    recorder r;
    open_recorder(&r, 95);
    sl_stack_lines(&r.st, f, record_lines, &r);
    assert_int_equal(r.slides, 2);
    assert_int_equal(slide_of(&r, f, 6), 0);
    assert_int_equal(slide_of(&r, f, 7), 1);
}

static void test_orphans(void **state)
{
    (void)state;
    hand_flow h;
    const ts_flow *f = paragraph(&h, 10);
    /* Room for one line at a slide's foot: the paragraph does not start there. */
    assert_int_equal(sl_fit_lines(f, 0, 15, false, SL_TEXT_RUNTS), 0);
    assert_int_equal(sl_fit_lines(f, 0, 25, false, SL_TEXT_RUNTS), 2);
    /* A flow that opens with a one-line paragraph does not leave it alone at the foot either:
     * a break leaves two lines of the flow. */
    hand_flow h2;
    int p[] = {1, 5, 0};
    assert_int_equal(sl_fit_lines(flow_of(&h2, p, 0), 0, 15, false, SL_TEXT_RUNTS), 0);
    /* Through a stack: a first paragraph leaves one line's room; the second starts on the
     * next slide, whole. */
    hand_flow h1;
    const ts_flow *first = paragraph(&h1, 5);
    recorder r;
    open_recorder(&r, 65);
    sl_stack_lines(&r.st, first, record_lines, &r);
    sl_stack_lines(&r.st, f, record_lines, &r);
    assert_int_equal(slide_of(&r, first, 4), 0);
    assert_int_equal(slide_of(&r, f, 0), 1);
    assert_int_equal(r.placed[1].y, 0);
}

/* A break inside a list leaves no item with one line of it alone on either side. */
static void test_lone_line_of_a_paragraph(void **state)
{
    (void)state;
    hand_flow h;
    int p[] = {3, 3, 3, 3, 0};
    const ts_flow *f = flow_of(&h, p, 0);
    /* Four lines fit: the fourth is the first line of the second paragraph, alone.  The break
     * moves to the paragraph's start. */
    assert_int_equal(sl_fit_lines(f, 0, 40, false, SL_TEXT_RUNTS), 3);
    /* Eight fit: the break after line 8 would leave the third paragraph's last line alone. */
    assert_int_equal(sl_fit_lines(f, 0, 80, false, SL_TEXT_RUNTS), 6);
}

/* A cell of a row that is split anyway keeps one line beside its neighbours, but still leaves
 * no widow. */
static void test_cell_runts(void **state)
{
    (void)state;
    hand_flow h;
    const ts_flow *f = paragraph(&h, 6);
    assert_int_equal(sl_fit_lines(f, 0, 15, true, SL_CELL_RUNTS), 1);
    assert_int_equal(sl_fit_lines(f, 0, 55, true, SL_CELL_RUNTS), 3);
}

/* ---- Keep-with-next -------------------------------------------------------------------- */

static void test_heading_keeps_with_next(void **state)
{
    (void)state;
    assert_true(sl_fit_keeps(20, 30, 50));
    assert_false(sl_fit_keeps(20, 30, 49));
    hand_flow hb, hh, hn;
    const ts_flow *body = paragraph(&hb, 6);
    const ts_flow *heading = paragraph(&hh, 1);
    const ts_flow *next = paragraph(&hn, 4);
    recorder r;
    open_recorder(&r, 100);
    sl_stack_lines(&r.st, body, record_lines, &r); /* 60 pt: 40 left */
    /* The heading (4 pt before, 10 tall) fits, but not with 30 pt of what follows. */
    sl_stack_heading_room(&r.st, heading, 30);
    sl_stack_lines(&r.st, heading, record_lines, &r);
    sl_stack_lines(&r.st, next, record_lines, &r);
    assert_int_equal(slide_of(&r, body, 5), 0);
    assert_int_equal(slide_of(&r, heading, 0), 1);
    assert_int_equal(slide_of(&r, next, 0), 1);
    /* At the top of the slide it goes, without its space before. */
    assert_true(r.placed[1].y == 0);
}

/* A heading's space before and the space after the paragraph above it are one gap. */
static void test_heading_space_collapses(void **state)
{
    (void)state;
    hand_flow hb, hh;
    int p[] = {2, 0};
    const ts_flow *body = flow_of(&hb, p, 6);
    const ts_flow *heading = paragraph(&hh, 1); /* 4 pt before */
    recorder r;
    open_recorder(&r, 100);
    sl_stack_lines(&r.st, body, record_lines, &r);
    sl_stack_heading_room(&r.st, heading, 0);
    sl_stack_lines(&r.st, heading, record_lines, &r);
    assert_true(r.placed[1].y == 26); /* 20 + max(6, 4) */
}

/* ---- Continuation and blank slides ----------------------------------------------------- */

static void test_continuation_mark(void **state)
{
    (void)state;
    hand_flow h;
    const ts_flow *f = paragraph(&h, 30);
    recorder r;
    open_recorder(&r, 100);
    sl_stack_lines(&r.st, f, record_lines, &r);
    assert_int_equal(r.slides, 3);
    assert_int_equal(r.st.slides, 3);
    assert_null(r.marks[0]);
    for (int i = 1; i < r.slides; i++) {
        assert_string_equal(r.titles[i], "Tavoite");
        assert_non_null(r.marks[i]);
        assert_string_equal(r.marks[i], "(jatkuu)");
    }
}

/* What continues over a turn (a table) makes its next part before the slide is opened, so
 * that the continued title is that part's caption, and draws its head after. */
typedef struct continuing {
    char parts[MAX_SLIDES]; /* stand-ins for the parts' elements */
    int made, redrawn;
    int slides_at_make[MAX_SLIDES], slides_at_redraw[MAX_SLIDES];
} continuing;

static struct ts_elem *make_part(sl_stack *st, void *arg)
{
    continuing *c = arg;
    c->slides_at_make[c->made] = ((recorder *)st)->slides;
    return (struct ts_elem *)(void *)&c->parts[c->made++];
}

static void redraw(sl_stack *st, void *arg)
{
    continuing *c = arg;
    c->slides_at_redraw[c->redrawn++] = ((recorder *)st)->slides;
}

static void test_continued_caption(void **state)
{
    (void)state;
    hand_flow h;
    const ts_flow *f = paragraph(&h, 30);
    recorder r;
    open_recorder(&r, 100);
    continuing c = {0};
    r.st.on_caption = make_part;
    r.st.on_turn = redraw;
    r.st.turn_arg = &c;
    sl_stack_lines(&r.st, f, record_lines, &r);
    assert_int_equal(r.slides, 3);
    assert_int_equal(c.made, 2);
    assert_int_equal(c.redrawn, 2);
    for (int i = 1; i < r.slides; i++) {
        /* Made while slide i was not open yet, its caption there, redrawn once it was. */
        assert_int_equal(c.slides_at_make[i - 1], i);
        assert_ptr_equal(r.captions[i], &c.parts[i - 1]);
        assert_int_equal(c.slides_at_redraw[i - 1], i + 1);
    }
    /* Without it, a continued title is the caption of nothing: decoration. */
    open_recorder(&r, 100);
    sl_stack_lines(&r.st, f, record_lines, &r);
    for (int i = 1; i < r.slides; i++)
        assert_null(r.captions[i]);
}

static void test_never_a_blank_slide(void **state)
{
    (void)state;
    /* Slides of 15 pt hold one line of 10: the orphan rule would move every part on, but a
     * slide with nothing of the flow takes what fits. */
    hand_flow h;
    const ts_flow *f = paragraph(&h, 5);
    recorder r;
    open_recorder(&r, 15);
    sl_stack_lines(&r.st, f, record_lines, &r);
    assert_int_equal(r.slides, 5);
    for (int s = 0; s < r.slides; s++) {
        bool any = false;
        for (int i = 0; i < r.n_placed; i++)
            any |= r.placed[i].slide == s;
        assert_true(any);
    }
    /* On an empty slide the orphan rule gives way: one line fits, one line is taken. */
    assert_int_equal(sl_fit_lines(f, 0, 15, true, SL_TEXT_RUNTS), 1);
}

/* ---- Whole items ----------------------------------------------------------------------- */

static void test_whole_items_split_only_when_taller(void **state)
{
    (void)state;
    /* A row of 50 pt with 30 left, rows already above it: it moves whole. */
    assert_true(sl_fit_moves(false, 50, 100, true, false));
    /* The first row under a table's head, shorter than a slide: it moves whole too. */
    assert_true(sl_fit_moves(false, 50, 100, false, false));
    /* A row taller than any slide: split here, where it starts, not after a blank move. */
    assert_false(sl_fit_moves(false, 150, 100, false, false));
    /* ... unless rows stand above it: then it starts on a slide of its own. */
    assert_true(sl_fit_moves(false, 150, 100, true, false));
    /* On a fresh slide nothing moves on: the row is split there. */
    assert_false(sl_fit_moves(false, 50, 100, false, true));
    assert_false(sl_fit_moves(false, 150, 100, true, true));
    /* What fits stays. */
    assert_false(sl_fit_moves(true, 50, 100, true, false));
}

static void test_box_parts(void **state)
{
    (void)state;
    /* A callout of 8 lines inside 5 pt of padding on slides of 60 pt: 50 pt of lines a slide,
     * each part in its own box. */
    hand_flow h;
    const ts_flow *f = paragraph(&h, 8);
    recorder r;
    open_recorder(&r, 60);
    sl_stack_box(&r.st, f, 5, record_lines, &r);
    assert_int_equal(r.n_placed, 2);
    assert_int_equal(r.placed[0].end, 5);
    assert_int_equal(r.placed[1].first, 5);
    assert_true(r.st.y == 30 + 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_widows),
        cmocka_unit_test(test_orphans),
        cmocka_unit_test(test_lone_line_of_a_paragraph),
        cmocka_unit_test(test_cell_runts),
        cmocka_unit_test(test_heading_keeps_with_next),
        cmocka_unit_test(test_heading_space_collapses),
        cmocka_unit_test(test_continuation_mark),
        cmocka_unit_test(test_continued_caption),
        cmocka_unit_test(test_never_a_blank_slide),
        cmocka_unit_test(test_whole_items_split_only_when_taller),
        cmocka_unit_test(test_box_parts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
