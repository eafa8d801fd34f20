/* The ODS workbook's formulas and its chart (table.h): the table:formula of a cell in
 * OpenFormula, and a chart as an embedded ODF chart object ("Object 1/content.xml") that a
 * draw:frame in the sheet shows, the way LibreOffice itself writes one: a chart:chart of class
 * chart:bar, stacked, whose series take their values and names from the sheet's cells, with a
 * copy of those values in the object's own table for a reader that has no sheet to look in. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "book/ods_xml.h"

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

static int attrf(xmlTextWriterPtr w, const char *name, const char *fmt, double v)
{
    return xmlTextWriterWriteFormatAttribute(w, BC name, fmt, v);
}

/* ---- Addresses ------------------------------------------------------------------------- */

/* Appends 'name' (its quotes doubled) to b: a sheet name as ODF's addresses quote it. */
static bool cat_sheet(xmlBufferPtr b, const char *name)
{
    if (xmlBufferCCat(b, "'") != 0)
        return false;
    for (const char *p = name; *p != '\0'; p++) {
        const char *q = strchr(p, '\'');
        size_t n = q != NULL ? (size_t)(q - p) : strlen(p);
        if (n > 0 && xmlBufferAdd(b, BC p, (int)n) != 0)
            return false;
        p += n;
        if (*p == '\0')
            break;
        if (xmlBufferCCat(b, "''") != 0)
            return false;
    }
    return xmlBufferCCat(b, "'") == 0;
}

/* Appends a cell's address, "B2", with "$" before the column and the row when `absolute`. */
static bool cat_cell(xmlBufferPtr b, size_t row, size_t col, bool absolute)
{
    char name[4], buf[48];
    ts_column_name(col, name);
    snprintf(buf, sizeof buf, absolute ? "$%s$%zu" : "%s%zu", name, row + 1);
    return xmlBufferCCat(b, buf) == 0;
}

/* Appends 'Sheet'.B2:'Sheet'.D2, a range as a chart names it. */
static bool cat_range(xmlBufferPtr b, const char *sheet, size_t row0, size_t col0, size_t row1,
                      size_t col1)
{
    return cat_sheet(b, sheet) && xmlBufferCCat(b, ".") == 0 && cat_cell(b, row0, col0, false) &&
           xmlBufferCCat(b, ":") == 0 && cat_sheet(b, sheet) && xmlBufferCCat(b, ".") == 0 &&
           cat_cell(b, row1, col1, false);
}

/* Writes the attribute `name` with what `fill` puts in a buffer. */
typedef bool (*fill_fn)(xmlBufferPtr b, const void *arg);

static bool attr_built(xmlTextWriterPtr w, const char *name, fill_fn fill, const void *arg)
{
    xmlBufferPtr b = xmlBufferCreate();
    if (b == NULL)
        return false;
    bool ok = fill(b, arg) && attr(w, name, (const char *)xmlBufferContent(b)) >= 0;
    xmlBufferFree(b);
    return ok;
}

/* ---- Formulas -------------------------------------------------------------------------- */

/* of:=COUNTIF([$'Kehitys'.$D$2:.$D$6];"Toteutuu") or of:=SUM([.$B$2:.$B$6]). */
static bool fill_formula(xmlBufferPtr b, const void *arg)
{
    const ts_formula *f = arg;
    if (xmlBufferCCat(b, f->fn == TS_FORMULA_SUM ? "of:=SUM([" : "of:=COUNTIF([") != 0)
        return false;
    if (f->sheet != NULL) {
        if (xmlBufferCCat(b, "$") != 0 || !cat_sheet(b, f->sheet))
            return false;
    }
    if (xmlBufferCCat(b, ".") != 0 || !cat_cell(b, f->first_row, f->col, true) ||
        xmlBufferCCat(b, ":.") != 0 || !cat_cell(b, f->last_row, f->col, true) ||
        xmlBufferCCat(b, "]") != 0)
        return false;
    if (f->fn == TS_FORMULA_COUNTIF) {
        /* A string in OpenFormula doubles its quotes, as Excel's does. */
        if (xmlBufferCCat(b, ";\"") != 0)
            return false;
        for (const char *p = f->criterion; *p != '\0'; p++)
            if (xmlBufferAdd(b, BC(*p == '"' ? "\"\"" : p), *p == '"' ? 2 : 1) != 0)
                return false;
        if (xmlBufferCCat(b, "\"") != 0)
            return false;
    }
    return xmlBufferCCat(b, ")") == 0;
}

bool ts_ods_write_formula(xmlTextWriterPtr w, const ts_formula *f)
{
    return attr_built(w, "table:formula", fill_formula, f);
}

/* ---- The frame in the sheet ------------------------------------------------------------ */

typedef struct ranges_arg {
    const ts_sheet *sheet;
} ranges_arg;

/* Every range the chart reads, so that LibreOffice redraws it when one of them changes. */
static bool fill_ranges(xmlBufferPtr b, const void *arg)
{
    const ts_sheet *s = ((const ranges_arg *)arg)->sheet;
    const ts_chart *c = s->chart;
    if (!cat_range(b, s->name, c->head_row, c->first_col, c->head_row, c->last_col))
        return false;
    for (size_t i = 0; i < c->n_series; i++) {
        size_t row = c->series[i].row;
        if (xmlBufferCCat(b, " ") != 0 ||
            !cat_range(b, s->name, row, c->name_col, row, c->name_col) ||
            xmlBufferCCat(b, " ") != 0 ||
            !cat_range(b, s->name, row, c->first_col, row, c->last_col))
            return false;
    }
    return true;
}

bool ts_ods_write_chart_frame(xmlTextWriterPtr w, const ts_sheet *s, const char *object)
{
    const ts_chart *c = s->chart;
    char href[64];
    snprintf(href, sizeof href, "./%s", object);
    CHECK(start(w, "draw:frame"));
    CHECK(attr(w, "draw:z-index", "0"));
    CHECK(attr(w, "draw:name", object));
    CHECK(attrf(w, "svg:width", "%gpt", c->width));
    CHECK(attrf(w, "svg:height", "%gpt", c->height));
    CHECK(attr(w, "svg:x", "0pt"));
    CHECK(attr(w, "svg:y", "0pt"));
    CHECK(start(w, "draw:object"));
    ranges_arg ra = {s};
    if (!attr_built(w, "draw:notify-on-update-of-ranges", fill_ranges, &ra))
        return false;
    CHECK(attr(w, "xlink:href", href));
    CHECK(attr(w, "xlink:type", "simple"));
    CHECK(attr(w, "xlink:show", "embed"));
    CHECK(attr(w, "xlink:actuate", "onLoad"));
    CHECK(end(w));
    /* What a screen reader says of the chart: its title, and every number in words. */
    CHECK(xmlTextWriterWriteElement(w, BC "svg:title", BC c->title));
    CHECK(xmlTextWriterWriteElement(w, BC "svg:desc", BC c->description));
    CHECK(end(w));
    return true;
}

/* ---- The chart object ------------------------------------------------------------------ */

static const char *const chart_ns[][2] = {
    {"xmlns:office", TS_NS_OFFICE}, {"xmlns:style", TS_NS_STYLE}, {"xmlns:text", TS_NS_TEXT},
    {"xmlns:table", TS_NS_TABLE},   {"xmlns:draw", TS_NS_DRAW},   {"xmlns:fo", TS_NS_FO},
    {"xmlns:xlink", TS_NS_XLINK},   {"xmlns:svg", TS_NS_SVG},     {"xmlns:chart", TS_NS_CHART},
    {"xmlns:number", TS_NS_NUMBER},
};

static bool root(xmlTextWriterPtr w, const char *name)
{
    CHECK(xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL));
    CHECK(start(w, name));
    for (size_t i = 0; i < sizeof chart_ns / sizeof chart_ns[0]; i++)
        CHECK(attr(w, chart_ns[i][0], chart_ns[i][1]));
    CHECK(attr(w, "office:version", TS_ODF_VERSION));
    return true;
}

bool ts_ods_write_chart_styles(xmlTextWriterPtr w)
{
    if (!root(w, "office:document-styles"))
        return false;
    CHECK(start(w, "office:styles"));
    CHECK(end(w));
    CHECK(end(w));
    CHECK(xmlTextWriterEndDocument(w));
    return true;
}

/* The workbook's font at `size`, in `colour` ("#rrggbb"), bold or not. */
static bool text_properties(xmlTextWriterPtr w, const ts_layout *l, double size, const char *colour,
                            bool bold)
{
    CHECK(start(w, "style:text-properties"));
    if (colour != NULL)
        CHECK(attr(w, "fo:color", colour));
    if (l->workbook.font_name != NULL)
        CHECK(attr(w, "fo:font-family", l->workbook.font_name));
    CHECK(attrf(w, "fo:font-size", "%gpt", size));
    CHECK(attrf(w, "style:font-size-asian", "%gpt", size));
    CHECK(attrf(w, "style:font-size-complex", "%gpt", size));
    if (bold) {
        CHECK(attr(w, "fo:font-weight", "bold"));
        CHECK(attr(w, "style:font-weight-asian", "bold"));
        CHECK(attr(w, "style:font-weight-complex", "bold"));
    }
    CHECK(end(w));
    return true;
}

static bool chart_style_start(xmlTextWriterPtr w, const char *name, const char *data_style)
{
    CHECK(start(w, "style:style"));
    CHECK(attr(w, "style:name", name));
    CHECK(attr(w, "style:family", "chart"));
    if (data_style != NULL)
        CHECK(attr(w, "style:data-style-name", data_style));
    return true;
}

/* Whole numbers: the value axis.  NL: a count on a segment, and nothing for 0 (a segment of
 * no height would otherwise wear a "0"), as LibreOffice writes the format "0;;;". */
static bool number_styles(xmlTextWriterPtr w)
{
    CHECK(start(w, "number:number-style"));
    CHECK(attr(w, "style:name", "N0"));
    CHECK(start(w, "number:number"));
    CHECK(attr(w, "number:decimal-places", "0"));
    CHECK(attr(w, "number:min-decimal-places", "0"));
    CHECK(attr(w, "number:min-integer-digits", "1"));
    CHECK(end(w));
    CHECK(end(w));
    CHECK(start(w, "number:number-style"));
    CHECK(attr(w, "style:name", "NL0"));
    CHECK(attr(w, "style:volatile", "true"));
    CHECK(start(w, "number:number"));
    CHECK(attr(w, "number:decimal-places", "0"));
    CHECK(attr(w, "number:min-decimal-places", "0"));
    CHECK(attr(w, "number:min-integer-digits", "1"));
    CHECK(end(w));
    CHECK(end(w));
    CHECK(start(w, "number:number-style"));
    CHECK(attr(w, "style:name", "NL1"));
    CHECK(attr(w, "style:volatile", "true"));
    CHECK(start(w, "number:text"));
    CHECK(end(w));
    CHECK(end(w));
    CHECK(start(w, "number:text-style"));
    CHECK(attr(w, "style:name", "NL"));
    CHECK(start(w, "number:text"));
    CHECK(end(w));
    static const char *const maps[][2] = {
        {"value()>0", "NL0"}, {"value()<0", "NL1"}, {"value()=0", "NL1"}};
    for (size_t i = 0; i < 3; i++) {
        CHECK(start(w, "style:map"));
        CHECK(attr(w, "style:condition", maps[i][0]));
        CHECK(attr(w, "style:apply-style-name", maps[i][1]));
        CHECK(end(w));
    }
    CHECK(end(w));
    return true;
}

static bool chart_styles(xmlTextWriterPtr w, const ts_chart *c, const ts_layout *l)
{
    double size = l->workbook.font_size > 0 ? l->workbook.font_size : 10;
    char hex[8], border[8];
    if (!number_styles(w))
        return false;
    /* The chart's area: white, with a thin grey frame. */
    if (!chart_style_start(w, "chArea", NULL))
        return false;
    CHECK(start(w, "style:graphic-properties"));
    CHECK(attr(w, "draw:stroke", "solid"));
    CHECK(attr(w, "svg:stroke-width", "0.75pt"));
    CHECK(attr(w, "svg:stroke-color", "#b3b3b3"));
    CHECK(attr(w, "draw:fill", "solid"));
    CHECK(attr(w, "draw:fill-color", "#ffffff"));
    CHECK(end(w));
    CHECK(end(w));
    if (!chart_style_start(w, "chTitle", NULL) || !text_properties(w, l, size + 2, NULL, true))
        return false;
    CHECK(end(w));
    /* The legend without a frame, as Excel draws it. */
    if (!chart_style_start(w, "chLegend", NULL))
        return false;
    CHECK(start(w, "style:graphic-properties"));
    CHECK(attr(w, "draw:stroke", "none"));
    CHECK(attr(w, "draw:fill", "none"));
    CHECK(end(w));
    if (!text_properties(w, l, size, NULL, false))
        return false;
    CHECK(end(w));
    if (!chart_style_start(w, "chPlot", NULL))
        return false;
    CHECK(start(w, "style:chart-properties"));
    CHECK(attr(w, "chart:stacked", "true"));
    CHECK(attr(w, "chart:series-source", "rows"));
    CHECK(attr(w, "chart:include-hidden-cells", "false"));
    CHECK(end(w));
    CHECK(end(w));
    if (!chart_style_start(w, "chX", NULL))
        return false;
    CHECK(start(w, "style:chart-properties"));
    CHECK(attr(w, "chart:display-label", "true"));
    CHECK(attr(w, "chart:reverse-direction", "false"));
    CHECK(end(w));
    CHECK(start(w, "style:graphic-properties"));
    CHECK(attr(w, "svg:stroke-color", "#878787"));
    CHECK(end(w));
    if (!text_properties(w, l, size, NULL, false))
        return false;
    CHECK(end(w));
    if (!chart_style_start(w, "chY", "N0"))
        return false;
    CHECK(start(w, "style:chart-properties"));
    CHECK(attr(w, "chart:display-label", "true"));
    CHECK(attr(w, "chart:minimum", "0"));
    CHECK(attrf(w, "chart:maximum", "%.15g", c->axis_max));
    CHECK(attrf(w, "chart:interval-major", "%.15g", c->axis_step));
    CHECK(attr(w, "chart:interval-minor-divisor", "1"));
    CHECK(attr(w, "chart:link-data-style-to-source", "false"));
    /* The columns a little wider than their gaps; overlap 100: a stack, not side by side. */
    CHECK(attr(w, "chart:gap-width", "60"));
    CHECK(attr(w, "chart:overlap", "100"));
    CHECK(end(w));
    CHECK(start(w, "style:graphic-properties"));
    CHECK(attr(w, "svg:stroke-color", "#878787"));
    CHECK(end(w));
    if (!text_properties(w, l, size, NULL, false))
        return false;
    CHECK(end(w));
    if (!chart_style_start(w, "chYTitle", NULL))
        return false;
    CHECK(start(w, "style:chart-properties"));
    CHECK(attr(w, "style:rotation-angle", "90"));
    CHECK(end(w));
    if (!text_properties(w, l, size, NULL, true))
        return false;
    CHECK(end(w));
    if (!chart_style_start(w, "chGrid", NULL))
        return false;
    CHECK(start(w, "style:graphic-properties"));
    CHECK(attr(w, "svg:stroke-color", "#d9d9d9"));
    CHECK(end(w));
    CHECK(end(w));
    if (!chart_style_start(w, "chWall", NULL))
        return false;
    CHECK(start(w, "style:graphic-properties"));
    CHECK(attr(w, "draw:stroke", "none"));
    CHECK(attr(w, "draw:fill", "none"));
    CHECK(end(w));
    CHECK(end(w));
    /* A series in its status's fill with the outline a mark of it has, and its counts on it in
     * the status's text colour. */
    for (size_t i = 0; i < c->n_series; i++) {
        const ts_status_look *look = &l->status[c->series[i].status];
        char name[32];
        snprintf(name, sizeof name, "chS%zu", i + 1);
        if (!chart_style_start(w, name, "NL"))
            return false;
        CHECK(start(w, "style:chart-properties"));
        CHECK(attr(w, "chart:link-data-style-to-source", "false"));
        CHECK(attr(w, "chart:data-label-number", "value"));
        CHECK(attr(w, "chart:data-label-text", "false"));
        CHECK(attr(w, "chart:data-label-symbol", "false"));
        CHECK(attr(w, "chart:label-position", "center"));
        CHECK(end(w));
        ts_ods_colour(look->fill, hex);
        ts_ods_colour(look->border, border);
        CHECK(start(w, "style:graphic-properties"));
        CHECK(attr(w, "draw:stroke", "solid"));
        CHECK(attr(w, "svg:stroke-width", "0.75pt"));
        CHECK(attr(w, "svg:stroke-color", border));
        CHECK(attr(w, "draw:fill", "solid"));
        CHECK(attr(w, "draw:fill-color", hex));
        CHECK(end(w));
        ts_ods_colour(look->text, hex);
        if (!text_properties(w, l, size, hex, false))
            return false;
        CHECK(end(w));
    }
    return true;
}

/* The chart's own copy of its data: the categories, then each series' name and values. */
static bool local_table(xmlTextWriterPtr w, const ts_chart *c)
{
    size_t n = c->last_col - c->first_col + 1;
    char value[32];
    CHECK(start(w, "table:table"));
    CHECK(attr(w, "table:name", "local-table"));
    CHECK(start(w, "table:table-header-columns"));
    CHECK(start(w, "table:table-column"));
    CHECK(end(w));
    CHECK(end(w));
    CHECK(start(w, "table:table-columns"));
    CHECK(start(w, "table:table-column"));
    CHECK(xmlTextWriterWriteFormatAttribute(w, BC "table:number-columns-repeated", "%zu", n));
    CHECK(end(w));
    CHECK(end(w));
    CHECK(start(w, "table:table-header-rows"));
    CHECK(start(w, "table:table-row"));
    CHECK(start(w, "table:table-cell"));
    CHECK(start(w, "text:p"));
    CHECK(end(w));
    CHECK(end(w));
    for (size_t k = 0; k < n; k++) {
        CHECK(start(w, "table:table-cell"));
        CHECK(attr(w, "office:value-type", "string"));
        CHECK(xmlTextWriterWriteElement(w, BC "text:p", BC c->categories[k]));
        CHECK(end(w));
    }
    CHECK(end(w));
    CHECK(end(w));
    CHECK(start(w, "table:table-rows"));
    for (size_t i = 0; i < c->n_series; i++) {
        CHECK(start(w, "table:table-row"));
        CHECK(start(w, "table:table-cell"));
        CHECK(attr(w, "office:value-type", "string"));
        CHECK(xmlTextWriterWriteElement(w, BC "text:p", BC c->series[i].name));
        CHECK(end(w));
        for (size_t k = 0; k < n; k++) {
            snprintf(value, sizeof value, "%.15g", c->series[i].values[k]);
            CHECK(start(w, "table:table-cell"));
            CHECK(attr(w, "office:value-type", "float"));
            CHECK(attr(w, "office:value", value));
            CHECK(xmlTextWriterWriteElement(w, BC "text:p", BC value));
            CHECK(end(w));
        }
        CHECK(end(w));
    }
    CHECK(end(w));
    CHECK(end(w));
    return true;
}

typedef struct range_arg {
    const char *sheet;
    size_t row0, col0, row1, col1;
} range_arg;

static bool fill_range(xmlBufferPtr b, const void *arg)
{
    const range_arg *r = arg;
    return cat_range(b, r->sheet, r->row0, r->col0, r->row1, r->col1);
}

static bool range_attr(xmlTextWriterPtr w, const char *name, range_arg r)
{
    return attr_built(w, name, fill_range, &r);
}

bool ts_ods_write_chart(xmlTextWriterPtr w, const ts_sheet *s, const ts_layout *l)
{
    const ts_chart *c = s->chart;
    if (!root(w, "office:document-content"))
        return false;
    CHECK(start(w, "office:automatic-styles"));
    if (!chart_styles(w, c, l))
        return false;
    CHECK(end(w));
    CHECK(start(w, "office:body"));
    CHECK(start(w, "office:chart"));
    CHECK(start(w, "chart:chart"));
    CHECK(attrf(w, "svg:width", "%gpt", c->width));
    CHECK(attrf(w, "svg:height", "%gpt", c->height));
    CHECK(attr(w, "chart:class", "chart:bar"));
    CHECK(attr(w, "chart:style-name", "chArea"));
    CHECK(start(w, "chart:title"));
    CHECK(attr(w, "chart:style-name", "chTitle"));
    CHECK(xmlTextWriterWriteElement(w, BC "text:p", BC c->title));
    CHECK(end(w));
    CHECK(start(w, "chart:legend"));
    CHECK(attr(w, "chart:legend-position", "end"));
    CHECK(attr(w, "style:legend-expansion", "high"));
    CHECK(attr(w, "chart:style-name", "chLegend"));
    CHECK(end(w));
    CHECK(start(w, "chart:plot-area"));
    CHECK(attr(w, "chart:style-name", "chPlot"));
    size_t last_row = c->series[c->n_series - 1].row;
    if (!range_attr(w, "table:cell-range-address",
                    (range_arg){s->name, c->head_row, c->name_col, last_row, c->last_col}))
        return false;
    CHECK(attr(w, "chart:data-source-has-labels", "both"));
    CHECK(start(w, "chart:axis"));
    CHECK(attr(w, "chart:dimension", "x"));
    CHECK(attr(w, "chart:name", "primary-x"));
    CHECK(attr(w, "chart:style-name", "chX"));
    CHECK(start(w, "chart:categories"));
    if (!range_attr(w, "table:cell-range-address",
                    (range_arg){s->name, c->head_row, c->first_col, c->head_row, c->last_col}))
        return false;
    CHECK(end(w));
    CHECK(end(w));
    CHECK(start(w, "chart:axis"));
    CHECK(attr(w, "chart:dimension", "y"));
    CHECK(attr(w, "chart:name", "primary-y"));
    CHECK(attr(w, "chart:style-name", "chY"));
    CHECK(start(w, "chart:title"));
    CHECK(attr(w, "chart:style-name", "chYTitle"));
    CHECK(xmlTextWriterWriteElement(w, BC "text:p", BC c->value_title));
    CHECK(end(w));
    CHECK(start(w, "chart:grid"));
    CHECK(attr(w, "chart:style-name", "chGrid"));
    CHECK(attr(w, "chart:class", "major"));
    CHECK(end(w));
    CHECK(end(w));
    for (size_t i = 0; i < c->n_series; i++) {
        const ts_chart_series *cs = &c->series[i];
        char name[32];
        snprintf(name, sizeof name, "chS%zu", i + 1);
        CHECK(start(w, "chart:series"));
        CHECK(attr(w, "chart:style-name", name));
        if (!range_attr(w, "chart:values-cell-range-address",
                        (range_arg){s->name, cs->row, c->first_col, cs->row, c->last_col}) ||
            !range_attr(w, "chart:label-cell-address",
                        (range_arg){s->name, cs->row, c->name_col, cs->row, c->name_col}))
            return false;
        CHECK(attr(w, "chart:class", "chart:bar"));
        CHECK(start(w, "chart:data-point"));
        CHECK(xmlTextWriterWriteFormatAttribute(w, BC "chart:repeated", "%zu",
                                                c->last_col - c->first_col + 1));
        CHECK(end(w));
        CHECK(end(w));
    }
    CHECK(start(w, "chart:wall"));
    CHECK(attr(w, "chart:style-name", "chWall"));
    CHECK(end(w));
    CHECK(start(w, "chart:floor"));
    CHECK(attr(w, "chart:style-name", "chWall"));
    CHECK(end(w));
    CHECK(end(w)); /* plot-area */
    if (!local_table(w, c))
        return false;
    CHECK(end(w)); /* chart */
    CHECK(end(w)); /* office:chart */
    CHECK(end(w)); /* body */
    CHECK(end(w)); /* document-content */
    CHECK(xmlTextWriterEndDocument(w));
    return true;
}
