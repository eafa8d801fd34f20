#define _POSIX_C_SOURCE 200809L

#include "core/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int read_fd(int fd, const struct stat *st, size_t max, ts_alloc_fault *fault, char **data,
                   size_t *len)
{
    if (S_ISDIR(st->st_mode))
        return EISDIR;
    if (S_ISREG(st->st_mode) && (uintmax_t)st->st_size > max) {
        *len = (size_t)st->st_size;
        return EFBIG;
    }
    /* Read up to one byte past max, so that a file that grew (or a pipe) is caught. */
    size_t want = S_ISREG(st->st_mode) ? (size_t)st->st_size + 1 : 65536;
    if (want > max + 1)
        want = max + 1;
    char *buf = ts_malloc(fault, want ? want : 1);
    if (buf == NULL)
        return ENOMEM;
    size_t n = 0, size = want;
    for (;;) {
        if (n == size) {
            if (size > max)
                break;
            size_t ns = size * 2 > max + 1 ? max + 1 : size * 2;
            /* ts_malloc has no realloc: the fault hook counts this as one allocation */
            char *nb = ts_malloc(fault, ns);
            if (nb == NULL) {
                free(buf);
                return ENOMEM;
            }
            memcpy(nb, buf, n);
            free(buf);
            buf = nb;
            size = ns;
        }
        ssize_t got = read(fd, buf + n, size - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            int e = errno;
            free(buf);
            return e;
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    if (n > max) {
        free(buf);
        return EFBIG;
    }
    *data = buf;
    *len = n;
    return 0;
}

int ts_read_file(const char *path, size_t max, ts_alloc_fault *fault, char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    struct stat st;
    int e = fstat(fd, &st) != 0 ? errno : read_fd(fd, &st, max, fault, data, len);
    close(fd);
    return e;
}
