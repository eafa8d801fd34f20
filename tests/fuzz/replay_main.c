/* Runs a fuzz target (fuzz_round.c, fuzz_layout.c) on saved inputs without libFuzzer, so that
 * every regression file takes the fuzzer's own path in the ordinary and the sanitizer builds:
 *   REPLAY FILE...                 each file is a fuzz input (option byte, then the file)
 *   REPLAY --every-option FILE...  each file is a plain file (a round, a layout, a label file),
 *                                  run under every option byte of fuzz_every_option
 * A crash aborts; otherwise the exit status is 0 (2 when a file cannot be read). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "fuzz_target.h"

enum { MAX_INPUT = 256 << 20 };

int main(int argc, char **argv)
{
    LLVMFuzzerInitialize(&argc, &argv);
    int first = 1;
    int every = argc > 1 && strcmp(argv[1], "--every-option") == 0;
    first += every;
    int rc = 0;
    for (int i = first; i < argc; i++) {
        size_t len;
        char *file;
        /* buf[0] is left for an option byte */
        unsigned char *buf = NULL;
        if (ts_read_file(argv[i], MAX_INPUT, NULL, &file, &len) == 0) {
            buf = malloc(len + 1);
            if (buf != NULL)
                memcpy(buf + 1, file, len);
            free(file);
        }
        if (buf == NULL) {
            fprintf(stderr, "fuzz_replay: cannot read %s\n", argv[i]);
            rc = 2;
            continue;
        }
        fprintf(stderr, "%s\n", argv[i]);
        if (!every) {
            LLVMFuzzerTestOneInput(buf + 1, len);
        } else {
            size_t n;
            const unsigned char *opts = fuzz_every_option(&n);
            for (size_t k = 0; k < n; k++) {
                buf[0] = opts[k];
                LLVMFuzzerTestOneInput(buf, len + 1);
            }
        }
        free(buf);
    }
    return rc;
}
