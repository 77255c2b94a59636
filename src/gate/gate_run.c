// Running the measured binary in fresh processes and reading what it wrote.
#define _XOPEN_SOURCE 700  // nftw() (walking the work directory to remove it).
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench/report.h"
#include "core/error.h"
#include "gate.h"
#include "gate_internal.h"
#include "json/json.h"

extern char **environ;

void nsp_gate_slug(const char *in, char *out, size_t cap) {
    size_t n = 0;
    bool dash = false;
    for (const char *p = in; *p && n + 1 < cap; p++) {
        if (isalnum((unsigned char)*p) || *p == '.') {
            out[n++] = (char)tolower((unsigned char)*p);
            dash = false;
        } else if (!dash && n > 0) {
            out[n++] = '-';
            dash = true;
        }
    }
    while (n > 0 && out[n - 1] == '-') {
        n--;
    }
    out[n] = '\0';
}

void nsp_gate_profile(const nsp_machine_t *m, char *out, size_t cap) {
    char gl[96], cpu[96];
    nsp_gate_slug(m->gl_renderer, gl, sizeof gl);
    nsp_gate_slug(m->cpu, cpu, sizeof cpu);
    snprintf(out, cap, "%s_%s_%dc", gl, cpu, m->cores);
}

void nsp_gate_toolchain(const nsp_machine_t *m, char *out, size_t cap) {
    char raw[160], s[160];
#if defined(__x86_64__)
    const char *arch = "x86_64";
#elif defined(__aarch64__)
    const char *arch = "aarch64";
#else
    const char *arch = "other";
#endif
    snprintf(raw, sizeof raw, "%s %s %s", m->compiler, m->build_type, arch);
    nsp_gate_slug(raw, s, sizeof s);
    snprintf(out, cap, "%s", s);
}

// Busy and steal jiffies of all CPUs together, from /proc/stat's first line.
static bool cpu_jiffies(double *busy, double *steal) {
    FILE *f = fopen("/proc/stat", "r");
    if (!f) {
        return false;
    }
    unsigned long long v[8] = {0};
    int n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
                   &v[6], &v[7]);
    fclose(f);
    if (n < 8) {
        return false;
    }
    // user nice system idle iowait irq softirq steal
    *busy = (double)(v[0] + v[1] + v[2] + v[5] + v[6]);
    *steal = (double)v[7];
    return true;
}

// Runs argv with stdout and stderr into log_path; returns the exit status, or
// -1 when it could not start or did not exit normally. When load is not
// NULL it receives the CPU that other processes used meanwhile, in cores
// (busy time of the whole machine minus the child's own), and the fraction
// of time the hypervisor stole.
static int spawn_wait_load(const char *const *args, const char *log_path, double *load, double *steal);

bool nsp_gate_annotate_count(const char *line, double *count, const char **rest) {
    char digits[32];
    size_t k = 0;
    const char *p = line;
    while (*p == ' ') {
        p++;
    }
    for (; (isdigit((unsigned char)*p) || *p == ',') && k + 1 < sizeof digits; p++) {
        if (*p != ',') {
            digits[k++] = *p;
        }
    }
    digits[k] = '\0';
    *count = k ? strtod(digits, NULL) : 0.0;
    *rest = p;
    return k > 0;
}

int nsp_gate_spawn(const char *const *args, const char *log_path) {
    return spawn_wait_load(args, log_path, NULL, NULL);
}

static int spawn_wait_load(const char *const *args, const char *log_path, double *load, double *steal) {
    // posix_spawn takes char *const argv[] for historical reasons and does
    // not modify the strings: drop const through a union, not a cast.
    char *argv[NSP_GATE_MAX_ARGS + 1];
    int n = 0;
    for (; args[n]; n++) {
        if (n == NSP_GATE_MAX_ARGS) {
            nsp_log(NSP_LOG_ERROR, "cannot start %s: more than %d arguments", args[0], NSP_GATE_MAX_ARGS);
            return -1;
        }
        union {
            const char *c;
            char *m;
        } u = {.c = args[n]};
        argv[n] = u.m;
    }
    argv[n] = NULL;
    double busy0 = 0, steal0 = 0, busy1 = 0, steal1 = 0;
    bool have_stat = load && cpu_jiffies(&busy0, &steal0);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, log_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        nsp_log(NSP_LOG_ERROR, "cannot start %s: %s", argv[0], strerror(rc));
        return -1;
    }
    int status = 0;
    // The child's own CPU time: the growth of RUSAGE_CHILDREN across its wait.
    struct rusage before, ru;
    getrusage(RUSAGE_CHILDREN, &before);
    // Retried when a signal interrupts the wait, and only then: any other
    // failure (ECHILD: no such child) would repeat for ever.
    pid_t waited;
    while ((waited = waitpid(pid, &status, 0)) < 0 && errno == EINTR) {
    }
    if (waited < 0) {
        nsp_log(NSP_LOG_ERROR, "waiting for %s: %s", argv[0], strerror(errno));
        return -1;
    }
    getrusage(RUSAGE_CHILDREN, &ru);
    ru.ru_utime.tv_sec -= before.ru_utime.tv_sec;
    ru.ru_utime.tv_usec -= before.ru_utime.tv_usec;
    ru.ru_stime.tv_sec -= before.ru_stime.tv_sec;
    ru.ru_stime.tv_usec -= before.ru_stime.tv_usec;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (have_stat && cpu_jiffies(&busy1, &steal1)) {
        double hz = (double)sysconf(_SC_CLK_TCK);
        double wall_s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        double child_s = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                         (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
        double others_s = (busy1 - busy0) / hz - child_s;
        *load = wall_s > 0.0 ? (others_s > 0.0 ? others_s : 0.0) / wall_s : 0.0;
        *steal = wall_s > 0.0 ? (steal1 - steal0) / hz / wall_s : 0.0;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Appends the NULL-terminated list to argv (n used, NULL-terminated after);
// -1 when it would not fit in NSP_GATE_MAX_ARGS.
static int append_args(const char **argv, int *n, const char *const *list) {
    for (int i = 0; list && list[i]; i++) {
        if (*n == NSP_GATE_MAX_ARGS) {
            return -1;
        }
        argv[(*n)++] = list[i];
    }
    argv[*n] = NULL;
    return 0;
}

static void add_metric(nsp_gate_metrics_t *m, const char *name, double v) {
    nsp_metrics_add(m, name, v);
}

// What the gate judges of one `nsplay bench --json` run, read through the
// bench layer's one reader of the file.
static int parse_run(const char *path, nsp_gate_run_t *out) {
    memset(out, 0, sizeof *out);
    nsp_bench_result_t r;
    int err = nsp_report_read_json(path, &r);
    if (err == 0) {
        snprintf(out->digest, sizeof out->digest, "%016" PRIx64, r.digest);
        out->machine = r.machine;
        nsp_metrics_counters(&r, out->counters);
        nsp_metrics_timing(&r, &out->timing);
        for (int i = 0; i < NSP_TARGET_COUNT; i++) {
            out->targets[i] = nsp_target_value(&r, (nsp_target_id_t)i);
        }
    }
    if (err == 0) {
        snprintf(out->paint_source, sizeof out->paint_source, "%s", nsp_paint_source_name(nsp_paint_source(&r)));
    }
    nsp_bench_result_destroy(&r);
    return err;
}

int nsp_gate_run_bench(const char *exe, const nsp_gate_scenario_t *sc, const char *const *extra,
                       const char *work_dir, const char *tag, nsp_gate_run_t *out) {
    char json[1024], log[1024];
    snprintf(json, sizeof json, "%s/%s.json", work_dir, tag);
    snprintf(log, sizeof log, "%s/%s.log", work_dir, tag);
    const char *argv[NSP_GATE_MAX_ARGS + 1];
    int n = 0;
    argv[n++] = exe;
    argv[n++] = "bench";
    if (append_args(argv, &n, sc->args) || append_args(argv, &n, extra) ||
        append_args(argv, &n, (const char *const[]){"--json", json, NULL})) {
        nsp_log(NSP_LOG_ERROR, "scenario %s: the bench's command has more than %d arguments", sc->name,
                NSP_GATE_MAX_ARGS);
        return NSP_EINVAL;
    }
    unlink(json);
    double load = 0.0, steal = 0.0;
    int status = spawn_wait_load(argv, log, &load, &steal);
    if (status == 3) {
        nsp_log(NSP_LOG_WARN, "no GL context for the timed runs (see %s)", log);
        return NSP_ENODISPLAY;
    }
    if (status != 0) {
        nsp_log(NSP_LOG_ERROR, "%s bench for scenario %s exited with status %d; its output is in %s", exe,
                sc->name, status, log);
        return NSP_EIO;
    }
    int err = parse_run(json, out);
    out->other_load = load;
    out->steal = steal;
    return err;
}

// Zone of each function callgrind reports (the per-frame steps are static
// functions of src/core/scene.c, called through pointers, never inlined).
static const char *const zone_functions[][2] = {
    {"step_field", "update_field"},
    {"step_position", "render_position_overlay"},
    {"step_bodyparts", "render_bodypart_overlay"},
    {"step_head_direction", "render_head_direction_overlay"},
    {"step_events", "render_event_overlay"},
    {"step_timeseries", "render_timeseries_overlay"},
    {"step_video", "render_video_overlay"},
    {"nsp_scenario_init", "generate_scenario"},
    {"nsp_scene_init", "build_scene"},
};

int nsp_gate_run_callgrind(const char *exe, const nsp_gate_scenario_t *sc, const char *work_dir,
                           nsp_gate_metrics_t *zones, char *digest_out) {
    char out_file[1024], log[1024], json[1024], frames[16], ann[1024], ann_log[1024];
    snprintf(out_file, sizeof out_file, "--callgrind-out-file=%s/%s.callgrind", work_dir, sc->name);
    snprintf(log, sizeof log, "%s/%s.callgrind.log", work_dir, sc->name);
    snprintf(json, sizeof json, "%s/%s.null.json", work_dir, sc->name);
    snprintf(frames, sizeof frames, "%d", NSP_GATE_CALLGRIND_FRAMES);
    const char *argv[NSP_GATE_MAX_ARGS + 1];
    int n = 0;
    if (append_args(argv, &n, (const char *const[]){"valgrind", "--tool=callgrind", out_file, exe, "bench", NULL}) ||
        append_args(argv, &n, sc->args) ||
        append_args(argv, &n,
                    (const char *const[]){"--backend", "null", "--playback-frames", frames, "--json", json, NULL})) {
        nsp_log(NSP_LOG_ERROR, "scenario %s: callgrind's command has more than %d arguments", sc->name,
                NSP_GATE_MAX_ARGS);
        return NSP_EINVAL;
    }
    int status = nsp_gate_spawn(argv, log);
    if (status != 0) {
        nsp_log(NSP_LOG_ERROR, "valgrind --tool=callgrind failed (status %d; is valgrind installed?): see %s", status,
                log);
        return NSP_EIO;
    }
    nsp_gate_run_t run;
    int err = parse_run(json, &run);
    if (err) {
        return err;
    }
    snprintf(digest_out, 24, "%s", run.digest);
    snprintf(ann, sizeof ann, "%s/%s.callgrind", work_dir, sc->name);
    snprintf(ann_log, sizeof ann_log, "%s/%s.annotate.txt", work_dir, sc->name);
    const char *aargv[] = {"callgrind_annotate", "--inclusive=yes", "--threshold=100", ann, NULL};
    if (nsp_gate_spawn(aargv, ann_log) != 0) {
        nsp_log(NSP_LOG_ERROR, "callgrind_annotate failed: see %s", ann_log);
        return NSP_EIO;
    }
    FILE *f = fopen(ann_log, "r");
    if (!f) {
        return NSP_EIO;
    }
    memset(zones, 0, sizeof *zones);
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        // "  18,916 ( 0.04%)  ???:step_events [/path/nsplay]"
        double count;
        const char *p;
        if (!nsp_gate_annotate_count(line, &count, &p)) {
            continue;
        }
        const char *colon = strchr(p, ':');
        if (!colon) {
            continue;
        }
        char fn[128];
        if (sscanf(colon + 1, "%127s", fn) != 1) {
            continue;
        }
        for (size_t z = 0; z < sizeof zone_functions / sizeof zone_functions[0]; z++) {
            if (strcmp(fn, zone_functions[z][0]) == 0) {
                add_metric(zones, zone_functions[z][1], count);
            }
        }
    }
    fclose(f);
    if (zones->n == 0) {
        nsp_log(NSP_LOG_ERROR, "%s: no zone function found in callgrind's output (a stripped binary?)", ann_log);
        return NSP_EFORMAT;
    }
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st;
    (void)flag;
    (void)ftw;
    if (remove(path) != 0) {
        nsp_log(NSP_LOG_WARN, "cannot remove %s: %s", path, strerror(errno));
    }
    return 0;
}

int nsp_gate_remove_work(const char *dir) {
    // Depth first, links not followed: the folder's own files and folders
    // only, whatever a run left in it.
    return nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : NSP_EIO;
}
