#include "fileio.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "error.h"

static int make_dirs(const char *path, int whole);

static void atomic_fail(const nsp_atomic_file_t *a, int errnum) {
    nsp_log(NSP_LOG_ERROR, "cannot write %s '%s': %s", a->what, a->path, strerror(errnum ? errnum : EIO));
}

int nsp_atomic_open(nsp_atomic_file_t *a, const char *path, const char *what) {
    *a = (nsp_atomic_file_t){.path = path, .what = what};
    // The one rule for every output: its missing parent directories are
    // created (mkdir -p), whichever command writes it.
    int made = make_dirs(path, 0);
    if (made != 0) {
        nsp_log(NSP_LOG_ERROR, "cannot write %s '%s': its directory cannot be created", what, path);
        return made;
    }
    // Beside the destination, so that the rename stays within one file
    // system and is atomic.
    size_t len = strlen(path);
    a->tmp = malloc(len + sizeof ".tmp-XXXXXX");
    if (!a->tmp) {
        atomic_fail(a, ENOMEM);
        return NSP_ENOMEM;
    }
    memcpy(a->tmp, path, len);
    memcpy(a->tmp + len, ".tmp-XXXXXX", sizeof ".tmp-XXXXXX");
    int fd = mkstemp(a->tmp);
    if (fd < 0) {
        atomic_fail(a, errno);
        free(a->tmp);
        a->tmp = NULL;
        return NSP_EIO;
    }
    // mkstemp makes the file private (0600); give it the mode a plain
    // fopen() would, as the rename makes it the user's file.
    mode_t mask = umask(0);
    umask(mask);
    (void)fchmod(fd, 0666 & ~mask);
    a->f = fdopen(fd, "wb");
    if (!a->f) {
        atomic_fail(a, errno);
        close(fd);
        nsp_atomic_abort(a);
        return NSP_EIO;
    }
    return 0;
}

void nsp_atomic_abort(nsp_atomic_file_t *a) {
    if (a->f) {
        fclose(a->f);
        a->f = NULL;
    }
    if (a->tmp) {
        unlink(a->tmp);
        free(a->tmp);
        a->tmp = NULL;
    }
}

int nsp_atomic_commit(nsp_atomic_file_t *a) {
    // A streaming writer's failed fprintf/fwrite left its reason in errno
    // (ENOSPC, EFBIG, ...); ferror() does not set errno, so take it before
    // anything else can overwrite it.
    int write_errno = errno;
    int err = 0;
    if (ferror(a->f)) {
        err = write_errno ? write_errno : EIO;
    } else {
        errno = 0;
        if (fflush(a->f) != 0 || fsync(fileno(a->f)) != 0) {
            err = errno ? errno : EIO;
        }
    }
    if (fclose(a->f) != 0 && err == 0) {
        err = errno ? errno : EIO;
    }
    a->f = NULL;
    if (err == 0 && rename(a->tmp, a->path) != 0) {
        err = errno;
    }
    if (err != 0) {
        atomic_fail(a, err);
        nsp_atomic_abort(a);
        return NSP_EIO;
    }
    free(a->tmp);
    a->tmp = NULL;
    nsp_file_clean_stale(a->path);
    // Make the rename itself durable; failure here loses nothing readable.
    const char *slash = strrchr(a->path, '/');
    char dir[4096];
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - a->path) + 1 : 1, slash ? a->path : ".");
    int dfd = open(dir, O_RDONLY);
    if (dfd >= 0) {
        (void)fsync(dfd);
        close(dfd);
    }
    return 0;
}

int nsp_file_write_atomic(const char *path, const void *data, size_t len) {
    nsp_atomic_file_t a;
    int err = nsp_atomic_open(&a, path, "file");
    if (err) {
        return err;
    }
    errno = 0;
    if (len > 0 && fwrite(data, 1, len, a.f) != len) {
        atomic_fail(&a, errno);
        nsp_atomic_abort(&a);
        return NSP_EIO;
    }
    return nsp_atomic_commit(&a);
}

int nsp_file_read_all(const char *path, char **out, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        nsp_log(NSP_LOG_ERROR, "%s: cannot open: %s", path, strerror(errno));
        return NSP_EIO;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        nsp_log(NSP_LOG_ERROR, "%s: is a directory, expected a file", path);
        fclose(f);
        return NSP_EIO;
    }
    errno = 0;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n - 1, f);
        if (n < cap - 1) {
            break;
        }
        char *bigger = realloc(buf, cap * 2);
        if (!bigger) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    int failed = ferror(f) ? (errno ? errno : EIO) : 0;
    fclose(f);
    if (!buf) {
        return NSP_ENOMEM;
    }
    if (failed) {
        nsp_log(NSP_LOG_ERROR, "%s: read failed: %s", path, strerror(failed));
        free(buf);
        return NSP_EIO;
    }
    buf[n] = '\0';
    *out = buf;
    if (len) {
        *len = n;
    }
    return 0;
}

// mkdir, tolerating a directory that is already there.
static int make_dir(const char *path) {
    if (mkdir(path, 0755) == 0 || errno == EEXIST) {
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            return 0;
        }
        nsp_log(NSP_LOG_ERROR, "%s: exists and is not a directory", path);
        return NSP_EIO;
    }
    nsp_log(NSP_LOG_ERROR, "%s: cannot create the directory: %s", path, strerror(errno));
    return NSP_EIO;
}

// Creates every directory named by a prefix of path that ends before a '/',
// and path itself when whole is set.
static int make_dirs(const char *path, int whole) {
    size_t len = strlen(path);
    char *buf = malloc(len + 1);
    if (!buf) {
        nsp_log(NSP_LOG_ERROR, "%s: no memory to create its directories", path);
        return NSP_ENOMEM;
    }
    memcpy(buf, path, len + 1);
    int err = 0;
    for (char *p = buf + 1; *p && !err; p++) {
        if (*p == '/' && p[-1] != '/') {
            *p = '\0';
            err = make_dir(buf);
            *p = '/';
        }
    }
    if (!err && whole && len > 0) {
        err = make_dir(buf);
    }
    free(buf);
    return err;
}

int nsp_file_mkdirs(const char *dir) {
    return make_dirs(dir, 1);
}

int nsp_file_mkdirs_parent(const char *path) {
    return make_dirs(path, 0);
}

// The temporary names nsp_atomic_open() makes for base: base ".tmp-" and
// mkstemp's six characters.
static bool is_tmp_of(const char *name, const char *base, size_t base_len) {
    return strncmp(name, base, base_len) == 0 && strncmp(name + base_len, ".tmp-", 5) == 0 &&
           strlen(name + base_len + 5) == 6;
}

int nsp_file_clean_stale(const char *path) {
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    char dir[4096];
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) + 1 : 1, slash ? path : ".");
    DIR *d = opendir(dir);
    if (!d) {
        return 0;
    }
    size_t base_len = strlen(base);
    time_t now = time(NULL);
    int removed = 0;
    const struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!is_tmp_of(de->d_name, base, base_len)) {
            continue;
        }
        char tmp[4096 + 256];
        snprintf(tmp, sizeof tmp, "%s%s", slash ? dir : "", de->d_name);
        struct stat st;
        if (stat(tmp, &st) != 0 || !S_ISREG(st.st_mode)) {
            continue;
        }
        // A young one may be another process's write still in progress:
        // left alone (readers never open these names).
        if (now - st.st_mtime >= NSP_FILE_STALE_S && unlink(tmp) == 0) {
            nsp_log(NSP_LOG_WARN, "%s: removed a stale temporary file (an interrupted write of %s)", tmp, path);
            removed++;
        }
    }
    closedir(d);
    return removed;
}
