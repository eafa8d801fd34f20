/* The slide pack (outputs.md §1): the writer's entry point, the two passes, the slide frame
 * (title, rule, slide number), the stacking of text down a slide and on to continuation slides,
 * and the pack cover. */
#include "slides.h"
#include "locale.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Wrappers -------------------------------------------------------------------------- */

void sl_fail(sl *s, ts_pos pos, const char *what)
{
    if (!s->failed)
        ts_diag_add(s->diags, s->r->file, pos, TS_ERROR, "cannot write the slides: %s", what);
    s->failed = true;
}

ts_elem *sl_elem(sl *s, ts_elem *parent, const char *type)
{
    if (s->failed || s->ctx->untagged)
        return NULL;
    ts_elem *e = ts_elem_new(s->pdf, parent ? parent : s->doc, type);
    if (e == NULL)
        sl_fail(s, s->r->pos, "the structure tree cannot grow (out of memory?)");
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
        sl_fail(s, s->r->pos, "a shape cannot be drawn");
}

void sl_line(sl *s, double x1, double y1, double x2, double y2, ts_rgb c, double lw)
{
    if (s->failed)
        return;
    if (ts_draw_line(s->pdf, NULL, x1, y1, x2, y2, c, lw) != 0)
        sl_fail(s, s->r->pos, "a line cannot be drawn");
}

void sl_circle(sl *s, ts_elem *owner, double cx, double cy, double r, const ts_rgb *fill,
               const ts_rgb *stroke, double lw)
{
    if (s->failed)
        return;
    if (ts_draw_circle(s->pdf, owner, cx, cy, r, fill, stroke, lw) != 0)
        sl_fail(s, s->r->pos, "a mark cannot be drawn");
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
        sl_fail(s, s->r->pos, "out of memory");
        return;
    }
    if (ts_draw_flow(s->pdf, *tags, parent ? parent : s->doc, container, f, first, end, x, y) != 0)
        sl_fail(s,
                f->n_lines ? f->lines[first].segs ? f->lines[first].segs[0].pos : s->r->pos
                           : s->r->pos,
                "a text cannot be drawn");
}

void sl_artifact(sl *s, const ts_flow *f, size_t first, size_t end, double x, double y,
                 const char *kind)
{
    if (s->failed || f == NULL || first >= end)
        return;
    if (ts_draw_artifact_flow(s->pdf, f, first, end, x, y, kind) != 0)
        sl_fail(s, s->r->pos, "a text cannot be drawn");
}

void sl_bookmark(sl *s, ts_outline *parent, const char *title, int page, ts_outline **out)
{
    if (out)
        *out = NULL;
    if (s->failed)
        return;
    ts_outline *o = ts_pdf_outline(s->pdf, parent, title, page);
    if (o == NULL)
        sl_fail(s, s->r->pos, "a bookmark cannot be made");
    if (out)
        *out = o;
}

/* ---- Look and words -------------------------------------------------------------------- */

const ts_text_style *sl_style(sl *s, const char *name)
{
    /* The loader refused a layout without this style (layout.c: required_styles). */
    return ts_layout_style(s->L, name);
}

const ts_text_style *sl_style_in(sl *s, const char *name, ts_rgb colour)
{
    ts_text_style *c = ts_arena_alloc(s->a, sizeof *c);
    if (c == NULL) {
        sl_fail(s, s->r->pos, "out of memory");
        return sl_style(s, name);
    }
    *c = *sl_style(s, name);
    c->colour = colour;
    return c;
}

const ts_frame *sl_frame(sl *s, const char *kind, const char *name)
{
    return ts_layout_frame(s->L, kind, name);
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
        sl_fail(s, s->r->pos, "out of memory");
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
        sl_fail(s, f->pos, "out of memory");
    return t;
}

char *sl_lower(sl *s, const char *text)
{
    char *t = ts_arena_strdup(s->a, text);
    if (t == NULL) {
        sl_fail(s, s->r->pos, "out of memory");
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

static const ts_flow *checked(sl *s, const ts_flow *f)
{
    if (f == NULL)
        sl_fail(s, s->r->pos, "a text cannot be laid out (out of memory?)");
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
        sl_fail(s, in->pos, "out of memory");
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

double sl_first_lines(const ts_flow *f, size_t n)
{
    if (f == NULL || f->n_lines == 0)
        return 0;
    if (n > f->n_lines)
        n = f->n_lines;
    return ts_flow_span_height(f, 0, n);
}

void sl_status_mark(sl *s, ts_status st, double cx, double cy, double r)
{
    const ts_status_look *lk = &s->L->status[st];
    sl_circle(s, NULL, cx, cy, r, &lk->fill, &lk->border, 1.0);
}

/* ---- Slides ---------------------------------------------------------------------------- */

int sl_new_slide(sl *s, const char *kind)
{
    const ts_slide_kind *k = ts_layout_kind(s->L, kind);
    int page = s->pages;
    if (!s->failed) {
        int got = ts_pdf_add_page(s->pdf, k->background);
        if (got != page) {
            sl_fail(s, s->r->pos, "a page cannot be added");
            return page;
        }
    }
    s->pages++;
    const ts_frame *foot = sl_frame(s, kind, "footer");
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

/* Draws the slide title (tagged under sect when tag is set, else as an artifact), its accent
 * rule, and returns how far a title taller than its frame pushes the body down. */
static double draw_title(sl *s, const char *kind, const char *title, ts_elem *sect, const char *tag)
{
    const ts_frame *tf = sl_frame(s, kind, "title");
    const ts_frame *rule = sl_frame(s, kind, "rule");
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
    if (rule != NULL) {
        ts_rgb accent = sl_colour(s, "accent");
        sl_rect(s, NULL, rule->x, rule->y + extra, rule->w, rule->h, &accent, NULL, 0);
    }
    return extra;
}

static void stack_region(sl_stack *st, const ts_frame *body, double extra)
{
    st->x = body->x;
    st->w = body->w;
    st->y = body->y + extra;
    st->bottom = body->y + body->h;
    st->empty = true;
    st->trail = 0;
    st->trail_at = -1;
}

void sl_stack_open(sl_stack *st, sl *s, const char *kind, const char *title, ts_elem *sect,
                   const char *body, const char *body_cont)
{
    memset(st, 0, sizeof *st);
    st->s = s;
    st->kind = kind;
    st->title = title;
    st->sect = sect;
    st->body = sl_frame(s, kind, body);
    st->body_cont = sl_frame(s, kind, body_cont ? body_cont : body);
    st->first_page = sl_new_slide(s, kind);
    double extra = draw_title(s, kind, title, sect, "H2");
    sl_bookmark(s, s->bookmark, title, st->first_page, NULL);
    stack_region(st, st->body, extra);
}

void sl_stack_break(sl_stack *st)
{
    sl *s = st->s;
    sl_new_slide(s, st->kind);
    char *t = ts_arena_printf(s->a, "%s %s", st->title, sl_label(s, "continued"));
    if (t == NULL) {
        sl_fail(s, s->r->pos, "out of memory");
        return;
    }
    /* The continued title repeats what the tree already has: decoration, like a running
     * head. */
    double extra = draw_title(s, st->kind, t, st->sect, NULL);
    stack_region(st, st->body_cont, extra);
    if (st->on_break)
        st->on_break(st, st->hook_arg);
}

double sl_stack_room(const sl_stack *st)
{
    return st->bottom - st->y;
}

void sl_stack_gap(sl_stack *st, double pt)
{
    if (!st->empty) {
        st->y += pt;
        st->trail = pt;
        st->trail_at = st->y;
    }
}

size_t sl_fit_lines(const ts_flow *f, size_t first, double room, bool must)
{
    if (f == NULL || first >= f->n_lines)
        return 0;
    size_t rest = f->n_lines - first;
    size_t n = ts_flow_fit(f, first, room);
    if (ts_flow_span_height(f, first, first + n) > room + 0.01)
        n = 0; /* not even one line fits */
    if (n > 0 && n < rest) {
        if (rest - n < SL_WIDOW)
            n = rest > SL_WIDOW ? rest - SL_WIDOW : 0;
        if (n < SL_ORPHAN)
            n = 0;
    }
    if (n > 0 && first + n < f->n_lines && !f->lines[first + n].first_of_node) {
        /* Nor is a paragraph or an item broken with a line of it alone on either side: the
         * break moves to its start. */
        size_t end = first + n, before = 0, after = 0;
        for (size_t k = end; k-- > first;) {
            before++;
            if (f->lines[k].first_of_node)
                break;
        }
        for (size_t k = end; k < f->n_lines; k++) {
            after++;
            if (f->lines[k].last_of_node)
                break;
        }
        if (before < SL_ORPHAN || after < SL_ORPHAN)
            n = n - before >= SL_ORPHAN ? n - before : 0;
    }
    if (n == 0 && must) {
        /* An empty slide takes what fits, still sparing a widow when it can. */
        n = ts_flow_fit(f, first, room);
        if (n < rest && rest - n < SL_WIDOW && rest > SL_WIDOW && rest - SL_WIDOW >= SL_ORPHAN)
            n = rest - SL_WIDOW;
    }
    return n;
}

void sl_stack_flow(sl_stack *st, ts_flow_tags **tags, ts_elem *parent, ts_elem *container,
                   const ts_flow *f, double keep)
{
    sl *s = st->s;
    if (f == NULL || s->failed)
        return;
    /* The parts of one flow on several slides continue the same elements (one L, one P). */
    ts_flow_tags *local = NULL;
    if (tags == NULL)
        tags = &local;
    size_t i = 0;
    int guard = 0;
    while (i < f->n_lines && !s->failed) {
        double room = sl_stack_room(st);
        size_t n = sl_fit_lines(f, i, room, st->empty);
        double h = ts_flow_span_height(f, i, i + n);
        /* A flow's start keeps with what must follow it. */
        if (n > 0 && i == 0 && i + n >= f->n_lines && h + keep > room + 0.01)
            n = 0;
        if (n == 0 && !st->empty) {
            sl_stack_break(st);
            if (++guard > 2)
                break;
            continue;
        }
        if (n == 0)
            n = 1;
        h = ts_flow_span_height(f, i, i + n);
        guard = 0;
        sl_draw(s, tags, parent, container, f, i, i + n, st->x, st->y);
        st->y += h;
        st->empty = false;
        i += n;
        if (i < f->n_lines)
            sl_stack_break(st);
    }
    if (f->style) {
        st->y += f->style->space_after;
        st->trail = f->style->space_after;
        st->trail_at = st->y;
    }
}

void sl_stack_heading(sl_stack *st, ts_elem *parent, const char *tag, const ts_flow *f,
                      double next_h)
{
    sl *s = st->s;
    if (f == NULL)
        return;
    double before = st->empty ? 0 : f->style->space_before;
    /* The space after what stands above and the heading's space before are one gap, the
     * larger of the two. */
    if (!st->empty && st->trail_at == st->y) {
        double collapse = st->trail < before ? st->trail : before;
        st->y -= collapse;
    }
    if (!st->empty && before + f->height + f->style->space_after + next_h > sl_stack_room(st))
        sl_stack_break(st);
    else
        st->y += before;
    ts_elem *h = sl_elem(s, parent, tag);
    sl_stack_flow(st, NULL, parent, h, f, 0);
}

/* ---- The pack cover -------------------------------------------------------------------- */

/* Each text of the cover at its frame, or lower when the text above it took more lines than
 * its frame has; *below is the bottom of what is drawn so far. */
static void cover_text(sl *s, ts_elem *sect, const char *tag, const char *frame_name,
                       const ts_flow *f, double *below)
{
    if (f == NULL)
        return;
    const ts_frame *fr = sl_frame(s, "pack-cover", frame_name);
    double y = fr->y > *below ? fr->y : *below;
    ts_elem *e = sl_elem(s, sect, tag);
    sl_draw(s, NULL, sect, e, f, 0, f->n_lines, fr->x, y);
    *below = y + f->height + f->style->leading * 0.2;
}

static const char *pack_title(sl *s)
{
    if (s->r->title.n_runs > 0) {
        char *t = ts_inline_text(s->a, &s->r->title);
        if (t != NULL)
            return t;
    }
    return sl_labelf(s, "pack.title", -1);
}

void sl_pack_cover(sl *s)
{
    const ts_round *r = s->r;
    int page = sl_new_slide(s, "pack-cover");
    const char *title = pack_title(s);
    ts_elem *sect = sl_sect(s, title);
    double w = sl_frame(s, "pack-cover", "title")->w;
    const ts_text_style *ts = sl_style(s, "cover-title");
    const ts_text_style *ss = sl_style(s, "cover-subtitle");
    const ts_text_style *cs = sl_style(s, "cover-text");
    double below = 0;
    cover_text(s, sect, "H1", "title",
               r->title.n_runs ? sl_inline(s, &r->title, ts, w) : sl_plain(s, title, ts, w),
               &below);
    cover_text(s, sect, "P", "subtitle",
               r->subtitle.n_runs ? sl_inline(s, &r->subtitle, ss, w)
                                  : sl_plain(s, sl_label(s, "pack.subtitle"), ss, w),
               &below);
    char key[32];
    snprintf(key, sizeof key, "pack.round.%d", r->number);
    /* A subtitle of the round's own that already names the round is not repeated. */
    const char *round_line = sl_label(s, key);
    char *sub = r->subtitle.n_runs ? ts_inline_text(s->a, &r->subtitle) : NULL;
    if (sub == NULL || strstr(sl_lower(s, sub), sl_lower(s, round_line)) == NULL)
        cover_text(s, sect, "P", "round", sl_plain(s, round_line, cs, w), &below);
    cover_text(s, sect, "P", "division", sl_plain_at(s, r->division, r->pos, cs, w), &below);
    cover_text(s, sect, "P", "city", sl_plain_at(s, r->city, r->pos, cs, w), &below);
    char *date = ts_label_date(s->lb, s->a, r->date);
    cover_text(s, sect, "P", "date", sl_plain(s, date ? date : "", cs, w), &below);
    sl_bookmark(s, NULL, title, page, NULL);
}

/* ---- The writer ------------------------------------------------------------------------ */

static void compose(sl *s)
{
    const ts_round *r = s->r;
    s->doc = s->ctx->untagged ? NULL : ts_pdf_document(s->pdf);
    sl_pack_cover(s);
    if (!s->failed)
        sl_overview(s);
    for (size_t g = 0; g < r->n_goals && !s->failed; g++)
        for (size_t i = 0; i < r->goals[g].n_measures && !s->failed; i++) {
            const ts_measure *m = &r->goals[g].measures[i];
            if (ts_pdf_set_later_page(s->pdf, (int)m->index, s->pages) != 0) {
                sl_fail(s, m->pos, "out of memory");
                break;
            }
            /* A deck's flows are dead once it is drawn: each deck has a scratch arena of its
             * own, so that the pass's memory does not grow with the round. */
            ts_arena *pass = s->a, *deck = ts_arena_new(s->ctx->fault);
            if (deck == NULL) {
                sl_fail(s, m->pos, "out of memory");
                break;
            }
            s->a = deck;
            sl_deck(s, m);
            s->a = pass;
            ts_arena_free(deck);
        }
    if (!s->failed)
        sl_table(s);
    if (!s->failed && r->summary != NULL)
        sl_summary(s);
}

static bool run_pass(sl *s, ts_diags *engine_diags)
{
    s->pages = 0;
    s->bookmark = NULL;
    s->a = ts_arena_new(s->ctx->fault);
    s->te = ts_text_engine_new(ts_pdf_fonts(s->pdf), s->r->lang, s->ctx->hyphen_dir, s->r->file,
                               engine_diags);
    if (s->a == NULL || s->te == NULL)
        sl_fail(s, s->r->pos, "the text engine cannot start (out of memory?)");
    else
        compose(s);
    ts_text_engine_free(s->te);
    s->te = NULL;
    ts_arena_free(s->a);
    s->a = NULL;
    return !s->failed;
}

ts_rc ts_write_pdf(const ts_build_ctx *ctx, const char *path, ts_diags *diags)
{
    const ts_round *r = ctx->round;
    sl s = {.ctx = ctx, .r = r, .L = ctx->layout, .lb = ctx->labels, .diags = diags};

    /* The document's properties are made in a small arena of their own: the pass arenas come
     * and go. */
    ts_arena *info_arena = ts_arena_new(ctx->fault);
    if (info_arena == NULL)
        return TS_SYSTEM_ERROR;
    s.a = info_arena;
    const char *title = pack_title(&s);
    char *subject = ts_label_fmt(ctx->labels, info_arena, "doc.subject", r->year, r->number, -1);
    char *keywords = ts_label_fmt(ctx->labels, info_arena, "doc.keywords", r->year, r->number, -1);
    char *icc = ts_arena_printf(info_arena, "%s/layouts/icc/sRGB.icc", ctx->data_dir);
    char *creator = ts_arena_printf(info_arena, "taseuranta %s", TASEURANTA_VERSION);
    s.a = NULL;
    if (s.failed || subject == NULL || keywords == NULL || icc == NULL || creator == NULL) {
        ts_arena_free(info_arena);
        return TS_SYSTEM_ERROR;
    }
    ts_pdf_info info = {
        .title = title,
        .author = r->division,
        .subject = subject,
        .keywords = keywords,
        .creator = creator,
        .lang = r->lang,
        .now = ctx->now,
        .pdfa = ctx->pdfa,
        .untagged = ctx->untagged,
        .single_thread = ctx->single_thread,
        .icc_path = icc,
    };
    s.pdf = ts_pdf_new(ctx->layout, &info, diags);
    if (s.pdf == NULL) {
        ts_arena_free(info_arena);
        return TS_SYSTEM_ERROR;
    }
    ts_rc rc = TS_OK;
    if (!run_pass(&s, diags) || ts_pdf_save(s.pdf, path, diags) != 0)
        rc = TS_SYSTEM_ERROR;
    ts_pdf_free(s.pdf);
    ts_arena_free(info_arena);
    return rc;
}

/* ---- Block building -------------------------------------------------------------------- */

void sl_bb_inline(sl_bb *b, const ts_inline *in, unsigned add_style)
{
    if (in == NULL || in->n_runs == 0 || b->s->failed)
        return;
    ts_run *runs = ts_arena_calloc(b->s->a, in->n_runs, sizeof *runs);
    ts_block *blk = ts_vec_push(b->s->a, &b->blocks, sizeof *blk);
    if (runs == NULL || blk == NULL) {
        sl_fail(b->s, in->pos, "out of memory");
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
            sl_fail(b->s, from->pos, "out of memory");
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
            sl_fail(s, s->r->pos, "out of memory");
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
