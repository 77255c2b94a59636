// Whole-file I/O: files are written atomically (a temporary file in the same
// directory, flushed to disk, then renamed over the target), so a reader
// never sees a half-written file and an interrupted run leaves the old one.
#ifndef NSP_FILEIO_H
#define NSP_FILEIO_H

#include <stddef.h>

// Writes len bytes to path atomically. Returns 0 or NSP_EIO (logged with the
// path and the system's reason).
int nsp_file_write_atomic(const char *path, const void *data, size_t len);

// Reads a whole file into a NUL-terminated heap buffer (*out, caller frees);
// *len excludes the NUL. Returns 0, NSP_EIO (logged) or NSP_ENOMEM.
int nsp_file_read_all(const char *path, char **out, size_t *len);

#endif
