/* Builds the slide pack of one round with a chosen layout, without the build command:
 *   slides_pdf ROUND.xml OUT.pdf [LAYOUT.xml]
 * parse -> labels -> layout -> ts_write_pdf, with the data of the source tree.  The tests use
 * it to reach the PDF writer alone, and to try layouts. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>

#include "cli/build.h"
#include "writer/writer.h"
#include "round/parser.h"

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: slides_pdf ROUND.xml OUT.pdf [LAYOUT.xml]\n");
        return 2;
    }
    ts_epoch epoch;
    char why[256];
    if (!ts_epoch_parse(getenv("SOURCE_DATE_EPOCH"), &epoch, why, sizeof why)) {
        fprintf(stderr, "slides_pdf: %s\n", why);
        return 2;
    }
    const char *data = TEST_SOURCE_DIR;
    char layout_path[4096], labels_dir[4096];
    snprintf(layout_path, sizeof layout_path, "%s/layouts/helsinki.xml", data);
    snprintf(labels_dir, sizeof labels_dir, "%s/layouts/labels", data);
    ts_diags diags;
    if (!ts_diags_init(&diags, NULL))
        return 3;
    ts_parse_options po;
    ts_parse_options_default(&po);
    int rc = 1;
    ts_arena *la = ts_arena_new(NULL);
    ts_round *round = ts_parse_file(argv[1], NULL, &po, &diags);
    const ts_layout *layout = la ? ts_layout_load(argc == 4 ? argv[3] : layout_path, data,
                                                  ts_slides_layout_needs(), la, &diags)
                                 : NULL;
    const ts_labels *labels =
        round ? ts_labels_load(labels_dir, round->lang, round->arena, &diags) : NULL;
    if (round && layout && labels) {
        ts_build_ctx ctx = {.round = round,
                            .layout = layout,
                            .labels = labels,
                            .data_dir = data,
                            .hyphen_dir = "/usr/share/hyphen",
                            .pdfa = getenv("SLIDES_PDFA") != NULL,
                            .now = ts_build_now(round, epoch)};
        rc = (int)ts_write_pdf(&ctx, argv[2], &diags);
    }
    ts_diags_print(&diags, stderr);
    if (round)
        ts_round_free(round);
    ts_arena_free(la);
    ts_diags_free(&diags);
    return rc;
}
