/* The layout file: every position, size, colour and font of the outputs.
 *
 * `layouts/helsinki.xml` is the default (960 x 540 pt slides); `layouts/a4-landscape.xml`
 * prints the same pack on A4.  Nothing of the geometry is compiled in: the slide code asks the
 * layout for a frame by slide kind and part name and for a text style by name, and the loader
 * refuses a layout that lacks one the code needs, or that puts text on a background with less
 * contrast than WCAG AA (4.5:1; 3:1 for large text), naming the two colours. */
#ifndef TS_LAYOUT_H
#define TS_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "model.h"

typedef struct ts_rgb {
    double r, g, b; /* 0..1 */
} ts_rgb;

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

typedef struct ts_slide_kind {
    const char *name; /* "pack-cover", "overview", "deck-cover", "goal", "progress", ... */
    ts_rgb background;
    const ts_frame *frames;
    size_t n_frames;
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

/* Loads and checks a layout.  Relative file names inside it (fonts) are resolved against
 * data_dir.  Returns NULL with located errors in diags when it is refused. */
const ts_layout *ts_layout_load(const char *path, const char *data_dir, ts_arena *a,
                                ts_diags *diags);
/* The same for a layout already in memory (data..len), reported as the file `name`. */
const ts_layout *ts_layout_load_memory(const char *name, const char *data, size_t len,
                                       const char *data_dir, ts_arena *a, ts_diags *diags);

/* NULL when absent (the loader has already refused a layout that lacks a required one). */
const ts_text_style *ts_layout_style(const ts_layout *l, const char *name);
const ts_slide_kind *ts_layout_kind(const ts_layout *l, const char *kind);
const ts_frame *ts_layout_frame(const ts_layout *l, const char *kind, const char *frame);
bool ts_layout_colour(const ts_layout *l, const char *name, ts_rgb *out);

/* WCAG 2.x contrast ratio of two colours (1..21). */
double ts_contrast_ratio(ts_rgb a, ts_rgb b);

#endif
