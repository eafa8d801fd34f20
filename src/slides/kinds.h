/* The slide kinds of the pack: each is a record (kit.h: sl_kind) in a file of its own, and
 * pack.c composes them in the pack's order. */
#ifndef TS_SLIDES_KINDS_H
#define TS_SLIDES_KINDS_H

#include "slides/kit.h"

extern const sl_kind sl_pack_cover;     /* pack_cover.c */
extern const sl_kind sl_status_picture; /* status_picture.c */
extern const sl_kind sl_overview;       /* overview.c */
extern const sl_kind sl_deck_cover;     /* deck_cover.c */
extern const sl_kind sl_goal;           /* goal.c */
extern const sl_kind sl_notes;          /* notes.c */
extern const sl_kind sl_progress;       /* progress.c */
extern const sl_kind sl_detail;         /* detail.c */
extern const sl_kind sl_forecast;       /* forecast.c */
extern const sl_kind sl_measure_table;  /* measure_table.c */
extern const sl_kind sl_summary;        /* summary.c */

#endif
