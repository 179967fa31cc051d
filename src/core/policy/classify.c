/*
 * classify.c - the classifications lists and reports filter on
 * (classify.h).
 */
#include "core/policy/classify.h"

int classify_national_security(enum kind kind, enum process process)
{
	return kind == KIND_NATIONAL_SECURITY || process == PROC_NSL ||
	       process == PROC_FISA_ORDER;
}

int classify_finished(enum state state)
{
	switch (state) {
	case ST_CLOSED:
	case ST_WITHDRAWN:
	case ST_RELEASED:
	case ST_EXPIRED:
	case ST_CONVERTED:
	case ST_REJECTED:
	case ST_REDIRECTED:
	case ST_DISCLOSED:
		return 1;
	default:
		return 0;
	}
}

void request_classify(struct request *r)
{
	r->national_security = classify_national_security(r->kind, r->process);
	r->finished = classify_finished(r->state);
}
