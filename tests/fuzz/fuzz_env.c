#define _GNU_SOURCE /* mkdtemp */
#include "fuzz_env.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "writer/writer.h"

_Noreturn void fuzz_env_fail(const fuzz_env *env, const char *what, const ts_diags *diags)
{
    fprintf(stderr, "%s: cannot load %s\n", env->target, what);
    if (diags)
        ts_diags_print((ts_diags *)diags, stderr);
    abort();
}

void fuzz_env_init(fuzz_env *env, const char *target, const char *tag, const char *data_dir,
                   ts_diags *diags)
{
    memset(env, 0, sizeof *env);
    env->target = target;
    const char *base = "/dev/shm";
    struct stat st;
    if (stat(base, &st) != 0 || !S_ISDIR(st.st_mode) || access(base, W_OK) != 0) {
        base = getenv("TMPDIR");
        if (base == NULL || *base == '\0')
            base = "/tmp";
    }
    snprintf(env->dir, sizeof env->dir, "%s/taseuranta-%s-%ld-XXXXXX", base, tag, (long)getpid());
    if (mkdtemp(env->dir) == NULL)
        fuzz_env_fail(env, "a scratch folder", NULL);
    static const char *const ext[3] = {"pdf", "xlsx", "ods"};
    for (size_t i = 0; i < 3; i++)
        snprintf(env->paths[i], sizeof env->paths[i], "%s/out.%s", env->dir, ext[i]);

    if (!ts_diags_init(diags, NULL) || (env->arena = ts_arena_new(NULL)) == NULL)
        fuzz_env_fail(env, "memory", NULL);
    char path[4096];
    static const ts_lang langs[3] = {TS_LANG_FI, TS_LANG_SV, TS_LANG_EN};
    snprintf(path, sizeof path, "%s/layouts/labels", data_dir);
    for (size_t i = 0; i < 3; i++) {
        env->labels[i] = ts_labels_load(path, langs[i], env->arena, diags);
        if (env->labels[i] == NULL)
            fuzz_env_fail(env, "the labels", diags);
    }
    static const char *const layouts[2] = {"helsinki.xml", "a4-landscape.xml"};
    for (size_t i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/layouts/%s", data_dir, layouts[i]);
        env->layouts[i] =
            ts_layout_load(path, data_dir, ts_slides_layout_needs(), env->arena, diags);
        if (env->layouts[i] == NULL)
            fuzz_env_fail(env, path, diags);
    }
}

void fuzz_env_free(fuzz_env *env)
{
    for (size_t i = 0; i < 3; i++)
        unlink(env->paths[i]);
    rmdir(env->dir);
    ts_round_free(env->round);
    ts_arena_free(env->arena);
    env->round = NULL;
    env->arena = NULL;
}

void fuzz_env_check_rc(const fuzz_env *env, ts_rc rc, const ts_diags *diags, size_t errors_before,
                       const char *writer)
{
    if (rc == TS_OK)
        return;
    if (rc == TS_INPUT_ERROR && diags->errors > errors_before)
        return;
    fprintf(stderr, "%s: %s returned %d%s\n", env->target, writer, (int)rc,
            diags->errors > errors_before ? ":" : " and reported no error");
    ts_diags_print((ts_diags *)diags, stderr);
    abort();
}
