/* Runs fuzz_round.c's target on saved inputs without libFuzzer, so that every regression file
 * takes the fuzzer's own path in the ordinary and the sanitizer builds:
 *   fuzz_replay FILE...                 each file is a fuzz input (option byte, then the round)
 *   fuzz_replay --every-option FILE...  each file is a round, run under every option byte that
 *                                       changes the language, the layout and PDF/A
 * A crash aborts; otherwise the exit status is 0. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "fuzz_round.h"

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
            /* language (4) x layout (2) x PDF/A (2), all writers, lint on */
            for (unsigned opt = 0; opt < 16; opt++) {
                buf[0] = (unsigned char)(0x80u | opt);
                LLVMFuzzerTestOneInput(buf, len + 1);
            }
        }
        free(buf);
    }
    return rc;
}
