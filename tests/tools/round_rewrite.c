/* Reads a round file and writes it again through the round writer, for the whole-output test
 * of the writer (tests/tools/check_round_rewrite.py):
 *   round_rewrite IN.xml OUT.xml
 * The comments of IN are kept.  Exit status as taseuranta's: 0, 1 for a refused input, 3 for an
 * output error. */
#include <stdio.h>

#include "round/parser.h"
#include "round/roundwrite.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: round_rewrite IN.xml OUT.xml\n");
        return 2;
    }
    ts_diags diags;
    if (!ts_diags_init(&diags, NULL))
        return 3;
    ts_parse_options o;
    ts_parse_options_default(&o);
    o.keep_comments = true;
    ts_round *r = ts_parse_file(argv[1], NULL, &o, &diags);
    int rc = r == NULL ? 1 : (int)ts_round_write(r, argv[2], true, &diags);
    ts_diags_print(&diags, stderr);
    ts_round_free(r);
    ts_diags_free(&diags);
    return rc;
}
