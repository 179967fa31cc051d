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

#include <jansson.h>

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

static const char *const category_short[category__COUNT] = {
	[CAT_SUBSCRIBER] = "Subscriber information",
	[CAT_NONCONTENT] = "Records of use (not content)",
	[CAT_CONTENT] = "Content",
};

static int customer_account(const struct notice_facts *f, const char *type,
			    const char *value)
{
	for (size_t i = 0; i < f->req->n_targets; i++) {
		const struct target *t = &f->req->targets[i];
		if (str_eq(t->customer_id, f->cust->id) &&
		    strcmp(target_type_str(t->type), type) == 0 && str_eq(t->value, value))
			return 1;
	}
	return 0;
}

/* Items of each category in the manifest that belong to the customer's
 * accounts named in the request; -1 everywhere when there is no manifest
 * or it cannot be read. */
static void manifest_counts(const struct notice_facts *f, const char *manifest,
			    int64_t out[category__COUNT])
{
	json_t *m = manifest ? json_loads(manifest, 0, NULL) : NULL;
	json_t *items = json_object_get(m, "items"), *it;
	size_t i;
	for (int c = 0; c < category__COUNT; c++)
		out[c] = json_is_array(items) ? 0 : -1;
	json_array_foreach(items, i, it)
	{
		json_t *acc = json_object_get(it, "account");
		const char *type = json_string_value(json_object_get(acc, "type"));
		const char *value = json_string_value(json_object_get(acc, "value"));
		int c = category_parse(json_string_value(json_object_get(it, "category")));
		if (type && value && c >= 0 && customer_account(f, type, value))
			out[c]++;
	}
	json_decref(m);
}

void notice_facts_done(struct notice_facts *f, const char *manifest_json)
{
	const struct request *r = f->req;
	unsigned asked = r->categories, kept = r->scope ? r->scope : r->categories;
	int64_t n[category__COUNT];
	manifest_counts(f, manifest_json, n);
	enum outcome o = r->state == ST_CLOSED ? r->outcome : OUT_NONE;
	for (int c = 0; c < category__COUNT; c++) {
		struct notice_category *d = &f->done[c];
		int in = (kept & CAT_BIT(c)) != 0;
		d->items = 0;
		if (!(asked & CAT_BIT(c))) {
			d->done = ND_NOT_ASKED;
			continue;
		}
		switch (r->state) {
		case ST_VERIFYING:
		case ST_IN_REVIEW:
		case ST_CHALLENGED:
			d->done = ND_OPEN;
			break;
		case ST_APPROVED:
		case ST_READY:
			d->done = in ? ND_APPROVED : ND_REFUSED;
			break;
		case ST_REJECTED:
			d->done = ND_REFUSED;
			break;
		case ST_REDIRECTED:
			d->done = ND_REDIRECTED;
			break;
		case ST_WITHDRAWN:
			d->done = ND_WITHDRAWN;
			break;
		case ST_PRESERVED:
		case ST_RELEASED:
		case ST_EXPIRED:
		case ST_CONVERTED:
			d->done = ND_PRESERVED;
			break;
		default: /* disclosed, closed */
			if (o == OUT_REJECTED)
				d->done = ND_REFUSED;
			else if (o == OUT_REDIRECTED)
				d->done = ND_REDIRECTED;
			else if (o == OUT_WITHDRAWN)
				d->done = ND_WITHDRAWN;
			else if (!in)
				d->done = ND_REFUSED;
			else if (n[c] > 0) {
				d->done = ND_DISCLOSED;
				d->items = n[c];
			} else if (n[c] == 0) {
				d->done = ND_NOTHING;
			} else if (o == OUT_CONTENT ||
				   (o == OUT_NONCONTENT_ONLY && c != CAT_CONTENT)) {
				d->done = ND_DISCLOSED; /* no manifest: count unknown */
				d->items = -1;
			} else {
				d->done = ND_NONE;
			}
			break;
		}
	}
}

/* The opening sentence of "What we did", then one line per category. */
static void outcome_words(const struct notice_facts *f, struct buf *b)
{
	switch (f->req->state) {
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
		buf_adds(b, "Our legal team has decided on the request. We have not disclosed "
			    "any data yet.");
		break;
	case ST_PRESERVED:
		buf_adds(b, "As the law requires, we preserved a copy of the existing records "
			    "of the account(s). Preserved records are not disclosed without "
			    "further legal process, which we would review. We have not "
			    "disclosed any data.");
		break;
	case ST_RELEASED:
	case ST_EXPIRED:
		buf_adds(b, "We preserved a copy of the existing records for a limited time; "
			    "the preservation has ended and we disclosed nothing.");
		break;
	case ST_CONVERTED:
		buf_adds(b, "We preserved a copy of the existing records; the agency has since "
			    "served further legal process, which we review separately. We "
			    "have not disclosed any data on this request.");
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
	case ST_CLOSED:
		if (f->req->outcome == OUT_REJECTED)
			buf_adds(b, "We refused the request. We disclosed no data.");
		else if (f->req->outcome == OUT_REDIRECTED)
			buf_adds(b, "We declined to answer and asked the agency to seek the "
				    "data from your organisation. We disclosed no data.");
		else if (f->req->outcome == OUT_WITHDRAWN)
			buf_adds(b, "The agency withdrew the request. We disclosed no data.");
		else if (f->req->outcome == OUT_NO_DATA)
			buf_adds(b, "We disclosed no data.");
		break;
	default:
		break;
	}
}

static int any_done(const struct notice_facts *f, enum notice_done d)
{
	for (int c = 0; c < category__COUNT; c++)
		if (f->done[c].done == d)
			return 1;
	return 0;
}

static void category_line(const struct notice_facts *f, int c, struct buf *b)
{
	const struct notice_category *d = &f->done[c];
	const char *why = f->refusal_reason && *f->refusal_reason ? f->refusal_reason : NULL;
	struct buf line;
	buf_init(&line, BUF_UNLIMITED);
	buf_addf(&line, "- %s: ", category_short[c]);
	switch (d->done) {
	case ND_OPEN:
		buf_adds(&line, "not decided yet; nothing disclosed.");
		break;
	case ND_APPROVED:
		buf_adds(&line, "the request is valid for this; nothing disclosed yet.");
		break;
	case ND_DISCLOSED:
		if (d->items < 0)
			buf_adds(&line, "disclosed (the number of items is not on record).");
		else
			buf_addf(&line, "disclosed, %lld item%s.", (long long)d->items,
				 d->items == 1 ? "" : "s");
		break;
	case ND_NOTHING:
		buf_adds(&line, "nothing found for your account(s); nothing disclosed.");
		break;
	case ND_REFUSED:
		buf_adds(&line, "refused; nothing disclosed.");
		if (why)
			buf_addf(&line, " Reason: %s", why);
		break;
	case ND_REDIRECTED:
		buf_adds(&line, "not answered: we asked the agency to seek it from your "
				"organisation, which controls it; nothing disclosed.");
		break;
	case ND_WITHDRAWN:
		buf_adds(&line, "the agency withdrew the request; nothing disclosed.");
		break;
	case ND_PRESERVED:
		buf_adds(&line, "preserved, not disclosed.");
		break;
	case ND_NONE:
	default:
		buf_adds(&line, "nothing disclosed.");
		break;
	}
	wrap(b, 0, 2, line.ptr);
	buf_release(&line);
}

/* --- the notice ------------------------------------------------------------------ */

char *notice_subject(const struct notice_facts *f)
{
	if (f->notice_ref)
		return xasprintf("A government request for data about your account (%s "
				 "notice %s)",
				 f->provider, f->notice_ref);
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
		buf_addf(b, "The request said it concerned an emergency, so we waited "
			    "%d days before telling you, as our policy for emergencies "
			    "allows.",
			 f->emergency_delay_days);
	}
}

char *notice_text(const struct notice_facts *given)
{
	/* a caller that did not say what was done per category: from the
	 * request's state alone (no disclosure on record) */
	struct notice_facts local = *given;
	const struct notice_facts *f = &local;
	if (!any_done(given, ND_OPEN) && !any_done(given, ND_APPROVED) &&
	    !any_done(given, ND_DISCLOSED) && !any_done(given, ND_NOTHING) &&
	    !any_done(given, ND_REFUSED) && !any_done(given, ND_REDIRECTED) &&
	    !any_done(given, ND_WITHDRAWN) && !any_done(given, ND_NONE) &&
	    !any_done(given, ND_PRESERVED))
		notice_facts_done(&local, NULL);
	const struct request *r = f->req;
	const struct customer *c = f->cust;
	struct buf b, tmp;
	char when[TS_BUFSZ];
	const char *country = f->agency_country && *f->agency_country
				      ? country_name(f->agency_country)
				      : NULL;
	char idbuf[24];
	const char *ref = f->notice_ref;
	if (!ref) {
		snprintf(idbuf, sizeof(idbuf), "%lld", (long long)f->notice_id);
		ref = idbuf;
	}
	buf_init(&b, BUF_UNLIMITED);
	buf_init(&tmp, BUF_UNLIMITED);
	date_words(r->received_at.t, when);

	buf_addf(&tmp, "Dear %s,", c->contact_name ? c->contact_name : c->name);
	para(&b, tmp.ptr);
	buf_reset(&tmp);
	buf_reset(&tmp);
	const char *from_whom = f->claimed ? "a request claiming to come from a government "
					     "agency"
					   : "a request from a government agency";
	if (c->type == CUST_ENTERPRISE)
		buf_addf(&tmp, "%s received %s for data about accounts of your organisation, "
			       "%s. We are telling you, as its contact, because you have a "
			       "right to know when a government asks for your data.",
			 f->provider, from_whom, c->name);
	else
		buf_addf(&tmp, "%s received %s for data about your account. We are telling "
			       "you because you have a right to know when a government asks "
			       "for your data.",
			 f->provider, from_whom);
	para(&b, tmp.ptr);

	buf_reset(&tmp);
	if (f->claimed)
		buf_adds(&tmp, "a request claiming to come from ");
	if (f->agency_name)
		buf_addf(&tmp, "%s%s%s%s", f->agency_name, country ? " (" : "",
			 country ? country : "", country ? ")" : "");
	else
		buf_addf(&tmp, "%s%s%s%s", r->agency ? r->agency : "an agency",
			 country ? " (" : "", country ? country : "", country ? ")" : "");
	if (f->claimed) {
		if (r->has_requester && r->requester.email)
			buf_addf(&tmp, ", sent from %s", r->requester.email);
		buf_adds(&tmp, "; we could not confirm that it came from there");
	}
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
	buf_reset(&tmp);
	if (r->has_date_range) {
		char from[TS_BUFSZ], to[TS_BUFSZ];
		date_words(r->date_from.t, from);
		date_words(r->date_to.t, to);
		buf_addf(&tmp, "%s to %s", from, to);
	} else {
		buf_adds(&tmp, "none given");
	}
	field(&b, "Date range:", tmp.ptr);
	buf_addc(&b, '\n');

	buf_reset(&tmp);
	outcome_words(f, &tmp);
	buf_adds(&b, "What we did\n");
	if (tmp.len)
		para(&b, tmp.ptr);
	for (int k = 0; k < category__COUNT; k++)
		if (f->done[k].done != ND_NOT_ASKED)
			category_line(f, k, &b);
	if (any_done(f, ND_NOTHING) && r->has_date_range)
		para(&b, "\nThe date range limits content and records of use; subscriber "
			 "information describes the account as it is.");
	else
		buf_addc(&b, '\n');

	buf_reset(&tmp);
	held_words(f, &tmp);
	if (tmp.len)
		para(&b, tmp.ptr);

	buf_adds(&b, "How to respond\n");
	buf_reset(&tmp);
	buf_addf(&tmp, "If you have questions or want to object, contact %s's legal team%s%s, "
		       "quoting notice %s. You may also wish to consult a lawyer: you may "
		       "be able to ask a court to quash (set aside) or narrow the request.",
		 f->provider, f->legal_contact ? " at " : "",
		 f->legal_contact ? f->legal_contact : "", ref);
	para(&b, tmp.ptr);

	buf_adds(&b, "Our record\n");
	buf_reset(&tmp);
	if (f->compartment)
		buf_addf(&tmp, "This request is recorded in the national-security compartment "
			       "of %s's tamper-evident transparency log (%s), which auditors "
			       "cleared for it can check; the public log commits to it.",
			 f->provider, f->origin);
	else if (f->receipt_index >= 0 && f->proof)
		buf_addf(&tmp, "The receipt of this request is entry %lld of %s's "
			       "tamper-evident transparency log (%s). Below is the proof that "
			       "the entry is in the log of %llu entries whose root hash is %s "
			       "(RFC 9162 inclusion proof, one hash per line):",
			 (long long)f->receipt_index, f->provider, f->origin,
			 (unsigned long long)f->proof_size, f->proof_root);
	else if (f->receipt_index >= 0)
		buf_addf(&tmp, "The receipt of this request is entry %lld of %s's "
			       "tamper-evident transparency log (%s). We can give you a proof "
			       "that the entry is in the log.",
			 (long long)f->receipt_index, f->provider, f->origin);
	else
		buf_addf(&tmp, "This request is recorded in %s's tamper-evident transparency "
			       "log (%s).",
			 f->provider, f->origin);
	para(&b, tmp.ptr);
	if (f->compartment)
		buf_addf(&tmp, "This request is recorded in the national-security compartment "
			       "of %s's tamper-evident transparency log (%s), which auditors "
			       "cleared for it can check; the public log commits to it.",
			 f->provider, f->origin);
	else if (f->receipt_index >= 0 && f->proof) {
		buf_adds(&b, f->proof[0] ? f->proof : "(empty: the entry is the root)\n");
		if (b.len && b.ptr[b.len - 1] != '\n')
			buf_addc(&b, '\n');
		buf_addc(&b, '\n');
	}
	buf_addf(&b, "%s legal team\n", f->provider);
	buf_release(&tmp);
	return buf_detach(&b, NULL);
}
