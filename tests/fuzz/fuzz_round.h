/* The libFuzzer entry points of fuzz_round.c, for the replay driver. */
#ifndef TS_FUZZ_ROUND_H
#define TS_FUZZ_ROUND_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
