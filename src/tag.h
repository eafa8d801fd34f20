/* The tagging layer: the PDF bookkeeping of a tagged PDF (PDF/UA-1) over libharu's object
 * layer, without any knowledge of slides.  It owns the structure tree (StructTreeRoot, the
 * Document element, StructElems with /S /P /Pg /K /A /Alt /ActualText /T), the marked content
 * of every page (BDC with an MCID or an Artifact, EMC), the ParentTree (a number tree split into
 * leaves of at most TS_TAG_LEAF_KEYS keys, so that a 3,000-page pack stays within libharu's
 * array limit), /StructParents on pages and /StructParent on annotations (tagged as OBJR).
 *
 * With `enabled` false (the untagged benchmark build) the same calls keep only the state that
 * the painting guard needs and write nothing: no tree, no BDC/EMC. */
#ifndef TS_TAG_H
#define TS_TAG_H

#include <stdbool.h>
#include <stddef.h>

#include <hpdf.h>

#include "arena.h"

#define TS_TAG_LEAF_KEYS 1000

typedef struct ts_tag ts_tag;

/* A structure element (draw.h's ts_elem).  Fields are the tagging layer's; draw.c reads
 * `type` and accumulates the bounding box of what it paints into a Figure. */
struct ts_elem {
    const char *type; /* the standard structure type, e.g. "P" */
    struct ts_elem *parent;
    HPDF_Dict dict;        /* NULL when untagged */
    HPDF_Array kids;       /* its /K */
    HPDF_Page pg;          /* the page named in /Pg, NULL until its first content */
    HPDF_Array attrs;      /* its /A, NULL until the first attribute */
    HPDF_Dict layout_attr; /* the /O /Layout attribute object, when set */
    HPDF_Dict table_attr;  /* the /O /Table one */
    HPDF_Dict list_attr;   /* the /O /List one */
    bool has_bbox;         /* bbox in PDF user space of page bbox_page */
    double bbox[4];
    HPDF_Page bbox_page;
};

typedef enum ts_mc_state {
    TS_MC_NONE,     /* outside marked content: painting here is a fault */
    TS_MC_CONTENT,  /* inside BDC with an MCID */
    TS_MC_ARTIFACT, /* inside an Artifact */
} ts_mc_state;

/* Makes the StructTreeRoot and the Document element (when enabled).  doc must have its UTF-8
 * encoder registered.  The ts_tag lives in arena. */
ts_tag *ts_tag_new(HPDF_Doc doc, ts_arena *arena, bool enabled);
bool ts_tag_enabled(const ts_tag *t);

/* The Document element. */
struct ts_elem *ts_tag_document(ts_tag *t);

/* A new element of type under parent (appended to parent's /K: creation order is reading
 * order).  NULL when out of memory or libharu refuses. */
struct ts_elem *ts_tag_elem_new(ts_tag *t, struct ts_elem *parent, const char *type);

/* Text attributes, written as UTF-16BE text strings (with surrogate pairs beyond the BMP). */
int ts_tag_set_alt(ts_tag *t, struct ts_elem *e, const char *utf8, size_t len);
int ts_tag_set_actual_text(ts_tag *t, struct ts_elem *e, const char *utf8, size_t len);
int ts_tag_set_title(ts_tag *t, struct ts_elem *e, const char *utf8, size_t len);
/* Attribute objects: /A << /O owner key value >>; value is a name. */
int ts_tag_set_attr_name(ts_tag *t, struct ts_elem *e, const char *owner, const char *key,
                         const char *name);
int ts_tag_set_attr_number(ts_tag *t, struct ts_elem *e, const char *owner, const char *key,
                           int value);
/* /BBox [x1 y1 x2 y2] in the Layout attributes (a Figure's box). */
int ts_tag_set_bbox(ts_tag *t, struct ts_elem *e, const double box[4]);

/* Starts marking a new page: /StructParents and its ParentTree entry.  Every BDC/EMC after
 * this goes to this page's content stream.  Fails while marked content is open. */
int ts_tag_begin_page(ts_tag *t, HPDF_Page page);

/* Marked content on the current page.  mc_begin writes "/<type> <</MCID n>> BDC", adds n to
 * e's /K (or an MCR when e's /Pg is another page) and enters e at ParentTree[page][n].
 * artifact_begin writes "/Artifact <</Type type [/Subtype subtype]>> BDC".  Both refuse to
 * start inside a path object or inside open marked content (no nesting); mc_end writes EMC. */
int ts_tag_mc_begin(ts_tag *t, struct ts_elem *e);
int ts_tag_artifact_begin(ts_tag *t, const char *type, const char *subtype);
int ts_tag_mc_end(ts_tag *t);
ts_mc_state ts_tag_mc_state(const ts_tag *t);

/* An annotation that belongs to element e (a Link): an OBJR in e's /K, /StructParent on the
 * annotation with its ParentTree entry, and /Tabs /S on its page. */
int ts_tag_annot(ts_tag *t, struct ts_elem *e, HPDF_Page page, HPDF_Annotation annot);

/* Writes what is known only at the end: the ParentTree's leaves' /Limits and its root, and
 * /ParentTreeNextKey.  Call once, just before saving. */
int ts_tag_finish(ts_tag *t);

/* Counts, for the report and the tests. */
size_t ts_tag_elem_count(const ts_tag *t);

/* A UTF-8 string as a PDF text string object: printable ASCII as a literal string, anything
 * else as FEFF + UTF-16BE (surrogate pairs beyond the BMP; invalid UTF-8 becomes U+FFFD).
 * An HPDF_String or HPDF_Binary, for HPDF_Dict_Add; NULL when out of memory. */
void *ts_pdf_text_string(HPDF_MMgr mmgr, const char *utf8, size_t len);

#endif
