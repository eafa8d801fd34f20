/* The document's metadata (meta.c). */
#ifndef TS_PDF_META_H
#define TS_PDF_META_H

#include "pdf/state.h"

/* The catalog's /Lang and viewer preferences, the information dictionary, the XMP packet, the
 * OutputIntent of PDF/A and the /ID, from pdf->info: what is written last before the file. */
int ts_pdf_write_meta(ts_pdf *pdf);

#endif
