// Shared by the libFuzzer harnesses (one per file kind nsplay reads): a
// quiet log sink (messages are still formatted, so their code is fuzzed
// too), a private scratch directory under $TMPDIR (created once per
// process, removed at exit) and writing an input into a file there, for the
// loaders that read paths.
#ifndef NSP_FUZZ_COMMON_H
#define NSP_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static char fuzz_dir[256];

static void fuzz_quiet(nsp_log_level_t level, const char *msg, void *user) {
    (void)level;
    (void)msg;
    (void)user;
}

static void fuzz_remove_dir(void) {
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fuzz_dir);
    if (system(cmd) != 0) {
        fprintf(stderr, "fuzz: could not remove %s\n", fuzz_dir);
    }
}

// Silences nsp_log and makes the scratch directory. Called from
// LLVMFuzzerInitialize.
static void fuzz_setup(void) {
    nsp_log_set_sink(fuzz_quiet, NULL);
    const char *base = getenv("TMPDIR");
    snprintf(fuzz_dir, sizeof fuzz_dir, "%s/nsplay-fuzz-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(fuzz_dir)) {
        perror("fuzz: mkdtemp");
        abort();
    }
    atexit(fuzz_remove_dir);
}

// fuzz_dir/rel, in a static buffer.
static const char *fuzz_path(const char *rel) {
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", fuzz_dir, rel);
    return path;
}

// Writes size bytes to fuzz_dir/rel (its directories made first).
static void fuzz_write(const char *rel, const uint8_t *data, size_t size) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", fuzz_dir, rel);
    for (char *p = path + strlen(fuzz_dir) + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0755);
            *p = '/';
        }
    }
    FILE *f = fopen(path, "wb");
    if (!f || (size > 0 && fwrite(data, 1, size, f) != size) || fclose(f) != 0) {
        perror(path);
        abort();
    }
}

// The input as a NUL-terminated heap string (the parsers want one).
static char *fuzz_text(const uint8_t *data, size_t size) {
    char *text = malloc(size + 1);
    if (!text) {
        abort();
    }
    memcpy(text, data, size);
    text[size] = '\0';
    return text;
}

// The harnesses' start-up, unless one defines FUZZ_OWN_INITIALIZE before
// including this file and calls fuzz_setup() from its own.
#ifndef FUZZ_OWN_INITIALIZE
int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    fuzz_setup();
    return 0;
}
#endif

#endif
