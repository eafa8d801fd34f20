/* A deck's cover (outputs.md §1.3): the measure, its owners, managers and preparers. */
#include "slides/kinds.h"

#include <string.h>

enum { BAND, KICKER, TITLE, ROLES, DATE, FOOTER };
static const ts_frame_need frames[] = {
    [BAND] = {"band", TS_FRAME_SHAPE, {0}},
    [KICKER] = {"kicker", TS_FRAME_TEXT, {"kicker"}},
    [TITLE] = {"title", TS_FRAME_TEXT, {"deck-title"}},
    [ROLES] = {"roles", TS_FRAME_TEXT, {"role"}},
    [DATE] = {"date", TS_FRAME_TEXT, {"role"}},
    [FOOTER] = {"footer", TS_FRAME_TEXT, {"footer"}},
};

/* The names of a role, "A, B", as runs that keep each name's place in the source. */
static ts_inline people(sl *s, const ts_person *p, size_t n)
{
    ts_run *runs = ts_arena_calloc(s->a, 2 * n, sizeof *runs);
    if (runs == NULL) {
        sl_no_memory(s, s->r->pos);
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

static void compose(sl *s, sl_deck *deck)
{
    const ts_measure *m = deck->m;
    ts_elem *sect = deck->sect;
    const sl_kind *K = &sl_deck_cover;
    int page = sl_new_slide(s, K);
    const ts_frame *band = sl_frame(s, K, BAND);
    ts_rgb bc = sl_colour(s, "band");
    sl_rect(s, NULL, band->x, band->y, band->w, band->h, &bc, NULL, 0);

    const ts_frame *kf = sl_frame(s, K, KICKER);
    const ts_flow *kick =
        sl_plain(s, sl_labelf(s, "deck.kicker", -1), sl_style(s, "kicker"), kf->w);
    ts_elem *p = sl_elem(s, sect, "P");
    if (kick)
        sl_draw(s, NULL, sect, p, kick, 0, kick->n_lines, kf->x, kf->y);

    const ts_frame *tf = sl_frame(s, K, TITLE);
    const ts_flow *title = sl_inline(s, &m->name, sl_style(s, "deck-title"), tf->w);
    ts_elem *h1 = sl_elem(s, sect, "H1");
    if (title)
        sl_draw(s, NULL, sect, h1, title, 0, title->n_lines, tf->x, tf->y);

    const ts_frame *rf = sl_frame(s, K, ROLES);
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
    const ts_frame *df = sl_frame(s, K, DATE);
    char *date = ts_label_date(s->lb, s->a, m->has_date ? m->date : s->r->date);
    const ts_flow *d = sl_plain(s, date ? date : "", rs, df->w);
    ts_elem *de = sl_elem(s, sect, "P");
    if (d)
        sl_draw(s, NULL, sect, de, d, 0, d->n_lines, df->x,
                y + rs->leading > df->y ? y + rs->leading : df->y);
    sl_bookmark(s, NULL, deck->name, page, &s->bookmark);
}

const sl_kind sl_deck_cover = {{"deck-cover", frames, SL_N(frames), NULL, 0}, true, compose};
