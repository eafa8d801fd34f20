/* The round writer: a round (model.h) as a round file laid out for people.
 *
 * The one way the program writes round files (new-round, and the workbook import).  The file is
 * UTF-8 with two spaces of indentation, one element a line, elements and attributes in the
 * order of round-format.md's skeleton, long texts wrapped at spaces (white space is folded when
 * the file is read, so wrapping changes nothing), a paragraph alone as bare text and more blocks
 * as <p>, <ul>, <ol>.  Reading the written file gives a round that builds the same outputs.
 *
 * The round's comments (ts_round.comments) are written beside their elements; a comment's text
 * is laid out again: trimmed, its lines indented under its first, "--" (which XML forbids in a
 * comment) written "- -".  To add one, put it in the round's list with ts_comment_add. */
#ifndef TS_ROUNDWRITE_H
#define TS_ROUNDWRITE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/status.h"
#include "core/diag.h"
#include "round/model.h"

/* The text of the round file.  Returns TS_OK and sets *xml (NUL-terminated, from malloc; the
 * caller frees it) and *len, or TS_SYSTEM_ERROR when memory ran out. */
ts_rc ts_round_xml(const ts_round *r, char **xml, size_t *len);

/* Writes the round file to `path` whole or not at all: the text is first read back by the
 * parser (a round that would not read is an internal error, and nothing is written), then
 * written into a file of our own beside it (created exclusively, under a name nobody can
 * guess), renamed into place when complete.  The path is a file name, never a URL.  With replace
 * false an existing file is left as it is and the call fails with TS_USAGE_ERROR.  Problems are
 * reported in diags naming path (never the temporary name); TS_SYSTEM_ERROR when the file cannot be
 * written. */
ts_rc ts_round_write(const ts_round *r, const char *path, bool replace, ts_diags *diags);

/* The same for bytes already made (the caller checked them first). */
ts_rc ts_write_file_whole(const char *path, const char *data, size_t len, bool replace,
                          ts_diags *diags);

/* What ts_write_file_by calls to fill the file: it is open as fd and named tmp (a writer that
 * opens its file by name may write it there anew).  Returns 0, or an errno value. */
typedef int (*ts_file_writer)(void *user, int fd, const char *tmp);

/* The same for a file that a writer makes (a workbook): `write` fills the temporary file, which
 * is then put in place as above.  A failure of `write` it has said in diags is reported as
 * EIO's words too unless it returns ECANCELED (said already: nothing more is added). */
ts_rc ts_write_file_by(const char *path, bool replace, ts_file_writer write, void *user,
                       ts_diags *diags);

/* Appends a comment to `list` (a ts_vec of ts_comment in arena a), the text made as printf
 * makes it and kept in a.  Returns false when memory ran out. */
bool ts_comment_add(ts_arena *a, ts_vec *list, const void *element, ts_comment_place place,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
