/* The tagging layer: the PDF bookkeeping of a tagged PDF (PDF/UA-1) over libharu's object
 * layer, without any knowledge of slides.  It owns the structure tree (StructTreeRoot, the
 * Document element, StructElems with /S /P /Pg /K /A /Alt /ActualText /T), the marked content
 * of every page (BDC with an MCID or an Artifact, EMC), the ParentTree (a number tree split into
 * leaves of at most TS_TAG_LEAF_KEYS keys, so that a 3,000-page pack stays within libharu's
 * array limit), the IDTree of the elements that have an /ID (a name tree split the same way),
 * /StructParents on pages and /StructParent on annotations (tagged as OBJR).
 *
 * With `enabled` false (the untagged benchmark build) the same calls keep only the state that
 * the painting guard needs and write nothing: no tree, no BDC/EMC. */
#ifndef TS_TAG_H
#define TS_TAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hpdf.h>

#include "core/arena.h"
#include "pdf/shim.h"

#define TS_TAG_LEAF_KEYS 1000

typedef struct ts_tag ts_tag;

struct ts_kid;
struct ts_attr;
struct ts_elem_text;

/* A structure element (draw.h's ts_elem).  Fields are the tagging layer's; draw.c reads
 * `type`.
 *
 * The element is kept here, compactly, and written by the tagging layer itself when the file
 * is saved: libharu holds only an empty dictionary per element (a hooked object of shim.h, whose
 * hook writes the entries from this struct).  A libharu dictionary with its entries, names
 * and arrays costs about 1.6 KB per element; this costs about 200 bytes. */
struct ts_elem {
    ts_shim_hook hook;   /* writes the element; first, so that the hook finds the element */
    const char *type;    /* the standard structure type, e.g. "P" */
    uint32_t id;         /* its object number, 0 when untagged */
    uint32_t parent_id;  /* the object number of /P */
    uint32_t pg;         /* the object number of the page in /Pg, 0 until its first content */
    bool has_id;         /* it has an /ID (made from its object number), in the IDTree */
    struct ts_kid *kids; /* its /K, in order */
    struct ts_kid *kids_tail;
    struct ts_attr *attrs;     /* its /A entries, in the order they were first set */
    struct ts_elem_text *text; /* /Alt, /ActualText, /T; NULL when it has none */
};

typedef enum ts_mc_state {
    TS_MC_NONE,     /* outside marked content: painting here is a fault */
    TS_MC_CONTENT,  /* inside BDC with an MCID */
    TS_MC_ARTIFACT, /* inside an Artifact */
} ts_mc_state;

/* Makes the StructTreeRoot and the Document element (when enabled).  doc must have its UTF-8
 * encoder registered.  The ts_tag lives in arena. */
ts_tag *ts_tag_new(HPDF_Doc doc, ts_arena *arena, bool enabled);
/* Frees what the tagging layer keeps outside the arena.  Call after HPDF_Free(doc): libharu's
 * dictionaries of the elements live in it. */
void ts_tag_free(ts_tag *t);
/* True when ts_tag_new could not finish the tree (out of memory); free it after the document. */
bool ts_tag_broken(const ts_tag *t);
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
/* Gives e an /ID, unique in the document (made from its object number), and enters it in the
 * IDTree; the same ID when it has one. */
int ts_tag_set_id(ts_tag *t, struct ts_elem *e);
/* An attribute whose value is the array of the /IDs of elems (each given one when it has none):
 * a table cell's /Headers. */
int ts_tag_set_attr_ids(ts_tag *t, struct ts_elem *e, const char *owner, const char *key,
                        struct ts_elem *const *elems, size_t n);
/* /BBox [x1 y1 x2 y2] in the Layout attributes (a Figure's box). */
int ts_tag_set_bbox(ts_tag *t, struct ts_elem *e, const double box[4]);
/* Grows e's /BBox to hold box, painted on page; a box on another page than the last one's
 * starts it anew (a Figure's /BBox is on its /Pg). */
int ts_tag_grow_bbox(ts_tag *t, struct ts_elem *e, HPDF_Page page, const double box[4]);

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

/* Writes what is known only at the end: the ParentTree's leaves' /Limits and its root,
 * /ParentTreeNextKey, and the IDTree.  Call once, just before saving. */
int ts_tag_finish(ts_tag *t);

/* Counts, for the report and the tests. */
size_t ts_tag_elem_count(const ts_tag *t);

/* A UTF-8 string as a PDF text string object: printable ASCII as a literal string, anything
 * else as FEFF + UTF-16BE (surrogate pairs beyond the BMP; invalid UTF-8 becomes U+FFFD).
 * An object for ts_shim_add; NULL when out of memory. */
void *ts_pdf_text_string(HPDF_Doc doc, const char *utf8, size_t len);

#endif
