/* The result of an operation that can fail, equal to the exit status it leads to (outputs.md
 * §3), so that main returns what the commands return. */
#ifndef TS_STATUS_H
#define TS_STATUS_H

typedef enum ts_rc {
    TS_OK = 0,           /* done */
    TS_INPUT_ERROR = 1,  /* an input (round, layout, labels) was refused */
    TS_USAGE_ERROR = 2,  /* wrong command line */
    TS_SYSTEM_ERROR = 3, /* an output or system error: cannot write, out of memory */
    TS_RC_COUNT
} ts_rc;

/* What the result means, as --help and the man page say it: "done", "an input was refused",
 * "wrong usage", "an output or system error"; "?" for a value outside the enum. */
const char *ts_rc_name(ts_rc rc);

#endif
