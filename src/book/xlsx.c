/* The XLSX workbook (libxlsxwriter), written from the shared table (table.h). */
#include "writer/writer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "book/table.h"

/* What makes two cells' formats differ.  `fragment` formats are the fonts of the pieces of a
 * rich string; the others are whole-cell formats. */
typedef struct fmt_key {
    bool fragment;
    bool head;
    ts_cell_fill fill;
    int fill_index;
    bool tint;
    bool continues, continued; /* no border below, above */
    bool number;
    int decimals;
    const char *unit;
    unsigned style;
    bool text;   /* a form's text column: the "@" format */
    bool column; /* a form column's own format: wrapped and top-aligned, no border */
} fmt_key;

typedef struct fmt_entry {
    fmt_key key;
    lxw_format *format;
} fmt_entry;

typedef struct xlsx_writer {
    const ts_build_ctx *ctx;
    lxw_workbook *wb;
    ts_arena *a;
    ts_vec formats; /* of fmt_entry */
    const char *path;
    ts_diags *diags;
} xlsx_writer;

static lxw_color_t colour(ts_rgb c)
{
    unsigned r = (unsigned)lround(fmin(fmax(c.r, 0), 1) * 255);
    unsigned g = (unsigned)lround(fmin(fmax(c.g, 0), 1) * 255);
    unsigned b = (unsigned)lround(fmin(fmax(c.b, 0), 1) * 255);
    lxw_color_t rgb = (lxw_color_t)(r << 16 | g << 8 | b);
    /* 0 is libxlsxwriter's "no colour" (the theme's): black has a value of its own. */
    return rgb == 0 ? LXW_COLOR_BLACK : rgb;
}

static bool same_key(const fmt_key *x, const fmt_key *y)
{
    if (x->fragment != y->fragment || x->head != y->head || x->fill != y->fill ||
        x->number != y->number || x->style != y->style || x->text != y->text ||
        x->column != y->column)
        return false;
    if (x->fill != TS_FILL_NONE && (x->fill_index != y->fill_index || x->tint != y->tint))
        return false;
    if (x->continues != y->continues || x->continued != y->continued)
        return false;
    if (x->number && (x->decimals != y->decimals || (x->unit == NULL) != (y->unit == NULL) ||
                      (x->unit != NULL && strcmp(x->unit, y->unit) != 0)))
        return false;
    return true;
}

/* An Excel number format: grouped digits, the decimals the value needs, then the unit.  A
 * percentage is "0 %" (the space as Finnish and Swedish print it); another unit is quoted. */
static char *number_format(ts_arena *a, int decimals, const char *unit)
{
    if (decimals < 0)
        return NULL; /* General */
    char digits[16] = "#,##0";
    if (decimals > 0) {
        strcat(digits, ".");
        for (int i = 0; i < decimals && i < 9; i++)
            strcat(digits, "0");
    }
    if (unit == NULL)
        return ts_arena_strdup(a, digits);
    if (strcmp(unit, "%") == 0)
        return ts_arena_printf(a, "%s\\ %%", digits);
    /* A quote inside the unit closes the quoted part, is escaped, and reopens it. */
    size_t n = strlen(unit);
    char *out = ts_arena_alloc(a, strlen(digits) + 4 * n + 8);
    if (out == NULL)
        return NULL;
    char *p = out + sprintf(out, "%s\" ", digits);
    for (size_t i = 0; i < n; i++) {
        if (unit[i] == '"') {
            memcpy(p, "\"\\\"\"", 4);
            p += 4;
        } else {
            *p++ = unit[i];
        }
    }
    strcpy(p, "\"");
    return out;
}

static lxw_format *get_format(xlsx_writer *x, const fmt_key *key)
{
    fmt_entry *es = x->formats.items;
    for (size_t i = 0; i < x->formats.len; i++)
        if (same_key(&es[i].key, key))
            return es[i].format;
    const ts_layout *l = x->ctx->layout;
    lxw_format *f = workbook_add_format(x->wb);
    fmt_entry *e = ts_vec_push(x->a, &x->formats, sizeof *e);
    if (f == NULL || e == NULL)
        return NULL;
    e->key = *key;
    e->format = f;
    if (l->workbook.font_name != NULL)
        format_set_font_name(f, l->workbook.font_name);
    if (l->workbook.font_size > 0)
        format_set_font_size(f, l->workbook.font_size);
    if (key->style & TS_RUN_BOLD || key->head)
        format_set_bold(f);
    if (key->style & TS_RUN_ITALIC)
        format_set_italic(f);
    ts_rgb fill, text;
    bool coloured =
        ts_cell_colours(l, key->head, key->fill, key->fill_index, key->tint, &fill, &text);
    if (coloured)
        format_set_font_color(f, colour(text));
    if (key->fragment)
        return f;

    format_set_text_wrap(f);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    if (key->text)
        format_set_num_format(f, "@");
    if (key->column)
        return f;
    format_set_border(f, LXW_BORDER_THIN);
    format_set_border_color(f, 0x808080);
    /* The pieces of a split text read as one cell: no line between them. */
    if (key->continues)
        format_set_bottom(f, LXW_BORDER_NONE);
    if (key->continued)
        format_set_top(f, LXW_BORDER_NONE);
    if (coloured)
        format_set_bg_color(f, colour(fill));
    if (key->number && key->decimals >= 0) {
        char *nf = number_format(x->a, key->decimals, key->unit);
        if (nf == NULL)
            return NULL;
        format_set_num_format(f, nf);
    }
    return f;
}

static fmt_key cell_key(const ts_cell *c)
{
    fmt_key k = {.head = c->head,
                 .fill = c->fill,
                 .fill_index = c->fill_index,
                 .tint = c->tint,
                 .continues = c->continues,
                 .continued = c->continued};
    if (c->kind == TS_CELL_NUMBER) {
        k.number = true;
        k.decimals = c->decimals;
        k.unit = c->unit;
    }
    /* A text of one run is written as a plain string: the cell's format carries its style. */
    if (c->kind == TS_CELL_TEXT && c->n_runs == 1)
        k.style = c->runs[0].style;
    return k;
}

/* ---- Formulas and the chart (table.h) ---------------------------------------------------- */

/* Appends s with every `quote` doubled, as Excel writes a quoted sheet name or a string. */
static char *append_quoted(ts_arena *a, const char *head, const char *s, char quote)
{
    size_t n = strlen(head), extra = 0;
    for (const char *p = s; *p != '\0'; p++)
        extra += *p == quote ? 2 : 1;
    char *out = ts_arena_alloc(a, n + extra + 1);
    if (out == NULL)
        return NULL;
    memcpy(out, head, n);
    char *o = out + n;
    for (const char *p = s; *p != '\0'; p++) {
        if (*p == quote)
            *o++ = quote;
        *o++ = *p;
    }
    *o = '\0';
    return out;
}

/* The formula in Excel's syntax: =COUNTIF('Kehitys'!$D$2:$D$6,"Toteutuu"), =SUM($B$2:$B$6). */
static char *excel_formula(ts_arena *a, const ts_formula *f)
{
    char col[4];
    ts_column_name(f->col, col);
    char *ref = ts_arena_printf(a, "$%s$%zu:$%s$%zu", col, f->first_row + 1, col, f->last_row + 1);
    if (ref == NULL)
        return NULL;
    if (f->sheet != NULL) {
        char *sheet = append_quoted(a, "'", f->sheet, '\'');
        ref = sheet == NULL ? NULL : ts_arena_printf(a, "%s'!%s", sheet, ref);
        if (ref == NULL)
            return NULL;
    }
    if (f->fn == TS_FORMULA_SUM)
        return ts_arena_printf(a, "=SUM(%s)", ref);
    char *criterion = append_quoted(a, "", f->criterion, '"');
    return criterion == NULL ? NULL : ts_arena_printf(a, "=COUNTIF(%s,\"%s\")", ref, criterion);
}

static lxw_error write_cell(xlsx_writer *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                            const ts_cell *c, lxw_format *f)
{
    switch (c->kind) {
    case TS_CELL_NUMBER:
        if (c->formula != NULL) {
            /* The value is stored beside the formula, for a reader that does not recalculate. */
            char *formula = excel_formula(x->a, c->formula);
            if (formula == NULL)
                return LXW_ERROR_MEMORY_MALLOC_FAILED;
            return worksheet_write_formula_num(ws, row, col, formula, f, c->number);
        }
        return worksheet_write_number(ws, row, col, c->number, f);
    case TS_CELL_TEXT:
        if (c->n_runs == 1)
            return worksheet_write_string(ws, row, col, c->text, f);
        break;
    default:
        return worksheet_write_blank(ws, row, col, f);
    }
    /* A rich string: libxlsxwriter wants NUL-terminated fragments, none empty (the table never
     * makes an empty run), at least two (a single run was written above). */
    lxw_rich_string_tuple *tuples = ts_arena_calloc(x->a, c->n_runs, sizeof *tuples);
    lxw_rich_string_tuple **list = ts_arena_calloc(x->a, c->n_runs + 1, sizeof *list);
    if (tuples == NULL || list == NULL)
        return LXW_ERROR_MEMORY_MALLOC_FAILED;
    fmt_key base = cell_key(c);
    for (size_t i = 0; i < c->n_runs; i++) {
        fmt_key k = base;
        k.fragment = true;
        k.style = c->runs[i].style;
        tuples[i].format = get_format(x, &k);
        tuples[i].string = ts_arena_strndup(x->a, c->runs[i].text, c->runs[i].len);
        if (tuples[i].format == NULL || tuples[i].string == NULL)
            return LXW_ERROR_MEMORY_MALLOC_FAILED;
        list[i] = &tuples[i];
    }
    return worksheet_write_rich_string(ws, row, col, list, f);
}

static bool check(xlsx_writer *x, lxw_error err, const char *what)
{
    if (err == LXW_NO_ERROR)
        return true;
    ts_fault fault = err == LXW_ERROR_MEMORY_MALLOC_FAILED ? TS_FAULT_NO_MEMORY : TS_FAULT_SYSTEM;
    ts_diag_fault(x->diags, x->path, (ts_pos){0, 0}, fault, "cannot write the workbook (%s): %s",
                  what, lxw_strerror(err));
    return false;
}

/* The chart's values as its cache in the file (c:numCache): libxlsxwriter fills the cache from
 * the cells it holds, and a formula's cell counts there as 0, so a reader that draws a chart from
 * its cache (a previewer, a chart pasted elsewhere) would show nothing.  The points are freed
 * with the chart; ignore_cache keeps libxlsxwriter from adding its own. */
static bool set_cache(lxw_series_range *range, const double *values, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        lxw_series_data_point *p = calloc(1, sizeof *p);
        if (p == NULL)
            return false;
        p->number = values[i];
        STAILQ_INSERT_TAIL(range->data_cache, p, list_pointers);
    }
    range->num_data_points = (uint16_t)n;
    range->ignore_cache = LXW_TRUE;
    return true;
}

/* A stacked column chart of the sheet's cells (table.h), in the layout's status colours and the
 * workbook's font, each segment with its count (none on an empty one). */
static bool add_chart(xlsx_writer *x, lxw_worksheet *ws, const ts_sheet *s)
{
    const ts_chart *c = s->chart;
    const ts_layout *l = x->ctx->layout;
    char *font_name = (char *)l->workbook.font_name;
    double size = l->workbook.font_size > 0 ? l->workbook.font_size : 10;
    lxw_chart *chart = workbook_add_chart(x->wb, LXW_CHART_COLUMN_STACKED);
    if (chart == NULL)
        return check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "chart");
    for (size_t i = 0; i < c->n_series; i++) {
        const ts_chart_series *cs = &c->series[i];
        const ts_status_look *look = &l->status[cs->status];
        lxw_chart_series *se = chart_add_series(chart, NULL, NULL);
        if (se == NULL)
            return check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "chart");
        chart_series_set_categories(se, s->name, (lxw_row_t)c->head_row, (lxw_col_t)c->first_col,
                                    (lxw_row_t)c->head_row, (lxw_col_t)c->last_col);
        chart_series_set_values(se, s->name, (lxw_row_t)cs->row, (lxw_col_t)c->first_col,
                                (lxw_row_t)cs->row, (lxw_col_t)c->last_col);
        chart_series_set_name_range(se, s->name, (lxw_row_t)cs->row, (lxw_col_t)c->name_col);
        if (!set_cache(se->values, cs->values, c->last_col - c->first_col + 1))
            return check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "chart");
        lxw_chart_fill fill = {.color = colour(look->fill)};
        chart_series_set_fill(se, &fill);
        /* The outline a mark of the status has (the light grey and the yellow need one). */
        lxw_chart_line line = {.color = colour(look->border), .width = 0.75};
        chart_series_set_line(se, &line);
        chart_series_set_labels(se);
        chart_series_set_labels_position(se, LXW_CHART_LABEL_POSITION_CENTER);
        chart_series_set_labels_num_format(se, "0;;;"); /* a zero count: no label */
        lxw_chart_font label = {.name = font_name, .size = size, .color = colour(look->text)};
        chart_series_set_labels_font(se, &label);
    }
    lxw_chart_font title = {.name = font_name, .size = size + 2, .bold = LXW_TRUE};
    chart_title_set_name(chart, c->title);
    chart_title_set_name_font(chart, &title);
    lxw_chart_font text = {.name = font_name, .size = size};
    lxw_chart_font axis_title = {.name = font_name, .size = size, .bold = LXW_TRUE};
    chart_axis_set_num_font(chart->x_axis, &text);
    chart_axis_set_num_font(chart->y_axis, &text);
    chart_axis_set_name(chart->y_axis, c->value_title);
    chart_axis_set_name_font(chart->y_axis, &axis_title);
    chart_axis_set_min(chart->y_axis, 0);
    chart_axis_set_max(chart->y_axis, c->axis_max);
    chart_axis_set_major_unit(chart->y_axis, c->axis_step);
    chart_axis_set_num_format(chart->y_axis, "0");
    chart_legend_set_position(chart, LXW_CHART_LEGEND_RIGHT);
    chart_legend_set_font(chart, &text);
    chart_set_series_gap(chart, 60);
    /* libxlsxwriter's chart is 480 x 288 px before it is scaled; 1 px is 0.75 pt. */
    lxw_chart_options opts = {.x_scale = c->width / 0.75 / 480.0,
                              .y_scale = c->height / 0.75 / 288.0,
                              .description = (char *)c->description};
    return check(x,
                 worksheet_insert_chart_opt(ws, (lxw_row_t)c->anchor_row, (lxw_col_t)c->anchor_col,
                                            chart, &opts),
                 "chart");
}

/* 'Name' as a formula names a sheet: quoted, its quotes doubled. */
static char *sheet_ref(ts_arena *a, const char *name)
{
    size_t n = strlen(name);
    char *q = ts_arena_alloc(a, 2 * n + 3), *p = q;
    if (q == NULL)
        return NULL;
    *p++ = '\'';
    for (size_t i = 0; i < n; i++) {
        if (name[i] == '\'')
            *p++ = '\'';
        *p++ = name[i];
    }
    *p++ = '\'';
    *p = '\0';
    return q;
}

/* A form's columns: the note on each head, and each drop-down list over the column's cells
 * below the head down to the last row a sheet has, so that the rows a planner adds have it. */
static bool write_form_columns(xlsx_writer *x, lxw_worksheet *ws, const ts_sheet *s)
{
    for (size_t c = 0; c < s->n_cols; c++) {
        const ts_column *col = &s->columns[c];
        if (col->note != NULL && s->header_rows > 0) {
            lxw_comment_options opt = {.author = "taseuranta", .width = 300, .height = 110};
            if (!check(x, worksheet_write_comment_opt(ws, 0, (lxw_col_t)c, col->note, &opt),
                       "a note"))
                return false;
        }
        const ts_cell_list *l = col->list;
        if (l == NULL)
            continue;
        lxw_data_validation dv = {
            .validate = LXW_VALIDATION_TYPE_LIST,
            .ignore_blank = LXW_VALIDATION_ON,
            .error_type = LXW_VALIDATION_ERROR_TYPE_WARNING,
        };
        if (l->words != NULL) {
            const char **list = ts_arena_calloc(x->a, l->n_words + 1, sizeof *list);
            if (list == NULL)
                return check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "a list");
            for (size_t i = 0; i < l->n_words; i++)
                list[i] = l->words[i];
            dv.value_list = (char **)list;
        } else {
            char letters[16];
            ts_cell_name(1, (uint32_t)l->col + 1, letters);
            letters[strcspn(letters, "0123456789")] = '\0';
            char *sheet = sheet_ref(x->a, l->sheet);
            dv.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
            dv.value_formula = sheet ? ts_arena_printf(x->a, "=%s!$%s$2:$%s$%u", sheet, letters,
                                                       letters, (unsigned)LXW_ROW_MAX)
                                     : NULL;
            if (dv.value_formula == NULL)
                return check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "a list");
        }
        lxw_row_t first = (lxw_row_t)s->header_rows;
        if (!check(x,
                   worksheet_data_validation_range(ws, first, (lxw_col_t)c, LXW_ROW_MAX - 1,
                                                   (lxw_col_t)c, &dv),
                   "a list"))
            return false;
    }
    return true;
}

static bool write_sheet(xlsx_writer *x, const ts_sheet *s)
{
    lxw_error err = workbook_validate_sheet_name(x->wb, s->name);
    if (!check(x, err, s->name))
        return false;
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, s->name);
    if (ws == NULL)
        return check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, s->name);
    for (size_t c = 0; c < s->n_cols; c++) {
        lxw_format *cf = NULL;
        if (s->columns != NULL) {
            fmt_key ck = {.column = true, .text = s->columns[c].text};
            if ((cf = get_format(x, &ck)) == NULL)
                return check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "format");
        }
        if (!check(x, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, s->widths[c], cf),
                   "column width"))
            return false;
    }
    for (size_t r = 0; r < s->n_rows; r++) {
        /* Every row's height is given: Excel keeps a row at the height in the file, and
         * LibreOffice leaves a row without one a single line high, whatever its text.  The
         * table keeps every row within Excel's 409 pt. */
        double h = s->row_heights[r];
        if (h > 0 && !check(x, worksheet_set_row(ws, (lxw_row_t)r, h, NULL), "row height"))
            return false;
        for (size_t col = 0; col < s->n_cols; col++) {
            const ts_cell *c = ts_sheet_cell(s, r, col);
            if (c->covered)
                continue;
            fmt_key k = cell_key(c);
            k.text =
                s->columns != NULL && s->columns[col].text && !c->head && c->kind != TS_CELL_NUMBER;
            lxw_format *f = get_format(x, &k);
            if (f == NULL)
                return check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "format");
            if (c->row_span > 1) {
                err =
                    worksheet_merge_range(ws, (lxw_row_t)r, (lxw_col_t)col,
                                          (lxw_row_t)(r + c->row_span - 1), (lxw_col_t)col, "", f);
                if (!check(x, err, "merged cells"))
                    return false;
            }
            if (!check(x, write_cell(x, ws, (lxw_row_t)r, (lxw_col_t)col, c, f), "a cell"))
                return false;
        }
    }
    if (s->columns != NULL && !write_form_columns(x, ws, s))
        return false;
    if (s->header_rows > 0) {
        worksheet_freeze_panes(ws, (lxw_row_t)s->header_rows, 0);
        if (!check(x, worksheet_repeat_rows(ws, 0, (lxw_row_t)(s->header_rows - 1)),
                   "print titles"))
            return false;
    }
    if (s->autofilter && s->n_rows > 0 &&
        !check(
            x,
            worksheet_autofilter(ws, 0, 0, (lxw_row_t)(s->n_rows - 1), (lxw_col_t)(s->n_cols - 1)),
            "autofilter"))
        return false;
    if (s->chart != NULL && !add_chart(x, ws, s))
        return false;
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 8); /* A3 */
    /* The page the row heights were bounded by (table.h), in inches. */
    double margin = TS_PRINT_MARGIN / 72.0;
    worksheet_set_margins(ws, margin, margin, margin, margin);
    /* The council's sheets print one page wide; a form's wide sheets print at their own size,
     * over as many pages as they need, so that a planner can read what is printed. */
    if (s->columns == NULL)
        worksheet_fit_to_pages(ws, 1, 0);
    return true;
}

/* The workbook's Normal style takes the layout's font (libxlsxwriter gives it Calibri 11, and
 * has no call to change it): a column's width counts the maximum digit width of that font.
 * Excel's Arial 10 digit is 7 px like Calibri 11's, so Excel's columns stay as wide as the row
 * heights were measured for; but LibreOffice, where Calibri is missing, would measure the
 * digit of its stand-in (DejaVu Sans: a third wider) and print every column, and so the whole
 * sheet, a third wider and smaller.  The Normal format is the first one libxlsxwriter makes,
 * and its fonts are gathered from the formats only when the workbook is closed. */
static void set_normal_font(xlsx_writer *x)
{
    const ts_workbook_layout *wl = &x->ctx->layout->workbook;
    lxw_format *normal = STAILQ_FIRST(x->wb->formats);
    if (normal == NULL || wl->font_name == NULL)
        return;
    format_set_font_name(normal, wl->font_name);
    if (wl->font_size > 0)
        format_set_font_size(normal, wl->font_size);
    /* "minor" would make Excel take the theme's font (Calibri) instead of the name. */
    format_set_font_scheme(normal, "");
}

ts_rc ts_write_xlsx(const ts_build_ctx *ctx, const char *path, ts_diags *diags)
{
    ts_arena *a;
    const ts_table *t;
    ts_rc rc = ts_book_begin(ctx, path, diags, &a, &t);
    if (rc != TS_OK)
        return rc;
    ts_book_props bp;
    if (!ts_book_props_make(ctx, a, &bp)) {
        ts_diag_fault(diags, path, (ts_pos){0, 0}, TS_FAULT_NO_MEMORY, "out of memory");
        ts_arena_free(a);
        return TS_SYSTEM_ERROR;
    }
    const ts_round *r = ctx->round;
    lxw_doc_properties props = {
        .title = (char *)bp.title,
        .author = (char *)r->division,
        .company = (char *)r->city,
        .subject = (char *)bp.subject,
        .keywords = (char *)bp.keywords,
        /* libxlsxwriter takes 0 for "not set" and writes the clock's time instead: the one
         * moment it cannot say (SOURCE_DATE_EPOCH=0) becomes the second after it. */
        .created = ctx->now != 0 ? ctx->now : 1,
    };
    xlsx_writer x = {.ctx = ctx, .a = a, .path = path, .diags = diags};
    /* libxlsxwriter writes each part to a scratch file before it zips them: beside the output,
     * where there is room for the output, never in /tmp (outputs.md §3). */
    const char *slash = strrchr(path, '/');
    char *scratch = slash == NULL   ? ts_arena_strdup(a, ".")
                    : slash == path ? ts_arena_strdup(a, "/")
                                    : ts_arena_strndup(a, path, (size_t)(slash - path));
    if (scratch == NULL) {
        ts_diag_fault(diags, path, (ts_pos){0, 0}, TS_FAULT_NO_MEMORY, "out of memory");
        ts_arena_free(a);
        return TS_SYSTEM_ERROR;
    }
    lxw_workbook_options opts = {.constant_memory = LXW_FALSE, .tmpdir = scratch};
    x.wb = workbook_new_opt(path, &opts);
    if (x.wb == NULL) {
        ts_diag_fault(diags, path, (ts_pos){0, 0}, TS_FAULT_NO_MEMORY,
                      "cannot start the workbook: out of memory");
        ts_arena_free(a);
        return TS_SYSTEM_ERROR;
    }
    bool ok = check(&x, workbook_set_properties(x.wb, &props), "document properties");
    set_normal_font(&x);
    for (size_t i = 0; ok && i < t->n_sheets; i++)
        ok = write_sheet(&x, &t->sheets[i]);
    /* workbook_close frees the workbook whatever it returns; the file is only complete when it
     * returns no error. */
    lxw_error err = workbook_close(x.wb);
    if (ok)
        ok = check(&x, err, "saving");
    ts_arena_free(a);
    if (!ok)
        remove(path);
    return ok ? TS_OK : TS_SYSTEM_ERROR;
}
