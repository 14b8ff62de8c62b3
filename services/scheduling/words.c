/*  services/scheduling/words.c - matching typed words. See words.h. */
#include "words.h"
#include <string.h>

int words_fold(const char *text, char *out, size_t size)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        unsigned char c = *p;
        if (c == ' ' || c == '-' || c == '_' || c == '\t')
            continue;
        //  U+00C8..U+00CB (ÈÉÊË) and U+00E8..U+00EB (èéêë): "enquête" = "enquete"
        if (c == 0xC3 && ((p[1] >= 0x88 && p[1] <= 0x8B) || (p[1] >= 0xA8 && p[1] <= 0xAB))) {
            c = 'e';
            p++;
        }
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if (n + 1 >= size)
            return -1;
        out[n++] = (char)c;
    }
    if (size == 0)
        return -1;
    out[n] = '\0';
    return 0;
}

/*  True when folded equals the folded form of word. */
static int s_same(const char *folded, const char *word)
{
    char buf[96];
    return words_fold(word, buf, sizeof buf) == 0 && strcmp(folded, buf) == 0;
}

int words_find(const char *text, const char *const *names, int n, const word_alias_t *aliases)
{
    char folded[96];
    if (!text || words_fold(text, folded, sizeof folded) != 0 || !*folded)
        return -1;
    for (int i = 0; i < n; i++)
        if (names[i] && s_same(folded, names[i]))
            return i;
    for (size_t a = 0; aliases && aliases[a].word; a++)
        if (s_same(folded, aliases[a].word))
            return aliases[a].index;
    return -1;
}
