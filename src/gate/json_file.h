// JSON files read by nsplay (baselines, bench results, perfmon configs, Chrome
// traces), with errors a user can act on: a malformed file is reported as
// "<file>:<line>:<column>: malformed JSON near '<text>'".
#ifndef NSP_GATE_JSON_FILE_H
#define NSP_GATE_JSON_FILE_H

#include <stddef.h>

#include <cjson/cJSON.h>

// Parses len bytes of text (NUL-terminated at text[len]) read from path (used
// only in messages). Returns the tree (caller frees with cJSON_Delete), or
// NULL with the problem logged and *err set to NSP_EFORMAT (or NSP_ENOMEM).
cJSON *nsp_json_parse(const char *path, const char *text, size_t len, int *err);

// Reads and parses the file at path. Returns the tree, or NULL with the
// problem logged and *err set to NSP_EIO, NSP_EFORMAT or NSP_ENOMEM.
cJSON *nsp_json_read_file(const char *path, int *err);

// 1-based line and column (in bytes) of offset in text.
void nsp_json_position(const char *text, size_t offset, int *line, int *column);

// "a string", "a number", "an array", ... for messages such as
// "trace_qt_events: expected true or false, got a string".
const char *nsp_json_type_name(const cJSON *item);

#endif
