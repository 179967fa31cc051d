/*
 * cmd_serve.c - `docket serve` (http_serve_main, called from main.c's
 * command table): parse the options into a struct http_config and run the
 * server (server.c).  `--routes` prints the route table and `--openapi`
 * the OpenAPI document, for tests and docs.
 *
 * The server never trusts a name the client claims: --as and DOCKET_USER
 * are ignored here; every request signs in (SPEC §12).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"
#include "model/enums.h"
#include "http/handlers.h"
#include "http/http.h"

static const char serve_usage[] =
	"usage: docket serve [--listen ADDR:PORT] [--tls-cert FILE --tls-key FILE] [--threads N]\n"
	"             [--max-connections N] [--max-per-ip N] [--timeout SECONDS]\n"
	"             [--header-max BYTES] [--tick SECONDS] [--public-origin URL]\n"
	"             [--trust-proxy] [--no-cache]\n"
	"             [--routes | --openapi]\n\n"
	"The HTTP server: the JSON API over this database, and the scheduler.\n\n"
	"Serves plain HTTP on loopback (default 127.0.0.1:8080) for a TLS proxy in\n"
	"front, or TLS itself with --tls-cert and --tls-key (PEM; the key 0600).\n"
	"Refuses to start when the database or a key file beside it can be read by\n"
	"group or others.  Runs `tick` every --tick seconds (60; 0: never).\n"
	"Limits: --max-connections (256) in total, --max-per-ip (32), --timeout (30\n"
	"s idle per connection), --header-max (32768 bytes of headers per\n"
	"connection); bodies are capped per route (1 MiB of JSON).\n"
	"--public-origin is the https://host the browser sees, for the Origin check\n"
	"behind a proxy (default: the request's Host).  --trust-proxy takes the\n"
	"client's address from the last X-Forwarded-For entry of requests from\n"
	"loopback (a proxy on this host), for the access log and sign-in limits.\n"
	"--no-cache reads every request's view and token from the database; by\n"
	"default they are reused while the database's change marker and the clock\n"
	"say they still hold (docs/architecture.md, \"Serving from cache\").\n"
	"One access line per request goes to standard error.  SIGTERM or SIGINT\n"
	"drains: no new connections, requests in flight finish, exit 0.\n"
	"--routes prints the route table (method, path, roles); --openapi the\n"
	"OpenAPI 3.1 document.  See docs/api.md.\n";

static int print_routes(void)
{
	for (const struct route *r = http_routes; r->method; r++) {
		char roles[128] = "public";
		if (!(r->flags & ROUTE_PUBLIC)) {
			if (r->roles)
				roles_format(r->roles, roles, sizeof(roles));
			else if (r->flags & ROUTE_ANY_USER)   /* the portals' users too */
				str_copy(roles, sizeof(roles), "any,officer,customer");
			else
				str_copy(roles, sizeof(roles), "any");   /* any staff role */
		}
		printf("%s %s %s %d\n", r->method, r->pattern, roles, r->status);
	}
	return 0;
}

static int number(const char *s, const char *opt, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);
	if (!*s || *end || *s == '-' || v > max)
		return err_set(E_USAGE, "%s '%s' must be a number up to %lu", opt, s, max);
	*out = v;
	return 0;
}

/* --public-origin is compared with the browser's Origin header and starts
 * the portals' links: a scheme, a host and maybe a port, nothing after. */
static int origin_check(const char *s)
{
	const char *host = strncmp(s, "https://", 8) == 0 ? s + 8
			   : strncmp(s, "http://", 7) == 0 ? s + 7
							   : NULL;
	if (!host || !*host || strlen(s) > 255 || strpbrk(host, "/?#@ \t\r\n"))
		return err_set(E_USAGE, "--public-origin '%.255s' must be an origin like "
					"https://docket.example (no path, not even a last '/')",
			       s);
	return 0;
}

int http_serve_main(const char *db_path, int argc, char **argv)
{
	static const struct option opts[] = {
		{"listen", required_argument, NULL, 'l'},
		{"tls-cert", required_argument, NULL, 'c'},
		{"tls-key", required_argument, NULL, 'k'},
		{"threads", required_argument, NULL, 't'},
		{"max-connections", required_argument, NULL, 'm'},
		{"max-per-ip", required_argument, NULL, 'p'},
		{"timeout", required_argument, NULL, 'o'},
		{"header-max", required_argument, NULL, 'h'},
		{"tick", required_argument, NULL, 'T'},
		{"public-origin", required_argument, NULL, 'O'},
		{"trust-proxy", no_argument, NULL, 'P'},
		{"no-cache", no_argument, NULL, 'N'},
		{"routes", no_argument, NULL, 'R'},
		{"openapi", no_argument, NULL, 'A'},
		{0},
	};
	struct http_config c;
	unsigned long v;
	int ch, rc = 0;
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(serve_usage, stdout);
			return 0;
		}
	http_config_init(&c);
	c.db_path = db_path;
	optind = 0;
	while (rc == 0 && (ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'l': c.listen = optarg; break;
		case 'c': c.tls_cert = optarg; break;
		case 'k': c.tls_key = optarg; break;
		case 'O':
			rc = origin_check(optarg);
			c.public_origin = optarg;
			break;
		case 'P': c.trust_proxy = 1; break;
		case 'N': c.no_cache = 1; break;
		case 't':
			if ((rc = number(optarg, "--threads", 16, &v)) == 0 && v == 0)
				rc = err_set(E_USAGE, "--threads must be 1 to 16");
			c.threads = (unsigned)v;
			break;
		case 'm':
			/* 0 would let no one in (libmicrohttpd's connection limit) */
			if ((rc = number(optarg, "--max-connections", 100000, &v)) == 0 && v == 0)
				rc = err_set(E_USAGE, "--max-connections must be 1 to 100000");
			c.conn_max = (unsigned)v;
			break;
		case 'p':
			/* 0 would be no limit at all */
			if ((rc = number(optarg, "--max-per-ip", 100000, &v)) == 0 && v == 0)
				rc = err_set(E_USAGE, "--max-per-ip must be 1 to 100000");
			c.conn_per_ip = (unsigned)v;
			break;
		case 'o':
			/* 0 would let an idle connection stay for ever */
			if ((rc = number(optarg, "--timeout", 3600, &v)) == 0 && v == 0)
				rc = err_set(E_USAGE, "--timeout must be 1 to 3600 seconds");
			c.timeout_s = (unsigned)v;
			break;
		case 'h':
			if ((rc = number(optarg, "--header-max", 1 << 20, &v)) == 0 && v < 4096)
				rc = err_set(E_USAGE, "--header-max must be at least 4096");
			c.header_max = v;
			break;
		case 'T':
			rc = number(optarg, "--tick", 86400, &v);
			c.tick_s = (unsigned)v;
			break;
		case 'R':
			return print_routes();
		case 'A': {
			json_t *doc = openapi_document();
			rc = json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
			json_decref(doc);
			fputc('\n', stdout);
			return rc == 0 ? 0 : err_set(E_IO, "cannot write standard output");
		}
		default:
			rc = -E_USAGE;
		}
	}
	if (rc == 0 && optind != argc)
		rc = err_set(E_USAGE, "unexpected argument '%s'", argv[optind]);
	if (rc < 0)
		return rc;
	return http_serve(&c);
}
