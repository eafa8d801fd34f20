/* The pager compresses a finished page's content at once, instead of libharu when the file is
 * saved, so that the document holds its pages compressed (a 4,000-page pack keeps about 5 MB of
 * page content in memory instead of 20).  With more than one core it does so on a thread of its
 * own while the next pages are drawn: the page's operators go to the thread with the page,
 * which deflates them into a buffer of its own and never touches libharu; the document's thread
 * puts the result into libharu (ts_shim_page_set_deflated).  The bytes are the same either
 * way. */
#ifndef TS_PAGER_H
#define TS_PAGER_H

#include <stdbool.h>

#include <hpdf.h>

#include "core/buf.h"

typedef struct ts_pager ts_pager;

/* single_thread: no thread (the allocation-failure sweep wants the same allocations in every
 * run).  NULL when out of memory. */
ts_pager *ts_pager_new(bool single_thread);
/* Stops the thread; pages not yet given to libharu are dropped. */
void ts_pager_free(ts_pager *p);

/* page is finished and content holds its operators: compressed now, or handed to the thread
 * with content's bytes (content is left empty).  -1 when a page could not be compressed or
 * given to libharu. */
int ts_pager_seal(ts_pager *p, HPDF_Page page, ts_buf *content);

/* Every page sealed so far compressed and given to libharu (before saving). */
int ts_pager_finish(ts_pager *p);

#endif
