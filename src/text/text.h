/* The text engine: rich text -> positioned lines, without libharu.
 *
 * It measures with the fonts' own tables (fontmetrics.h), breaks lines where UAX #14 allows
 * (libunibreak) except where typography keeps things together (a number's groups of digits and
 * its unit, a hyphen that starts a word), hyphenates a word wider than its column by the
 * language's rules, at a compound's seam first (Finnish: libvoikko; Swedish: libhyphen with
 * hyphen-sv; English: no hyphenation dictionary, so only the last resort) and breaks anywhere
 * only as a last resort.  In Finnish and Swedish a hyphen-minus that stands for a minus sign
 * ("-9,5 %") is drawn as U+2212.  It lays out blocks (paragraphs,
 * nested bulleted and numbered lists with hanging indents) into a flow of lines, and splits a
 * flow between frames at line boundaries.  The PDF writer draws what it returns; nothing here
 * knows PDF. */
#ifndef TS_TEXT_H
#define TS_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/diag.h"
#include "font/fontmetrics.h"
#include "layout/layout.h"
#include "round/model.h"

/* ---- Fonts ----------------------------------------------------------------------------- */

typedef struct ts_fonts {
    const ts_font_metrics *face[TS_FACE_COUNT];
    const ts_font_metrics *fallback[TS_FACE_COUNT];
} ts_fonts;

/* Which font draws a code point in a face: the face itself, else the fallback, else neither
 * (then the engine substitutes U+FFFD, or '?' when even that is missing, and reports it). */
typedef enum ts_font_pick {
    TS_PICK_MAIN,
    TS_PICK_FALLBACK,
    TS_PICK_MISSING,
} ts_font_pick;

/* ---- The engine ------------------------------------------------------------------------ */

typedef struct ts_text_engine ts_text_engine;

/* hyphen_dir is where hyph_sv_SE.dic lives (Debian: /usr/share/hyphen); voikko is opened for
 * Finnish.  A language without a hyphenator still works (last-resort breaks only).  Warnings
 * about characters no font has go to diags with the file name given here. */
ts_text_engine *ts_text_engine_new(const ts_fonts *fonts, ts_lang lang, const char *hyphen_dir,
                                   const char *file, ts_diags *diags);
void ts_text_engine_free(ts_text_engine *e);

/* One piece of a line in one font and style: what the PDF draws with one text-showing call. */
typedef struct ts_seg {
    const char *text; /* UTF-8, what is drawn; a line that a break hyphenates ends in U+00AD,
                         which fonts draw as their hyphen (see break_hyphen_of in text.c) */
    size_t len;
    const char *actual; /* NULL, or what a reader gets instead (PDF /ActualText): the original
                           text when `text` is a visible replacement for characters no font
                           has; U+00AD for a break's hyphen drawn as "-"; a run's reading
                           given to ts_layout_inline_read */
    size_t actual_len;
    ts_face face;
    bool fallback;    /* drawn with the fallback font */
    double x;         /* pt from the line's left edge */
    double width;     /* pt */
    double size;      /* pt */
    const char *href; /* the link it belongs to, or NULL */
    ts_pos pos;       /* the source run */
} ts_seg;

/* A node of the flow's structure: what tagging turns into P, L, LI (Lbl + LBody).  Nodes are
 * made once per laid-out text and shared by every line (and every frame) that shows them, so a
 * paragraph split over two slides is still one node. */
typedef enum ts_node_kind {
    TS_NODE_P,
    TS_NODE_L,  /* a list; its items are TS_NODE_LI children */
    TS_NODE_LI, /* an item: the first line carries the label, lines are the LBody */
} ts_node_kind;

typedef struct ts_node {
    ts_node_kind kind;
    size_t id;                    /* 0..n_nodes-1 within its flow, in reading order */
    const struct ts_node *parent; /* NULL for top-level nodes */
    bool ordered;                 /* TS_NODE_L: numbered */
    const char *label;            /* TS_NODE_LI: "•", "–", "1." ... */
    ts_pos pos;
} ts_node;

typedef struct ts_line {
    const ts_seg *segs;
    size_t n_segs;
    const ts_node *node; /* the P or LI it belongs to */
    bool first_of_node;  /* the first line of its P or LI (an LI's first line has the label) */
    bool last_of_node;
    double x;           /* pt from the frame's left edge: indent of its list level */
    double label_x;     /* LI first line: where the label goes (pt from the frame's left) */
    double width;       /* pt, of the text (without the label) */
    double top;         /* pt from the top of the flow to the top of the line box */
    double baseline;    /* pt from the top of the flow to the baseline */
    double height;      /* the line box: the style's leading */
    double space_after; /* extra space the layout wants after this line (paragraph end) */
} ts_line;

typedef struct ts_flow {
    const ts_line *lines;
    size_t n_lines;
    const ts_node *nodes;
    size_t n_nodes;
    double width;  /* the width it was laid out for */
    double height; /* top of the first line to the bottom of the last */
    const ts_text_style *style;
} ts_flow;

/* Lays out inline text as one paragraph in the given width with the style's font and size
 * (bold and italic of the style combine with the runs' own). */
const ts_flow *ts_layout_inline(ts_text_engine *e, ts_arena *a, const ts_inline *text,
                                const ts_text_style *style, double width);

/* The same, where a run may be read as something other than what it draws (PDF /ActualText): a
 * glyph that stands for a word, as the overview's ▲ for "parani".  read_as is NULL, or holds
 * for each of text's runs NULL (read as drawn) or its reading.  Such a run is a segment of its
 * own on each line it stands on; the first of them carries the reading, the others read as
 * nothing, so that it is read once even when broken over lines. */
const ts_flow *ts_layout_inline_read(ts_text_engine *e, ts_arena *a, const ts_inline *text,
                                     const char *const *read_as, const ts_text_style *style,
                                     double width);

/* Lays out blocks: paragraphs, and lists with bullets (UL) or numbers (OL) hanging, nested lists
 * indented by the style's indent per level, spacing from the style. */
const ts_flow *ts_layout_blocks(ts_text_engine *e, ts_arena *a, const ts_blocks *blocks,
                                const ts_text_style *style, double width);

/* Lays out a plain UTF-8 string (a label word, a date) as one paragraph. */
const ts_flow *ts_layout_plain(ts_text_engine *e, ts_arena *a, const char *text,
                               const ts_text_style *style, double width);

/* The widest single line of a plain string (no breaking), in pt. */
double ts_measure_plain(ts_text_engine *e, const char *text, const ts_text_style *style);

/* Whether the text engine gives this letter to the line breaker as '#' (of the same class, AL,
 * and found faster); for the test that holds it to that. */
bool ts_text_plain_letter(uint32_t cp);

/* Line breaking of a text (as given to libunibreak) made only of '#', digits, spaces, full
 * stops and commas, the most common kind in a round: UAX #14 then allows a break only after
 * the last of a run of spaces, when a letter or digit follows (LB18; LB13 keeps a full stop or
 * comma with what is before it, even across spaces; LB7 keeps spaces together).  libunibreak
 * spends some 150 instructions a character on it.  Fills brks as set_linebreaks_utf32 does
 * and returns true, or returns false (brks untouched) for any other text.  The text engine's
 * test holds it to libunibreak's answers. */
bool ts_text_simple_breaks(const uint32_t *s, size_t n, char *brks);

/* Frame filling: the number of lines, from line `first`, that fit in `height` pt (at least one
 * line is always taken when first < n_lines, so that a line taller than the frame still moves
 * on).  The lines' `top` values are relative to the flow; the caller subtracts lines[first].top
 * to place the part. */
size_t ts_flow_fit(const ts_flow *f, size_t first, double height);

/* The height of lines [first, end) as drawn together. */
double ts_flow_span_height(const ts_flow *f, size_t first, size_t end);

/* Which font would draw this code point in this face. */
ts_font_pick ts_text_pick(const ts_text_engine *e, ts_face face, uint32_t cp);

#endif
