/* The slide pack (outputs.md §1): the writer's entry point and the order of the slides. */
#include "writer/writer.h"
#include "slides/kinds.h"

/* Every slide kind, where its slides stand in the pack; the kinds of a measure stand in its
 * deck, one deck per measure.  Adding a kind is its file and a line here: the layout loader
 * checks a layout against this list (ts_slides_layout_needs). */
static const ts_kind_need *const kinds[] = {
    &sl_pack_cover.need,    &sl_status_picture.need, &sl_overview.need,

    &sl_deck_cover.need,    &sl_goal.need,           &sl_notes.need,
    &sl_progress.need,      &sl_detail.need,         &sl_forecast.need,

    &sl_measure_table.need, &sl_summary.need,
};

static const ts_layout_needs needs = {kinds, SL_N(kinds)};

const ts_layout_needs *ts_slides_layout_needs(void)
{
    return &needs;
}

/* The record of kind i of the list (its need is a record's first member). */
static const sl_kind *kind_at(size_t i)
{
    return (const sl_kind *)kinds[i];
}

/* The decks of every measure, each made of kinds [first, end) of the list. */
static void compose_decks(sl *s, size_t first, size_t end)
{
    const ts_round *r = s->r;
    for (size_t g = 0; g < r->n_goals && !s->failed; g++)
        for (size_t i = 0; i < r->goals[g].n_measures && !s->failed; i++) {
            const ts_measure *m = &r->goals[g].measures[i];
            if (ts_pdf_set_later_page(s->pdf, (int)m->index, s->pages) != 0) {
                sl_no_memory(s, m->pos);
                break;
            }
            /* A deck's flows are dead once it is drawn: each deck has a scratch arena of its
             * own, so that the pass's memory does not grow with the round. */
            ts_arena *pass = s->a, *scratch = ts_arena_new(s->ctx->fault);
            if (scratch == NULL) {
                sl_no_memory(s, m->pos);
                break;
            }
            s->a = scratch;
            sl_deck deck = {.m = m, .name = sl_text_of(s, &m->name)};
            deck.sect = sl_sect(s, deck.name);
            for (size_t k = first; k < end && !s->failed; k++)
                kind_at(k)->compose(s, &deck);
            s->bookmark = NULL;
            s->a = pass;
            ts_arena_free(scratch);
        }
}

static void compose(sl *s)
{
    s->doc = s->ctx->untagged ? NULL : ts_pdf_document(s->pdf);
    for (size_t k = 0; k < SL_N(kinds) && !s->failed;) {
        if (!kind_at(k)->of_measure) {
            kind_at(k)->compose(s, NULL);
            k++;
            continue;
        }
        size_t end = k;
        while (end < SL_N(kinds) && kind_at(end)->of_measure)
            end++;
        compose_decks(s, k, end);
        k = end;
    }
}

static bool run_pass(sl *s, ts_diags *engine_diags)
{
    s->pages = 0;
    s->bookmark = NULL;
    s->a = ts_arena_new(s->ctx->fault);
    s->te = ts_text_engine_new(ts_pdf_fonts(s->pdf), s->r->lang, s->ctx->hyphen_dir, s->r->file,
                               engine_diags);
    if (s->a == NULL || s->te == NULL)
        sl_fail(s, s->r->pos, TS_FAULT_NO_MEMORY, "out of memory while starting the text engine");
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
    /* The kinds find their looks without looking: the layout was checked against them. */
    for (size_t k = 0; k < SL_N(kinds); k++)
        if (ts_layout_kind(ctx->layout, kinds[k]->name) == NULL) {
            ts_diag_add(diags, ctx->layout->path, (ts_pos){0, 0}, TS_ERROR,
                        "the layout has no slide kind '%s': it was loaded without the slides' "
                        "needs (ts_slides_layout_needs)",
                        kinds[k]->name);
            return TS_SYSTEM_ERROR;
        }

    /* The document's properties are made in a small arena of their own: the pass arenas come
     * and go. */
    ts_arena *info_arena = ts_arena_new(ctx->fault);
    if (info_arena == NULL)
        return TS_SYSTEM_ERROR;
    s.a = info_arena;
    const char *title = sl_pack_title(&s);
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
        .web_link = ts_label(ctx->labels, "link.web"),
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
