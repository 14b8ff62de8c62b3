/*  services/scheduling/words.h - matching the words people type for a fixed set of values.

    Domains, phases, support tasks and the like are fixed lists with one
    canonical word each ("social_support"), but people type "Social support",
    "social-support", "WMO" or the Dutch word. words_find folds both sides
    (ASCII case, spaces, hyphens and underscores ignored, é/è/ê/ë read as e)
    and looks the text up among the canonical words and a list of aliases.

        static const char *const names[] = {"agenda", "development", ...};
        static const word_alias_t aliases[] = {{"agendering", 0}, {NULL, 0}};
        int i = words_find (text, names, 4, aliases);   //  -1 when unknown
*/
#ifndef SAMEN_SCHEDULING_WORDS_H
#define SAMEN_SCHEDULING_WORDS_H

#include <stddef.h>

typedef struct {
    const char *word; //  any spelling; folded before comparing
    int index;        //  the value it stands for
} word_alias_t;

/*  Fold text into out (size bytes): ASCII lower case, no spaces, tabs,
    hyphens or underscores, and é/è/ê/ë (either case) as e. Returns 0, or -1
    when the folded text does not fit (out is then undefined). */
int words_fold(const char *text, char *out, size_t size);

/*  The index i of names[0..n) whose folded form equals text's, else the
    index of the first alias (list ended by word NULL; may be NULL) that
    matches, else -1 (also for NULL or empty text). Can't fail otherwise. */
int words_find(const char *text, const char *const *names, int n, const word_alias_t *aliases);

#endif
