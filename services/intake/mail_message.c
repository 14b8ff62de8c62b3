/*  services/intake/mail_message.c - building one message: headers, MIME
    parts, encodings, the calendar entry. See mail_message.h. */
#include "mail_message.h"
#include "common/date.h"
#include "common/strbuf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

/* ==== Encodings ============================================================ */

static const char s_hex[] = "0123456789ABCDEF";
static const char s_b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/*  Append the base64 of data, in lines of at most width characters (0: one
    line) ending in CRLF when width is set. */
static void s_base64(strbuf_t *sb, const unsigned char *data, size_t len, size_t width)
{
    size_t col = 0;
    for (size_t i = 0; i < len; i += 3) {
        unsigned v = (unsigned)data[i] << 16;
        if (i + 1 < len)
            v |= (unsigned)data[i + 1] << 8;
        if (i + 2 < len)
            v |= data[i + 2];
        char q[4] = {s_b64[(v >> 18) & 63], s_b64[(v >> 12) & 63],
                     i + 1 < len ? s_b64[(v >> 6) & 63] : '=', i + 2 < len ? s_b64[v & 63] : '='};
        strbuf_append(sb, q, 4);
        col += 4;
        if (width && col >= width) {
            strbuf_puts(sb, "\r\n");
            col = 0;
        }
    }
    if (width && col)
        strbuf_puts(sb, "\r\n");
}

/*  Append text quoted-printable (RFC 2045 6.7): lines of at most 76
    characters with soft breaks, '=' and every byte outside printable ASCII
    encoded, a space or tab before a line end encoded, \n as CRLF. */
static void s_qp(strbuf_t *sb, const char *text)
{
    size_t col = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        unsigned char c = *p;
        if (c == '\r' && p[1] == '\n')
            continue;
        if (c == '\n') {
            strbuf_puts(sb, "\r\n");
            col = 0;
            continue;
        }
        bool at_end = p[1] == '\0' || p[1] == '\n' || (p[1] == '\r' && p[2] == '\n');
        bool plain = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !at_end);
        //  A dot alone at the start of a line is encoded too: some relays
        //  still treat it specially.
        if (c == '.' && col == 0)
            plain = false;
        size_t need = plain ? 1 : 3;
        if (col + need > 75) {
            strbuf_puts(sb, "=\r\n");
            col = 0;
        }
        if (plain)
            strbuf_putc(sb, (char)c);
        else {
            char e[3] = {'=', s_hex[c >> 4], s_hex[c & 15]};
            strbuf_append(sb, e, 3);
        }
        col += need;
    }
}

char *mail_qp_encode(const char *text)
{
    strbuf_t *sb = strbuf_new();
    if (!sb)
        return NULL;
    s_qp(sb, text);
    char *out = strbuf_detach(sb);
    strbuf_destroy(&sb);
    return out;
}

/*  True when text can stand in a header as it is. */
static bool s_header_plain(const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if (*p < 0x20 || *p > 0x7E)
            return false;
    return strstr(text, "=?") == NULL;
}

/*  Append the encoded words of text: base64 in pieces of at most 45
    bytes (60 characters of base64, 72 with the wrapper), never splitting a
    UTF-8 sequence, joined by CRLF SP. */
static void s_encoded_words(strbuf_t *sb, const char *text)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t len = strlen(text), i = 0;
    bool first = true;
    while (i < len) {
        size_t n = len - i < 45 ? len - i : 45;
        //  Back off to the start of a UTF-8 sequence.
        while (i + n < len && n > 0 && (p[i + n] & 0xC0) == 0x80)
            n--;
        if (n == 0)
            n = len - i < 45 ? len - i : 45;
        if (!first)
            strbuf_puts(sb, "\r\n ");
        strbuf_puts(sb, "=?UTF-8?B?");
        s_base64(sb, p + i, n, 0);
        strbuf_puts(sb, "?=");
        first = false;
        i += n;
    }
}

char *mail_header_encode(const char *text)
{
    strbuf_t *sb = strbuf_new();
    if (!sb)
        return NULL;
    if (s_header_plain(text))
        strbuf_puts(sb, text);
    else
        s_encoded_words(sb, text);
    char *out = strbuf_detach(sb);
    strbuf_destroy(&sb);
    return out;
}

/*  Append a mailbox: name <addr>, the name as a quoted string when it is
    plain ASCII, else as encoded words; just the address when no name. */
static void s_mailbox(strbuf_t *sb, const char *name, const char *addr)
{
    if (name && name[0]) {
        if (s_header_plain(name)) {
            strbuf_putc(sb, '"');
            for (const char *c = name; *c; c++) {
                if (*c == '"' || *c == '\\')
                    strbuf_putc(sb, '\\');
                strbuf_putc(sb, *c);
            }
            strbuf_putc(sb, '"');
        } else
            s_encoded_words(sb, name);
        strbuf_puts(sb, " <");
        strbuf_puts(sb, addr);
        strbuf_putc(sb, '>');
    } else
        strbuf_puts(sb, addr);
}

/* ==== Addresses and IDs ===================================================== */

int mail_address_split(const char *text, char *name, size_t nsize, char *addr, size_t asize)
{
    const char *lt = strchr(text, '<'), *gt = lt ? strchr(lt, '>') : NULL;
    if (lt) {
        if (!gt || gt[1] != '\0' || gt == lt + 1)
            return -1;
        size_t an = (size_t)(gt - lt - 1);
        if (an >= asize)
            return -1;
        memcpy(addr, lt + 1, an);
        addr[an] = '\0';
        size_t a = 0, n = (size_t)(lt - text);
        while (a < n && text[a] == ' ')
            a++;
        while (n > a && text[n - 1] == ' ')
            n--;
        if (n - a >= 2 && text[a] == '"' && text[n - 1] == '"') {
            a++;
            n--;
        }
        if (n - a >= nsize)
            return -1;
        memcpy(name, text + a, n - a);
        name[n - a] = '\0';
    } else {
        if (strlen(text) >= asize)
            return -1;
        snprintf(addr, asize, "%s", text);
        if (nsize)
            name[0] = '\0';
    }
    const char *at = strchr(addr, '@');
    if (!at || at == addr || !at[1] || strchr(at + 1, '@'))
        return -1;
    for (const char *c = addr; *c; c++)
        if ((unsigned char)*c <= 0x20 || (unsigned char)*c >= 0x7F || *c == '<' || *c == '>' ||
            *c == '"' || *c == ',')
            return -1;
    return 0;
}

char *mail_message_id(const char *mail_id, const char *from_addr, char *buf, size_t size)
{
    unsigned char r[8];
    if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
        return NULL;
    const char *at = strchr(from_addr, '@');
    const char *domain = at ? at + 1 : "samen.invalid";
    char hex[17];
    for (int i = 0; i < 8; i++) {
        hex[2 * i] = s_hex[r[i] >> 4] | 0x20; /*  lower case */
        hex[2 * i + 1] = s_hex[r[i] & 15] | 0x20;
    }
    hex[16] = '\0';
    //  Digits stay digits under | 0x20; letters become lower case.
    snprintf(buf, size, "<%s.%s@%s>", hex, mail_id, domain);
    return buf;
}

/* ==== The message ============================================================= */

/*  Append the Date: value of ms in Amsterdam time (RFC 5322 3.3). */
static void s_date(strbuf_t *sb, int64_t ms)
{
    static const char *const days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int off = sm_amsterdam_offset(ms);
    int64_t local_s = ms / 1000 + off;
    sm_date_t d = sm_date_from_days(local_s >= 0 ? local_s / 86400 : (local_s - 86399) / 86400);
    int64_t secs = local_s - sm_date_to_days(d) * 86400;
    int wd = sm_date_weekday(d); /*  1 = Monday */
    strbuf_printf(sb, "%s, %02d %s %04d %02d:%02d:%02d +%02d%02d", days[(wd + 6) % 7], d.d,
                  months[d.m - 1], d.y, (int)(secs / 3600), (int)(secs / 60 % 60),
                  (int)(secs % 60), off / 3600, off / 60 % 60);
}

/*  Append one header line "Name: value" with value RFC 2047-encoded. */
static void s_header(strbuf_t *sb, const char *name, const char *value)
{
    strbuf_puts(sb, name);
    strbuf_puts(sb, ": ");
    if (s_header_plain(value))
        strbuf_puts(sb, value);
    else
        s_encoded_words(sb, value);
    strbuf_puts(sb, "\r\n");
}

/*  Append a text part with its headers. */
static void s_text_part(strbuf_t *sb, const char *boundary, const char *subtype, const char *text)
{
    strbuf_printf(sb, "--%s\r\nContent-Type: text/%s; charset=UTF-8\r\n"
                      "Content-Transfer-Encoding: quoted-printable\r\n\r\n",
                  boundary, subtype);
    s_qp(sb, text);
    strbuf_puts(sb, "\r\n");
}

char *mail_message_build(const mail_msg_t *m, size_t *len)
{
    strbuf_t *sb = strbuf_new();
    if (!sb)
        return NULL;
    //  The boundaries come from the Message-ID (stable, so a resend is the
    //  same bytes) and hold "=_", which encoded text never does.
    unsigned h = 2166136261u;
    for (const char *c = m->message_id; *c; c++)
        h = (h ^ (unsigned char)*c) * 16777619u;
    char alt[48], mixed[48];
    snprintf(alt, sizeof alt, "=_samen_alt_%08x", h);
    snprintf(mixed, sizeof mixed, "=_samen_mix_%08x", h);
    bool attach = m->attach_data != NULL;

    strbuf_puts(sb, "From: ");
    s_mailbox(sb, m->from_name, m->from_addr);
    strbuf_puts(sb, "\r\nTo: ");
    s_mailbox(sb, m->to_name, m->to_addr);
    strbuf_puts(sb, "\r\n");
    if (m->reply_to && m->reply_to[0])
        strbuf_printf(sb, "Reply-To: %s\r\n", m->reply_to);
    s_header(sb, "Subject", m->subject);
    strbuf_puts(sb, "Date: ");
    s_date(sb, m->date_ms);
    strbuf_printf(sb, "\r\nMessage-ID: %s\r\nMIME-Version: 1.0\r\n", m->message_id);
    strbuf_printf(sb, "Content-Language: %s\r\n", m->lang && m->lang[0] ? m->lang : "nl");
    if (m->auto_submitted)
        strbuf_puts(sb, "Auto-Submitted: auto-generated\r\n");
    if (m->unsubscribe_url && m->unsubscribe_url[0])
        strbuf_printf(sb, "List-Unsubscribe: <%s>\r\n"
                          "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n",
                      m->unsubscribe_url);
    if (attach)
        strbuf_printf(sb, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n"
                          "--%s\r\n",
                      mixed, mixed);
    strbuf_printf(sb, "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n", alt);
    s_text_part(sb, alt, "plain", m->text);
    s_text_part(sb, alt, "html", m->html);
    strbuf_printf(sb, "--%s--\r\n", alt);
    if (attach) {
        strbuf_printf(sb, "--%s\r\nContent-Type: %s; name=\"%s\"\r\n"
                          "Content-Disposition: attachment; filename=\"%s\"\r\n"
                          "Content-Transfer-Encoding: base64\r\n\r\n",
                      mixed, m->attach_type, m->attach_name, m->attach_name);
        s_base64(sb, (const unsigned char *)m->attach_data, m->attach_len, 76);
        strbuf_printf(sb, "--%s--\r\n", mixed);
    }
    char *out = NULL;
    if (!strbuf_failed(sb)) {
        *len = strbuf_len(sb);
        out = strbuf_detach(sb);
    } else if (strbuf_len(sb))
        explicit_bzero((char *)strbuf_data(sb), strbuf_len(sb));
    strbuf_destroy(&sb);
    return out;
}

/* ==== The calendar entry ======================================================= */

/*  Append "NAME:value" escaped (RFC 5545 3.3.11), folded at 75 octets
    outside UTF-8 sequences and escapes, ending in CRLF. */
static void s_ics_line(strbuf_t *sb, const char *name, const char *value)
{
    strbuf_puts(sb, name);
    strbuf_putc(sb, ':');
    size_t col = strlen(name) + 1;
    const unsigned char *p = (const unsigned char *)value;
    for (size_t i = 0; p[i];) {
        char piece[8];
        size_t n = 0, used = 1;
        if (p[i] == '\\' || p[i] == ';' || p[i] == ',') {
            piece[n++] = '\\';
            piece[n++] = (char)p[i];
        } else if (p[i] == '\n') {
            piece[n++] = '\\';
            piece[n++] = 'n';
        } else if (p[i] < 0x20 || p[i] == 0x7F)
            piece[n++] = ' ';
        else {
            piece[n++] = (char)p[i];
            if (p[i] >= 0xC0)
                while (p[i + used] && (p[i + used] & 0xC0) == 0x80 && used < 4)
                    piece[n++] = (char)p[i + used++];
        }
        if (col + n > 75) {
            strbuf_puts(sb, "\r\n ");
            col = 1;
        }
        strbuf_append(sb, piece, n);
        col += n;
        i += used;
    }
    strbuf_puts(sb, "\r\n");
}

/*  "YYYYMMDDTHHMMSSZ" of a UTC instant. */
static char *s_ics_time(int64_t ms, char *buf)
{
    char iso[24];
    sm_datetime_format_utc(ms, iso); /*  YYYY-MM-DDTHH:MM:SSZ */
    snprintf(buf, 20, "%.4s%.2s%.2sT%.2s%.2s%.2sZ", iso, iso + 5, iso + 8, iso + 11, iso + 14,
             iso + 17);
    return buf;
}

char *mail_ics_build(const mail_ics_t *e)
{
    strbuf_t *sb = strbuf_new();
    if (!sb)
        return NULL;
    char t[24];
    strbuf_printf(sb, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//samen//intake//NL\r\n"
                      "CALSCALE:GREGORIAN\r\nMETHOD:%s\r\nBEGIN:VEVENT\r\n",
                  e->cancelled ? "CANCEL" : "PUBLISH");
    s_ics_line(sb, "UID", e->uid);
    strbuf_printf(sb, "SEQUENCE:%d\r\n", e->sequence);
    strbuf_printf(sb, "DTSTAMP:%s\r\n", s_ics_time(e->stamp_ms, t));
    strbuf_printf(sb, "DTSTART:%s\r\n", s_ics_time(e->start_ms, t));
    strbuf_printf(sb, "DTEND:%s\r\n", s_ics_time(e->end_ms, t));
    if (e->summary && e->summary[0])
        s_ics_line(sb, "SUMMARY", e->summary);
    if (e->location && e->location[0])
        s_ics_line(sb, "LOCATION", e->location);
    if (e->description && e->description[0])
        s_ics_line(sb, "DESCRIPTION", e->description);
    if (e->url && e->url[0])
        s_ics_line(sb, "URL", e->url);
    strbuf_printf(sb, "STATUS:%s\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
                  e->cancelled ? "CANCELLED" : "CONFIRMED");
    char *out = strbuf_failed(sb) ? NULL : strbuf_detach(sb);
    strbuf_destroy(&sb);
    return out;
}
