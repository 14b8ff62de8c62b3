/*  common/owner.h - owners and deputies: who of the programme's own people
    answers for an item, and the handover when one of them leaves.

    The seeds record that the programme stopped when its drivers fell away
    ("wegvallen van kartrekkers"). So a theme (scheduling), an advice item
    (intake), a grant application (finance) and an outcome item (reporting)
    each have an owner and a deputy: people of the programme's own staff
    (project leaders, the coordinator, policy officers; not residents),
    known to samen by an ID like W3 (a medewerker; M is taken by intake's
    mails). Their names are personal
    data and live in intake only (services/intake/person.h); every other
    service knows of a person only the number and whether they are active,
    from intake's events:

        intake.person.added  {id, active: true}
        intake.person.left   {id, active: false, successor, left_on}

    What each of the four services keeps (its own databases, SM_OWNER_DBS):

        db      key                                    value
        staff   M number (8 bytes big-endian)          {active: bool}
        owned   M number, item letter, item number     (empty)
                (8 + 1 + 8 bytes)

    `owned` lists every item a person owns or deputises for (closed ones
    too: a list by owner is history as well). An item's own record carries
    "owner" and "deputy" ("W3", or nil for none).

    The rules, plain functions (tests/unit/test_owner.c):

    - An item may have an owner, an owner and a deputy, or neither; a deputy
      without an owner, or one person as both, is refused.
    - Only an active person known to the service may become owner or deputy
      (a person who left keeps the items that were closed before).
    - When a person leaves, every OPEN item (each service says what open
      means: a theme not completed or dropped, an advice item not evaluated,
      a grant application not closed, rejected or withdrawn, an outcome item
      open or in progress) is handed over, exactly once:
        * an item the person owned goes to the named successor when there is
          one (the deputy stays, unless the successor was the deputy: then
          the item has no deputy now), else to its deputy (who is then no
          longer the deputy); without either it has NO OWNER now, and is
          listed so that someone gives it one;
        * an item the person was deputy of gets the successor as deputy
          (unless the successor owns it), else no deputy.
      Each service applies this in the same transaction as its cursor on
      intake's log (intake itself in the transaction of person.leave), and
      reports what it did in one event, "<service>.handover.applied" {person,
      successor, items: [{id, kind, role, to, owner, deputy}]}, which intake
      follows so that `person.handover` shows the whole list.
    - Every change of an item's owners emits "<service>.<kind>.assigned"
      {id, owner, deputy}, whether by a request or by a handover.

    Everything that takes a context runs inside the handler's transaction
    and returns 0 (or what it says) on success, -1 with the context's error
    set otherwise.
*/
#ifndef SAMEN_OWNER_H
#define SAMEN_OWNER_H

#include "common/codec.h"
#include "common/err.h"
#include "common/service.h"
#include <stdbool.h>
#include <stdint.h>

#define SM_OWNER_DB_STAFF "staff"
#define SM_OWNER_DB_OWNED "owned"
/*  The databases a service that has owned items adds to its list. */
#define SM_OWNER_DBS SM_OWNER_DB_STAFF, SM_OWNER_DB_OWNED

/*  An item's owner and deputy: M numbers, 0 for none. */
typedef struct {
    uint64_t owner;
    uint64_t deputy;
} sm_owners_t;

/*  The part a leaving person had in an item. */
typedef enum {
    SM_HANDOVER_NONE = 0, /*  neither owner nor deputy: nothing changes */
    SM_HANDOVER_OWNER,
    SM_HANDOVER_DEPUTY
} sm_handover_role_t;

/* ==== The rules (no store) =============================================== */

/*  Check an item's owners: a deputy needs an owner, and one person is not
    both. Returns 0, or -1 with err (invalid_argument, field "deputy").
    Can't fail otherwise. */
int sm_owners_check(const sm_owners_t *o, sm_err_t *err);

/*  The owners of an open item after person leaves, handing over to
    successor (0: to the deputies), into *now (as the rules above). Returns
    the part person had; SM_HANDOVER_NONE leaves *now equal to *was. Can't
    fail. */
sm_handover_role_t sm_owner_after_leave(const sm_owners_t *was, uint64_t person, uint64_t successor,
                                        sm_owners_t *now);

/*  "owner" or "deputy" (static), "" for none. */
const char *sm_handover_role_name(sm_handover_role_t role);

/*  Parse a person as an argument gives one: "W3" (any case) or "none"
    (also "" and "-"), which gives 0. Returns 0 with *out set, or -1 with
    err (invalid_argument) naming field. */
int sm_owner_parse(const char *text, const char *field, uint64_t *out, sm_err_t *err);

/*  A list's filter on owners ("owner": "W3", or "none" for items without
    an owner). */
typedef struct {
    bool on;
    uint64_t person; /*  0: only items without an owner */
} sm_owner_filter_t;

/*  True when o passes f. Can't fail. */
bool sm_owner_filter_match(const sm_owner_filter_t *f, const sm_owners_t *o);

/* ==== Records ============================================================ */

/*  Read "owner" and "deputy" from a stored record (absent: none). Can't fail. */
void sm_owners_read(const msgpack_object *rec, sm_owners_t *out);

/*  The number of pairs sm_owners_pack packs. */
#define SM_OWNERS_NPAIRS 2

/*  Pack the two pairs "owner": "W3"|nil, "deputy": "W5"|nil. Can't fail. */
void sm_owners_pack(msgpack_packer *pk, const sm_owners_t *o);

/* ==== The people a service knows ========================================== */

/*  Record that person is known, active or not. */
int sm_staff_put(sm_ctx_t *ctx, uint64_t person, bool active);

/*  Whether person is known: 1 with *active set, 0 unknown, -1 error. */
int sm_staff_get(sm_ctx_t *ctx, uint64_t person, bool *active);

/* ==== Requests =========================================================== */

/*  Read the arguments "owner" and "deputy" (each "W3" or "none"; absent:
    unchanged) over *o, and check the result: every person it newly names
    is known here and active (not_found / failed_precondition naming the
    field), and sm_owners_check. The op must declare both arguments.
    Returns 0 or -1. */
int sm_owners_take(sm_ctx_t *ctx, sm_owners_t *o);

/*  Read a list op's "owner" argument into *f (off when absent). Returns 0
    or -1 (invalid_argument). */
int sm_owner_filter_take(sm_ctx_t *ctx, sm_owner_filter_t *f);

/*  What a service tells about one kind of item it owns. */
typedef struct {
    char letter;       /*  'T' */
    const char *kind;  /*  "theme" */
    const char *topic; /*  "scheduling.theme.assigned" */
    /*  Read item id: its owners, and whether it is open. Returns 1, 0 when
        there is no such item, -1 on error. */
    int (*get)(sm_ctx_t *ctx, uint64_t id, sm_owners_t *owners, bool *open);
    /*  Store new owners in item id's record (nothing else changes). */
    int (*set)(sm_ctx_t *ctx, uint64_t id, const sm_owners_t *owners);
} sm_owned_kind_t;

/*  After an item's record was stored with owners now (was: before; both
    zero for a new item): keep `owned` in step and, when they differ, emit
    kind's "assigned" event {id, owner, deputy}. Returns 0 or -1. */
int sm_owners_changed(sm_ctx_t *ctx, const sm_owned_kind_t *kind, uint64_t id,
                      const sm_owners_t *was, const sm_owners_t *now);

/* ==== Schema ============================================================= */

/*  The schema version from which a store of intake, scheduling or
    reporting (finance: services/finance/migrate.h) has owners and deputies.
    A store of version 2 needs nothing rewritten: its items have no
    "owner" or "deputy" (none), and the new databases are created empty at
    open. The version still changes because an older binary must not serve
    such a store: advice and outcome records are rewritten whole, so an
    older binary would drop their owners, and one that does not follow
    intake.person.* would move its cursor past a leave without handing
    anything over. sm_owner_migrate is the migrate function of a service
    without migrations of its own (it runs sm_muni_migrate first). */
#define SM_OWNER_SCHEMA 3
int sm_owner_migrate(MDB_txn *txn, sm_store_t *store, int from, sm_err_t *err);

/* ==== Handover =========================================================== */

/*  Hand over every open item of kinds (an array ended by letter 0) that
    person owns or deputises for, to successor (0: to the deputies), as
    the rules say: each item's record (kind->set), `owned`, and its
    "assigned" event. Packs one map per item handed over into items
    {id, kind, role, to, owner, deputy} and counts them in *n. Returns 0 or
    -1. */
int sm_owner_handover(sm_ctx_t *ctx, const sm_owned_kind_t *kinds, uint64_t person,
                      uint64_t successor, sm_buf_t *items, size_t *n);

/*  Emit "<service>.handover.applied" {person, successor, items: [the n
    maps in items]}. Returns 0 or -1. */
int sm_owner_emit_handover(sm_ctx_t *ctx, const char *service, uint64_t person, uint64_t successor,
                           const sm_buf_t *items, size_t n);

/*  The body of a follower's handler for intake.person.*: added keeps the
    person as active; left marks them inactive, hands their open items of
    kinds over (sm_owner_handover) and emits "<service>.handover.applied".
    Other verbs are skipped. Returns 0, or -1 (an event without a valid
    id). */
int sm_owner_on_person(sm_ctx_t *ctx, const char *service, const sm_owned_kind_t *kinds,
                       const char *type, const msgpack_object *data);

#endif
