/*  services/scheduling/agenda.h - the annual agenda and the planning grid.

    Ops:
      agenda.show {year}
          the themes on that year's agenda (their agenda years include it),
          each with its sessions that fall (partly) in that year, and the
          portfolio holders' adoptions of that agenda (adoption.h; an empty
          list: not adopted yet, "onder voorbehoud van besluitvorming").
      agenda.grid {from: "2019-10", to: "2020-06", format: text|csv|md|html}
          the programme's own overview (grid.h renders it): a row per
          theme, a column per month, the method codes of the sessions of
          each month in the cells, "ovb" for tentative ones and "?" for
          those known only by a quarter or range. The rows are the themes
          on the agenda in a year the grid touches (dropped themes left
          out), plus any theme with a session in the grid's months.

      agenda.overview {from, to, format: md|html|csv}
          the agenda for the portfolio holders, below.

    All only read.

    The agenda for the portfolio holders:

    Before the portfolio holders' meeting (portefeuillehoudersoverleg,
    PHO) the region sends an overview of the coming sessions, "onder
    voorbehoud van besluitvorming", in its own layout (DOMAIN.md §10):

        # Overzicht bijeenkomsten oktober 2019 - juni 2020

        *Onder voorbehoud van besluitvorming.*

        | Onderwerp | Projectleider | Datum/periode | Werkvorm | Ondersteuning coördinator |
        |---|---|---|---|---|
        | Wmo-taxi (T1) | F. Fictief | 30 oktober 2019<br>Kwartaal 2 van 2020 (ovb) | focusgroep (FG)<br>spiegelbijeenkomst (SB) | werving, gespreksleiding, verslaglegging |
        | Ondersteuning pleegouders (T4) | ... | 3 bijeenkomsten in 2019 en 2020 | café (C) | ... |

    A row per theme (ID order) with a session that is not cancelled and
    touches the months from..to, and per active theme whose agenda years
    meet them but that has no session yet ("nog te plannen"). In a row a
    line per session in time order: an exact one by its day ("30 oktober
    2019"), one known by a period as the region writes periods
    (common/l10n.h: "Okt-dec 2019", "Kwartaal 2 van 2020", "Najaar 2019",
    "Mei/juni 2020"), a tentative one followed by "(ovb)"; three or more
    meetings of one series become one line ("3 bijeenkomsten in 2019 en
    2020"). The support column joins the support tasks of the row's
    sessions in the programme's order (werving, gespreksleiding,
    verslaglegging, terugkoppeling deelnemers, programma opstellen,
    contacten leggen, overdracht aan een ervaringsdeskundige).

    In the reader's language (common/i18n.h) as Markdown, HTML (common/
    html.h: printable) or CSV (the table; common/csv.h).

*/
#ifndef SAMEN_SCHEDULING_AGENDA_H
#define SAMEN_SCHEDULING_AGENDA_H

#include "common/service.h"

int op_agenda_show(sm_ctx_t *ctx, const msgpack_object *args);
int op_agenda_grid(sm_ctx_t *ctx, const msgpack_object *args);
int op_agenda_overview(sm_ctx_t *ctx, const msgpack_object *args);

#endif
