/* The build command: round files in, PDF / XLSX / ODS out, each file whole or not at all. */
#include "build.h"

#include <stdio.h>

#include "commands.h"

int ts_cmd_build(const ts_build_args *a)
{
    (void)a;
    fprintf(stderr, "taseuranta: error: build is not wired up in this revision yet\n");
    return TS_SYSTEM_ERROR;
}

int ts_cmd_new_round(const ts_new_round_args *a)
{
    (void)a;
    fprintf(stderr, "taseuranta: error: new-round is not wired up in this revision yet\n");
    return TS_SYSTEM_ERROR;
}

const char *ts_data_dir(const char *argv0)
{
    (void)argv0;
    return TASEURANTA_SOURCE_DATA_DIR;
}
