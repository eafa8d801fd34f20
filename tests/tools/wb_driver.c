/* Drives the workbook writers for the whole-output tests until the build command is wired:
 *   wb_driver --fixture fi|sv|en OUT.xlsx OUT.ods     the in-memory round of the unit tests
 *   wb_driver --fixture-long fi OUT.xlsx OUT.ods      the same with a comment of 32,768
 *                                                     characters at round.xml:77:9
 * Exit status as the build command's: 0, 1 for a refused input, 3 for an output error. */
#include <stdio.h>
#include <string.h>

#include "wb_fixture.h"

int main(int argc, char **argv)
{
    bool too_long = argc == 5 && strcmp(argv[1], "--fixture-long") == 0;
    if (argc != 5 || (strcmp(argv[1], "--fixture") != 0 && !too_long)) {
        fprintf(stderr, "usage: wb_driver --fixture fi|sv|en OUT.xlsx OUT.ods\n");
        return 2;
    }
    ts_lang lang = strcmp(argv[2], "sv") == 0   ? TS_LANG_SV
                   : strcmp(argv[2], "en") == 0 ? TS_LANG_EN
                                                : TS_LANG_FI;
    wb_fixture f = {0};
    if (wb_setup(&f, lang) != 0)
        return 1;
    if (too_long) {
        size_t n = 32768;
        char *s = ts_arena_alloc(f.a, n + 1);
        memset(s, 'x', n);
        s[n] = '\0';
        f.m[2]->comment = wb_p(f.a, s, 77);
        f.m[2]->comment.pos = (ts_pos){77, 9};
    }
    /* Both writers run even when the first refuses, so that a test sees both refuse. */
    ts_rc rc = ts_write_xlsx(&f.ctx, argv[3], &f.diags);
    ts_rc rc_ods = ts_write_ods(&f.ctx, argv[4], &f.diags);
    if (rc == TS_OK)
        rc = rc_ods;
    ts_diags_print(&f.diags, stderr);
    wb_teardown(&f);
    return (int)rc;
}
