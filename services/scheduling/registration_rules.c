/*  services/scheduling/registration_rules.c - capacity, waitlist and the
    invite list. See registration_rules.h. */
#include "registration_rules.h"
#include "common/i18n.h"
#include "session_rules.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct _reglist_t {
    uint64_t session_id;
    int64_t capacity;
    registration_t *items; //  sorted by seq ascending
    size_t count;
    size_t alloc;
    size_t registered; //  kept in step with items, so capacity checks are O(1)
    size_t waitlisted;
    uint64_t next_seq; //  > every seq in items
};

static const char *const s_status_names[REG_STATUS_COUNT] = {"registered", "waitlisted",
                                                             "cancelled"};

const char *reg_status_name(reg_status_t status)
{
    return (int)status >= 0 && status < REG_STATUS_COUNT ? s_status_names[status] : "?";
}

/*  True when a place is free with registered places taken: always when
    the session has no limit (capacity SESSION_CAPACITY_NONE). */
static bool s_place_free(const reglist_t *self, size_t registered)
{
    return self->capacity == SESSION_CAPACITY_NONE || (int64_t)registered < self->capacity;
}

reglist_t *reglist_new(uint64_t session_id, int64_t capacity, sm_err_t *err)
{
    if (session_check_capacity(capacity, err) != 0)
        return NULL;
    reglist_t *self = calloc(1, sizeof(reglist_t));
    if (!self) {
        sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
        return NULL;
    }
    self->session_id = session_id;
    self->capacity = capacity;
    self->next_seq = 1;
    return self;
}

void reglist_destroy(reglist_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    free((*self_p)->items);
    free(*self_p);
    *self_p = NULL;
}

/*  Make room for one more entry. Returns 0, or -1 with err. */
static int s_grow(reglist_t *self, sm_err_t *err)
{
    if (self->count < self->alloc)
        return 0;
    size_t alloc = self->alloc ? self->alloc * 2 : 16;
    registration_t *items = realloc(self->items, alloc * sizeof *items);
    if (!items)
        return sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    self->items = items;
    self->alloc = alloc;
    return 0;
}

/*  qsort order of registrations by seq. Can't fail. */
static int s_by_seq(const void *a, const void *b)
{
    uint64_t x = ((const registration_t *)a)->seq, y = ((const registration_t *)b)->seq;
    return (x > y) - (x < y);
}

/*  qsort order of registrations by participant id, to find duplicates. */
static int s_by_participant(const void *a, const void *b)
{
    uint64_t x = ((const registration_t *)a)->participant_id;
    uint64_t y = ((const registration_t *)b)->participant_id;
    return (x > y) - (x < y);
}

int reglist_load(reglist_t *self, const registration_t *items, size_t n, sm_err_t *err)
{
    int rc = -1;
    registration_t *by_seq = NULL, *by_pid = NULL;
    if (n > 0) {
        by_seq = malloc(n * sizeof *by_seq);
        by_pid = malloc(n * sizeof *by_pid);
        if (!by_seq || !by_pid) {
            sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
            goto cleanup;
        }
        memcpy(by_seq, items, n * sizeof *by_seq);
        memcpy(by_pid, items, n * sizeof *by_pid);
        qsort(by_seq, n, sizeof *by_seq, s_by_seq);
        qsort(by_pid, n, sizeof *by_pid, s_by_participant);
    }
    size_t registered = 0, waitlisted = 0;
    for (size_t i = 0; i < n; i++) {
        const registration_t *r = &by_seq[i];
        if (r->participant_id == 0 || r->seq == 0 || (int)r->status < 0 ||
            r->status >= REG_STATUS_COUNT) {
            sm_err_set(err, SM_E_INTERNAL, "registrations",
                       _("stored registration list of S%" PRIu64 " has an invalid entry"),
                       self->session_id);
            goto cleanup;
        }
        if (i > 0 && by_seq[i - 1].seq == r->seq) {
            sm_err_set(err, SM_E_INTERNAL, "registrations",
                       _("stored registration list of S%" PRIu64 " repeats seq %" PRIu64),
                       self->session_id, r->seq);
            goto cleanup;
        }
        if (i > 0 && by_pid[i - 1].participant_id == by_pid[i].participant_id) {
            sm_err_set(err, SM_E_INTERNAL, "registrations",
                       _("stored registration list of S%" PRIu64 " has P%" PRIu64 " twice"),
                       self->session_id, by_pid[i].participant_id);
            goto cleanup;
        }
        registered += r->status == REG_REGISTERED;
        waitlisted += r->status == REG_WAITLISTED;
    }
    bool unlimited = self->capacity == SESSION_CAPACITY_NONE;
    if ((!unlimited && (int64_t)registered > self->capacity) ||
        (waitlisted > 0 && (unlimited || (int64_t)registered < self->capacity))) {
        sm_err_set(err, SM_E_INTERNAL, "registrations",
                   _("stored registration list of S%" PRIu64 " does not fit its capacity %" PRId64
                     " (%zu registered, %zu waitlisted)"),
                   self->session_id, self->capacity, registered, waitlisted);
        goto cleanup;
    }
    free(self->items);
    self->items = by_seq;
    by_seq = NULL;
    self->count = self->alloc = n;
    self->registered = registered;
    self->waitlisted = waitlisted;
    self->next_seq = n > 0 ? self->items[n - 1].seq + 1 : 1;
    rc = 0;
cleanup:
    free(by_seq);
    free(by_pid);
    return rc;
}

const registration_t *reglist_items(const reglist_t *self, size_t *n)
{
    *n = self->count;
    return self->items;
}

size_t reglist_registered(const reglist_t *self)
{
    return self->registered;
}

size_t reglist_waitlisted(const reglist_t *self)
{
    return self->waitlisted;
}

int64_t reglist_capacity(const reglist_t *self)
{
    return self->capacity;
}

/*  Index of participant_id's entry, or -1. */
static long s_find(const reglist_t *self, uint64_t participant_id)
{
    for (size_t i = 0; i < self->count; i++)
        if (self->items[i].participant_id == participant_id)
            return (long)i;
    return -1;
}

/*  Waitlist position of the entry at index i (which is waitlisted). */
static size_t s_position(const reglist_t *self, size_t i)
{
    size_t position = 1;
    for (size_t j = 0; j < i; j++)
        position += self->items[j].status == REG_WAITLISTED;
    return position;
}

int reglist_lookup(const reglist_t *self, uint64_t participant_id, reg_status_t *status,
                   size_t *position)
{
    long i = s_find(self, participant_id);
    if (i < 0)
        return -1;
    if (status)
        *status = self->items[i].status;
    if (position)
        *position = self->items[i].status == REG_WAITLISTED ? s_position(self, (size_t)i) : 0;
    return 0;
}

int reglist_register(reglist_t *self, uint64_t participant_id, reg_outcome_t *outcome,
                     sm_err_t *err)
{
    if (participant_id == 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "participant",
                          _("participant is missing; give a participant id such as P12"));
    long i = s_find(self, participant_id);
    if (i >= 0 && self->items[i].status == REG_REGISTERED)
        return sm_err_set(err, SM_E_ALREADY_EXISTS, "participant",
                          _("participant P%" PRIu64 " is already registered for S%" PRIu64),
                          participant_id, self->session_id);
    if (i >= 0 && self->items[i].status == REG_WAITLISTED)
        return sm_err_set(err, SM_E_ALREADY_EXISTS, "participant",
                          _("participant P%" PRIu64 " is already on the waitlist for S%" PRIu64
                            " at position %zu"),
                          participant_id, self->session_id, s_position(self, (size_t)i));
    if (i < 0 && s_grow(self, err) != 0)
        return -1;
    if (i >= 0) {
        //  Registering again after cancelling: the old entry moves to the
        //  back, keeping the array sorted by seq.
        memmove(&self->items[i], &self->items[i + 1],
                (self->count - (size_t)i - 1) * sizeof *self->items);
        self->count--;
    }
    registration_t *r = &self->items[self->count++];
    r->participant_id = participant_id;
    r->seq = self->next_seq++;
    if (s_place_free(self, self->registered)) {
        r->status = REG_REGISTERED;
        self->registered++;
    } else {
        r->status = REG_WAITLISTED;
        self->waitlisted++;
    }
    if (outcome) {
        outcome->status = r->status;
        outcome->position = r->status == REG_WAITLISTED ? self->waitlisted : 0;
        outcome->seq = r->seq;
    }
    return 0;
}

/*  Register the first waitlisted entry. Returns its participant id, or 0
    when nobody is waiting. */
static uint64_t s_promote_first(reglist_t *self)
{
    if (self->waitlisted == 0)
        return 0;
    for (size_t i = 0; i < self->count; i++) {
        if (self->items[i].status == REG_WAITLISTED) {
            self->items[i].status = REG_REGISTERED;
            self->waitlisted--;
            self->registered++;
            return self->items[i].participant_id;
        }
    }
    return 0;
}

int reglist_cancel(reglist_t *self, uint64_t participant_id, uint64_t *promoted, sm_err_t *err)
{
    long i = s_find(self, participant_id);
    if (i < 0)
        return sm_err_set(err, SM_E_NOT_FOUND, "participant",
                          _("participant P%" PRIu64 " is not registered for S%" PRIu64),
                          participant_id, self->session_id);
    registration_t *r = &self->items[i];
    if (r->status == REG_CANCELLED)
        return sm_err_set(err, SM_E_FAILED_PRECONDITION, "participant",
                          _("participant P%" PRIu64 " has already cancelled for S%" PRIu64),
                          participant_id, self->session_id);
    uint64_t who = 0;
    if (r->status == REG_REGISTERED) {
        r->status = REG_CANCELLED;
        self->registered--;
        who = s_promote_first(self);
    } else {
        r->status = REG_CANCELLED;
        self->waitlisted--;
    }
    if (promoted)
        *promoted = who;
    return 0;
}

int reglist_set_capacity(reglist_t *self, int64_t capacity, uint64_t *promoted, size_t max_promoted,
                         size_t *n_promoted, sm_err_t *err)
{
    if (session_check_capacity(capacity, err) != 0)
        return -1;
    if (capacity != SESSION_CAPACITY_NONE && capacity < (int64_t)self->registered)
        return sm_err_set(err, SM_E_FAILED_PRECONDITION, "capacity",
                          _("capacity %" PRId64 " is below the %zu participants already registered "
                            "for S%" PRIu64 "; give at least %zu or cancel registrations first"),
                          capacity, self->registered, self->session_id, self->registered);
    self->capacity = capacity;
    size_t n = 0;
    while (s_place_free(self, self->registered) && self->waitlisted > 0) {
        uint64_t who = s_promote_first(self);
        if (promoted && n < max_promoted)
            promoted[n] = who;
        n++;
    }
    if (n_promoted)
        *n_promoted = n;
    return 0;
}

int reglist_remove(reglist_t *self, uint64_t participant_id, uint64_t *promoted)
{
    uint64_t who = 0;
    long i = s_find(self, participant_id);
    if (i >= 0) {
        registration_t *r = &self->items[i];
        if (r->status == REG_REGISTERED) {
            self->registered--;
            r->status = REG_CANCELLED;
            who = s_promote_first(self);
        } else if (r->status == REG_WAITLISTED) {
            self->waitlisted--;
        }
        //  s_promote_first changes statuses in place, never positions, so i
        //  still points at the entry to drop.
        memmove(&self->items[i], &self->items[i + 1],
                (self->count - (size_t)i - 1) * sizeof *self->items);
        self->count--;
    }
    if (promoted)
        *promoted = who;
    return i >= 0 ? 1 : 0;
}

/* ==== Attendance ======================================================== */

int attendance_check(const reglist_t *list, uint64_t participant_id, bool walk_in,
                     attend_recorded_t recorded, bool attended, sm_err_t *err)
{
    const char *F = SM_E_FAILED_PRECONDITION;
    uint64_t sid = list->session_id;
    if (recorded != ATTEND_NONE) {
        if ((recorded == ATTEND_PRESENT) == attended)
            return 0;
        return sm_err_set(err, F, "participant",
                          _("attendance of P%" PRIu64 " at S%" PRIu64 " is already recorded as %s; "
                            "a recorded attendance is not changed"),
                          participant_id, sid,
                          recorded == ATTEND_PRESENT ? C_("attendance", "attended")
                                                     : C_("attendance", "no-show"));
    }
    long i = s_find(list, participant_id);
    bool listed = i >= 0 && list->items[i].status != REG_CANCELLED;
    if (listed)
        return 1;
    if (!walk_in)
        return sm_err_set(err, F, "participant",
                          _("participant P%" PRIu64 " is not registered for S%" PRIu64 "; record "
                            "them as a walk-in (walk_in) if they took part without registering"),
                          participant_id, sid);
    if (!attended)
        return sm_err_set(err, F, "participant",
                          _("participant P%" PRIu64 " is not registered for S%" PRIu64 "; only "
                            "registered participants can be recorded as no-show"),
                          participant_id, sid);
    return 1;
}

/* ==== Invite list ranking =============================================== */

/*  True when name is one of list[0..n) (ASCII case ignored), or n is 0. */
static bool s_in_list(const char *name, const char *const *list, size_t n)
{
    if (n == 0)
        return true;
    if (!name)
        return false;
    for (size_t i = 0; i < n; i++)
        if (list[i] && strcasecmp(name, list[i]) == 0)
            return true;
    return false;
}

/*  True when candidate c passes filter f: consent, not yet invited, in one
    of the municipalities and sharing one of the target groups. */
static bool s_wanted(const invite_candidate_t *c, const invite_filter_t *f)
{
    if (!c->consent || c->already_invited)
        return false;
    if (!s_in_list(c->municipality, f->municipalities, f->n_municipalities))
        return false;
    if (f->n_target_groups == 0)
        return true;
    for (size_t g = 0; g < c->n_target_groups; g++)
        if (c->target_groups[g] &&
            s_in_list(c->target_groups[g], f->target_groups, f->n_target_groups))
            return true;
    return false;
}

/*  qsort order of candidate pointers by participant id. Can't fail. */
static int s_by_id(const void *a, const void *b)
{
    uint64_t x = (*(const invite_candidate_t *const *)a)->participant_id;
    uint64_t y = (*(const invite_candidate_t *const *)b)->participant_id;
    return (x > y) - (x < y);
}

//  Fewest sessions attended first (so never-attended lead), then by id.
static int s_by_first_timers(const void *a, const void *b)
{
    uint32_t x = (*(const invite_candidate_t *const *)a)->times_attended;
    uint32_t y = (*(const invite_candidate_t *const *)b)->times_attended;
    if (x != y)
        return x < y ? -1 : 1;
    return s_by_id(a, b);
}

long invite_rank(const invite_candidate_t *candidates, size_t n, const invite_filter_t *filter,
                 uint64_t *out, sm_err_t *err)
{
    if (n == 0)
        return 0;
    const invite_candidate_t **kept = malloc(n * sizeof *kept);
    if (!kept)
        return sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (s_wanted(&candidates[i], filter))
            kept[k++] = &candidates[i];
    qsort(kept, k, sizeof *kept, filter->first_timers_first ? s_by_first_timers : s_by_id);
    if (filter->limit && k > filter->limit)
        k = filter->limit;
    for (size_t i = 0; i < k; i++)
        out[i] = kept[i]->participant_id;
    free(kept);
    return (long)k;
}
