/* The ODS workbook: OpenDocument spreadsheet XML written with libxml2's xmlTextWriter into
 * memory, packed with minizip (mimetype first and stored, fixed times, no extra fields) so that
 * the same round gives the same bytes.  Content comes from the shared table (table.h). */
#define _POSIX_C_SOURCE 200809L /* gmtime_r */
#include "writer/writer.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <libxml/xmlwriter.h>
#include <zip.h>

#include "book/ods_xml.h"
#include "book/table.h"
#include "core/locale.h"

#define MIMETYPE "application/vnd.oasis.opendocument.spreadsheet"

#define CHECK(call)                                                                                \
    do {                                                                                           \
        if ((call) < 0)                                                                            \
            return false;                                                                          \
    } while (0)

#define BC (const xmlChar *)

static int start(xmlTextWriterPtr w, const char *name)
{
    return xmlTextWriterStartElement(w, BC name);
}

static int end(xmlTextWriterPtr w)
{
    return xmlTextWriterEndElement(w);
}

static int attr(xmlTextWriterPtr w, const char *name, const char *value)
{
    return xmlTextWriterWriteAttribute(w, BC name, BC value);
}

static int element(xmlTextWriterPtr w, const char *name, const char *text)
{
    return xmlTextWriterWriteElement(w, BC name, BC text);
}

/* ---- Element writers (ods_xml.h) ------------------------------------------------------- */

void ts_ods_colour(ts_rgb c, char out[8])
{
    unsigned r = (unsigned)lround(fmin(fmax(c.r, 0), 1) * 255);
    unsigned g = (unsigned)lround(fmin(fmax(c.g, 0), 1) * 255);
    unsigned b = (unsigned)lround(fmin(fmax(c.b, 0), 1) * 255);
    snprintf(out, 8, "#%02x%02x%02x", r & 0xFF, g & 0xFF, b & 0xFF);
}

bool ts_ods_write_number_style(xmlTextWriterPtr w, const char *name, int decimals, const char *unit)
{
    bool percent = unit != NULL && strcmp(unit, "%") == 0;
    char dec[8];
    snprintf(dec, sizeof dec, "%d", decimals);
    CHECK(start(w, percent ? "number:percentage-style" : "number:number-style"));
    CHECK(attr(w, "style:name", name));
    CHECK(start(w, "number:number"));
    CHECK(attr(w, "number:decimal-places", dec));
    CHECK(attr(w, "number:min-decimal-places", dec));
    CHECK(attr(w, "number:min-integer-digits", "1"));
    CHECK(attr(w, "number:grouping", "true"));
    CHECK(end(w));
    if (unit != NULL) {
        /* A space before the unit, as Finnish and Swedish print "70 %" and "20 kpl". */
        CHECK(start(w, "number:text"));
        CHECK(xmlTextWriterWriteString(w, BC " "));
        CHECK(xmlTextWriterWriteString(w, BC unit));
        CHECK(end(w));
    }
    CHECK(end(w));
    return true;
}

bool ts_ods_write_cell_style(xmlTextWriterPtr w, const char *name, const ts_ods_cell_style *s,
                             const ts_layout *l)
{
    ts_rgb fill, text;
    bool coloured = ts_cell_colours(l, s->head, s->fill, s->fill_index, s->tint, &fill, &text);
    char fill_hex[8], text_hex[8];
    CHECK(start(w, "style:style"));
    CHECK(attr(w, "style:name", name));
    CHECK(attr(w, "style:family", "table-cell"));
    CHECK(attr(w, "style:parent-style-name", "Default"));
    if (s->number_style > 0) {
        char nname[16];
        snprintf(nname, sizeof nname, "N%d", s->number_style);
        CHECK(attr(w, "style:data-style-name", nname));
    }
    if (s->text)
        CHECK(attr(w, "style:data-style-name", "Ntext"));
    CHECK(start(w, "style:table-cell-properties"));
    if (coloured) {
        ts_ods_colour(fill, fill_hex);
        CHECK(attr(w, "fo:background-color", fill_hex));
    }
    static const char *const border = "0.06pt solid #808080";
    if (s->continues || s->continued) {
        /* The pieces of a split text read as one cell: no line between them. */
        CHECK(attr(w, "fo:border-left", border));
        CHECK(attr(w, "fo:border-right", border));
        CHECK(attr(w, "fo:border-top", s->continued ? "none" : border));
        CHECK(attr(w, "fo:border-bottom", s->continues ? "none" : border));
    } else {
        CHECK(attr(w, "fo:border", border));
    }
    CHECK(attr(w, "fo:wrap-option", "wrap"));
    CHECK(attr(w, "style:vertical-align", "top"));
    CHECK(end(w));
    bool bold = s->head || (s->style & TS_RUN_BOLD), italic = s->style & TS_RUN_ITALIC;
    if (coloured || bold || italic) {
        CHECK(start(w, "style:text-properties"));
        if (coloured) {
            ts_ods_colour(text, text_hex);
            CHECK(attr(w, "fo:color", text_hex));
        }
        if (bold) {
            CHECK(attr(w, "fo:font-weight", "bold"));
            CHECK(attr(w, "style:font-weight-asian", "bold"));
            CHECK(attr(w, "style:font-weight-complex", "bold"));
        }
        if (italic) {
            CHECK(attr(w, "fo:font-style", "italic"));
            CHECK(attr(w, "style:font-style-asian", "italic"));
            CHECK(attr(w, "style:font-style-complex", "italic"));
        }
        CHECK(end(w));
    }
    CHECK(end(w));
    return true;
}

bool ts_ods_write_column_style(xmlTextWriterPtr w, const char *name, double width_chars)
{
    /* Excel's width of n characters is n * 7 + 5 pixels of its default font at 96 dpi. */
    double cm = (width_chars * 7.0 + 5.0) / 96.0 * 2.54;
    char width[32];
    snprintf(width, sizeof width, "%.3fcm", cm);
    CHECK(start(w, "style:style"));
    CHECK(attr(w, "style:name", name));
    CHECK(attr(w, "style:family", "table-column"));
    CHECK(start(w, "style:table-column-properties"));
    CHECK(attr(w, "fo:break-before", "auto"));
    CHECK(attr(w, "style:column-width", width));
    CHECK(end(w));
    CHECK(end(w));
    return true;
}

/* Writes s[0, len) as element content, escaped as xmlTextWriterWriteString would (the same
 * bytes), without its formatting and copying: a workbook writes every word of the round. */
static bool write_text(xmlTextWriterPtr w, const char *s, size_t len)
{
    char buf[1024];
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        const char *esc = NULL;
        switch (s[i]) {
        case '<':
            esc = "&lt;";
            break;
        case '>':
            esc = "&gt;";
            break;
        case '&':
            esc = "&amp;";
            break;
        case '"':
            esc = "&quot;";
            break;
        case '\r':
            esc = "&#13;";
            break;
        default:
            break;
        }
        if (o + 8 > sizeof buf) {
            CHECK(xmlTextWriterWriteRawLen(w, BC buf, (int)o));
            o = 0;
        }
        if (esc == NULL) {
            buf[o++] = s[i];
        } else {
            size_t n = strlen(esc);
            memcpy(buf + o, esc, n);
            o += n;
        }
    }
    if (o > 0)
        CHECK(xmlTextWriterWriteRawLen(w, BC buf, (int)o));
    return true;
}

/* Writes text with ODF's white-space rules undone: a space that follows another space, or
 * starts or ends the paragraph, would be dropped by a reader, so it is written as <text:s>.
 * Words and the single spaces between them go out as one piece of text. */
static bool write_spaced(xmlTextWriterPtr w, const char *s, size_t len, bool *after_space,
                         bool at_start, bool last_piece)
{
    size_t i = 0, piece = 0;
    while (i < len) {
        if (s[i] != ' ' && s[i] != '\t') {
            *after_space = false;
            at_start = false;
            i++;
            continue;
        }
        if (s[i] == '\t') {
            if (!write_text(w, s + piece, i - piece))
                return false;
            CHECK(start(w, "text:tab"));
            CHECK(end(w));
            *after_space = false;
            at_start = false;
            piece = ++i;
            continue;
        }
        size_t k = i;
        while (k < len && s[k] == ' ')
            k++;
        size_t n = k - i;
        bool plain = !*after_space && !at_start && !(last_piece && k == len);
        *after_space = true;
        at_start = false;
        if (plain && n == 1) {
            i = k; /* a single space between words: part of the piece */
            continue;
        }
        if (!write_text(w, s + piece, i + (plain ? 1 : 0) - piece))
            return false;
        n -= plain ? 1 : 0;
        if (n > 0) {
            CHECK(start(w, "text:s"));
            if (n > 1)
                CHECK(xmlTextWriterWriteFormatAttribute(w, BC "text:c", "%zu", n));
            CHECK(end(w));
        }
        i = piece = k;
    }
    return write_text(w, s + piece, len - piece);
}

bool ts_ods_write_paragraphs(xmlTextWriterPtr w, const ts_cell_run *runs, size_t n_runs)
{
    static const char *const span_style[4] = {NULL, "T1", "T2", "T3"};
    /* A line may cross runs and a run may hold several lines: each "\n" closes one <text:p>
     * and opens the next; a run's styled span is cut there too. */
    CHECK(start(w, "text:p"));
    bool after_space = false, at_start = true;
    for (size_t r = 0; r < n_runs; r++) {
        const char *st = span_style[runs[r].style & 3u];
        const char *s = runs[r].text, *e = s + runs[r].len;
        for (;;) {
            const char *nl = memchr(s, '\n', (size_t)(e - s));
            const char *stop = nl != NULL ? nl : e;
            bool ends_line = nl != NULL || r + 1 == n_runs || runs[r + 1].text[0] == '\n';
            if (stop > s) {
                if (st != NULL) {
                    CHECK(start(w, "text:span"));
                    CHECK(attr(w, "text:style-name", st));
                }
                if (!write_spaced(w, s, (size_t)(stop - s), &after_space, at_start, ends_line))
                    return false;
                if (st != NULL)
                    CHECK(end(w));
                at_start = false;
            }
            if (nl == NULL)
                break;
            CHECK(end(w));
            CHECK(start(w, "text:p"));
            after_space = false;
            at_start = true;
            s = nl + 1;
        }
    }
    CHECK(end(w));
    return true;
}

static void format_double(double v, char out[32]);

static void number_text(const ts_cell *c, ts_lang lang, char *out, size_t size)
{
    bool percent = c->unit != NULL && strcmp(c->unit, "%") == 0;
    double v = percent ? c->number * 100.0 : c->number;
    char num[64];
    if (c->decimals < 0) {
        char digits[32];
        format_double(v, digits); /* General: every digit the value needs */
        const char *point = strchr(digits, '.');
        if (point == NULL)
            snprintf(num, sizeof num, "%s", digits);
        else
            snprintf(num, sizeof num, "%.*s%s%s", (int)(point - digits), digits,
                     ts_locale_of(lang)->mark, point + 1);
    } else {
        ts_format_fixed(num, sizeof num, v, c->decimals, lang);
    }
    if (c->unit == NULL)
        snprintf(out, size, "%s", num);
    else
        snprintf(out, size, "%s %s", num, c->unit);
}

char *ts_ods_number_text(ts_arena *a, const ts_cell *c, ts_lang lang)
{
    char buf[512];
    number_text(c, lang, buf, sizeof buf);
    return ts_arena_strdup(a, buf);
}
static void format_double(double v, char out[32])
{
    /* The shortest form that reads back as the same double. */
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(out, 32, "%.*g", prec, v);
        if (strtod(out, NULL) == v)
            return;
    }
}

bool ts_ods_write_cell(xmlTextWriterPtr w, const ts_cell *c, const char *style_name, ts_lang lang)
{
    return ts_ods_write_form_cell(w, c, style_name, lang, NULL, NULL);
}

bool ts_ods_write_form_cell(xmlTextWriterPtr w, const ts_cell *c, const char *style_name,
                            ts_lang lang, const char *note, const char *validation)
{
    if (c->covered) {
        CHECK(start(w, "table:covered-table-cell"));
        CHECK(end(w));
        return true;
    }
    CHECK(start(w, "table:table-cell"));
    if (style_name != NULL)
        CHECK(attr(w, "table:style-name", style_name));
    if (c->kind == TS_CELL_TEXT) {
        CHECK(attr(w, "office:value-type", "string"));
    } else if (c->kind == TS_CELL_NUMBER) {
        bool percent = c->unit != NULL && strcmp(c->unit, "%") == 0;
        char value[32];
        format_double(c->number, value);
        /* A formula keeps its value beside it, for a reader that does not recalculate. */
        if (c->formula != NULL && !ts_ods_write_formula(w, c->formula))
            return false;
        CHECK(attr(w, "office:value-type", percent ? "percentage" : "float"));
        CHECK(attr(w, "office:value", value));
    }
    if (c->row_span > 1) {
        CHECK(attr(w, "table:number-columns-spanned", "1"));
        CHECK(xmlTextWriterWriteFormatAttribute(w, BC "table:number-rows-spanned", "%u",
                                                (unsigned)c->row_span));
    }
    if (validation != NULL)
        CHECK(attr(w, "table:content-validation-name", validation));
    if (note != NULL) {
        CHECK(start(w, "office:annotation"));
        CHECK(element(w, "dc:creator", "taseuranta"));
        CHECK(element(w, "text:p", note));
        CHECK(end(w));
    }
    if (c->kind == TS_CELL_TEXT) {
        /* A text of one run has its style in the cell's style. */
        ts_cell_run plain =
            c->n_runs == 1 ? (ts_cell_run){c->runs[0].text, c->runs[0].len, 0} : (ts_cell_run){0};
        if (!ts_ods_write_paragraphs(w, c->n_runs == 1 ? &plain : c->runs, c->n_runs))
            return false;
    } else if (c->kind == TS_CELL_NUMBER) {
        char shown[512];
        number_text(c, lang, shown, sizeof shown);
        CHECK(element(w, "text:p", shown));
    }
    CHECK(end(w));
    return true;
}

/* ---- The document ---------------------------------------------------------------------- */

typedef struct number_key {
    int decimals;
    const char *unit;
} number_key;

typedef struct ods_writer {
    const ts_build_ctx *ctx;
    const ts_table *table;
    ts_arena *a;
    ts_vec numbers;     /* of number_key: N1.. */
    ts_vec cell_styles; /* of ts_ods_cell_style: ce1.. */
    ts_vec widths;      /* of double: co1.. */
    ts_vec heights;     /* of double: ro1.. */
    /* per sheet, per cell: 1-based index into cell_styles, 0 none */
    uint32_t *cell_style[TS_TABLE_MAX_SHEETS];
    /* per sheet, per column: 1-based index into widths */
    uint32_t *col_style[TS_TABLE_MAX_SHEETS];
    bool form; /* some sheet is a form's (ts_sheet.columns) */
} ods_writer;

static int number_index(ods_writer *o, const ts_cell *c)
{
    if (c->decimals < 0)
        return 0; /* General */
    number_key *ks = o->numbers.items;
    for (size_t i = 0; i < o->numbers.len; i++) {
        if (ks[i].decimals != c->decimals || (ks[i].unit == NULL) != (c->unit == NULL))
            continue;
        if (ks[i].unit == NULL || strcmp(ks[i].unit, c->unit) == 0)
            return (int)i + 1;
    }
    number_key *k = ts_vec_push(o->a, &o->numbers, sizeof *k);
    if (k == NULL)
        return -1;
    *k = (number_key){c->decimals, c->unit};
    return (int)o->numbers.len;
}

static long cell_style_index(ods_writer *o, const ts_ods_cell_style *s)
{
    ts_ods_cell_style *ss = o->cell_styles.items;
    for (size_t i = 0; i < o->cell_styles.len; i++) {
        if (ss[i].head == s->head && ss[i].fill == s->fill &&
            (s->fill == TS_FILL_NONE ||
             (ss[i].fill_index == s->fill_index && ss[i].tint == s->tint)) &&
            ss[i].continues == s->continues && ss[i].continued == s->continued &&
            ss[i].number_style == s->number_style && ss[i].style == s->style &&
            ss[i].text == s->text)
            return (long)i + 1;
    }
    ts_ods_cell_style *n = ts_vec_push(o->a, &o->cell_styles, sizeof *n);
    if (n == NULL)
        return -1;
    *n = *s;
    return (long)o->cell_styles.len;
}

static long width_index(ods_writer *o, double width)
{
    double *ws = o->widths.items;
    for (size_t i = 0; i < o->widths.len; i++)
        if (ws[i] == width)
            return (long)i + 1;
    double *n = ts_vec_push(o->a, &o->widths, sizeof *n);
    if (n == NULL)
        return -1;
    *n = width;
    return (long)o->widths.len;
}

static size_t row_index(const ods_writer *o, double height)
{
    const double *hs = o->heights.items;
    for (size_t i = 0; i < o->heights.len; i++)
        if (hs[i] == height)
            return i + 1;
    return 0;
}

/* The row style of a row: ro1.. by height, in the order of first use. */
static void row_style_name(const ods_writer *o, const ts_sheet *s, size_t r, char name[24])
{
    snprintf(name, 24, "ro%zu", row_index(o, s->row_heights[r]));
}

/* Every style the cells use, numbered in the order of first use, so that the names are the same
 * for the same table. */
static bool collect_styles(ods_writer *o)
{
    for (size_t si = 0; si < o->table->n_sheets; si++) {
        const ts_sheet *s = &o->table->sheets[si];
        o->form |= s->columns != NULL;
        for (size_t r = 0; r < s->n_rows; r++) {
            if (row_index(o, s->row_heights[r]) > 0)
                continue;
            double *h = ts_vec_push(o->a, &o->heights, sizeof *h);
            if (h == NULL)
                return false;
            *h = s->row_heights[r];
        }
        o->cell_style[si] = ts_arena_calloc(o->a, s->n_rows * s->n_cols + 1, sizeof(uint32_t));
        o->col_style[si] = ts_arena_calloc(o->a, s->n_cols + 1, sizeof(uint32_t));
        if (o->cell_style[si] == NULL || o->col_style[si] == NULL)
            return false;
        for (size_t c = 0; c < s->n_cols; c++) {
            long i = width_index(o, s->widths[c]);
            if (i < 0)
                return false;
            o->col_style[si][c] = (uint32_t)i;
        }
        for (size_t i = 0; i < s->n_rows * s->n_cols; i++) {
            const ts_cell *c = &s->cells[i];
            if (c->covered)
                continue;
            ts_ods_cell_style st = {.head = c->head,
                                    .fill = c->fill,
                                    .fill_index = c->fill_index,
                                    .tint = c->tint,
                                    .continues = c->continues,
                                    .continued = c->continued};
            if (c->kind == TS_CELL_TEXT && c->n_runs == 1)
                st.style = c->runs[0].style & (TS_RUN_BOLD | TS_RUN_ITALIC);
            st.text = s->columns != NULL && s->columns[i % s->n_cols].text && !c->head &&
                      c->kind != TS_CELL_NUMBER;
            if (c->kind == TS_CELL_NUMBER) {
                st.number_style = number_index(o, c);
                if (st.number_style < 0)
                    return false;
            }
            long idx = cell_style_index(o, &st);
            if (idx < 0)
                return false;
            o->cell_style[si][i] = (uint32_t)idx;
        }
    }
    return true;
}

static const char *const content_ns[][2] = {
    {"xmlns:office", TS_NS_OFFICE}, {"xmlns:style", TS_NS_STYLE}, {"xmlns:text", TS_NS_TEXT},
    {"xmlns:table", TS_NS_TABLE},   {"xmlns:fo", TS_NS_FO},       {"xmlns:number", TS_NS_NUMBER},
    {"xmlns:svg", TS_NS_SVG},       {"xmlns:draw", TS_NS_DRAW},   {"xmlns:xlink", TS_NS_XLINK},
    {"xmlns:of", TS_NS_OF},
};

static bool start_root(xmlTextWriterPtr w, const char *name, const char *const ns[][2], size_t n)
{
    CHECK(xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL));
    CHECK(start(w, name));
    for (size_t i = 0; i < n; i++)
        CHECK(attr(w, ns[i][0], ns[i][1]));
    CHECK(attr(w, "office:version", TS_ODF_VERSION));
    return true;
}

static bool font_face_decls(xmlTextWriterPtr w, const ts_layout *l)
{
    CHECK(start(w, "office:font-face-decls"));
    if (l->workbook.font_name != NULL) {
        CHECK(start(w, "style:font-face"));
        CHECK(attr(w, "style:name", l->workbook.font_name));
        CHECK(attr(w, "svg:font-family", l->workbook.font_name));
        CHECK(end(w));
    }
    CHECK(end(w));
    return true;
}

static bool text_style(xmlTextWriterPtr w, const char *name, bool bold, bool italic)
{
    CHECK(start(w, "style:style"));
    CHECK(attr(w, "style:name", name));
    CHECK(attr(w, "style:family", "text"));
    CHECK(start(w, "style:text-properties"));
    if (bold) {
        CHECK(attr(w, "fo:font-weight", "bold"));
        CHECK(attr(w, "style:font-weight-asian", "bold"));
        CHECK(attr(w, "style:font-weight-complex", "bold"));
    }
    if (italic) {
        CHECK(attr(w, "fo:font-style", "italic"));
        CHECK(attr(w, "style:font-style-asian", "italic"));
        CHECK(attr(w, "style:font-style-complex", "italic"));
    }
    CHECK(end(w));
    CHECK(end(w));
    return true;
}

/* 'Name'.A1:'Name'.J11, the sheet name quoted with its quotes doubled. */
static char *range_address(ts_arena *a, const ts_sheet *s)
{
    size_t n = strlen(s->name);
    char *q = ts_arena_alloc(a, 2 * n + 3);
    if (q == NULL)
        return NULL;
    char *p = q;
    *p++ = '\'';
    for (size_t i = 0; i < n; i++) {
        if (s->name[i] == '\'')
            *p++ = '\'';
        *p++ = s->name[i];
    }
    *p++ = '\'';
    *p = '\0';
    size_t last = s->n_cols - 1;
    char col[4] = {0};
    if (last < 26) {
        col[0] = (char)('A' + last);
    } else {
        col[0] = (char)('A' + last / 26 - 1);
        col[1] = (char)('A' + last % 26);
    }
    return ts_arena_printf(a, "%s.A1:%s.%s%zu", q, q, col, s->n_rows);
}

/* The embedded object of the k-th chart (1-based), as the package and the frame name it. */
static void object_name(size_t k, char out[32])
{
    snprintf(out, 32, "Object %zu", k);
}

/* The rows under a sheet's rows down to its chart's corner: empty, then the one whose first cell
 * holds the chart's frame. */
static bool write_chart_rows(xmlTextWriterPtr w, const ts_sheet *s, size_t k)
{
    size_t gap = s->chart->anchor_row - s->n_rows;
    if (gap > 0) {
        CHECK(start(w, "table:table-row"));
        if (gap > 1)
            CHECK(
                xmlTextWriterWriteFormatAttribute(w, BC "table:number-rows-repeated", "%zu", gap));
        CHECK(start(w, "table:table-cell"));
        CHECK(end(w));
        CHECK(end(w));
    }
    char object[32];
    object_name(k, object);
    CHECK(start(w, "table:table-row"));
    for (size_t c = 0; c < s->chart->anchor_col; c++) {
        CHECK(start(w, "table:table-cell"));
        CHECK(end(w));
    }
    CHECK(start(w, "table:table-cell"));
    if (!ts_ods_write_chart_frame(w, s, object))
        return false;
    CHECK(end(w));
    CHECK(end(w));
    return true;
}

/* The rows a sheet has, as LibreOffice and Excel count them. */
#define ODS_MAX_ROWS 1048576

static const char *validation_name(const ods_writer *o, size_t si, size_t col, char name[24])
{
    (void)o;
    snprintf(name, 24, "val%u-%u", (unsigned)(si + 1) % 1000u, (unsigned)(col + 1) % 100000u);
    return name;
}

static bool write_row(ods_writer *o, xmlTextWriterPtr w, size_t si, size_t r)
{
    const ts_sheet *s = &o->table->sheets[si];
    char row_style[24];
    row_style_name(o, s, r, row_style);
    CHECK(start(w, "table:table-row"));
    CHECK(attr(w, "table:style-name", row_style));
    for (size_t c = 0; c < s->n_cols; c++) {
        size_t i = r * s->n_cols + c;
        char name[16];
        uint32_t st = o->cell_style[si][i];
        if (st > 0)
            snprintf(name, sizeof name, "ce%u", (unsigned)st);
        const ts_column *col = s->columns != NULL ? &s->columns[c] : NULL;
        const char *note = col != NULL && r == 0 && s->header_rows > 0 ? col->note : NULL;
        char vname[24];
        const char *validation = NULL;
        if (col != NULL && col->list != NULL && r >= s->header_rows)
            validation = validation_name(o, si, c, vname);
        if (!ts_ods_write_form_cell(w, &s->cells[i], st > 0 ? name : NULL, o->ctx->round->lang,
                                    note, validation))
            return false;
    }
    CHECK(end(w));
    return true;
}

/* Below a form sheet's rows, to the last row a sheet has: empty cells that keep their column's
 * drop-down list, wrapped and top-aligned, for the rows a planner adds. */
static bool write_open_rows(ods_writer *o, xmlTextWriterPtr w, size_t si)
{
    const ts_sheet *s = &o->table->sheets[si];
    if (s->columns == NULL || s->n_rows >= ODS_MAX_ROWS)
        return true;
    CHECK(start(w, "table:table-row"));
    CHECK(xmlTextWriterWriteFormatAttribute(w, BC "table:number-rows-repeated", "%zu",
                                            ODS_MAX_ROWS - s->n_rows));
    for (size_t c = 0; c < s->n_cols; c++) {
        char vname[24];
        CHECK(start(w, "table:table-cell"));
        CHECK(attr(w, "table:style-name", s->columns[c].text ? "cwt" : "cw"));
        if (s->columns[c].list != NULL)
            CHECK(attr(w, "table:content-validation-name", validation_name(o, si, c, vname)));
        CHECK(end(w));
    }
    CHECK(end(w));
    return true;
}

bool ts_ods_write_list_validation(xmlTextWriterPtr w, const char *name, const ts_cell_list *l)
{
    CHECK(start(w, "table:content-validation"));
    CHECK(attr(w, "table:name", name));
    /* One string: the condition names the words, quoted with their quotes doubled, or the
     * range of the sheet's column. */
    xmlBufferPtr b = xmlBufferCreate();
    if (b == NULL)
        return false;
    xmlBufferCCat(b, "of:cell-content-is-in-list(");
    if (l->words != NULL) {
        for (size_t i = 0; i < l->n_words; i++) {
            if (i > 0)
                xmlBufferCCat(b, ";");
            xmlBufferCCat(b, "\"");
            for (const char *p = l->words[i]; *p; p++)
                xmlBufferAdd(b, BC(*p == '"' ? "\"\"" : p), *p == '"' ? 2 : 1);
            xmlBufferCCat(b, "\"");
        }
    } else {
        char cell[16];
        ts_cell_name(2, (uint32_t)l->col + 1, cell);
        size_t letters = strcspn(cell, "0123456789");
        xmlBufferCCat(b, "[$'");
        for (const char *p = l->sheet; *p; p++)
            xmlBufferAdd(b, BC(*p == '\'' ? "''" : p), *p == '\'' ? 2 : 1);
        xmlBufferCCat(b, "'.$");
        xmlBufferAdd(b, BC cell, (int)letters);
        xmlBufferCCat(b, "$2:.$");
        xmlBufferAdd(b, BC cell, (int)letters);
        char last[24];
        snprintf(last, sizeof last, "$%d]", ODS_MAX_ROWS);
        xmlBufferCCat(b, last);
    }
    xmlBufferCCat(b, ")");
    int rc = attr(w, "table:condition", (const char *)xmlBufferContent(b));
    xmlBufferFree(b);
    CHECK(rc);
    CHECK(attr(w, "table:allow-empty-cell", "true"));
    CHECK(attr(w, "table:display-list", "unsorted"));
    CHECK(attr(w, "table:base-cell-address", "A1"));
    CHECK(start(w, "table:error-message"));
    CHECK(attr(w, "table:display", "true"));
    CHECK(attr(w, "table:message-type", "warning"));
    CHECK(end(w));
    CHECK(end(w));
    return true;
}

/* The form's lists, one content validation per column that has one: "val<sheet>-<col>". */
static bool write_validations(ods_writer *o, xmlTextWriterPtr w)
{
    bool any = false;
    for (size_t si = 0; si < o->table->n_sheets; si++) {
        const ts_sheet *s = &o->table->sheets[si];
        for (size_t c = 0; s->columns != NULL && c < s->n_cols; c++) {
            if (s->columns[c].list == NULL)
                continue;
            if (!any)
                CHECK(start(w, "table:content-validations"));
            any = true;
            char vname[24];
            if (!ts_ods_write_list_validation(w, validation_name(o, si, c, vname),
                                              s->columns[c].list))
                return false;
        }
    }
    if (any)
        CHECK(end(w));
    return true;
}

/* A form's own styles: the text data style of its text columns, and the cells of its columns
 * below the rows, wrapped and top-aligned ("cw"; "cwt" for a text column). */
static bool form_styles(xmlTextWriterPtr w)
{
    CHECK(start(w, "number:text-style"));
    CHECK(attr(w, "style:name", "Ntext"));
    CHECK(start(w, "number:text-content"));
    CHECK(end(w));
    CHECK(end(w));
    static const char *const names[2] = {"cw", "cwt"};
    for (int i = 0; i < 2; i++) {
        CHECK(start(w, "style:style"));
        CHECK(attr(w, "style:name", names[i]));
        CHECK(attr(w, "style:family", "table-cell"));
        CHECK(attr(w, "style:parent-style-name", "Default"));
        if (i == 1)
            CHECK(attr(w, "style:data-style-name", "Ntext"));
        CHECK(start(w, "style:table-cell-properties"));
        CHECK(attr(w, "fo:wrap-option", "wrap"));
        CHECK(attr(w, "style:vertical-align", "top"));
        CHECK(end(w));
        CHECK(end(w));
    }
    return true;
}

static bool write_content(ods_writer *o, xmlTextWriterPtr w)
{
    const ts_layout *l = o->ctx->layout;
    if (!start_root(w, "office:document-content", content_ns,
                    sizeof content_ns / sizeof content_ns[0]))
        return false;
    if (o->form)
        CHECK(attr(w, "xmlns:dc", TS_NS_DC)); /* a note's author */
    if (!font_face_decls(w, l))
        return false;
    CHECK(start(w, "office:automatic-styles"));
    char name[24];
    const double *widths = o->widths.items;
    for (size_t i = 0; i < o->widths.len; i++) {
        snprintf(name, sizeof name, "co%zu", i + 1);
        if (!ts_ods_write_column_style(w, name, widths[i]))
            return false;
    }
    /* Every row has the height its text needs (table.h), the same as in the XLSX, and keeps
     * it.  LibreOffice's own fitting of an optimal row is not enough for print: it ignores the
     * text of a merged cell, and it wraps with its screen's metrics, so that a line that fits
     * on screen can wrap once more on paper and run over the next row.  A fixed height also
     * spares LibreOffice fitting every row when it opens the file. */
    const double *heights = o->heights.items;
    for (size_t i = 0; i < o->heights.len; i++) {
        snprintf(name, sizeof name, "ro%zu", i + 1);
        CHECK(start(w, "style:style"));
        CHECK(attr(w, "style:name", name));
        CHECK(attr(w, "style:family", "table-row"));
        CHECK(start(w, "style:table-row-properties"));
        CHECK(xmlTextWriterWriteFormatAttribute(w, BC "style:row-height", "%.0fpt", heights[i]));
        CHECK(attr(w, "fo:break-before", "auto"));
        CHECK(attr(w, "style:use-optimal-row-height", "false"));
        CHECK(end(w));
        CHECK(end(w));
    }
    /* ta1 prints one page wide (mp1); a form's sheets, ta2, at their own size (mp2). */
    for (int t = 1; t <= (o->form ? 2 : 1); t++) {
        CHECK(start(w, "style:style"));
        CHECK(attr(w, "style:name", t == 1 ? "ta1" : "ta2"));
        CHECK(attr(w, "style:family", "table"));
        CHECK(attr(w, "style:master-page-name", t == 1 ? "mp1" : "mp2"));
        CHECK(start(w, "style:table-properties"));
        CHECK(attr(w, "table:display", "true"));
        CHECK(attr(w, "style:writing-mode", "lr-tb"));
        CHECK(end(w));
        CHECK(end(w));
    }
    const number_key *nks = o->numbers.items;
    for (size_t i = 0; i < o->numbers.len; i++) {
        snprintf(name, sizeof name, "N%zu", i + 1);
        if (!ts_ods_write_number_style(w, name, nks[i].decimals, nks[i].unit))
            return false;
    }
    const ts_ods_cell_style *css = o->cell_styles.items;
    for (size_t i = 0; i < o->cell_styles.len; i++) {
        snprintf(name, sizeof name, "ce%zu", i + 1);
        if (!ts_ods_write_cell_style(w, name, &css[i], l))
            return false;
    }
    if (!text_style(w, "T1", true, false) || !text_style(w, "T2", false, true) ||
        !text_style(w, "T3", true, true))
        return false;
    if (o->form && !form_styles(w))
        return false;
    CHECK(end(w)); /* automatic-styles */

    CHECK(start(w, "office:body"));
    CHECK(start(w, "office:spreadsheet"));
    /* How COUNTIF reads its criterion: as Excel does (wildcards, no regular expressions, case
     * ignored), so that a formula counts the same in both workbooks.  ODF's defaults differ. */
    CHECK(start(w, "table:calculation-settings"));
    CHECK(attr(w, "table:case-sensitive", "false"));
    CHECK(attr(w, "table:use-regular-expressions", "false"));
    CHECK(attr(w, "table:use-wildcards", "true"));
    CHECK(end(w));
    size_t charts = 0;
    if (o->form && !write_validations(o, w))
        return false;
    for (size_t si = 0; si < o->table->n_sheets; si++) {
        const ts_sheet *s = &o->table->sheets[si];
        char *range = range_address(o->a, s);
        if (range == NULL)
            return false;
        CHECK(start(w, "table:table"));
        CHECK(attr(w, "table:name", s->name));
        CHECK(attr(w, "table:style-name", s->columns != NULL ? "ta2" : "ta1"));
        /* A sheet with a chart prints what it holds, the chart too (LibreOffice takes the
         * drawings into a sheet's printed area only when no print range is given). */
        if (s->chart == NULL)
            CHECK(attr(w, "table:print-ranges", range));
        for (size_t c = 0; c < s->n_cols; c++) {
            CHECK(start(w, "table:table-column"));
            snprintf(name, sizeof name, "co%u", (unsigned)o->col_style[si][c]);
            CHECK(attr(w, "table:style-name", name));
            const char *dflt = "Default";
            if (s->columns != NULL)
                dflt = s->columns[c].text ? "cwt" : "cw";
            CHECK(attr(w, "table:default-cell-style-name", dflt));
            CHECK(end(w));
        }
        size_t r = 0;
        if (s->header_rows > 0) {
            CHECK(start(w, "table:table-header-rows"));
            for (; r < s->header_rows && r < s->n_rows; r++)
                if (!write_row(o, w, si, r))
                    return false;
            CHECK(end(w));
        }
        for (; r < s->n_rows; r++)
            if (!write_row(o, w, si, r))
                return false;
        if (s->chart != NULL && !write_chart_rows(w, s, ++charts))
            return false;
        if (!write_open_rows(o, w, si))
            return false;
        CHECK(end(w)); /* table */
    }
    bool any_filter = false;
    for (size_t si = 0; si < o->table->n_sheets; si++)
        any_filter |= o->table->sheets[si].autofilter;
    if (any_filter) {
        /* LibreOffice's sheet-local anonymous database range is how a sheet's autofilter is
         * stored: its number is the sheet's index. */
        CHECK(start(w, "table:database-ranges"));
        for (size_t si = 0; si < o->table->n_sheets; si++) {
            const ts_sheet *s = &o->table->sheets[si];
            if (!s->autofilter)
                continue;
            char *range = range_address(o->a, s);
            if (range == NULL)
                return false;
            CHECK(start(w, "table:database-range"));
            CHECK(xmlTextWriterWriteFormatAttribute(w, BC "table:name", "__Anonymous_Sheet_DB__%zu",
                                                    si));
            CHECK(attr(w, "table:target-range-address", range));
            CHECK(attr(w, "table:display-filter-buttons", "true"));
            CHECK(end(w));
        }
        CHECK(end(w));
    }
    CHECK(end(w)); /* spreadsheet */
    CHECK(end(w)); /* body */
    CHECK(end(w)); /* document-content */
    CHECK(xmlTextWriterEndDocument(w));
    return true;
}

static void language(ts_lang lang, const char **lng, const char **country)
{
    *lng = ts_lang_name(lang);
    *country = ts_locale_of(lang)->country;
}

static bool write_styles(ods_writer *o, xmlTextWriterPtr w)
{
    const ts_layout *l = o->ctx->layout;
    if (!start_root(w, "office:document-styles", content_ns,
                    sizeof content_ns / sizeof content_ns[0]))
        return false;
    if (!font_face_decls(w, l))
        return false;
    const char *lng, *country;
    language(o->ctx->round->lang, &lng, &country);
    CHECK(start(w, "office:styles"));
    CHECK(start(w, "style:default-style"));
    CHECK(attr(w, "style:family", "table-cell"));
    CHECK(start(w, "style:text-properties"));
    if (l->workbook.font_name != NULL)
        CHECK(attr(w, "style:font-name", l->workbook.font_name));
    if (l->workbook.font_size > 0)
        CHECK(
            xmlTextWriterWriteFormatAttribute(w, BC "fo:font-size", "%gpt", l->workbook.font_size));
    CHECK(attr(w, "fo:language", lng));
    CHECK(attr(w, "fo:country", country));
    CHECK(end(w));
    CHECK(end(w));
    CHECK(start(w, "style:style"));
    CHECK(attr(w, "style:name", "Default"));
    CHECK(attr(w, "style:family", "table-cell"));
    CHECK(end(w));
    CHECK(end(w)); /* styles */

    CHECK(start(w, "office:automatic-styles"));
    for (int pm = 1; pm <= (o->form ? 2 : 1); pm++) {
        CHECK(start(w, "style:page-layout"));
        CHECK(attr(w, "style:name", pm == 1 ? "pm1" : "pm2"));
        CHECK(start(w, "style:page-layout-properties"));
        CHECK(attr(w, "fo:page-width", "42cm")); /* A3, landscape */
        CHECK(attr(w, "fo:page-height", "29.7cm"));
        CHECK(attr(w, "style:print-orientation", "landscape"));
        CHECK(attr(w, "fo:margin-top", "1.5cm"));
        CHECK(attr(w, "fo:margin-bottom", "1.5cm"));
        CHECK(attr(w, "fo:margin-left", "1.5cm"));
        CHECK(attr(w, "fo:margin-right", "1.5cm"));
        CHECK(attr(w, "style:print-page-order", "ttb"));
        if (pm == 1) /* one page wide, as many pages high as needed */
            CHECK(attr(w, "style:scale-to-X", "1"));
        CHECK(attr(w, "style:writing-mode", "lr-tb"));
        CHECK(end(w));
        CHECK(end(w));
    }
    CHECK(end(w)); /* automatic-styles */
    CHECK(start(w, "office:master-styles"));
    for (int mp = 1; mp <= (o->form ? 2 : 1); mp++) {
        CHECK(start(w, "style:master-page"));
        CHECK(attr(w, "style:name", mp == 1 ? "mp1" : "mp2"));
        CHECK(attr(w, "style:page-layout-name", mp == 1 ? "pm1" : "pm2"));
        CHECK(end(w));
    }
    CHECK(end(w)); /* document-styles */
    CHECK(xmlTextWriterEndDocument(w));
    return true;
}

static void iso_time(time_t t, char out[32])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static bool write_meta(ods_writer *o, xmlTextWriterPtr w, const ts_book_props *bp)
{
    static const char *const ns[][2] = {
        {"xmlns:office", TS_NS_OFFICE}, {"xmlns:meta", TS_NS_META}, {"xmlns:dc", TS_NS_DC}};
    const ts_round *r = o->ctx->round;
    if (!start_root(w, "office:document-meta", ns, 3))
        return false;
    char when[32];
    iso_time(o->ctx->now, when);
    const char *lng, *country;
    language(r->lang, &lng, &country);
    CHECK(start(w, "office:meta"));
    CHECK(element(w, "meta:generator", "taseuranta/" TASEURANTA_VERSION));
    CHECK(element(w, "dc:title", bp->title));
    CHECK(element(w, "dc:subject", bp->subject));
    /* One meta:keyword per comma-separated keyword of the label. */
    for (const char *p = bp->keywords; *p != '\0';) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *e = strchr(p, ',');
        if (e == NULL)
            e = p + strlen(p);
        const char *t = e;
        while (t > p && t[-1] == ' ')
            t--;
        if (t > p) {
            CHECK(start(w, "meta:keyword"));
            CHECK(xmlTextWriterWriteFormatString(w, "%.*s", (int)(t - p), p));
            CHECK(end(w));
        }
        p = e;
    }
    CHECK(element(w, "meta:initial-creator", r->division));
    CHECK(element(w, "dc:creator", r->division));
    CHECK(element(w, "meta:creation-date", when));
    CHECK(element(w, "dc:date", when));
    CHECK(xmlTextWriterWriteFormatElement(w, BC "dc:language", "%s-%s", lng, country));
    CHECK(start(w, "meta:user-defined"));
    CHECK(attr(w, "meta:name", "Company"));
    CHECK(xmlTextWriterWriteString(w, BC r->city));
    CHECK(end(w));
    CHECK(end(w));
    CHECK(end(w));
    CHECK(xmlTextWriterEndDocument(w));
    return true;
}

static bool config_item(xmlTextWriterPtr w, const char *name, const char *type, const char *value)
{
    CHECK(start(w, "config:config-item"));
    CHECK(attr(w, "config:name", name));
    CHECK(attr(w, "config:type", type));
    CHECK(xmlTextWriterWriteString(w, BC value));
    CHECK(end(w));
    return true;
}

/* The view: each sheet with a header frozen below it (LibreOffice's split settings). */
static bool write_settings(ods_writer *o, xmlTextWriterPtr w)
{
    static const char *const ns[][2] = {
        {"xmlns:office", TS_NS_OFFICE}, {"xmlns:config", TS_NS_CONFIG}, {"xmlns:ooo", TS_NS_OOO}};
    if (!start_root(w, "office:document-settings", ns, 3))
        return false;
    CHECK(start(w, "office:settings"));
    CHECK(start(w, "config:config-item-set"));
    CHECK(attr(w, "config:name", "ooo:view-settings"));
    CHECK(start(w, "config:config-item-map-indexed"));
    CHECK(attr(w, "config:name", "Views"));
    CHECK(start(w, "config:config-item-map-entry"));
    if (!config_item(w, "ViewId", "string", "view1"))
        return false;
    CHECK(start(w, "config:config-item-map-named"));
    CHECK(attr(w, "config:name", "Tables"));
    for (size_t si = 0; si < o->table->n_sheets; si++) {
        const ts_sheet *s = &o->table->sheets[si];
        char rows[24];
        snprintf(rows, sizeof rows, "%zu", s->header_rows);
        bool frozen = s->header_rows > 0;
        CHECK(start(w, "config:config-item-map-entry"));
        CHECK(attr(w, "config:name", s->name));
        if (!config_item(w, "HorizontalSplitMode", "short", "0") ||
            !config_item(w, "VerticalSplitMode", "short", frozen ? "2" : "0") ||
            !config_item(w, "HorizontalSplitPosition", "int", "0") ||
            !config_item(w, "VerticalSplitPosition", "int", frozen ? rows : "0") ||
            !config_item(w, "ActiveSplitRange", "short", frozen ? "2" : "0") ||
            !config_item(w, "PositionLeft", "int", "0") ||
            !config_item(w, "PositionRight", "int", "0") ||
            !config_item(w, "PositionTop", "int", "0") ||
            !config_item(w, "PositionBottom", "int", frozen ? rows : "0"))
            return false;
        CHECK(end(w));
    }
    CHECK(end(w)); /* Tables */
    if (!config_item(w, "ActiveTable", "string", o->table->sheets[0].name))
        return false;
    CHECK(end(w));
    CHECK(end(w));
    CHECK(end(w));
    CHECK(end(w));
    CHECK(end(w));
    CHECK(xmlTextWriterEndDocument(w));
    return true;
}

static bool manifest_entry(xmlTextWriterPtr w, const char *path, const char *type)
{
    CHECK(start(w, "manifest:file-entry"));
    CHECK(attr(w, "manifest:full-path", path));
    CHECK(attr(w, "manifest:media-type", type));
    CHECK(end(w));
    return true;
}

static bool write_manifest(xmlTextWriterPtr w, size_t charts)
{
    static const char *const ns[][2] = {{"xmlns:manifest", TS_NS_MANIFEST}};
    CHECK(xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL));
    CHECK(start(w, "manifest:manifest"));
    CHECK(attr(w, ns[0][0], ns[0][1]));
    CHECK(attr(w, "manifest:version", TS_ODF_VERSION));
    static const char *const entries[][2] = {
        {"/", MIMETYPE},          {"content.xml", "text/xml"},  {"styles.xml", "text/xml"},
        {"meta.xml", "text/xml"}, {"settings.xml", "text/xml"},
    };
    for (size_t i = 0; i < sizeof entries / sizeof entries[0]; i++) {
        CHECK(start(w, "manifest:file-entry"));
        CHECK(attr(w, "manifest:full-path", entries[i][0]));
        if (i == 0)
            CHECK(attr(w, "manifest:version", TS_ODF_VERSION));
        CHECK(attr(w, "manifest:media-type", entries[i][1]));
        CHECK(end(w));
    }
    for (size_t k = 1; k <= charts; k++) {
        char object[32], path[64];
        object_name(k, object);
        snprintf(path, sizeof path, "%s/", object);
        if (!manifest_entry(w, path, "application/vnd.oasis.opendocument.chart"))
            return false;
        snprintf(path, sizeof path, "%s/content.xml", object);
        if (!manifest_entry(w, path, "text/xml"))
            return false;
        snprintf(path, sizeof path, "%s/styles.xml", object);
        if (!manifest_entry(w, path, "text/xml"))
            return false;
    }
    CHECK(end(w));
    CHECK(xmlTextWriterEndDocument(w));
    return true;
}

/* ---- The package ----------------------------------------------------------------------- */

typedef struct part {
    const char *name;
    xmlBufferPtr buf;
} part;

static bool zip_add(zipFile zf, const zip_fileinfo *zi, const char *name, const void *data,
                    size_t len, bool store)
{
    if (zipOpenNewFileInZip(zf, name, zi, NULL, 0, NULL, 0, NULL, store ? 0 : Z_DEFLATED,
                            store ? Z_NO_COMPRESSION : Z_DEFAULT_COMPRESSION) != ZIP_OK)
        return false;
    bool ok = zipWriteInFileInZip(zf, data, (unsigned)len) == ZIP_OK;
    return zipCloseFileInZip(zf) == ZIP_OK && ok;
}

static void zip_time(time_t now, zip_fileinfo *zi)
{
    struct tm tm;
    gmtime_r(&now, &tm);
    memset(zi, 0, sizeof *zi);
    int year = tm.tm_year + 1900;
    if (year < 1980 || year > 2107) {
        /* Out of what a zip time can say: the zip epoch. */
        zi->tmz_date = (tm_zip){0, 0, 0, 1, 0, 1980};
        return;
    }
    zi->tmz_date = (tm_zip){(uInt)tm.tm_sec,  (uInt)tm.tm_min, (uInt)tm.tm_hour,
                            (uInt)tm.tm_mday, (uInt)tm.tm_mon, (uInt)year};
}

ts_rc ts_write_ods(const ts_build_ctx *ctx, const char *path, ts_diags *diags)
{
    ts_arena *a;
    const ts_table *t;
    ts_rc rc = ts_book_begin(ctx, path, diags, &a, &t);
    if (rc != TS_OK)
        return rc;
    ods_writer o = {.ctx = ctx, .table = t, .a = a};
    ts_book_props bp;
    bool props_ok = ts_book_props_make(ctx, a, &bp);
    /* The document's parts, then each chart's object (its content and styles), in the order of
     * the sheets that have one. */
    enum { DOCUMENT_PARTS = 5, MAX_PARTS = DOCUMENT_PARTS + 2 * TS_TABLE_MAX_SHEETS };
    part parts[MAX_PARTS] = {{"content.xml", NULL},
                             {"styles.xml", NULL},
                             {"meta.xml", NULL},
                             {"settings.xml", NULL},
                             {"META-INF/manifest.xml", NULL}};
    const ts_sheet *chart_of[MAX_PARTS] = {0};
    size_t n_parts = DOCUMENT_PARTS, charts = 0;
    for (size_t si = 0; si < t->n_sheets; si++) {
        if (t->sheets[si].chart == NULL)
            continue;
        char object[32];
        object_name(++charts, object);
        for (int k = 0; k < 2; k++) {
            chart_of[n_parts] = &t->sheets[si];
            parts[n_parts++].name =
                ts_arena_printf(a, "%s/%s", object, k == 0 ? "content.xml" : "styles.xml");
            if (parts[n_parts - 1].name == NULL)
                props_ok = false;
        }
    }
    bool ok = props_ok && collect_styles(&o);
    for (size_t i = 0; ok && i < n_parts; i++) {
        parts[i].buf = xmlBufferCreate();
        xmlTextWriterPtr w = parts[i].buf ? xmlNewTextWriterMemory(parts[i].buf, 0) : NULL;
        if (w == NULL) {
            ok = false;
            break;
        }
        switch (i) {
        case 0:
            ok = write_content(&o, w);
            break;
        case 1:
            ok = write_styles(&o, w);
            break;
        case 2:
            ok = write_meta(&o, w, &bp);
            break;
        case 3:
            ok = write_settings(&o, w);
            break;
        case 4:
            ok = write_manifest(w, charts);
            break;
        default:
            ok = (i - DOCUMENT_PARTS) % 2 == 0 ? ts_ods_write_chart(w, chart_of[i], ctx->layout)
                                               : ts_ods_write_chart_styles(w);
            break;
        }
        xmlFreeTextWriter(w); /* flushes into the buffer */
    }
    if (!ok) {
        ts_diag_fault(diags, path, (ts_pos){0, 0}, TS_FAULT_NO_MEMORY,
                      "cannot write the ODS workbook: out of memory while making its XML");
    } else {
        zipFile zf = zipOpen(path, APPEND_STATUS_CREATE);
        if (zf == NULL) {
            ts_diag_fault(diags, path, (ts_pos){0, 0}, TS_FAULT_SYSTEM,
                          "cannot create the ODS workbook file");
            ok = false;
        } else {
            zip_fileinfo zi;
            zip_time(ctx->now, &zi);
            /* ODF packaging: "mimetype" first, stored, so that a reader finds it at byte 38. */
            ok = zip_add(zf, &zi, "mimetype", MIMETYPE, strlen(MIMETYPE), true);
            for (size_t i = 0; ok && i < n_parts; i++)
                ok = zip_add(zf, &zi, parts[i].name, xmlBufferContent(parts[i].buf),
                             (size_t)xmlBufferLength(parts[i].buf), false);
            if (zipClose(zf, NULL) != ZIP_OK)
                ok = false;
            if (!ok) {
                ts_diag_fault(diags, path, (ts_pos){0, 0}, TS_FAULT_SYSTEM,
                              "cannot write the ODS workbook file (disk full or not writable?)");
                remove(path);
            }
        }
    }
    for (size_t i = 0; i < n_parts; i++)
        if (parts[i].buf != NULL)
            xmlBufferFree(parts[i].buf);
    ts_arena_free(a);
    return ok ? TS_OK : TS_SYSTEM_ERROR;
}
