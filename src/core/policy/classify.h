/*
 * classify.h - what lists and reports filter on, decided once, by the
 * domain: whether a request is national-security process (reported only in
 * bands) and whether its state is finished (no deadline is open).  The
 * results are stored as columns of the request (store.h), so SQL filters on
 * them and never repeats the rules.
 */
#ifndef DOCKET_CLASSIFY_H
#define DOCKET_CLASSIFY_H

#include "model/model.h"

/* National-security process - kind national_security, or process nsl or
 * fisa_order under any kind - may be published only in bands (50 U.S.C.
 * 1874; US-NSL, US-FISA). */
int classify_national_security(enum kind kind, enum process process);

/* A finished request: closed, withdrawn, released, expired, converted,
 * rejected, redirected or disclosed.  No deadline of it is open. */
int classify_finished(enum state state);

/* Set r->national_security and r->finished from r's kind, process and
 * state; called before r is stored. */
void request_classify(struct request *r);

#endif
