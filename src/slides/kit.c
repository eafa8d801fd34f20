/* The slide kinds' toolkit (kit.h). */
#include "slides/kit.h"
#include "core/locale.h"

#include <stdio.h>
#include <string.h>

/* ---- Drawing: no-ops once the pass failed ------------------------------------------------ */

void sl_fail(sl *s, ts_pos pos, ts_fault fault, const char *what)
{
    if (!s->failed)
        ts_diag_fault(s->diags, s->r->file, pos, fault, "cannot write the slides: %s", what);
    s->failed = true;
}

void sl_no_memory(sl *s, ts_pos pos)
{
    sl_fail(s, pos, TS_FAULT_NO_MEMORY, "out of memory");
}

ts_elem *sl_elem(sl *s, ts_elem *parent, const char *type)
{
    if (s->failed || s->ctx->untagged)
        return NULL;
    ts_elem *e = ts_elem_new(s->pdf, parent ? parent : s->doc, type);
    if (e == NULL)
        sl_fail(s, s->r->pos, TS_FAULT_NO_MEMORY, "out of memory while growing the structure tree");
    return e;
}

ts_elem *sl_sect(sl *s, const char *title)
{
    ts_elem *sect = sl_elem(s, NULL, "Sect");
    if (sect)
        ts_elem_set_title(s->pdf, sect, title);
    return sect;
}

void sl_alt(sl *s, ts_elem *e, const char *alt)
{
    if (!s->failed && e != NULL && alt != NULL)
        ts_elem_set_alt(s->pdf, e, alt);
}

void sl_rect(sl *s, ts_elem *owner, double x, double y, double w, double h, const ts_rgb *fill,
             const ts_rgb *stroke, double lw)
{
    if (s->failed || w <= 0 || h <= 0)
        return;
    if (ts_draw_rect(s->pdf, owner, x, y, w, h, fill, stroke, lw) != 0)
        sl_fail(s, s->r->pos, TS_FAULT_SYSTEM, "a shape cannot be drawn");
}

void sl_line(sl *s, double x1, double y1, double x2, double y2, ts_rgb c, double lw)
{
    if (s->failed)
        return;
    if (ts_draw_line(s->pdf, NULL, x1, y1, x2, y2, c, lw) != 0)
        sl_fail(s, s->r->pos, TS_FAULT_SYSTEM, "a line cannot be drawn");
}

void sl_circle(sl *s, ts_elem *owner, double cx, double cy, double r, const ts_rgb *fill,
               const ts_rgb *stroke, double lw)
{
    if (s->failed)
        return;
    if (ts_draw_circle(s->pdf, owner, cx, cy, r, fill, stroke, lw) != 0)
        sl_fail(s, s->r->pos, TS_FAULT_SYSTEM, "a mark cannot be drawn");
}

void sl_draw(sl *s, ts_flow_tags **tags, ts_elem *parent, ts_elem *container, const ts_flow *f,
             size_t first, size_t end, double x, double y)
{
    if (s->failed || f == NULL || first >= end)
        return;
    ts_flow_tags *local = NULL;
    if (tags == NULL)
        tags = &local;
    /* In the deck's arena, with the flow: the document's would keep it to the end. */
    if (*tags == NULL && (*tags = ts_flow_tags_new_in(s->pdf, s->a, f)) == NULL) {
        sl_no_memory(s, s->r->pos);
        return;
    }
    if (ts_draw_flow(s->pdf, *tags, parent ? parent : s->doc, container, f, first, end, x, y) != 0)
        sl_fail(s,
                f->n_lines ? f->lines[first].segs ? f->lines[first].segs[0].pos : s->r->pos
                           : s->r->pos,
                TS_FAULT_SYSTEM, "a text cannot be drawn");
}

void sl_artifact(sl *s, const ts_flow *f, size_t first, size_t end, double x, double y,
                 const char *kind)
{
    if (s->failed || f == NULL || first >= end)
        return;
    if (ts_draw_artifact_flow(s->pdf, f, first, end, x, y, kind) != 0)
        sl_fail(s, s->r->pos, TS_FAULT_SYSTEM, "a text cannot be drawn");
}

void sl_bookmark(sl *s, ts_outline *parent, const char *title, int page, ts_outline **out)
{
    if (out)
        *out = NULL;
    if (s->failed)
        return;
    ts_outline *o = ts_pdf_outline(s->pdf, parent, title, page);
    if (o == NULL)
        sl_fail(s, s->r->pos, TS_FAULT_SYSTEM, "a bookmark cannot be made");
    if (out)
        *out = o;
}

/* ---- Look and words ---------------------------------------------------------------------- */

const ts_text_style *sl_style(sl *s, const char *name)
{
    /* The loader refused a layout without a style that a kind's frames list. */
    const ts_text_style *st = ts_layout_style(s->L, name);
    if (st == NULL) {
        /* A name that no kind lists is the slide code's mistake: the pass ends, whole. */
        sl_fail(s, s->r->pos, TS_FAULT_SYSTEM,
                "a text style that no slide kind lists is asked for");
        return &s->L->styles[0];
    }
    return st;
}

const ts_text_style *sl_style_in(sl *s, const char *name, ts_rgb colour)
{
    ts_text_style *c = ts_arena_alloc(s->a, sizeof *c);
    if (c == NULL) {
        sl_no_memory(s, s->r->pos);
        return sl_style(s, name);
    }
    *c = *sl_style(s, name);
    c->colour = colour;
    return c;
}

const ts_slide_kind *sl_look(sl *s, const sl_kind *kind)
{
    /* The pack checks every kind of its list against the layout before the pass. */
    return ts_layout_kind(s->L, kind->need.name);
}

const ts_frame *sl_frame(sl *s, const sl_kind *kind, int i)
{
    return &sl_look(s, kind)->frames[i];
}

double sl_length(sl *s, const sl_kind *kind, int i)
{
    return sl_look(s, kind)->lengths[i];
}

ts_rgb sl_colour(sl *s, const char *name)
{
    ts_rgb c = {0, 0, 0};
    if (!ts_layout_colour(s->L, name, &c)) {
        /* A decoration colour the layout does not name falls back to its text colour. */
        c = sl_style(s, "body")->colour;
    }
    return c;
}

const char *sl_label(sl *s, const char *key)
{
    return ts_label(s->lb, key);
}

char *sl_labelf(sl *s, const char *key, int n)
{
    char *t = ts_label_fmt(s->lb, s->a, key, s->r->year, s->r->number, n);
    if (t == NULL) {
        sl_no_memory(s, s->r->pos);
        return "";
    }
    return t;
}

char *sl_label_name(sl *s, const char *key, const char *name)
{
    char *t = ts_label_fmt_name(s->lb, s->a, key, name);
    if (t == NULL) {
        sl_no_memory(s, s->r->pos);
        return "";
    }
    return t;
}

char *sl_round_label(sl *s, const char *key, int round)
{
    char *t = ts_label_fmt(s->lb, s->a, key, s->r->year, round, -1);
    if (t == NULL) {
        sl_no_memory(s, s->r->pos);
        return "";
    }
    return t;
}

char *sl_value_text(sl *s, const ts_forecast *f)
{
    if (f == NULL || !f->has_value)
        return NULL;
    char *t = ts_format_quantity(s->a, f->value, f->unit, s->r->lang);
    if (t == NULL)
        sl_no_memory(s, f->pos);
    return t;
}

char *sl_lower(sl *s, const char *text)
{
    char *t = ts_arena_strdup(s->a, text);
    if (t == NULL) {
        sl_no_memory(s, s->r->pos);
        return "";
    }
    unsigned char *p = (unsigned char *)t;
    while (*p) {
        if (*p >= 'A' && *p <= 'Z')
            *p = (unsigned char)(*p + 32);
        else if (*p == 0xC3 && p[1] >= 0x80 && p[1] <= 0x9E && p[1] != 0x97) {
            /* Latin-1 capitals (Ä, Ö, Å ...) are U+00C0..U+00DE: the lower case is +0x20. */
            p[1] = (unsigned char)(p[1] + 0x20);
            p++;
        }
        p++;
    }
    return t;
}

char *sl_text_of(sl *s, const ts_inline *in)
{
    char *t = ts_inline_text(s->a, in);
    if (t == NULL) {
        sl_no_memory(s, in->pos);
        return "";
    }
    return t;
}

const char *sl_pack_title(sl *s)
{
    if (s->r->title.n_runs > 0) {
        char *t = ts_inline_text(s->a, &s->r->title);
        if (t != NULL)
            return t;
    }
    return sl_labelf(s, "pack.title", -1);
}

bool sl_round_status(const sl *s, const ts_measure *m, int round, ts_status *out)
{
    if (round > s->r->number)
        return false;
    *out = m->by_round[round] ? m->by_round[round]->status : TS_STATUS_NONE;
    return true;
}

/* A task's title behind its number, "3. " in bold.  Every slide that shows a task numbers it
 * by its place among its target's tasks (outputs.md §1 "Task numbers"): the columns, where
 * the tasks stand by status, the scale's markers and the detailed table, where they stand in
 * the file's order, so that a task is found by its number on each. */
ts_inline sl_numbered_title(sl *s, const ts_task *task, size_t number)
{
    const ts_inline *title = &task->title;
    char *lead = ts_arena_printf(s->a, "%zu. ", number);
    ts_run *runs = ts_arena_calloc(s->a, title->n_runs + 1, sizeof *runs);
    if (runs == NULL || lead == NULL) {
        sl_no_memory(s, task->pos);
        return *title;
    }
    runs[0] = (ts_run){.text = lead, .len = strlen(lead), .style = TS_RUN_BOLD, .pos = title->pos};
    memcpy(runs + 1, title->runs, title->n_runs * sizeof *runs);
    return (ts_inline){.runs = runs, .n_runs = title->n_runs + 1, .pos = title->pos};
}

/* ---- Text laid out ----------------------------------------------------------------------- */

static const ts_flow *checked(sl *s, const ts_flow *f)
{
    if (f == NULL)
        sl_fail(s, s->r->pos, TS_FAULT_NO_MEMORY, "out of memory while laying out a text");
    return f;
}

const ts_flow *sl_plain(sl *s, const char *text, const ts_text_style *st, double w)
{
    if (s->failed)
        return NULL;
    return checked(s, ts_layout_plain(s->te, s->a, text, st, w));
}

const ts_flow *sl_inline(sl *s, const ts_inline *in, const ts_text_style *st, double w)
{
    if (s->failed)
        return NULL;
    return checked(s, ts_layout_inline(s->te, s->a, in, st, w));
}

const ts_flow *sl_inline_read(sl *s, const ts_inline *in, const char *const *read_as,
                              const ts_text_style *st, double w)
{
    if (s->failed)
        return NULL;
    return checked(s, ts_layout_inline_read(s->te, s->a, in, read_as, st, w));
}

const ts_flow *sl_blocks(sl *s, const ts_blocks *b, const ts_text_style *st, double w)
{
    if (s->failed)
        return NULL;
    return checked(s, ts_layout_blocks(s->te, s->a, b, st, w));
}

const ts_flow *sl_plain_at(sl *s, const char *text, ts_pos pos, const ts_text_style *st, double w)
{
    if (s->failed)
        return NULL;
    ts_run run = {.text = text ? text : "", .len = text ? strlen(text) : 0, .pos = pos};
    ts_inline in = {.runs = &run, .n_runs = 1, .pos = pos};
    return checked(s, ts_layout_inline(s->te, s->a, &in, st, w));
}

const ts_flow *sl_lead_inline(sl *s, const char *lead, const ts_inline *in, const ts_text_style *st,
                              double w)
{
    if (s->failed)
        return NULL;
    ts_run *runs = ts_arena_calloc(s->a, in->n_runs + 1, sizeof *runs);
    if (runs == NULL) {
        sl_no_memory(s, in->pos);
        return NULL;
    }
    runs[0] = (ts_run){.text = lead, .len = strlen(lead), .style = TS_RUN_BOLD, .pos = in->pos};
    for (size_t i = 0; i < in->n_runs; i++)
        runs[i + 1] = in->runs[i];
    ts_inline all = {.runs = runs, .n_runs = in->n_runs + 1, .pos = in->pos};
    return checked(s, ts_layout_inline(s->te, s->a, &all, st, w));
}

bool sl_blocks_empty(const ts_blocks *b)
{
    return b == NULL || !b->present || b->n == 0;
}

void sl_bb_inline(sl_bb *b, const ts_inline *in, unsigned add_style)
{
    if (in == NULL || in->n_runs == 0 || b->s->failed)
        return;
    ts_run *runs = ts_arena_calloc(b->s->a, in->n_runs, sizeof *runs);
    ts_block *blk = ts_vec_push(b->s->a, &b->blocks, sizeof *blk);
    if (runs == NULL || blk == NULL) {
        sl_no_memory(b->s, in->pos);
        return;
    }
    for (size_t i = 0; i < in->n_runs; i++) {
        runs[i] = in->runs[i];
        runs[i].style |= add_style;
    }
    blk->kind = TS_BLOCK_P;
    blk->text = (ts_inline){.runs = runs, .n_runs = in->n_runs, .pos = in->pos};
    blk->pos = in->pos;
}

void sl_bb_text(sl_bb *b, const char *text, unsigned style, ts_pos pos)
{
    if (text == NULL || text[0] == '\0')
        return;
    ts_run run = {.text = text, .len = strlen(text), .style = style, .pos = pos};
    ts_inline in = {.runs = &run, .n_runs = 1, .pos = pos};
    sl_bb_inline(b, &in, 0);
}

void sl_bb_blocks(sl_bb *b, const ts_blocks *from)
{
    if (sl_blocks_empty(from) || b->s->failed)
        return;
    for (size_t i = 0; i < from->n; i++) {
        ts_block *blk = ts_vec_push(b->s->a, &b->blocks, sizeof *blk);
        if (blk == NULL) {
            sl_no_memory(b->s, from->pos);
            return;
        }
        *blk = from->blocks[i];
    }
}

ts_blocks sl_bb_done(sl_bb *b)
{
    return (ts_blocks){.blocks = b->blocks.items, .n = b->blocks.len, .present = true};
}

const ts_flow *sl_lines(sl *s, const char *text, const ts_text_style *st, double w)
{
    sl_bb b = {.s = s};
    const char *p = text;
    while (*p) {
        size_t n = strcspn(p, "\n");
        char *line = ts_arena_strndup(s->a, p, n);
        if (line == NULL) {
            sl_no_memory(s, s->r->pos);
            return NULL;
        }
        sl_bb_text(&b, line, 0, s->r->pos);
        p += n;
        if (*p == '\n')
            p++;
    }
    ts_blocks bl = sl_bb_done(&b);
    return sl_blocks(s, &bl, st, w);
}

void sl_status_mark(sl *s, ts_status st, double cx, double cy, double r, double lw)
{
    const ts_status_look *lk = &s->L->status[st];
    sl_circle(s, NULL, cx, cy, r, &lk->fill, &lk->border, lw);
}

/* ---- Slides ------------------------------------------------------------------------------ */

int sl_new_slide(sl *s, const sl_kind *kind)
{
    const ts_slide_kind *k = sl_look(s, kind);
    int page = s->pages;
    if (!s->failed) {
        int got = ts_pdf_add_page(s->pdf, k->background);
        if (got != page) {
            sl_fail(s, s->r->pos, TS_FAULT_SYSTEM, "a page cannot be added");
            return page;
        }
    }
    s->pages++;
    const ts_frame *foot = ts_layout_frame(s->L, kind->need.name, "footer");
    if (foot != NULL) {
        const ts_text_style *fs = sl_style(s, "footer");
        const char *num = sl_labelf(s, "page", page + 1);
        double w = s->failed ? 0 : ts_measure_plain(s->te, num, fs);
        const ts_flow *f = sl_plain(s, num, fs, w + 1);
        if (f != NULL)
            sl_artifact(s, f, 0, f->n_lines, foot->x + foot->w - w, foot->y, "Pagination");
    }
    return page;
}

double sl_draw_title(sl *s, const sl_kind *kind, const char *title, ts_elem *sect, const char *tag)
{
    const ts_frame *tf = sl_frame(s, kind, SL_TITLE);
    const ts_frame *rule = sl_frame(s, kind, SL_RULE);
    const ts_flow *f = sl_plain(s, title, sl_style(s, "title"), tf->w);
    if (f == NULL)
        return 0;
    if (tag != NULL) {
        ts_elem *h = sl_elem(s, sect, tag);
        sl_draw(s, NULL, sect, h, f, 0, f->n_lines, tf->x, tf->y);
    } else {
        sl_artifact(s, f, 0, f->n_lines, tf->x, tf->y, "Layout");
    }
    double extra = f->height > tf->h ? f->height - tf->h : 0;
    ts_rgb accent = sl_colour(s, "accent");
    sl_rect(s, NULL, rule->x, rule->y + extra, rule->w, rule->h, &accent, NULL, 0);
    return extra;
}

/* ---- Stacks on slides ------------------------------------------------------------------ */

static void turn(sl_stack *st, const char *title, const char *mark, struct ts_elem *caption_of)
{
    sl *s = st->s;
    sl_new_slide(s, st->kind);
    char *t = ts_arena_printf(s->a, "%s %s", title, mark);
    if (t == NULL) {
        sl_no_memory(s, s->r->pos);
        return;
    }
    /* The continued title repeats what the tree already has: decoration, like a running
     * head; unless a table continues here, whose part on this slide it names as its caption,
     * so that a reader who comes to the slide hears what the table is and that it goes on. */
    double extra = caption_of != NULL ? sl_draw_title(s, st->kind, t, caption_of, "Caption")
                                      : sl_draw_title(s, st->kind, t, st->sect, NULL);
    const ts_frame *b = st->body_cont;
    sl_stack_region(st, b->x, b->y + extra, b->w, b->y + b->h);
}

static const sl_stack_ops slide_ops = {turn};

void sl_open_stack(sl_stack *st, sl *s, const sl_kind *kind, const char *title, ts_elem *sect,
                   int body, int body_cont)
{
    *st = (sl_stack){.ops = &slide_ops,
                     .title = title,
                     .mark = sl_label(s, "continued"),
                     .slides = 1,
                     .stop = &s->failed,
                     .s = s,
                     .kind = kind,
                     .sect = sect,
                     .body_cont = sl_frame(s, kind, body_cont >= 0 ? body_cont : body)};
    st->capacity = st->body_cont->h;
    int page = sl_new_slide(s, kind);
    double extra = sl_draw_title(s, kind, title, sect, "H2");
    sl_bookmark(s, s->bookmark, title, page, NULL);
    const ts_frame *b = sl_frame(s, kind, body);
    sl_stack_region(st, b->x, b->y + extra, b->w, b->y + b->h);
}

typedef struct flow_drawing {
    sl *s;
    ts_flow_tags **tags;
    ts_elem *parent, *container;
} flow_drawing;

static void draw_flow(void *arg, const ts_flow *f, size_t first, size_t end, double x, double y,
                      double w)
{
    (void)w;
    flow_drawing *d = arg;
    sl_draw(d->s, d->tags, d->parent, d->container, f, first, end, x, y);
}

void sl_put_flow(sl_stack *st, ts_flow_tags **tags, ts_elem *parent, ts_elem *container,
                 const ts_flow *f)
{
    ts_flow_tags *local = NULL;
    flow_drawing d = {st->s, tags ? tags : &local, parent, container};
    sl_stack_lines(st, f, draw_flow, &d);
}

void sl_put_heading(sl_stack *st, ts_elem *parent, const char *tag, const ts_flow *f, double next)
{
    if (f == NULL)
        return;
    sl_stack_heading_room(st, f, next);
    ts_elem *h = sl_elem(st->s, parent, tag);
    sl_put_flow(st, NULL, parent, h, f);
}
