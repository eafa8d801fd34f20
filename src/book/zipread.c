/* The zip under a workbook, read through minizip from memory or from the open file (never
 * extracted, never reopened by name).  The entries are indexed once, by a hash of their names,
 * so that finding a part costs the same in a zip of five entries and of 100,000. */
#define _POSIX_C_SOURCE 200809L /* pread */
#include "book/internal.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <unzip.h>

/* A name longer than this is no part a workbook reader asks for. */
#define NAME_MAX_LEN 1024
/* Bytes handed to the sink at a time. */
#define CHUNK (64 * 1024)

typedef struct entry {
    uint64_t hash; /* of the name with ASCII letters folded */
    unz64_file_pos pos;
} entry;

/* minizip reads the directory a field at a time: from a file, a window of it is kept, so that
 * walking 100,000 entries costs a few hundred reads, not millions. */
#define WINDOW (64 * 1024)

typedef struct stream {
    wbr_source src;
    uint64_t pos;
    uint64_t size;
    int error; /* errno of a failed read */
    char *window;
    uint64_t window_at;
    size_t window_len;
} stream;

struct wbr_zip {
    unzFile uf;
    stream st;
    entry *entries; /* open addressing over hashes; pos.num_of_file == UINT64_MAX: free */
    size_t cap;
    char *chunk;
};

/* ---- minizip's file functions over our source -------------------------------------------- */

static voidpf zs_open(voidpf opaque, const void *filename, int mode)
{
    (void)filename;
    if ((mode & ZLIB_FILEFUNC_MODE_READWRITEFILTER) != ZLIB_FILEFUNC_MODE_READ)
        return NULL;
    return opaque;
}

/* Reads n bytes at `at` from the file into buf; the count read (short at the end). */
static size_t read_at(stream *s, char *buf, size_t n, uint64_t at)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = pread(s->src.fd, buf + got, n - got, (off_t)(at + got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            s->error = errno;
            break;
        }
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return got;
}

static uLong zs_read(voidpf opaque, voidpf strm, void *buf, uLong size)
{
    stream *s = strm;
    if (s->pos >= s->size)
        return 0;
    uint64_t left = s->size - s->pos;
    size_t n = size < left ? (size_t)size : (size_t)left;
    if (s->src.data) {
        memcpy(buf, s->src.data + s->pos, n);
    } else if (n >= WINDOW / 4) {
        n = read_at(s, buf, n, s->pos);
    } else {
        if (s->pos < s->window_at || s->pos + n > s->window_at + s->window_len) {
            s->window_at = s->pos;
            s->window_len = read_at(s, s->window, WINDOW, s->pos);
        }
        uint64_t off = s->pos - s->window_at;
        if (off >= s->window_len)
            n = 0;
        else if (n > s->window_len - off)
            n = s->window_len - (size_t)off;
        memcpy(buf, s->window + off, n);
    }
    s->pos += n;
    return (uLong)n;
}

static uLong zs_write(voidpf opaque, voidpf strm, const void *buf, uLong size)
{
    return 0;
}

static ZPOS64_T zs_tell(voidpf opaque, voidpf strm)
{
    return ((stream *)strm)->pos;
}

static long zs_seek(voidpf opaque, voidpf strm, ZPOS64_T offset, int origin)
{
    stream *s = strm;
    uint64_t base = origin == ZLIB_FILEFUNC_SEEK_SET   ? 0
                    : origin == ZLIB_FILEFUNC_SEEK_CUR ? s->pos
                                                       : s->size;
    /* minizip seeks with unsigned offsets and wraps for "backwards"; a position past the end
     * is allowed (a read there gives nothing), one that overflows is not. */
    uint64_t to = base + offset;
    if (to < base && offset < UINT64_MAX / 2)
        return -1;
    s->pos = to;
    return 0;
}

static int zs_close(voidpf opaque, voidpf strm)
{
    return 0;
}

static int zs_error(voidpf opaque, voidpf strm)
{
    return ((stream *)strm)->error;
}

/* ---- The index --------------------------------------------------------------------------- */

static entry *slot_for(wbr_zip *z, uint64_t h, size_t probe)
{
    return &z->entries[((size_t)h + probe) & (z->cap - 1)];
}

static bool index_add(wbr_zip *z, uint64_t h, const unz64_file_pos *pos)
{
    for (size_t probe = 0;; probe++) {
        entry *e = slot_for(z, h, probe);
        if (e->pos.num_of_file == UINT64_MAX) {
            e->hash = h;
            e->pos = *pos;
            return true;
        }
    }
}

static const char *unz_reason(int err)
{
    switch (err) {
    case UNZ_ERRNO:
        return "it could not be read";
    case UNZ_BADZIPFILE:
        return "its directory is damaged";
    case UNZ_CRCERROR:
        return "its checksum does not match: the zip is damaged";
    case UNZ_INTERNALERROR:
    case UNZ_PARAMERROR:
        return "minizip failed";
    default:
        return "the zip is damaged";
    }
}

bool wbr_zip_open(wbr_ctx *c, const wbr_source *src)
{
    wbr_zip *z = ts_arena_calloc(c->scratch, 1, sizeof *z);
    if (z == NULL) {
        wbr_oom(c);
        return false;
    }
    z->st.src = *src;
    z->st.size = src->len;
    if (src->data == NULL && (z->st.window = ts_arena_alloc(c->scratch, WINDOW)) == NULL) {
        wbr_oom(c);
        return false;
    }
    zlib_filefunc64_def ff = {
        .zopen64_file = zs_open,
        .zread_file = zs_read,
        .zwrite_file = zs_write,
        .ztell64_file = zs_tell,
        .zseek64_file = zs_seek,
        .zclose_file = zs_close,
        .zerror_file = zs_error,
        .opaque = &z->st,
    };
    z->uf = unzOpen2_64("", &ff);
    if (z->uf == NULL) {
        if (z->st.error) {
            wbr_read_failed(c, NULL, z->st.error);
        } else {
            wbr_error(c, "the zip is damaged or cut short: its directory cannot be found "
                         "(an XLSX or ODS workbook is a zip archive)");
        }
        return false;
    }
    c->zip = z;
    unz_global_info64 gi;
    int err = unzGetGlobalInfo64(z->uf, &gi);
    if (err != UNZ_OK) {
        wbr_error(c, "the zip's directory cannot be read: %s", unz_reason(err));
        return false;
    }
    if (gi.number_entry > c->lim.max_entries) {
        wbr_error(c, "the zip says it holds %llu entries; a workbook may hold at most %zu",
                  (unsigned long long)gi.number_entry, c->lim.max_entries);
        return false;
    }
    /* The directory's own count may lie (minizip even walks on past 65,535): the walk counts
     * for itself. */
    size_t cap = 16;
    while (cap < (size_t)gi.number_entry * 2 + 2)
        cap *= 2;
    z->cap = cap;
    z->entries = ts_arena_alloc(c->scratch, cap * sizeof *z->entries);
    z->chunk = ts_arena_alloc(c->scratch, CHUNK);
    if (z->entries == NULL || z->chunk == NULL) {
        wbr_oom(c);
        return false;
    }
    for (size_t i = 0; i < cap; i++)
        z->entries[i].pos.num_of_file = UINT64_MAX;
    size_t n = 0;
    char name[NAME_MAX_LEN + 1];
    for (err = unzGoToFirstFile(z->uf); err == UNZ_OK; err = unzGoToNextFile(z->uf)) {
        if (n >= gi.number_entry || n >= c->lim.max_entries) {
            wbr_error(c, "the zip holds more entries than its directory says (%llu)",
                      (unsigned long long)gi.number_entry);
            return false;
        }
        unz_file_info64 fi;
        err = unzGetCurrentFileInfo64(z->uf, &fi, name, sizeof name, NULL, 0, NULL, 0);
        if (err != UNZ_OK)
            break;
        unz64_file_pos pos;
        err = unzGetFilePos64(z->uf, &pos);
        if (err != UNZ_OK)
            break;
        n++;
        if (fi.size_filename > NAME_MAX_LEN)
            continue;
        index_add(z, wbr_hash(c->hash_key, name, fi.size_filename, true), &pos);
    }
    /* A directory that claims 65,535 entries is walked past its end by minizip (its guess at
     * a count that overflowed): the entries it claimed are all there. */
    if (err != UNZ_END_OF_LIST_OF_FILE && !(gi.number_entry == 0xffff && n == 0xffff)) {
        if (z->st.error) {
            wbr_read_failed(c, NULL, z->st.error);
        } else {
            wbr_error(c, "the zip's directory is damaged at entry %zu: %s", n + 1, unz_reason(err));
        }
        return false;
    }
    return true;
}

void wbr_zip_close(wbr_ctx *c)
{
    if (c->zip && c->zip->uf)
        unzClose(c->zip->uf);
    c->zip = NULL;
}

static bool name_equal(const char *a, size_t alen, const char *b)
{
    return wbr_ieq(a, alen, b);
}

/* Makes the entry `name` minizip's current one.  1 found, 0 absent, -1 ambiguous or damaged
 * (said). */
static int locate(wbr_ctx *c, const char *name, unz_file_info64 *info)
{
    wbr_zip *z = c->zip;
    uint64_t h = wbr_hash(c->hash_key, name, strlen(name), true);
    char buf[NAME_MAX_LEN + 1];
    int found = 0;
    unz64_file_pos at = {0, 0};
    for (size_t probe = 0;; probe++) {
        entry *e = slot_for(z, h, probe);
        if (e->pos.num_of_file == UINT64_MAX)
            break;
        if (e->hash != h)
            continue;
        unz_file_info64 fi;
        if (unzGoToFilePos64(z->uf, &e->pos) != UNZ_OK ||
            unzGetCurrentFileInfo64(z->uf, &fi, buf, sizeof buf, NULL, 0, NULL, 0) != UNZ_OK) {
            wbr_part_error(c, name, 0, 0, "the zip's directory is damaged here");
            return -1;
        }
        if (fi.size_filename <= NAME_MAX_LEN && name_equal(buf, fi.size_filename, name)) {
            if (found) {
                /* Two readers could take two different parts: neither is taken. */
                wbr_part_error(c, name, 0, 0,
                               "the zip holds two entries of this name; it is refused, since "
                               "programs would differ on which one is the workbook");
                return -1;
            }
            found = 1;
            at = e->pos;
            *info = fi;
        }
    }
    if (found && unzGoToFilePos64(z->uf, &at) != UNZ_OK) {
        wbr_part_error(c, name, 0, 0, "the zip's directory is damaged here");
        return -1;
    }
    return found;
}

bool wbr_zip_has(wbr_ctx *c, const char *name)
{
    unz_file_info64 fi;
    return c->zip != NULL && locate(c, name, &fi) == 1;
}

int wbr_zip_read(wbr_ctx *c, const char *name, wbr_sink sink, void *user)
{
    unz_file_info64 fi;
    int found = locate(c, name, &fi);
    if (found <= 0)
        return found;
    if (fi.flag & 1) {
        wbr_part_error(c, name, 0, 0,
                       "the part is encrypted; save the workbook without a password");
        return -1;
    }
    if (fi.compression_method != 0 && fi.compression_method != Z_DEFLATED) {
        wbr_part_error(c, name, 0, 0,
                       "the part is compressed with method %lu; workbooks use deflate (8) or "
                       "none (0)",
                       (unsigned long)fi.compression_method);
        return -1;
    }
    int err = unzOpenCurrentFile(c->zip->uf);
    if (err != UNZ_OK) {
        wbr_part_error(c, name, 0, 0, "the part cannot be opened: %s", unz_reason(err));
        return -1;
    }
    uint64_t total = 0;
    bool stopped = false;
    for (;;) {
        int got = unzReadCurrentFile(c->zip->uf, c->zip->chunk, CHUNK);
        if (got < 0) {
            err = got;
            break;
        }
        if (got == 0)
            break;
        total += (uint64_t)got;
        if (!wbr_spend(c, (size_t)got, name) || !sink(user, c->zip->chunk, (size_t)got)) {
            stopped = true;
            break;
        }
    }
    int close_err = unzCloseCurrentFile(c->zip->uf);
    if (stopped)
        return -1;
    if (err < 0) {
        if (c->zip->st.error) {
            wbr_read_failed(c, name, c->zip->st.error);
        } else {
            /* a short read of a file that is not short: the part's data runs past its end */
            wbr_part_error(c, name, 0, 0, "the part cannot be inflated: %s",
                           err == Z_DATA_ERROR                      ? "its data is damaged"
                           : err == UNZ_ERRNO || err == Z_BUF_ERROR ? "its data is cut short"
                                                                    : unz_reason(err));
        }
        return -1;
    }
    /* minizip stops at the size the directory declares and checks the checksum only when the
     * part reached it: a part that ends early is caught here. */
    if (total != fi.uncompressed_size) {
        wbr_part_error(c, name, 0, 0,
                       "the zip's directory says the part holds %llu bytes, but it holds %llu: "
                       "the zip is damaged",
                       (unsigned long long)fi.uncompressed_size, (unsigned long long)total);
        return -1;
    }
    if (close_err != UNZ_OK) {
        wbr_part_error(c, name, 0, 0, "the part is damaged: %s", unz_reason(close_err));
        return -1;
    }
    return 1;
}
