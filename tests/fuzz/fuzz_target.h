/* What a libFuzzer target of tests/fuzz/ gives the replay driver (replay_main.c): libFuzzer's
 * entry points, and the option bytes that --every-option runs a saved input under. */
#ifndef TS_FUZZ_TARGET_H
#define TS_FUZZ_TARGET_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The option bytes (the first byte of an input) that together take a file through every path
 * of the target; *n is set to their number. */
const unsigned char *fuzz_every_option(size_t *n);

#endif
