/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bad input is told once, in one voice: "stress: " and a sentence naming
 * the bad value and what is allowed. The stream is stderr; the fuzz targets
 * point it elsewhere.
 */
#ifndef LOSTFLUSH_COMPLAIN_H
#define LOSTFLUSH_COMPLAIN_H

#include <stdio.h>

extern FILE *complain_stream;

__attribute__((format(printf, 1, 2))) void complain(const char *fmt, ...);

#endif
