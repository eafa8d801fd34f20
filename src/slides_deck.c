/* One deck per measure (outputs.md §1.3): cover, goal, broken-down progress (task columns and
 * scales), detailed progress, forecast and risks, notes. */
#include "slides.h"
#include "locale.h"

#include <stdio.h>
#include <string.h>

typedef struct alt_buf {
    char *text;
    size_t len, cap;
    bool failed;
} alt_buf;

static void alt_add(sl *s, alt_buf *b, const char *piece)
{
    if (b->failed || piece == NULL) {
        b->failed = true;
        return;
    }
    size_t n = strlen(piece);
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *bigger = ts_arena_alloc(s->a, cap);
        if (bigger == NULL) {
            b->failed = true;
            return;
        }
        if (b->len)
            memcpy(bigger, b->text, b->len);
        b->text = bigger;
        b->cap = cap;
    }
    memcpy(b->text + b->len, piece, n + 1);
    b->len += n;
}

static char *text_of(sl *s, const ts_inline *in)
{
    char *t = ts_inline_text(s->a, in);
    if (t == NULL) {
        sl_fail(s, in->pos, "out of memory");
        return "";
    }
    return t;
}

/* The names of a role, "A, B", as runs that keep each name's place in the source. */
static ts_inline people(sl *s, const ts_person *p, size_t n)
{
    ts_run *runs = ts_arena_calloc(s->a, 2 * n, sizeof *runs);
    if (runs == NULL) {
        sl_fail(s, s->r->pos, "out of memory");
        return (ts_inline){0};
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            runs[k++] = (ts_run){.text = ", ", .len = 2, .pos = p[i].pos};
        runs[k++] = (ts_run){.text = p[i].name, .len = strlen(p[i].name), .pos = p[i].pos};
    }
    return (ts_inline){.runs = runs, .n_runs = k, .pos = n ? p[0].pos : s->r->pos};
}

/* ---- Cover ----------------------------------------------------------------------------- */

static void deck_cover(sl *s, const ts_measure *m, ts_elem *sect, const char *name)
{
    const char *K = "deck-cover";
    int page = sl_new_slide(s, K);
    const ts_frame *band = sl_frame(s, K, "band");
    ts_rgb bc = sl_colour(s, "band");
    sl_rect(s, NULL, band->x, band->y, band->w, band->h, &bc, NULL, 0);

    const ts_frame *kf = sl_frame(s, K, "kicker");
    const ts_flow *kick =
        sl_plain(s, sl_labelf(s, "deck.kicker", -1), sl_style(s, "kicker"), kf->w);
    ts_elem *p = sl_elem(s, sect, "P");
    if (kick)
        sl_draw(s, NULL, sect, p, kick, 0, kick->n_lines, kf->x, kf->y);

    const ts_frame *tf = sl_frame(s, K, "title");
    const ts_flow *title = sl_inline(s, &m->name, sl_style(s, "deck-title"), tf->w);
    ts_elem *h1 = sl_elem(s, sect, "H1");
    if (title)
        sl_draw(s, NULL, sect, h1, title, 0, title->n_lines, tf->x, tf->y);

    const ts_frame *rf = sl_frame(s, K, "roles");
    const ts_text_style *rs = sl_style(s, "role");
    double y = rf->y;
    if (title && tf->y + title->height + rs->leading > y)
        y = tf->y + title->height + rs->leading;
    struct {
        const char *role;
        const ts_person *p;
        size_t n;
    } roles[3] = {{"owner", m->owners, m->n_owners},
                  {"manager", m->managers, m->n_managers},
                  {"preparer", m->preparers, m->n_preparers}};
    for (int i = 0; i < 3; i++) {
        if (roles[i].n == 0)
            continue; /* a role with nobody is left out */
        char *lead = ts_arena_printf(s->a, "%s: ", ts_label_role(s->lb, roles[i].role, roles[i].n));
        ts_inline names = people(s, roles[i].p, roles[i].n);
        const ts_flow *f = lead && names.n_runs ? sl_lead_inline(s, lead, &names, rs, rf->w) : NULL;
        if (f == NULL)
            break;
        ts_elem *e = sl_elem(s, sect, "P");
        sl_draw(s, NULL, sect, e, f, 0, f->n_lines, rf->x, y);
        y += f->height + rs->space_after;
    }
    const ts_frame *df = sl_frame(s, K, "date");
    char *date = ts_label_date(s->lb, s->a, m->has_date ? m->date : s->r->date);
    const ts_flow *d = sl_plain(s, date ? date : "", rs, df->w);
    ts_elem *de = sl_elem(s, sect, "P");
    if (d)
        sl_draw(s, NULL, sect, de, d, 0, d->n_lines, df->x,
                y + rs->leading > df->y ? y + rs->leading : df->y);
    sl_bookmark(s, NULL, name, page, &s->bookmark);
}

/* ---- Callouts -------------------------------------------------------------------------- */

/* A note: a light box with a coloured bar on its left, as the HDS notification. */
static double callout_h(sl *s, const ts_flow *f, const ts_frame *pad)
{
    (void)s;
    return f ? f->height + 2 * pad->y : 0;
}

static void callout_draw(sl *s, ts_elem *parent, const ts_flow *f, size_t first, size_t end,
                         ts_flow_tags **tags, double x, double y, double w, const ts_frame *pad)
{
    double h = ts_flow_span_height(f, first, end) + 2 * pad->y;
    ts_rgb fill = sl_colour(s, "note-fill");
    ts_rgb bar = sl_colour(s, "note-border");
    sl_rect(s, NULL, x, y, w, h, &fill, NULL, 0);
    sl_rect(s, NULL, x, y, pad->x / 2, h, &bar, NULL, 0);
    sl_draw(s, tags, parent, NULL, f, first, end, x + pad->x * 1.5, y + pad->y);
}

static double note_w(const ts_frame *fr, const ts_frame *pad)
{
    return fr->w - pad->x * 2.5;
}

/* ---- Goal ------------------------------------------------------------------------------ */

static const ts_flow *links_flow(sl *s, const ts_measure *m, const ts_text_style *st, double w)
{
    ts_list_item *items = ts_arena_calloc(s->a, m->n_links, sizeof *items);
    ts_block *ul = ts_arena_calloc(s->a, 1, sizeof *ul);
    if (items == NULL || ul == NULL) {
        sl_fail(s, m->pos, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < m->n_links; i++) {
        items[i].text = m->links[i]->name;
        items[i].pos = m->links[i]->pos;
    }
    ul->kind = TS_BLOCK_UL;
    ul->items = items;
    ul->n_items = m->n_links;
    ul->pos = m->pos;
    ts_blocks b = {.blocks = ul, .n = 1, .present = true, .pos = m->pos};
    return sl_blocks(s, &b, st, w);
}

/* The goal's column: headings and flows, laid out for one width. */
typedef struct goal_part {
    const ts_flow *f;
    const char *heading; /* "H3" for a heading, NULL for text */
    bool para;           /* the goal statement: one P of its own */
    double keep;         /* a heading keeps with this much of what follows */
} goal_part;

static size_t goal_parts(sl *s, const ts_measure *m, double w, goal_part *out)
{
    const ts_goal *g = m->goal;
    const ts_text_style *body = sl_style(s, "body");
    const ts_text_style *hs = sl_style(s, "heading");
    size_t n = 0;
    const ts_flow *goal = sl_inline(s, &g->statement, sl_style(s, "goal"), w);
    out[n++] = (goal_part){sl_plain(s, sl_label(s, "slide.binding-goal"), hs, w), "H3", false,
                           sl_first_lines(goal, 2)};
    out[n++] = (goal_part){goal, NULL, true, 0};
    const ts_blocks *obj = !sl_blocks_empty(&m->objective) ? &m->objective : &g->description;
    if (!sl_blocks_empty(obj))
        out[n++] = (goal_part){sl_blocks(s, obj, body, w), NULL, false, 0};
    if (!sl_blocks_empty(&m->text))
        out[n++] = (goal_part){sl_blocks(s, &m->text, body, w), NULL, false, 0};
    if (m->n_links > 0) {
        const ts_flow *lf = links_flow(s, m, body, w);
        out[n++] = (goal_part){sl_plain(s, sl_label(s, "slide.links"), hs, w), "H3", false,
                               sl_first_lines(lf, SL_ORPHAN)};
        out[n++] = (goal_part){lf, NULL, false, 0};
    }
    return n;
}

/* The height the parts take stacked as sl_stack stacks them (spacing collapsed, the space
 * after the last one not counted). */
static double parts_h(const goal_part *p, size_t n)
{
    double y = 0, trail = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i].f == NULL)
            continue;
        const ts_text_style *st = p[i].f->style;
        if (p[i].heading && i > 0) {
            double before = st->space_before;
            y += before - (trail < before ? trail : before);
        }
        y += p[i].f->height + st->space_after;
        trail = st->space_after;
    }
    return y - trail;
}

static void stack_parts(sl_stack *st, ts_elem *parent, const goal_part *p, size_t n)
{
    sl *s = st->s;
    for (size_t i = 0; i < n && !s->failed; i++) {
        if (p[i].heading)
            sl_stack_heading(st, parent, p[i].heading, p[i].f, p[i].keep);
        else
            sl_stack_flow(st, NULL, parent, p[i].para ? sl_elem(s, parent, "P") : NULL, p[i].f, 0);
    }
}

static const ts_flow **note_flows(sl *s, const ts_measure *m, double w, double *total,
                                  const ts_frame *pad)
{
    const ts_flow **notes = ts_arena_calloc(s->a, m->n_notes, sizeof *notes);
    if (notes == NULL) {
        sl_fail(s, m->pos, "out of memory");
        return NULL;
    }
    *total = 0;
    for (size_t i = 0; i < m->n_notes; i++) {
        notes[i] = sl_blocks(s, &m->notes[i], sl_style(s, "note"), w);
        *total += callout_h(s, notes[i], pad) + (i ? pad->y * 2 : 0);
    }
    return notes;
}

/* The notes as callouts down a stack, each split over slides only when it must be. */
static void stack_callouts(sl_stack *st, const ts_measure *m, ts_elem *box, const ts_frame *pad)
{
    sl *s = st->s;
    for (size_t i = 0; i < m->n_notes && !s->failed; i++) {
        const ts_flow *f = sl_blocks(s, &m->notes[i], sl_style(s, "note"), st->w - pad->x * 2.5);
        if (f == NULL)
            return;
        ts_flow_tags *tags = NULL;
        size_t at = 0;
        sl_stack_gap(st, pad->y * 2);
        int guard = 0;
        while (at < f->n_lines && !s->failed) {
            size_t n = sl_fit_lines(f, at, sl_stack_room(st) - 2 * pad->y, st->empty);
            if (n == 0 && !st->empty && guard++ < 2) {
                sl_stack_break(st);
                continue;
            }
            if (n == 0)
                n = 1;
            guard = 0;
            double h = ts_flow_span_height(f, at, at + n);
            callout_draw(s, box, f, at, at + n, &tags, st->x, st->y, st->w, pad);
            st->y += h + 2 * pad->y;
            st->empty = false;
            at += n;
            if (at < f->n_lines)
                sl_stack_break(st);
        }
    }
}

static void goal_slide(sl *s, const ts_measure *m, ts_elem *sect)
{
    const char *K = "goal";
    const ts_frame *pad = sl_frame(s, K, "pad");
    const ts_frame *nf = sl_frame(s, K, "notes");
    const ts_frame *narrow = sl_frame(s, K, "body");
    const ts_frame *wide = sl_frame(s, K, "body-wide");
    goal_part parts[6];
    size_t np = goal_parts(s, m, wide->w, parts);
    double wide_h = parts_h(parts, np);
    /* Where the notes go: beside the goal when both fit on the slide; else under it at full
     * width when that fits; else on a slide of their own when the goal fits alone; else (the
     * goal continues anyway) after the goal on its continuation. */
    enum { NONE, BESIDE, BELOW, OWN_SLIDE, AFTER } place = NONE;
    const ts_flow **beside_notes = NULL;
    if (m->n_notes > 0) {
        double beside_total = 0, below_total = 0;
        beside_notes = note_flows(s, m, note_w(nf, pad), &beside_total, pad);
        note_flows(s, m, note_w(wide, pad), &below_total, pad);
        goal_part narrow_parts[6];
        size_t nn = goal_parts(s, m, narrow->w, narrow_parts);
        if (beside_notes && beside_total <= nf->h && parts_h(narrow_parts, nn) <= narrow->h) {
            place = BESIDE;
            memcpy(parts, narrow_parts, sizeof parts);
            np = nn;
        } else if (wide_h + pad->y * 2 + below_total <= wide->h) {
            place = BELOW;
        } else if (wide_h <= wide->h) {
            place = OWN_SLIDE;
        } else {
            place = AFTER;
        }
    }
    if (s->failed)
        return;
    sl_stack st;
    sl_stack_open(&st, s, K, sl_label(s, "slide.goal"), sect,
                  place == BESIDE ? "body" : "body-wide", "body-wide");
    /* The tree reads the goal's column first, then the callouts beside it, though the
     * callouts are painted first (they belong to the first slide). */
    ts_elem *main = sl_elem(s, sect, "Sect");
    if (place == BESIDE) {
        ts_elem *aside = sl_elem(s, sect, "Sect");
        double y = nf->y;
        for (size_t i = 0; i < m->n_notes; i++) {
            if (beside_notes[i] == NULL)
                continue;
            callout_draw(s, aside, beside_notes[i], 0, beside_notes[i]->n_lines, NULL, nf->x, y,
                         nf->w, pad);
            y += callout_h(s, beside_notes[i], pad) + pad->y * 2;
        }
    }
    stack_parts(&st, main, parts, np);
    if (place == BELOW || place == AFTER) {
        ts_elem *box = sl_elem(s, sect, "Sect");
        stack_callouts(&st, m, box, pad);
    } else if (place == OWN_SLIDE) {
        sl_stack ns;
        sl_stack_open(&ns, s, "notes", sl_label(s, "slide.notes"), sect, "body", NULL);
        ts_elem *box = sl_elem(s, sect, "Sect");
        stack_callouts(&ns, m, box, sl_frame(s, "notes", "pad"));
    }
}

/* ---- Broken-down progress -------------------------------------------------------------- */

typedef struct task_card {
    const ts_task *task;
    size_t number; /* its place among its target's tasks, from 1 */
    const ts_flow *text;
} task_card;

typedef struct column {
    ts_task_status status;
    const ts_frame *frame;
    task_card *cards;
    size_t n;
    size_t at;     /* the next card */
    size_t line;   /* the next line of that card */
    ts_elem *list; /* L */
    ts_elem *li;   /* the card being drawn */
    ts_elem *body; /* its LBody */
    ts_flow_tags *tags;
} column;

static const char *const col_frames[3] = {"col.todo", "col.doing", "col.done"};

/* The position of a task on its target's scale: its progress, else by its state. */
static double task_at(const ts_task *t)
{
    if (t->progress >= 0)
        return t->progress;
    return t->status == TS_TASK_TODO ? 0 : t->status == TS_TASK_DOING ? 50 : 100;
}

/* "0,5 %" as the round's language writes it. */
static const char *percent(sl *s, double v)
{
    char *t = ts_format_quantity(s->a, v, "%", s->r->lang);
    if (t == NULL) {
        sl_fail(s, s->r->pos, "out of memory");
        return "";
    }
    return t;
}

/* A task's title behind its number, "3. " in bold.  Every slide that shows a task numbers it
 * by its place among its target's tasks (outputs.md §1 "Task numbers"): the columns, where
 * the tasks stand by status, the scale's markers and the detailed table, where they stand in
 * the file's order, so that a task is found by its number on each. */
static ts_inline numbered_title(sl *s, const ts_task *task, size_t number)
{
    const ts_inline *title = &task->title;
    char *lead = ts_arena_printf(s->a, "%zu. ", number);
    ts_run *runs = ts_arena_calloc(s->a, title->n_runs + 1, sizeof *runs);
    if (runs == NULL || lead == NULL) {
        sl_fail(s, task->pos, "out of memory");
        return *title;
    }
    runs[0] = (ts_run){.text = lead, .len = strlen(lead), .style = TS_RUN_BOLD, .pos = title->pos};
    memcpy(runs + 1, title->runs, title->n_runs * sizeof *runs);
    return (ts_inline){.runs = runs, .n_runs = title->n_runs + 1, .pos = title->pos};
}

static double bar_h(sl *s)
{
    return sl_style(s, "percent")->leading + 4;
}

static void draw_bar(sl *s, ts_elem *parent, const ts_task *t, double x, double y, double w)
{
    const ts_text_style *ps = sl_style(s, "percent");
    char *pct = ts_arena_printf(s->a, "%d\u00a0%%", t->progress);
    if (pct == NULL) {
        sl_fail(s, t->pos, "out of memory");
        return;
    }
    double pw = s->failed ? 0 : ts_measure_plain(s->te, pct, ps);
    const ts_flow *pf = sl_plain(s, pct, ps, pw + 1);
    ts_elem *fig = sl_elem(s, parent, "Figure");
    sl_alt(s, fig, sl_labelf(s, "progress.alt", t->progress));
    double track_w = w - pw - 8;
    double bh = 8, by = y + (ps->leading - bh) / 2 + 2;
    ts_rgb track = sl_colour(s, "bar-track"), bar = sl_colour(s, "bar");
    sl_rect(s, fig, x, by, track_w, bh, &track, &bar, 0.75);
    sl_rect(s, fig, x, by, track_w * t->progress / 100.0, bh, &bar, NULL, 0);
    if (pf)
        sl_draw(s, NULL, fig, fig, pf, 0, pf->n_lines, x + track_w + 8, y + 2);
}

/* Fills one column of one slide from its cards, from y to bottom.  Returns true when cards
 * are left for the next slide. */
static bool fill_column(sl *s, column *c, const ts_frame *pad, double y, double bottom,
                        bool first_slide, ts_elem *parent)
{
    const ts_frame *fr = c->frame;
    const ts_status_look *lk = &s->L->task_status[c->status];
    sl_rect(s, NULL, fr->x, y, fr->w, bottom - y, &lk->fill, &lk->border, 0.75);
    const ts_text_style *hs = sl_style_in(s, "column-head", lk->text);
    const ts_flow *head =
        sl_plain(s, ts_label_task_status(s->lb, c->status), hs, fr->w - 2 * pad->x);
    if (head == NULL)
        return false;
    if (first_slide) {
        ts_elem *h = sl_elem(s, parent, "H4");
        sl_draw(s, NULL, parent, h, head, 0, head->n_lines, fr->x + pad->x, y + pad->y);
        if (c->n > 0)
            c->list = sl_elem(s, parent, "L");
    } else {
        sl_artifact(s, head, 0, head->n_lines, fr->x + pad->x, y + pad->y, "Layout");
    }
    y += head->height + 2 * pad->y;
    double cx = fr->x + pad->x, cw = fr->w - 2 * pad->x, cp = pad->y;
    ts_rgb card = sl_colour(s, "card");
    bool drew = false;
    while (c->at < c->n && !s->failed) {
        task_card *tc = &c->cards[c->at];
        const ts_flow *f = tc->text;
        double room = bottom - pad->y - y - 2 * cp;
        bool bar = tc->task->progress >= 0;
        size_t n = ts_flow_fit(f, c->line, room);
        double h = ts_flow_span_height(f, c->line, c->line + n);
        bool last = c->line + n >= f->n_lines;
        double extra = last && bar ? bar_h(s) : 0;
        if (drew && (h + extra > room + 0.01 || (c->line == 0 && !last)))
            return true; /* the card moves whole to the next slide when it can */
        if (c->line == 0) {
            c->li = sl_elem(s, c->list, "LI");
            c->body = sl_elem(s, c->li, "LBody");
            c->tags = NULL;
        }
        double ch = h + extra + 2 * cp;
        sl_rect(s, NULL, cx, y, cw, ch, &card, &lk->border, 0.75);
        sl_draw(s, &c->tags, c->body, c->body, f, c->line, c->line + n, cx + cp, y + cp);
        if (last && bar)
            draw_bar(s, c->body, tc->task, cx + cp, y + cp + h + 2, cw - 2 * cp);
        y += ch + cp;
        drew = true;
        c->line += n;
        if (c->line >= f->n_lines) {
            c->at++;
            c->line = 0;
        } else {
            return true;
        }
    }
    return false;
}

static double flow_w(const ts_flow *f)
{
    double w = 0;
    for (size_t k = 0; f && k < f->n_lines; k++)
        if (f->lines[k].x + f->lines[k].width > w)
            w = f->lines[k].x + f->lines[k].width;
    return w;
}

/* The phase labels in one row above the axis, each over its own tick, in as few lines as the
 * room allows: for 1, 2, ... lines, each label's narrowest width in that many lines, placed
 * left to right without touching.  false when no number of lines up to six works. */
static bool one_row(sl *s, const ts_scale *sc, const ts_text_style *ls, double x, double w,
                    const ts_flow **pf, double *lx, double *row_h)
{
    size_t np = sc->n_phases;
    const double gap = 12, min_w = 60;
    double *lw = ts_arena_calloc(s->a, np ? np : 1, sizeof *lw);
    double *lo = ts_arena_calloc(s->a, np ? np : 1, sizeof *lo);
    double *hi = ts_arena_calloc(s->a, np ? np : 1, sizeof *hi);
    if (lw == NULL || lo == NULL || hi == NULL) {
        sl_fail(s, sc->pos, "out of memory");
        return false;
    }
    for (size_t i = 1; i < np; i++)
        if (sc->phases[i].at < sc->phases[i - 1].at)
            return false; /* out of order: the rows handle it */
    for (size_t lines = 1; lines <= 6 && !s->failed; lines++) {
        bool ok = true;
        for (size_t i = 0; i < np && ok; i++) {
            /* Never narrower than its longest word: a label is not hyphenated to save a line. */
            double a = min_w, b = w;
            char *words = text_of(s, &sc->phases[i].label);
            for (char *tok = words; *tok;) {
                size_t len = strcspn(tok, " ");
                char save = tok[len];
                tok[len] = '\0';
                double ww = s->failed ? 0 : ts_measure_plain(s->te, tok, ls) + 1;
                tok[len] = save;
                if (ww > a)
                    a = ww;
                tok += len;
                while (*tok == ' ')
                    tok++;
            }
            if (a > w)
                a = w;
            const ts_flow *f = sl_inline(s, &sc->phases[i].label, ls, b);
            if (f == NULL || f->n_lines > lines) {
                ok = false;
                break;
            }
            for (int it = 0; it < 12; it++) {
                double mid = (a + b) / 2;
                const ts_flow *g = sl_inline(s, &sc->phases[i].label, ls, mid);
                if (g == NULL)
                    return false;
                if (g->n_lines <= lines)
                    b = mid, f = g;
                else
                    a = mid;
            }
            pf[i] = f;
            lw[i] = flow_w(f);
        }
        if (!ok)
            continue;
        /* The leftmost and the rightmost place of each label that still covers its tick. */
        for (size_t i = 0; i < np; i++) {
            double px = x + w * sc->phases[i].at / 100.0;
            lo[i] = px - lw[i];
            if (lo[i] < x)
                lo[i] = x;
            if (i > 0 && lo[i] < lo[i - 1] + lw[i - 1] + gap)
                lo[i] = lo[i - 1] + lw[i - 1] + gap;
            if (lo[i] > px || lo[i] + lw[i] > x + w)
                ok = false;
        }
        for (size_t i = np; ok && i-- > 0;) {
            double px = x + w * sc->phases[i].at / 100.0;
            hi[i] = px < x + w - lw[i] ? px : x + w - lw[i];
            if (i + 1 < np && hi[i] > hi[i + 1] - gap - lw[i])
                hi[i] = hi[i + 1] - gap - lw[i];
            if (hi[i] < lo[i])
                ok = false;
        }
        if (!ok)
            continue;
        /* Centred over the tick where the neighbours leave room. */
        double end = x - gap;
        *row_h = 0;
        for (size_t i = 0; i < np; i++) {
            double px = x + w * sc->phases[i].at / 100.0;
            double want = px - lw[i] / 2, l = lo[i] > end + gap ? lo[i] : end + gap;
            lx[i] = want < l ? l : want > hi[i] ? hi[i] : want;
            end = lx[i] + lw[i];
            if (pf[i]->height > *row_h)
                *row_h = pf[i]->height;
        }
        return true;
    }
    return false;
}

/* The scale: an axis from the `from` label to the `to` label with the phases and the numbered
 * tasks on it.  Returns its height. */
static double draw_scale(sl *s, const ts_target *t, column cols[3], double x, double y, double w,
                         double min_h, ts_elem *parent)
{
    const ts_scale *sc = t->scale;
    const ts_text_style *ls = sl_style(s, "scale");
    ts_rgb axis = sl_colour(s, "scale");
    /* Phase labels stand above their ticks, each as wide as the room to its neighbours
     * allows; a label that would still touch the one before it goes up a row. */
    size_t np = sc->n_phases;
    const ts_flow **pf = np ? ts_arena_calloc(s->a, np, sizeof *pf) : NULL;
    double *lx = np ? ts_arena_calloc(s->a, np, sizeof *lx) : NULL;
    int *row = np ? ts_arena_calloc(s->a, np, sizeof *row) : NULL;
    if (np && (pf == NULL || lx == NULL || row == NULL)) {
        sl_fail(s, sc->pos, "out of memory");
        return min_h;
    }
    double row_h = 0;
    int rows = 0;
    if (!one_row(s, sc, ls, x, w, pf, lx, &row_h)) {
        /* Too many phases for one row: each as wide as the room to its neighbours allows, and
         * a label that would still touch the one before it goes up a row. */
        double row_end[64];
        for (size_t i = 0; i < np; i++) {
            double px = x + w * sc->phases[i].at / 100.0;
            double left = px - x, right = x + w - px;
            for (size_t j = 0; j < np; j++) {
                double d = (sc->phases[j].at - sc->phases[i].at) * w / 100.0;
                if (j != i && d > 0 && d / 2 < right)
                    right = d / 2;
                if (j != i && d < 0 && -d / 2 < left)
                    left = -d / 2;
            }
            double room = left + right;
            double pw = room < 100 ? 100 : room > 220 ? 220 : room;
            pf[i] = sl_inline(s, &sc->phases[i].label, ls, pw);
            if (pf[i] == NULL)
                return min_h;
            double lw = flow_w(pf[i]);
            lx[i] = px - lw / 2;
            if (lx[i] < x)
                lx[i] = x;
            if (lx[i] + lw > x + w)
                lx[i] = x + w - lw;
            int r = 0;
            while (r < rows && r < 63 && lx[i] < row_end[r] + 8)
                r++;
            if (r == rows && rows < 63)
                rows++;
            row[i] = r;
            row_end[r] = lx[i] + lw;
            if (pf[i]->height > row_h)
                row_h = pf[i]->height;
        }
    } else {
        rows = np ? 1 : 0;
    }
    double phase_h = rows * (row_h + 4);
    double axis_y = y + phase_h + (np ? 16 : 14);
    const ts_flow *ff = sl_inline(s, &sc->from, ls, w / 2 - 12);
    const ts_flow *tf = sl_inline(s, &sc->to, ls, w / 2 - 12);
    double below = 0;
    if (ff && ff->height > below)
        below = ff->height;
    if (tf && tf->height > below)
        below = tf->height;
    double h = axis_y - y + 14 + below;
    if (h < min_h)
        h = min_h;

    /* The words of the scale: real text, read before the picture. */
    ts_elem *labels = sl_elem(s, parent, "P");
    if (ff)
        sl_draw(s, NULL, parent, labels, ff, 0, ff->n_lines, x, axis_y + 14);
    if (tf) {
        double tw = flow_w(tf);
        sl_draw(s, NULL, parent, labels, tf, 0, tf->n_lines, x + w - tw, axis_y + 14);
    }
    for (size_t i = 0; i < np; i++) {
        ts_elem *pe = sl_elem(s, parent, "P");
        sl_draw(s, NULL, parent, pe, pf[i], 0, pf[i]->n_lines, lx[i],
                axis_y - 10 - pf[i]->height - row[i] * (row_h + 4));
    }

    /* The picture, with its alternative text in words (appended in place: thousands of tasks
     * must not copy the growing text once each). */
    alt_buf ab = {0};
    alt_add(s, &ab,
            ts_arena_printf(s->a, "%s: %s \u2192 %s.", sl_label(s, "scale.alt"),
                            text_of(s, &sc->from), text_of(s, &sc->to)));
    for (size_t i = 0; i < np; i++)
        alt_add(s, &ab,
                ts_arena_printf(s->a, " %s %s.", text_of(s, &sc->phases[i].label),
                                percent(s, sc->phases[i].at)));
    /* The tasks in their numbers' order. */
    for (size_t k = 0; k < t->n_tasks; k++) {
        const ts_task *tk = &t->tasks[k];
        alt_add(s, &ab,
                ts_arena_printf(s->a, " %zu. %s: %s, %s.", k + 1, text_of(s, &tk->title),
                                sl_lower(s, ts_label_task_status(s->lb, tk->status)),
                                percent(s, task_at(tk))));
    }
    char *alt = ab.failed ? NULL : ab.text;
    ts_elem *fig = sl_elem(s, parent, "Figure");
    sl_alt(s, fig, alt);
    if (!s->failed) {
        ts_draw_line(s->pdf, fig, x, axis_y, x + w, axis_y, axis, 2);
        ts_draw_line(s->pdf, fig, x + w - 10, axis_y - 6, x + w, axis_y, axis, 2);
        ts_draw_line(s->pdf, fig, x + w - 10, axis_y + 6, x + w, axis_y, axis, 2);
        for (size_t i = 0; i < np; i++) {
            double px = x + w * sc->phases[i].at / 100.0;
            ts_draw_line(s->pdf, fig, px, axis_y - 8, px, axis_y + 8, axis, 1.5);
        }
    }
    /* Numbered markers at their points; markers that would touch are pushed apart, forwards
     * and then back from the right end, so that all stay on the axis. */
    const ts_text_style *ns = sl_style(s, "percent");
    double r = ns->size * 0.62, gap = 2 * r + 3;
    size_t n = cols[0].n + cols[1].n + cols[2].n;
    const task_card **mk = n ? ts_arena_calloc(s->a, n, sizeof *mk) : NULL;
    double *mx = n ? ts_arena_calloc(s->a, n, sizeof *mx) : NULL;
    if (n && (mk == NULL || mx == NULL)) {
        sl_fail(s, t->pos, "out of memory");
        return h;
    }
    size_t m = 0;
    for (int pos = 0; pos <= 100; pos++)
        for (int c = 0; c < 3; c++)
            for (size_t k = 0; k < cols[c].n; k++)
                if ((int)task_at(cols[c].cards[k].task) == pos)
                    mk[m++] = &cols[c].cards[k];
    double left = x + r + 1, right = x + w - r - 14;
    /* More markers than the axis holds apart overlap rather than leave it (and the page). */
    if (m > 1 && gap * (double)(m - 1) > right - left)
        gap = (right - left) / (double)(m - 1);
    for (size_t i = 0; i < m; i++) {
        mx[i] = left + (right - left) * task_at(mk[i]->task) / 100.0;
        if (i > 0 && mx[i] < mx[i - 1] + gap)
            mx[i] = mx[i - 1] + gap;
    }
    for (size_t i = m; i-- > 0;) {
        double limit = i + 1 < m ? mx[i + 1] - gap : right;
        if (mx[i] > limit)
            mx[i] = limit;
    }
    ts_rgb inner = sl_colour(s, "bar-track");
    for (size_t i = 0; i < m; i++) {
        const ts_status_look *lk = &s->L->task_status[mk[i]->task->status];
        sl_circle(s, fig, mx[i], axis_y, r, &inner, &lk->border, 2);
        char num[24];
        snprintf(num, sizeof num, "%zu", mk[i]->number);
        double nw = s->failed ? 0 : ts_measure_plain(s->te, num, ns);
        const ts_flow *nf = sl_plain(s, num, ns, nw + 1);
        if (nf)
            sl_artifact(s, nf, 0, nf->n_lines, mx[i] - nw / 2, axis_y - ns->leading / 2, "Layout");
    }
    return h;
}

static void progress_slides(sl *s, const ts_target *t, ts_elem *sect)
{
    const char *K = "progress";
    const ts_frame *pad = sl_frame(s, K, "pad");
    const ts_frame *tfr = sl_frame(s, K, "target");
    const ts_frame *sfr = sl_frame(s, K, "scale");
    column cols[3];
    memset(cols, 0, sizeof cols);
    for (int c = 0; c < 3; c++) {
        cols[c].status = (ts_task_status)c;
        cols[c].frame = sl_frame(s, K, col_frames[c]);
        cols[c].cards = t->n_tasks ? ts_arena_calloc(s->a, t->n_tasks, sizeof(task_card)) : NULL;
        if (t->n_tasks && cols[c].cards == NULL) {
            sl_fail(s, t->pos, "out of memory");
            return;
        }
    }
    for (size_t k = 0; k < t->n_tasks; k++) {
        column *c = &cols[t->tasks[k].status];
        c->cards[c->n++] = (task_card){.task = &t->tasks[k], .number = k + 1};
    }
    /* Each card keeps its task's number, so that a marker on the scale and a row of the
     * detailed table can be matched to it. */
    const ts_text_style *ts = sl_style(s, "task");
    for (int c = 0; c < 3; c++)
        for (size_t k = 0; k < cols[c].n; k++) {
            task_card *tc = &cols[c].cards[k];
            double w = cols[c].frame->w - 2 * pad->x - 2 * pad->y;
            ts_inline in = numbered_title(s, tc->task, tc->number);
            tc->text = sl_inline(s, &in, ts, w);
            if (tc->text == NULL)
                return;
        }

    const char *title = sl_label(s, "slide.progress");
    const ts_flow *tt = sl_inline(s, &t->title, sl_style(s, "heading"), tfr->w);
    if (tt == NULL)
        return;
    sl_stack st;
    sl_stack_open(&st, s, K, title, sect, "target", NULL);
    st.body_cont = tfr;
    /* The target's own part follows the slide's title in the tree. */
    ts_elem *part = sl_elem(s, sect, "Sect");
    bool more = true;
    for (int slide = 0; more && !s->failed; slide++) {
        if (slide > 0)
            sl_stack_break(&st);
        double y = tfr->y;
        if (slide == 0) {
            ts_elem *h3 = sl_elem(s, part, "H3");
            sl_draw(s, NULL, part, h3, tt, 0, tt->n_lines, tfr->x, y);
        } else {
            sl_artifact(s, tt, 0, tt->n_lines, tfr->x, y, "Layout");
        }
        y += tt->height + pad->y;
        if (slide == 0 && t->scale) {
            double sy = y > sfr->y ? y : sfr->y;
            y = sy + draw_scale(s, t, cols, sfr->x, sy, sfr->w, 0, part) + pad->y;
        }
        double top = y > cols[0].frame->y ? y : cols[0].frame->y;
        double bottom = cols[0].frame->y + cols[0].frame->h;
        more = false;
        for (int c = 0; c < 3; c++)
            more |= fill_column(s, &cols[c], pad, top, bottom, slide == 0, part);
    }
}

/* ---- Detailed progress ----------------------------------------------------------------- */

static bool has_details(const ts_target *t)
{
    for (size_t k = 0; k < t->n_tasks; k++)
        if (!sl_blocks_empty(&t->tasks[k].detail))
            return true;
    return false;
}

static void detail_slides(sl *s, const ts_measure *m, ts_elem *sect)
{
    bool any = false;
    for (size_t i = 0; i < m->n_targets; i++)
        any |= has_details(&m->targets[i]);
    if (!any)
        return;
    const char *K = "detail";
    sl_stack st;
    sl_stack_open(&st, s, K, sl_label(s, "slide.detail"), sect, "body", NULL);
    static const char *const cols[] = {"col.task", "col.status", "col.detail"};
    const char *heads[3] = {sl_label(s, "detail.task"), sl_label(s, "detail.status"),
                            sl_label(s, "detail.detail")};
    const ts_text_style *cs = sl_style(s, "table-cell");
    const ts_text_style *hs = sl_style(s, "heading");
    for (size_t i = 0; i < m->n_targets && !s->failed; i++) {
        const ts_target *t = &m->targets[i];
        if (!has_details(t))
            continue;
        /* The table is set up (not drawn) first, so that the heading keeps with its head and
         * its first row. */
        sl_table_t tb = {0};
        sl_table_begin(&tb, &st, sect, cols, heads, 3, cs->leading * 3);
        sl_cell(*rows)[3] = ts_arena_calloc(s->a, t->n_tasks, sizeof *rows);
        if (rows == NULL) {
            sl_fail(s, t->pos, "out of memory");
            return;
        }
        for (size_t k = 0; k < t->n_tasks && !s->failed; k++) {
            const ts_task *tk = &t->tasks[k];
            const ts_status_look *lk = &s->L->task_status[tk->status];
            sl_cell *c = rows[k];
            c[0] = (sl_cell){.link_page = -1, .header = true};
            c[1] = (sl_cell){.link_page = -1};
            c[2] = (sl_cell){.link_page = -1};
            ts_inline title = numbered_title(s, tk, k + 1);
            c[0].flow = sl_inline(s, &title, cs, sl_table_text_w(&tb, 0, false));
            const char *word = ts_label_task_status(s->lb, tk->status);
            char *sw = tk->progress >= 0
                           ? ts_arena_printf(s->a, "%s\n%d\u00a0%%", word, tk->progress)
                           : ts_arena_strdup(s->a, word);
            c[1].flow = sl_lines(s, sw ? sw : word, sl_style_in(s, "table-cell", lk->text),
                                 sl_table_text_w(&tb, 1, false));
            c[1].fill = lk;
            if (!sl_blocks_empty(&tk->detail))
                c[2].flow = sl_blocks(s, &tk->detail, cs, sl_table_text_w(&tb, 2, false));
        }
        if (s->failed)
            return;
        double first = t->n_tasks ? sl_table_row_h(&tb, rows[0]) : 0;
        double capacity = st.body_cont->h - tb.head_h;
        sl_stack_heading(&st, sect, "H3", sl_inline(s, &t->title, hs, st.w),
                         tb.head_h + (first <= capacity ? first : cs->leading * 3));
        for (size_t k = 0; k < t->n_tasks && !s->failed; k++)
            sl_table_row(&tb, rows[k]);
        sl_table_end(&tb);
    }
}

/* ---- Forecast and risks ---------------------------------------------------------------- */

static void status_line(sl *s, const ts_measure *m, ts_elem *parent)
{
    const char *K = "forecast";
    const ts_frame *fr = sl_frame(s, K, "status");
    const ts_forecast *cur = ts_measure_current(s->r, m);
    ts_status stt = cur ? cur->status : TS_STATUS_NONE;
    const ts_status_look *lk = &s->L->status[stt];
    const ts_text_style *bs = sl_style(s, "body");
    const ts_text_style *ws = sl_style_in(s, "status", lk->text);
    ts_elem *p = sl_elem(s, parent, "P");
    char *lead = ts_arena_printf(s->a, "%s:", sl_labelf(s, "forecast.status", -1));
    if (lead == NULL) {
        sl_fail(s, m->pos, "out of memory");
        return;
    }
    double x = fr->x;
    ts_text_style *bold = ts_arena_alloc(s->a, sizeof *bold);
    if (bold == NULL) {
        sl_fail(s, m->pos, "out of memory");
        return;
    }
    *bold = *bs;
    bold->bold = true;
    double lw = s->failed ? 0 : ts_measure_plain(s->te, lead, bold);
    const ts_flow *lf = sl_plain(s, lead, bold, lw + 2);
    double mid = fr->y + fr->h / 2;
    if (lf)
        sl_draw(s, NULL, parent, p, lf, 0, lf->n_lines, x, mid - lf->height / 2);
    x += lw + 12;
    const char *word = ts_label_status(s->lb, stt);
    double ww = s->failed ? 0 : ts_measure_plain(s->te, word, ws);
    const ts_flow *wf = sl_plain(s, word, ws, ww + 1);
    double chip_h = ws->leading + 8, chip_w = ww + 24;
    sl_rect(s, NULL, x, mid - chip_h / 2, chip_w, chip_h, &lk->fill, &lk->border, 1);
    if (wf)
        sl_draw(s, NULL, parent, p, wf, 0, wf->n_lines, x + 12, mid - wf->height / 2);
    x += chip_w + 24;
    const char *value = sl_value_text(s, cur);
    if (value != NULL) {
        char *vl = ts_arena_printf(s->a, "%s: ", sl_label(s, "forecast.value"));
        ts_run run = {.text = value, .len = strlen(value), .pos = cur->pos};
        ts_inline vin = {.runs = &run, .n_runs = 1, .pos = cur->pos};
        const ts_flow *vf = vl ? sl_lead_inline(s, vl, &vin, bs, fr->x + fr->w - x) : NULL;
        if (vf)
            sl_draw(s, NULL, parent, p, vf, 0, vf->n_lines, x, mid - vf->height / 2);
    }
}

static void risk_part(sl *s, const ts_measure *m, ts_elem *sect, sl_stack *stp)
{
    const ts_text_style *body = sl_style(s, "body");
    const ts_text_style *hs = sl_style(s, "heading");
    double w = stp->w;
    bool risks = !sl_blocks_empty(&m->risks);
    for (size_t i = 0; i < m->n_targets; i++)
        risks |= !sl_blocks_empty(&m->targets[i].risks);
    if (!risks)
        return;
    /* The risks' heading keeps with the first target's title and the first lines under it. */
    const ts_flow **rf = ts_arena_calloc(s->a, m->n_targets + 1, sizeof *rf);
    const ts_flow **th = ts_arena_calloc(s->a, m->n_targets + 1, sizeof *th);
    if (rf == NULL || th == NULL) {
        sl_fail(s, m->pos, "out of memory");
        return;
    }
    double keep = -1;
    for (size_t i = 0; i < m->n_targets && !s->failed; i++) {
        const ts_target *t = &m->targets[i];
        if (sl_blocks_empty(&t->risks))
            continue;
        rf[i] = sl_blocks(s, &t->risks, body, w);
        th[i] = sl_inline(s, &t->title, hs, w);
        if (keep < 0 && rf[i] && th[i])
            keep =
                hs->space_before + th[i]->height + hs->space_after + sl_first_lines(rf[i], SL_KEEP);
    }
    const ts_flow *own = sl_blocks_empty(&m->risks) ? NULL : sl_blocks(s, &m->risks, body, w);
    if (keep < 0)
        keep = own ? sl_first_lines(own, SL_KEEP) : body->leading * SL_ORPHAN;
    const ts_flow *rh = sl_plain(s, sl_label(s, "slide.risks"), hs, w);
    sl_stack_heading(stp, sect, "H3", rh, keep);
    bool by_target = false;
    for (size_t i = 0; i < m->n_targets && !s->failed; i++) {
        if (rf[i] == NULL || th[i] == NULL)
            continue;
        sl_stack_heading(stp, sect, "H4", th[i], sl_first_lines(rf[i], SL_KEEP));
        sl_stack_flow(stp, NULL, sect, NULL, rf[i], 0);
        by_target = true;
    }
    if (own == NULL)
        return;
    /* After the targets' risks, the measure's own would read as the last target's: they get a
     * heading of their own.  Alone under the risks' heading they need none. */
    if (by_target)
        sl_stack_heading(stp, sect, "H4", sl_plain(s, sl_label(s, "risks.measure"), hs, w),
                         sl_first_lines(own, SL_KEEP));
    sl_stack_flow(stp, NULL, sect, NULL, own, 0);
}

/* The earlier rounds' forecasts close the deck's forecast part: every text of the round is in
 * the pack, but what the measure looks like now comes first. */
static void history_part(sl *s, const ts_measure *m, ts_elem *sect, sl_stack *st)
{
    const ts_text_style *body = sl_style(s, "body");
    const ts_text_style *hs = sl_style(s, "heading");
    bool any = false;
    for (int rd = 1; rd < s->r->number; rd++)
        any |= m->by_round[rd] != NULL;
    if (!any)
        return;
    const ts_flow *first = NULL;
    for (int rd = 1; rd < s->r->number && first == NULL; rd++)
        if (m->by_round[rd] != NULL)
            first = sl_blocks(s, &m->by_round[rd]->text, body, st->w);
    double keep = 2 * hs->leading + (first ? sl_first_lines(first, SL_KEEP) : 0);
    sl_stack_heading(st, sect, "H3", sl_plain(s, sl_label(s, "forecast.history"), hs, st->w), keep);
    for (int rd = 1; rd < s->r->number && !s->failed; rd++) {
        const ts_forecast *fc = m->by_round[rd];
        if (fc == NULL)
            continue;
        char *head = ts_label_fmt(s->lb, s->a, "forecast.status", s->r->year, rd, -1);
        head =
            head ? ts_arena_printf(s->a, "%s: %s", head, ts_label_status(s->lb, fc->status)) : NULL;
        if (head == NULL) {
            sl_fail(s, fc->pos, "out of memory");
            return;
        }
        const ts_flow *tf =
            sl_blocks_empty(&fc->text) ? NULL : sl_blocks(s, &fc->text, body, st->w);
        sl_stack_heading(st, sect, "H4", sl_plain(s, head, hs, st->w),
                         tf ? sl_first_lines(tf, SL_KEEP) : 0);
        if (tf != NULL)
            sl_stack_flow(st, NULL, sect, NULL, tf, 0);
    }
}

/* Appends the plain text of every paragraph and list item of blocks to buf (NUL-separated
 * pieces are not needed: a space between them is enough for a containment test). */
static char *blocks_plain(sl *s, const ts_blocks *b, char *buf)
{
    for (size_t i = 0; i < b->n && buf; i++) {
        const ts_block *bl = &b->blocks[i];
        if (bl->kind == TS_BLOCK_P) {
            buf = ts_arena_printf(s->a, "%s %s", buf, ts_inline_text(s->a, &bl->text));
            continue;
        }
        for (size_t k = 0; k < bl->n_items && buf; k++) {
            buf = ts_arena_printf(s->a, "%s %s", buf, ts_inline_text(s->a, &bl->items[k].text));
            if (bl->items[k].sublist) {
                ts_blocks sub = {.blocks = bl->items[k].sublist, .n = 1, .present = true};
                buf = blocks_plain(s, &sub, buf);
            }
        }
    }
    return buf;
}

/* True when every paragraph and item of the current forecast's text is already said by the
 * targets' forecast texts on the same slides: a round file may well give the measure's
 * forecast for the table as the targets' texts put together, and the slide should not print
 * it twice. */
static bool said_by_targets(sl *s, const ts_measure *m, const ts_blocks *text)
{
    char *all = ts_arena_strdup(s->a, "");
    for (size_t i = 0; i < m->n_targets && all; i++)
        all = blocks_plain(s, &m->targets[i].forecast, all);
    if (all == NULL || *all == '\0')
        return false;
    for (size_t i = 0; i < text->n; i++) {
        char *piece = blocks_plain(s, &(ts_blocks){.blocks = &text->blocks[i], .n = 1}, "");
        if (piece == NULL || strstr(all, piece + 1) == NULL)
            return false;
    }
    return true;
}

static void forecast_slides(sl *s, const ts_measure *m, ts_elem *sect)
{
    const char *K = "forecast";
    sl_stack st;
    sl_stack_open(&st, s, K, sl_label(s, "slide.forecast"), sect, "body", "body-continued");
    status_line(s, m, sect);
    const ts_text_style *body = sl_style(s, "body");
    const ts_text_style *hs = sl_style(s, "heading");
    double w = st.w;
    const ts_forecast *cur = ts_measure_current(s->r, m);
    if (cur && !sl_blocks_empty(&cur->text) && !said_by_targets(s, m, &cur->text))
        sl_stack_flow(&st, NULL, sect, NULL, sl_blocks(s, &cur->text, body, w), 0);
    /* The earlier rounds come last (history_part): the slide says first where the measure
     * stands now. */
    for (size_t i = 0; i < m->n_targets && !s->failed; i++) {
        const ts_target *t = &m->targets[i];
        if (sl_blocks_empty(&t->forecast))
            continue;
        const ts_flow *ff = sl_blocks(s, &t->forecast, body, w);
        sl_stack_heading(&st, sect, "H3", sl_inline(s, &t->title, hs, w),
                         sl_first_lines(ff, SL_KEEP));
        sl_stack_flow(&st, NULL, sect, NULL, ff, 0);
    }
    risk_part(s, m, sect, &st);
    history_part(s, m, sect, &st);
}

/* ---- The deck -------------------------------------------------------------------------- */

void sl_deck(sl *s, const ts_measure *m)
{
    const char *name = text_of(s, &m->name);
    ts_elem *sect = sl_sect(s, name);
    deck_cover(s, m, sect, name);
    if (!s->failed)
        goal_slide(s, m, sect);
    for (size_t i = 0; i < m->n_targets && !s->failed; i++)
        progress_slides(s, &m->targets[i], sect);
    if (!s->failed)
        detail_slides(s, m, sect);
    if (!s->failed)
        forecast_slides(s, m, sect);
    s->bookmark = NULL;
}
