#include "result.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "core/error.h"

static const char *const fixed_phase_names[NSP_PHASE_FIXED_COUNT] = {
    "process_events", "callbacks_total", "upload", "draw", "paint_gpu", "finish",
};

int nsp_bench_result_init(nsp_bench_result_t *r, size_t capacity) {
    memset(r, 0, sizeof *r);
    r->capacity = capacity;
    r->allocations_during_playback = UINT64_MAX;
    r->setup_scenario_s = r->setup_context_s = r->setup_renderer_s = NAN;
    snprintf(r->shader_cache, sizeof r->shader_cache, "unknown");
    r->frame_ms = malloc((capacity ? capacity : 1) * sizeof *r->frame_ms);
    r->floor_ms = malloc((capacity ? capacity : 1) * sizeof *r->floor_ms);
    r->cpu_probe_ms = malloc((capacity ? capacity : 1) * sizeof *r->cpu_probe_ms);
    r->fault_probe_ms = r->fault_probe_after_ms = NAN;
    if (!r->frame_ms || !r->floor_ms || !r->cpu_probe_ms) {
        return NSP_ENOMEM;
    }
    // Written now, so playback faults in no page (memory stays flat) and
    // an unmeasured slot reads as NaN.
    for (size_t i = 0; i < capacity; i++) {
        r->frame_ms[i] = r->floor_ms[i] = r->cpu_probe_ms[i] = NAN;
    }
    for (int i = 0; i < NSP_PHASE_FIXED_COUNT; i++) {
        if (nsp_bench_result_add_phase(r, fixed_phase_names[i]) < 0) {
            return NSP_ENOMEM;
        }
    }
    return 0;
}

void nsp_bench_result_destroy(nsp_bench_result_t *r) {
    free(r->frame_ms);
    free(r->floor_ms);
    free(r->cpu_probe_ms);
    for (int i = 0; i < r->phase_count; i++) {
        free(r->phases[i].ms);
    }
    memset(r, 0, sizeof *r);
}

int nsp_bench_result_add_phase(nsp_bench_result_t *r, const char *name) {
    if (r->phase_count >= NSP_MAX_PHASES) {
        return -1;
    }
    nsp_phase_t *p = &r->phases[r->phase_count];
    p->ms = malloc((r->capacity ? r->capacity : 1) * sizeof *p->ms);
    if (!p->ms) {
        return -1;
    }
    for (size_t i = 0; i < r->capacity; i++) {
        p->ms[i] = NAN;
    }
    snprintf(p->name, sizeof p->name, "%s", name);
    return r->phase_count++;
}

int nsp_bench_result_find_phase(const nsp_bench_result_t *r, const char *name) {
    for (int i = 0; i < r->phase_count; i++) {
        if (strcmp(r->phases[i].name, name) == 0) {
            return i;
        }
    }
    return -1;
}

nsp_summary_t nsp_bench_summary(const double *ms, size_t n) {
    nsp_summary_t s = {0};
    double *clean = malloc((n ? n : 1) * 3 * sizeof *clean);
    if (!clean) {
        return s;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isnan(ms[i])) {
            clean[k++] = ms[i];
        }
    }
    if (k > 0) {
        nsp_stats_summarize(clean, k, clean + n, &s);
    }
    free(clean);
    return s;
}

// The value of a "key : value" line of /proc/cpuinfo, without the newline;
// NULL when the line has another key.
static const char *cpuinfo_value(char *line, const char *key) {
    size_t n = strlen(key);
    if (strncmp(line, key, n) != 0 || (line[n] != ' ' && line[n] != '\t' && line[n] != ':')) {
        return NULL;
    }
    char *v = strchr(line, ':');
    if (!v) {
        return NULL;
    }
    v++;
    v += strspn(v, " \t");
    v[strcspn(v, "\n")] = '\0';
    return v;
}

// The CPU's model name, with its family and model numbers where the kernel
// gives them: virtual machines often show a masked name ("AMD EPYC") that
// alone does not tell one generation from another.
static void read_cpu_model(char *out, size_t cap) {
    char name[128] = "unknown", family[16] = "", model[16] = "";
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (f) {
        char line[512];
        const char *v;
        while (fgets(line, sizeof line, f) && strcmp(line, "\n") != 0) {  // The first CPU's block.
            if ((v = cpuinfo_value(line, "model name"))) {
                snprintf(name, sizeof name, "%s", v);
            } else if ((v = cpuinfo_value(line, "cpu family"))) {
                snprintf(family, sizeof family, "%s", v);
            } else if ((v = cpuinfo_value(line, "model"))) {
                snprintf(model, sizeof model, "%s", v);
            }
        }
        fclose(f);
    }
    if (family[0] && model[0]) {
        snprintf(out, cap, "%s (family %s, model %s)", name, family, model);
    } else {
        snprintf(out, cap, "%s", name);
    }
}

#include "nsp_version.h"

#ifndef NSP_BUILD_TYPE
#define NSP_BUILD_TYPE "unknown"
#endif

void nsp_machine_detect(nsp_machine_t *m) {
    read_cpu_model(m->cpu, sizeof m->cpu);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    m->cores = n > 0 ? (int)n : 0;
    snprintf(m->build_type, sizeof m->build_type, "%s", NSP_BUILD_TYPE);
#if defined(__clang__)
    snprintf(m->compiler, sizeof m->compiler, "clang %d.%d.%d", __clang_major__, __clang_minor__,
             __clang_patchlevel__);
#elif defined(__GNUC__)
    snprintf(m->compiler, sizeof m->compiler, "gcc %d.%d.%d", __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__);
#else
    snprintf(m->compiler, sizeof m->compiler, "unknown");
#endif
    snprintf(m->commit, sizeof m->commit, "%s", NSP_GIT_COMMIT);
}

long nsp_rss_kib(void) {
    // open/read rather than stdio: no allocation, so it may run during playback.
    int fd = open("/proc/self/statm", O_RDONLY);
    if (fd < 0) {
        return -1;
    }
    char buf[128];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) {
        return -1;
    }
    buf[n] = '\0';
    long pages_total = 0, pages_rss = 0;
    if (sscanf(buf, "%ld %ld", &pages_total, &pages_rss) != 2) {
        return -1;
    }
    return pages_rss * (sysconf(_SC_PAGESIZE) / 1024);
}
