// Error codes and the one logging hook every module reports through.
//
// Functions return 0 on success or a negative NSP_E... code; nsp_strerror()
// names the code. Details (which parameter, what was expected) go through
// nsp_log(), whose sink the program may replace (tests capture it).
#ifndef NSP_ERROR_H
#define NSP_ERROR_H

#include <stdarg.h>

enum {
    NSP_OK = 0,
    NSP_EINVAL = -1,   // A value outside its documented range.
    NSP_ENOMEM = -2,   // An allocation failed.
    NSP_ERANGE = -3,   // An index (a frame, a buffer slot) out of range.
    NSP_ENOSPC = -4,   // A caller buffer is too small for what must be written.
    NSP_EIO = -5,      // A file could not be read or written.
    NSP_EFORMAT = -6,  // A file or string is malformed.
    NSP_EGL = -7,      // OpenGL or context creation failed.
    NSP_ENODISPLAY = -8, // No display or GL context can be made here.
};

typedef enum nsp_log_level {
    NSP_LOG_ERROR,
    NSP_LOG_WARN,
    NSP_LOG_INFO,
} nsp_log_level_t;

// A sink receives one formatted message, without a trailing newline.
typedef void (*nsp_log_fn)(nsp_log_level_t level, const char *msg, void *user);

// Returns a static, human-readable name for an NSP_E... code.
const char *nsp_strerror(int err);

// Replaces the log sink; NULL restores the default (stderr, "nsplay: ..." prefix).
void nsp_log_set_sink(nsp_log_fn fn, void *user);

// Marks a function whose argument fmt is a printf format for the arguments
// from args on, so that the compiler checks every call's arguments.
#if defined(__GNUC__)
#define NSP_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define NSP_PRINTF(fmt, args)
#endif

// Formats a message and hands it to the sink.
NSP_PRINTF(2, 3)
void nsp_log(nsp_log_level_t level, const char *fmt, ...);

#endif
