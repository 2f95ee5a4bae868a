/* unspin tokens / unspin morph: debugging views of the text layer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cmd_tokens(int argc, char **argv)
{
    unsigned flags = 0;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--replace-invalid"))
            flags |= UNSPIN_TEXT_REPLACE_INVALID;
        else if (!strcmp(argv[i], "--help")) {
            puts("usage: unspin tokens [--replace-invalid] FILE\n"
                 "Prints one line per token: sentence, byte start, byte end, UTF-16\n"
                 "start, UTF-16 end, kind, case, flags, text, normalized form.");
            return CLI_OK;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0')
            return cli_error("tokens: unknown option '%s'", argv[i]);
        else if (path)
            return cli_error("tokens: one FILE only");
        else
            path = argv[i];
    }
    if (!path)
        return cli_error("tokens: missing FILE (usage: unspin tokens FILE)");
    char *data;
    size_t len;
    if (cli_read_input(path, &data, &len) != CLI_OK)
        return CLI_ERROR;
    unspin_text *text;
    unspin_error err;
    if (unspin_text_new(data, len, flags, &text, &err) != UNSPIN_OK) {
        free(data);
        return cli_error("%s: %s", path, err.message);
    }
    const unspin_token *tok = unspin_text_tokens(text);
    size_t n = unspin_text_token_count(text);
    printf("# sentence\tstart\tend\tstart16\tend16\tkind\tcase\tflags\ttext\tnorm\n");
    for (size_t i = 0; i < n; i++) {
        const unspin_token *k = &tok[i];
        printf("%zu\t%zu\t%zu\t%zu\t%zu\t%s\t%s\t%s%s%s%s%s%s\t", k->sentence, k->start,
               k->end, k->start16, k->end16, unspin_token_kind_name(k->kind),
               unspin_case_name(k->shape),
               k->flags & UNSPIN_TOKF_HYPHENATED ? "h" : "",
               k->flags & UNSPIN_TOKF_ABBREV ? "a" : "",
               k->flags & UNSPIN_TOKF_APOSTROPHE ? "q" : "",
               k->flags & UNSPIN_TOKF_REPLACED ? "r" : "",
               k->flags & UNSPIN_TOKF_MIXED_SCRIPT ? "m" : "",
               k->flags & UNSPIN_TOKF_INVISIBLE ? "i" : "");
        cli_put_escaped(stdout, data + k->start, k->end - k->start);
        putchar('\t');
        cli_put_escaped(stdout, k->norm, k->norm_len);
        putchar('\n');
    }
    printf("# %zu tokens, %zu sentences\n", n, unspin_text_sentence_count(text));
    unspin_text_free(text);
    free(data);
    return CLI_OK;
}

static void print_list(const unspin_wordlist *l)
{
    for (size_t i = 0; i < l->count; i++)
        printf("%s%s", i ? " " : "", l->words[i]);
    putchar('\n');
}

int cmd_morph(int argc, char **argv)
{
    if (argc < 3 || (strcmp(argv[1], "lemmas") && strcmp(argv[1], "inflect")) ||
        (!strcmp(argv[1], "inflect") && argc != 4))
        return cli_error("usage: unspin morph lemmas WORD... | unspin morph inflect LEMMA LIKE");
    unspin_morph *m;
    unspin_error err;
    if (unspin_morph_new(NULL, &m, &err) != UNSPIN_OK)
        return cli_error("%s", err.message);
    int rc = CLI_OK;
    unspin_wordlist l;
    if (!strcmp(argv[1], "lemmas")) {
        for (int i = 2; i < argc && rc == CLI_OK; i++) {
            if (unspin_morph_lemmas(m, argv[i], &l, &err) != UNSPIN_OK) {
                rc = cli_error("%s: %s", argv[i], err.message);
                break;
            }
            printf("%s\t", argv[i]);
            print_list(&l);
            unspin_wordlist_free(&l);
        }
    } else {
        int r = unspin_morph_inflect(m, argv[2], argv[3], &l, &err);
        if (r == UNSPIN_OK) {
            print_list(&l);
            unspin_wordlist_free(&l);
        } else
            rc = cli_error("%s like %s: %s", argv[2], argv[3], err.message);
    }
    unspin_morph_free(m);
    return rc;
}
