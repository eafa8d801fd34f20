/* The slide pack as the rest of the program sees it: the writer itself (ts_write_pdf) is in
 * writer.h; here is what it needs of a layout. */
#ifndef TS_SLIDES_H
#define TS_SLIDES_H

#include "layout/layout.h"

/* Every slide kind of the pack with its frames and the styles set in them: hand it to
 * ts_layout_load, which refuses a layout that lacks one or has one no kind needs. */
const ts_layout_needs *ts_slides_layout_needs(void);

#endif
