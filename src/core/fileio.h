// Whole-file I/O: files are written atomically (a temporary file in the same
// directory, flushed to disk, then renamed over the target), so a reader
// never sees a half-written file and an interrupted run leaves the old one.
#ifndef NSP_FILEIO_H
#define NSP_FILEIO_H

#include <stddef.h>

#include <stdio.h>

// A file being written atomically, for writers that stream (a trace, a
// PNG through libpng): nsp_atomic_open() creates a temporary file beside
// path, with the mode fopen() would give; the caller writes to f; then
// nsp_atomic_commit() flushes, syncs and renames it over path (and syncs
// the directory), or nsp_atomic_abort() removes it. Messages read "cannot
// write <what> '<path>': <reason>".
typedef struct nsp_atomic_file {
    FILE *f;
    char *tmp;
    const char *path, *what;
} nsp_atomic_file_t;

// Returns 0, NSP_EIO (logged) or NSP_ENOMEM.
int nsp_atomic_open(nsp_atomic_file_t *a, const char *path, const char *what);
// Returns 0 or NSP_EIO (logged; the temporary file is removed). Either way
// a is closed.
int nsp_atomic_commit(nsp_atomic_file_t *a);
void nsp_atomic_abort(nsp_atomic_file_t *a);

// Writes len bytes to path atomically (nsp_atomic_open and commit). Returns
// 0, NSP_EIO (logged with the path and the system's reason) or NSP_ENOMEM.
int nsp_file_write_atomic(const char *path, const void *data, size_t len);

// Stale temporary files: a write killed between nsp_atomic_open() and the
// rename leaves "<path>.tmp-XXXXXX" beside path. Readers never open those
// names; after each successful commit the writer removes the ones of path
// older than NSP_FILE_STALE_S seconds with a warning naming each; younger
// ones may be another process's write in progress and are left alone.
// Returns how many were removed.
#define NSP_FILE_STALE_S 60
int nsp_file_clean_stale(const char *path);

// Reads a whole file into a NUL-terminated heap buffer (*out, caller frees);
// *len excludes the NUL. Returns 0, NSP_EIO (logged: a directory reads "is a
// directory, expected a file", a failed read the system's reason) or
// NSP_ENOMEM.
int nsp_file_read_all(const char *path, char **out, size_t *len);

// Creating directories. The one rule for outputs: every file nsplay writes
// (through nsp_atomic_open, so every output) has its missing parent
// directories created, like mkdir -p; a component that exists and is not a
// directory is an error naming it.
//
// mkdir -p: creates dir and every missing directory above it (0755). A
// component that exists and is not a directory is an error. Returns 0,
// NSP_EIO (logged with the directory and the system's reason) or
// NSP_ENOMEM.
int nsp_file_mkdirs(const char *dir);

// Creates the directories that will hold the file path (mkdir -p of its
// directory part); a path with no '/' needs none. Returns as
// nsp_file_mkdirs().
int nsp_file_mkdirs_parent(const char *path);

#endif
