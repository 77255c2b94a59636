// Test helper: a fresh temporary directory for a group of tests (under
// $TMPDIR, else /tmp), paths inside it, and its removal with all it holds.
#ifndef NSP_TEST_TMP_DIR_H
#define NSP_TEST_TMP_DIR_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmp_dir[256];

// Creates tmp_dir as <TMPDIR>/<prefix>-XXXXXX. Returns 0 or -1: a cmocka
// group set-up.
static inline int tmp_dir_make(const char *prefix) {
    const char *base = getenv("TMPDIR");
    snprintf(tmp_dir, sizeof tmp_dir, "%s/%s-XXXXXX", base && *base ? base : "/tmp", prefix);
    return mkdtemp(tmp_dir) ? 0 : -1;
}

// Removes path and, if it is a directory, all below it. Returns 0 or -1.
static inline int tmp_dir_remove_tree(const char *path) {
    struct stat st;
    if (lstat(path, &st) != 0) {
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        return unlink(path);
    }
    DIR *d = opendir(path);
    int rc = d ? 0 : -1;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            char child[1024];
            if (snprintf(child, sizeof child, "%s/%s", path, e->d_name) >= (int)sizeof child) {
                rc = -1;  // Too long to name: leave it, and say the removal failed.
                continue;
            }
            rc |= tmp_dir_remove_tree(child);
        }
    }
    if (d) {
        closedir(d);
    }
    return rmdir(path) == 0 ? rc : -1;
}

// Removes tmp_dir and everything in it. Returns 0 or -1.
static inline int tmp_dir_remove(void) {
    return tmp_dir_remove_tree(tmp_dir);
}

// cmocka set-up and tear-down (of a test or a group) around tmp_dir, named
// <TMPDIR>/<TMP_DIR_PREFIX>-XXXXXX: define TMP_DIR_PREFIX before including
// this file.
#ifdef TMP_DIR_PREFIX
static inline int tmp_dir_setup(void **state) {
    (void)state;
    return tmp_dir_make(TMP_DIR_PREFIX);
}

static inline int tmp_dir_teardown(void **state) {
    (void)state;
    return tmp_dir_remove();
}
#endif

// tmp_dir/name, in one of 4 rotating buffers (so a call may take two).
static inline const char *tmp_path(const char *name) {
    static char path[4][512];
    static int next;
    char *p = path[next++ % 4];
    snprintf(p, sizeof path[0], "%s/%s", tmp_dir, name);
    return p;
}

// Writes text to tmp_dir/name. Returns its path (as tmp_path does), or NULL
// when it could not be written.
static inline const char *tmp_write(const char *name, const char *text) {
    const char *path = tmp_path(name);
    FILE *f = fopen(path, "w");
    if (!f) {
        return NULL;
    }
    int bad = fputs(text, f) < 0;
    bad |= fclose(f) != 0;
    return bad ? NULL : path;
}

#endif
