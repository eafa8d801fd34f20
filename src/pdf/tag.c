/* The tagging layer over libharu's object layer: see tag.h.
 *
 * The structure tree of a big pack has tens of thousands of elements.  As libharu objects
 * (a dictionary whose every key is a 128-byte buffer, a name object with another, an array and
 * a proxy per reference) each would cost about 1.6 KB, most of the PDF writer's memory.  So an
 * element, a ParentTree leaf and everything in them are kept here in compact structs in the
 * arena, and libharu holds only an empty dictionary per indirect object: it is in the xref
 * (which gives it its object number) and its write hook, called by HPDF_Dict_Write between
 * "<<" and ">>", writes the entries.  Those dictionaries come from a memory pool of their own
 * (libharu's pool mode: freeing one is a no-op), freed at once by ts_tag_free.
 *
 * Text strings (/Alt, /ActualText, /T) are written as libharu writes text strings: printable
 * ASCII as an escaped literal, anything else as <FEFF...> UTF-16BE; numbers with its own
 * number formatting. */
#include "pdf/tag.h"
#include "core/utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf_mmgr.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <hpdf_utils.h>

/* A kid of an element: another element, an MCID on the element's /Pg, an MCID on another
 * page (MCR), or an annotation (OBJR). */
enum { KID_ELEM, KID_MCID, KID_MCR, KID_OBJR };

struct ts_kid {
    struct ts_kid *next;
    uint32_t value;     /* element or annotation object number, or MCID */
    uint32_t kind_page; /* the kind in the top 2 bits; MCR, OBJR: the page's object number */
};

#define KID_KIND(k) ((k)->kind_page >> 30)
#define KID_PAGE(k) ((k)->kind_page & 0x3FFFFFFFu)

enum { ATTR_NAME, ATTR_NUMBER, ATTR_BOX };

struct ts_attr {
    struct ts_attr *next;
    const char *owner; /* "Layout", "Table", "List" */
    const char *key;
    int kind;
    const char *name;
    int number;
    double box[4];
    uint32_t box_page; /* ATTR_BOX from ts_tag_grow_bbox: the page it was painted on */
};

typedef struct text_value {
    const char *utf8; /* NULL when not set */
    size_t len;
} text_value;

struct ts_elem_text {
    text_value alt, actual, title;
};

/* One key of the ParentTree: a page's MCIDs (ids[mcid] is the element) or an annotation's
 * element (n == 1, annot set). */
typedef struct pt_entry {
    const uint32_t *ids;
    uint32_t n;
    bool annot;
    uint32_t single;
} pt_entry;

typedef struct pt_leaf {
    ts_tag *t;
    size_t first, last; /* keys [first, last] */
    bool limits;
} pt_leaf;

struct ts_tag {
    HPDF_Doc doc;
    HPDF_MMgr mmgr;  /* the document's */
    HPDF_MMgr pool;  /* the elements' dictionaries */
    HPDF_Dict proto; /* an empty dictionary of the pool that every element's copies */
    ts_arena *arena;
    bool enabled;
    bool broken; /* ts_tag_new failed half way: only ts_tag_free may be called */

    HPDF_Dict root;
    uint32_t root_id;
    struct ts_elem *document;
    size_t n_elems;

    ts_vec entries; /* of pt_entry: ParentTree key -> value */

    HPDF_Page page;
    uint32_t page_id;
    size_t page_key; /* the current page's ParentTree key */
    uint32_t *mcids; /* the current page's MCID -> element object number */
    size_t n_mcids, mcids_cap;
    uint32_t tabs_page; /* the last page given /Tabs /S */
    ts_mc_state state;
    bool finished;
};

static uint32_t obj_num(const void *obj)
{
    return ((const HPDF_Obj_Header *)obj)->obj_id & 0x00FFFFFF;
}

static int write_op(ts_tag *t, const char *s)
{
    HPDF_PageAttr attr = (HPDF_PageAttr)t->page->attr;
    return HPDF_Stream_WriteStr(attr->stream, s) == HPDF_OK ? 0 : -1;
}

/* A marked-content operator put together piece by piece: snprintf was a tenth of the drawing
 * time, with one or two of these around every piece of text and every shape. */
typedef struct op_buf {
    char b[160];
    size_t n;
    bool over;
} op_buf;

static void op_str(op_buf *o, const char *s)
{
    size_t n = strlen(s);
    if (o->n + n >= sizeof o->b) {
        o->over = true;
        return;
    }
    memcpy(o->b + o->n, s, n);
    o->n += n;
}

static void op_uint(op_buf *o, uint32_t v)
{
    char d[10];
    size_t k = 0;
    do
        d[k++] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    if (o->n + k >= sizeof o->b) {
        o->over = true;
        return;
    }
    while (k > 0)
        o->b[o->n++] = d[--k];
}

static int write_op_buf(ts_tag *t, const op_buf *o)
{
    if (o->over)
        return -1;
    HPDF_PageAttr attr = (HPDF_PageAttr)t->page->attr;
    return HPDF_Stream_Write(attr->stream, (const HPDF_BYTE *)o->b, (HPDF_UINT)o->n) == HPDF_OK
               ? 0
               : -1;
}

/* ---- Writing --------------------------------------------------------------------------- */

/* A buffered writer into a libharu stream. */
typedef struct wbuf {
    HPDF_Stream s;
    HPDF_STATUS st;
    size_t n;
    char b[2048];
} wbuf;

static void w_flush(wbuf *w)
{
    if (w->n > 0 && w->st == HPDF_OK)
        w->st = HPDF_Stream_Write(w->s, (const HPDF_BYTE *)w->b, (HPDF_UINT)w->n);
    w->n = 0;
}

static void w_raw(wbuf *w, const char *p, size_t n)
{
    if (w->n + n > sizeof w->b)
        w_flush(w);
    if (n > sizeof w->b) {
        if (w->st == HPDF_OK)
            w->st = HPDF_Stream_Write(w->s, (const HPDF_BYTE *)p, (HPDF_UINT)n);
        return;
    }
    memcpy(w->b + w->n, p, n);
    w->n += n;
}

static void w_str(wbuf *w, const char *s)
{
    w_raw(w, s, strlen(s));
}

static void w_num(wbuf *w, long v)
{
    char buf[HPDF_INT_LEN + 2];
    char *end = HPDF_IToA(buf, (HPDF_INT32)v, buf + sizeof buf - 1);
    w_raw(w, buf, (size_t)(end - buf));
}

static void w_real(wbuf *w, double v)
{
    char buf[HPDF_REAL_LEN + 2];
    char *end = HPDF_FToA(buf, (HPDF_REAL)v, buf + sizeof buf - 1);
    w_raw(w, buf, (size_t)(end - buf));
}

static void w_ref(wbuf *w, uint32_t id)
{
    w_num(w, (long)id);
    w_raw(w, " 0 R", 4);
}

/* A name with the escapes libharu writes ("/" included). */
static void w_name(wbuf *w, const char *name)
{
    bool plain = true;
    for (const unsigned char *p = (const unsigned char *)name; *p && plain; p++)
        plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9');
    if (plain && strlen(name) <= HPDF_LIMIT_MAX_NAME_LEN) {
        w_raw(w, "/", 1);
        w_str(w, name);
        return;
    }
    w_flush(w);
    if (w->st == HPDF_OK)
        w->st = HPDF_Stream_WriteEscapeName(w->s, name);
}

/* ---- Text strings ---------------------------------------------------------------------- */

/* Printable ASCII is the same in PDFDocEncoding: a plain literal string, half the size and
 * readable by every tool. */
static bool plain_ascii(const char *utf8, size_t len)
{
    if (len >= 256)
        return false;
    for (size_t i = 0; i < len; i++)
        if (utf8[i] < 0x20 || utf8[i] >= 0x7F)
            return false;
    return true;
}

/* FEFF + UTF-16BE of utf8 into buf (cap bytes, at least 4); returns the length.  A text that
 * does not fit is cut on a character and ends in U+2026. */
static size_t utf16be(const char *utf8, size_t len, unsigned char *buf, size_t cap)
{
    size_t o = 0;
    buf[o++] = 0xFE;
    buf[o++] = 0xFF;
    const unsigned char *s = (const unsigned char *)utf8;
    for (size_t i = 0; i < len;) {
        size_t next = i;
        uint32_t cp = ts_utf8_next(s, len, &next);
        /* Room for this character (4 bytes at most) and, unless it is the last, an ellipsis. */
        if (o + 4 + (next < len ? 2 : 0) > cap) {
            buf[o++] = 0x20;
            buf[o++] = 0x26;
            break;
        }
        i = next;
        if (cp >= 0x10000) {
            uint32_t v = cp - 0x10000;
            unsigned hi = 0xD800 + (v >> 10), lo = 0xDC00 + (v & 0x3FF);
            buf[o++] = (unsigned char)(hi >> 8);
            buf[o++] = (unsigned char)hi;
            buf[o++] = (unsigned char)(lo >> 8);
            buf[o++] = (unsigned char)lo;
        } else {
            buf[o++] = (unsigned char)(cp >> 8);
            buf[o++] = (unsigned char)cp;
        }
    }
    return o;
}

void *ts_pdf_text_string(HPDF_MMgr mmgr, const char *utf8, size_t len)
{
    if (plain_ascii(utf8, len)) {
        char plain[256];
        memcpy(plain, utf8, len);
        plain[len] = '\0';
        return HPDF_String_New(mmgr, plain, NULL);
    }
    /* libharu refuses a string over HPDF_LIMIT_MAX_STRING_LEN bytes, so a longer one (the title
     * of a bookmark for a 100,000-character name) is cut there; the text itself is still drawn
     * whole on the slide. */
    unsigned char stack[512];
    size_t cap =
        len > (HPDF_LIMIT_MAX_STRING_LEN - 2) / 4 ? HPDF_LIMIT_MAX_STRING_LEN : 2 + 4 * len;
    unsigned char *buf = cap <= sizeof stack ? stack : malloc(cap);
    if (buf == NULL)
        return NULL;
    size_t o = utf16be(utf8, len, buf, cap);
    HPDF_Binary b = HPDF_Binary_New(mmgr, buf, (HPDF_UINT)o);
    if (buf != stack)
        free(buf);
    return b;
}

/* The same string as ts_pdf_text_string makes, written as HPDF_String_Write and
 * HPDF_Binary_Write write it. */
static void w_text(wbuf *w, const char *utf8, size_t len)
{
    w_flush(w);
    if (w->st != HPDF_OK)
        return;
    if (plain_ascii(utf8, len)) {
        w->st = HPDF_Stream_WriteEscapeText2(w->s, utf8, (HPDF_UINT)len);
        return;
    }
    unsigned char stack[512];
    size_t cap = 2 + 4 * len;
    unsigned char *buf = cap <= sizeof stack ? stack : malloc(cap);
    if (buf == NULL) {
        w->st = HPDF_FAILD_TO_ALLOC_MEM;
        return;
    }
    size_t o = utf16be(utf8, len, buf, cap);
    w->st = HPDF_Stream_WriteChar(w->s, '<');
    if (w->st == HPDF_OK)
        w->st = HPDF_Stream_WriteBinary(w->s, buf, (HPDF_UINT)o, NULL);
    if (w->st == HPDF_OK)
        w->st = HPDF_Stream_WriteChar(w->s, '>');
    if (buf != stack)
        free(buf);
}

/* ---- Objects --------------------------------------------------------------------------- */

static void write_attrs(wbuf *w, const struct ts_attr *attrs)
{
    /* One attribute object per owner, in the order the owners were first set. */
    w_str(w, "/A [ ");
    for (const struct ts_attr *o = attrs; o != NULL; o = o->next) {
        bool first = true;
        for (const struct ts_attr *p = attrs; p != o && first; p = p->next)
            first = strcmp(p->owner, o->owner) != 0;
        if (!first)
            continue;
        w_str(w, "<<\n/O ");
        w_name(w, o->owner);
        w_raw(w, "\n", 1);
        for (const struct ts_attr *a = o; a != NULL; a = a->next) {
            if (strcmp(a->owner, o->owner) != 0)
                continue;
            w_name(w, a->key);
            w_raw(w, " ", 1);
            if (a->kind == ATTR_NAME) {
                w_name(w, a->name);
            } else if (a->kind == ATTR_NUMBER) {
                w_num(w, a->number);
            } else {
                w_str(w, "[ ");
                for (int i = 0; i < 4; i++) {
                    w_real(w, a->box[i]);
                    w_raw(w, " ", 1);
                }
                w_str(w, "]");
            }
            w_raw(w, "\n", 1);
        }
        w_str(w, ">> ");
    }
    w_str(w, "]\n");
}

static HPDF_STATUS write_elem(HPDF_Dict dict, HPDF_Stream stream)
{
    const struct ts_elem *e = dict->attr;
    wbuf w;
    w.s = stream;
    w.st = HPDF_OK;
    w.n = 0;
    w_str(&w, "/Type /StructElem\n/S ");
    w_name(&w, e->type);
    w_str(&w, "\n/P ");
    w_ref(&w, e->parent_id);
    w_str(&w, "\n/K [ ");
    for (const struct ts_kid *k = e->kids; k != NULL; k = k->next) {
        switch (KID_KIND(k)) {
        case KID_ELEM:
            w_ref(&w, k->value);
            break;
        case KID_MCID:
            w_num(&w, k->value);
            break;
        case KID_MCR:
            w_str(&w, "<<\n/Type /MCR\n/Pg ");
            w_ref(&w, KID_PAGE(k));
            w_str(&w, "\n/MCID ");
            w_num(&w, k->value);
            w_str(&w, "\n>>");
            break;
        default:
            w_str(&w, "<<\n/Type /OBJR\n/Obj ");
            w_ref(&w, k->value);
            w_str(&w, "\n/Pg ");
            w_ref(&w, KID_PAGE(k));
            w_str(&w, "\n>>");
            break;
        }
        w_raw(&w, " ", 1);
    }
    w_str(&w, "]\n");
    if (e->pg != 0) {
        w_str(&w, "/Pg ");
        w_ref(&w, e->pg);
        w_raw(&w, "\n", 1);
    }
    if (e->attrs != NULL)
        write_attrs(&w, e->attrs);
    if (e->text != NULL) {
        const text_value *v[3] = {&e->text->alt, &e->text->actual, &e->text->title};
        static const char *const keys[3] = {"/Alt ", "/ActualText ", "/T "};
        for (int i = 0; i < 3; i++) {
            if (v[i]->utf8 == NULL)
                continue;
            w_str(&w, keys[i]);
            w_text(&w, v[i]->utf8, v[i]->len);
            w_raw(&w, "\n", 1);
        }
    }
    w_flush(&w);
    return w.st;
}

static HPDF_STATUS write_leaf(HPDF_Dict dict, HPDF_Stream stream)
{
    const pt_leaf *leaf = dict->attr;
    const pt_entry *en = leaf->t->entries.items;
    wbuf w;
    w.s = stream;
    w.st = HPDF_OK;
    w.n = 0;
    w_str(&w, "/Nums [ ");
    for (size_t key = leaf->first; key <= leaf->last && leaf->t->entries.len > 0; key++) {
        w_num(&w, (long)key);
        w_raw(&w, " ", 1);
        if (en[key].annot) {
            w_ref(&w, en[key].single);
        } else {
            w_str(&w, "[ ");
            for (uint32_t i = 0; i < en[key].n; i++) {
                w_ref(&w, en[key].ids[i]);
                w_raw(&w, " ", 1);
            }
            w_str(&w, "]");
        }
        w_raw(&w, " ", 1);
    }
    w_str(&w, "]\n");
    if (leaf->limits) {
        w_str(&w, "/Limits [ ");
        w_num(&w, (long)leaf->first);
        w_raw(&w, " ", 1);
        w_num(&w, (long)leaf->last);
        w_str(&w, " ]\n");
    }
    w_flush(&w);
    return w.st;
}

/* An empty dictionary in the xref, written by write_fn from attr.  It is a copy of t->proto
 * and shares its empty entry list: HPDF_Dict_New would give each of some 75,000 elements a list
 * of its own that is never used (5 MB of a 300-measure pack).  Freeing one in the pool is a
 * no-op, so the shared list is safe to "free" with each. */
static HPDF_Dict hook_object(ts_tag *t, HPDF_Dict_OnWriteFunc write_fn, void *attr)
{
    if (t->proto == NULL && (t->proto = HPDF_Dict_New(t->pool)) == NULL)
        return NULL;
    HPDF_Dict d = HPDF_GetMem(t->pool, sizeof *d);
    if (d == NULL)
        return NULL;
    memcpy(d, t->proto, sizeof *d);
    if (HPDF_Xref_Add(t->doc->xref, d) != HPDF_OK)
        return NULL;
    d->write_fn = write_fn;
    d->attr = attr;
    return d;
}

/* ---- Elements -------------------------------------------------------------------------- */

static const char *const standard_types[] = {
    "Document", "Part",   "Sect",    "Div",   "H1",    "H2",    "H3",    "P",     "L",
    "LI",       "Lbl",    "LBody",   "Table", "THead", "TBody", "TFoot", "TR",    "TH",
    "TD",       "Figure", "Caption", "Span",  "Link",  "Note",  "Annot", "Quote", "Code"};

/* Element types are a few constant strings: no copy of each. */
static const char *intern_type(ts_tag *t, const char *type)
{
    for (size_t i = 0; i < sizeof standard_types / sizeof standard_types[0]; i++)
        if (strcmp(standard_types[i], type) == 0)
            return standard_types[i];
    return ts_arena_strdup(t->arena, type);
}

static int add_kid(ts_tag *t, struct ts_elem *e, uint32_t kind, uint32_t value, uint32_t page)
{
    struct ts_kid *k = ts_arena_alloc(t->arena, sizeof *k);
    if (k == NULL)
        return -1;
    k->next = NULL;
    k->value = value;
    k->kind_page = kind << 30 | (page & 0x3FFFFFFFu);
    if (e->kids_tail != NULL)
        e->kids_tail->next = k;
    else
        e->kids = k;
    e->kids_tail = k;
    return 0;
}

static struct ts_elem *elem_make(ts_tag *t, const char *type, uint32_t parent_id)
{
    struct ts_elem *e = ts_arena_calloc(t->arena, 1, sizeof *e);
    if (e == NULL)
        return NULL;
    e->type = intern_type(t, type);
    if (e->type == NULL)
        return NULL;
    t->n_elems++;
    if (!t->enabled)
        return e;
    e->dict = hook_object(t, write_elem, e);
    if (e->dict == NULL)
        return NULL;
    e->id = obj_num(e->dict);
    e->parent_id = parent_id;
    return e;
}

/* A tree that could not be made half way: the elements' dictionaries already in the document's
 * cross-reference table live in the pool, so the pool must outlive the document and is freed
 * by ts_tag_free after it, as on every other path. */
static ts_tag *tag_broken(ts_tag *t)
{
    t->broken = true;
    return t;
}

bool ts_tag_broken(const ts_tag *t)
{
    return t->broken;
}

ts_tag *ts_tag_new(HPDF_Doc doc, ts_arena *arena, bool enabled)
{
    ts_tag *t = ts_arena_calloc(arena, 1, sizeof *t);
    if (t == NULL)
        return NULL;
    t->doc = doc;
    t->mmgr = doc->mmgr;
    t->arena = arena;
    t->enabled = enabled;
    if (!enabled) {
        t->document = elem_make(t, "Document", 0);
        return t->document != NULL ? t : NULL;
    }
    t->pool = HPDF_MMgr_New(doc->mmgr->error, 64 * 1024, NULL, NULL);
    if (t->pool == NULL)
        return NULL;

    HPDF_STATUS st = HPDF_OK;
    t->root = HPDF_Dict_New(t->mmgr);
    if (t->root == NULL || HPDF_Xref_Add(doc->xref, t->root) != HPDF_OK) {
        return tag_broken(t);
    }
    t->root_id = obj_num(t->root);
    st |= HPDF_Dict_AddName(t->root, "Type", "StructTreeRoot");
    st |= HPDF_Dict_Add(doc->catalog, "StructTreeRoot", t->root);

    HPDF_Dict mark = HPDF_Dict_New(t->mmgr);
    if (mark != NULL) {
        st |= HPDF_Dict_AddBoolean(mark, "Marked", HPDF_TRUE);
        st |= HPDF_Dict_Add(doc->catalog, "MarkInfo", mark);
    }
    t->document = elem_make(t, "Document", t->root_id);
    HPDF_Array root_k = mark != NULL && t->document != NULL ? HPDF_Array_New(t->mmgr) : NULL;
    if (root_k == NULL)
        return tag_broken(t);
    /* libharu frees a direct object that it could not add: root_k must not be used after a
     * failed Dict_Add. */
    if (st != HPDF_OK) {
        HPDF_Array_Free(root_k);
        return tag_broken(t);
    }
    if (HPDF_Dict_Add(t->root, "K", root_k) != HPDF_OK ||
        HPDF_Array_Add(root_k, t->document->dict) != HPDF_OK)
        return tag_broken(t);
    return t;
}

void ts_tag_free(ts_tag *t)
{
    if (t == NULL)
        return;
    free(t->mcids);
    t->mcids = NULL;
    if (t->pool != NULL)
        HPDF_MMgr_Free(t->pool);
    t->pool = NULL;
}

bool ts_tag_enabled(const ts_tag *t)
{
    return t->enabled;
}

struct ts_elem *ts_tag_document(ts_tag *t)
{
    return t->document;
}

size_t ts_tag_elem_count(const ts_tag *t)
{
    return t->n_elems;
}

struct ts_elem *ts_tag_elem_new(ts_tag *t, struct ts_elem *parent, const char *type)
{
    if (parent == NULL || type == NULL || t->finished)
        return NULL;
    struct ts_elem *e = elem_make(t, type, parent->id);
    if (e == NULL || !t->enabled)
        return e;
    return add_kid(t, parent, KID_ELEM, e->id, 0) == 0 ? e : NULL;
}

static int set_text(ts_tag *t, struct ts_elem *e, int which, const char *utf8, size_t len)
{
    if (!t->enabled)
        return 0;
    if (e == NULL || e->dict == NULL || utf8 == NULL)
        return -1;
    if (e->text == NULL && (e->text = ts_arena_calloc(t->arena, 1, sizeof *e->text)) == NULL)
        return -1;
    text_value *v = which == 0 ? &e->text->alt : which == 1 ? &e->text->actual : &e->text->title;
    v->utf8 = ts_arena_strndup(t->arena, utf8, len);
    v->len = len;
    return v->utf8 != NULL ? 0 : -1;
}

int ts_tag_set_alt(ts_tag *t, struct ts_elem *e, const char *utf8, size_t len)
{
    return set_text(t, e, 0, utf8, len);
}

int ts_tag_set_actual_text(ts_tag *t, struct ts_elem *e, const char *utf8, size_t len)
{
    return set_text(t, e, 1, utf8, len);
}

int ts_tag_set_title(ts_tag *t, struct ts_elem *e, const char *utf8, size_t len)
{
    return set_text(t, e, 2, utf8, len);
}

/* ---- Attributes ------------------------------------------------------------------------ */

/* The attribute owner/key of e, made when new; NULL for an owner other than Layout, Table
 * and List, or when out of memory. */
static struct ts_attr *attr_slot(ts_tag *t, struct ts_elem *e, const char *owner, const char *key)
{
    static const char *const owners[] = {"Layout", "Table", "List"};
    const char *own = NULL;
    for (size_t i = 0; i < sizeof owners / sizeof owners[0]; i++)
        if (strcmp(owners[i], owner) == 0)
            own = owners[i];
    if (own == NULL || key == NULL)
        return NULL;
    struct ts_attr **p = &e->attrs;
    for (; *p != NULL; p = &(*p)->next)
        if ((*p)->owner == own && strcmp((*p)->key, key) == 0)
            return *p;
    struct ts_attr *a = ts_arena_calloc(t->arena, 1, sizeof *a);
    if (a == NULL || (a->key = ts_arena_strdup(t->arena, key)) == NULL)
        return NULL;
    a->owner = own;
    *p = a;
    return a;
}

int ts_tag_set_attr_name(ts_tag *t, struct ts_elem *e, const char *owner, const char *key,
                         const char *name)
{
    if (!t->enabled)
        return 0;
    if (e == NULL || e->dict == NULL || name == NULL)
        return -1;
    struct ts_attr *a = attr_slot(t, e, owner, key);
    if (a == NULL || (a->name = ts_arena_strdup(t->arena, name)) == NULL)
        return -1;
    a->kind = ATTR_NAME;
    return 0;
}

int ts_tag_set_attr_number(ts_tag *t, struct ts_elem *e, const char *owner, const char *key,
                           int value)
{
    if (!t->enabled)
        return 0;
    if (e == NULL || e->dict == NULL)
        return -1;
    struct ts_attr *a = attr_slot(t, e, owner, key);
    if (a == NULL)
        return -1;
    a->kind = ATTR_NUMBER;
    a->number = value;
    return 0;
}

int ts_tag_set_bbox(ts_tag *t, struct ts_elem *e, const double box[4])
{
    if (!t->enabled)
        return 0;
    if (e == NULL || e->dict == NULL)
        return -1;
    struct ts_attr *a = attr_slot(t, e, "Layout", "BBox");
    if (a == NULL)
        return -1;
    a->kind = ATTR_BOX;
    memcpy(a->box, box, sizeof a->box);
    return 0;
}

int ts_tag_grow_bbox(ts_tag *t, struct ts_elem *e, HPDF_Page page, const double box[4])
{
    if (!t->enabled)
        return 0;
    if (e == NULL || e->dict == NULL || page == NULL)
        return -1;
    struct ts_attr *a = attr_slot(t, e, "Layout", "BBox");
    if (a == NULL)
        return -1;
    uint32_t page_id = obj_num(page);
    if (a->kind != ATTR_BOX || a->box_page != page_id) {
        a->kind = ATTR_BOX;
        a->box_page = page_id;
        memcpy(a->box, box, sizeof a->box);
        return 0;
    }
    a->box[0] = box[0] < a->box[0] ? box[0] : a->box[0];
    a->box[1] = box[1] < a->box[1] ? box[1] : a->box[1];
    a->box[2] = box[2] > a->box[2] ? box[2] : a->box[2];
    a->box[3] = box[3] > a->box[3] ? box[3] : a->box[3];
    return 0;
}

/* ---- ParentTree ------------------------------------------------------------------------ */

static pt_entry *pt_add(ts_tag *t, size_t *key)
{
    *key = t->entries.len;
    return ts_vec_push(t->arena, &t->entries, sizeof(pt_entry));
}

/* The current page's MCID -> element list goes into the arena at its exact size. */
static int close_page(ts_tag *t)
{
    if (!t->enabled || t->page == NULL)
        return 0;
    pt_entry *en = (pt_entry *)t->entries.items + t->page_key;
    uint32_t *ids = NULL;
    if (t->n_mcids > 0) {
        ids = ts_arena_alloc(t->arena, t->n_mcids * sizeof *ids);
        if (ids == NULL)
            return -1;
        memcpy(ids, t->mcids, t->n_mcids * sizeof *ids);
    }
    en->ids = ids;
    en->n = (uint32_t)t->n_mcids;
    t->n_mcids = 0;
    return 0;
}

/* ---- Marked content -------------------------------------------------------------------- */

int ts_tag_begin_page(ts_tag *t, HPDF_Page page)
{
    if (t->state != TS_MC_NONE || t->finished || page == NULL)
        return -1;
    if (close_page(t) != 0)
        return -1;
    t->page = page;
    t->page_id = obj_num(page);
    t->n_mcids = 0;
    if (!t->enabled)
        return 0;
    pt_entry *en = pt_add(t, &t->page_key);
    if (en == NULL || t->page_key > INT32_MAX)
        return -1;
    return HPDF_Dict_AddNumber(page, "StructParents", (HPDF_INT32)t->page_key) == HPDF_OK ? 0 : -1;
}

static bool can_mark(const ts_tag *t)
{
    return t->page != NULL && t->state == TS_MC_NONE &&
           HPDF_Page_GetGMode(t->page) != HPDF_GMODE_PATH_OBJECT;
}

int ts_tag_mc_begin(ts_tag *t, struct ts_elem *e)
{
    if (e == NULL || !can_mark(t))
        return -1;
    t->state = TS_MC_CONTENT;
    if (!t->enabled)
        return 0;
    if (e->dict == NULL)
        return -1;
    if (t->n_mcids == t->mcids_cap) {
        size_t cap = t->mcids_cap ? 2 * t->mcids_cap : 256;
        uint32_t *g = realloc(t->mcids, cap * sizeof *g);
        if (g == NULL)
            return -1;
        t->mcids = g;
        t->mcids_cap = cap;
    }
    uint32_t mcid = (uint32_t)t->n_mcids;
    t->mcids[t->n_mcids++] = e->id;
    /* The tag is the element's type; the MCID is what links the content to the element. */
    op_buf op = {.n = 0};
    op_str(&op, "/");
    op_str(&op, e->type);
    op_str(&op, " <</MCID ");
    op_uint(&op, mcid);
    op_str(&op, ">> BDC\n");
    if (write_op_buf(t, &op) != 0)
        return -1;
    if (e->pg == 0)
        e->pg = t->page_id;
    /* Content of an element whose /Pg is another page (a paragraph continued on the next
     * slide stays one element) is a marked-content reference. */
    return e->pg == t->page_id ? add_kid(t, e, KID_MCID, mcid, 0)
                               : add_kid(t, e, KID_MCR, mcid, t->page_id);
}

int ts_tag_artifact_begin(ts_tag *t, const char *type, const char *subtype)
{
    if (!can_mark(t))
        return -1;
    t->state = TS_MC_ARTIFACT;
    if (!t->enabled)
        return 0;
    op_buf op = {.n = 0};
    op_str(&op, "/Artifact <</Type /");
    op_str(&op, type);
    if (subtype != NULL) {
        op_str(&op, " /Subtype /");
        op_str(&op, subtype);
    }
    op_str(&op, ">> BDC\n");
    return write_op_buf(t, &op);
}

int ts_tag_mc_end(ts_tag *t)
{
    if (t->state == TS_MC_NONE || HPDF_Page_GetGMode(t->page) == HPDF_GMODE_PATH_OBJECT)
        return -1;
    t->state = TS_MC_NONE;
    return t->enabled ? write_op(t, "EMC\n") : 0;
}

ts_mc_state ts_tag_mc_state(const ts_tag *t)
{
    return t->state;
}

int ts_tag_annot(ts_tag *t, struct ts_elem *e, HPDF_Page page, HPDF_Annotation annot)
{
    if (!t->enabled)
        return 0;
    if (e == NULL || e->dict == NULL || page == NULL || annot == NULL || t->finished)
        return -1;
    uint32_t page_id = obj_num(page);
    if (add_kid(t, e, KID_OBJR, obj_num(annot), page_id) != 0)
        return -1;
    if (e->pg == 0)
        e->pg = page_id;
    size_t key;
    pt_entry *en = pt_add(t, &key);
    if (en == NULL || key > INT32_MAX)
        return -1;
    en->annot = true;
    en->single = e->id;
    en->n = 1;
    HPDF_STATUS st = HPDF_Dict_AddNumber(annot, "StructParent", (HPDF_INT32)key);
    if (t->tabs_page != page_id) {
        st |= HPDF_Dict_AddName(page, "Tabs", "S");
        t->tabs_page = page_id;
    }
    return st == HPDF_OK ? 0 : -1;
}

int ts_tag_finish(ts_tag *t)
{
    if (t->state != TS_MC_NONE || t->finished)
        return -1;
    t->finished = true;
    if (!t->enabled)
        return 0;
    if (close_page(t) != 0)
        return -1;
    free(t->mcids);
    t->mcids = NULL;
    t->mcids_cap = 0;

    size_t n = t->entries.len;
    size_t n_leaves = n == 0 ? 1 : (n + TS_TAG_LEAF_KEYS - 1) / TS_TAG_LEAF_KEYS;
    pt_leaf *leaves = ts_arena_calloc(t->arena, n_leaves, sizeof *leaves);
    if (leaves == NULL)
        return -1;
    HPDF_STATUS st = HPDF_OK;
    if (n_leaves == 1) {
        /* One leaf is the whole tree; a root has no /Limits.  With no key at all, its /Nums
         * is empty (first > last). */
        leaves[0] = (pt_leaf){t, 0, n == 0 ? 0 : n - 1, false};
        if (n == 0)
            leaves[0].first = 1;
        HPDF_Dict d = hook_object(t, write_leaf, &leaves[0]);
        if (d == NULL)
            return -1;
        st |= HPDF_Dict_Add(t->root, "ParentTree", d);
    } else {
        HPDF_Dict pt = HPDF_Dict_New(t->mmgr);
        if (pt == NULL || HPDF_Xref_Add(t->doc->xref, pt) != HPDF_OK)
            return -1;
        HPDF_Array kids = HPDF_Array_New(t->mmgr);
        if (kids == NULL || HPDF_Dict_Add(pt, "Kids", kids) != HPDF_OK)
            return -1;
        for (size_t i = 0; i < n_leaves && st == HPDF_OK; i++) {
            size_t first = i * TS_TAG_LEAF_KEYS;
            size_t last = first + TS_TAG_LEAF_KEYS - 1 < n ? first + TS_TAG_LEAF_KEYS - 1 : n - 1;
            leaves[i] = (pt_leaf){t, first, last, true};
            HPDF_Dict d = hook_object(t, write_leaf, &leaves[i]);
            if (d == NULL)
                return -1;
            st |= HPDF_Array_Add(kids, d);
        }
        st |= HPDF_Dict_Add(t->root, "ParentTree", pt);
    }
    st |= HPDF_Dict_AddNumber(t->root, "ParentTreeNextKey", (HPDF_INT32)n);
    return st == HPDF_OK ? 0 : -1;
}
