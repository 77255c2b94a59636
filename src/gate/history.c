#include "history.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/error.h"
#include "core/fileio.h"
#include "core/prng.h"
#include "json/json.h"

#define INDEX_KIND "nsplay-history-index"
// A run file's size in the index: a count, exact in a double.
#define INDEX_BYTES_MAX 9007199254740992LL
#define PATH_CAP 4096

// ---------------------------------------------------------------------------
// Validation

static bool parse_digits(const char *s, int n, int *out) {
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's
// days_from_civil).
static int64_t days_from_civil(int64_t y, int m, int d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

bool nsp_history_parse_date(const char *s, int64_t *time_us) {
    int y, mo, d, h, mi, sec;
    if (strlen(s) < 20 || !parse_digits(s, 4, &y) || s[4] != '-' || !parse_digits(s + 5, 2, &mo) || s[7] != '-' ||
        !parse_digits(s + 8, 2, &d) || s[10] != 'T' || !parse_digits(s + 11, 2, &h) || s[13] != ':' ||
        !parse_digits(s + 14, 2, &mi) || s[16] != ':' || !parse_digits(s + 17, 2, &sec)) {
        return false;
    }
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap) || h > 23 || mi > 59 ||
        sec > 60) {
        return false;
    }
    const char *p = s + 19;
    int64_t frac_us = 0;
    if (*p == '.') {
        p++;
        int digits = 0;
        int64_t scale = 100000;
        while (*p >= '0' && *p <= '9') {
            frac_us += scale * (*p - '0');
            scale /= 10;
            p++;
            digits++;
        }
        if (digits == 0) {
            return false;
        }
    }
    if (p[0] != 'Z' || p[1] != '\0') {
        return false;
    }
    int64_t t = ((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60 + sec;
    *time_us = t * 1000000 + frac_us;
    return true;
}

// An object whose members are all numbers in lo..NSP_HISTORY_VALUE_MAX.
static bool check_numbers(const cJSON *obj, const char *name, const char *where, double lo) {
    if (!cJSON_IsObject(obj)) {
        nsp_log(NSP_LOG_ERROR, "%s: %s: expected an object of numbers, got %s", name, where, nsp_json_type_name(obj));
        return false;
    }
    char prefix[112];
    snprintf(prefix, sizeof prefix, "%s.", where);
    const nsp_json_at_t at = {name, prefix, -1};
    const cJSON *v;
    double value;
    cJSON_ArrayForEach(v, obj) {
        if (nsp_json_check_number(v, v->string, lo, NSP_HISTORY_VALUE_MAX, &at, &value) != 0) {
            return false;
        }
    }
    return true;
}

// A record's scenario and its place, for finding duplicates by sorting.
typedef struct named_index {
    const char *scenario;
    int index;
} named_index_t;

static int by_scenario_then_index(const void *a, const void *b) {
    const named_index_t *x = a, *y = b;
    int c = strcmp(x->scenario, y->scenario);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

// Refuses a scenario recorded twice: sorted, so O(n log n) (a pairwise
// check took 17 s over 50,000 records). Reports the first record, in file
// order, whose scenario an earlier one has.
static int check_unique(const cJSON *records, const char *name) {
    int n = cJSON_GetArraySize(records);
    named_index_t *v = malloc((size_t)n * sizeof *v);
    if (!v) {
        nsp_log(NSP_LOG_ERROR, "%s: out of memory checking %d records", name, n);
        return NSP_ENOMEM;
    }
    int i = 0;
    const cJSON *rec;
    cJSON_ArrayForEach(rec, records) {
        v[i] = (named_index_t){cJSON_GetObjectItemCaseSensitive(rec, "scenario")->valuestring, i};
        i++;
    }
    qsort(v, (size_t)n, sizeof *v, by_scenario_then_index);
    int later = -1, earlier = -1;
    for (int k = 1; k < n; k++) {
        if (strcmp(v[k].scenario, v[k - 1].scenario) == 0 && (later < 0 || v[k].index < later)) {
            later = v[k].index;
            earlier = v[k - 1].index;
        }
    }
    const char *scenario = later >= 0 ? cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(records, later),
                                                                        "scenario")->valuestring
                                      : NULL;
    free(v);
    if (scenario) {
        nsp_log(NSP_LOG_ERROR, "%s: records[%d]: scenario '%s' appears twice (also records[%d])", name, later,
                scenario, earlier);
        return NSP_EFORMAT;
    }
    return 0;
}

int nsp_history_validate(const cJSON *run, const char *name) {
    if (!name) {
        name = "run record";
    }
    if (!cJSON_IsObject(run)) {
        nsp_log(NSP_LOG_ERROR, "%s: expected a run record (a JSON object), got %s", name, nsp_json_type_name(run));
        return NSP_EFORMAT;
    }
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(run, "schema");
    if (!cJSON_IsNumber(schema)) {
        nsp_log(NSP_LOG_ERROR, "%s: schema: expected the number %d, got %s (is this an nsplay history run?)", name,
                NSP_HISTORY_SCHEMA, nsp_json_type_name(schema));
        return NSP_EFORMAT;
    }
    if (schema->valuedouble != NSP_HISTORY_SCHEMA) {
        nsp_log(NSP_LOG_ERROR, "%s: schema %g, this nsplay reads schema %d", name, schema->valuedouble,
                NSP_HISTORY_SCHEMA);
        return NSP_EFORMAT;
    }
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(run, "kind");
    if (!cJSON_IsString(kind) || strcmp(kind->valuestring, NSP_HISTORY_KIND) != 0) {
        nsp_log(NSP_LOG_ERROR, "%s: kind: expected \"%s\", got %s%s%s", name, NSP_HISTORY_KIND,
                cJSON_IsString(kind) ? "\"" : nsp_json_type_name(kind), cJSON_IsString(kind) ? kind->valuestring : "",
                cJSON_IsString(kind) ? "\"" : "");
        return NSP_EFORMAT;
    }
    nsp_history_run_t *r = NULL;  // Only for the sizes of its fields.
    const nsp_json_at_t at = {name, NULL, -1};
    const char *date;
    if (nsp_json_get_string(run, "date", sizeof r->date, &at, &date) != 0 ||
        nsp_json_get_string(run, "commit", sizeof r->commit, &at, NULL) != 0 ||
        nsp_json_get_string(run, "profile", sizeof r->profile, &at, NULL) != 0) {
        return NSP_EFORMAT;
    }
    int64_t t;
    if (!nsp_history_parse_date(date, &t)) {
        nsp_log(NSP_LOG_ERROR, "%s: date: expected ISO-8601 UTC such as 2025-01-31T02:00:00Z, got '%s'", name, date);
        return NSP_EFORMAT;
    }
    const cJSON *toolchain = cJSON_GetObjectItemCaseSensitive(run, "toolchain");
    if (toolchain && (!cJSON_IsString(toolchain) || strlen(toolchain->valuestring) >= sizeof r->toolchain)) {
        nsp_log(NSP_LOG_ERROR, "%s: toolchain: expected a string of at most %zu characters, got %s", name,
                sizeof r->toolchain - 1, nsp_json_type_name(toolchain));
        return NSP_EFORMAT;
    }
    const cJSON *machine = cJSON_GetObjectItemCaseSensitive(run, "machine");
    if (machine && !cJSON_IsObject(machine)) {
        nsp_log(NSP_LOG_ERROR, "%s: machine: expected an object, got %s", name, nsp_json_type_name(machine));
        return NSP_EFORMAT;
    }
    const cJSON *records = cJSON_GetObjectItemCaseSensitive(run, "records");
    if (!cJSON_IsArray(records) || cJSON_GetArraySize(records) == 0) {
        nsp_log(NSP_LOG_ERROR, "%s: records: expected a non-empty array of {scenario, metrics, spread}, got %s", name,
                cJSON_IsArray(records) ? "an empty array" : nsp_json_type_name(records));
        return NSP_EFORMAT;
    }
    int i = 0;
    const cJSON *rec;
    cJSON_ArrayForEach(rec, records) {
        char where[64];
        snprintf(where, sizeof where, "records[%d]", i);
        if (!cJSON_IsObject(rec)) {
            nsp_log(NSP_LOG_ERROR, "%s: %s: expected an object, got %s", name, where, nsp_json_type_name(rec));
            return NSP_EFORMAT;
        }
        char prefix[72];
        snprintf(prefix, sizeof prefix, "%s.", where);
        const char *scenario;
        if (nsp_json_get_string(rec, "scenario", 128, &(nsp_json_at_t){name, prefix, -1}, &scenario) != 0) {
            return NSP_EFORMAT;
        }
        char field[96];
        snprintf(field, sizeof field, "%s.metrics", where);
        const cJSON *metrics = cJSON_GetObjectItemCaseSensitive(rec, "metrics");
        if (!check_numbers(metrics, name, field, -NSP_HISTORY_VALUE_MAX)) {
            return NSP_EFORMAT;
        }
        if (cJSON_GetArraySize(metrics) == 0) {
            nsp_log(NSP_LOG_ERROR, "%s: %s: no metrics", name, field);
            return NSP_EFORMAT;
        }
        const cJSON *spread = cJSON_GetObjectItemCaseSensitive(rec, "spread");
        snprintf(field, sizeof field, "%s.spread", where);
        if (spread && !check_numbers(spread, name, field, 0.0)) {
            return NSP_EFORMAT;
        }
        i++;
    }
    return check_unique(records, name);
}

// ---------------------------------------------------------------------------
// Appending

// 64 bits no other appender will pick: the kernel's randomness, or failing
// that the clock, process id and a counter mixed together. Only names files;
// nothing statistical depends on it.
static uint64_t name_entropy(void) {
    uint64_t v = 0;
    int fd = open("/dev/urandom", O_RDONLY);
    if (fd >= 0) {
        ssize_t n = read(fd, &v, sizeof v);
        close(fd);
        if (n == (ssize_t)sizeof v) {
            return v;
        }
    }
    static uint64_t counter;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return nsp_mix64(((uint64_t)ts.tv_sec << 30) ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 40) ^ ++counter);
}

int nsp_history_append(const char *dir, const cJSON *run, const char *name, char *path_out, size_t cap) {
    int err = nsp_history_validate(run, name);
    if (err) {
        return err;
    }
    char runs_dir[PATH_CAP];
    if (snprintf(runs_dir, sizeof runs_dir, "%s/runs", dir) >= (int)sizeof runs_dir) {
        nsp_log(NSP_LOG_ERROR, "%s: path too long", dir);
        return NSP_EIO;
    }
    if ((err = nsp_file_mkdirs(runs_dir)) != 0) {
        return err;
    }
    // Name: the run's date without separators, its commit reduced to
    // file-name-safe characters, the process id and 64 random bits.
    const char *date = cJSON_GetObjectItemCaseSensitive(run, "date")->valuestring;
    char stamp[24];
    snprintf(stamp, sizeof stamp, "%.4s%.2s%.2sT%.2s%.2s%.2sZ", date, date + 5, date + 8, date + 11, date + 14,
             date + 17);
    char commit[41];
    const char *c = cJSON_GetObjectItemCaseSensitive(run, "commit")->valuestring;
    size_t k = 0;
    for (; c[k] && k < sizeof commit - 1; k++) {
        char ch = c[k];
        bool safe = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
        commit[k] = safe ? ch : '_';
    }
    commit[k] = '\0';
    char *text = cJSON_Print(run);
    if (!text) {
        return NSP_ENOMEM;
    }
    size_t len = strlen(text);
    text[len] = '\n';  // Replaces the NUL: the file ends with a newline.
    char path[PATH_CAP];
    for (int attempt = 0;; attempt++) {
        if (snprintf(path, sizeof path, "%s/%s-%s-%ld-%016llx.json", runs_dir, stamp, commit, (long)getpid(),
                     (unsigned long long)name_entropy()) >= (int)sizeof path) {
            nsp_log(NSP_LOG_ERROR, "%s: path too long", runs_dir);
            free(text);
            return NSP_EIO;
        }
        if (access(path, F_OK) != 0 || attempt == 8) {
            break;
        }
    }
    err = nsp_file_write_atomic(path, text, len + 1);
    free(text);
    if (!err) {
        // The rename is durable only once the directory is on disk too.
        int fd = open(runs_dir, O_RDONLY);
        if (fd >= 0) {
            fsync(fd);
            close(fd);
        }
    }
    if (!err && path_out) {
        snprintf(path_out, cap, "%s", path);
    }
    return err;
}

// ---------------------------------------------------------------------------
// Loading

// What the index records of one run file.
typedef struct entry {
    char file[256];
    long long bytes;
    char date[40], commit[64], profile[160];
} entry_t;

typedef struct entries {
    entry_t *v;
    int n, cap;
} entries_t;

static entry_t *entries_add(entries_t *e) {
    if (e->n == e->cap) {
        int cap = e->cap ? 2 * e->cap : 64;
        entry_t *v = realloc(e->v, (size_t)cap * sizeof *v);
        if (!v) {
            return NULL;
        }
        e->v = v;
        e->cap = cap;
    }
    entry_t *x = &e->v[e->n++];
    memset(x, 0, sizeof *x);
    return x;
}

static int by_file(const void *a, const void *b) {
    return strcmp(((const entry_t *)a)->file, ((const entry_t *)b)->file);
}

static bool is_run_name(const char *name) {
    size_t n = strlen(name);
    return name[0] != '.' && n > 5 && n < 256 && strcmp(name + n - 5, ".json") == 0;
}

// The run files under runs_dir, sorted by name (bytes filled in).
static int list_runs(const char *runs_dir, entries_t *out) {
    DIR *d = opendir(runs_dir);
    if (!d) {
        nsp_log(NSP_LOG_ERROR, "%s: cannot open the history's runs: %s", runs_dir, strerror(errno));
        return NSP_EIO;
    }
    struct dirent *de;
    int err = 0;
    while ((de = readdir(d)) != NULL) {
        if (!is_run_name(de->d_name)) {
            continue;
        }
        char path[PATH_CAP + 512];
        snprintf(path, sizeof path, "%s/%s", runs_dir, de->d_name);
        struct stat st;
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
            continue;  // Not a file (or gone): not a run.
        }
        entry_t *e = entries_add(out);
        if (!e) {
            err = NSP_ENOMEM;
            break;
        }
        snprintf(e->file, sizeof e->file, "%s", de->d_name);
        e->bytes = (long long)st.st_size;
    }
    closedir(d);
    if (!err && out->n > 0) {
        qsort(out->v, (size_t)out->n, sizeof *out->v, by_file);
    }
    return err;
}

// The index's entries, sorted by file; quietly empty when it is missing or
// not a well-formed index (it is only a cache).
static int read_index(const char *path, entries_t *out) {
    if (access(path, R_OK) != 0) {
        return 0;
    }
    char *text = NULL;
    size_t len = 0;
    if (nsp_file_read_all(path, &text, &len) != 0) {
        return 0;
    }
    cJSON *root = cJSON_ParseWithLength(text, len);
    free(text);
    const cJSON *runs = cJSON_GetObjectItemCaseSensitive(root, "runs");
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(root, "schema");
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(root, "kind");
    int err = 0;
    if (cJSON_IsArray(runs) && cJSON_IsNumber(schema) && schema->valuedouble == NSP_HISTORY_SCHEMA &&
        cJSON_IsString(kind) && strcmp(kind->valuestring, INDEX_KIND) == 0) {
        const cJSON *r;
        cJSON_ArrayForEach(r, runs) {
            const cJSON *file = cJSON_GetObjectItemCaseSensitive(r, "file");
            // An entry that is not what the writer wrote is dropped: its run
            // file is read again (the index is only a cache).
            int64_t size = nsp_json_int_or(r, "bytes", 0, INDEX_BYTES_MAX, -1);
            if (!cJSON_IsString(file) || size < 0 || strlen(file->valuestring) >= 256) {
                continue;
            }
            entry_t *e = entries_add(out);
            if (!e) {
                err = NSP_ENOMEM;
                break;
            }
            snprintf(e->file, sizeof e->file, "%s", file->valuestring);
            e->bytes = (long long)size;
            nsp_json_copy_string(r, "date", e->date, sizeof e->date);
            nsp_json_copy_string(r, "commit", e->commit, sizeof e->commit);
            nsp_json_copy_string(r, "profile", e->profile, sizeof e->profile);
        }
    }
    cJSON_Delete(root);
    if (!err && out->n > 0) {
        qsort(out->v, (size_t)out->n, sizeof *out->v, by_file);
    }
    return err;
}

static void write_index(const char *path, const entries_t *e) {
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "schema", NSP_HISTORY_SCHEMA);
    cJSON_AddStringToObject(root, "kind", INDEX_KIND);
    cJSON_AddStringToObject(root, "note", "a cache of runs/, rebuilt by readers when stale; safe to delete");
    cJSON *runs = cJSON_AddArrayToObject(root, "runs");
    for (int i = 0; i < e->n && runs; i++) {
        cJSON *r = cJSON_CreateObject();
        cJSON_AddStringToObject(r, "file", e->v[i].file);
        cJSON_AddNumberToObject(r, "bytes", (double)e->v[i].bytes);
        cJSON_AddStringToObject(r, "date", e->v[i].date);
        cJSON_AddStringToObject(r, "commit", e->v[i].commit);
        cJSON_AddStringToObject(r, "profile", e->v[i].profile);
        cJSON_AddItemToArray(runs, r);
    }
    char *text = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (text) {
        // Best effort: a reader that cannot refresh the cache still has its
        // answer, and the next one rebuilds it.
        size_t len = strlen(text);
        text[len] = '\n';
        nsp_file_write_atomic(path, text, len + 1);
        free(text);
    }
}

static int by_date(const void *a, const void *b) {
    const nsp_history_run_t *x = a, *y = b;
    if (x->time_us != y->time_us) {
        return x->time_us < y->time_us ? -1 : 1;
    }
    int c = strcmp(x->commit, y->commit);
    return c ? c : strcmp(x->file, y->file);
}

static int add_run(nsp_history_t *h, int *cap, cJSON *root, const char *file) {
    if (h->n_runs == *cap) {
        int n = *cap ? 2 * *cap : 64;
        nsp_history_run_t *v = realloc(h->runs, (size_t)n * sizeof *v);
        if (!v) {
            return NSP_ENOMEM;
        }
        h->runs = v;
        *cap = n;
    }
    nsp_history_run_t *r = &h->runs[h->n_runs++];
    memset(r, 0, sizeof *r);
    snprintf(r->file, sizeof r->file, "%s", file);
    nsp_json_copy_string(root, "date", r->date, sizeof r->date);
    nsp_json_copy_string(root, "commit", r->commit, sizeof r->commit);
    nsp_json_copy_string(root, "profile", r->profile, sizeof r->profile);
    nsp_json_copy_string(root, "toolchain", r->toolchain, sizeof r->toolchain);
    nsp_history_parse_date(r->date, &r->time_us);
    r->root = root;
    return 0;
}

int nsp_history_load(nsp_history_t *h, const char *dir, const char *profile) {
    memset(h, 0, sizeof *h);
    char runs_dir[PATH_CAP], index_path[PATH_CAP];
    if (snprintf(runs_dir, sizeof runs_dir, "%s/runs", dir) >= (int)sizeof runs_dir ||
        snprintf(index_path, sizeof index_path, "%s/index.json", dir) >= (int)sizeof index_path) {
        nsp_log(NSP_LOG_ERROR, "%s: path too long", dir);
        return NSP_EIO;
    }
    entries_t files = {0}, index = {0};
    int cap = 0;
    int err = list_runs(runs_dir, &files);
    if (!err) {
        err = read_index(index_path, &index);
    }
    bool stale = index.n != files.n;
    for (int i = 0; i < files.n && !err; i++) {
        entry_t *f = &files.v[i];
        const entry_t *known = index.n ? bsearch(f, index.v, (size_t)index.n, sizeof *index.v, by_file) : NULL;
        if (known && known->bytes == f->bytes) {
            snprintf(f->date, sizeof f->date, "%s", known->date);
            snprintf(f->commit, sizeof f->commit, "%s", known->commit);
            snprintf(f->profile, sizeof f->profile, "%s", known->profile);
            if (profile && strcmp(known->profile, profile) != 0) {
                continue;  // Another machine's run: no need to read it.
            }
        } else {
            stale = true;
        }
        char path[PATH_CAP + 512];
        snprintf(path, sizeof path, "%s/%s", runs_dir, f->file);
        cJSON *root = nsp_json_read_file(path, &err);
        if (!root) {
            break;
        }
        if ((err = nsp_history_validate(root, path)) != 0) {
            cJSON_Delete(root);
            break;
        }
        nsp_json_copy_string(root, "date", f->date, sizeof f->date);
        nsp_json_copy_string(root, "commit", f->commit, sizeof f->commit);
        nsp_json_copy_string(root, "profile", f->profile, sizeof f->profile);
        if (profile && strcmp(f->profile, profile) != 0) {
            cJSON_Delete(root);
            continue;
        }
        if ((err = add_run(h, &cap, root, f->file)) != 0) {
            cJSON_Delete(root);
        }
    }
    if (!err && stale && access(dir, W_OK) == 0) {
        write_index(index_path, &files);
    }
    free(files.v);
    free(index.v);
    if (err) {
        nsp_history_destroy(h);
        return err;
    }
    if (h->n_runs > 0) {
        qsort(h->runs, (size_t)h->n_runs, sizeof *h->runs, by_date);
    }
    return 0;
}

void nsp_history_destroy(nsp_history_t *h) {
    for (int i = 0; i < h->n_runs; i++) {
        cJSON_Delete(h->runs[i].root);
    }
    free(h->runs);
    memset(h, 0, sizeof *h);
}

// ---------------------------------------------------------------------------
// Series

static const cJSON *find_record(const cJSON *root, const char *scenario) {
    const cJSON *rec;
    cJSON_ArrayForEach(rec, cJSON_GetObjectItemCaseSensitive(root, "records")) {
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(rec, "scenario");
        if (cJSON_IsString(s) && strcmp(s->valuestring, scenario) == 0) {
            return rec;
        }
    }
    return NULL;
}

int nsp_history_series(const nsp_history_t *h, const char *profile, const char *scenario, const char *metric,
                       nsp_history_series_t *s) {
    memset(s, 0, sizeof *s);
    size_t n = h->n_runs > 0 ? (size_t)h->n_runs : 1;
    s->values = malloc(n * sizeof *s->values);
    s->spreads = malloc(n * sizeof *s->spreads);
    s->commits = malloc(n * sizeof *s->commits);
    s->dates = malloc(n * sizeof *s->dates);
    s->runs = malloc(n * sizeof *s->runs);
    if (!s->values || !s->spreads || !s->commits || !s->dates || !s->runs) {
        nsp_history_series_destroy(s);
        return NSP_ENOMEM;
    }
    for (int i = 0; i < h->n_runs; i++) {
        const nsp_history_run_t *r = &h->runs[i];
        if (profile && strcmp(r->profile, profile) != 0) {
            continue;
        }
        const cJSON *rec = find_record(r->root, scenario);
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(rec, "metrics"), metric);
        if (!cJSON_IsNumber(v)) {
            continue;
        }
        const cJSON *sp = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(rec, "spread"), metric);
        s->values[s->n] = v->valuedouble;
        s->spreads[s->n] = cJSON_IsNumber(sp) ? sp->valuedouble : NAN;
        s->commits[s->n] = r->commit;
        s->dates[s->n] = r->date;
        s->runs[s->n] = i;
        s->n++;
    }
    return 0;
}

void nsp_history_series_destroy(nsp_history_series_t *s) {
    free(s->values);
    free(s->spreads);
    free((void *)s->commits);
    free((void *)s->dates);
    free(s->runs);
    memset(s, 0, sizeof *s);
}

static int by_key(const void *a, const void *b) {
    const nsp_history_key_t *x = a, *y = b;
    int c = strcmp(x->profile, y->profile);
    if (!c) {
        c = strcmp(x->scenario, y->scenario);
    }
    return c ? c : strcmp(x->metric, y->metric);
}

int nsp_history_keys(const nsp_history_t *h, nsp_history_key_t **keys, int *n) {
    *keys = NULL;
    *n = 0;
    size_t count = 0, cap = 0;
    nsp_history_key_t *v = NULL;
    for (int i = 0; i < h->n_runs; i++) {
        const cJSON *rec;
        cJSON_ArrayForEach(rec, cJSON_GetObjectItemCaseSensitive(h->runs[i].root, "records")) {
            const cJSON *scenario = cJSON_GetObjectItemCaseSensitive(rec, "scenario");
            const cJSON *m;
            cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(rec, "metrics")) {
                if (count == cap) {
                    cap = cap ? 2 * cap : 256;
                    nsp_history_key_t *bigger = realloc(v, cap * sizeof *v);
                    if (!bigger) {
                        free(v);
                        return NSP_ENOMEM;
                    }
                    v = bigger;
                }
                v[count++] = (nsp_history_key_t){h->runs[i].profile, scenario->valuestring, m->string};
            }
        }
    }
    if (count == 0) {
        free(v);
        return 0;
    }
    qsort(v, count, sizeof *v, by_key);
    size_t u = 1;
    for (size_t i = 1; i < count; i++) {
        if (by_key(&v[i], &v[u - 1]) != 0) {
            v[u++] = v[i];
        }
    }
    *keys = v;
    *n = (int)u;
    return 0;
}

bool nsp_history_higher_is_better(const char *metric) {
    return strstr(metric, "fps") || strstr(metric, "per_s") || strstr(metric, "throughput");
}
