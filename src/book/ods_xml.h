/* The ODS writer's element writers, exposed for the unit tests (tests/unit/test_ods.c) only.
 * Each writes one element (and its children) with an xmlTextWriter whose namespace prefixes
 * the caller has declared; each returns false when the writer failed. */
#ifndef TS_ODS_XML_H
#define TS_ODS_XML_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/xmlwriter.h>

#include "layout/layout.h"
#include "round/model.h"
#include "book/table.h"

#define TS_NS_OFFICE   "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define TS_NS_STYLE    "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
#define TS_NS_TEXT     "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define TS_NS_TABLE    "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
#define TS_NS_DRAW     "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
#define TS_NS_CHART    "urn:oasis:names:tc:opendocument:xmlns:chart:1.0"
#define TS_NS_FO       "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
#define TS_NS_NUMBER   "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
#define TS_NS_SVG      "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
#define TS_NS_XLINK    "http://www.w3.org/1999/xlink"
#define TS_NS_OF       "urn:oasis:names:tc:opendocument:xmlns:of:1.2"
#define TS_NS_META     "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
#define TS_NS_DC       "http://purl.org/dc/elements/1.1/"
#define TS_NS_CONFIG   "urn:oasis:names:tc:opendocument:xmlns:config:1.0"
#define TS_NS_OOO      "http://openoffice.org/2004/office"
#define TS_NS_MANIFEST "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"

#define TS_ODF_VERSION "1.3"

/* What makes two cells' automatic styles differ. */
typedef struct ts_ods_cell_style {
    bool head;
    ts_cell_fill fill;
    int fill_index;
    bool tint;                 /* the fill a light tint of the status colour (ts_cell) */
    bool continues, continued; /* no border below, above: pieces of one split text */
    int number_style;          /* 0: none, else the N<number_style> data style */
    /* The TS_RUN_BOLD / TS_RUN_ITALIC of a text of one run (a status word alone): the cell's
     * own, as the XLSX's cell format carries it, so that both files say the same of the cell
     * (ts_ods_write_cell writes such a text without a span). */
    unsigned style;
    bool text; /* a form's text column: the text data style */
} ts_ods_cell_style;

/* <number:percentage-style> for unit "%", else <number:number-style> with the unit after a
 * space (or no text for a plain number). */
bool ts_ods_write_number_style(xmlTextWriterPtr w, const char *name, int decimals,
                               const char *unit);

/* <style:style style:family="table-cell">: wrapped, top-aligned, thin border (none between the
 * pieces of a split text), the fill and text colour of a head or status cell, bold for a
 * head. */
bool ts_ods_write_cell_style(xmlTextWriterPtr w, const char *name, const ts_ods_cell_style *s,
                             const ts_layout *l);

/* <style:style style:family="table-column"> of a width given in characters (as Excel counts
 * them), converted to cm. */
bool ts_ods_write_column_style(xmlTextWriterPtr w, const char *name, double width_chars);

/* A cell's text as <text:p> per line, bold/italic runs as <text:span> of the automatic text
 * styles T1 (bold), T2 (italic), T3 (bold italic), runs of spaces as <text:s>. */
bool ts_ods_write_paragraphs(xmlTextWriterPtr w, const ts_cell_run *runs, size_t n_runs);

/* One <table:table-cell> (or <table:covered-table-cell>), with its value, style and span; a text
 * of one run without a span, its cell style having the run's style (ts_ods_cell_style.style).
 * `lang` picks the decimal separator of a number's shown text. */
bool ts_ods_write_cell(xmlTextWriterPtr w, const ts_cell *c, const char *style_name, ts_lang lang);

/* The same with what a form's cell may have besides (either may be NULL): a note on it (an
 * <office:annotation>) and the name of the content validation (drop-down list) it offers. */
bool ts_ods_write_form_cell(xmlTextWriterPtr w, const ts_cell *c, const char *style_name,
                            ts_lang lang, const char *note, const char *validation);

/* The <table:content-validation> of a drop-down list named `name` (the list's words, or the
 * range of another sheet's column from its second row down), a value off the list warned
 * about, not refused. */
bool ts_ods_write_list_validation(xmlTextWriterPtr w, const char *name, const ts_cell_list *l);

/* The text a number cell shows ("70 %", "20 kpl", "1,5 %"), as LibreOffice would. */
char *ts_ods_number_text(ts_arena *a, const ts_cell *c, ts_lang lang);

/* "#rrggbb". */
void ts_ods_colour(ts_rgb c, char out[8]);

/* ---- Formulas and the chart (ods_chart.c) ---------------------------------------------- */

/* The table:formula attribute of a cell (inside its start tag), in OpenFormula:
 * of:=COUNTIF([$'Kehitys'.$D$2:.$D$6];"Toteutuu"), of:=SUM([.$B$2:.$B$6]). */
bool ts_ods_write_formula(xmlTextWriterPtr w, const ts_formula *f);

/* The draw:frame that shows the chart of sheet s (s->chart), the embedded object `object`
 * ("Object 1"), with the chart's title and description as its svg:title and svg:desc. */
bool ts_ods_write_chart_frame(xmlTextWriterPtr w, const ts_sheet *s, const char *object);

/* The chart object's content.xml: the whole document, s->chart drawn from s's cells in the
 * layout's status colours and the workbook's font. */
bool ts_ods_write_chart(xmlTextWriterPtr w, const ts_sheet *s, const ts_layout *l);

/* The chart object's styles.xml (it has no styles of its own but the automatic ones). */
bool ts_ods_write_chart_styles(xmlTextWriterPtr w);

#endif
