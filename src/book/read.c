/* The reader's entry points: the file opened safely, the format told from the content, the
 * messages with their places, the budgets, and the look-ups on what was read. */
#define _POSIX_C_SOURCE 200809L
#include "book/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

void ts_wbr_options_default(ts_wbr_options *o)
{
    memset(o, 0, sizeof *o);
    o->limits.max_unpacked = (size_t)64 << 20;
    o->limits.max_entries = 100000;
    o->limits.max_cells = 2000000;
    o->limits.max_sheets = 10000;
}

/* ---- Reading ----------------------------------------------------------------------------- */

static const char *const OLE_MAGIC = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/* The first bytes say what the file is when it is no zip. */
static bool check_magic(wbr_ctx *c, const unsigned char *head, size_t n, size_t size)
{
    if (size == 0) {
        wbr_error(c, "the file is empty: an XLSX or ODS workbook is a zip archive");
        return false;
    }
    if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4)
        return true;
    if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 5 && head[3] == 6) {
        /* the end of a zip's directory, first: a zip of nothing */
        wbr_error(c, "the zip is empty: a workbook is a zip of its parts");
        return false;
    }
    if (n >= 8 && memcmp(head, OLE_MAGIC, 8) == 0) {
        wbr_error(c, "this is an Excel 97-2003 workbook (.xls) or a password-protected one; "
                     "save it as .xlsx or .ods, without a password");
        return false;
    }
    size_t k = 0;
    if (n >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF)
        k = 3;
    while (k < n && (head[k] == ' ' || head[k] == '\t' || head[k] == '\r' || head[k] == '\n'))
        k++;
    if (k < n && head[k] == '<') {
        wbr_error(c, "this is an XML file, not a workbook (a flat .fods or an Excel 2003 XML "
                     "sheet is not read); save it as .xlsx or .ods");
        return false;
    }
    wbr_error(c, "this is not a workbook: an XLSX or ODS workbook is a zip archive");
    return false;
}

typedef struct sniff {
    char buf[96];
    size_t len;
} sniff;

static bool sniff_sink(void *user, const char *data, size_t len)
{
    sniff *s = user;
    size_t room = sizeof s->buf - 1 - s->len;
    if (len > room)
        len = room;
    memcpy(s->buf + s->len, data, len);
    s->len += len;
    s->buf[s->len] = '\0';
    return s->len < sizeof s->buf - 1;
}

static ts_rc read_zip(wbr_ctx *c, const wbr_source *src, const ts_wbr_book **out)
{
    unsigned char head[16];
    size_t n = 0;
    if (src->data) {
        n = src->len < sizeof head ? src->len : sizeof head;
        memcpy(head, src->data, n);
    } else {
        ssize_t r;
        do
            r = pread(src->fd, head, sizeof head, 0);
        while (r < 0 && errno == EINTR);
        if (r < 0) {
            wbr_read_failed(c, NULL, errno);
            return TS_SYSTEM_ERROR;
        }
        n = (size_t)r;
    }
    if (!check_magic(c, head, n, src->len))
        return TS_INPUT_ERROR;
    ts_wbr_book *book = ts_arena_calloc(c->a, 1, sizeof *book);
    book = book ? book : NULL;
    if (book == NULL || (book->file = ts_arena_strdup(c->a, c->file)) == NULL) {
        wbr_oom(c);
        return TS_SYSTEM_ERROR;
    }
    bool ok = wbr_zip_open(c, src);
    if (ok) {
        sniff mt = {{0}, 0};
        int r = wbr_zip_read(c, "mimetype", sniff_sink, &mt);
        const char *ods = "application/vnd.oasis.opendocument.spreadsheet";
        if (r == 1 || (r == -1 && mt.len == sizeof mt.buf - 1)) {
            size_t l = mt.len;
            while (l > 0 &&
                   (mt.buf[l - 1] == '\n' || mt.buf[l - 1] == '\r' || mt.buf[l - 1] == ' '))
                l--;
            mt.buf[l] = '\0';
            if (strcmp(mt.buf, ods) == 0 || strcmp(mt.buf, "application/vnd.oasis.opendocument."
                                                           "spreadsheet-template") == 0) {
                book->format = TS_WBR_ODS;
                ok = wbr_read_ods(c, book);
            } else {
                wbr_error(c,
                          "the zip's mimetype is \"%.80s\": not a spreadsheet (an ODS "
                          "workbook says %s)",
                          mt.buf, ods);
                ok = false;
            }
        } else if (r == -1) {
            ok = false;
        } else if (wbr_zip_has(c, "xl/workbook.bin")) {
            wbr_error(c, "this is an Excel binary workbook (.xlsb); save it as .xlsx or .ods");
            ok = false;
        } else if (wbr_zip_has(c, "xl/workbook.xml") || wbr_zip_has(c, "_rels/.rels")) {
            book->format = TS_WBR_XLSX;
            ok = wbr_read_xlsx(c, book);
        } else {
            wbr_error(c, "the zip is neither an XLSX workbook (it has no xl/workbook.xml) nor an "
                         "ODS one (it has no mimetype)");
            ok = false;
        }
    }
    wbr_zip_close(c);
    if (ok && c->errors == 0 && !c->stop) {
        *out = book;
        return TS_OK;
    }
    if (c->errors == 0 && !c->oom_said) /* never silent */
        wbr_error(c, "the workbook cannot be read");
    return c->system_failure ? TS_SYSTEM_ERROR : TS_INPUT_ERROR;
}

static ts_rc run(const char *name, const wbr_source *src, const ts_wbr_options *opt, ts_arena *a,
                 ts_diags *diags, const ts_wbr_book **out)
{
    wbr_ctx c;
    memset(&c, 0, sizeof c);
    ts_wbr_options def;
    ts_wbr_options_default(&def);
    if (opt == NULL)
        opt = &def;
    c.a = a;
    c.diags = diags;
    c.file = name;
    c.lim = opt->limits;
    if (c.lim.max_unpacked == 0)
        c.lim.max_unpacked = def.limits.max_unpacked;
    if (c.lim.max_entries == 0)
        c.lim.max_entries = def.limits.max_entries;
    if (c.lim.max_cells == 0)
        c.lim.max_cells = def.limits.max_cells;
    if (c.lim.max_sheets == 0)
        c.lim.max_sheets = def.limits.max_sheets;
    /* The tables' hash key: from the kernel's random numbers, so that no workbook can be made
     * to collide (what is read never depends on it). */
    if (getrandom(c.hash_key, sizeof c.hash_key, GRND_NONBLOCK) != (ssize_t)sizeof c.hash_key) {
        c.hash_key[0] = (uint64_t)(uintptr_t)&c;
        c.hash_key[1] = (uint64_t)(uintptr_t)src->data ^ 0x9e3779b97f4a7c15u;
    }
    c.scratch = ts_arena_new(opt->fault);
    if (c.scratch == NULL) {
        wbr_oom(&c);
        return TS_SYSTEM_ERROR;
    }
    ts_rc st = read_zip(&c, src, out);
    ts_arena_free(c.scratch);
    return st;
}

ts_rc ts_wbr_read_bytes(const void *data, size_t len, const char *name, const ts_wbr_options *opt,
                        ts_arena *a, ts_diags *diags, const ts_wbr_book **out)
{
    *out = NULL;
    wbr_source src = {data ? data : (const void *)"", len, -1};
    return run(name, &src, opt, a, diags, out);
}

ts_rc ts_wbr_read_file(const char *path, const ts_wbr_options *opt, ts_arena *a, ts_diags *diags,
                       const ts_wbr_book **out)
{
    *out = NULL;
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        int e = errno;
        /* A path that names no readable file is the input's fault; anything else the
         * system's. */
        if (e == ENOENT || e == ENOTDIR || e == EACCES || e == ELOOP || e == ENAMETOOLONG) {
            ts_diag_add(diags, path, (ts_pos){0, 0}, TS_ERROR, "cannot open the workbook: %s",
                        strerror(e));
            return TS_INPUT_ERROR;
        }
        ts_diag_fault(diags, path, (ts_pos){0, 0}, TS_FAULT_SYSTEM, "cannot open the workbook: %s",
                      strerror(e));
        return TS_SYSTEM_ERROR;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        ts_diag_fault(diags, path, (ts_pos){0, 0}, TS_FAULT_SYSTEM, "cannot read the workbook: %s",
                      strerror(e));
        return TS_SYSTEM_ERROR;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        ts_diag_add(diags, path, (ts_pos){0, 0}, TS_ERROR,
                    "the workbook is %s, not a regular file; a workbook is read only from a file",
                    S_ISDIR(st.st_mode)                          ? "a folder"
                    : S_ISFIFO(st.st_mode)                       ? "a pipe (FIFO)"
                    : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                    : S_ISSOCK(st.st_mode)                       ? "a socket"
                                                                 : "something else");
        return TS_INPUT_ERROR;
    }
    wbr_source src = {NULL, (size_t)st.st_size, fd};
    ts_rc s = run(path, &src, opt, a, diags, out);
    close(fd);
    return s;
}
