#include "json.h"

#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/fileio.h"

void nsp_json_position(const char *text, size_t offset, int *line, int *column) {
    int ln = 1, col = 1;
    for (size_t i = 0; i < offset && text[i] != '\0'; i++) {
        if (text[i] == '\n') {
            ln++;
            col = 1;
        } else {
            col++;
        }
    }
    *line = ln;
    *column = col;
}

const char *nsp_json_type_name(const cJSON *item) {
    if (item == NULL) {
        return "nothing";
    }
    if (cJSON_IsBool(item)) {
        return item->type & cJSON_True ? "true" : "false";
    }
    if (cJSON_IsNull(item)) {
        return "null";
    }
    if (cJSON_IsNumber(item)) {
        return "a number";
    }
    if (cJSON_IsString(item)) {
        return "a string";
    }
    if (cJSON_IsArray(item)) {
        return "an array";
    }
    if (cJSON_IsObject(item)) {
        return "an object";
    }
    return "an unknown value";
}

static bool blank(const char *text, size_t len) {
    for (size_t i = 0; i < len; i++) {
        if (!isspace((unsigned char)text[i])) {
            return false;
        }
    }
    return true;
}

cJSON *nsp_json_parse(const char *path, const char *text, size_t len, int *err) {
    if (blank(text, len)) {
        nsp_log(NSP_LOG_ERROR, "%s: empty file, expected JSON", path);
        *err = NSP_EFORMAT;
        return NULL;
    }
    const char *end = NULL;
    // The length includes the terminating NUL: with require_null_terminated,
    // cJSON wants to see it within the length it is given.
    cJSON *root = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
    if (root != NULL) {
        *err = 0;
        return root;
    }
    if (end == NULL) {
        // cJSON reports no position only when it could not allocate.
        nsp_log(NSP_LOG_ERROR, "%s: out of memory while parsing JSON", path);
        *err = NSP_ENOMEM;
        return NULL;
    }
    size_t offset = end >= text && (size_t)(end - text) <= len ? (size_t)(end - text) : len;
    int line, column;
    nsp_json_position(text, offset, &line, &column);
    if (offset >= len) {
        nsp_log(NSP_LOG_ERROR, "%s:%d:%d: malformed JSON: unexpected end of file", path, line, column);
    } else if (text[offset] != '\n' && text[offset] != '\r') {
        // Show what follows the error point, up to the end of its line.
        char near[32];
        size_t n = 0;
        for (size_t i = offset; i < len && n < sizeof near - 1 && text[i] != '\n' && text[i] != '\r'; i++) {
            unsigned char c = (unsigned char)text[i];
            near[n++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
        }
        near[n] = '\0';
        nsp_log(NSP_LOG_ERROR, "%s:%d:%d: malformed JSON near '%s'", path, line, column, near);
    } else {
        // At the end of a line: show what precedes the error point.
        size_t from = offset;
        while (from > 0 && offset - from < 30 && text[from - 1] != '\n') {
            from--;
        }
        while (from < offset && (text[from] == ' ' || text[from] == '\t')) {
            from++;
        }
        char after[32];
        size_t n = 0;
        for (size_t i = from; i < offset && n < sizeof after - 1; i++) {
            unsigned char c = (unsigned char)text[i];
            after[n++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
        }
        after[n] = '\0';
        nsp_log(NSP_LOG_ERROR, "%s:%d:%d: malformed JSON after '%s'", path, line, column, after);
    }
    *err = NSP_EFORMAT;
    return NULL;
}

cJSON *nsp_json_read_file(const char *path, int *err) {
    char *text = NULL;
    size_t len = 0;
    *err = nsp_file_read_all(path, &text, &len);
    if (*err != 0) {
        return NULL;
    }
    cJSON *root = nsp_json_parse(path, text, len, err);
    free(text);
    return root;
}

// ---- typed getters -------------------------------------------------------

NSP_PRINTF(3, 4)
static int reject(const nsp_json_at_t *at, const char *key, const char *fmt, ...) {
    char what[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    const char *where = at->where ? at->where : "";
    if (at->index >= 0) {
        nsp_log(NSP_LOG_ERROR, "%s: %s%ld: %s: %s", at->file, where, at->index, key, what);
    } else {
        nsp_log(NSP_LOG_ERROR, "%s: %s%s: %s", at->file, where, key, what);
    }
    return NSP_EFORMAT;
}

static const cJSON *member(const cJSON *obj, const char *key) {
    return cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
}

// "a finite number", "a number >= 0", "a number in 0..1e+12".
static void describe_range(char *out, size_t cap, const char *noun, double lo, double hi) {
    if (isinf(lo) && isinf(hi)) {
        snprintf(out, cap, "a finite %s", noun);
    } else if (isinf(hi)) {
        snprintf(out, cap, "a %s >= %.15g", noun, lo);
    } else if (isinf(lo)) {
        snprintf(out, cap, "a %s <= %.15g", noun, hi);
    } else {
        snprintf(out, cap, "a %s in %.15g..%.15g", noun, lo, hi);
    }
}

int nsp_json_check_number(const cJSON *value, const char *key, double lo, double hi, const nsp_json_at_t *at,
                          double *out) {
    char range[96];
    describe_range(range, sizeof range, "number", lo, hi);
    if (!cJSON_IsNumber(value)) {
        return reject(at, key, "expected %s, got %s", range, nsp_json_type_name(value));
    }
    double v = value->valuedouble;
    if (!isfinite(v)) {
        return reject(at, key, "expected %s, got an infinite one", range);
    }
    if (!(v >= lo && v <= hi)) {
        return reject(at, key, "expected %s, got %.15g", range, v);
    }
    if (out) {
        *out = v;
    }
    return 0;
}

int nsp_json_get_number(const cJSON *obj, const char *key, double lo, double hi, const nsp_json_at_t *at,
                        double *out) {
    return nsp_json_check_number(member(obj, key), key, lo, hi, at, out);
}

int nsp_json_get_int(const cJSON *obj, const char *key, int64_t lo, int64_t hi, const nsp_json_at_t *at,
                     int64_t *out) {
    return nsp_json_check_int(member(obj, key), key, lo, hi, at, out);
}

int nsp_json_check_int(const cJSON *value, const char *key, int64_t lo, int64_t hi, const nsp_json_at_t *at,
                       int64_t *out) {
    char range[96];
    snprintf(range, sizeof range, "an integer in %" PRId64 "..%" PRId64, lo, hi);
    if (!cJSON_IsNumber(value)) {
        return reject(at, key, "expected %s, got %s", range, nsp_json_type_name(value));
    }
    double v = value->valuedouble;
    if (!isfinite(v)) {
        return reject(at, key, "expected %s, got an infinite number", range);
    }
    // The bounds are exact doubles (|bound| <= 2^53), so the comparison is
    // exact and the conversion below cannot overflow.
    if (!(v >= (double)lo && v <= (double)hi) || v != floor(v)) {
        return reject(at, key, "expected %s, got %.15g", range, v);
    }
    if (out) {
        *out = (int64_t)v;
    }
    return 0;
}

int nsp_json_get_string(const cJSON *obj, const char *key, size_t cap, const nsp_json_at_t *at, const char **out) {
    const cJSON *value = member(obj, key);
    if (!cJSON_IsString(value) || value->valuestring[0] == '\0') {
        return reject(at, key, "expected a non-empty string, got %s",
                      cJSON_IsString(value) ? "an empty string" : nsp_json_type_name(value));
    }
    if (cap > 0 && strlen(value->valuestring) >= cap) {
        return reject(at, key, "longer than %zu characters", cap - 1);
    }
    if (out) {
        *out = value->valuestring;
    }
    return 0;
}

int nsp_json_get_bool(const cJSON *obj, const char *key, const nsp_json_at_t *at, bool *out) {
    const cJSON *value = member(obj, key);
    if (!cJSON_IsBool(value)) {
        return reject(at, key, "expected true or false, got %s", nsp_json_type_name(value));
    }
    if (out) {
        *out = cJSON_IsTrue(value);
    }
    return 0;
}

int nsp_json_get_array(const cJSON *obj, const char *key, const nsp_json_at_t *at, const cJSON **out) {
    const cJSON *value = member(obj, key);
    if (!cJSON_IsArray(value)) {
        return reject(at, key, "expected an array, got %s", nsp_json_type_name(value));
    }
    if (out) {
        *out = value;
    }
    return 0;
}

double nsp_json_number_or(const cJSON *obj, const char *key, double fallback) {
    const cJSON *v = member(obj, key);
    return cJSON_IsNumber(v) && isfinite(v->valuedouble) ? v->valuedouble : fallback;
}

int64_t nsp_json_int_or(const cJSON *obj, const char *key, int64_t lo, int64_t hi, int64_t fallback) {
    const cJSON *v = member(obj, key);
    if (!cJSON_IsNumber(v)) {
        return fallback;
    }
    double d = v->valuedouble;
    return d >= (double)lo && d <= (double)hi && d == floor(d) ? (int64_t)d : fallback;
}

const char *nsp_json_string_or(const cJSON *obj, const char *key, const char *fallback) {
    const cJSON *v = member(obj, key);
    return cJSON_IsString(v) && v->valuestring[0] ? v->valuestring : fallback;
}

void nsp_json_copy_string(const cJSON *obj, const char *key, char *out, size_t cap) {
    const cJSON *v = member(obj, key);
    snprintf(out, cap, "%s", cJSON_IsString(v) ? v->valuestring : "");
}
