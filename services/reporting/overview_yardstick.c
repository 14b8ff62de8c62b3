/*  services/reporting/overview_yardstick.c - the yardstick's part of the
    yearly overview and of the passage (overview.h, yardstick_rules.h). */
#include "common/i18n.h"
#include "common/text.h"
#include "overview.h"
#include <stdlib.h>

void overview_put_yardsticks(strbuf_t *sb, const overview_theme_t *const *themes, size_t n,
                             bool html)
{
    if (n == 0)
        return;
    yardstick_row_t *rows = calloc(n, sizeof *rows);
    strbuf_t **labels = calloc(n, sizeof *labels);
    bool ok = rows && labels;
    for (size_t i = 0; ok && i < n; i++) {
        const overview_theme_t *t = themes[i];
        if (!(labels[i] = strbuf_new())) {
            ok = false;
            break;
        }
        /*  As the overview's project column: "Wmo-taxi (T3)". */
        strbuf_printf(labels[i], _("%1$s (%2$s)"), sm_text_blank(t->title) ? t->theme_id : t->title,
                      t->theme_id);
        rows[i] = (yardstick_row_t){strbuf_data(labels[i]), &t->yardstick};
    }
    //  Out of memory for the labels: the section is left out (and logged
    //  nowhere: the next allocation of the document fails it anyway).
    if (ok)
        yardstick_put_overview(sb, rows, n, html);
    for (size_t i = 0; labels && i < n; i++)
        strbuf_destroy(&labels[i]);
    free(labels);
    free(rows);
}

void overview_put_passage_yardstick(strbuf_t *sb, const overview_theme_t *t)
{
    yardstick_put_passage(sb, &t->yardstick);
}
