/* The pack cover (outputs.md §1.1): the pack's title, the round, the division, the date. */
#include "slides/kinds.h"

#include <stdio.h>
#include <string.h>

enum { TITLE, SUBTITLE, ROUND, DIVISION, CITY, DATE };
static const ts_frame_need frames[] = {
    [TITLE] = {"title", TS_FRAME_TEXT, {"cover-title"}},
    [SUBTITLE] = {"subtitle", TS_FRAME_TEXT, {"cover-subtitle"}},
    [ROUND] = {"round", TS_FRAME_TEXT, {"cover-text"}},
    [DIVISION] = {"division", TS_FRAME_TEXT, {"cover-text"}},
    [CITY] = {"city", TS_FRAME_TEXT, {"cover-text"}},
    [DATE] = {"date", TS_FRAME_TEXT, {"cover-text"}},
};

/* Each text of the cover at its frame, or lower when the text above it took more lines than
 * its frame has (then its style's space after stands between them); *below is the bottom of
 * what is drawn so far and that space. */
static void cover_text(sl *s, ts_elem *sect, const char *tag, int frame, const ts_flow *f,
                       double *below)
{
    if (f == NULL)
        return;
    const ts_frame *fr = sl_frame(s, &sl_pack_cover, frame);
    double y = fr->y > *below ? fr->y : *below;
    ts_elem *e = sl_elem(s, sect, tag);
    sl_draw(s, NULL, sect, e, f, 0, f->n_lines, fr->x, y);
    *below = y + f->height + f->style->space_after;
}

static void compose(sl *s, sl_deck *deck)
{
    (void)deck;
    const ts_round *r = s->r;
    int page = sl_new_slide(s, &sl_pack_cover);
    const char *title = sl_pack_title(s);
    ts_elem *sect = sl_sect(s, title);
    double w = sl_frame(s, &sl_pack_cover, TITLE)->w;
    const ts_text_style *ts = sl_style(s, "cover-title");
    const ts_text_style *ss = sl_style(s, "cover-subtitle");
    const ts_text_style *cs = sl_style(s, "cover-text");
    double below = 0;
    cover_text(s, sect, "H1", TITLE,
               r->title.n_runs ? sl_inline(s, &r->title, ts, w) : sl_plain(s, title, ts, w),
               &below);
    cover_text(s, sect, "P", SUBTITLE,
               r->subtitle.n_runs ? sl_inline(s, &r->subtitle, ss, w)
                                  : sl_plain(s, sl_label(s, "pack.subtitle"), ss, w),
               &below);
    char key[32];
    snprintf(key, sizeof key, "pack.round.%d", r->number);
    /* A subtitle of the round's own that already names the round is not repeated. */
    const char *round_line = sl_label(s, key);
    char *sub = r->subtitle.n_runs ? ts_inline_text(s->a, &r->subtitle) : NULL;
    if (sub == NULL || strstr(sl_lower(s, sub), sl_lower(s, round_line)) == NULL)
        cover_text(s, sect, "P", ROUND, sl_plain(s, round_line, cs, w), &below);
    cover_text(s, sect, "P", DIVISION, sl_plain_at(s, r->division, r->pos, cs, w), &below);
    cover_text(s, sect, "P", CITY, sl_plain_at(s, r->city, r->pos, cs, w), &below);
    char *date = ts_label_date(s->lb, s->a, r->date);
    cover_text(s, sect, "P", DATE, sl_plain(s, date ? date : "", cs, w), &below);
    sl_bookmark(s, NULL, title, page, NULL);
}

const sl_kind sl_pack_cover = {{"pack-cover", frames, SL_N(frames), NULL, 0}, false, compose};
