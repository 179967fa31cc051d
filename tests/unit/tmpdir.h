/*
 * tmpdir.h - a scratch directory per unit test, for the databases and key
 * files the tests create.  Header-only: every test program is one file.
 */
#ifndef DOCKET_TEST_TMPDIR_H
#define DOCKET_TEST_TMPDIR_H

#include <stdio.h>
#include <stdlib.h>

/* Make /tmp/docket-<tag>-XXXXXX into dir (64 bytes); 0 or -1. */
static inline int tmpdir_make(char dir[64], const char *tag)
{
	snprintf(dir, 64, "/tmp/docket-%s-XXXXXX", tag);
	return mkdtemp(dir) ? 0 : -1;
}

/* Remove dir and everything in it; 0 or -1. */
static inline int tmpdir_remove(const char *dir)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

#endif
