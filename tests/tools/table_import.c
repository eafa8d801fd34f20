/* The table import (src/book/import_table.h) as a program, for the whole-output tests
 * (tests/tools/check_table_import.py) until `taseuranta import` takes a table:
 *   table_import [--year Y] [--number N] [--date YYYY-MM-DD] [--division NAME] [--short S]
 *                [--lang fi|sv|en] [--city NAME] [--fail-after N] BOOK.xlsx|BOOK.ods OUT.xml
 * --fail-after N makes the import's N-th allocation and every later one fail (the torture
 * test: the import then fails with status 3 and says so, and leaks nothing).
 * It reads the workbook, imports its table with the label files of the source tree, checks
 * that the round file it makes reads back as a round, and writes it whole (replacing OUT).
 * Messages go to stderr; the exit status is taseuranta's: 0, 1 the table was refused, 2 wrong
 * usage, 3 an output or system error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "book/import_table.h"
#include "book/read.h"
#include "layout/labels.h"
#include "round/parser.h"
#include "round/roundwrite.h"

static int usage(void)
{
    fprintf(stderr, "usage: table_import [--year Y] [--number N] [--date D] [--division NAME] "
                    "[--short S] [--lang fi|sv|en] [--city NAME] BOOK OUT.xml\n");
    return 2;
}

int main(int argc, char **argv)
{
    ts_table_options opt;
    ts_table_options_none(&opt);
    ts_alloc_fault fault = {0, 0};
    opt.fault = &fault;
    int i = 1;
    for (; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
        const char *o = argv[i] + 2, *v = argv[i + 1];
        if (strcmp(o, "year") == 0)
            opt.year = atoi(v);
        else if (strcmp(o, "number") == 0)
            opt.number = atoi(v);
        else if (strcmp(o, "date") == 0)
            opt.date = v;
        else if (strcmp(o, "division") == 0)
            opt.division = v;
        else if (strcmp(o, "short") == 0)
            opt.division_short = v;
        else if (strcmp(o, "city") == 0)
            opt.city = v;
        else if (strcmp(o, "fail-after") == 0)
            fault.fail_after = atol(v);
        else if (strcmp(o, "lang") == 0)
            opt.lang = strcmp(v, "fi") == 0 ? 0 : strcmp(v, "sv") == 0 ? 1 : 2;
        else
            return usage();
    }
    if (argc - i != 2)
        return usage();
    const char *book = argv[i], *out = argv[i + 1];

    ts_diags diags;
    ts_arena *a = ts_arena_new(NULL);
    if (a == NULL || !ts_diags_init(&diags, NULL))
        return 3;
    int rc = 0;
    const ts_labels *labels[3];
    for (int l = 0; l < 3; l++)
        if ((labels[l] =
                 ts_labels_load(TEST_SOURCE_DIR "/layouts/labels", (ts_lang)l, a, &diags)) == NULL)
            rc = 3;
    ts_wbr_options wo;
    ts_wbr_options_default(&wo);
    const ts_wbr_book *wb = NULL;
    if (rc == 0) {
        rc = (int)ts_wbr_read_file(book, &wo, a, &diags, &wb);
    }
    ts_round *r = NULL;
    if (rc == 0)
        rc = (int)ts_table_import(wb, labels, &opt, &diags, &r);
    char *xml = NULL;
    size_t len = 0;
    if (rc == 0 && ts_round_xml(r, &xml, &len) != TS_OK)
        rc = 3;
    if (rc == 0) {
        /* What is written must read back as a round. */
        ts_diags check;
        if (!ts_diags_init(&check, NULL))
            return 3;
        ts_round *back = ts_parse_memory(xml, len, out, NULL, &check);
        if (back == NULL) {
            ts_diags_take(&diags, &check);
            ts_diag_add(&diags, out, (ts_pos){0, 0}, TS_ERROR,
                        "the imported round does not read back");
            rc = 3;
        }
        ts_round_free(back);
        ts_diags_free(&check);
    }
    if (rc == 0)
        rc = (int)ts_write_file_whole(out, xml, len, true, &diags);
    ts_diags_print(&diags, stderr);
    free(xml);
    ts_round_free(r);
    ts_diags_free(&diags);
    ts_arena_free(a);
    return rc;
}
