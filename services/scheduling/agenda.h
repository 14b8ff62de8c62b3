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

    Both only read.
*/
#ifndef SAMEN_SCHEDULING_AGENDA_H
#define SAMEN_SCHEDULING_AGENDA_H

#include "common/service.h"

int op_agenda_show(sm_ctx_t *ctx, const msgpack_object *args);
int op_agenda_grid(sm_ctx_t *ctx, const msgpack_object *args);

#endif
