/*
 * replay: runs a fuzz target's entry point on files, without libFuzzer.
 *
 *   fuzz_NAME [FILE|DIR]...
 *
 * Linked with one tests/fuzz/fuzz_NAME.c (the Makefile builds
 * BUILD/fuzz-replay/fuzz_NAME, part of `make unit`).  Each FILE, and each
 * regular file in each DIR, is passed to LLVMFuzzerTestOneInput.  With no
 * argument it replays tests/fuzz/seeds/NAME/ and tests/fuzz/regress/NAME/
 * (paths from the repository root; missing directories are skipped), so
 * every input a fuzzer once crashed on stays a test.  A finding aborts
 * (or the sanitizer reports it); otherwise it prints one line and exits 0.
 */
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

#ifndef FUZZ_NAME
#error "build with -DFUZZ_NAME=\"name\""
#endif

static size_t replayed;

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "fuzz_%s: %s: %s\n", FUZZ_NAME, path, strerror(errno));
        return 1;
    }
    size_t cap = 4096, len = 0;
    unsigned char *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            unsigned char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    int bad = ferror(f) || !buf;
    fclose(f);
    if (bad) {
        free(buf);
        fprintf(stderr, "fuzz_%s: %s: cannot read\n", FUZZ_NAME, path);
        return 1;
    }
    /* A copy of exactly len bytes, so that ASan sees reads past the end. */
    unsigned char *exact = malloc(len ? len : 1);
    if (!exact) {
        free(buf);
        return 1;
    }
    memcpy(exact, buf, len);
    free(buf);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    replayed++;
    return 0;
}

static int compare(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay_path(const char *path, int must_exist)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        if (!must_exist)
            return 0;
        fprintf(stderr, "fuzz_%s: %s: %s\n", FUZZ_NAME, path, strerror(errno));
        return 1;
    }
    if (!S_ISDIR(st.st_mode))
        return replay_file(path);
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "fuzz_%s: %s: %s\n", FUZZ_NAME, path, strerror(errno));
        return 1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue; /* ., .. and hidden files such as .gitkeep */
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **nn = realloc(names, cap * sizeof *names);
            if (!nn) {
                rc = 1;
                break;
            }
            names = nn;
        }
        size_t len = strlen(path) + strlen(e->d_name) + 2;
        if (!(names[n] = malloc(len))) {
            rc = 1;
            break;
        }
        snprintf(names[n++], len, "%s/%s", path, e->d_name);
    }
    closedir(d);
    if (names)
        qsort(names, n, sizeof *names, compare);
    for (size_t i = 0; i < n; i++) {
        struct stat fs;
        if (rc == 0 && stat(names[i], &fs) == 0 && S_ISREG(fs.st_mode))
            rc = replay_file(names[i]);
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    LLVMFuzzerInitialize(&argc, &argv);
    int rc = 0;
    if (argc < 2) {
        rc |= replay_path("tests/fuzz/seeds/" FUZZ_NAME, 0);
        rc |= replay_path("tests/fuzz/regress/" FUZZ_NAME, 0);
    }
    for (int i = 1; i < argc; i++)
        rc |= replay_path(argv[i], 1);
    printf("fuzz_%s: replayed %zu inputs%s\n", FUZZ_NAME, replayed, rc ? ", with errors" : "");
    return rc;
}
