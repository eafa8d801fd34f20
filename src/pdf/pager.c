/* The pager of pager.h.  libdeflate compresses, in the zlib format that /FlateDecode reads. */
#define _GNU_SOURCE /* sysconf */
#include "pdf/pager.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libdeflate.h>

#include "pdf/shim.h"

/* How hard page contents are compressed: libdeflate's fastest level.  It compresses the pages
 * of a 300-measure pack in less than half of zlib's fastest level's time, into a smaller file
 * (8.9 MB of page contents against 9.4): the pager shares the second core with the workbooks. */
enum { PAGE_DEFLATE_LEVEL = 1 };

/* Pages compressed but not yet given back to libharu, at most (the pager's queue). */
enum { PAGER_QUEUE = 64 };
/* An idle pager is woken only when this many pages wait: a wake-up per page cost as much as
 * compressing one (a futex call and a context switch for some 4,000 pages). */
enum { PAGER_BATCH = 8 };

/* A compressor with its output buffer, both kept for all pages. */
typedef struct deflater {
    struct libdeflate_compressor *c;
    ts_buf out;
} deflater;

static void deflater_end(deflater *d)
{
    libdeflate_free_compressor(d->c);
    d->c = NULL;
    ts_buf_free(&d->out);
}

/* Compresses in[0, len) into d->out.data; *out is the length. */
static int deflate_content(deflater *d, const unsigned char *in, size_t in_len, size_t *out)
{
    if (d->c == NULL && (d->c = libdeflate_alloc_compressor(PAGE_DEFLATE_LEVEL)) == NULL)
        return -1;
    size_t bound = libdeflate_zlib_compress_bound(d->c, in_len);
    ts_buf_clear(&d->out);
    if (!ts_buf_reserve(&d->out, bound))
        return -1;
    *out = libdeflate_zlib_compress(d->c, in, in_len, d->out.data, bound);
    return *out > 0 ? 0 : -1;
}

typedef struct page_job {
    HPDF_Page page;
    unsigned char *in; /* the page's operators, the job's own until the thread frees them */
    size_t in_len;
    unsigned char *data; /* the compressed content, malloc'd by the thread */
    size_t len;
    int rc;
} page_job;

struct ts_pager {
    deflater d; /* the thread's, or the document's when there is no thread */
    bool threaded;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t work, done;
    page_job jobs[PAGER_QUEUE];
    size_t queued, compressed, installed; /* counts: installed <= compressed <= queued */
    bool stop;
    bool idle; /* the thread waits for work */
};

/* Under the lock. */
static void pager_wake(ts_pager *p)
{
    if (p->idle)
        pthread_cond_signal(&p->work);
}

static void *pager_main(void *arg)
{
    ts_pager *p = arg;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (p->compressed == p->queued && !p->stop) {
            p->idle = true;
            pthread_cond_wait(&p->work, &p->lock);
            p->idle = false;
        }
        if (p->compressed == p->queued)
            break;
        page_job *j = &p->jobs[p->compressed % PAGER_QUEUE];
        pthread_mutex_unlock(&p->lock);
        size_t len = 0;
        j->rc = deflate_content(&p->d, j->in, j->in_len, &len);
        free(j->in);
        j->in = NULL;
        if (j->rc == 0) {
            j->data = malloc(len > 0 ? len : 1);
            if (j->data == NULL)
                j->rc = -1;
            else
                memcpy(j->data, p->d.out.data, len);
            j->len = len;
        }
        pthread_mutex_lock(&p->lock);
        p->compressed++;
        pthread_cond_signal(&p->done);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

/* Gives libharu the pages compressed so far; with wait, first every page queued. */
static int pager_collect(ts_pager *p, bool wait)
{
    int rc = 0;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (p->installed < p->compressed) {
            page_job *j = &p->jobs[p->installed % PAGER_QUEUE];
            pthread_mutex_unlock(&p->lock);
            if (j->rc != 0 || ts_shim_page_set_deflated(j->page, j->data, j->len) != 0)
                rc = -1;
            free(j->data);
            j->data = NULL;
            pthread_mutex_lock(&p->lock);
            p->installed++;
        }
        if (!wait || p->installed == p->queued)
            break;
        pager_wake(p); /* the last pages may be fewer than a batch */
        pthread_cond_wait(&p->done, &p->lock);
    }
    pthread_mutex_unlock(&p->lock);
    return rc;
}

void ts_pager_free(ts_pager *p)
{
    if (p == NULL)
        return;
    if (p->threaded) {
        pthread_mutex_lock(&p->lock);
        p->stop = true;
        pthread_cond_signal(&p->work);
        pthread_mutex_unlock(&p->lock);
        pthread_join(p->thread, NULL);
        for (size_t i = p->installed; i < p->compressed; i++)
            free(p->jobs[i % PAGER_QUEUE].data);
        pthread_cond_destroy(&p->work);
        pthread_cond_destroy(&p->done);
        pthread_mutex_destroy(&p->lock);
    }
    deflater_end(&p->d);
    free(p);
}

ts_pager *ts_pager_new(bool single_thread)
{
    ts_pager *p = calloc(1, sizeof *p);
    if (p == NULL)
        return NULL;
    if (!single_thread && sysconf(_SC_NPROCESSORS_ONLN) > 1 &&
        pthread_mutex_init(&p->lock, NULL) == 0) {
        if (pthread_cond_init(&p->work, NULL) == 0) {
            if (pthread_cond_init(&p->done, NULL) == 0) {
                if (pthread_create(&p->thread, NULL, pager_main, p) == 0) {
                    p->threaded = true;
                    return p;
                }
                pthread_cond_destroy(&p->done);
            }
            pthread_cond_destroy(&p->work);
        }
        pthread_mutex_destroy(&p->lock);
    }
    return p; /* no thread: pages are compressed as they are finished */
}

int ts_pager_seal(ts_pager *p, HPDF_Page page, ts_buf *content)
{
    if (!p->threaded) {
        size_t len;
        return deflate_content(&p->d, (const unsigned char *)content->data, content->len, &len) == 0
                   ? ts_shim_page_set_deflated(page, (const unsigned char *)p->d.out.data, len)
                   : -1;
    }
    /* When the queue is full the thread is behind: wait until it has compressed a page. */
    pthread_mutex_lock(&p->lock);
    while (p->queued - p->installed == PAGER_QUEUE && p->compressed == p->installed) {
        pager_wake(p);
        pthread_cond_wait(&p->done, &p->lock);
    }
    pthread_mutex_unlock(&p->lock);
    int rc = pager_collect(p, false);
    pthread_mutex_lock(&p->lock);
    /* The operators go with the job; the next page starts a buffer of its own. */
    size_t len;
    unsigned char *in = (unsigned char *)ts_buf_take(content, &len);
    p->jobs[p->queued % PAGER_QUEUE] = (page_job){.page = page, .in = in, .in_len = len};
    p->queued++;
    if (p->queued - p->compressed >= PAGER_BATCH)
        pager_wake(p);
    pthread_mutex_unlock(&p->lock);
    return rc;
}

int ts_pager_finish(ts_pager *p)
{
    return p == NULL || !p->threaded ? 0 : pager_collect(p, true);
}
