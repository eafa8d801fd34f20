/* The layout file: every position, size, colour and font of the outputs.
 *
 * `layouts/helsinki.xml` is the default (960 x 540 pt slides); `layouts/a4-landscape.xml`
 * prints the same pack on A4.  Nothing of the geometry is compiled in: each slide kind says
 * what it needs of a layout (a ts_kind_need: its frames, the styles set in them, its named
 * lengths), the caller hands those needs to the loader, and the loader refuses a layout that
 * lacks one, has one no kind needs, or puts text on a background with less contrast than WCAG
 * AA (4.5:1; 3:1 for large text), naming the two colours. */
#ifndef TS_LAYOUT_H
#define TS_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include <stdint.h>

#include "core/arena.h"
#include "core/diag.h"
#include "round/model.h"

typedef struct ts_rgb {
    double r, g, b; /* 0..1 */
} ts_rgb;

/* The colour as the workbooks write it: 0xRRGGBB, each channel clamped to 0..1 and rounded to
 * the nearest of 256 steps (XLSX's colour), and "#rrggbb" (ODS's). */
uint32_t ts_rgb_24bit(ts_rgb c);
void ts_rgb_hex(ts_rgb c, char out[8]);

/* The four faces of the text font; the fallback font has the same four slots (a slot may
 * repeat another file when the family has no such face). */
typedef enum ts_face {
    TS_FACE_REGULAR,
    TS_FACE_BOLD,
    TS_FACE_ITALIC,
    TS_FACE_BOLD_ITALIC,
    TS_FACE_COUNT
} ts_face;

typedef struct ts_text_style {
    const char *name;
    double size;    /* pt; never below the layout's min_font_size */
    double leading; /* pt, baseline to baseline */
    bool bold;
    bool italic;
    bool upper; /* print in capitals (the TEKEMÄTTÄ column heads) */
    ts_rgb colour;
    ts_rgb background;   /* what the text stands on, for the contrast check */
    double space_before; /* pt before a paragraph or list */
    double space_after;  /* pt after a paragraph or list */
    double item_space;   /* pt between list items */
    double indent;       /* pt: hanging indent of a list level */
} ts_text_style;

/* A rectangle on the page, in pt, from the page's top-left corner (y grows downwards). */
typedef struct ts_frame {
    const char *name;
    double x, y, w, h;
} ts_frame;

/* ---- What the writers need of a layout -------------------------------------------------- */

/* How a frame is used, which sets its smallest size (docs/layouts.md, "Limits"). */
typedef enum ts_frame_class {
    TS_FRAME_TEXT,   /* a few lines set from its top-left corner: one line of its style tall */
    TS_FRAME_TITLE,  /* a slide title: a longer one pushes the body down, so it must be wide */
    TS_FRAME_FLOW,   /* text that continues on the next slide when the frame is full */
    TS_FRAME_BOX,    /* a flow inside the padding of `pad` (callouts, task columns) */
    TS_FRAME_COLUMN, /* a table column of running text: its x and width; text inside `pad` */
    TS_FRAME_WORDS,  /* a table column of a word or two (a status, a number, yes or no) */
    TS_FRAME_MARKED, /* a column of words that begin with a status mark (its kind's length
                        `mark.room` wide) */
    TS_FRAME_PAD,    /* not a place: x and y are the padding of cells and callouts */
    TS_FRAME_SHAPE,  /* a drawn shape (the accent rule, the band): any size on the page */
} ts_frame_class;

typedef struct ts_frame_need {
    const char *name;
    ts_frame_class use;
    const char *styles[3]; /* the text styles set in it (NULL-terminated when fewer) */
} ts_frame_need;

/* A length of a slide kind that is look but no frame: a gap, a line's width, a bar's height, a
 * mark's radius.  A layout gives it in pt, from least to most times its min-font-size. */
typedef struct ts_length_need {
    const char *name;
    double least, most; /* in min-font-size */
} ts_length_need;

/* A slide kind's needs: its name, its frames and its lengths (every one required, none other
 * allowed). */
typedef struct ts_kind_need {
    const char *name; /* "pack-cover", "overview", "deck-cover", "goal", "progress", ... */
    const ts_frame_need *frames;
    size_t n_frames;
    const ts_length_need *lengths;
    size_t n_lengths;
} ts_kind_need;

/* Every slide kind a writer makes; the styles a layout must have are those set in their
 * frames. */
typedef struct ts_layout_needs {
    const ts_kind_need *const *kinds;
    size_t n_kinds;
} ts_layout_needs;

/* ---- A loaded layout -------------------------------------------------------------------- */

typedef struct ts_slide_kind {
    const char *name;
    ts_rgb background;
    const ts_frame *frames; /* in the order of its need's frames */
    size_t n_frames;
    const double *lengths; /* pt, in the order of its need's lengths */
    size_t n_lengths;
} ts_slide_kind;

typedef struct ts_named_colour {
    const char *name;
    ts_rgb rgb;
} ts_named_colour;

/* The look of one status (forecast or task) wherever it appears: a filled mark with the
 * word beside or on it. */
typedef struct ts_status_look {
    ts_rgb fill;
    ts_rgb text;   /* the word on the fill */
    ts_rgb border; /* outline of the mark (the yellow one needs black) */
} ts_status_look;

typedef struct ts_workbook_layout {
    double measure_widths[10]; /* columns A..J of "Strategiamittarit", in characters */
    double summary_widths[3];
    double task_widths[8];
    ts_rgb header_fill;
    ts_rgb header_text;
    const char *font_name; /* the spreadsheet's font, e.g. "Arial" */
    double font_size;
} ts_workbook_layout;

typedef struct ts_layout {
    const char *name;
    const char *path;
    double page_w, page_h; /* pt */
    double margin_top, margin_right, margin_bottom, margin_left;
    double min_font_size;
    const char *font_files[TS_FACE_COUNT];     /* absolute paths, resolved by the loader */
    const char *fallback_files[TS_FACE_COUNT]; /* the font for what the text font lacks */
    const ts_text_style *styles;
    size_t n_styles;
    const ts_slide_kind *kinds;
    size_t n_kinds;
    const ts_named_colour *colours;
    size_t n_colours;
    ts_status_look status[5];      /* indexed by ts_status (TS_STATUS_NONE = not reported) */
    ts_status_look task_status[3]; /* indexed by ts_task_status: the column fills */
    ts_workbook_layout workbook;
} ts_layout;

/* Loads and checks a layout against the writers' needs (the slides': ts_slides_layout_needs).
 * Relative file names inside it (fonts) are resolved against data_dir.  Returns NULL with
 * located errors in diags when it is refused. */
const ts_layout *ts_layout_load(const char *path, const char *data_dir,
                                const ts_layout_needs *needs, ts_arena *a, ts_diags *diags);
/* The same for a layout already in memory (data..len), reported as the file `name`. */
const ts_layout *ts_layout_load_memory(const char *name, const char *data, size_t len,
                                       const char *data_dir, const ts_layout_needs *needs,
                                       ts_arena *a, ts_diags *diags);

/* NULL when absent (the loader has already refused a layout that lacks a required one). */
const ts_text_style *ts_layout_style(const ts_layout *l, const char *name);
const ts_slide_kind *ts_layout_kind(const ts_layout *l, const char *kind);
const ts_frame *ts_layout_frame(const ts_layout *l, const char *kind, const char *frame);
bool ts_layout_colour(const ts_layout *l, const char *name, ts_rgb *out);

/* WCAG 2.x contrast ratio of two colours (1..21). */
double ts_contrast_ratio(ts_rgb a, ts_rgb b);

#endif
