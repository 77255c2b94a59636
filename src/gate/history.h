// The performance history: one JSON record per nightly run, kept in a
// directory, read back as per-(profile, scenario, metric) series for the
// change-point detector (changepoint.h) and for plots.
//
// Layout of a history directory D:
//
//   D/runs/<date>-<commit>-<pid>-<random>.json   one file per run, never modified
//   D/index.json                                  a cache of what runs/ holds
//
// Appends never rewrite a shared file: each run is a new file under a name
// no other writer can pick (process id and 64 random bits), written with
// nsp_file_write_atomic (temporary file, fsync, rename). So concurrent
// appenders need no lock and lose nothing, and an interrupted one leaves at
// most a temporary "*.json.tmp.<pid>" that readers ignore. The index only
// saves readers from parsing other profiles' runs: an entry is trusted while
// its file exists with the recorded size; readers rebuild it when it is
// missing, unreadable or stale (an appended run, a removed one), so deleting
// it is always safe.
//
// A run record (schema 1, kind "nsplay-night"):
//
//   {"schema": 1, "kind": "nsplay-night", "date": "2025-01-31T02:00:00Z",
//    "commit": "660a7a5", "profile": "<machine profile>", "toolchain": "...",
//    "machine": {...},
//    "records": [{"scenario": "all6",
//                 "metrics": {"frame_median_ms": 1.77, ...},
//                 "spread":  {"frame_median_ms": 0.01, ...}}, ...],
//    "extra": <any JSON: hyperfine results, ...>}
//
// date is ISO-8601 UTC ("Z", optional fraction of a second); commit, profile
// and each scenario are non-empty strings; metrics hold numbers in
// -NSP_HISTORY_VALUE_MAX..NSP_HISTORY_VALUE_MAX (1e15: a day in microseconds
// is 8.64e10, so nothing measured comes near, and the change-point
// arithmetic on them cannot overflow); spread (optional, per metric)
// numbers in 0..NSP_HISTORY_VALUE_MAX; toolchain a string and
// machine an object when present. A scenario appears once per run. Readers
// reject any other schema version, naming the file.
#ifndef NSP_GATE_HISTORY_H
#define NSP_GATE_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#define NSP_HISTORY_VALUE_MAX 1e15
#define NSP_HISTORY_SCHEMA 1
#define NSP_HISTORY_KIND "nsplay-night"

typedef struct nsp_history_run {
    char file[256];       // Its name under <dir>/runs/.
    char date[40];        // As recorded (ISO-8601 UTC).
    int64_t time_us;      // date in microseconds since 1970-01-01T00:00:00Z.
    char commit[64];
    char profile[160];
    char toolchain[96];   // "" when the record has none.
    cJSON *root;          // The whole record (owned).
} nsp_history_run_t;

// Runs sorted by date, then commit, then file name. Zero it, or let
// nsp_history_load fill it; nsp_history_destroy frees it.
typedef struct nsp_history {
    int n_runs;
    nsp_history_run_t *runs;
} nsp_history_t;

// One (profile, scenario, metric) over the runs that recorded it, in the
// history's order. The strings are borrowed from the history and live as
// long as it does; the arrays are owned (nsp_history_series_destroy).
typedef struct nsp_history_series {
    int n;
    double *values;
    double *spreads;      // NaN where a run recorded no spread.
    const char **commits;
    const char **dates;
    int *runs;            // Index of each point's run in history->runs.
} nsp_history_series_t;

// A series' name; strings borrowed from the history.
typedef struct nsp_history_key {
    const char *profile, *scenario, *metric;
} nsp_history_key_t;

// Checks run against the record format above. name says where it came from
// in messages ("night.json: records[2].metrics.frame_median_ms: expected a
// finite number, got a string"; "x.json: schema 2, this nsplay reads schema
// 1"; NULL name: "run record"). Returns 0 or NSP_EFORMAT (logged).
int nsp_history_validate(const cJSON *run, const char *name);

// Validates run (name as above) and stores it as a new file under
// <dir>/runs/, creating the directories. The path written goes to path_out
// (cap bytes; may be NULL). Returns 0, NSP_EFORMAT, NSP_EIO or NSP_ENOMEM
// (each logged).
int nsp_history_append(const char *dir, const cJSON *run, const char *name, char *path_out, size_t cap);

// Loads the runs of one machine profile (all profiles when profile is NULL)
// from dir into h, sorted, and refreshes the index when it was stale and dir
// is writable. A missing runs/ directory is NSP_EIO; a malformed, truncated
// or unknown-schema run file is NSP_EFORMAT, logged naming the file (with
// line and column for malformed JSON); h is then left empty. NSP_ENOMEM.
int nsp_history_load(nsp_history_t *h, const char *dir, const char *profile);

// Frees what h holds and zeroes it; safe on a zeroed history.
void nsp_history_destroy(nsp_history_t *h);

// Every (profile, scenario, metric) present, sorted by the three names, into
// a heap array (*keys, caller frees; NULL when *n is 0). Returns 0 or
// NSP_ENOMEM.
int nsp_history_keys(const nsp_history_t *h, nsp_history_key_t **keys, int *n);

// The series of one scenario and metric over the runs of profile (any
// profile when NULL: only meaningful when h holds one). A run without the
// scenario or metric contributes no point. Returns 0 (possibly n == 0) or
// NSP_ENOMEM.
int nsp_history_series(const nsp_history_t *h, const char *profile, const char *scenario, const char *metric,
                       nsp_history_series_t *s);

// Frees what s holds and zeroes it; safe on a zeroed series.
void nsp_history_series_destroy(nsp_history_series_t *s);

// Whether a larger value of the metric is better (rates: a name containing
// "fps", "per_s" or "throughput"); times, counts and sizes are worse larger.
bool nsp_history_higher_is_better(const char *metric);

// Parses an ISO-8601 UTC date "YYYY-MM-DDTHH:MM:SS[.ffffff]Z" into
// microseconds since 1970. Returns false when s is not one.
bool nsp_history_parse_date(const char *s, int64_t *time_us);

#endif
