/*  services/intake/mail_message.h - one e-mail message as it goes to the
    relay (RFC 5322 with MIME), and the calendar entry it may carry.

    Every mail is one message to one recipient:

        From: Samenkracht <samen@example.nl>
        To: "Fictief Yilmaz-221" <fictief.yilmaz221@example.org>
        Reply-To: coordinator@example.nl                     (when set)
        Subject: =?UTF-8?B?...?=                             (RFC 2047 when not plain ASCII)
        Date: Tue, 01 Sep 2020 10:00:00 +0200
        Message-ID: <...@example.nl>                         (stable: made when queued)
        MIME-Version: 1.0
        Content-Language: nl
        Auto-Submitted: auto-generated                       (mail samen sends by itself)
        List-Unsubscribe: <https://...>                      (the newsletter)
        List-Unsubscribe-Post: List-Unsubscribe=One-Click    (RFC 8058)
        Content-Type: multipart/mixed (with an attachment) or multipart/alternative

    The body is multipart/alternative: text/plain and text/html, both
    UTF-8 and quoted-printable; an attachment (the .ics) is base64. Lines
    end in CRLF. The boundary is made from the Message-ID and cannot occur
    in quoted-printable or base64 text (it holds "=_"). Header values
    never carry a line break: display names and the subject are encoded
    words or quoted strings, and addresses are checked before they get
    here (intake's validate_email: plain ASCII, no spaces or brackets).

    Everything here is pure: no sockets, no store.
*/
#ifndef SAMEN_INTAKE_MAIL_MESSAGE_H
#define SAMEN_INTAKE_MAIL_MESSAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char *from_name, *from_addr; /*  the name may be "" */
    const char *to_name, *to_addr;     /*  the name may be "" */
    const char *reply_to;              /*  an address, or NULL/"" */
    const char *subject;               /*  one line, UTF-8 */
    const char *message_id;            /*  "<...@...>" */
    int64_t date_ms;                   /*  the Date: header */
    const char *lang;                  /*  "nl" or "en" */
    const char *text, *html;           /*  the two parts, UTF-8, lines ending in \n */
    bool auto_submitted;               /*  sent by samen itself (RFC 3834) */
    const char *unsubscribe_url;       /*  List-Unsubscribe, or NULL */
    /*  An attachment, or attach_data NULL. */
    const char *attach_name, *attach_type;
    const char *attach_data;
    size_t attach_len;
} mail_msg_t;

/*  Build the message. Returns it (caller frees; *len set), or NULL when
    out of memory. */
char *mail_message_build(const mail_msg_t *m, size_t *len);

/*  A new Message-ID for mail id from the sender's address: "<" 16 random
    hex digits "." id "@" domain ">" into buf (at least 160 bytes).
    Returns buf, or NULL when the system gives no random bytes. */
char *mail_message_id(const char *mail_id, const char *from_addr, char *buf, size_t size);

/*  The address part of a From setting: "Name <a@b.nl>" -> "a@b.nl", a
    bare "a@b.nl" as is; and the name part ("Name", or ""). Into the
    buffers. Returns 0, or -1 when text holds no address in <> or is not
    one bare word with an @. */
int mail_address_split(const char *text, char *name, size_t nsize, char *addr, size_t asize);

/*  Quoted-printable encoding of text (lines end in \n; they become CRLF),
    appended to a malloc'd string. Returns it (caller frees), or NULL. */
char *mail_qp_encode(const char *text);

/*  The RFC 2047 form of a header value: as is when it is printable
    ASCII without "=?", else "=?UTF-8?B?...?=" words of at most 75
    characters joined by CRLF SP. Returns it (caller frees), or NULL. */
char *mail_header_encode(const char *text);

/* ==== The calendar entry (RFC 5545) ========================================= */

typedef struct {
    const char *uid;          /*  "S31@samen": the same as scheduling's calendar feed */
    int64_t start_ms, end_ms; /*  UTC instants */
    int64_t stamp_ms;         /*  DTSTAMP */
    const char *summary, *location, *description, *url; /*  may be NULL or "" */
    bool cancelled;           /*  METHOD:CANCEL, STATUS:CANCELLED; else PUBLISH, CONFIRMED */
    int sequence;
} mail_ics_t;

/*  The .ics document for one session. Text is escaped (\\ \; \, \n),
    lines are folded at 75 octets, never inside a UTF-8 sequence, and end
    in CRLF. Returns it (caller frees), or NULL when out of memory. */
char *mail_ics_build(const mail_ics_t *e);

#endif
