/* A TrueType font file, read whole and checked before anything else reads it.
 *
 * libharu 2.3.0 (hpdf_fontdef_tt.c) trusts a font's tables: it allocates by their counts,
 * seeks to their offsets and divides by unitsPerEm, so a crafted font corrupts its heap.  Every
 * font therefore goes through ts_font_file_read first: the layout loader (which refuses a bad
 * one at its <font> line, once per run), the metrics reader (fontmetrics.c) and the PDF writer,
 * which gives libharu these very bytes rather than the path.  The check covers everything
 * either reader relies on; docs/robustness.md lists it. */
#ifndef TS_FONTCHECK_H
#define TS_FONTCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"

/* Where a table or subtable lies in the file (checked to be inside it). */
typedef struct ts_font_span {
    uint32_t offset, length;
} ts_font_span;

typedef struct ts_font_file {
    uint8_t *data; /* the whole file, owned */
    size_t size;
    ts_font_span head, hhea, maxp, hmtx, loca, glyf, cmap, name, post, os2;
    ts_font_span cmap_bmp;  /* the Windows Unicode BMP (3,1) format 4 subtable libharu reads */
    ts_font_span cmap_full; /* a format 12 subtable (3,10 or 0,*); length 0 when there is none */
    unsigned units_per_em, num_glyphs, num_hmetrics;
    /* The name libharu registers the font by (its PostScript name, then "," and the subfamily
     * unless that is Regular): two different files with one name would be one font to it. */
    char font_name[128];
} ts_font_file;

enum { TS_FONT_MAX_SIZE = 64 << 20 }; /* far above any Latin font; CJK ones reach some 20 MB */

/* Reads the file at path, which must be a regular file (a FIFO, a device or a folder is refused
 * without blocking), and checks it with ts_font_check.  Returns the file, which the caller
 * frees with ts_font_file_free, or NULL with why set to a predicate about the file ("cannot be
 * read: …", "is not a TrueType font (glyf outlines)", "cannot be used: …") and *fault (when
 * fault is not NULL) to TS_FAULT_NO_MEMORY when memory ran out, else TS_FAULT_INPUT: the font
 * named is at fault. */
ts_font_file *ts_font_file_read(const char *path, char *why, size_t why_size, ts_fault *fault);
void ts_font_file_free(ts_font_file *f);

/* Checks the bytes of a font and fills in f's spans, counts and name (f->data and f->size are
 * left alone).  False with why set as above. */
bool ts_font_check(const uint8_t *data, size_t size, ts_font_file *f, char *why, size_t why_size);

#endif
