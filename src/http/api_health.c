/*
 * api_health.c - GET /healthz (the process lives) and GET /readyz (the
 * database answers, its schema is current and the signing key is loaded),
 * for load balancers and service managers.
 */
#include "base/err.h"
#include "http/handlers.h"
#include "http/server_int.h"
#include "store/store.h"

int api_healthz(struct http_req *req, struct http_res *res)
{
	(void)req;
	static const char ok[] = "{\"status\":\"ok\"}";
	return http_reply_static(res, 200, "application/json", ok, sizeof(ok) - 1);
}

int api_readyz(struct http_req *req, struct http_res *res)
{
	uint64_t size;
	int rc;
	if (!req->srv->signer)
		return err_set(E_CONFLICT, "the signing key is not loaded");
	if ((rc = store_log_size(req->st, &size)) < 0)
		return rc == -E_CONFLICT ? rc : err_set(E_CONFLICT, "the database does not answer");
	return http_reply_json(req, res, 200,
			       json_pack("{s:s, s:I}", "status", "ready", "log_size",
					 (json_int_t)size));
}
