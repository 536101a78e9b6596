/*
 * old_caller: a program built against an OLDER kickback.h, run against this
 * library. Its KbSettings is the layout before the appended fields (it ends
 * at gap_split_s); its KbEvent is an older layout, chosen by LAYOUT:
 *   stats     the oldest: it ends at stats (the default)
 *   evidence  the next: it ends at momentum_evidence, before rep_id and
 *             discard_reason
 *   discard   the one before walk: it ends at discard_reason
 * Each is followed in memory by 64 guard bytes of 0xAB. It streams a CSV like
 * stream_csv and checks after every call that the library did not write past
 * struct_size, and that every event is of a kind the older header knew
 * (KB_EVENT_REP_STARTED .. KB_EVENT_FINISHED, and KB_EVENT_REP_DISCARDED for
 * the discard layout: never KB_EVENT_WALKING).
 *
 *   old_caller FILE.csv [LAYOUT]
 *
 * Prints the same "rep ..." lines as stream_csv (without its rep ids), a
 * "discard <id>" line per discarded rise (the discard layout only), then
 *   old caller: <n> events, settings <size> bytes, event <size> bytes (library: <s>, <e>), guard intact
 * Exit status: 0 ok, 1 usage or I/O error, 2 library error, 3 guard bytes
 * overwritten or an event of a kind the older header did not know.
 */
#include "kickback.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* KbSettings as an older header declared it. */
typedef struct OldSettings {
    size_t struct_size;
    double torso_hinge_deg, hip_extension_limit_deg, partial_fraction, set_rest_s, min_rise_deg,
        max_rep_duration_s, momentum_max_concentric_s, momentum_peak_velocity_dps,
        momentum_min_hold_s, gap_split_s;
} OldSettings;

/* The fields of KbEvent as the oldest header declared it; every later layout
 * begins with them. */
#define OLDEST_EVENT_FIELDS                                                                        \
    size_t struct_size;                                                                            \
    KbEventKind kind;                                                                              \
    double t_s;                                                                                    \
    struct KbRep rep;                                                                              \
    struct KbSet set;                                                                              \
    struct KbWarning warning;                                                                      \
    struct KbStats stats;

/* KbEvent as the oldest header declared it. */
typedef struct OldEvent {
    OLDEST_EVENT_FIELDS
} OldEvent;

/* KbEvent as the next header declared it: momentum_evidence appended. */
typedef struct EvidenceEvent {
    OLDEST_EVENT_FIELDS
    uint32_t momentum_evidence;
} EvidenceEvent;

/* KbEvent as the header before KB_EVENT_WALKING declared it: rep_id and
 * discard_reason appended. */
typedef struct DiscardEvent {
    OLDEST_EVENT_FIELDS
    uint32_t momentum_evidence;
    uint64_t rep_id;
    int32_t discard_reason;
} DiscardEvent;

#define GUARD 0xAB
#define GUARD_LEN 64

static struct {
    OldSettings s;
    unsigned char guard[GUARD_LEN];
} g_settings;

/* The event, of g_event_size bytes, then the guard bytes. */
static union {
    OldEvent ev;
    EvidenceEvent evidence;
    DiscardEvent discard;
    unsigned char bytes[sizeof(DiscardEvent) + GUARD_LEN];
} g_event;
static size_t g_event_size = sizeof(OldEvent);
/* The last kind the layout's header knew. */
static KbEventKind g_last_kind = KB_EVENT_FINISHED;

static int guard_intact(const unsigned char *g) {
    for (int i = 0; i < GUARD_LEN; i++) {
        if (g[i] != GUARD) {
            return 0;
        }
    }
    return 1;
}

static unsigned long g_events = 0;

/* Returns 0, or 3 when the guard was overwritten. */
static int drain(KbAnalyzer *a) {
    while (kb_analyzer_poll(a, (KbEvent *)&g_event.ev) == KB_OK) {
        g_events++;
        if (!guard_intact(g_event.bytes + g_event_size) ||
            g_event.ev.struct_size != g_event_size) {
            fprintf(stderr, "old_caller: the library wrote past KbEvent.struct_size\n");
            return 3;
        }
        if (g_event.ev.kind < KB_EVENT_REP_STARTED || g_event.ev.kind > g_last_kind) {
            fprintf(stderr, "old_caller: an event of kind %d, unknown to the older header\n",
                    (int)g_event.ev.kind);
            return 3;
        }
        if (g_event.ev.kind == KB_EVENT_REP_COMPLETED) {
            const KbRep *r = &g_event.ev.rep;
            printf("rep %u set %u start %.9f peak %.9f end %.9f range %.3f faults %u\n", r->index,
                   r->set, r->start_s, r->peak_s, r->end_s, r->range_deg, r->faults);
        } else if (g_event.ev.kind == KB_EVENT_REP_DISCARDED) {
            printf("discard %llu\n", (unsigned long long)g_event.discard.rep_id);
        }
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[2], "evidence") == 0) {
        g_event_size = sizeof(EvidenceEvent);
    } else if (argc == 3 && strcmp(argv[2], "discard") == 0) {
        g_event_size = sizeof(DiscardEvent);
        g_last_kind = KB_EVENT_REP_DISCARDED;
    } else if (argc != 2 && !(argc == 3 && strcmp(argv[2], "stats") == 0)) {
        fprintf(stderr, "usage: %s FILE.csv [stats|evidence|discard]\n", argv[0]);
        return 1;
    }
    if (kb_check_version(KB_VERSION_MAJOR, KB_VERSION_MINOR, KB_VERSION_PATCH) != KB_OK) {
        fprintf(stderr, "old_caller: %s\n", kb_last_error_message());
        return 2;
    }
    FILE *f = fopen(argv[1], "r");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    memset(&g_settings, GUARD, sizeof g_settings);
    memset(&g_event, GUARD, sizeof g_event);
    g_settings.s.struct_size = sizeof(OldSettings);
    g_event.ev.struct_size = g_event_size;

    if (kb_settings_default((KbSettings *)&g_settings.s) != KB_OK ||
        !guard_intact(g_settings.guard)) {
        fprintf(stderr, "old_caller: kb_settings_default: %s\n", kb_last_error_message());
        fclose(f);
        return 3;
    }
    KbAnalyzer *a = NULL;
    if (kb_analyzer_new((const KbSettings *)&g_settings.s, &a) != KB_OK) {
        fprintf(stderr, "old_caller: kb_analyzer_new: %s\n", kb_last_error_message());
        fclose(f);
        return 2;
    }
    char line[1024];
    int rc = 0;
    int has_gyro = 0;
    if (fgets(line, sizeof line, f)) { /* 4 columns without a gyroscope, 7 with one */
        int commas = 0;
        for (const char *c = line; *c; c++) {
            commas += *c == ',';
        }
        has_gyro = commas >= 6;
    }
    while (rc == 0 && fgets(line, sizeof line, f)) {
        double v[7];
        int n = sscanf(line, "%lf,%lf,%lf,%lf,%lf,%lf,%lf", &v[0], &v[1], &v[2], &v[3], &v[4],
                       &v[5], &v[6]);
        if (n < (has_gyro ? 7 : 4)) {
            continue;
        }
        KbStatus st = kb_analyzer_push(a, v[0], &v[1], has_gyro ? &v[4] : NULL);
        if (st != KB_OK && st != KB_ERR_NOT_FINITE) {
            fprintf(stderr, "old_caller: push: %s\n", kb_last_error_message());
            rc = 2;
        }
        if (rc == 0) {
            rc = drain(a);
        }
    }
    if (rc == 0) {
        kb_analyzer_finish(a);
        rc = drain(a);
    }
    if (rc == 0) {
        printf("old caller: %lu events, settings %zu bytes, event %zu bytes (library: %zu, %zu), "
               "guard intact\n",
               g_events, sizeof(OldSettings), g_event_size, sizeof(KbSettings),
               sizeof(KbEvent));
    }
    kb_analyzer_free(a);
    fclose(f);
    return rc;
}
