/* The ODS element writers: the literal XML of each style and cell kind. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "book/ods_xml.h"

typedef struct out {
    xmlBufferPtr buf;
    xmlTextWriterPtr w;
} out;

static out open_out(void)
{
    out o;
    o.buf = xmlBufferCreate();
    o.w = xmlNewTextWriterMemory(o.buf, 0);
    assert_non_null(o.w);
    return o;
}

/* Ends the writer and compares what it wrote with `want`. */
static void assert_xml(out *o, const char *want)
{
    xmlFreeTextWriter(o->w);
    const char *have = (const char *)xmlBufferContent(o->buf);
    if (strcmp(have, want) != 0)
        fail_msg("\nhave: %s\nwant: %s", have, want);
    xmlBufferFree(o->buf);
}

static ts_layout test_layout(void)
{
    ts_layout l = {0};
    l.workbook.header_fill = (ts_rgb){0, 114 / 255.0, 198 / 255.0};
    l.workbook.header_text = (ts_rgb){1, 1, 1};
    l.status[TS_STATUS_AT_RISK].fill = (ts_rgb){1, 0.8, 0};
    l.status[TS_STATUS_AT_RISK].text = (ts_rgb){0.1, 0.1, 0.1};
    l.task_status[TS_TASK_DONE].fill = (ts_rgb){0.8, 1, 0.8};
    l.task_status[TS_TASK_DONE].text = (ts_rgb){0, 0, 0};
    return l;
}

static void test_number_styles(void **state)
{
    (void)state;
    out o = open_out();
    assert_true(ts_ods_write_number_style(o.w, "N1", 0, "%"));
    assert_xml(&o, "<number:percentage-style style:name=\"N1\"><number:number "
                   "number:decimal-places=\"0\" number:min-decimal-places=\"0\" "
                   "number:min-integer-digits=\"1\" number:grouping=\"true\"/><number:text> "
                   "%</number:text></number:percentage-style>");
    o = open_out();
    assert_true(ts_ods_write_number_style(o.w, "N2", 1, "kpl"));
    assert_xml(&o, "<number:number-style style:name=\"N2\"><number:number "
                   "number:decimal-places=\"1\" number:min-decimal-places=\"1\" "
                   "number:min-integer-digits=\"1\" number:grouping=\"true\"/><number:text> "
                   "kpl</number:text></number:number-style>");
    o = open_out();
    assert_true(ts_ods_write_number_style(o.w, "N3", 2, NULL));
    assert_xml(&o, "<number:number-style style:name=\"N3\"><number:number "
                   "number:decimal-places=\"2\" number:min-decimal-places=\"2\" "
                   "number:min-integer-digits=\"1\" "
                   "number:grouping=\"true\"/></number:number-style>");
    o = open_out();
    assert_true(ts_ods_write_number_style(o.w, "N4", 0, "m<sup>2</sup> & \"x\""));
    assert_xml(&o,
               "<number:number-style style:name=\"N4\"><number:number "
               "number:decimal-places=\"0\" number:min-decimal-places=\"0\" "
               "number:min-integer-digits=\"1\" number:grouping=\"true\"/><number:text> "
               "m&lt;sup&gt;2&lt;/sup&gt; &amp; &quot;x&quot;</number:text></number:number-style>");
}

static void test_cell_styles(void **state)
{
    (void)state;
    ts_layout l = test_layout();
    out o = open_out();
    ts_ods_cell_style plain = {0};
    assert_true(ts_ods_write_cell_style(o.w, "ce1", &plain, &l));
    assert_xml(&o, "<style:style style:name=\"ce1\" style:family=\"table-cell\" "
                   "style:parent-style-name=\"Default\"><style:table-cell-properties "
                   "fo:border=\"0.06pt solid #808080\" fo:wrap-option=\"wrap\" "
                   "style:vertical-align=\"top\"/></style:style>");
    o = open_out();
    ts_ods_cell_style head = {.head = true};
    assert_true(ts_ods_write_cell_style(o.w, "ce2", &head, &l));
    assert_xml(&o, "<style:style style:name=\"ce2\" style:family=\"table-cell\" "
                   "style:parent-style-name=\"Default\"><style:table-cell-properties "
                   "fo:background-color=\"#0072c6\" fo:border=\"0.06pt solid #808080\" "
                   "fo:wrap-option=\"wrap\" style:vertical-align=\"top\"/><style:text-properties "
                   "fo:color=\"#ffffff\" fo:font-weight=\"bold\" style:font-weight-asian=\"bold\" "
                   "style:font-weight-complex=\"bold\"/></style:style>");
    o = open_out();
    ts_ods_cell_style risk = {.fill = TS_FILL_STATUS, .fill_index = TS_STATUS_AT_RISK};
    assert_true(ts_ods_write_cell_style(o.w, "ce3", &risk, &l));
    assert_xml(&o, "<style:style style:name=\"ce3\" style:family=\"table-cell\" "
                   "style:parent-style-name=\"Default\"><style:table-cell-properties "
                   "fo:background-color=\"#ffcc00\" fo:border=\"0.06pt solid #808080\" "
                   "fo:wrap-option=\"wrap\" style:vertical-align=\"top\"/><style:text-properties "
                   "fo:color=\"#1a1a1a\"/></style:style>");
    o = open_out();
    ts_ods_cell_style done = {.fill = TS_FILL_TASK, .fill_index = TS_TASK_DONE};
    assert_true(ts_ods_write_cell_style(o.w, "ce4", &done, &l));
    assert_xml(&o, "<style:style style:name=\"ce4\" style:family=\"table-cell\" "
                   "style:parent-style-name=\"Default\"><style:table-cell-properties "
                   "fo:background-color=\"#ccffcc\" fo:border=\"0.06pt solid #808080\" "
                   "fo:wrap-option=\"wrap\" style:vertical-align=\"top\"/><style:text-properties "
                   "fo:color=\"#000000\"/></style:style>");
    o = open_out();
    ts_ods_cell_style number = {.number_style = 7};
    assert_true(ts_ods_write_cell_style(o.w, "ce5", &number, &l));
    assert_xml(&o, "<style:style style:name=\"ce5\" style:family=\"table-cell\" "
                   "style:parent-style-name=\"Default\" style:data-style-name=\"N7\">"
                   "<style:table-cell-properties fo:border=\"0.06pt solid #808080\" "
                   "fo:wrap-option=\"wrap\" style:vertical-align=\"top\"/></style:style>");
}

/* A status word with a text after it: a light tint of the status colour (a quarter of it over
 * white), black text.  The pieces of a split text: no border between them. */
static void test_tint_and_pieces(void **state)
{
    (void)state;
    ts_layout l = test_layout();
    out o = open_out();
    ts_ods_cell_style risk = {
        .fill = TS_FILL_STATUS, .fill_index = TS_STATUS_AT_RISK, .tint = true};
    assert_true(ts_ods_write_cell_style(o.w, "ce6", &risk, &l));
    assert_xml(&o, "<style:style style:name=\"ce6\" style:family=\"table-cell\" "
                   "style:parent-style-name=\"Default\"><style:table-cell-properties "
                   "fo:background-color=\"#fff2bf\" fo:border=\"0.06pt solid #808080\" "
                   "fo:wrap-option=\"wrap\" style:vertical-align=\"top\"/><style:text-properties "
                   "fo:color=\"#000000\"/></style:style>");
    o = open_out();
    ts_ods_cell_style first = {.continues = true};
    assert_true(ts_ods_write_cell_style(o.w, "ce7", &first, &l));
    assert_xml(&o, "<style:style style:name=\"ce7\" style:family=\"table-cell\" "
                   "style:parent-style-name=\"Default\"><style:table-cell-properties "
                   "fo:border-left=\"0.06pt solid #808080\" fo:border-right=\"0.06pt solid "
                   "#808080\" fo:border-top=\"0.06pt solid #808080\" fo:border-bottom=\"none\" "
                   "fo:wrap-option=\"wrap\" style:vertical-align=\"top\"/></style:style>");
    o = open_out();
    ts_ods_cell_style middle = {.continues = true, .continued = true};
    assert_true(ts_ods_write_cell_style(o.w, "ce8", &middle, &l));
    assert_xml(&o, "<style:style style:name=\"ce8\" style:family=\"table-cell\" "
                   "style:parent-style-name=\"Default\"><style:table-cell-properties "
                   "fo:border-left=\"0.06pt solid #808080\" fo:border-right=\"0.06pt solid "
                   "#808080\" fo:border-top=\"none\" fo:border-bottom=\"none\" "
                   "fo:wrap-option=\"wrap\" style:vertical-align=\"top\"/></style:style>");
    o = open_out();
    ts_ods_cell_style last = {.continued = true};
    assert_true(ts_ods_write_cell_style(o.w, "ce9", &last, &l));
    assert_xml(&o, "<style:style style:name=\"ce9\" style:family=\"table-cell\" "
                   "style:parent-style-name=\"Default\"><style:table-cell-properties "
                   "fo:border-left=\"0.06pt solid #808080\" fo:border-right=\"0.06pt solid "
                   "#808080\" fo:border-top=\"none\" fo:border-bottom=\"0.06pt solid #808080\" "
                   "fo:wrap-option=\"wrap\" style:vertical-align=\"top\"/></style:style>");
}

static void test_column_style(void **state)
{
    (void)state;
    out o = open_out();
    /* 40 characters: 285 px at 96 dpi. */
    assert_true(ts_ods_write_column_style(o.w, "co2", 40));
    assert_xml(&o, "<style:style style:name=\"co2\" style:family=\"table-column\">"
                   "<style:table-column-properties fo:break-before=\"auto\" "
                   "style:column-width=\"7.541cm\"/></style:style>");
}

/* The runs' lengths are filled from their texts. */
static ts_cell text_cell(ts_cell_run *runs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        runs[i].len = strlen(runs[i].text);
    ts_cell c = {.kind = TS_CELL_TEXT, .runs = runs, .n_runs = n, .row_span = 1};
    return c;
}

static void test_text_cells(void **state)
{
    (void)state;
    ts_cell_run plain[] = {{"Toteutuu", 0, 0}};
    ts_cell c = text_cell(plain, 1);
    out o = open_out();
    assert_true(ts_ods_write_cell(o.w, &c, "ce1", TS_LANG_FI));
    assert_xml(&o, "<table:table-cell table:style-name=\"ce1\" office:value-type=\"string\">"
                   "<text:p>Toteutuu</text:p></table:table-cell>");

    /* Bold, then a new line in plain, then italic and bold italic; the break closes the span. */
    ts_cell_run rich[] = {{"Palveluja parannetaan\n", 0, TS_RUN_BOLD},
                          {"Toimiala ", 0, 0},
                          {"käyttää", 0, TS_RUN_ITALIC},
                          {" <yhteisiä> & ", 0, TS_RUN_BOLD | TS_RUN_ITALIC}};
    c = text_cell(rich, 4);
    c.row_span = 3;
    o = open_out();
    assert_true(ts_ods_write_cell(o.w, &c, "ce2", TS_LANG_FI));
    assert_xml(&o, "<table:table-cell table:style-name=\"ce2\" office:value-type=\"string\" "
                   "table:number-columns-spanned=\"1\" table:number-rows-spanned=\"3\">"
                   "<text:p><text:span text:style-name=\"T1\">Palveluja parannetaan</text:span>"
                   "</text:p><text:p>Toimiala <text:span text:style-name=\"T2\">käyttää</text:span>"
                   "<text:span text:style-name=\"T3\"> &lt;yhteisiä&gt; &amp;<text:s/></text:span>"
                   "</text:p></table:table-cell>");

    /* A nested list item keeps its two-space indent; doubled spaces keep their second. */
    ts_cell_run list[] = {{"• eka\n  • alakohta\n1.  x", 0, 0}};
    c = text_cell(list, 1);
    o = open_out();
    assert_true(ts_ods_write_cell(o.w, &c, NULL, TS_LANG_FI));
    assert_xml(&o, "<table:table-cell office:value-type=\"string\"><text:p>• eka</text:p>"
                   "<text:p><text:s text:c=\"2\"/>• alakohta</text:p><text:p>1. <text:s/>x"
                   "</text:p></table:table-cell>");
}

static void test_number_cells(void **state)
{
    (void)state;
    ts_cell c = {.kind = TS_CELL_NUMBER, .number = 0.7, .decimals = 0, .unit = "%", .row_span = 1};
    out o = open_out();
    assert_true(ts_ods_write_cell(o.w, &c, "ce3", TS_LANG_FI));
    assert_xml(&o, "<table:table-cell table:style-name=\"ce3\" office:value-type=\"percentage\" "
                   "office:value=\"0.7\"><text:p>70 %</text:p></table:table-cell>");
    c = (ts_cell){
        .kind = TS_CELL_NUMBER, .number = 0.725, .decimals = 1, .unit = "%", .row_span = 1};
    o = open_out();
    assert_true(ts_ods_write_cell(o.w, &c, "ce3", TS_LANG_SV));
    assert_xml(&o, "<table:table-cell table:style-name=\"ce3\" office:value-type=\"percentage\" "
                   "office:value=\"0.725\"><text:p>72,5 %</text:p></table:table-cell>");
    c = (ts_cell){
        .kind = TS_CELL_NUMBER, .number = 20, .decimals = 0, .unit = "kpl", .row_span = 1};
    o = open_out();
    assert_true(ts_ods_write_cell(o.w, &c, "ce4", TS_LANG_EN));
    assert_xml(&o, "<table:table-cell table:style-name=\"ce4\" office:value-type=\"float\" "
                   "office:value=\"20\"><text:p>20 kpl</text:p></table:table-cell>");
    c = (ts_cell){.kind = TS_CELL_NUMBER, .number = 1.5, .decimals = 1, .row_span = 1};
    o = open_out();
    assert_true(ts_ods_write_cell(o.w, &c, "ce5", TS_LANG_EN));
    assert_xml(&o, "<table:table-cell table:style-name=\"ce5\" office:value-type=\"float\" "
                   "office:value=\"1.5\"><text:p>1.5</text:p></table:table-cell>");
}

static void test_empty_and_covered_cells(void **state)
{
    (void)state;
    ts_cell c = {.kind = TS_CELL_EMPTY, .row_span = 1};
    out o = open_out();
    assert_true(ts_ods_write_cell(o.w, &c, "ce1", TS_LANG_FI));
    assert_xml(&o, "<table:table-cell table:style-name=\"ce1\"/>");
    c.covered = true;
    o = open_out();
    assert_true(ts_ods_write_cell(o.w, &c, "ce1", TS_LANG_FI));
    assert_xml(&o, "<table:covered-table-cell/>");
}

static void test_colour(void **state)
{
    (void)state;
    char hex[8];
    ts_ods_colour((ts_rgb){0, 0.5, 1}, hex);
    assert_string_equal(hex, "#0080ff");
    ts_ods_colour((ts_rgb){-1, 2, 0.2}, hex);
    assert_string_equal(hex, "#00ff33");
}

/* Formulas in OpenFormula, the value stored beside them; quotes doubled in a sheet's name and in
 * a string. */
static void test_formula_cells(void **state)
{
    (void)state;
    ts_formula countif = {.fn = TS_FORMULA_COUNTIF,
                          .sheet = "Kim's trend",
                          .col = 3,
                          .first_row = 1,
                          .last_row = 27,
                          .criterion = "Say \"x\" ~*"};
    ts_cell c = {.kind = TS_CELL_NUMBER, .number = 3, .row_span = 1, .formula = &countif};
    out o = open_out();
    assert_true(ts_ods_write_cell(o.w, &c, "ce2", TS_LANG_FI));
    assert_xml(&o, "<table:table-cell table:style-name=\"ce2\" "
                   "table:formula=\"of:=COUNTIF([$'Kim''s trend'.$D$2:.$D$28];&quot;Say "
                   "&quot;&quot;x&quot;&quot; ~*&quot;)\" office:value-type=\"float\" "
                   "office:value=\"3\"><text:p>3</text:p></table:table-cell>");
    ts_formula sum = {.fn = TS_FORMULA_SUM, .col = 27, .first_row = 1, .last_row = 5};
    c.formula = &sum;
    c.number = 12;
    o = open_out();
    assert_true(ts_ods_write_cell(o.w, &c, NULL, TS_LANG_FI));
    assert_xml(&o, "<table:table-cell table:formula=\"of:=SUM([.$AB$2:.$AB$6])\" "
                   "office:value-type=\"float\" office:value=\"12\"><text:p>12</text:p>"
                   "</table:table-cell>");
}

/* A sheet of two rounds and two statuses with its chart. */
typedef struct chart_fixture {
    double values[2][2];
    ts_chart_series series[2];
    const char *categories[2];
    ts_chart chart;
    ts_sheet sheet;
} chart_fixture;

static void chart_sheet(chart_fixture *x)
{
    *x = (chart_fixture){.values = {{1, 0}, {2, 3}}};
    x->series[0] = (ts_chart_series){1, "Toteutuu", TS_STATUS_ON_TRACK, x->values[0]};
    x->series[1] = (ts_chart_series){2, "Epävarma", TS_STATUS_AT_RISK, x->values[1]};
    x->categories[0] = "Ennuste 1/2020";
    x->categories[1] = "Ennuste 2/2020";
    x->chart = (ts_chart){.title = "Tila & kehitys",
                          .value_title = "Mittareita",
                          .description = "Ennuste 1/2020: Toteutuu 1, Epävarma 2.",
                          .head_row = 0,
                          .name_col = 0,
                          .first_col = 1,
                          .last_col = 2,
                          .categories = x->categories,
                          .series = x->series,
                          .n_series = 2,
                          .axis_max = 4,
                          .axis_step = 1,
                          .anchor_row = 5,
                          .width = 510,
                          .height = 320};
    x->sheet = (ts_sheet){.name = "Status picture", .n_cols = 3, .n_rows = 3, .chart = &x->chart};
}

static void test_chart_frame(void **state)
{
    (void)state;
    chart_fixture x;
    chart_sheet(&x);
    out o = open_out();
    assert_true(ts_ods_write_chart_frame(o.w, &x.sheet, "Object 1"));
    assert_xml(&o, "<draw:frame draw:z-index=\"0\" draw:name=\"Object 1\" svg:width=\"510pt\" "
                   "svg:height=\"320pt\" svg:x=\"0pt\" svg:y=\"0pt\"><draw:object "
                   "draw:notify-on-update-of-ranges=\"'Status picture'.B1:'Status picture'.C1 "
                   "'Status picture'.A2:'Status picture'.A2 'Status picture'.B2:'Status "
                   "picture'.C2 'Status picture'.A3:'Status picture'.A3 'Status "
                   "picture'.B3:'Status picture'.C3\" xlink:href=\"./Object 1\" "
                   "xlink:type=\"simple\" xlink:show=\"embed\" xlink:actuate=\"onLoad\"/>"
                   "<svg:title>Tila &amp; kehitys</svg:title><svg:desc>Ennuste 1/2020: Toteutuu "
                   "1, Epävarma 2.</svg:desc></draw:frame>");
}

/* The chart object: a stacked bar chart whose series name the sheet's cells, in the status
 * colours, its counts on the segments (none for 0), the axis from the table, and a copy of the
 * values. */
static void test_chart_object(void **state)
{
    (void)state;
    chart_fixture x;
    chart_sheet(&x);
    ts_layout l = test_layout();
    l.workbook.font_name = "Arial";
    l.workbook.font_size = 10;
    l.status[TS_STATUS_ON_TRACK].fill = (ts_rgb){0, 122 / 255.0, 100 / 255.0};
    l.status[TS_STATUS_ON_TRACK].text = (ts_rgb){1, 1, 1};
    l.status[TS_STATUS_ON_TRACK].border = l.status[TS_STATUS_ON_TRACK].fill;
    l.status[TS_STATUS_AT_RISK].border = (ts_rgb){0, 0, 0};
    xmlBufferPtr buf = xmlBufferCreate();
    xmlTextWriterPtr w = xmlNewTextWriterMemory(buf, 0);
    assert_true(ts_ods_write_chart(w, &x.sheet, &l));
    xmlFreeTextWriter(w);
    const char *xml = (const char *)xmlBufferContent(buf);
    xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "chart.xml", NULL, XML_PARSE_NONET);
    assert_non_null(doc); /* well-formed, namespaces declared */
    xmlFreeDoc(doc);
    static const char *const want[] = {
        "<chart:chart svg:width=\"510pt\" svg:height=\"320pt\" chart:class=\"chart:bar\"",
        "chart:stacked=\"true\"",
        "<chart:title chart:style-name=\"chTitle\"><text:p>Tila &amp; kehitys</text:p>",
        "<chart:legend chart:legend-position=\"end\"",
        "table:cell-range-address=\"'Status picture'.A1:'Status picture'.C3\"",
        "<chart:categories table:cell-range-address=\"'Status picture'.B1:'Status "
        "picture'.C1\"/>",
        "chart:minimum=\"0\" chart:maximum=\"4\" chart:interval-major=\"1\"",
        "<text:p>Mittareita</text:p>",
        "<chart:series chart:style-name=\"chS1\" chart:values-cell-range-address=\"'Status "
        "picture'.B2:'Status picture'.C2\" chart:label-cell-address=\"'Status "
        "picture'.A2:'Status picture'.A2\" chart:class=\"chart:bar\"><chart:data-point "
        "chart:repeated=\"2\"/></chart:series>",
        "chart:values-cell-range-address=\"'Status picture'.B3:'Status picture'.C3\"",
        /* The series' look: on track green with white counts; at risk yellow, outlined black. */
        "<style:style style:name=\"chS1\" style:family=\"chart\" style:data-style-name=\"NL\">",
        "draw:fill=\"solid\" draw:fill-color=\"#007a64\"/><style:text-properties "
        "fo:color=\"#ffffff\" fo:font-family=\"Arial\" fo:font-size=\"10pt\"",
        "svg:stroke-color=\"#000000\" draw:fill=\"solid\" draw:fill-color=\"#ffcc00\"",
        "chart:data-label-number=\"value\"",
        "<style:map style:condition=\"value()=0\" style:apply-style-name=\"NL1\"/>",
        /* The copy of the data. */
        "<table:table table:name=\"local-table\">",
        "<table:table-cell office:value-type=\"string\"><text:p>Ennuste 2/2020</text:p>",
        "<text:p>Epävarma</text:p></table:table-cell><table:table-cell "
        "office:value-type=\"float\" office:value=\"2\"><text:p>2</text:p></table:table-cell>"
        "<table:table-cell office:value-type=\"float\" office:value=\"3\">",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (strstr(xml, want[i]) == NULL)
            fail_msg("the chart lacks %s\nit is: %s", want[i], xml);
    xmlBufferFree(buf);
}

/* A status word alone (a text of one bold run): bold in the cell's style and no span, as the
 * XLSX's cell format says it, so that a reader finds the same cell in both files. */
static void test_one_run_in_the_cell_style(void **state)
{
    (void)state;
    ts_layout l = test_layout();
    ts_cell_run word[] = {{"Epävarma", 0, TS_RUN_BOLD}};
    ts_cell c = text_cell(word, 1);
    out o = open_out();
    assert_true(ts_ods_write_cell(o.w, &c, "ce4", TS_LANG_FI));
    assert_xml(&o, "<table:table-cell table:style-name=\"ce4\" office:value-type=\"string\">"
                   "<text:p>Epävarma</text:p></table:table-cell>");
    ts_ods_cell_style st = {.fill = TS_FILL_STATUS,
                            .fill_index = TS_STATUS_AT_RISK,
                            .style = TS_RUN_BOLD | TS_RUN_ITALIC};
    o = open_out();
    assert_true(ts_ods_write_cell_style(o.w, "ce4", &st, &l));
    assert_xml(&o, "<style:style style:name=\"ce4\" style:family=\"table-cell\" "
                   "style:parent-style-name=\"Default\"><style:table-cell-properties "
                   "fo:background-color=\"#ffcc00\" fo:border=\"0.06pt solid #808080\" "
                   "fo:wrap-option=\"wrap\" style:vertical-align=\"top\"/><style:text-properties "
                   "fo:color=\"#1a1a1a\" fo:font-weight=\"bold\" style:font-weight-asian=\"bold\" "
                   "style:font-weight-complex=\"bold\" fo:font-style=\"italic\" "
                   "style:font-style-asian=\"italic\" style:font-style-complex=\"italic\"/>"
                   "</style:style>");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_number_styles), cmocka_unit_test(test_cell_styles),
        cmocka_unit_test(test_column_style),  cmocka_unit_test(test_text_cells),
        cmocka_unit_test(test_number_cells),  cmocka_unit_test(test_empty_and_covered_cells),
        cmocka_unit_test(test_colour),        cmocka_unit_test(test_tint_and_pieces),
        cmocka_unit_test(test_formula_cells), cmocka_unit_test(test_chart_frame),
        cmocka_unit_test(test_chart_object),  cmocka_unit_test(test_one_run_in_the_cell_style),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
