// JSON files read by nsplay (baselines, bench results, histories, perfmon
// configs, Chrome traces), over cJSON, with errors a user can act on: a
// malformed file is reported as "<file>:<line>:<column>: malformed JSON near
// '<text>'", and one set of typed getters checks each member it reads (a
// finite number in range, an integer, a sign, a non-empty string that fits)
// and names the file, the place in it and what was expected:
// "<file>: event 3: ts: expected a number in 0..1e+12, got -5".
#ifndef NSP_JSON_H
#define NSP_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

// ---- typed getters -------------------------------------------------------

// Where a member is, for messages: "<file>: <where><key>: ..." or, with an
// index >= 0, "<file>: <where><index>: <key>: ..." (e.g. where "event ",
// index 3). where may be NULL (the top level).
typedef struct nsp_json_at {
    const char *file;
    const char *where;
    long index;
} nsp_json_at_t;

// Each getter below reads member key of obj (obj may be NULL or not an
// object: the member is then missing). Returns 0 with *out set, or
// NSP_EFORMAT with a message naming at, key and what was expected (a missing
// member is "got nothing"); *out is left alone on error. out may be NULL
// (check only).

// A finite number in lo..hi (use -INFINITY / INFINITY for no bound).
int nsp_json_get_number(const cJSON *obj, const char *key, double lo, double hi, const nsp_json_at_t *at,
                        double *out);

// An integer (a number with no fraction) in lo..hi; |bounds| <= 2^53.
int nsp_json_get_int(const cJSON *obj, const char *key, int64_t lo, int64_t hi, const nsp_json_at_t *at,
                     int64_t *out);

// A non-empty string shorter than cap bytes (cap 0: any length). *out points
// into the tree.
int nsp_json_get_string(const cJSON *obj, const char *key, size_t cap, const nsp_json_at_t *at, const char **out);

// true or false.
int nsp_json_get_bool(const cJSON *obj, const char *key, const nsp_json_at_t *at, bool *out);

// An array (possibly empty).
int nsp_json_get_array(const cJSON *obj, const char *key, const nsp_json_at_t *at, const cJSON **out);

// The same check as nsp_json_get_number() for a value already in hand (an
// array element or an object member named key in messages).
int nsp_json_check_number(const cJSON *value, const char *key, double lo, double hi, const nsp_json_at_t *at,
                          double *out);

// The same check as nsp_json_get_int() for a value already in hand.
int nsp_json_check_int(const cJSON *value, const char *key, int64_t lo, int64_t hi, const nsp_json_at_t *at,
                       int64_t *out);

// Quiet lookups for optional members: the member when it is a finite number
// (a string, non-empty for string_or) and fallback otherwise.
double nsp_json_number_or(const cJSON *obj, const char *key, double fallback);
// The member when it is an integer in lo..hi (|bounds| <= 2^53), fallback
// otherwise: for caches such as the history index, which are rebuilt rather
// than reported when wrong.
int64_t nsp_json_int_or(const cJSON *obj, const char *key, int64_t lo, int64_t hi, int64_t fallback);
const char *nsp_json_string_or(const cJSON *obj, const char *key, const char *fallback);

// Copies member key (a string; "" otherwise) into out, truncated to cap.
void nsp_json_copy_string(const cJSON *obj, const char *key, char *out, size_t cap);

#endif
