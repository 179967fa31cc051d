/*
 * notice_text.c - what a notice says (SPEC §5): who asked, when, under
 * which process, for which of the customer's accounts and which data, what
 * the provider did, how to respond, and the log entry that records the
 * request's receipt.
 *
 * Plain words for people who are not lawyers; lines wrapped at 72
 * characters; only the customer's own identifiers (a request naming
 * several customers' accounts never tells one customer about another's).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/util.h"
#include "core/notice/notice.h"

#define WRAP 72
#define LABEL_WIDTH 17

static const char *const process_words[process__COUNT] = {
	[PROC_SUBPOENA] = "a subpoena",
	[PROC_COURT_ORDER] = "a court order",
	[PROC_SEARCH_WARRANT] = "a search warrant",
	[PROC_PEN_REGISTER] = "a pen register or trap and trace order",
	[PROC_WIRETAP] = "a wiretap order",
	[PROC_EMERGENCY] = "an emergency request (without a court order)",
	[PROC_PRESERVATION] = "a request to preserve records",
	[PROC_NSL] = "a National Security Letter",
	[PROC_FISA_ORDER] = "an order under the Foreign Intelligence Surveillance Act",
	[PROC_MLAT] = "a request under a mutual legal assistance treaty",
	[PROC_CLOUD_ACT_ORDER] = "an order under a CLOUD Act agreement",
	[PROC_EU_PRODUCTION_ORDER] = "a European Production Order",
	[PROC_EU_PRESERVATION_ORDER] = "a European Preservation Order",
	[PROC_FOREIGN_ORDER] = "an order under the law of the requesting country",
	[PROC_CIVIL_SUBPOENA] = "a subpoena in a civil case",
	[PROC_OTHER] = "a legal demand",
};

static const char *const category_words[category__COUNT] = {
	[CAT_SUBSCRIBER] = "subscriber information (such as name, address and account "
			   "details)",
	[CAT_NONCONTENT] = "records about your use of the service (such as sign-in and "
			   "connection logs), but not content",
	[CAT_CONTENT] = "content (such as messages and files)",
};

/* --- layout ------------------------------------------------------------------ */

/* Append text word-wrapped at WRAP, the first line after `first` (already
 * written, of width col), continuation lines indented by `indent`. */
static void wrap(struct buf *b, size_t col, size_t indent, const char *text)
{
	const char *p = text;
	int first_word = 1;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		size_t len = strcspn(p, " ");
		if (!first_word && col + 1 + len > WRAP) {
			buf_addf(b, "\n%*s", (int)indent, "");
			col = indent;
		} else if (!first_word) {
			buf_addc(b, ' ');
			col++;
		}
		buf_add(b, p, len);
		col += len;
		first_word = 0;
		p += len;
	}
	buf_addc(b, '\n');
}

static void para(struct buf *b, const char *text)
{
	wrap(b, 0, 0, text);
	buf_addc(b, '\n');
}

static void field(struct buf *b, const char *label, const char *value)
{
	buf_addf(b, "%-*s", LABEL_WIDTH, label);
	wrap(b, LABEL_WIDTH, LABEL_WIDTH, value);
}

static void categories_words(unsigned bits, struct buf *out)
{
	int n = 0;
	for (int c = 0; c < category__COUNT; c++)
		if (bits & CAT_BIT(c))
			buf_addf(out, "%s%s", n++ ? "; " : "", category_words[c]);
	if (!n)
		buf_adds(out, "no data category");
}

static void date_words(int64_t t, char out[TS_BUFSZ])
{
	date_format(t, out);
}

/* --- what the provider did ---------------------------------------------------- */

static void outcome_words(const struct notice_facts *f, struct buf *b)
{
	const struct request *r = f->req;
	struct buf scope;
	buf_init(&scope, BUF_UNLIMITED);
	categories_words(r->scope ? r->scope : r->categories, &scope);
	switch (r->state) {
	case ST_VERIFYING:
		buf_adds(b, "We are checking that the request really comes from the agency. "
			    "We have not disclosed any data.");
		break;
	case ST_IN_REVIEW:
		buf_adds(b, "Our legal team is reviewing the request. We have not disclosed "
			    "any data.");
		break;
	case ST_CHALLENGED:
		buf_adds(b, "We are challenging the request in court. We have not disclosed "
			    "any data.");
		break;
	case ST_APPROVED:
	case ST_READY:
		buf_addf(b, "Our legal team found the request legally valid for: %s. We have "
			    "not disclosed any data yet.",
			 scope.ptr);
		break;
	case ST_DISCLOSED:
		buf_addf(b, "We found the request legally valid and disclosed only what it "
			    "required: %s.",
			 scope.ptr);
		break;
	case ST_REJECTED:
		buf_adds(b, "We refused the request. We have not disclosed any data.");
		break;
	case ST_REDIRECTED:
		buf_adds(b, "We declined to answer and asked the agency to seek the data from "
			    "your organisation, which controls it. We have not disclosed any "
			    "data.");
		break;
	case ST_WITHDRAWN:
		buf_adds(b, "The agency withdrew the request. We have not disclosed any data.");
		break;
	case ST_PRESERVED:
		buf_adds(b, "As the law requires, we preserved a copy of the existing records "
			    "of the account(s). Preserved records are not disclosed without "
			    "further legal process, which we would review.");
		break;
	case ST_RELEASED:
	case ST_EXPIRED:
		buf_adds(b, "We preserved a copy of the existing records for a limited time; "
			    "the preservation has ended and we disclosed nothing.");
		break;
	case ST_CONVERTED:
		buf_adds(b, "We preserved a copy of the existing records; the agency has since "
			    "served further legal process, which we review separately.");
		break;
	case ST_CLOSED:
		switch (r->outcome) {
		case OUT_CONTENT:
			buf_addf(b, "We found the request legally valid and disclosed only what "
				    "it required: %s.",
				 scope.ptr);
			break;
		case OUT_NONCONTENT_ONLY:
			buf_adds(b, "We disclosed records that are not content; we disclosed no "
				    "content.");
			break;
		case OUT_NO_DATA:
			buf_adds(b, "We disclosed no data.");
			break;
		case OUT_REDIRECTED:
			buf_adds(b, "We declined to answer and asked the agency to seek the "
				    "data from your organisation. We disclosed no data.");
			break;
		case OUT_WITHDRAWN:
			buf_adds(b, "The agency withdrew the request. We disclosed no data.");
			break;
		default:
			buf_adds(b, "We refused the request. We disclosed no data.");
			break;
		}
		break;
	default:
		buf_adds(b, "Our legal team is handling the request.");
		break;
	}
	buf_release(&scope);
}

/* --- the notice ------------------------------------------------------------------ */

char *notice_subject(const struct notice_facts *f)
{
	return xasprintf("A government request for data about your account (%s notice %lld)",
			 f->provider, (long long)f->notice_id);
}

static void accounts_words(const struct notice_facts *f, struct buf *out)
{
	int n = 0;
	for (size_t i = 0; i < f->req->n_targets; i++) {
		const struct target *t = &f->req->targets[i];
		if (!str_eq(t->customer_id, f->cust->id))
			continue;
		/* the same identifier named twice is one account */
		int dup = 0;
		for (size_t j = 0; j < i && !dup; j++)
			dup = str_eq(f->req->targets[j].customer_id, f->cust->id) &&
			      f->req->targets[j].type == t->type &&
			      str_eq(f->req->targets[j].value, t->value);
		if (!dup)
			buf_addf(out, "%s%s %s", n++ ? "; " : "", target_type_str(t->type),
				 t->value);
	}
}

static void held_words(const struct notice_facts *f, struct buf *b)
{
	char d[TS_BUFSZ];
	const struct ndo_record *n = f->ndo;
	if (n) {
		date_words(n->lifted_at ? n->lifted_at : n->expires_at, d);
		buf_addf(b, "A nondisclosure order (%s) kept us from telling you about this "
			    "request until it %s on %s. We tell you now because it no longer "
			    "applies.",
			 n->statute, n->lifted_at ? "was lifted" : "expired", d);
	} else if (f->emergency_delay_days > 0) {
		buf_addf(b, "The agency said the request concerned an emergency, so we waited "
			    "%d days before telling you, as our policy for emergencies "
			    "allows.",
			 f->emergency_delay_days);
	}
}

char *notice_text(const struct notice_facts *f)
{
	const struct request *r = f->req;
	const struct customer *c = f->cust;
	struct buf b, tmp;
	char when[TS_BUFSZ];
	const char *country = f->agency_country && *f->agency_country
				      ? country_name(f->agency_country)
				      : NULL;
	buf_init(&b, BUF_UNLIMITED);
	buf_init(&tmp, BUF_UNLIMITED);
	date_words(r->received_at.t, when);

	buf_addf(&tmp, "Dear %s,", c->contact_name ? c->contact_name : c->name);
	para(&b, tmp.ptr);
	buf_reset(&tmp);
	buf_reset(&tmp);
	if (c->type == CUST_ENTERPRISE)
		buf_addf(&tmp, "%s received a request from a government agency for data about "
			       "accounts of your organisation, %s. We are telling you, as its "
			       "contact, because you have a right to know when a government "
			       "asks for your data.",
			 f->provider, c->name);
	else
		buf_addf(&tmp, "%s received a request from a government agency for data about "
			       "your account. We are telling you because you have a right to "
			       "know when a government asks for your data.",
			 f->provider);
	para(&b, tmp.ptr);

	buf_reset(&tmp);
	if (f->agency_name)
		buf_addf(&tmp, "%s%s%s%s", f->agency_name, country ? " (" : "",
			 country ? country : "", country ? ")" : "");
	else
		buf_addf(&tmp, "%s%s%s%s", r->agency ? r->agency : "an agency",
			 country ? " (" : "", country ? country : "", country ? ")" : "");
	field(&b, "Who asked:", tmp.ptr);
	field(&b, "When:", when);
	buf_reset(&tmp);
	buf_adds(&tmp, process_words[r->process] ? process_words[r->process] : "a legal demand");
	if (r->has_issued_by && r->issued_by.name)
		buf_addf(&tmp, ", issued by %s", r->issued_by.name);
	field(&b, "Legal process:", tmp.ptr);
	field(&b, "Their reference:", r->ref);
	buf_reset(&tmp);
	accounts_words(f, &tmp);
	field(&b, "Accounts:", tmp.ptr);
	buf_reset(&tmp);
	categories_words(r->categories, &tmp);
	field(&b, "Data asked for:", tmp.ptr);
	buf_addc(&b, '\n');

	buf_reset(&tmp);
	outcome_words(f, &tmp);
	buf_adds(&b, "What we did\n");
	para(&b, tmp.ptr);

	buf_reset(&tmp);
	held_words(f, &tmp);
	if (tmp.len)
		para(&b, tmp.ptr);

	buf_adds(&b, "How to respond\n");
	buf_reset(&tmp);
	buf_addf(&tmp, "If you have questions or want to object, contact %s's legal team%s%s, "
		       "quoting notice %lld. You may also wish to consult a lawyer: you may "
		       "be able to ask a court to quash (set aside) or narrow the request.",
		 f->provider, f->legal_contact ? " at " : "",
		 f->legal_contact ? f->legal_contact : "", (long long)f->notice_id);
	para(&b, tmp.ptr);

	buf_adds(&b, "Our record\n");
	buf_reset(&tmp);
	if (f->receipt_index >= 0)
		buf_addf(&tmp, "The receipt of this request is entry %lld of %s's "
			       "tamper-evident transparency log (%s). We can give you a proof "
			       "that the entry is in the log.",
			 (long long)f->receipt_index, f->provider, f->origin);
	else
		buf_addf(&tmp, "This request is recorded in %s's tamper-evident transparency "
			       "log (%s).",
			 f->provider, f->origin);
	para(&b, tmp.ptr);
	buf_addf(&b, "%s legal team\n", f->provider);
	buf_release(&tmp);
	return buf_detach(&b, NULL);
}
