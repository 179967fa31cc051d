/*
 * witness.h - witnesses in the application layer (SPEC §6; core/ledger/witness.h,
 * docs/log.md): registering one (admin, a unit of work with its
 * "witness.add" entry), removing one (the same, "witness.remove"), listing
 * them (any role), and offering the latest checkpoint to each in service
 * (admin; the scheduler pass does it too, outside any unit of work).
 */
#ifndef DOCKET_APP_WITNESS_H
#define DOCKET_APP_WITNESS_H

#include "app/app.h"
#include "core/ledger/witness.h"

struct witness_stats {
	int offered;  /* witnesses the latest checkpoint was offered to */
	int cosigned; /* that cosigned it */
	int failed;   /* that could not be reached or refused it */
};

int app_witness_add(struct session *s, const char *name, const char *url, const char *vkey);
/* Take a witness out of service (admin; a unit of work with its
 * "witness.remove" entry; core/ledger/witness.h says what stays). */
int app_witness_remove(struct session *s, const char *name);
/* Every witness in name order, to cb (strings valid during the call). */
int app_witness_list(struct session *s, store_witness_cb cb, void *ctx);
/* One witness as `witness list --json` prints it: {name, url, vkey,
 * cosigned, status, problem, status_at?, claimed?, removed_at?}. */
json_t *app_witness_json(const struct witness_row *w);
/* The witness called name, as app_witness_json() gives it; NULL with an
 * error (E_NOTFOUND) when there is none. */
json_t *app_witness_one_json(struct session *s, const char *name);
/* What an offer did: {offered, cosigned, failed}. */
json_t *app_witness_stats_json(const struct witness_stats *s);
/* Offer the latest checkpoint to every witness that has not cosigned it
 * (admin).  Each offer runs outside any transaction; its outcome is then
 * recorded in a unit of work of its own. */
int app_witness_offer(struct session *s, struct witness_stats *out);
/* The same without the role check, for the scheduler pass (app_tick) and
 * tests (post NULL: the network). */
int app_witness_offer_due(struct session *s, witness_post_fn post, void *ctx,
			  struct witness_stats *out);


#endif
