/*  services/finance/hours.h - hours worked, per person, per week, per
    budget line (and per theme or session).

    An entry (H1, H2, ...) holds the hours one person worked in one ISO
    week on one budget line, for one theme or session or neither. Recording
    the same person, week, line, theme and session again replaces the hours
    (a correction), so a week's timesheet can be entered twice without
    counting twice. One person's entries in one week add up to at most 168
    hours. The line keeps the sum of its hours worked (budget_line.h), which
    budget.show sets against the hours planned (hours_rules.h has the
    rules: weeks, who may be a person, running ahead).

    The person is a short text for now (a key name or initials, checked by
    hours_person_check: staff, never a resident), kept in the entry and
    never in an event; entries are indexed by a number per person (the
    hours_persons database), which is where a registry of staff persons
    will plug in.

    Ops: hours.record, hours.list
    Events: finance.hours.recorded {id, line, year, week, theme, session, hours_x100}
*/
#ifndef SAMEN_FINANCE_HOURS_H
#define SAMEN_FINANCE_HOURS_H

#include "common/service.h"

/*  Op handlers (arguments, data and errors in proto/ops-finance.md): each
    returns 0 with its reply packed, or -1 with the context's error set (its
    writes are then undone). */
int op_hours_record(sm_ctx_t *ctx, const msgpack_object *args);
int op_hours_list(sm_ctx_t *ctx, const msgpack_object *args);

#endif
