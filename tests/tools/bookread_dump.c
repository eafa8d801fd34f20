/* Prints what the workbook reader reads, as JSON, for the reader's whole-file tests:
 *   bookread_dump [--bytes] [--lookups] FILE
 * --bytes reads the file into memory first and goes through ts_wbr_read_bytes (the fuzz
 * target's way in); --lookups adds, per sheet, what ts_wbr_cell_at, ts_wbr_row and
 * ts_wbr_merge_at answer for every place in the used range (small sheets only).
 * Messages go to stderr; the exit status is the reader's (0, 1 refused, 3 system). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "book/read.h"
#include "core/fileio.h"

static void json_string(const char *s, size_t len)
{
    putchar('"');
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\')
            printf("\\%c", ch);
        else if (ch == '\n')
            printf("\\n");
        else if (ch == '\t')
            printf("\\t");
        else if (ch < 0x20 || ch == 0x7F)
            printf("\\u%04x", ch);
        else
            putchar(ch);
    }
    putchar('"');
}

static void json_cstr(const char *s)
{
    if (s == NULL)
        printf("null");
    else
        json_string(s, strlen(s));
}

static const char *type_name(unsigned t)
{
    static const char *const names[] = {"empty", "string", "number", "boolean", "error"};
    return t < 5 ? names[t] : "?";
}

static const char *kind_name(ts_wbr_numkind k)
{
    static const char *const names[] = {"general",  "number", "percent", "currency", "scientific",
                                        "fraction", "date",   "time",    "datetime", "text"};
    return (unsigned)k < 10 ? names[k] : "?";
}

static void merge_ref(const ts_wbr_merge *m)
{
    char a[TS_WBR_REF_SIZE], b[TS_WBR_REF_SIZE];
    printf("\"%s:%s\"", ts_wbr_ref(m->first_row, m->first_col, a),
           ts_wbr_ref(m->last_row, m->last_col, b));
}

static void dump_cell(const ts_wbr_sheet *s, const ts_wbr_cell *c, ts_arena *a)
{
    char ref[TS_WBR_REF_SIZE];
    printf("{\"ref\":\"%s\",\"type\":\"%s\"", ts_wbr_ref(c->row, c->col, ref), type_name(c->type));
    if (c->formula)
        printf(",\"formula\":true");
    if (c->bold)
        printf(",\"bold\":true");
    if (c->italic)
        printf(",\"italic\":true");
    if (c->type == TS_WBR_NUMBER || c->type == TS_WBR_BOOLEAN)
        printf(",\"number\":%.17g", c->number);
    if (c->type == TS_WBR_STRING || c->type == TS_WBR_ERROR) {
        printf(",\"text\":");
        json_cstr(ts_wbr_cell_text(c, a));
        printf(",\"runs\":[");
        for (uint32_t i = 0; i < c->run_count; i++) {
            const ts_wbr_run *r = &c->runs[i];
            printf("%s[", i ? "," : "");
            json_string(r->text, r->len);
            printf(",\"%s%s\"]", r->bold ? "b" : "", r->italic ? "i" : "");
        }
        printf("]");
    }
    if (c->format) {
        const ts_wbr_numfmt *f = c->format;
        printf(",\"format\":{\"kind\":\"%s\",\"code\":", kind_name(f->kind));
        json_cstr(f->code);
        printf(",\"decimals\":%d,\"grouping\":%s,\"prefix\":", f->decimals,
               f->grouping ? "true" : "false");
        json_cstr(f->prefix);
        printf(",\"suffix\":");
        json_cstr(f->suffix);
        printf(",\"currency\":");
        json_cstr(f->currency);
        printf("}");
    }
    if (c->merge) {
        printf(",\"merge\":");
        merge_ref(&s->merges[c->merge - 1]);
    }
    printf("}");
}

/* Every place of a small sheet asked through the look-ups, checked against a plain scan. */
static int check_lookups(const ts_wbr_sheet *s)
{
    int bad = 0;
    if ((uint64_t)s->rows * s->cols > 200000)
        return 0;
    for (uint32_t r = 0; r < s->rows + 1; r++) {
        size_t n;
        const ts_wbr_cell *row = ts_wbr_row(s, r, &n);
        size_t expect = 0;
        for (size_t i = 0; i < s->cell_count; i++)
            expect += s->cells[i].row == r;
        if (n != expect || (n && row->row != r))
            bad++;
        for (uint32_t c = 0; c < s->cols + 1; c++) {
            const ts_wbr_cell *cell = ts_wbr_cell_at(s, r, c);
            const ts_wbr_cell *scan = NULL;
            for (size_t i = 0; i < s->cell_count; i++)
                if (s->cells[i].row == r && s->cells[i].col == c)
                    scan = &s->cells[i];
            const ts_wbr_merge *m = ts_wbr_merge_at(s, r, c), *ms = NULL;
            for (size_t i = 0; i < s->merge_count; i++) {
                const ts_wbr_merge *k = &s->merges[i];
                if (k->first_row <= r && r <= k->last_row && k->first_col <= c && c <= k->last_col)
                    ms = k;
            }
            if (cell != scan || m != ms ||
                (cell && cell->merge && &s->merges[cell->merge - 1] != m))
                bad++;
        }
    }
    return bad;
}

int main(int argc, char **argv)
{
    bool bytes = false, lookups = false;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
        if (strcmp(argv[i], "--bytes") == 0)
            bytes = true;
        else if (strcmp(argv[i], "--lookups") == 0)
            lookups = true;
        else
            break;
    }
    if (i != argc - 1) {
        fprintf(stderr, "usage: bookread_dump [--bytes] [--lookups] FILE\n");
        return 2;
    }
    const char *path = argv[i];
    ts_diags diags;
    ts_arena *a = ts_arena_new(NULL);
    if (a == NULL || !ts_diags_init(&diags, NULL))
        return 3;
    const ts_wbr_book *book = NULL;
    ts_rc st;
    char *data = NULL;
    if (bytes) {
        size_t len;
        if (ts_read_file(path, (size_t)1 << 31, NULL, &data, &len) != 0) {
            fprintf(stderr, "bookread_dump: cannot read %s\n", path);
            return 3;
        }
        st = ts_wbr_read_bytes(data, len, path, NULL, a, &diags, &book);
    } else {
        st = ts_wbr_read_file(path, NULL, a, &diags, &book);
    }
    ts_diags_print(&diags, stderr);
    int bad_lookups = 0;
    if (st == TS_OK) {
        printf("{\"format\":\"%s\",\"date1904\":%s,\"sheets\":[",
               book->format == TS_WBR_XLSX ? "xlsx" : "ods", book->date1904 ? "true" : "false");
        for (size_t k = 0; k < book->sheet_count; k++) {
            const ts_wbr_sheet *s = &book->sheets[k];
            printf("%s{\"name\":", k ? "," : "");
            json_cstr(s->name);
            printf(",\"hidden\":%s,\"rows\":%u,\"cols\":%u,\"cells\":[",
                   s->hidden ? "true" : "false", s->rows, s->cols);
            for (size_t c = 0; c < s->cell_count; c++) {
                if (c)
                    putchar(',');
                dump_cell(s, &s->cells[c], a);
            }
            printf("],\"merges\":[");
            for (size_t m = 0; m < s->merge_count; m++) {
                if (m)
                    putchar(',');
                merge_ref(&s->merges[m]);
            }
            printf("]}");
            if (lookups)
                bad_lookups += check_lookups(s);
        }
        printf("]}\n");
    }
    if (bad_lookups)
        fprintf(stderr, "bookread_dump: %d look-ups disagree with a plain scan\n", bad_lookups);
    free(data);
    ts_diags_free(&diags);
    ts_arena_free(a);
    return bad_lookups ? 4 : (int)st;
}
