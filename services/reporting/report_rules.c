/*  services/reporting/report_rules.c - the life of a session report. See report_rules.h. */
#include "report_rules.h"
#include "common/i18n.h"
#include "common/text.h"
#include "common/vocab.h"
#include "ident.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ==== Small helpers ====================================================== */

/*  The states are common/vocab.h's SM_VOCAB_REPORT_STATE, in the order of
    report_state_t. */

const char *report_state_name(report_state_t state)
{
    if ((int)state < 0 || (int)state > REPORT_SENT)
        return "?";
    return sm_vocab_code(&SM_VOCAB_REPORT_STATE, (int)state);
}

int report_state_parse(const char *text, report_state_t *out, const char *field, sm_err_t *err)
{
    int i = sm_vocab_find(&SM_VOCAB_REPORT_STATE, text);
    if (i >= 0 && i <= REPORT_SENT) {
        *out = (report_state_t)i;
        return 0;
    }
    return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                      _("%s must be one of draft, approved, published, sent"), field);
}

/*  True when text has something other than ASCII white space. */
static bool s_has_content(const char *text)
{
    for (const char *p = text; p && *p; p++)
        if (!strchr(" \t\r\n\v\f", *p))
            return true;
    return false;
}

/*  ASCII-only case-insensitive compare: strcasecmp follows the locale, and
    the answer must not depend on where the daemon runs. */
/*  Bytes of white space at s: a space, tab, line break or no-break space
    (U+00A0); 0 when none. */
static size_t s_space_len(const unsigned char *s)
{
    if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        return 1;
    return s[0] == 0xC2 && s[1] == 0xA0 ? 2 : 0;
}

/*  The next character of an allow-list text as it is compared: ASCII
    letters in lower case, a run of white space as one space, none at the
    end (the caller skips it at the start). Returns 0 at the end. */
static unsigned char s_allow_next(const char **p)
{
    const unsigned char *s = (const unsigned char *)*p;
    if (s_space_len(s)) {
        for (size_t n; (n = s_space_len(s)) > 0;)
            s += n;
        *p = (const char *)s;
        return *s ? ' ' : 0;
    }
    if (!*s)
        return 0;
    *p = (const char *)(s + 1);
    return *s >= 'A' && *s <= 'Z' ? (unsigned char)(*s - 'A' + 'a') : *s;
}

/*  Compare two texts as allow lists do (see s_allow_next). */
static int s_ascii_casecmp(const char *a, const char *b)
{
    for (size_t n; (n = s_space_len((const unsigned char *)a)) > 0;)
        a += n;
    for (size_t n; (n = s_space_len((const unsigned char *)b)) > 0;)
        b += n;
    for (;;) {
        unsigned char ca = s_allow_next(&a), cb = s_allow_next(&b);
        if (ca != cb || ca == '\0')
            return (int)ca - (int)cb;
    }
}

size_t report_allow_key(const char *text, char *out, size_t size)
{
    size_t n = 0;
    if (size == 0)
        return 0;
    for (size_t k; (k = s_space_len((const unsigned char *)text)) > 0;)
        text += k;
    for (unsigned char c; (c = s_allow_next(&text)) != 0 && n + 1 < size;)
        out[n++] = (char)c;
    out[n] = '\0';
    return n;
}

static int s_not_found(const char *id, sm_err_t *err)
{
    return sm_err_set(err, SM_E_NOT_FOUND, "report",
                      _("report %s does not exist; give the ID of an existing report (samenctl "
                        "report list shows them)"),
                      id ? id : _("(none)"));
}

/*  The refusal for any change to a published or sent version. */
static int s_refuse_published(const report_t *r, const char *id, sm_err_t *err)
{
    char day[11];
    return sm_err_set(err, SM_E_FAILED_PRECONDITION, "report",
                      _("report %s is already published (version %d) on %s; a correction is a "
                        "new version: revise it with a note saying what changes"),
                      id, r->version, sm_date_format(r->published_on, day));
}

/*  Check the day a step (what: "approved", "published") is dated: not
    after today, not before the session was held when that is known.
    Returns 0, or -1 with err (invalid_argument, field "date"). */
static int s_check_day(const report_t *r, const char *what, sm_date_t on, sm_date_t today,
                       sm_err_t *err)
{
    char day[11], day2[11];
    if (sm_date_cmp(on, today) > 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "date",
                          _("date %s is in the future; give the day the report was %s, at the "
                            "latest %s"),
                          sm_date_format(on, day), what, sm_date_format(today, day2));
    if (r->has_held_on && sm_date_cmp(on, r->held_on) < 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "date",
                          _("date %s is before session %s was held; give a day from %s on"),
                          sm_date_format(on, day), r->session_id ? r->session_id : "?",
                          sm_date_format(r->held_on, day2));
    return 0;
}

/* ==== Text and transitions =============================================== */

int report_check_text(const char *text, const char *field, sm_err_t *err)
{
    if (!text || !s_has_content(text))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          _("%s is empty; give the report in Markdown"), field);
    size_t len = strlen(text);
    if (len > REPORT_TEXT_MAX)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          _("%s is %zu bytes long; at most %d bytes are accepted"), field, len,
                          REPORT_TEXT_MAX);
    if (!sm_utf8_valid(text, len))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          _("%s is not valid UTF-8; save the text as UTF-8 and send it again"),
                          field);
    return 0;
}

int report_draft(report_t *out, const char *session_id, const char *text, sm_err_t *err)
{
    if (!session_id || !*session_id)
        return sm_err_set(
            err, SM_E_INVALID_ARGUMENT, "session",
            _("session is required; give the session the report is about (e.g. S31)"));
    if (report_check_text(text, "text", err) != 0)
        return -1;
    *out = (report_t){.session_id = session_id,
                      .version = 1,
                      .previous_version = 0,
                      .state = REPORT_DRAFT,
                      .text = text};
    return 0;
}

int report_revise(report_t *r, const char *id, const char *text, sm_err_t *err)
{
    if (!r)
        return s_not_found(id, err);
    if (r->state >= REPORT_PUBLISHED)
        return s_refuse_published(r, id, err);
    if (report_check_text(text, "text", err) != 0)
        return -1;
    //  An approval was given to other text; the new text needs its own.
    r->text = text;
    r->state = REPORT_DRAFT;
    r->approved_on = (sm_date_t){0, 0, 0};
    return 0;
}

int report_approve(report_t *r, const char *id, sm_date_t on, sm_date_t today, sm_err_t *err)
{
    if (!r)
        return s_not_found(id, err);
    if (r->state >= REPORT_PUBLISHED)
        return s_refuse_published(r, id, err);
    if (r->state == REPORT_APPROVED) {
        char day[11];
        return sm_err_set(err, SM_E_FAILED_PRECONDITION, "report",
                          _("report %s version %d is already approved (on %s); publish it, or "
                            "revise it to return it to draft"),
                          id, r->version, sm_date_format(r->approved_on, day));
    }
    if (!s_has_content(r->text))
        return sm_err_set(err, SM_E_FAILED_PRECONDITION, "report",
                          _("report %s version %d has no text; revise it with the report in "
                            "Markdown before approving it"),
                          id, r->version);
    if (s_check_day(r, "approved", on, today, err) != 0)
        return -1;
    r->state = REPORT_APPROVED;
    r->approved_on = on;
    return 0;
}

/* ==== Personal data ====================================================== */

typedef struct {
    const char *kind;
    const char *text;
    size_t index;
} s_match_t;

static int s_match_cmp(const void *a, const void *b)
{
    const s_match_t *x = a, *y = b;
    int c = strcmp(x->kind, y->kind);
    if (c == 0)
        c = s_ascii_casecmp(x->text, y->text);
    if (c == 0)
        c = x->index < y->index ? -1 : (x->index > y->index);
    return c;
}

static int s_allowed_cmp(const void *a, const void *b)
{
    return s_ascii_casecmp(*(const char *const *)a, *(const char *const *)b);
}

int report_pii_not_allowed(const report_pii_match_t *matches, size_t n_matches,
                           const char *const *allowed, size_t n_allowed, size_t *out)
{
    int count = -1;
    const char **sorted_allowed = NULL;
    s_match_t *sorted = NULL;
    bool *repeat = NULL;
    if (n_matches == 0)
        return 0;
    if (n_matches > (size_t)INT32_MAX)
        return -1; //  the count must fit the return value
    sorted_allowed = calloc(n_allowed ? n_allowed : 1, sizeof *sorted_allowed);
    sorted = calloc(n_matches, sizeof *sorted);
    repeat = calloc(n_matches, sizeof *repeat);
    if (!sorted_allowed || !sorted || !repeat)
        goto cleanup;

    size_t n_sorted_allowed = 0;
    for (size_t i = 0; i < n_allowed; i++)
        if (allowed[i])
            sorted_allowed[n_sorted_allowed++] = allowed[i];
    qsort(sorted_allowed, n_sorted_allowed, sizeof *sorted_allowed, s_allowed_cmp);

    //  Sort the matches so that repeats of one (kind, text) lie together,
    //  the earliest first; every later one in a run is a repeat.
    for (size_t i = 0; i < n_matches; i++)
        sorted[i] = (s_match_t){matches[i].kind ? matches[i].kind : "",
                                matches[i].text ? matches[i].text : "", i};
    qsort(sorted, n_matches, sizeof *sorted, s_match_cmp);
    for (size_t i = 1; i < n_matches; i++)
        if (strcmp(sorted[i].kind, sorted[i - 1].kind) == 0 &&
            s_ascii_casecmp(sorted[i].text, sorted[i - 1].text) == 0)
            repeat[sorted[i].index] = true;

    count = 0;
    for (size_t i = 0; i < n_matches; i++) {
        if (repeat[i])
            continue;
        const char *text = matches[i].text;
        if (text &&
            bsearch(&text, sorted_allowed, n_sorted_allowed, sizeof *sorted_allowed, s_allowed_cmp))
            continue;
        out[count++] = i;
    }
cleanup:
    free(sorted_allowed);
    free(sorted);
    free(repeat);
    return count;
}

/*  The line (1, 2, ...) on which byte offset of text falls; the last line
    when offset lies beyond the text (a scanner's offset is not trusted). */
static size_t s_line_of(const char *text, size_t offset)
{
    size_t line = 1;
    for (size_t i = 0; text && text[i] && i < offset; i++)
        line += text[i] == '\n';
    return line;
}

/*  "name at line 3, phone at line 7" for the refused matches, in input
    order, as many as fit in buf, then "and N more". Kinds are the
    detector's labels (cut to 16 bytes), never the matched text. */
static void s_describe_places(const report_pii_match_t *matches, const size_t *idx, size_t n,
                              const char *text, char *buf, size_t size)
{
    //  Room kept for ", and 4294967295 more".
    enum { S_TAIL = 24 };
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        const report_pii_match_t *m = &matches[idx[i]];
        char item[64];
        snprintf(item, sizeof item, "%s%.16s at line %zu", i ? ", " : "",
                 m->kind ? m->kind : "unknown", s_line_of(text, m->offset));
        size_t len = strlen(item);
        if (used + len + S_TAIL >= size) {
            snprintf(buf + used, size - used, ", and %zu more", n - i);
            return;
        }
        memcpy(buf + used, item, len + 1);
        used += len;
    }
}

size_t report_pii_line(const char *text, size_t offset)
{
    return s_line_of(text, offset);
}

/*  True at the first byte of a UTF-8 character (not a continuation). */
static bool s_char_start(unsigned char c)
{
    return (c & 0xC0) != 0x80;
}

/*  The match of matches (valid spans of text) that covers byte at, or
    SIZE_MAX. */
static size_t s_match_at(const report_pii_match_t *matches, size_t n, size_t len, size_t at)
{
    for (size_t i = 0; i < n; i++)
        if (matches[i].offset <= at && at - matches[i].offset < matches[i].length &&
            matches[i].offset + matches[i].length <= len)
            return i;
    return SIZE_MAX;
}

void report_pii_excerpt(const char *text, const report_pii_match_t *matches, size_t n,
                        size_t which, char *out, size_t size)
{
    enum { S_AROUND = REPORT_EXCERPT_AROUND };
    size_t len = text ? strlen(text) : 0, used = 0;
    if (size == 0)
        return;
    out[0] = '\0';
    if (which >= n || matches[which].offset > len ||
        matches[which].length > len - matches[which].offset)
        return;
    size_t at = matches[which].offset, stop = at + matches[which].length;
    //  The window: whole words within S_AROUND bytes either side.
    size_t from = at > S_AROUND ? at - S_AROUND : 0;
    size_t to = stop + S_AROUND < len ? stop + S_AROUND : len;
    if (from > 0) {
        while (from < at && !s_space_len((const unsigned char *)text + from))
            from++;
        while (from < at && s_space_len((const unsigned char *)text + from))
            from++;
    }
    if (to < len) {
        while (to > stop && !s_space_len((const unsigned char *)text + to - 1))
            to--;
        while (to > stop && s_space_len((const unsigned char *)text + to - 1))
            to--;
    }
    //  Room for the widest character written (the ellipsis, 3 bytes) and
    //  the closing one.
#define S_PUT(s, k)                                                                                \
    do {                                                                                           \
        if (used + (k) + 4 >= size)                                                                \
            goto done;                                                                             \
        memcpy(out + used, (s), (k));                                                              \
        used += (k);                                                                               \
    } while (0)
    if (from > 0)
        S_PUT("\xe2\x80\xa6", 3);
    bool space = false;
    for (size_t p = from; p < to;) {
        size_t ws = s_space_len((const unsigned char *)text + p);
        if (ws) {
            if (!space)
                S_PUT(" ", 1);
            space = true;
            p += ws;
            continue;
        }
        space = false;
        size_t k = 1;
        while (p + k < len && !s_char_start((unsigned char)text[p + k]))
            k++;
        size_t m = s_match_at(matches, n, len, p);
        if (m == SIZE_MAX)
            S_PUT(text + p, k);
        else if (m == which && p == at)
            S_PUT(text + p, k); /*  the first character, to find it by */
        else
            S_PUT("*", 1);
        p += k;
    }
    if (to < len)
        S_PUT("\xe2\x80\xa6", 3);
#undef S_PUT
done:
    out[used] = '\0';
}

int report_publish(report_t *r, const char *id, sm_date_t on, sm_date_t today,
                   const report_pii_match_t *matches, size_t n_matches, const char *const *allowed,
                   size_t n_allowed, sm_err_t *err)
{
    if (!r)
        return s_not_found(id, err);
    if (r->state >= REPORT_PUBLISHED)
        return s_refuse_published(r, id, err);
    if (r->state != REPORT_APPROVED)
        return sm_err_set(err, SM_E_FAILED_PRECONDITION, "report",
                          _("report %s version %d is a draft; approve it before publishing it"), id,
                          r->version);
    if (!s_has_content(r->text))
        return sm_err_set(err, SM_E_FAILED_PRECONDITION, "report",
                          _("report %s version %d has no text; revise it with the report in "
                            "Markdown, approve it, then publish it"),
                          id, r->version);
    if (s_check_day(r, "published", on, today, err) != 0)
        return -1;
    //  Published before it was approved would be a record of a step that
    //  skipped the approval.
    if (r->approved_on.y && sm_date_cmp(on, r->approved_on) < 0) {
        char day[11], day2[11];
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "date",
                          _("date %s is before report %s version %d was approved; give a day from "
                            "%s on"),
                          sm_date_format(on, day), id, r->version,
                          sm_date_format(r->approved_on, day2));
    }
    if (n_matches > 0) {
        size_t *idx = calloc(n_matches, sizeof *idx);
        int refused =
            idx ? report_pii_not_allowed(matches, n_matches, allowed, n_allowed, idx) : -1;
        if (refused < 0) {
            free(idx);
            return sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL,
                              _("out of memory while checking report %s for personal data; try "
                                "again later"),
                              id);
        }
        if (refused > 0) {
            char places[240];
            s_describe_places(matches, idx, (size_t)refused, r->text, places, sizeof places);
            free(idx);
            return sm_err_set(err, SM_E_FAILED_PRECONDITION, "allow",
                              _("report %s version %d contains %d possible personal data not "
                                "explicitly allowed (%s); remove them from the text, or allow each "
                                "one that is not personal data (report check %s lists them)"),
                              id, r->version, refused, places, id);
        }
        free(idx);
    }
    r->state = REPORT_PUBLISHED;
    r->published_on = on;
    return 0;
}

int report_mark_sent(report_t *r, const char *id, sm_date_t sent_on, sm_date_t today, sm_err_t *err)
{
    if (!r)
        return s_not_found(id, err);
    char day[11], day2[11];
    if (r->state == REPORT_SENT)
        return sm_err_set(err, SM_E_FAILED_PRECONDITION, "report",
                          _("report %s (version %d) was already sent on %s"), id, r->version,
                          sm_date_format(r->sent_on, day));
    if (r->state != REPORT_PUBLISHED)
        return sm_err_set(err, SM_E_FAILED_PRECONDITION, "report",
                          _("report %s version %d is not published yet (%s); publish it before "
                            "marking it sent"),
                          id, r->version, report_state_name(r->state));
    if (sm_date_cmp(sent_on, today) > 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "date",
                          _("date %s is in the future; give the day the report was sent, at the "
                            "latest %s"),
                          sm_date_format(sent_on, day), sm_date_format(today, day2));
    if (sm_date_cmp(sent_on, r->published_on) < 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "date",
                          _("date %s is before report %s was published; give a day from %s on"),
                          sm_date_format(sent_on, day), id, sm_date_format(r->published_on, day2));
    r->state = REPORT_SENT;
    r->sent_on = sent_on;
    return 0;
}

int report_correct(const report_t *current, const char *id, const char *text, const char *note,
                   report_t *out, sm_err_t *err)
{
    if (!current)
        return s_not_found(id, err);
    if (current->state < REPORT_PUBLISHED)
        return sm_err_set(err, SM_E_FAILED_PRECONDITION, "report",
                          _("report %s version %d is not published yet (%s); revise it instead of "
                            "correcting it"),
                          id, current->version, report_state_name(current->state));
    if (report_check_text(text, "text", err) != 0)
        return -1;
    if (!s_has_content(note))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "note",
                          _("note is required for a correction; say in a sentence what version %d "
                            "changes"),
                          current->version + 1);
    size_t len = strlen(note);
    if (len > REPORT_NOTE_MAX || !sm_utf8_valid(note, len))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "note",
                          _("note must be valid UTF-8 of at most %d bytes (got %zu bytes)"),
                          REPORT_NOTE_MAX, len);
    *out = (report_t){.session_id = current->session_id,
                      .version = current->version + 1,
                      .previous_version = current->version,
                      .state = REPORT_DRAFT,
                      .text = text,
                      .note = note};
    return 0;
}

/* ==== Report due ========================================================= */

static int s_due_cmp(const void *a, const void *b)
{
    const report_due_item_t *x = a, *y = b;
    int c = sm_date_cmp(x->held_on, y->held_on);
    return c ? c : ident_cmp(x->session_id, y->session_id);
}

int report_due(const report_held_t *sessions, size_t n, sm_date_t today, int allowed_days,
               report_due_t *out, sm_err_t *err)
{
    *out = (report_due_t){0};
    if (allowed_days < 1 || allowed_days > REPORT_DUE_DAYS_MAX)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "days",
                          _("days must be a whole number from 1 to %d (default %d), got %d"),
                          REPORT_DUE_DAYS_MAX, REPORT_DUE_DAYS_DEFAULT, allowed_days);
    if (n > 0) {
        out->unpublished = calloc(n, sizeof *out->unpublished);
        out->late = calloc(n, sizeof *out->late);
        if (!out->unpublished || !out->late) {
            report_due_free(out);
            return sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL,
                              _("out of memory while listing %zu sessions; try again later"), n);
        }
    }
    int64_t today_days = sm_date_to_days(today);
    for (size_t i = 0; i < n; i++) {
        const report_held_t *s = &sessions[i];
        int64_t held = sm_date_to_days(s->held_on);
        if (held > today_days)
            continue;
        report_due_item_t item = {
            .session_id = s->session_id, .theme_id = s->theme_id, .held_on = s->held_on};
        if (!s->published) {
            item.days = today_days - held;
            out->unpublished[out->n_unpublished++] = item;
        }
        //  Day allowed_days after the session is the last day on time.
        int64_t deadline = held + allowed_days;
        int64_t done = s->sent ? sm_date_to_days(s->sent_on) : today_days;
        if (done > deadline) {
            item.days = done - deadline;
            item.sent = s->sent;
            item.sent_on = s->sent ? s->sent_on : (sm_date_t){0, 0, 0};
            out->late[out->n_late++] = item;
        }
    }
    //  qsort's pointer must not be NULL even for no elements.
    if (out->n_unpublished > 0)
        qsort(out->unpublished, out->n_unpublished, sizeof *out->unpublished, s_due_cmp);
    if (out->n_late > 0)
        qsort(out->late, out->n_late, sizeof *out->late, s_due_cmp);
    return 0;
}

void report_due_free(report_due_t *due)
{
    if (!due)
        return;
    free(due->unpublished);
    free(due->late);
    *due = (report_due_t){0};
}
