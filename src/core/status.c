#include "core/status.h"

const char *ts_rc_name(ts_rc rc)
{
    static const char *const names[TS_RC_COUNT] = {
        [TS_OK] = "done",
        [TS_INPUT_ERROR] = "an input was refused",
        [TS_USAGE_ERROR] = "wrong usage",
        [TS_SYSTEM_ERROR] = "an output or system error",
    };
    return (unsigned)rc < TS_RC_COUNT ? names[rc] : "?";
}
