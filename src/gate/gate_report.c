// Writing reports: the table and summary line of each scenario, the
// commands that reproduce a failure, and the same as JSON and JUnit XML.
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/fileio.h"
#include "gate_internal.h"

static void fmt_value(char *out, size_t cap, double v) {
    if (isnan(v)) {
        snprintf(out, cap, "-");
    } else if (fabs(v) >= 1e5) {
        snprintf(out, cap, "%.0f", v);
    } else {
        snprintf(out, cap, "%.4g", v);
    }
}

void nsp_gate_print(FILE *out, const nsp_gate_result_t *r, const nsp_gate_opts_t *o) {
    const nsp_gate_scenario_t *sc = r->scenario;
    fprintf(out, "\n== gate: %s (%s)%s%s\n", sc->name, sc->summary, o->against ? ", against " : "",
            o->against ? o->against : "");
    if (r->profile[0]) {
        fprintf(out, "   machine profile %s\n", r->profile);
    }
    fprintf(out, "   %-4s %-34s %12s %12s %9s %-19s %7s  %s\n", "tier", "metric", "baseline", "current", "change",
            "95% CI", "thresh", "verdict");
    for (int i = 0; i < r->n_rows; i++) {
        const nsp_gate_row_t *row = &r->rows[i];
        char base[24] = "-", cur[24], change[16] = "", ci[32] = "", thr[12] = "";
        if (row->has_baseline) {
            fmt_value(base, sizeof base, row->baseline);
            snprintf(change, sizeof change, "%+.1f%%", 100.0 * row->change);
        }
        fmt_value(cur, sizeof cur, row->current);
        if (row->has_ci) {
            snprintf(ci, sizeof ci, "[%+.1f, %+.1f]%%", 100.0 * row->ci_lo, 100.0 * row->ci_hi);
        }
        if (row->threshold > 0.0) {
            snprintf(thr, sizeof thr, "%.1f%%", 100.0 * row->threshold);
        }
        fprintf(out, "   %-4c %-34.34s %12s %12s %9s %-19s %7s  %s%s%s\n", row->tier, row->metric, base, cur, change, ci,
                thr, row->verdict, row->note[0] ? "  — " : "", row->note);
    }
    fprintf(out, "%s\n", r->summary);
    if (r->status == NSP_GATE_FAIL || r->status == NSP_GATE_INCONCLUSIVE) {
        char args[512] = "";
        for (int i = 0; sc->args[i]; i++) {
            size_t used = strlen(args);
            snprintf(args + used, sizeof args - used, " %s", sc->args[i]);
        }
        fprintf(out, "   reproduce:      %s gate --scenario %s --baselines %s\n", o->exe, sc->name, o->baselines_dir);
        fprintf(out,
                "   record a trace: NEUROSPATIAL_PERFMON=%s.trace.json %s bench --headless%s --playback-frames %s && "
                "%s trace-summary %s.trace.json\n",
                sc->name, o->exe, args, NSP_GATE_TIMED_FRAMES, o->exe, sc->name);
        fprintf(out, "   instructions:   valgrind --tool=callgrind %s bench --backend null%s --playback-frames %d\n",
                o->exe, args, NSP_GATE_CALLGRIND_FRAMES);
    }
    if (r->glpath_commands[0] && (r->status != NSP_GATE_PASS || strncmp(r->tier_summary[4], "pass", 4) != 0)) {
        fputs(r->glpath_commands, out);
    }
    if (strstr(r->tier_summary[2], "no timing baseline") || strstr(r->tier_summary[2], "no ratio") || strstr(r->tier_summary[0], "no baseline") ||
        strstr(r->tier_summary[1], "no baseline") || strstr(r->tier_summary[4], "no baseline")) {
        fprintf(out, "   record missing baselines with: %s baseline refresh --scenario %s --baselines %s\n", o->exe,
                sc->name, o->baselines_dir);
    }
}

static cJSON *result_json(const nsp_gate_result_t *r) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "scenario", r->scenario->name);
    cJSON_AddStringToObject(o, "status", r->status == NSP_GATE_PASS ? "pass" : r->status == NSP_GATE_FAIL ? "fail"
                                         : r->status == NSP_GATE_INCONCLUSIVE ? "inconclusive" : "error");
    cJSON_AddStringToObject(o, "summary", r->summary);
    cJSON_AddStringToObject(o, "profile", r->profile);
    cJSON_AddStringToObject(o, "commit", r->first_run.machine.commit);
    cJSON *tiers = cJSON_AddObjectToObject(o, "tiers");
    const char *names[5] = {"a_counters", "b_instructions", "c_timing", "d_targets", "e_glpath"};
    for (int i = 0; i < 5; i++) {
        cJSON_AddStringToObject(tiers, names[i], r->tier_summary[i]);
    }
    cJSON *rows = cJSON_AddArrayToObject(o, "rows");
    for (int i = 0; i < r->n_rows; i++) {
        const nsp_gate_row_t *row = &r->rows[i];
        cJSON *j = cJSON_CreateObject();
        char tier[2] = {row->tier, 0};
        cJSON_AddStringToObject(j, "tier", tier);
        cJSON_AddStringToObject(j, "metric", row->metric);
        if (row->has_baseline) {
            cJSON_AddNumberToObject(j, "baseline", row->baseline);
            cJSON_AddNumberToObject(j, "change", row->change);
        }
        if (!isnan(row->current)) {
            cJSON_AddNumberToObject(j, "current", row->current);
        }
        if (row->has_ci) {
            cJSON_AddNumberToObject(j, "ci_lo", row->ci_lo);
            cJSON_AddNumberToObject(j, "ci_hi", row->ci_hi);
        }
        if (row->threshold > 0.0) {
            cJSON_AddNumberToObject(j, "threshold", row->threshold);
        }
        cJSON_AddStringToObject(j, "verdict", row->verdict);
        cJSON_AddStringToObject(j, "note", row->note);
        cJSON_AddItemToArray(rows, j);
    }
    return o;
}

int nsp_gate_write_json(const char *path, const nsp_gate_result_t *res, int n) {
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "schema", NSP_GATE_SCHEMA);
    cJSON *arr = cJSON_AddArrayToObject(root, "scenarios");
    for (int i = 0; i < n; i++) {
        cJSON_AddItemToArray(arr, result_json(&res[i]));
    }
    return nsp_gate_write_json_file(path, root);
}

// Writes text to f with XML's five special characters escaped.
static void xml_escape(FILE *f, const char *text) {
    for (const char *p = text; *p; p++) {
        switch (*p) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&apos;", f); break;
        default: fputc(*p, f);
        }
    }
}

int nsp_gate_write_junit(const char *path, const nsp_gate_result_t *res, int n) {
    // A stream that grows as it is written: no report is too long for it.
    char *xml = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&xml, &len);
    if (!f) {
        return NSP_ENOMEM;
    }
    int failures = 0, skipped = 0;
    for (int i = 0; i < n; i++) {
        failures += res[i].status == NSP_GATE_FAIL || res[i].status == NSP_GATE_ERROR;
        skipped += res[i].status == NSP_GATE_INCONCLUSIVE;
    }
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<testsuite name=\"nsplay.gate\" tests=\"%d\" failures=\"%d\" skipped=\"%d\">\n",
            n, failures, skipped);
    for (int i = 0; i < n; i++) {
        fprintf(f, "  <testcase classname=\"nsplay.gate\" name=\"");
        xml_escape(f, res[i].scenario->name);
        fprintf(f, "\">\n");
        if (res[i].status == NSP_GATE_FAIL || res[i].status == NSP_GATE_ERROR) {
            fprintf(f, "    <failure message=\"");
            xml_escape(f, res[i].summary);
            fprintf(f, "\"/>\n");
        } else if (res[i].status == NSP_GATE_INCONCLUSIVE) {
            fprintf(f, "    <skipped message=\"");
            xml_escape(f, res[i].summary);
            fprintf(f, "\"/>\n");
        }
        fprintf(f, "    <system-out>");
        for (int k = 0; k < res[i].n_rows; k++) {
            const nsp_gate_row_t *row = &res[i].rows[k];
            char line[512];
            snprintf(line, sizeof line, "%c %s: baseline %g current %g change %+.2f%% %s %s\n", row->tier, row->metric,
                     row->baseline, row->current, 100.0 * row->change, row->verdict, row->note);
            xml_escape(f, line);
        }
        xml_escape(f, res[i].summary);
        fprintf(f, "</system-out>\n  </testcase>\n");
    }
    fprintf(f, "</testsuite>\n");
    int err = ferror(f) ? NSP_ENOMEM : 0;
    if (fclose(f) != 0) {
        err = NSP_ENOMEM;
    }
    if (!err) {
        err = nsp_file_mkdirs_parent(path);
    }
    if (!err) {
        err = nsp_file_write_atomic(path, xml, len);
    }
    free(xml);
    return err;
}
