#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"

int nsp_file_write_atomic(const char *path, const void *data, size_t len) {
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof tmp) {
        nsp_log(NSP_LOG_ERROR, "%s: path too long", path);
        return NSP_EIO;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        nsp_log(NSP_LOG_ERROR, "%s: cannot create: %s", tmp, strerror(errno));
        return NSP_EIO;
    }
    const char *p = data;
    size_t left = len;
    while (left > 0) {
        ssize_t n = write(fd, p, left);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            nsp_log(NSP_LOG_ERROR, "%s: write failed: %s", tmp, strerror(errno));
            close(fd);
            unlink(tmp);
            return NSP_EIO;
        }
        p += n;
        left -= (size_t)n;
    }
    if (fsync(fd) != 0 || close(fd) != 0) {
        nsp_log(NSP_LOG_ERROR, "%s: cannot flush: %s", tmp, strerror(errno));
        unlink(tmp);
        return NSP_EIO;
    }
    if (rename(tmp, path) != 0) {
        nsp_log(NSP_LOG_ERROR, "%s: cannot rename into place: %s", path, strerror(errno));
        unlink(tmp);
        return NSP_EIO;
    }
    return 0;
}

int nsp_file_read_all(const char *path, char **out, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        nsp_log(NSP_LOG_ERROR, "%s: cannot open: %s", path, strerror(errno));
        return NSP_EIO;
    }
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
    int failed = ferror(f);
    fclose(f);
    if (!buf) {
        return NSP_ENOMEM;
    }
    if (failed) {
        nsp_log(NSP_LOG_ERROR, "%s: read failed", path);
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
