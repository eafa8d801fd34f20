/* Whole files read into memory: the round, the layout, the label files. */
#ifndef TS_FILEIO_H
#define TS_FILEIO_H

#include <stddef.h>

#include "core/arena.h"

/* Reads the file at path into a buffer from ts_malloc(fault, ...), which the caller frees, and
 * sets *data and *len.  Returns 0, or an errno value: the one of open, fstat or read, EISDIR for
 * a directory, ENOMEM, or EFBIG for a file of more than max bytes.  With EFBIG *len is the
 * file's size when it was known before reading (a regular file), else 0 (a pipe, or a file
 * that grew while it was read). */
int ts_read_file(const char *path, size_t max, ts_alloc_fault *fault, char **data, size_t *len);

#endif
