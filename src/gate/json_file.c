#include "json_file.h"

#include <ctype.h>
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
