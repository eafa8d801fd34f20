/* The slide kinds' toolkit: the state of the pass, drawing that does nothing once the pass has
 * failed, the layout's looks and the labels' words, text laid out for a width, a slide with its
 * title and number, and the records that make a slide kind.
 *
 * The pack is composed in one pass.  The overview links to decks that come after it: those
 * links name the deck (TS_PAGE_LATER of the measure's index), and the deck's first page is
 * given to the PDF layer when the deck starts; links are resolved when the file is saved. */
#ifndef TS_SLIDES_KIT_H
#define TS_SLIDES_KIT_H

#include <stdbool.h>
#include <stddef.h>

#include "writer/writer.h"
#include "pdf/draw.h"
#include "slides/stack.h"
#include "text/text.h"

typedef struct sl {
    const ts_build_ctx *ctx;
    const ts_round *r;
    const ts_layout *L;
    const ts_labels *lb;
    ts_pdf *pdf;
    ts_text_engine *te;
    ts_arena *a; /* scratch of the pass (of the deck while one is made) */
    ts_diags *diags;
    bool failed;
    int pages;            /* pages made so far */
    ts_elem *doc;         /* the Document element (NULL when untagged) */
    ts_outline *bookmark; /* the current deck's bookmark, for its slides */
} sl;

/* ---- Slide kinds ----------------------------------------------------------------------- */

/* What the slides of one measure share: the measure, the deck's section, and what one of its
 * slides leaves to a later one. */
typedef struct sl_deck {
    const ts_measure *m;
    const char *name; /* the measure's name as plain text */
    ts_elem *sect;
    bool notes_apart; /* the goal slide left the measure's notes to a slide of their own */
} sl_deck;

/* A slide kind: what it needs of the layout (its name there, its frames and the styles set in
 * them, its named lengths) and what composes its slides.  A kind of a measure is composed once per
 * measure, in its deck; the others once, with deck NULL.  Its file defines the record (kinds.h),
 * and pack.c lists it where its slides stand in the pack. */
typedef struct sl_kind {
    ts_kind_need need; /* first: the pack's list of kinds is a list of needs */
    bool of_measure;
    void (*compose)(sl *s, sl_deck *deck);
} sl_kind;

#define SL_N(array) (sizeof(array) / sizeof(array)[0])
#define SL_KIND(name, frames, lengths, of_measure, compose)                                        \
    {                                                                                              \
        {(name), (frames), SL_N(frames), (lengths), SL_N(lengths)}, (of_measure), (compose)        \
    }

/* Every content slide's first frames: its title, the accent rule under it and the footer that
 * holds the slide number.  A kind's own frames follow from SL_OWN. */
enum { SL_TITLE, SL_RULE, SL_FOOTER, SL_OWN };
#define SL_TITLE_FRAMES                                                                            \
    [SL_TITLE] = {"title", TS_FRAME_TITLE, {"title"}}, [SL_RULE] = {"rule", TS_FRAME_SHAPE, {0}},  \
    [SL_FOOTER] = {"footer", TS_FRAME_TEXT, {"footer"}}

/* The kind's look in the layout: its background, and its frames in the order of its needs
 * (the loader refused a layout without one of them). */
const ts_slide_kind *sl_look(sl *s, const sl_kind *kind);
/* Frame i of the kind (an index into its needs' frames). */
const ts_frame *sl_frame(sl *s, const sl_kind *kind, int i);
/* Length i of the kind (an index into its needs' lengths), in pt. */
double sl_length(sl *s, const sl_kind *kind, int i);

/* ---- Drawing: no-ops once the pass failed ---------------------------------------------- */

/* Ends the pass with one message at pos (the first failure's: what follows is its echo). */
void sl_fail(sl *s, ts_pos pos, ts_fault fault, const char *what);
void sl_no_memory(sl *s, ts_pos pos);
ts_elem *sl_elem(sl *s, ts_elem *parent, const char *type);
/* A section of the pack (a Sect under the Document) with its title as /T. */
ts_elem *sl_sect(sl *s, const char *title);
void sl_alt(sl *s, ts_elem *e, const char *alt);
void sl_rect(sl *s, ts_elem *owner, double x, double y, double w, double h, const ts_rgb *fill,
             const ts_rgb *stroke, double lw);
void sl_line(sl *s, double x1, double y1, double x2, double y2, ts_rgb c, double lw);
void sl_circle(sl *s, ts_elem *owner, double cx, double cy, double r, const ts_rgb *fill,
               const ts_rgb *stroke, double lw);
/* Draws lines [first, end) with their top at (x, y); tags is made on the first call. */
void sl_draw(sl *s, ts_flow_tags **tags, ts_elem *parent, ts_elem *container, const ts_flow *f,
             size_t first, size_t end, double x, double y);
void sl_artifact(sl *s, const ts_flow *f, size_t first, size_t end, double x, double y,
                 const char *kind);
void sl_bookmark(sl *s, ts_outline *parent, const char *title, int page, ts_outline **out);

/* ---- Look and words -------------------------------------------------------------------- */

const ts_text_style *sl_style(sl *s, const char *name);
/* A copy of a style in another colour (the word on a status fill). */
const ts_text_style *sl_style_in(sl *s, const char *name, ts_rgb colour);
ts_rgb sl_colour(sl *s, const char *name);
const char *sl_label(sl *s, const char *key);
char *sl_labelf(sl *s, const char *key, int n);
/* A label with {n} and {name} filled ("Siirry mittarin ”Digitalisaatio” kalvoille"). */
char *sl_label_name(sl *s, const char *key, const char *name);
/* A label of one round ("Ennuste 2/2020"). */
char *sl_round_label(sl *s, const char *key, int round);
/* "70 %", "20 kpl", "−1,5 %" (locale.h); NULL when the forecast has no value. */
char *sl_value_text(sl *s, const ts_forecast *f);
/* A label word in lower case ("TEKEMÄTTÄ" -> "tekemättä") for running text. */
char *sl_lower(sl *s, const char *text);
/* The plain text of an inline ("" when out of memory: the pass has failed). */
char *sl_text_of(sl *s, const ts_inline *in);
/* The pack's title: the round's own, else the label's. */
const char *sl_pack_title(sl *s);
/* The status of a round for a measure; false for rounds after the current one. */
bool sl_round_status(const sl *s, const ts_measure *m, int round, ts_status *out);
/* A task's title behind its number among its target's tasks, "3. " in bold. */
ts_inline sl_numbered_title(sl *s, const ts_task *task, size_t number);

/* Layout, never NULL unless out of memory (then the pass has failed). */
const ts_flow *sl_plain(sl *s, const char *text, const ts_text_style *st, double w);
const ts_flow *sl_inline(sl *s, const ts_inline *in, const ts_text_style *st, double w);
/* The same, where run i reads as read_as[i] when that is not NULL (a mark that stands for a
 * word, as the overview's ▲ for "parani"; ts_layout_inline_read). */
const ts_flow *sl_inline_read(sl *s, const ts_inline *in, const char *const *read_as,
                              const ts_text_style *st, double w);
const ts_flow *sl_blocks(sl *s, const ts_blocks *b, const ts_text_style *st, double w);
bool sl_blocks_empty(const ts_blocks *b);
/* A plain text of the model (a person's or a division's name) at its place in the source, so
 * that a warning about a character no font has says where it is. */
const ts_flow *sl_plain_at(sl *s, const char *text, ts_pos pos, const ts_text_style *st, double w);
/* An inline made of a bold lead and the runs of an inline of the model (keeps their places). */
const ts_flow *sl_lead_inline(sl *s, const char *lead, const ts_inline *in, const ts_text_style *st,
                              double w);
/* Lines of plain text separated by '\n', one paragraph each. */
const ts_flow *sl_lines(sl *s, const char *text, const ts_text_style *st, double w);

/* Building blocks out of pieces (a table cell made of a name, a statement and a text). */
typedef struct sl_bb {
    sl *s;
    ts_vec blocks; /* of ts_block */
} sl_bb;
void sl_bb_inline(sl_bb *b, const ts_inline *in, unsigned add_style);
void sl_bb_text(sl_bb *b, const char *text, unsigned style, ts_pos pos);
void sl_bb_blocks(sl_bb *b, const ts_blocks *from);
ts_blocks sl_bb_done(sl_bb *b);

/* A status mark: a filled circle with its outline lw pt wide, decoration (the word is always
 * beside it). */
void sl_status_mark(sl *s, ts_status st, double cx, double cy, double r, double lw);

/* ---- Slides ---------------------------------------------------------------------------- */

/* A new slide of the kind, with its slide number when it has a `footer` frame; returns its
 * page index. */
int sl_new_slide(sl *s, const sl_kind *kind);
/* Draws a content slide's title (tagged under sect when tag is set, else as an artifact) and
 * its accent rule, and returns how far a title taller than its frame pushes the body down. */
double sl_draw_title(sl *s, const sl_kind *kind, const char *title, ts_elem *sect, const char *tag);

/* Opens a stack (stack.h) on a new content slide of the kind: the title as H2 under sect, a
 * bookmark under the current deck's; the stack fills the kind's frame `body` there and
 * `body_cont` (-1: the same) on the slides that continue it, whose titles are artifacts
 * followed by the label `continued`. */
void sl_open_stack(sl_stack *st, sl *s, const sl_kind *kind, const char *title, ts_elem *sect,
                   int body, int body_cont);
/* Lays a flow down the stack, tagged under parent (in container when given); the parts of one
 * flow on several slides continue the same elements (one L, one P). */
void sl_put_flow(sl_stack *st, ts_flow_tags **tags, ts_elem *parent, ts_elem *container,
                 const ts_flow *f);
/* A heading (H3, H4 ...) kept with `next` pt of what follows. */
void sl_put_heading(sl_stack *st, ts_elem *parent, const char *tag, const ts_flow *f, double next);

#endif
