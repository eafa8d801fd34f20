/* The build command's own helpers, beside commands.h: what the writers are handed is in
 * writer.h. */
#ifndef TS_BUILD_H
#define TS_BUILD_H

#include <time.h>

#include "cli/commands.h"
#include "round/model.h"

/* The build's "now" for round r (ts_build_ctx.now): SOURCE_DATE_EPOCH when it is set, else
 * the round's date at 12:00 UTC. */
time_t ts_build_now(const ts_round *r, ts_epoch epoch);

#endif
