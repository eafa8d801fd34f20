/* The tagging layer over libharu's object layer: see tag.h.
 *
 * The structure tree of a big pack has tens of thousands of elements.  As libharu objects
 * (a dictionary whose every key is a 128-byte buffer, a name object with another, an array and
 * a proxy per reference) each would cost about 1.6 KB, most of the PDF writer's memory.  So an
 * element, a ParentTree leaf and everything in them are kept here in compact structs in the
 * arena, and libharu holds only an empty dictionary per indirect object: a hooked object of
 * shim.h, in the file's object table (which gives it its object number), whose hook writes the
 * entries when the file is saved.  Those dictionaries come from a pool of their own
 * (ts_shim_pool), freed at once by ts_tag_free.
 *
 * Text strings (/Alt, /ActualText, /T) are written as libharu writes text strings: printable
 * ASCII as an escaped literal, anything else as <FEFF...> UTF-16BE; numbers with its own
 * number formatting (ts_shim_out).
 *
 * An element's /ID is "e" and its object number: unique without a table of names, and the same
 * in every build of the same document. */
#include "pdf/tag.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/utf8.h"
#include "pdf/shim.h"

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

enum { ATTR_NAME, ATTR_NUMBER, ATTR_BOX, ATTR_IDS };

struct ts_attr {
    struct ts_attr *next;
    const char *owner; /* "Layout", "Table", "List" */
    const char *key;
    int kind;
    const char *name;
    int number;
    double box[4];
    uint32_t box_page;   /* ATTR_BOX from ts_tag_grow_bbox: the page it was painted on */
    const uint32_t *ids; /* ATTR_IDS: the object numbers of the elements whose /IDs it lists */
    size_t n_ids;
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
    ts_shim_hook hook; /* writes the leaf; first, so that the hook finds the leaf */
    ts_tag *t;
    size_t first, last; /* keys [first, last] */
    bool limits;
} pt_leaf;

/* A leaf of the IDTree: keys [first, last] of the sorted IDs. */
typedef pt_leaf id_leaf;

struct ts_tag {
    HPDF_Doc doc;
    ts_shim_pool *pool; /* the elements' dictionaries */
    ts_arena *arena;
    bool enabled;
    bool broken; /* ts_tag_new failed half way: only ts_tag_free may be called */

    HPDF_Dict root;
    uint32_t root_id;
    struct ts_elem *document;
    HPDF_Dict document_dict;
    size_t n_elems;

    ts_vec entries; /* of pt_entry: ParentTree key -> value */
    ts_vec ids;     /* of uint32_t: the object numbers of the elements with an /ID */

    HPDF_Page page;
    uint32_t page_id;
    size_t page_key;    /* the current page's ParentTree key */
    ts_buf mcids;       /* of uint32_t: the current page's MCID -> element object number */
    uint32_t tabs_page; /* the last page given /Tabs /S */
    ts_mc_state state;
    bool finished;
};

static int write_op(ts_tag *t, const char *s)
{
    return ts_shim_page_write(t->page, s, strlen(s)) == HPDF_OK ? 0 : -1;
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
    return ts_shim_page_write(t->page, o->b, o->n) == HPDF_OK ? 0 : -1;
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

void *ts_pdf_text_string(HPDF_Doc doc, const char *utf8, size_t len)
{
    if (plain_ascii(utf8, len)) {
        char plain[256];
        memcpy(plain, utf8, len);
        plain[len] = '\0';
        return ts_shim_string(doc, plain);
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
    void *b = ts_shim_binary(doc, buf, o);
    if (buf != stack)
        free(buf);
    return b;
}

/* The same string as ts_pdf_text_string makes, written as libharu writes that object. */
static void w_text(ts_shim_out *w, const char *utf8, size_t len)
{
    if (plain_ascii(utf8, len)) {
        ts_shim_out_literal(w, utf8, len);
        return;
    }
    unsigned char stack[512];
    size_t cap = 2 + 4 * len;
    unsigned char *buf = cap <= sizeof stack ? stack : malloc(cap);
    if (buf == NULL) {
        w->status = HPDF_FAILD_TO_ALLOC_MEM;
        return;
    }
    size_t o = utf16be(utf8, len, buf, cap);
    ts_shim_out_hex(w, buf, o);
    if (buf != stack)
        free(buf);
}

/* The /ID of the element with object number obj, "e12", in out; its length. */
static size_t id_text(uint32_t obj, char out[16])
{
    char d[10];
    size_t k = 0, n = 0;
    do
        d[k++] = (char)('0' + obj % 10);
    while ((obj /= 10) != 0);
    out[n++] = 'e';
    while (k > 0)
        out[n++] = d[--k];
    out[n] = '\0';
    return n;
}

static void w_id(ts_shim_out *w, uint32_t obj)
{
    char id[16];
    ts_shim_out_literal(w, id, id_text(obj, id));
}

/* ---- Objects --------------------------------------------------------------------------- */

static void write_attrs(ts_shim_out *w, const struct ts_attr *attrs)
{
    /* One attribute object per owner, in the order the owners were first set. */
    ts_shim_out_str(w, "/A [ ");
    for (const struct ts_attr *o = attrs; o != NULL; o = o->next) {
        bool first = true;
        for (const struct ts_attr *p = attrs; p != o && first; p = p->next)
            first = strcmp(p->owner, o->owner) != 0;
        if (!first)
            continue;
        ts_shim_out_str(w, "<<\n/O ");
        ts_shim_out_name(w, o->owner);
        ts_shim_out_raw(w, "\n", 1);
        for (const struct ts_attr *a = o; a != NULL; a = a->next) {
            if (strcmp(a->owner, o->owner) != 0)
                continue;
            ts_shim_out_name(w, a->key);
            ts_shim_out_raw(w, " ", 1);
            if (a->kind == ATTR_NAME) {
                ts_shim_out_name(w, a->name);
            } else if (a->kind == ATTR_NUMBER) {
                ts_shim_out_int(w, a->number);
            } else if (a->kind == ATTR_IDS) {
                ts_shim_out_str(w, "[ ");
                for (size_t i = 0; i < a->n_ids; i++) {
                    w_id(w, a->ids[i]);
                    ts_shim_out_raw(w, " ", 1);
                }
                ts_shim_out_str(w, "]");
            } else {
                ts_shim_out_str(w, "[ ");
                for (int i = 0; i < 4; i++) {
                    ts_shim_out_real(w, a->box[i]);
                    ts_shim_out_raw(w, " ", 1);
                }
                ts_shim_out_str(w, "]");
            }
            ts_shim_out_raw(w, "\n", 1);
        }
        ts_shim_out_str(w, ">> ");
    }
    ts_shim_out_str(w, "]\n");
}

/* The element's entries, when the file is saved (the hook of its object). */
static void write_elem(const ts_shim_hook *hook, ts_shim_out *w)
{
    const struct ts_elem *e = (const struct ts_elem *)hook;
    ts_shim_out_str(w, "/Type /StructElem\n/S ");
    ts_shim_out_name(w, e->type);
    ts_shim_out_str(w, "\n/P ");
    ts_shim_out_ref(w, e->parent_id);
    ts_shim_out_str(w, "\n/K [ ");
    for (const struct ts_kid *k = e->kids; k != NULL; k = k->next) {
        switch (KID_KIND(k)) {
        case KID_ELEM:
            ts_shim_out_ref(w, k->value);
            break;
        case KID_MCID:
            ts_shim_out_int(w, k->value);
            break;
        case KID_MCR:
            ts_shim_out_str(w, "<<\n/Type /MCR\n/Pg ");
            ts_shim_out_ref(w, KID_PAGE(k));
            ts_shim_out_str(w, "\n/MCID ");
            ts_shim_out_int(w, k->value);
            ts_shim_out_str(w, "\n>>");
            break;
        default:
            ts_shim_out_str(w, "<<\n/Type /OBJR\n/Obj ");
            ts_shim_out_ref(w, k->value);
            ts_shim_out_str(w, "\n/Pg ");
            ts_shim_out_ref(w, KID_PAGE(k));
            ts_shim_out_str(w, "\n>>");
            break;
        }
        ts_shim_out_raw(w, " ", 1);
    }
    ts_shim_out_str(w, "]\n");
    if (e->pg != 0) {
        ts_shim_out_str(w, "/Pg ");
        ts_shim_out_ref(w, e->pg);
        ts_shim_out_raw(w, "\n", 1);
    }
    if (e->has_id) {
        ts_shim_out_str(w, "/ID ");
        w_id(w, e->id);
        ts_shim_out_raw(w, "\n", 1);
    }
    if (e->attrs != NULL)
        write_attrs(w, e->attrs);
    if (e->text != NULL) {
        const text_value *v[3] = {&e->text->alt, &e->text->actual, &e->text->title};
        static const char *const keys[3] = {"/Alt ", "/ActualText ", "/T "};
        for (int i = 0; i < 3; i++) {
            if (v[i]->utf8 == NULL)
                continue;
            ts_shim_out_str(w, keys[i]);
            w_text(w, v[i]->utf8, v[i]->len);
            ts_shim_out_raw(w, "\n", 1);
        }
    }
}

/* A ParentTree leaf's entries, when the file is saved. */
static void write_leaf(const ts_shim_hook *hook, ts_shim_out *w)
{
    const pt_leaf *leaf = (const pt_leaf *)hook;
    const pt_entry *en = leaf->t->entries.items;
    ts_shim_out_str(w, "/Nums [ ");
    for (size_t key = leaf->first; key <= leaf->last && leaf->t->entries.len > 0; key++) {
        ts_shim_out_int(w, (long)key);
        ts_shim_out_raw(w, " ", 1);
        if (en[key].annot) {
            ts_shim_out_ref(w, en[key].single);
        } else {
            ts_shim_out_str(w, "[ ");
            for (uint32_t i = 0; i < en[key].n; i++) {
                ts_shim_out_ref(w, en[key].ids[i]);
                ts_shim_out_raw(w, " ", 1);
            }
            ts_shim_out_str(w, "]");
        }
        ts_shim_out_raw(w, " ", 1);
    }
    ts_shim_out_str(w, "]\n");
    if (leaf->limits) {
        ts_shim_out_str(w, "/Limits [ ");
        ts_shim_out_int(w, (long)leaf->first);
        ts_shim_out_raw(w, " ", 1);
        ts_shim_out_int(w, (long)leaf->last);
        ts_shim_out_str(w, " ]\n");
    }
}

/* An IDTree leaf's entries (a name tree's /Names, keys in byte order), when the file is
 * saved. */
static void write_id_leaf(const ts_shim_hook *hook, ts_shim_out *w)
{
    const id_leaf *leaf = (const id_leaf *)hook;
    const uint32_t *ids = leaf->t->ids.items;
    ts_shim_out_str(w, "/Names [ ");
    for (size_t i = leaf->first; i <= leaf->last; i++) {
        w_id(w, ids[i]);
        ts_shim_out_raw(w, " ", 1);
        ts_shim_out_ref(w, ids[i]);
        ts_shim_out_raw(w, " ", 1);
    }
    ts_shim_out_str(w, "]\n");
    if (leaf->limits) {
        ts_shim_out_str(w, "/Limits [ ");
        w_id(w, ids[leaf->first]);
        ts_shim_out_raw(w, " ", 1);
        w_id(w, ids[leaf->last]);
        ts_shim_out_str(w, " ]\n");
    }
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

static void write_elem(const ts_shim_hook *hook, ts_shim_out *w);

/* A new element; *dict (when asked for) is its object, NULL when untagged. */
static struct ts_elem *elem_make(ts_tag *t, const char *type, uint32_t parent_id,
                                 HPDF_Dict *dict_out)
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
    e->hook.write = write_elem;
    HPDF_Dict dict = ts_shim_hooked(t->pool, &e->hook);
    if (dict == NULL)
        return NULL;
    if (dict_out != NULL)
        *dict_out = dict;
    e->id = ts_shim_obj_id(dict);
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
    t->arena = arena;
    t->enabled = enabled;
    if (!enabled) {
        t->document = elem_make(t, "Document", 0, NULL);
        return t->document != NULL ? t : NULL;
    }
    t->pool = ts_shim_pool_new(doc, arena);
    if (t->pool == NULL)
        return NULL;

    HPDF_STATUS st = HPDF_OK;
    t->root = ts_shim_dict_new(doc, true);
    if (t->root == NULL)
        return tag_broken(t);
    t->root_id = ts_shim_obj_id(t->root);
    HPDF_Dict catalog = ts_shim_catalog(doc);
    st |= ts_shim_add_name(t->root, "Type", "StructTreeRoot");
    st |= ts_shim_add(catalog, "StructTreeRoot", t->root);

    HPDF_Dict mark = ts_shim_dict_new(doc, false);
    if (mark != NULL) {
        st |= ts_shim_add_bool(mark, "Marked", true);
        st |= ts_shim_add(catalog, "MarkInfo", mark);
    }
    t->document = elem_make(t, "Document", t->root_id, &t->document_dict);
    HPDF_Array root_k = mark != NULL && t->document != NULL ? ts_shim_array_new(doc) : NULL;
    if (root_k == NULL)
        return tag_broken(t);
    /* libharu frees a direct object that it could not add: root_k must not be used after a
     * failed add. */
    if (st != HPDF_OK) {
        ts_shim_array_free(root_k);
        return tag_broken(t);
    }
    if (ts_shim_add(t->root, "K", root_k) != HPDF_OK ||
        ts_shim_array_add(root_k, t->document_dict) != HPDF_OK)
        return tag_broken(t);
    return t;
}

void ts_tag_free(ts_tag *t)
{
    if (t == NULL)
        return;
    ts_buf_free(&t->mcids);
    ts_shim_pool_free(t->pool);
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
    struct ts_elem *e = elem_make(t, type, parent->id, NULL);
    if (e == NULL || !t->enabled)
        return e;
    return add_kid(t, parent, KID_ELEM, e->id, 0) == 0 ? e : NULL;
}

static int set_text(ts_tag *t, struct ts_elem *e, int which, const char *utf8, size_t len)
{
    if (!t->enabled)
        return 0;
    if (e == NULL || e->id == 0 || utf8 == NULL)
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
    if (e == NULL || e->id == 0 || name == NULL)
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
    if (e == NULL || e->id == 0)
        return -1;
    struct ts_attr *a = attr_slot(t, e, owner, key);
    if (a == NULL)
        return -1;
    a->kind = ATTR_NUMBER;
    a->number = value;
    return 0;
}

int ts_tag_set_id(ts_tag *t, struct ts_elem *e)
{
    if (!t->enabled)
        return 0;
    if (e == NULL || e->id == 0 || t->finished)
        return -1;
    if (e->has_id)
        return 0;
    uint32_t *slot = ts_vec_push(t->arena, &t->ids, sizeof *slot);
    if (slot == NULL)
        return -1;
    *slot = e->id;
    e->has_id = true;
    return 0;
}

int ts_tag_set_attr_ids(ts_tag *t, struct ts_elem *e, const char *owner, const char *key,
                        struct ts_elem *const *elems, size_t n)
{
    if (!t->enabled)
        return 0;
    if (e == NULL || e->id == 0 || (elems == NULL && n > 0))
        return -1;
    uint32_t *ids = ts_arena_calloc(t->arena, n ? n : 1, sizeof *ids);
    struct ts_attr *a = ids != NULL ? attr_slot(t, e, owner, key) : NULL;
    if (a == NULL)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (ts_tag_set_id(t, elems[i]) != 0)
            return -1;
        ids[i] = elems[i]->id;
    }
    a->kind = ATTR_IDS;
    a->ids = ids;
    a->n_ids = n;
    return 0;
}

int ts_tag_set_bbox(ts_tag *t, struct ts_elem *e, const double box[4])
{
    if (!t->enabled)
        return 0;
    if (e == NULL || e->id == 0)
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
    if (e == NULL || e->id == 0 || page == NULL)
        return -1;
    struct ts_attr *a = attr_slot(t, e, "Layout", "BBox");
    if (a == NULL)
        return -1;
    uint32_t page_id = ts_shim_obj_id(page);
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
    size_t n = t->mcids.len / sizeof *ids;
    if (n > 0) {
        ids = ts_arena_alloc(t->arena, t->mcids.len);
        if (ids == NULL)
            return -1;
        memcpy(ids, t->mcids.data, t->mcids.len);
    }
    en->ids = ids;
    en->n = (uint32_t)n;
    ts_buf_clear(&t->mcids);
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
    t->page_id = ts_shim_obj_id(page);
    ts_buf_clear(&t->mcids);
    if (!t->enabled)
        return 0;
    pt_entry *en = pt_add(t, &t->page_key);
    if (en == NULL || t->page_key > INT32_MAX)
        return -1;
    return ts_shim_add_number(page, "StructParents", (HPDF_INT32)t->page_key) == HPDF_OK ? 0 : -1;
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
    if (e->id == 0)
        return -1;
    uint32_t mcid = (uint32_t)(t->mcids.len / sizeof e->id);
    if (t->mcids.cap == 0 && !ts_buf_reserve(&t->mcids, 256 * sizeof e->id))
        return -1;
    if (!ts_buf_append(&t->mcids, &e->id, sizeof e->id))
        return -1;
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
    if (e == NULL || e->id == 0 || page == NULL || annot == NULL || t->finished)
        return -1;
    uint32_t page_id = ts_shim_obj_id(page);
    if (add_kid(t, e, KID_OBJR, ts_shim_obj_id(annot), page_id) != 0)
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
    HPDF_STATUS st = ts_shim_add_number(annot, "StructParent", (HPDF_INT32)key);
    if (t->tabs_page != page_id) {
        st |= ts_shim_add_name(page, "Tabs", "S");
        t->tabs_page = page_id;
    }
    return st == HPDF_OK ? 0 : -1;
}

static int cmp_id(const void *a, const void *b)
{
    char x[16], y[16];
    id_text(*(const uint32_t *)a, x);
    id_text(*(const uint32_t *)b, y);
    return strcmp(x, y);
}

/* The IDTree (ISO 32000-1, 14.7.2: required when an element has an /ID): a name tree of the
 * IDs in byte order, one leaf when it holds them all, else /Kids of leaves with /Limits. */
static int id_tree(ts_tag *t)
{
    size_t n = t->ids.len;
    if (n == 0)
        return 0;
    qsort(t->ids.items, n, sizeof(uint32_t), cmp_id);
    size_t n_leaves = (n + TS_TAG_LEAF_KEYS - 1) / TS_TAG_LEAF_KEYS;
    id_leaf *leaves = ts_arena_calloc(t->arena, n_leaves, sizeof *leaves);
    if (leaves == NULL)
        return -1;
    if (n_leaves == 1) {
        leaves[0] = (id_leaf){{write_id_leaf}, t, 0, n - 1, false};
        HPDF_Dict d = ts_shim_hooked(t->pool, &leaves[0].hook);
        return d != NULL && ts_shim_add(t->root, "IDTree", d) == HPDF_OK ? 0 : -1;
    }
    HPDF_Dict tree = ts_shim_dict_new(t->doc, true);
    HPDF_Array kids = tree != NULL ? ts_shim_array_new(t->doc) : NULL;
    if (kids == NULL || ts_shim_add(tree, "Kids", kids) != HPDF_OK)
        return -1;
    for (size_t i = 0; i < n_leaves; i++) {
        size_t first = i * TS_TAG_LEAF_KEYS;
        size_t last = first + TS_TAG_LEAF_KEYS - 1 < n ? first + TS_TAG_LEAF_KEYS - 1 : n - 1;
        leaves[i] = (id_leaf){{write_id_leaf}, t, first, last, true};
        HPDF_Dict d = ts_shim_hooked(t->pool, &leaves[i].hook);
        if (d == NULL || ts_shim_array_add(kids, d) != HPDF_OK)
            return -1;
    }
    return ts_shim_add(t->root, "IDTree", tree) == HPDF_OK ? 0 : -1;
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
    ts_buf_free(&t->mcids);

    size_t n = t->entries.len;
    size_t n_leaves = n == 0 ? 1 : (n + TS_TAG_LEAF_KEYS - 1) / TS_TAG_LEAF_KEYS;
    pt_leaf *leaves = ts_arena_calloc(t->arena, n_leaves, sizeof *leaves);
    if (leaves == NULL)
        return -1;
    HPDF_STATUS st = HPDF_OK;
    if (n_leaves == 1) {
        /* One leaf is the whole tree; a root has no /Limits.  With no key at all, its /Nums
         * is empty (first > last). */
        leaves[0] = (pt_leaf){{write_leaf}, t, 0, n == 0 ? 0 : n - 1, false};
        if (n == 0)
            leaves[0].first = 1;
        HPDF_Dict d = ts_shim_hooked(t->pool, &leaves[0].hook);
        if (d == NULL)
            return -1;
        st |= ts_shim_add(t->root, "ParentTree", d);
    } else {
        HPDF_Dict pt = ts_shim_dict_new(t->doc, true);
        if (pt == NULL)
            return -1;
        HPDF_Array kids = ts_shim_array_new(t->doc);
        if (kids == NULL || ts_shim_add(pt, "Kids", kids) != HPDF_OK)
            return -1;
        for (size_t i = 0; i < n_leaves && st == HPDF_OK; i++) {
            size_t first = i * TS_TAG_LEAF_KEYS;
            size_t last = first + TS_TAG_LEAF_KEYS - 1 < n ? first + TS_TAG_LEAF_KEYS - 1 : n - 1;
            leaves[i] = (pt_leaf){{write_leaf}, t, first, last, true};
            HPDF_Dict d = ts_shim_hooked(t->pool, &leaves[i].hook);
            if (d == NULL)
                return -1;
            st |= ts_shim_array_add(kids, d);
        }
        st |= ts_shim_add(t->root, "ParentTree", pt);
    }
    st |= ts_shim_add_number(t->root, "ParentTreeNextKey", (HPDF_INT32)n);
    if (st == HPDF_OK && id_tree(t) != 0)
        return -1;
    return st == HPDF_OK ? 0 : -1;
}
