/* libharu 2.3.0 below its public API: see shim.h.  The only file that includes libharu's
 * private headers or touches its structs. */
#define _POSIX_C_SOURCE 200809L /* O_CLOEXEC */
#include "pdf/shim.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hpdf.h>
#include <hpdf_encrypt.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_mmgr.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <hpdf_utils.h>

/* CMake refuses another libharu when it configures (src/pdf/CMakeLists.txt); this catches a
 * build that finds other headers than CMake found. */
#if HPDF_MAJOR_VERSION != 2 || HPDF_MINOR_VERSION != 3 || HPDF_BUGFIX_VERSION != 0
#error "src/pdf/shim.c is written for libharu 2.3.0 and this is another version: 2.4.x compiles \
but writes other numbers (HPDF_FToA rewritten, HPDF_LIMIT_MAX_REAL changed), prefers other cmap \
subtables (ParseCMap), and the shim relies on 2.3.0's struct layouts.  Install libharu 2.3.0 \
(Debian 12: libhpdf-dev) or port src/pdf/shim.c."
#endif

/* ---- Numbers ------------------------------------------------------------------------- */

char *ts_shim_real(char *s, HPDF_REAL val)
{
    /* HPDF_FToA's arithmetic, expression for expression (float and double where it has them),
     * so that the digits are the same; only its digit loops and buffer copy are gone. */
    if (val > HPDF_LIMIT_MAX_REAL)
        val = HPDF_LIMIT_MAX_REAL;
    else if (val < HPDF_LIMIT_MIN_REAL)
        val = HPDF_LIMIT_MIN_REAL;
    if (val < 0) {
        *s++ = '-';
        val = -val;
    }
    HPDF_INT32 int_val = (HPDF_INT32)(val + 0.000005);
    HPDF_INT32 fpart_val = (HPDF_INT32)((HPDF_REAL)(val - int_val + 0.000005) * 100000);
    char digits[10];
    size_t k = 0;
    do
        digits[k++] = (char)('0' + int_val % 10);
    while ((int_val /= 10) > 0);
    while (k > 0)
        *s++ = digits[--k];
    char frac[5];
    size_t last = 0; /* one past the last digit that is not 0 */
    for (int i = 4; i >= 0; i--) {
        frac[i] = (char)('0' + fpart_val % 10);
        fpart_val /= 10;
        if (frac[i] != '0' && last == 0)
            last = (size_t)i + 1;
    }
    if (last > 0) {
        *s++ = '.';
        memcpy(s, frac, last);
        s += last;
    }
    return s;
}

/* ---- Objects ------------------------------------------------------------------------- */

HPDF_Dict ts_shim_dict_new(HPDF_Doc doc, bool indirect)
{
    HPDF_Dict d = HPDF_Dict_New(doc->mmgr);
    if (d != NULL && indirect && HPDF_Xref_Add(doc->xref, d) != HPDF_OK)
        return NULL; /* HPDF_Xref_Add frees what it cannot add */
    return d;
}

HPDF_Array ts_shim_array_new(HPDF_Doc doc)
{
    return HPDF_Array_New(doc->mmgr);
}

void ts_shim_array_free(HPDF_Array a)
{
    HPDF_Array_Free(a);
}

HPDF_Dict ts_shim_stream_new(HPDF_Doc doc, const void *data, size_t len, bool deflate)
{
    HPDF_Dict d = HPDF_DictStream_New(doc->mmgr, doc->xref);
    if (d == NULL)
        return NULL;
    d->filter = deflate ? HPDF_STREAM_FILTER_FLATE_DECODE : HPDF_STREAM_FILTER_NONE;
    if (HPDF_Stream_Write(d->stream, data, (HPDF_UINT)len) != HPDF_OK)
        return NULL; /* the dictionary is in the file's table, which frees it */
    return d;
}

void *ts_shim_string(HPDF_Doc doc, const char *ascii)
{
    return HPDF_String_New(doc->mmgr, ascii, NULL);
}

void *ts_shim_binary(HPDF_Doc doc, const unsigned char *bytes, size_t len)
{
    return HPDF_Binary_New(doc->mmgr, (HPDF_BYTE *)bytes, (HPDF_UINT)len);
}

HPDF_STATUS ts_shim_add(HPDF_Dict d, const char *key, void *obj)
{
    return HPDF_Dict_Add(d, key, obj);
}

HPDF_STATUS ts_shim_add_name(HPDF_Dict d, const char *key, const char *name)
{
    return HPDF_Dict_AddName(d, key, name);
}

HPDF_STATUS ts_shim_add_number(HPDF_Dict d, const char *key, HPDF_INT32 value)
{
    return HPDF_Dict_AddNumber(d, key, value);
}

HPDF_STATUS ts_shim_add_bool(HPDF_Dict d, const char *key, bool value)
{
    return HPDF_Dict_AddBoolean(d, key, value ? HPDF_TRUE : HPDF_FALSE);
}

void ts_shim_remove(HPDF_Dict d, const char *key)
{
    (void)HPDF_Dict_RemoveElement(d, key); /* absent: nothing to do */
}

HPDF_Dict ts_shim_get_dict(HPDF_Dict d, const char *key)
{
    return HPDF_Dict_GetItem(d, key, HPDF_OCLASS_DICT);
}

HPDF_STATUS ts_shim_array_add(HPDF_Array a, void *obj)
{
    return HPDF_Array_Add(a, obj);
}

uint32_t ts_shim_obj_id(const void *obj)
{
    return ((const HPDF_Obj_Header *)obj)->obj_id & 0x00FFFFFF;
}

size_t ts_shim_object_count(HPDF_Doc doc)
{
    return doc->xref->entries->count;
}

HPDF_Dict ts_shim_catalog(HPDF_Doc doc)
{
    return doc->catalog;
}

HPDF_Dict ts_shim_trailer(HPDF_Doc doc)
{
    return doc->trailer;
}

HPDF_Dict ts_shim_info(HPDF_Doc doc)
{
    return doc->info;
}

void ts_shim_md5(const ts_shim_bytes *pieces, size_t n, unsigned char digest[16])
{
    HPDF_MD5_CTX ctx;
    HPDF_MD5Init(&ctx);
    for (size_t i = 0; i < n; i++)
        HPDF_MD5Update(&ctx, pieces[i].data, (HPDF_UINT32)pieces[i].len);
    HPDF_MD5Final(digest, &ctx);
}

/* ---- Objects written by us ----------------------------------------------------------- */

struct ts_shim_pool {
    HPDF_Doc doc;
    HPDF_MMgr mmgr;  /* libharu's pool mode: freeing one block is a no-op */
    HPDF_Dict proto; /* an empty dictionary of the pool that every hooked one copies */
};

ts_shim_pool *ts_shim_pool_new(HPDF_Doc doc, ts_arena *arena)
{
    ts_shim_pool *p = ts_arena_calloc(arena, 1, sizeof *p);
    if (p == NULL)
        return NULL;
    p->doc = doc;
    p->mmgr = HPDF_MMgr_New(doc->mmgr->error, 64 * 1024, NULL, NULL);
    return p->mmgr != NULL ? p : NULL;
}

void ts_shim_pool_free(ts_shim_pool *pool)
{
    if (pool != NULL && pool->mmgr != NULL)
        HPDF_MMgr_Free(pool->mmgr);
    if (pool != NULL)
        pool->mmgr = NULL;
}

void ts_shim_out_flush(ts_shim_out *o)
{
    if (o->n > 0 && o->status == HPDF_OK)
        o->status = HPDF_Stream_Write(o->stream, (const HPDF_BYTE *)o->b, (HPDF_UINT)o->n);
    o->n = 0;
}

void ts_shim_out_long(ts_shim_out *o, const void *p, size_t n)
{
    ts_shim_out_flush(o);
    if (n > sizeof o->b) {
        if (o->status == HPDF_OK)
            o->status = HPDF_Stream_Write(o->stream, p, (HPDF_UINT)n);
        return;
    }
    memcpy(o->b, p, n);
    o->n = n;
}

/* libharu calls this between "<<" and ">>" when it writes a hooked dictionary. */
static HPDF_STATUS write_hooked(HPDF_Dict dict, HPDF_Stream stream)
{
    const ts_shim_hook *hook = dict->attr;
    ts_shim_out o;
    o.stream = stream;
    o.status = HPDF_OK;
    o.n = 0;
    hook->write(hook, &o);
    ts_shim_out_flush(&o);
    return o.status;
}

/* A copy of pool->proto, sharing its empty entry list: HPDF_Dict_New would give each of some
 * 75,000 elements a list of its own that is never used (5 MB of a 300-measure pack).  Freeing
 * one in the pool is a no-op, so the shared list is safe to "free" with each. */
HPDF_Dict ts_shim_hooked(ts_shim_pool *pool, ts_shim_hook *hook)
{
    if (pool->proto == NULL && (pool->proto = HPDF_Dict_New(pool->mmgr)) == NULL)
        return NULL;
    HPDF_Dict d = HPDF_GetMem(pool->mmgr, sizeof *d);
    if (d == NULL)
        return NULL;
    memcpy(d, pool->proto, sizeof *d);
    if (HPDF_Xref_Add(pool->doc->xref, d) != HPDF_OK)
        return NULL;
    d->write_fn = write_hooked;
    d->attr = hook;
    return d;
}

void ts_shim_out_int(ts_shim_out *o, long v)
{
    char buf[HPDF_INT_LEN + 2];
    char *end = HPDF_IToA(buf, (HPDF_INT32)v, buf + sizeof buf - 1);
    ts_shim_out_raw(o, buf, (size_t)(end - buf));
}

void ts_shim_out_real(ts_shim_out *o, double v)
{
    char buf[HPDF_REAL_LEN + 2];
    char *end = HPDF_FToA(buf, (HPDF_REAL)v, buf + sizeof buf - 1);
    ts_shim_out_raw(o, buf, (size_t)(end - buf));
}

void ts_shim_out_ref(ts_shim_out *o, uint32_t id)
{
    ts_shim_out_int(o, (long)id);
    ts_shim_out_raw(o, " 0 R", 4);
}

/* A name with the escapes libharu writes ("/" included). */
void ts_shim_out_name(ts_shim_out *o, const char *name)
{
    bool plain = true;
    for (const unsigned char *p = (const unsigned char *)name; *p && plain; p++)
        plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9');
    if (plain && strlen(name) <= HPDF_LIMIT_MAX_NAME_LEN) {
        ts_shim_out_raw(o, "/", 1);
        ts_shim_out_str(o, name);
        return;
    }
    ts_shim_out_flush(o);
    if (o->status == HPDF_OK)
        o->status = HPDF_Stream_WriteEscapeName(o->stream, name);
}

/* As HPDF_String_Write writes a string without an encoder. */
void ts_shim_out_literal(ts_shim_out *o, const char *ascii, size_t len)
{
    ts_shim_out_flush(o);
    if (o->status == HPDF_OK)
        o->status = HPDF_Stream_WriteEscapeText2(o->stream, ascii, (HPDF_UINT)len);
}

/* As HPDF_Binary_Write writes one. */
void ts_shim_out_hex(ts_shim_out *o, const unsigned char *bytes, size_t len)
{
    ts_shim_out_flush(o);
    if (o->status == HPDF_OK)
        o->status = HPDF_Stream_WriteChar(o->stream, '<');
    if (o->status == HPDF_OK)
        o->status = HPDF_Stream_WriteBinary(o->stream, bytes, (HPDF_UINT)len, NULL);
    if (o->status == HPDF_OK)
        o->status = HPDF_Stream_WriteChar(o->stream, '>');
}

/* ---- Pages --------------------------------------------------------------------------- */

static HPDF_PageAttr page_attr(HPDF_Page page)
{
    return (HPDF_PageAttr)page->attr;
}

HPDF_STATUS ts_shim_page_write(HPDF_Page page, const void *bytes, size_t len)
{
    return HPDF_Stream_Write(page_attr(page)->stream, bytes, (HPDF_UINT)len);
}

HPDF_STATUS ts_shim_op(HPDF_Page page, HPDF_UINT16 modes, const HPDF_REAL *v, int n, const char *op)
{
    HPDF_PageAttr attr = page_attr(page);
    if (!(attr->gmode & modes))
        return HPDF_RaiseError(page->error, HPDF_PAGE_INVALID_GMODE, 0);
    char buf[4 * 24 + 8];
    char *p = buf;
    for (int i = 0; i < n; i++) {
        p = ts_shim_real(p, v[i]);
        *p++ = ' ';
    }
    size_t k = strlen(op);
    memcpy(p, op, k);
    p += k;
    *p++ = '\n';
    if (HPDF_Stream_Write(attr->stream, (const HPDF_BYTE *)buf, (HPDF_UINT)(p - buf)) != HPDF_OK)
        return HPDF_CheckError(page->error);
    return HPDF_OK;
}

HPDF_STATUS ts_shim_op_rgb(HPDF_Page page, bool stroke, HPDF_REAL r, HPDF_REAL g, HPDF_REAL b)
{
    const HPDF_REAL v[3] = {r, g, b};
    HPDF_STATUS st = ts_shim_op(page, HPDF_GMODE_PAGE_DESCRIPTION | HPDF_GMODE_TEXT_OBJECT, v, 3,
                                stroke ? "RG" : "rg");
    if (st != HPDF_OK)
        return st;
    HPDF_GState gs = page_attr(page)->gstate;
    if (stroke) {
        gs->rgb_stroke = (HPDF_RGBColor){r, g, b};
        gs->cs_stroke = HPDF_CS_DEVICE_RGB;
    } else {
        gs->rgb_fill = (HPDF_RGBColor){r, g, b};
        gs->cs_fill = HPDF_CS_DEVICE_RGB;
    }
    return HPDF_OK;
}

HPDF_STATUS ts_shim_op_path(HPDF_Page page, const HPDF_REAL *v, int n, const char *op)
{
    bool line_to = op[0] == 'l';
    HPDF_UINT16 modes =
        line_to ? HPDF_GMODE_PATH_OBJECT : HPDF_GMODE_PAGE_DESCRIPTION | HPDF_GMODE_PATH_OBJECT;
    HPDF_STATUS st = ts_shim_op(page, modes, v, n, op);
    if (st != HPDF_OK)
        return st;
    HPDF_PageAttr attr = page_attr(page);
    attr->cur_pos = (HPDF_Point){v[0], v[1]};
    if (!line_to) {
        attr->str_pos = attr->cur_pos;
        attr->gmode = HPDF_GMODE_PATH_OBJECT;
    }
    return HPDF_OK;
}

HPDF_STATUS ts_shim_op_font(HPDF_Page page, HPDF_Font font, HPDF_REAL size)
{
    HPDF_PageAttr attr = page_attr(page);
    if (!(attr->gmode & (HPDF_GMODE_PAGE_DESCRIPTION | HPDF_GMODE_TEXT_OBJECT)))
        return HPDF_RaiseError(page->error, HPDF_PAGE_INVALID_GMODE, 0);
    const char *local_name = HPDF_Page_GetLocalFontName(page, font);
    if (local_name == NULL)
        return HPDF_RaiseError(page->error, HPDF_PAGE_INVALID_FONT, 0);
    HPDF_STATUS st = HPDF_Stream_WriteEscapeName(attr->stream, local_name);
    if (st == HPDF_OK)
        st = HPDF_Stream_WriteChar(attr->stream, ' ');
    if (st == HPDF_OK)
        st = ts_shim_op(page, HPDF_GMODE_PAGE_DESCRIPTION | HPDF_GMODE_TEXT_OBJECT, &size, 1, "Tf");
    if (st != HPDF_OK)
        return st;
    attr->gstate->font = font;
    attr->gstate->font_size = size;
    attr->gstate->writing_mode = ((HPDF_FontAttr)font->attr)->writing_mode;
    return HPDF_OK;
}

HPDF_STATUS ts_shim_op_move_text(HPDF_Page page, HPDF_REAL x, HPDF_REAL y)
{
    const HPDF_REAL v[2] = {x, y};
    HPDF_STATUS st = ts_shim_op(page, HPDF_GMODE_TEXT_OBJECT, v, 2, "Td");
    if (st != HPDF_OK)
        return st;
    HPDF_PageAttr attr = page_attr(page);
    HPDF_TransMatrix *m = &attr->text_matrix;
    m->x += x * m->a + y * m->c;
    m->y += y * m->d + x * m->b;
    attr->text_pos = (HPDF_Point){m->x, m->y};
    return HPDF_OK;
}

static bool same_rgb(HPDF_ColorSpace cs, HPDF_RGBColor now, HPDF_REAL r, HPDF_REAL g, HPDF_REAL b)
{
    return cs == HPDF_CS_DEVICE_RGB && now.r == r && now.g == g && now.b == b;
}

bool ts_shim_fill_is(HPDF_Page page, HPDF_REAL r, HPDF_REAL g, HPDF_REAL b)
{
    HPDF_GState gs = page_attr(page)->gstate;
    return same_rgb(gs->cs_fill, gs->rgb_fill, r, g, b);
}

bool ts_shim_stroke_is(HPDF_Page page, HPDF_REAL r, HPDF_REAL g, HPDF_REAL b)
{
    HPDF_GState gs = page_attr(page)->gstate;
    return same_rgb(gs->cs_stroke, gs->rgb_stroke, r, g, b);
}

HPDF_REAL ts_shim_line_width(HPDF_Page page)
{
    return page_attr(page)->gstate->line_width;
}

bool ts_shim_font_is(HPDF_Page page, HPDF_Font font, HPDF_REAL size)
{
    HPDF_GState gs = page_attr(page)->gstate;
    return gs->font == font && gs->font_size == size;
}

void ts_shim_text_pos(HPDF_Page page, HPDF_REAL *x, HPDF_REAL *y)
{
    const HPDF_TransMatrix *m = &page_attr(page)->text_matrix;
    *x = m->x;
    *y = m->y;
}

void ts_shim_page_drop_procset(HPDF_Page page)
{
    HPDF_Dict res = HPDF_Dict_GetItem(page, "Resources", HPDF_OCLASS_DICT);
    if (res != NULL)
        (void)HPDF_Dict_RemoveElement(res, "ProcSet"); /* absent: nothing to do */
}

void ts_shim_object_table_doubles(HPDF_Doc doc)
{
    HPDF_List entries = doc->xref->entries;
    if (entries->items_per_block < entries->block_siz)
        entries->items_per_block = entries->block_siz;
}

/* ---- Page contents ------------------------------------------------------------------- */

struct ts_shim_capture {
    HPDF_Stream writer; /* ours, a callback writer into `into` */
    HPDF_Stream own;    /* the captured page's own memory stream */
    ts_buf *into;
};

static HPDF_STATUS capture_write(HPDF_Stream stream, const HPDF_BYTE *ptr, HPDF_UINT siz)
{
    ts_shim_capture *c = stream->attr;
    if (!ts_buf_append(c->into, ptr, siz))
        return HPDF_RaiseError(stream->error, HPDF_FAILD_TO_ALLOC_MEM, 0);
    return HPDF_OK;
}

ts_shim_capture *ts_shim_capture_new(HPDF_Doc doc, ts_arena *arena, ts_buf *into)
{
    ts_shim_capture *c = ts_arena_calloc(arena, 1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->into = into;
    c->writer = HPDF_CallbackWriter_New(doc->mmgr, capture_write, c);
    return c->writer != NULL ? c : NULL;
}

void ts_shim_capture_free(ts_shim_capture *c)
{
    if (c != NULL && c->writer != NULL)
        HPDF_Stream_Free(c->writer);
    if (c != NULL)
        c->writer = NULL;
}

int ts_shim_capture_page(ts_shim_capture *c, HPDF_Page page)
{
    HPDF_PageAttr attr = page_attr(page);
    if (attr->contents == NULL || attr->stream == NULL || attr->contents->stream != attr->stream ||
        attr->stream->type != HPDF_STREAM_MEMORY)
        return -1;
    c->own = attr->stream;
    attr->stream = attr->contents->stream = c->writer;
    return 0;
}

bool ts_shim_capture_release(ts_shim_capture *c, HPDF_Page page)
{
    HPDF_PageAttr attr = page != NULL ? page_attr(page) : NULL;
    if (attr == NULL || c == NULL || attr->stream != c->writer)
        return false;
    attr->stream = attr->contents->stream = c->own;
    return true;
}

/* A /Filter entry would be removed by libharu from a stream it does not compress itself: the
 * dictionary's write hook writes it. */
static HPDF_STATUS write_flate_filter(HPDF_Dict dict, HPDF_Stream stream)
{
    (void)dict;
    return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\n");
}

int ts_shim_page_set_deflated(HPDF_Page page, const unsigned char *data, size_t len)
{
    HPDF_PageAttr attr = page_attr(page);
    if (attr->contents->write_fn != NULL)
        return -1;
    HPDF_Stream s = attr->stream;
    HPDF_MemStream_FreeData(s);
    /* One block of the exact size (a memory stream grows in blocks of 4 KB, and most pages
     * compress to about 1 KB), filled with memcpy: what HPDF_Stream_Write would leave, without
     * its copy of one byte at a time. */
    HPDF_MemStreamAttr ma = (HPDF_MemStreamAttr)s->attr;
    HPDF_UINT size = (HPDF_UINT)(len > 0 ? len : 1);
    HPDF_BYTE *block = HPDF_GetMem(s->mmgr, size);
    if (block == NULL)
        return -1;
    if (HPDF_List_Add(ma->buf, block) != HPDF_OK) {
        HPDF_FreeMem(s->mmgr, block);
        return -1;
    }
    memcpy(block, data, len);
    ma->buf_siz = size;
    ma->w_ptr = block + len;
    ma->w_pos = (HPDF_UINT)len;
    s->size = (HPDF_UINT32)len;
    attr->contents->filter = HPDF_STREAM_FILTER_NONE;
    attr->contents->write_fn = write_flate_filter;
    return 0;
}

/* ---- The page tree ------------------------------------------------------------------- */

HPDF_Pages ts_shim_pages_root(HPDF_Doc doc)
{
    return doc->root_pages;
}

HPDF_Pages ts_shim_pages_new(HPDF_Doc doc, HPDF_Pages parent)
{
    return HPDF_Pages_New(doc->mmgr, parent, doc->xref);
}

unsigned ts_shim_pages_kid_count(HPDF_Pages node)
{
    HPDF_Array kids = HPDF_Dict_GetItem(node, "Kids", HPDF_OCLASS_ARRAY);
    return kids != NULL ? HPDF_Array_Items(kids) : 0;
}

HPDF_Dict ts_shim_pages_kid(HPDF_Pages node, unsigned i)
{
    HPDF_Array kids = HPDF_Dict_GetItem(node, "Kids", HPDF_OCLASS_ARRAY);
    return kids != NULL && i < HPDF_Array_Items(kids)
               ? HPDF_Array_GetItem(kids, i, HPDF_OCLASS_DICT)
               : NULL;
}

bool ts_shim_pages_clear(HPDF_Pages node)
{
    HPDF_Array kids = HPDF_Dict_GetItem(node, "Kids", HPDF_OCLASS_ARRAY);
    if (kids == NULL)
        return false;
    HPDF_Array_Clear(kids); /* frees only the references */
    return true;
}

bool ts_shim_pages_move(HPDF_Pages to, HPDF_Dict kid)
{
    (void)HPDF_Dict_RemoveElement(kid, "Parent"); /* absent: a node not placed yet */
    return HPDF_Pages_AddKids(to, kid) == HPDF_OK;
}

void ts_shim_pages_set_current(HPDF_Doc doc, HPDF_Pages node)
{
    doc->cur_pages = node;
}

/* ---- Fonts --------------------------------------------------------------------------- */

/* libharu reads a font through this stream over the bytes fontcheck.c checked, never from the
 * path: what it reads is what was checked, even if the file has changed since.  It behaves as
 * libharu's file reader does (a seek may pass the end; a read there stops short). */
typedef struct font_cursor {
    const uint8_t *data;
    size_t size, pos;
} font_cursor;

static HPDF_STATUS font_read(HPDF_Stream s, HPDF_BYTE *ptr, HPDF_UINT *siz)
{
    font_cursor *c = s->attr;
    size_t left = c->pos < c->size ? c->size - c->pos : 0;
    if (*siz > left) {
        memcpy(ptr, c->data + c->pos, left);
        memset(ptr + left, 0, *siz - left);
        *siz = (HPDF_UINT)left;
        c->pos += left;
        return HPDF_STREAM_EOF;
    }
    memcpy(ptr, c->data + c->pos, *siz);
    c->pos += *siz;
    return HPDF_OK;
}

static HPDF_STATUS font_seek(HPDF_Stream s, HPDF_INT pos, HPDF_WhenceMode mode)
{
    font_cursor *c = s->attr;
    long long base = mode == HPDF_SEEK_CUR   ? (long long)c->pos
                     : mode == HPDF_SEEK_END ? (long long)c->size
                                             : 0;
    if (base + pos < 0)
        return HPDF_SetError(s->error, HPDF_FILE_IO_ERROR, 0);
    c->pos = (size_t)(base + pos);
    return HPDF_OK;
}

static HPDF_INT32 font_tell(HPDF_Stream s)
{
    return (HPDF_INT32)((font_cursor *)s->attr)->pos;
}

static HPDF_UINT32 font_size(HPDF_Stream s)
{
    return (HPDF_UINT32)((font_cursor *)s->attr)->size;
}

const char *ts_shim_load_ttf(HPDF_Doc doc, ts_arena *arena, const ts_font_file *f, char tag[7],
                             HPDF_FontDef *def_out)
{
    *def_out = NULL;
    font_cursor *cur = ts_arena_calloc(arena, 1, sizeof *cur);
    if (cur == NULL) {
        HPDF_SetError(&doc->error, HPDF_FAILD_TO_ALLOC_MEM, 0);
        HPDF_CheckError(&doc->error);
        return NULL;
    }
    *cur = (font_cursor){f->data, f->size, 0};
    HPDF_Stream s =
        HPDF_CallbackReader_New(doc->mmgr, font_read, font_seek, font_tell, font_size, cur);
    /* HPDF_TTFontDef_Load frees the stream when it fails. */
    HPDF_FontDef def = s != NULL ? HPDF_TTFontDef_Load(doc->mmgr, s, HPDF_TRUE) : NULL;
    if (def == NULL || HPDF_Doc_RegisterFontDef(doc, def) != HPDF_OK) {
        HPDF_CheckError(&doc->error);
        return NULL;
    }
    /* libharu's sequence of tags, so that the file is what HPDF_LoadTTFontFromFile made. */
    if (tag[0] == '\0') {
        memcpy(tag, "HPDFAA", 7);
    } else {
        for (int i = 5; i >= 0; i--) {
            if (++tag[i] <= 'Z')
                break;
            tag[i] = 'A';
        }
    }
    HPDF_TTFontDef_SetTagName(def, tag);
    *def_out = def;
    return def->base_font;
}

HPDF_FontDef ts_shim_font_def(HPDF_Doc doc, const char *name)
{
    return HPDF_GetFontDef(doc, name);
}

unsigned ts_shim_def_glyph(HPDF_FontDef def, unsigned cp)
{
    return HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)cp);
}

int ts_shim_def_ascent(HPDF_FontDef def)
{
    return def->ascent;
}

void ts_shim_def_set_cap_height(HPDF_FontDef def, int cap_height)
{
    def->cap_height = (HPDF_UINT16)cap_height;
}

int ts_shim_flatten_cmap(HPDF_FontDef def)
{
    HPDF_TTFontDefAttr a = (HPDF_TTFontDefAttr)def->attr;
    HPDF_TTF_CmapRange *cm = &a->cmap;
    unsigned segs = cm->seg_count_x2 / 2u;
    if (cm->format != 4 || segs == 0)
        return 0; /* libharu's other case (format 0) is a table already */
    HPDF_UINT16 *table = HPDF_GetMem(def->mmgr, 65536 * sizeof *table);
    HPDF_UINT16 *one[4];
    for (int k = 0; k < 4; k++)
        one[k] = HPDF_GetMem(def->mmgr, sizeof(HPDF_UINT16));
    if (table == NULL || one[0] == NULL || one[1] == NULL || one[2] == NULL || one[3] == NULL) {
        HPDF_FreeMem(def->mmgr, table);
        for (int k = 0; k < 4; k++)
            HPDF_FreeMem(def->mmgr, one[k]);
        return -1;
    }
    memset(table, 0, 65536 * sizeof *table);
    /* What HPDF_TTFontDef_GetGlyphid answers: the first segment that ends at or after the
     * code point is asked; outside it, 0. */
    for (unsigned i = 0; i < segs; i++) {
        unsigned lo = cm->start_count[i], hi = cm->end_count[i];
        if (i > 0 && lo <= cm->end_count[i - 1])
            lo = cm->end_count[i - 1] + 1u; /* overlapped: the earlier segment answers */
        for (unsigned cp = lo; cp <= hi; cp++) {
            if (cm->id_range_offset[i] == 0) {
                table[cp] = (HPDF_UINT16)(cp + (unsigned)cm->id_delta[i]);
                continue;
            }
            unsigned idx = cm->id_range_offset[i] / 2u + (cp - cm->start_count[i]) - (segs - i);
            unsigned g = idx < cm->glyph_id_array_count ? cm->glyph_id_array[idx] : 0;
            table[cp] = g != 0 ? (HPDF_UINT16)(g + (unsigned)cm->id_delta[i]) : 0;
        }
    }
    HPDF_FreeMem(def->mmgr, cm->end_count);
    HPDF_FreeMem(def->mmgr, cm->start_count);
    HPDF_FreeMem(def->mmgr, cm->id_delta);
    HPDF_FreeMem(def->mmgr, cm->id_range_offset);
    HPDF_FreeMem(def->mmgr, cm->glyph_id_array);
    /* One segment over the whole BMP whose glyph index array is the table: the index of a code
     * point is itself (id_range_offset / 2 + cp - start - (segments - 0) = 1 + cp - 1). */
    *(cm->end_count = one[0]) = 0xFFFF;
    *(cm->start_count = one[1]) = 0;
    *(cm->id_delta = (HPDF_INT16 *)(void *)one[2]) = 0;
    *(cm->id_range_offset = one[3]) = 2;
    cm->glyph_id_array = table;
    cm->glyph_id_array_count = 65536;
    cm->seg_count_x2 = 2;
    return 0;
}

static HPDF_FontDef font_def_of(HPDF_Font font)
{
    return ((HPDF_FontAttr)font->attr)->fontdef;
}

bool ts_shim_font_has(HPDF_Font font, unsigned cp)
{
    return HPDF_TTFontDef_GetGlyphid(font_def_of(font), (HPDF_UINT16)cp) != 0;
}

bool ts_shim_font_use(HPDF_Font font, unsigned cp)
{
    HPDF_FontDef def = font_def_of(font);
    if (HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)cp) == 0)
        return false;
    (void)HPDF_TTFontDef_GetCharWidth(def, (HPDF_UINT16)cp);
    return true;
}

int ts_shim_font_set_tounicode(HPDF_Font font, const char *cmap, size_t len)
{
    HPDF_Dict stream = ((HPDF_FontAttr)font->attr)->cmap_stream;
    if (stream == NULL || stream->stream == NULL)
        return -1;
    HPDF_MemStream_FreeData(stream->stream);
    /* A ToUnicode stream needs no CMap dictionary keys; libharu's name the UTF-8 encoder. */
    static const char *const keys[] = {"Type", "CMapName", "CIDSystemInfo", "WMode"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        (void)HPDF_Dict_RemoveElement(stream, keys[i]); /* absent: nothing to do */
    return HPDF_Stream_Write(stream->stream, (const HPDF_BYTE *)cmap, (HPDF_UINT)len) == HPDF_OK
               ? 0
               : -1;
}

/* libharu makes a TrueType font's descriptor as it writes the font's Type0 dictionary, and
 * writes the descriptor after it (it has a later object number): this adds /CapHeight to it
 * in between. */
static HPDF_STATUS add_cap_height(HPDF_Dict type0)
{
    HPDF_FontDef def = ((HPDF_FontAttr)type0->attr)->fontdef;
    if (def->descriptor == NULL)
        return HPDF_SetError(type0->error, HPDF_INVALID_FONTDEF_DATA, 0);
    if (HPDF_Dict_GetItem(def->descriptor, "CapHeight", HPDF_OCLASS_NUMBER) != NULL)
        return HPDF_OK; /* a second font of the same file */
    return HPDF_Dict_AddNumber(def->descriptor, "CapHeight", def->cap_height);
}

int ts_shim_font_write_cap_height(HPDF_Font font)
{
    if (font->after_write_fn != NULL)
        return -1;
    font->after_write_fn = add_cap_height;
    return 0;
}

/* ---- The file ------------------------------------------------------------------------ */

void ts_shim_set_pdf17(HPDF_Doc doc)
{
    doc->pdf_version = HPDF_VER_17;
}

/* The file, written through a buffer of ours. */
typedef struct file_out {
    int fd;
    unsigned char *buf;
    size_t len, cap;
    int err; /* errno of the first failed write */
} file_out;

static void out_all(file_out *o, const unsigned char *p, size_t len)
{
    for (size_t done = 0; done < len && o->err == 0;) {
        ssize_t n = write(o->fd, p + done, len - done);
        if (n < 0 && errno != EINTR)
            o->err = errno;
        else if (n > 0)
            done += (size_t)n;
    }
}

static void out_flush(file_out *o)
{
    out_all(o, o->buf, o->len);
    o->len = 0;
}

static HPDF_STATUS out_write(HPDF_Stream stream, const HPDF_BYTE *ptr, HPDF_UINT siz)
{
    file_out *o = stream->attr;
    if (siz > o->cap - o->len)
        out_flush(o);
    if (siz > o->cap) {
        out_all(o, ptr, siz); /* a piece larger than the buffer goes out as it is */
    } else if (o->err == 0) {
        memcpy(o->buf + o->len, ptr, siz);
        o->len += siz;
    }
    return o->err == 0 ? HPDF_OK : HPDF_RaiseError(stream->error, HPDF_FILE_IO_ERROR, o->err);
}

/* What HPDF_SaveToFile does (libharu 2.3.0, hpdf_doc.c InternalSaveToStream) for a document
 * that is not encrypted: the version's header, /Root and /Info in the trailer, then every
 * object and the cross-reference table; only the writing goes through file_out. */
int ts_shim_save(HPDF_Doc d, const char *path)
{
    if (d->encrypt_on || d->info == NULL || d->pdf_version != HPDF_VER_17)
        return HPDF_SaveToFile(d, path) == HPDF_OK ? 0 : -1;
    file_out o = {.fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666),
                  .cap = 1u << 20};
    if (o.fd < 0)
        return errno;
    o.buf = malloc(o.cap);
    HPDF_Stream stream = o.buf != NULL ? HPDF_CallbackWriter_New(d->mmgr, out_write, &o) : NULL;
    int rc = stream != NULL ? 0 : ENOMEM;
    if (rc == 0 && (HPDF_Stream_WriteStr(stream, "%PDF-1.7\n%\267\276\255\252\n") != HPDF_OK ||
                    HPDF_Dict_Add(d->trailer, "Root", d->catalog) != HPDF_OK ||
                    HPDF_Dict_Add(d->trailer, "Info", d->info) != HPDF_OK ||
                    HPDF_Xref_WriteToStream(d->xref, stream, NULL) != HPDF_OK))
        rc = o.err != 0 ? o.err : -1;
    if (rc == 0)
        out_flush(&o);
    if (rc == 0 && o.err != 0)
        rc = o.err;
    if (close(o.fd) != 0 && rc == 0)
        rc = errno;
    HPDF_Stream_Free(stream);
    free(o.buf);
    return rc;
}
