/* The command-line tool: one function per subcommand. Only the public API. */
#ifndef UNSPIN_CLI_H
#define UNSPIN_CLI_H

#include <stdio.h>

#include "../unspin.h"

/* Largest input file the commands read, in bytes. */
#define CLI_MAX_INPUT ((size_t)256 << 20)

/* Exit codes: 0 fine (nothing spun), 1 spun text found, 2 error. */
enum { CLI_OK = 0, CLI_FOUND = 1, CLI_ERROR = 2 };

int cmd_tokens(int argc, char **argv);
int cmd_morph(int argc, char **argv);
int cmd_model(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_align(int argc, char **argv);
int cmd_train(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_serve(int argc, char **argv);

/* The model path: the given one, else $UNSPIN_MODEL, else
 * models/en_US.unspin in the tree the binary was built in, else the
 * installed share directory.  buf holds the result when it is built. */
const char *cli_find_model(const char *given, char *buf, size_t cap);

/* Prints "unspin: MESSAGE" on stderr; returns CLI_ERROR. */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Reads a whole file ("-" is stdin) into a malloc'd buffer. Empty files and
 * files over CLI_MAX_INPUT are errors.  Prints the error itself. */
int cli_read_input(const char *path, char **data, size_t *len);

/* Writes s[0..n) with tabs, newlines, backslashes and control bytes escaped. */
void cli_put_escaped(FILE *f, const char *s, size_t n);

#endif
