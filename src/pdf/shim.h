/* libharu behind one file: everything the PDF writer does below libharu's public API.
 *
 * libharu's public API (the functions hpdf.h exports) draws pages, makes fonts, outlines and
 * annotations, and saves.  A tagged, deterministic and fast PDF needs more: objects of our own
 * in the file (the structure tree, the metadata, the /ID), a page's operators written straight
 * into its content stream, the CMap and /CapHeight of its fonts put right, pages compressed as
 * they are finished, a page tree past 32,767 pages, a save that does not call fwrite for every
 * token.  All of that reaches into libharu's objects, streams and private structs, which differ
 * from one version to the next; this header is the only way the rest of src/pdf/ goes there,
 * and shim.c is the only file that includes libharu's private headers or touches its structs.
 *
 * It is written for libharu 2.3.0 and refuses any other version when CMake configures and when
 * shim.c compiles: 2.4.x still compiles against it but writes other numbers (HPDF_FToA was
 * rewritten, HPDF_LIMIT_MAX_REAL changed), prefers other cmap subtables (ParseCMap), and moved
 * fields of the structs used here.  Porting means rewriting this file against the new version
 * and keeping its tests (tests/unit/test_pdffast.c, test_pagetree.c, test_tag.c) passing. */
#ifndef TS_SHIM_H
#define TS_SHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <hpdf.h>

#include "core/arena.h"
#include "core/buf.h"
#include "font/fontcheck.h"

/* ---- Numbers as libharu writes them -------------------------------------------------- */

/* val as HPDF_FToA writes it (at most 12 bytes, no NUL) at s; returns the end.  The same
 * digits at a fraction of the cost, for the operators written below libharu. */
char *ts_shim_real(char *s, HPDF_REAL val);

/* ---- Objects ------------------------------------------------------------------------- */

/* libharu's object layer, for the objects of our own: a dictionary or an array inside another
 * object, or (indirect) one of the file's numbered objects.  NULL when out of memory.  An
 * object given to ts_shim_add or ts_shim_array_add belongs to its container from then on, even
 * when the call fails (libharu frees it then). */
HPDF_Dict ts_shim_dict_new(HPDF_Doc doc, bool indirect);
HPDF_Array ts_shim_array_new(HPDF_Doc doc);
void ts_shim_array_free(HPDF_Array a);
/* A stream of the file with data in it, compressed with /FlateDecode when deflate is set. */
HPDF_Dict ts_shim_stream_new(HPDF_Doc doc, const void *data, size_t len, bool deflate);
/* A string: ascii as a literal string (libharu escapes it), bytes as a hex string. */
void *ts_shim_string(HPDF_Doc doc, const char *ascii);
void *ts_shim_binary(HPDF_Doc doc, const unsigned char *bytes, size_t len);

HPDF_STATUS ts_shim_add(HPDF_Dict d, const char *key, void *obj);
HPDF_STATUS ts_shim_add_name(HPDF_Dict d, const char *key, const char *name);
HPDF_STATUS ts_shim_add_number(HPDF_Dict d, const char *key, HPDF_INT32 value);
HPDF_STATUS ts_shim_add_bool(HPDF_Dict d, const char *key, bool value);
/* Removes key; nothing happens when d lacks it. */
void ts_shim_remove(HPDF_Dict d, const char *key);
/* The dictionary under key, NULL when there is none. */
HPDF_Dict ts_shim_get_dict(HPDF_Dict d, const char *key);
HPDF_STATUS ts_shim_array_add(HPDF_Array a, void *obj);

/* The object number of a numbered object (a page, an annotation, an indirect dictionary). */
uint32_t ts_shim_obj_id(const void *obj);
/* How many numbered objects the file has so far. */
size_t ts_shim_object_count(HPDF_Doc doc);

HPDF_Dict ts_shim_catalog(HPDF_Doc doc);
HPDF_Dict ts_shim_trailer(HPDF_Doc doc);
/* The document information dictionary; NULL until HPDF_SetInfoAttr has made it. */
HPDF_Dict ts_shim_info(HPDF_Doc doc);

/* The MD5 digest of the pieces one after the other (libharu's own MD5). */
typedef struct ts_shim_bytes {
    const void *data;
    size_t len;
} ts_shim_bytes;
void ts_shim_md5(const ts_shim_bytes *pieces, size_t n, unsigned char digest[16]);

/* ---- Objects written by us ----------------------------------------------------------- */

/* An object whose entries we write when the file is saved, from a struct of ours: libharu keeps
 * only an empty dictionary in the file's object table, which costs a few dozen bytes where a
 * dictionary with its entries costs about 1.6 KB (a big pack has some 75,000 structure
 * elements).  The struct begins with a ts_shim_hook; its `write` writes the entries (what goes
 * between "<<" and ">>") through ts_shim_out. */
typedef struct ts_shim_out ts_shim_out;
typedef struct ts_shim_hook {
    void (*write)(const struct ts_shim_hook *self, ts_shim_out *out);
} ts_shim_hook;

/* The dictionaries of hooked objects come from a pool of their own, freed at once after the
 * document (HPDF_Free) by ts_shim_pool_free.  NULL when out of memory. */
typedef struct ts_shim_pool ts_shim_pool;
ts_shim_pool *ts_shim_pool_new(HPDF_Doc doc, ts_arena *arena);
void ts_shim_pool_free(ts_shim_pool *pool);
/* A numbered object of the file written by hook->write; NULL when out of memory. */
HPDF_Dict ts_shim_hooked(ts_shim_pool *pool, ts_shim_hook *hook);

/* The writer a hook writes through: buffered, with libharu's own forms of numbers, names and
 * strings, so that the bytes are what libharu would write for the same entries. */
struct ts_shim_out {
    void *stream; /* libharu's */
    HPDF_STATUS status;
    size_t n;
    char b[2048];
};
void ts_shim_out_flush(ts_shim_out *o);
void ts_shim_out_long(ts_shim_out *o, const void *p, size_t n);
static inline void ts_shim_out_raw(ts_shim_out *o, const char *p, size_t n)
{
    if (n > sizeof o->b - o->n) {
        ts_shim_out_long(o, p, n);
        return;
    }
    memcpy(o->b + o->n, p, n);
    o->n += n;
}
static inline void ts_shim_out_str(ts_shim_out *o, const char *s)
{
    ts_shim_out_raw(o, s, strlen(s));
}
void ts_shim_out_int(ts_shim_out *o, long v);
void ts_shim_out_real(ts_shim_out *o, double v);
void ts_shim_out_ref(ts_shim_out *o, uint32_t id); /* "12 0 R" */
void ts_shim_out_name(ts_shim_out *o, const char *name);
/* A literal string of printable ASCII, escaped as libharu escapes one. */
void ts_shim_out_literal(ts_shim_out *o, const char *ascii, size_t len);
/* A hex string <...>. */
void ts_shim_out_hex(ts_shim_out *o, const unsigned char *bytes, size_t len);

/* ---- Pages --------------------------------------------------------------------------- */

/* Writes bytes to the page's content stream as they are. */
HPDF_STATUS ts_shim_page_write(HPDF_Page page, const void *bytes, size_t len);

/* Operators written below libharu: its own operator functions clear a 512-byte buffer one byte
 * at a time before each one, a tenth of a big pack's drawing time.  These write the same bytes
 * and keep the page's state as libharu's would, so that the libharu functions still used see
 * what they expect.  Each refuses (HPDF_PAGE_INVALID_GMODE, raised as libharu raises it) where
 * libharu's would. */
/* The numbers v[0, n) and then op (any operator that takes them in these graphics modes). */
HPDF_STATUS ts_shim_op(HPDF_Page page, HPDF_UINT16 modes, const HPDF_REAL *v, int n,
                       const char *op);
/* rg or RG; the graphics state's colour follows. */
HPDF_STATUS ts_shim_op_rgb(HPDF_Page page, bool stroke, HPDF_REAL r, HPDF_REAL g, HPDF_REAL b);
/* re, m or l: the path's current point follows. */
HPDF_STATUS ts_shim_op_path(HPDF_Page page, const HPDF_REAL *v, int n, const char *op);
/* Tf with the page's name of the font. */
HPDF_STATUS ts_shim_op_font(HPDF_Page page, HPDF_Font font, HPDF_REAL size);
/* Td; the text matrix follows. */
HPDF_STATUS ts_shim_op_move_text(HPDF_Page page, HPDF_REAL x, HPDF_REAL y);

/* The page's graphics state, as those operators left it. */
bool ts_shim_fill_is(HPDF_Page page, HPDF_REAL r, HPDF_REAL g, HPDF_REAL b);
bool ts_shim_stroke_is(HPDF_Page page, HPDF_REAL r, HPDF_REAL g, HPDF_REAL b);
HPDF_REAL ts_shim_line_width(HPDF_Page page);
bool ts_shim_font_is(HPDF_Page page, HPDF_Font font, HPDF_REAL size);
/* Where the text matrix stands (it is a translation here). */
void ts_shim_text_pos(HPDF_Page page, HPDF_REAL *x, HPDF_REAL *y);

/* libharu gives every page an obsolete /ProcSet of five names (about 1 KB of objects per page
 * in memory); PDF 1.4 and later ignore it.  This takes it away. */
void ts_shim_page_drop_procset(HPDF_Page page);

/* libharu grows the file's object table by a fixed 1,024 entries, copying it whole each time:
 * a 4,000-page pack has some 90,000 objects.  After this it grows by its own size, which makes
 * the cost linear. */
void ts_shim_object_table_doubles(HPDF_Doc doc);

/* ---- Page contents ------------------------------------------------------------------- */

/* A page's operators written into a buffer of ours (`into`) instead of the page's own memory
 * stream, which copies one byte at a time, until the page is finished.  The capture lives in
 * arena; free it with ts_shim_capture_free before HPDF_Free. */
typedef struct ts_shim_capture ts_shim_capture;
ts_shim_capture *ts_shim_capture_new(HPDF_Doc doc, ts_arena *arena, ts_buf *into);
void ts_shim_capture_free(ts_shim_capture *c);
/* From now on the page's operators go into the buffer; -1 when the page's contents are not a
 * plain memory stream (another libharu would do that) or out of memory. */
int ts_shim_capture_page(ts_shim_capture *c, HPDF_Page page);
/* The page's own stream back in place; true when it had been captured. */
bool ts_shim_capture_release(ts_shim_capture *c, HPDF_Page page);

/* The page's content stream becomes data, already compressed (zlib format), written as it is
 * with /Filter /FlateDecode.  -1 when out of memory or when its contents were already set so. */
int ts_shim_page_set_deflated(HPDF_Page page, const unsigned char *data, size_t len);

/* ---- The page tree ------------------------------------------------------------------- */

/* libharu hangs every page on the node that HPDF_AddPage finds current (at first the catalog's
 * /Pages), whose /Kids it caps at HPDF_LIMIT_MAX_ARRAY entries.  These let a tree of our own
 * shape be built; libharu counts /Count through the kids when it writes. */
HPDF_Pages ts_shim_pages_root(HPDF_Doc doc);
/* A new /Pages node under parent, or not yet placed (parent NULL). */
HPDF_Pages ts_shim_pages_new(HPDF_Doc doc, HPDF_Pages parent);
unsigned ts_shim_pages_kid_count(HPDF_Pages node);
/* The i-th kid of node, NULL past the end. */
HPDF_Dict ts_shim_pages_kid(HPDF_Pages node, unsigned i);
/* Empties node's /Kids (the kids themselves stay in the file). */
bool ts_shim_pages_clear(HPDF_Pages node);
/* Moves a page or a node under another node. */
bool ts_shim_pages_move(HPDF_Pages to, HPDF_Dict kid);
/* The node HPDF_AddPage hangs the next page on. */
void ts_shim_pages_set_current(HPDF_Doc doc, HPDF_Pages node);

/* ---- Fonts --------------------------------------------------------------------------- */

/* What HPDF_LoadTTFontFromFile does, from a font that fontcheck.c has read and checked:
 * libharu reads these bytes (which must outlive doc) through a stream whose state lives in
 * arena, and registers the font under its name with the subset tag after tag ("" before the
 * first font; updated: libharu's own sequence "HPDFAA", "HPDFAB"...).  Returns the name and
 * sets *def, or NULL with libharu's error raised through doc's error handler. */
const char *ts_shim_load_ttf(HPDF_Doc doc, ts_arena *arena, const ts_font_file *f, char tag[7],
                             HPDF_FontDef *def);
/* The definition of a font registered by name; NULL when there is none. */
HPDF_FontDef ts_shim_font_def(HPDF_Doc doc, const char *name);
/* The glyph libharu draws a BMP code point with (0: none), and its ascent in 1/1000 em. */
unsigned ts_shim_def_glyph(HPDF_FontDef def, unsigned cp);
int ts_shim_def_ascent(HPDF_FontDef def);
/* The /CapHeight its descriptor will say (0..32767). */
void ts_shim_def_set_cap_height(HPDF_FontDef def, int cap_height);

/* Replaces a TrueType font's format 4 cmap by an equivalent one of a single segment over a
 * table of all 65,536 BMP code points.  libharu 2.3.0 looks a code point up by a linear search
 * of the segments (DejaVu Sans has hundreds) and does so for every BMP code point when it makes
 * the font, a third of a small pack's time; the answers stay the same, except that a 0 in the
 * glyph index array stays 0 (the missing glyph) as the TrueType spec and our metrics say, where
 * libharu adds the segment's delta to it.  -1 when out of memory (the cmap is then as it was). */
int ts_shim_flatten_cmap(HPDF_FontDef def);

/* Whether a font (made by HPDF_GetFont) has a glyph for the BMP code point cp. */
bool ts_shim_font_has(HPDF_Font font, unsigned cp);
/* The same, and a glyph it has is marked used for the embedded subset, as libharu's text
 * showing would mark it (with the glyphs of a composite). */
bool ts_shim_font_use(HPDF_Font font, unsigned cp);
/* The font's ToUnicode stream holds cmap (a whole CMap) instead of libharu's, and none of the
 * CMap dictionary keys libharu gives it.  -1 when out of memory or the font has none. */
int ts_shim_font_set_tounicode(HPDF_Font font, const char *cmap, size_t len);
/* /CapHeight goes into the font's descriptor when the file is written (libharu 2.3.0 makes the
 * descriptor of a TrueType font only then, and writes none).  -1 when libharu already hooks the
 * font's writing. */
int ts_shim_font_write_cap_height(HPDF_Font font);

/* ---- The file ------------------------------------------------------------------------ */

/* Sets the version the file will say: PDF 1.7 (HPDF_SetViewerPreference sets 1.6 on the way). */
void ts_shim_set_pdf17(HPDF_Doc doc);

/* Writes the file as HPDF_SaveToFile does, through a buffer of 1 MB: libharu's own file writer
 * makes an fwrite call for each token of every object, some three million for a 4,000-page
 * pack.  Returns 0, errno when the file cannot be written, or -1 when libharu failed. */
int ts_shim_save(HPDF_Doc doc, const char *path);

#endif
