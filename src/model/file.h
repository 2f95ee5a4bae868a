/*
 * The model container: one file of named, 8-byte aligned, checksummed
 * sections, loaded with mmap (read() when mmap is not possible).
 *
 * Layout
 *   header (128 bytes)    magic, format version, completion marker, a
 *                         sanity block of known values (byte order, float
 *                         format, word size), the section table's place and
 *                         checksum, the file size, and its own checksum
 *   sections ...          each at an 8-byte aligned offset
 *   section table         nsections entries of 48 bytes
 *
 * A writer puts the header down first with the "incomplete" marker and
 * rewrites it last, after the table; it writes to PATH.tmp and renames, so a
 * reader never sees a half-written model under the final name, and a
 * half-written file that is copied by hand is still refused.
 * Checksums are XXH64; opening checks the header and the table, `verify`
 * checks every section.
 */
#ifndef UNSPIN_MODEL_FILE_H
#define UNSPIN_MODEL_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../util/common.h"

#define US_MODEL_MAGIC "UNSPINmd"
#define US_MODEL_FORMAT 2
#define US_MODEL_NAME_MAX 24

typedef struct us_model_writer us_model_writer;

int us_model_writer_open(const char *path, us_model_writer **out, unspin_error *err);
/* Start a section; data is then added with us_model_writer_write. */
int us_model_writer_begin(us_model_writer *w, const char *name, unspin_error *err);
int us_model_writer_write(us_model_writer *w, const void *data, size_t size,
                          unspin_error *err);
/* begin + write + end in one call. */
int us_model_writer_section(us_model_writer *w, const char *name, const void *data,
                            size_t size, unspin_error *err);
int us_model_writer_end(us_model_writer *w, unspin_error *err);
/* Write the table and the final header, then rename into place. */
int us_model_writer_close(us_model_writer *w, unspin_error *err);
/* Give up: remove the temporary file. */
void us_model_writer_abort(us_model_writer *w);

typedef struct us_model_section {
    char name[US_MODEL_NAME_MAX + 1];
    const uint8_t *data;
    uint64_t size;
    uint64_t checksum;
} us_model_section;

typedef struct us_model_file {
    char *path;
    const uint8_t *base;
    size_t size;
    int mapped;        /* 1: munmap base; 0: free it */
    uint32_t format;
    size_t nsections;
    us_model_section *sections;
} us_model_file;

/* Open and check the header and section table.  Errors name the file. */
int us_model_file_open(const char *path, us_model_file *mf, unspin_error *err);
void us_model_file_close(us_model_file *mf);
/* The section called name, or NULL (size 0) when absent. */
const us_model_section *us_model_file_find(const us_model_file *mf, const char *name);
/* Check every section's checksum. */
int us_model_file_verify(const us_model_file *mf, unspin_error *err);

#endif
