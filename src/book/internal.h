/* What the reader's files share: the reading context with its messages and limits, the zip,
 * the XML parts, the string builder, the sheet builder, number formats and a string map.
 * Nothing here is seen outside src/book/. */
#ifndef TS_BOOK_INTERNAL_H
#define TS_BOOK_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "book/read.h"

/* At most this many errors are said about one workbook: a hostile file can hold a million bad
 * cells, and the first hundred tell what is wrong. */
#define WBR_MAX_ERRORS 100

typedef struct wbr_zip wbr_zip;

typedef struct wbr_ctx {
    ts_arena *a;       /* the result */
    ts_arena *scratch; /* freed when the read ends */
    ts_diags *diags;
    const char *file;
    ts_wbr_limits lim;
    wbr_zip *zip;
    size_t unpacked; /* bytes inflated so far, and text made by repetition */
    size_t cells;    /* cells and merged ranges kept so far */
    size_t errors;
    bool stop;           /* nothing more is read: a limit, memory, or too many errors */
    bool system_failure; /* the fault is not the workbook's: I/O or memory */
    bool oom_said;
    bool cells_said;                /* the cell limit has been said */
    uint32_t *tree_any, *tree_lazy; /* sheet.c's sweep over the columns, for every sheet */
    uint64_t hash_key[2];           /* the tables' hash key, new for each read */
} wbr_ctx;

/* ---- Messages (read.c) ------------------------------------------------------------------- */

/* "FILE: error: ..." */
void wbr_error(wbr_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "FILE:PART:LINE:COL: error: ..." (line 0: no position) */
void wbr_part_error(wbr_ctx *c, const char *part, uint32_t line, uint32_t col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* "FILE:SHEET!CELL: error: ..." */
void wbr_cell_error(wbr_ctx *c, const char *sheet, uint32_t row, uint32_t col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* The same with the reference as written (for one beyond the sheet). */
void wbr_ref_error(wbr_ctx *c, const char *sheet, const char *ref, size_t ref_len, const char *fmt,
                   ...) __attribute__((format(printf, 5, 6)));
void wbr_warning(wbr_ctx *c, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Memory ran out: said once (memory's fault), and the read stops. */
void wbr_oom(wbr_ctx *c);
/* The file could not be read (errno err) at the workbook, or at its part when part is not NULL:
 * said as the system's fault, and the read fails as the system's. */
void wbr_read_failed(wbr_ctx *c, const char *part, int err);
/* The unpacked budget: false (said once, and the read stops) when n more bytes would pass it. */
bool wbr_spend(wbr_ctx *c, size_t n, const char *part);
/* Whether one more sheet may come after `have` of them: false (said once, the read stops)
 * past the limit. */
bool wbr_take_sheet(wbr_ctx *c, size_t have, const char *part);
/* The cell budget: false (said once, the read stops) when n more cells would pass it. */
bool wbr_take_cells(wbr_ctx *c, size_t n, const char *sheet);

/* ---- The zip (zipread.c) ----------------------------------------------------------------- */

typedef struct wbr_source {
    const unsigned char *data; /* the bytes, or NULL to read fd */
    size_t len;
    int fd;
} wbr_source;

/* Opens the zip and indexes its entries.  False with the reason said. */
bool wbr_zip_open(wbr_ctx *c, const wbr_source *src);
void wbr_zip_close(wbr_ctx *c);
/* Whether the zip has an entry of that name (ASCII letters matched without regard to case, as
 * OPC part names are). */
bool wbr_zip_has(wbr_ctx *c, const char *name);

/* Receives a part's bytes in order, as they are inflated; returns false to stop. */
typedef bool (*wbr_sink)(void *user, const char *data, size_t len);

/* Inflates the part `name` into sink, counting its bytes against the budget.  Returns 1 when
 * read whole, 0 when it does not exist, -1 on a failure (said, unless the sink stopped). */
int wbr_zip_read(wbr_ctx *c, const char *name, wbr_sink sink, void *user);

/* ---- XML parts (xmlpart.c) --------------------------------------------------------------- */

/* The namespaces the readers tell apart. */
typedef enum wbr_ns {
    WBR_NS_NONE, /* no namespace (XLSX's attributes) */
    WBR_NS_OTHER,
    WBR_NS_SML,      /* SpreadsheetML main, transitional or strict */
    WBR_NS_REL,      /* officeDocument relationships (r:id), transitional or strict */
    WBR_NS_PKG_REL,  /* package relationships (.rels) */
    WBR_NS_OFFICE,   /* ODF office: */
    WBR_NS_TABLE,    /* table: */
    WBR_NS_TEXT,     /* text: */
    WBR_NS_STYLE,    /* style: */
    WBR_NS_FO,       /* fo: */
    WBR_NS_NUMBER,   /* number: */
    WBR_NS_CALCEXT,  /* LibreOffice's calcext: (an error's value type) */
    WBR_NS_MANIFEST, /* unused but told apart so that nothing is taken for another */
} wbr_ns;

typedef struct wbr_xml wbr_xml;

/* An element's attributes as libxml2 gives them: five pointers each (local name, prefix, URI,
 * value, value end); values are not NUL-terminated. */
typedef struct wbr_attrs {
    const unsigned char **a;
    int n;
    wbr_xml *x;
} wbr_attrs;

typedef struct wbr_handler {
    void (*start)(void *user, wbr_xml *x, wbr_ns ns, const char *name, const wbr_attrs *at);
    void (*end)(void *user, wbr_xml *x, wbr_ns ns, const char *name);
    void (*text)(void *user, wbr_xml *x, const char *s, size_t len);
} wbr_handler;

/* Parses the part through h.  Returns 1 when parsed whole, 0 when the part does not exist, -1
 * when it was refused (said) or the handler stopped. */
int wbr_xml_parse(wbr_ctx *c, const char *part, const wbr_handler *h, void *user);
/* Stops the parse: the handler has said why (or the context is stopped). */
void wbr_xml_stop(wbr_xml *x);
/* The current position in the part, for a message. */
void wbr_xml_pos(wbr_xml *x, uint32_t *line, uint32_t *col);
const char *wbr_xml_part(wbr_xml *x);

/* The value of the attribute ns:name, or NULL; *len its length. */
const char *wbr_attr(const wbr_attrs *at, wbr_ns ns, const char *name, size_t *len);
/* The same as a NUL-terminated copy in buf (truncated to cap - 1 bytes; *truncated says so). */
const char *wbr_attr_buf(const wbr_attrs *at, wbr_ns ns, const char *name, char *buf, size_t cap,
                         bool *truncated);
/* The same copied into the arena; NULL when absent or when memory runs out (*oom set). */
const char *wbr_attr_dup(const wbr_attrs *at, wbr_ns ns, const char *name, ts_arena *a, bool *oom);

/* ---- Strings with runs (runs.c) ---------------------------------------------------------- */

/* A formatting that may be left to the paragraph or the cell. */
typedef enum wbr_tri {
    WBR_INHERIT = 0,
    WBR_OFF = 1,
    WBR_ON = 2,
} wbr_tri;

/* A string being read: its text and where its formatting changes. */
typedef struct wbr_span {
    size_t start, len;
    uint8_t bold, italic; /* wbr_tri */
} wbr_span;

typedef struct wbr_text {
    ts_arena *scratch;
    char *buf;
    size_t len, cap;
    wbr_span *spans;
    size_t n_spans, cap_spans;
} wbr_text;

void wbr_text_reset(wbr_text *t);
/* False when memory runs out. */
bool wbr_text_add(wbr_text *t, const char *s, size_t len, wbr_tri bold, wbr_tri italic);

/* The runs of t as a cell whose style is bold / italic shows them (ts_wbr_run's rules), in a.
 * False when memory runs out. */
bool wbr_text_finish(const wbr_text *t, bool bold, bool italic, ts_arena *a,
                     const ts_wbr_run **runs, uint32_t *count);

/* A string kept to be shown by cells of different styles (XLSX's shared strings): the text in
 * `a`, the spans in scratch. */
typedef struct wbr_shared {
    const char *text;
    const wbr_span *spans; /* NULL when there is one span: then bold and italic say it */
    uint32_t len;
    uint32_t n_spans : 26;
    uint32_t bold : 2, italic : 2; /* wbr_tri, of the one span */
    bool inherits : 1;             /* some span leaves bold or italic to the cell */
} wbr_shared;

bool wbr_shared_make(const wbr_text *t, ts_arena *a, ts_arena *scratch, wbr_shared *out);
/* Its runs in a cell of that style, in a; false when memory runs out. */
bool wbr_shared_runs(const wbr_shared *s, bool bold, bool italic, ts_arena *a,
                     const ts_wbr_run **runs, uint32_t *count);

/* Appends the text of XLSX's <t> to t: _xHHHH_ escapes decoded, CR LF and CR made LF. */
bool wbr_text_add_xstring(wbr_text *t, const char *s, size_t len, wbr_tri bold, wbr_tri italic);

/* ---- Sheets (sheet.c) -------------------------------------------------------------------- */

typedef struct wbr_sheet {
    const char *name;
    bool hidden;
    ts_vec cells;  /* ts_wbr_cell, in a */
    ts_vec merges; /* ts_wbr_merge, in a */
    bool unsorted; /* cells did not arrive in order (XLSX allows it) */
    uint32_t last_row, last_col;
} wbr_sheet;

/* A new cell at row, col (within the sheet's limits), or NULL when a budget or memory ran out
 * (said). */
ts_wbr_cell *wbr_sheet_cell(wbr_ctx *c, wbr_sheet *s, uint32_t row, uint32_t col);
/* A merged range (within the sheet's limits, more than one cell); false as above. */
bool wbr_sheet_merge(wbr_ctx *c, wbr_sheet *s, uint32_t r1, uint32_t c1, uint32_t r2, uint32_t c2);
/* Sorts, refuses two cells at one place and overlapping ranges (said), marks the cells in
 * merged ranges, and fills out.  False when something was refused or memory ran out. */
bool wbr_sheet_finish(wbr_ctx *c, wbr_sheet *s, ts_wbr_sheet *out);

/* ---- Number formats (numfmt.c) ----------------------------------------------------------- */

/* The format of an XLSX code, in a; NULL when memory runs out.  "General" gives a format of
 * kind GENERAL (callers use NULL for it). */
const ts_wbr_numfmt *wbr_numfmt_parse(const char *code, ts_arena *a);
/* The code of built-in format id (0-49, and the East Asian date ids), or NULL. */
const char *wbr_numfmt_builtin(unsigned id);

/* Builds a format from ODF's data style elements, in order. */
typedef struct wbr_fmt_builder {
    ts_arena *a;
    ts_wbr_numkind kind;
    char code[256];
    size_t code_len;
    bool truncated;
    bool seen_number; /* text after the digits is the suffix */
    int decimals;
    bool grouping;
    char prefix[128], suffix[128];
    size_t prefix_len, suffix_len;
    char currency[32];
    bool has_date, has_time;
} wbr_fmt_builder;

void wbr_fmt_begin(wbr_fmt_builder *b, ts_arena *a, ts_wbr_numkind kind);
void wbr_fmt_number(wbr_fmt_builder *b, int decimals, bool grouping, int min_int, bool scientific,
                    bool fraction);
void wbr_fmt_text(wbr_fmt_builder *b, const char *s, size_t len);
void wbr_fmt_currency(wbr_fmt_builder *b, const char *s, size_t len);
/* A date (or else a time) part, as code: "yyyy", "mm", "hh" */
void wbr_fmt_code(wbr_fmt_builder *b, const char *s, bool date_part);
void wbr_fmt_percent_sign(wbr_fmt_builder *b);
/* General's digits: the number as it comes ("General" in the code). */
void wbr_fmt_general(wbr_fmt_builder *b);
/* NULL when memory runs out. */
ts_wbr_numfmt *wbr_fmt_end(wbr_fmt_builder *b);

/* ---- Small things (util.c) --------------------------------------------------------------- */

/* A growable byte buffer in an arena (for scratch: reset and reused, it grows to the largest
 * text once). */
typedef struct wbr_buf {
    char *p;
    size_t len, cap;
} wbr_buf;

/* False when memory runs out. */
bool wbr_buf_add(ts_arena *a, wbr_buf *b, const char *s, size_t n);

/* A string map in an arena: keys are copied, values are pointers. */
typedef struct wbr_map {
    ts_arena *a;
    const uint64_t *key; /* the read's hash key */
    struct wbr_map_slot *slots;
    size_t cap, len;
} wbr_map;

void wbr_map_init(wbr_map *m, ts_arena *a, const uint64_t *key);
void *wbr_map_get(const wbr_map *m, const char *key, size_t len);
/* Sets key to value (replacing); false when memory runs out. */
bool wbr_map_put(wbr_map *m, const char *key, size_t len, void *value);

/* A keyed hash (the read's key, wbr_ctx.hash_key). */
uint64_t wbr_hash(const uint64_t key[2], const char *s, size_t len, bool fold_case);

/* Whether a sheet of that name was seen before (then said as an error); names are compared
 * with ASCII letters folded when fold_case (XLSX: Excel's own rule), exactly otherwise.
 * False also when memory runs out (said). */
bool wbr_sheet_name_taken(wbr_ctx *c, wbr_map *seen, const char *name, bool fold_case);

/* An xsd:double as Excel and ODF write it ("12", "-1.5E-3"); false for anything else. */
bool wbr_parse_number(const char *s, size_t len, double *out);
/* A whole decimal number of at most max; false for anything else. */
bool wbr_parse_uint(const char *s, size_t len, uint64_t max, uint64_t *out);
/* An ISO 8601 date or date-time ("2020-10-12", "2020-10-12T13:30:00.5") as days since
 * 1899-12-30 (Excel's and LibreOffice's day 0), the time as a fraction. */
bool wbr_parse_datetime(const char *s, size_t len, double *days);
/* An xsd:duration of hours, minutes and seconds ("PT12H30M00S", "-PT1H") as a fraction of a
 * day; days ("P1DT2H") too. */
bool wbr_parse_duration(const char *s, size_t len, double *days);
/* ASCII case-insensitive equality of a counted string with a C string. */
bool wbr_eq(const char *s, size_t len, const char *lit);
bool wbr_ieq(const char *s, size_t len, const char *lit);

/* ---- The formats (read_xlsx.c, read_ods.c) ----------------------------------------------- */

/* Read the whole workbook into book (sheets in c->a).  False when refused (said). */
bool wbr_read_xlsx(wbr_ctx *c, ts_wbr_book *book);
bool wbr_read_ods(wbr_ctx *c, ts_wbr_book *book);

#endif
