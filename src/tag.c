/* The tagging layer over libharu's object layer: see tag.h.
 *
 * libharu rules this file lives by: an object goes into the xref (HPDF_Xref_Add) before it goes
 * into any dict or array, or it can never become indirect; an indirect object put into a dict or
 * array is written as "n 0 R", so the /P <-> /K cycles are fine; a direct array may still grow
 * after it was added (the per-page ParentTree arrays do). */
#include "tag.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>

/* An element whose /K is full and the Span (or Div) that takes its further kids. */
typedef struct kid_overflow {
    const struct ts_elem *full;
    struct ts_elem *more;
} kid_overflow;

typedef struct pt_leaf {
    HPDF_Dict dict;
    HPDF_Array nums;
    int first, last, count;
} pt_leaf;

struct ts_tag {
    HPDF_Doc doc;
    HPDF_MMgr mmgr;
    ts_arena *arena;
    bool enabled;

    HPDF_Dict root;
    HPDF_Array root_k;
    struct ts_elem *document;
    size_t n_elems;

    ts_vec leaves; /* of pt_leaf, in key order */
    int next_key;

    HPDF_Page page;
    HPDF_Array page_arr; /* ParentTree value of the current page: index == MCID */
    int next_mcid;
    ts_mc_state state;
    bool finished;
    ts_vec overflows; /* of kid_overflow */
};

static int hpdf_fail(HPDF_STATUS st)
{
    return st == HPDF_OK ? -1 : (int)st;
}

static int write_op(ts_tag *t, const char *s)
{
    HPDF_PageAttr attr = (HPDF_PageAttr)t->page->attr;
    return HPDF_Stream_WriteStr(attr->stream, s) == HPDF_OK ? 0 : -1;
}

/* Takes value: a direct object that cannot be entered is freed, as HPDF_Array_Add does. */
static int parent_tree_add(ts_tag *t, void *value)
{
    pt_leaf *leaf = t->leaves.len > 0 ? (pt_leaf *)t->leaves.items + t->leaves.len - 1 : NULL;
    if (leaf == NULL || leaf->count >= TS_TAG_LEAF_KEYS) {
        leaf = ts_vec_push(t->arena, &t->leaves, sizeof *leaf);
        bool made = leaf != NULL;
        if (made) {
            /* The leaf dict goes into the xref first, so that libharu frees it with the doc. */
            leaf->dict = HPDF_Dict_New(t->mmgr);
            made = leaf->dict != NULL && HPDF_Xref_Add(t->doc->xref, leaf->dict) == HPDF_OK;
            leaf->nums = made ? HPDF_Array_New(t->mmgr) : NULL;
            made = made && leaf->nums != NULL &&
                   HPDF_Dict_Add(leaf->dict, "Nums", leaf->nums) == HPDF_OK;
        }
        if (!made) {
            if (leaf != NULL)
                t->leaves.len--; /* no half-made leaf for the next key */
            HPDF_Obj_Free(t->mmgr, value);
            return -1;
        }
        leaf->first = t->next_key;
    }
    int key = t->next_key++;
    if (HPDF_Array_AddNumber(leaf->nums, key) != HPDF_OK) {
        HPDF_Obj_Free(t->mmgr, value);
        return -1;
    }
    if (HPDF_Array_Add(leaf->nums, value) != HPDF_OK)
        return -1;
    leaf->last = key;
    leaf->count++;
    return key;
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
    t->document = ts_arena_calloc(arena, 1, sizeof *t->document);
    if (t->document == NULL)
        return NULL;
    t->document->type = "Document";
    if (!enabled)
        return t;

    HPDF_STATUS st = HPDF_OK;
    t->root = HPDF_Dict_New(t->mmgr);
    if (t->root == NULL || HPDF_Xref_Add(doc->xref, t->root) != HPDF_OK)
        return NULL;
    st |= HPDF_Dict_AddName(t->root, "Type", "StructTreeRoot");
    t->root_k = HPDF_Array_New(t->mmgr);
    if (t->root_k == NULL)
        return NULL;
    st |= HPDF_Dict_Add(t->root, "K", t->root_k);
    st |= HPDF_Dict_Add(doc->catalog, "StructTreeRoot", t->root);

    HPDF_Dict mark = HPDF_Dict_New(t->mmgr);
    if (mark == NULL)
        return NULL;
    st |= HPDF_Dict_AddBoolean(mark, "Marked", HPDF_TRUE);
    st |= HPDF_Dict_Add(doc->catalog, "MarkInfo", mark);

    struct ts_elem *d = t->document;
    d->dict = HPDF_Dict_New(t->mmgr);
    if (d->dict == NULL || HPDF_Xref_Add(doc->xref, d->dict) != HPDF_OK)
        return NULL;
    st |= HPDF_Dict_AddName(d->dict, "Type", "StructElem");
    st |= HPDF_Dict_AddName(d->dict, "S", "Document");
    st |= HPDF_Dict_Add(d->dict, "P", t->root);
    d->kids = HPDF_Array_New(t->mmgr);
    if (d->kids == NULL)
        return NULL;
    st |= HPDF_Dict_Add(d->dict, "K", d->kids);
    st |= HPDF_Array_Add(t->root_k, d->dict);
    t->n_elems = 1;
    return st == HPDF_OK ? t : NULL;
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

static struct ts_elem *elem_new(ts_tag *t, struct ts_elem *parent, const char *type);

/* libharu holds at most HPDF_LIMIT_MAX_ARRAY items in an array, so an element with more kids (a
 * 1 MB paragraph continued over hundreds of slides has one MCID a line) hands the rest to a
 * child of type `more_type` made in its last slot, and that child to its own, and so on. */
static struct ts_elem *with_room(ts_tag *t, struct ts_elem *e, const char *more_type)
{
    while (e != NULL && e->kids != NULL && HPDF_Array_Items(e->kids) >= HPDF_LIMIT_MAX_ARRAY - 1) {
        kid_overflow *o = NULL;
        for (size_t i = 0; i < t->overflows.len && o == NULL; i++)
            if (((kid_overflow *)t->overflows.items)[i].full == e)
                o = (kid_overflow *)t->overflows.items + i;
        if (o == NULL) {
            struct ts_elem *more = elem_new(t, e, more_type);
            o = more ? ts_vec_push(t->arena, &t->overflows, sizeof *o) : NULL;
            if (o == NULL)
                return NULL;
            o->full = e;
            o->more = more;
        }
        e = o->more;
    }
    return e;
}

struct ts_elem *ts_tag_elem_new(ts_tag *t, struct ts_elem *parent, const char *type)
{
    if (t->enabled)
        parent = with_room(t, parent, "Div");
    return elem_new(t, parent, type);
}

static struct ts_elem *elem_new(ts_tag *t, struct ts_elem *parent, const char *type)
{
    if (parent == NULL || type == NULL || t->finished)
        return NULL;
    struct ts_elem *e = ts_arena_calloc(t->arena, 1, sizeof *e);
    if (e == NULL)
        return NULL;
    e->type = ts_arena_strdup(t->arena, type);
    e->parent = parent;
    if (e->type == NULL)
        return NULL;
    t->n_elems++;
    if (!t->enabled)
        return e;

    HPDF_STATUS st = HPDF_OK;
    e->dict = HPDF_Dict_New(t->mmgr);
    if (e->dict == NULL || HPDF_Xref_Add(t->doc->xref, e->dict) != HPDF_OK)
        return NULL;
    st |= HPDF_Dict_AddName(e->dict, "Type", "StructElem");
    st |= HPDF_Dict_AddName(e->dict, "S", type);
    st |= HPDF_Dict_Add(e->dict, "P", parent->dict);
    e->kids = HPDF_Array_New(t->mmgr);
    if (e->kids == NULL)
        return NULL;
    st |= HPDF_Dict_Add(e->dict, "K", e->kids);
    if (st != HPDF_OK)
        return NULL;
    /* The parent's /K is limited to 32,767 items by libharu: this fails cleanly past it. */
    if (HPDF_Array_Add(parent->kids, e->dict) != HPDF_OK)
        return NULL;
    return e;
}

/* ---- Text strings ---------------------------------------------------------------------- */

static size_t utf8_next(const unsigned char *s, size_t len, size_t i, uint32_t *cp)
{
    unsigned c = s[i];
    size_t n;
    uint32_t v;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xE0) == 0xC0) {
        n = 2;
        v = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3;
        v = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4;
        v = c & 0x07;
    } else {
        *cp = 0xFFFD;
        return 1;
    }
    if (i + n > len) {
        *cp = 0xFFFD;
        return 1;
    }
    for (size_t k = 1; k < n; k++) {
        if ((s[i + k] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        v = (v << 6) | (s[i + k] & 0x3F);
    }
    static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (v < min[n] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        v = 0xFFFD;
    *cp = v;
    return n;
}

void *ts_pdf_text_string(HPDF_MMgr mmgr, const char *utf8, size_t len)
{
    /* Printable ASCII is the same in PDFDocEncoding: a plain literal string, half the size and
     * readable by every tool. */
    bool ascii = len < 256;
    for (size_t i = 0; i < len && ascii; i++)
        ascii = utf8[i] >= 0x20 && utf8[i] < 0x7F;
    if (ascii) {
        char plain[256];
        memcpy(plain, utf8, len);
        plain[len] = '\0';
        return HPDF_String_New(mmgr, plain, NULL);
    }
    /* At most 4 bytes of UTF-16 per input byte, plus the byte order mark; libharu refuses a
     * string over HPDF_LIMIT_MAX_STRING_LEN bytes, so a longer one (the /Alt of a scale with
     * thousands of tasks, the /T of a 100,000-character name) is cut there and ends in "…":
     * the text itself is still drawn whole. */
    unsigned char stack[512];
    size_t cap =
        len > (HPDF_LIMIT_MAX_STRING_LEN - 2) / 4 ? HPDF_LIMIT_MAX_STRING_LEN : 2 + 4 * len;
    unsigned char *buf = cap <= sizeof stack ? stack : malloc(cap);
    if (buf == NULL)
        return NULL;
    size_t o = 0;
    buf[o++] = 0xFE;
    buf[o++] = 0xFF;
    const unsigned char *s = (const unsigned char *)utf8;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = utf8_next(s, len, i, &cp);
        /* Room for this character (4 bytes at most) and, unless it is the last, an ellipsis. */
        if (o + 4 + (i + n < len ? 2 : 0) > cap) {
            buf[o++] = 0x20;
            buf[o++] = 0x26;
            break;
        }
        i += n;
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
    HPDF_Binary b = HPDF_Binary_New(mmgr, buf, (HPDF_UINT)o);
    if (buf != stack)
        free(buf);
    return b;
}

static int set_text(ts_tag *t, struct ts_elem *e, const char *key, const char *utf8, size_t len)
{
    if (!t->enabled)
        return 0;
    if (e == NULL || e->dict == NULL || utf8 == NULL)
        return -1;
    void *b = ts_pdf_text_string(t->mmgr, utf8, len);
    if (b == NULL)
        return -1;
    return HPDF_Dict_Add(e->dict, key, b) == HPDF_OK ? 0 : -1;
}

int ts_tag_set_alt(ts_tag *t, struct ts_elem *e, const char *utf8, size_t len)
{
    return set_text(t, e, "Alt", utf8, len);
}

int ts_tag_set_actual_text(ts_tag *t, struct ts_elem *e, const char *utf8, size_t len)
{
    return set_text(t, e, "ActualText", utf8, len);
}

int ts_tag_set_title(ts_tag *t, struct ts_elem *e, const char *utf8, size_t len)
{
    return set_text(t, e, "T", utf8, len);
}

/* ---- Attributes ------------------------------------------------------------------------ */

static HPDF_Dict attr_object(ts_tag *t, struct ts_elem *e, const char *owner)
{
    HPDF_Dict *slot;
    if (strcmp(owner, "Layout") == 0)
        slot = &e->layout_attr;
    else if (strcmp(owner, "Table") == 0)
        slot = &e->table_attr;
    else if (strcmp(owner, "List") == 0)
        slot = &e->list_attr;
    else
        return NULL;
    if (*slot != NULL)
        return *slot;
    if (e->attrs == NULL) {
        e->attrs = HPDF_Array_New(t->mmgr);
        if (e->attrs == NULL || HPDF_Dict_Add(e->dict, "A", e->attrs) != HPDF_OK)
            return NULL;
    }
    HPDF_Dict d = HPDF_Dict_New(t->mmgr);
    if (d == NULL || HPDF_Array_Add(e->attrs, d) != HPDF_OK)
        return NULL;
    if (HPDF_Dict_AddName(d, "O", owner) != HPDF_OK)
        return NULL;
    *slot = d;
    return d;
}

int ts_tag_set_attr_name(ts_tag *t, struct ts_elem *e, const char *owner, const char *key,
                         const char *name)
{
    if (!t->enabled)
        return 0;
    if (e == NULL || e->dict == NULL)
        return -1;
    HPDF_Dict d = attr_object(t, e, owner);
    return d != NULL && HPDF_Dict_AddName(d, key, name) == HPDF_OK ? 0 : -1;
}

int ts_tag_set_attr_number(ts_tag *t, struct ts_elem *e, const char *owner, const char *key,
                           int value)
{
    if (!t->enabled)
        return 0;
    if (e == NULL || e->dict == NULL)
        return -1;
    HPDF_Dict d = attr_object(t, e, owner);
    return d != NULL && HPDF_Dict_AddNumber(d, key, value) == HPDF_OK ? 0 : -1;
}

int ts_tag_set_bbox(ts_tag *t, struct ts_elem *e, const double box[4])
{
    if (!t->enabled)
        return 0;
    if (e == NULL || e->dict == NULL)
        return -1;
    HPDF_Dict d = attr_object(t, e, "Layout");
    HPDF_Array a = d != NULL ? HPDF_Array_New(t->mmgr) : NULL;
    if (a == NULL || HPDF_Dict_Add(d, "BBox", a) != HPDF_OK)
        return -1;
    HPDF_STATUS st = HPDF_OK;
    for (int i = 0; i < 4; i++)
        st |= HPDF_Array_AddReal(a, (HPDF_REAL)box[i]);
    return st == HPDF_OK ? 0 : -1;
}

/* ---- Marked content -------------------------------------------------------------------- */

int ts_tag_begin_page(ts_tag *t, HPDF_Page page)
{
    if (t->state != TS_MC_NONE || t->finished)
        return -1;
    t->page = page;
    t->next_mcid = 0;
    t->page_arr = NULL;
    if (!t->enabled)
        return 0;
    HPDF_Array arr = HPDF_Array_New(t->mmgr);
    if (arr == NULL)
        return -1;
    int key = parent_tree_add(t, arr);
    if (key < 0)
        return -1; /* arr is freed; page_arr stays NULL and no content can be marked */
    t->page_arr = arr;
    return HPDF_Dict_AddNumber(page, "StructParents", key) == HPDF_OK ? 0 : -1;
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
    if (!t->enabled) {
        t->state = TS_MC_CONTENT;
        return 0;
    }
    e = t->page_arr != NULL ? with_room(t, e, "Span") : NULL;
    if (e == NULL)
        return -1;
    t->state = TS_MC_CONTENT;
    int mcid = t->next_mcid++;
    char op[96];
    /* The tag is the element's type; the MCID is what links the content to the element. */
    snprintf(op, sizeof op, "/%s <</MCID %d>> BDC\n", e->type, mcid);
    if (write_op(t, op) != 0)
        return -1;
    HPDF_STATUS st = HPDF_OK;
    if (e->pg == NULL) {
        e->pg = t->page;
        st |= HPDF_Dict_Add(e->dict, "Pg", t->page);
    }
    if (e->pg == t->page) {
        st |= HPDF_Array_AddNumber(e->kids, mcid);
    } else {
        /* Content of an element whose /Pg is another page: a paragraph continued on the next
         * slide stays one element. */
        HPDF_Dict mcr = HPDF_Dict_New(t->mmgr);
        if (mcr == NULL || HPDF_Array_Add(e->kids, mcr) != HPDF_OK)
            return -1;
        st |= HPDF_Dict_AddName(mcr, "Type", "MCR");
        st |= HPDF_Dict_Add(mcr, "Pg", t->page);
        st |= HPDF_Dict_AddNumber(mcr, "MCID", mcid);
    }
    st |= HPDF_Array_Add(t->page_arr, e->dict);
    return st == HPDF_OK ? 0 : -1;
}

int ts_tag_artifact_begin(ts_tag *t, const char *type, const char *subtype)
{
    if (!can_mark(t))
        return -1;
    t->state = TS_MC_ARTIFACT;
    if (!t->enabled)
        return 0;
    char op[128];
    if (subtype != NULL)
        snprintf(op, sizeof op, "/Artifact <</Type /%s /Subtype /%s>> BDC\n", type, subtype);
    else
        snprintf(op, sizeof op, "/Artifact <</Type /%s>> BDC\n", type);
    return write_op(t, op);
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
    e = with_room(t, e, "Link");
    if (e == NULL || e->dict == NULL)
        return -1;
    HPDF_STATUS st = HPDF_OK;
    HPDF_Dict objr = HPDF_Dict_New(t->mmgr);
    if (objr == NULL || HPDF_Array_Add(e->kids, objr) != HPDF_OK)
        return -1;
    st |= HPDF_Dict_AddName(objr, "Type", "OBJR");
    st |= HPDF_Dict_Add(objr, "Obj", annot);
    st |= HPDF_Dict_Add(objr, "Pg", page);
    if (e->pg == NULL) {
        e->pg = page;
        st |= HPDF_Dict_Add(e->dict, "Pg", page);
    }
    int key = parent_tree_add(t, e->dict);
    if (key < 0)
        return -1;
    st |= HPDF_Dict_AddNumber(annot, "StructParent", key);
    st |= HPDF_Dict_AddName(page, "Tabs", "S");
    return st == HPDF_OK ? 0 : -1;
}

int ts_tag_finish(ts_tag *t)
{
    if (t->state != TS_MC_NONE || t->finished)
        return -1;
    t->finished = true;
    if (!t->enabled)
        return 0;
    HPDF_STATUS st = HPDF_OK;
    pt_leaf *leaves = t->leaves.items;
    if (t->leaves.len == 0) {
        HPDF_Dict pt = HPDF_Dict_New(t->mmgr);
        if (pt == NULL || HPDF_Xref_Add(t->doc->xref, pt) != HPDF_OK)
            return -1;
        HPDF_Array nums = HPDF_Array_New(t->mmgr);
        if (nums == NULL)
            return -1;
        st |= HPDF_Dict_Add(pt, "Nums", nums);
        st |= HPDF_Dict_Add(t->root, "ParentTree", pt);
    } else if (t->leaves.len == 1) {
        /* One leaf is the whole tree; a root has no /Limits. */
        st |= HPDF_Dict_Add(t->root, "ParentTree", leaves[0].dict);
    } else {
        HPDF_Dict pt = HPDF_Dict_New(t->mmgr);
        if (pt == NULL || HPDF_Xref_Add(t->doc->xref, pt) != HPDF_OK)
            return -1;
        HPDF_Array kids = HPDF_Array_New(t->mmgr);
        if (kids == NULL)
            return -1;
        st |= HPDF_Dict_Add(pt, "Kids", kids);
        for (size_t i = 0; i < t->leaves.len && st == HPDF_OK; i++) {
            HPDF_Array lim = HPDF_Array_New(t->mmgr);
            if (lim == NULL)
                return -1;
            st |= HPDF_Dict_Add(leaves[i].dict, "Limits", lim);
            st |= HPDF_Array_AddNumber(lim, leaves[i].first);
            st |= HPDF_Array_AddNumber(lim, leaves[i].last);
            st |= HPDF_Array_Add(kids, leaves[i].dict);
        }
        st |= HPDF_Dict_Add(t->root, "ParentTree", pt);
    }
    st |= HPDF_Dict_AddNumber(t->root, "ParentTreeNextKey", t->next_key);
    return st == HPDF_OK ? 0 : hpdf_fail(st);
}
