/*
 * demogen_data.h - the tables behind tools/demogen.c: countries and their
 * names, agencies, the mix of legal process each agency sends, and the
 * vocabulary of generated text.
 *
 * Everything here is demo data.  Agencies are named after real institutions
 * so the demo reads naturally, but their domain lists and telephone numbers
 * are plausible inventions, not verified contacts: the call-back numbers use
 * ranges reserved for fiction where a country has one (US 555-01xx, UK
 * 020 7946 0xxx, ...).  People and companies are made up.
 *
 * Included by demogen.c only; every table is static.
 */
#ifndef DOCKET_DEMOGEN_DATA_H
#define DOCKET_DEMOGEN_DATA_H

#include "model/enums.h"

/* The tables are laid out by hand. */
/* clang-format off */

#define NAMES 12

/* A country customers live in and requests come from. */
struct dg_country {
	const char *code;
	unsigned weight;          /* share of customers */
	const char *phone_cc;     /* "+1" */
	const char *areas[4];     /* area / mobile prefixes */
	const char *mail;         /* the provider's consumer mail domain there */
	const char *tld;          /* enterprise domains end in this */
	const char *company;      /* legal-form suffix of company names */
	unsigned us_person_pct;   /* share of residents who are US persons */
	const char *loc[3];       /* where their data is stored ... */
	unsigned loc_w[3];        /* ... with these weights */
	const char *judge;        /* title of a judge: "Hon." */
	const char *first[NAMES];
	const char *last[NAMES];
};

static const struct dg_country COUNTRIES[] = {
	{"US", 30, "+1", {"212", "415", "312", "206"}, "stratomail.com", ".com", "Inc.", 97,
	 {"US", "IE", NULL}, {88, 12, 0}, "Hon.",
	 {"James", "Mary", "Robert", "Patricia", "Michael", "Jennifer", "David", "Linda",
	  "Maria", "Daniel", "Aisha", "Kevin"},
	 {"Smith", "Johnson", "Williams", "Brown", "Garcia", "Miller", "Davis", "Rodriguez",
	  "Martinez", "Nguyen", "Lee", "Patel"}},
	{"GB", 9, "+44", {"7700", "7911", "7400", "7520"}, "stratomail.co.uk", ".co.uk", "Ltd",
	 3, {"GB", "IE", "US"}, {55, 30, 15}, "HHJ",
	 {"Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Emily", "Noah",
	  "Sophie", "Thomas", "Grace"},
	 {"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans", "Thomas",
	  "Roberts", "Walker", "Wright", "O'Brien"}},
	{"DE", 9, "+49", {"151", "160", "170", "176"}, "stratomail.de", ".de", "GmbH", 2,
	 {"DE", "IE", "US"}, {45, 45, 10}, "Richter",
	 {"Lukas", "Anna", "Leon", "Mia", "Jonas", "Lea", "Felix", "Hannah", "Maximilian",
	  "Sophie", "Jürgen", "Katrin"},
	 {"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
	  "Schulz", "Hoffmann", "Koch", "Weiß"}},
	{"FR", 6, "+33", {"6 12", "6 45", "7 51", "6 78"}, "stratomail.fr", ".fr", "SAS", 2,
	 {"IE", "FR", "US"}, {70, 20, 10}, "Juge",
	 {"Gabriel", "Louise", "Raphaël", "Jade", "Léo", "Emma", "Louis", "Chloé", "Hugo",
	  "Camille", "Jules", "Inès"},
	 {"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
	  "Leroy", "Moreau", "Lefèvre", "Girard"}},
	{"IE", 2, "+353", {"85", "86", "87", "83"}, "stratomail.ie", ".ie", "Ltd", 4,
	 {"IE", "US", NULL}, {90, 10, 0}, "Judge",
	 {"Jack", "Grace", "Seán", "Aoife", "Conor", "Niamh", "Darragh", "Siobhán", "Cian",
	  "Ciara", "Liam", "Róisín"},
	 {"Murphy", "Kelly", "O'Sullivan", "Walsh", "Byrne", "Ryan", "O'Connor", "O'Brien",
	  "McCarthy", "Doyle", "Kennedy", "Lynch"}},
	{"NL", 3, "+31", {"6 12", "6 24", "6 41", "6 53"}, "stratomail.nl", ".nl", "B.V.", 2,
	 {"NL", "IE", "US"}, {40, 55, 5}, "Rechter",
	 {"Daan", "Emma", "Sem", "Julia", "Lucas", "Tess", "Levi", "Sophie", "Finn", "Fenna",
	  "Bram", "Noor"},
	 {"de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Visser",
	  "Smit", "Meijer", "de Boer", "Mulder", "Bos"}},
	{"IN", 12, "+91", {"98", "99", "97", "90"}, "stratomail.in", ".co.in", "Pvt Ltd", 1,
	 {"IN", "SG", "US"}, {60, 25, 15}, "Judge",
	 {"Aarav", "Ananya", "Vihaan", "Diya", "Arjun", "Priya", "Rohan", "Kavya", "Aditya",
	  "Sneha", "Rahul", "Meera"},
	 {"Sharma", "Patel", "Singh", "Kumar", "Gupta", "Reddy", "Iyer", "Nair", "Das",
	  "Joshi", "Mehta", "Rao"}},
	{"BR", 8, "+55", {"11 9", "21 9", "31 9", "61 9"}, "stratomail.com.br", ".com.br",
	 "Ltda.", 1, {"BR", "US", NULL}, {50, 50, 0}, "Juiz(a)",
	 {"Miguel", "Helena", "Arthur", "Alice", "Heitor", "Laura", "Bernardo", "Valentina",
	  "Davi", "Júlia", "Gustavo", "Beatriz"},
	 {"Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira",
	  "Lima", "Gomes", "Conceição", "Araújo"}},
	{"JP", 5, "+81", {"90", "80", "70", "90"}, "stratomail.jp", ".co.jp", "K.K.", 1,
	 {"JP", "US", NULL}, {85, 15, 0}, "Judge",
	 {"Haruto", "Yui", "Sota", "Aoi", "Yuto", "Hina", "Ren", "Sakura", "Kaito", "Mei",
	  "Riku", "Yuna"},
	 {"Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura",
	  "Kobayashi", "Kato", "Yoshida", "Yamada"}},
	{"AU", 4, "+61", {"412", "423", "438", "491"}, "stratomail.com.au", ".com.au",
	 "Pty Ltd", 3, {"AU", "SG", "US"}, {80, 10, 10}, "Magistrate",
	 {"Oliver", "Charlotte", "Jack", "Olivia", "William", "Amelia", "Noah", "Isla",
	  "Thomas", "Mia", "Lachlan", "Chloe"},
	 {"Smith", "Jones", "Williams", "Brown", "Wilson", "Taylor", "Nguyen", "Johnson",
	  "Martin", "White", "Anderson", "Walker"}},
	{"CA", 4, "+1", {"416", "604", "514", "403"}, "stratomail.ca", ".ca", "Inc.", 4,
	 {"CA", "US", NULL}, {60, 40, 0}, "Justice",
	 {"Liam", "Olivia", "Noah", "Emma", "William", "Charlotte", "Benjamin", "Chloé",
	  "Lucas", "Amélie", "Ethan", "Maya"},
	 {"Tremblay", "Smith", "Roy", "Gagnon", "Lee", "Wilson", "Johnson", "MacDonald",
	  "Côté", "Brown", "Martin", "Taylor"}},
	{"PL", 4, "+48", {"501", "602", "730", "881"}, "stratomail.pl", ".pl", "Sp. z o.o.",
	 1, {"IE", "DE", "US"}, {70, 20, 10}, "Sędzia",
	 {"Jakub", "Zuzanna", "Antoni", "Julia", "Jan", "Zofia", "Szymon", "Hanna",
	  "Aleksander", "Maja", "Łukasz", "Agnieszka"},
	 {"Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski",
	  "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Kozłowski"}},
	{"SG", 2, "+65", {"8", "9", "8", "9"}, "stratomail.sg", ".com.sg", "Pte Ltd", 2,
	 {"SG", "US", NULL}, {80, 20, 0}, "District Judge",
	 {"Wei Jie", "Hui Min", "Jun Jie", "Xin Yi", "Muhammad", "Nur Aisyah", "Arjun",
	  "Priya", "Ryan", "Chloe", "Ethan", "Siti"},
	 {"Tan", "Lim", "Lee", "Ng", "Ong", "Wong", "Goh", "Chua", "Chan", "Koh", "Teo",
	  "Rahman"}},
};

/* The legal process an agency sends, as weights (SPEC §3 processes). */
enum dg_profile {
	P_US_POLICE, P_US_FED, P_US_PROS, P_US_COURT, P_US_NS, P_US_CIVIL, P_US_REG,
	P_GB, P_EU, P_EU_PROS, P_AU, P_OTHER, P__COUNT
};

struct dg_mix {
	enum process process;
	unsigned weight;
};

#define MIX_END {PROC_OTHER, 0}
static const struct dg_mix MIXES[P__COUNT][9] = {
	[P_US_POLICE] = {{PROC_SUBPOENA, 42}, {PROC_COURT_ORDER, 14},
			 {PROC_SEARCH_WARRANT, 20}, {PROC_EMERGENCY, 10},
			 {PROC_PRESERVATION, 11}, {PROC_PEN_REGISTER, 2}, {PROC_WIRETAP, 1},
			 MIX_END},
	[P_US_FED] = {{PROC_SUBPOENA, 38}, {PROC_COURT_ORDER, 18},
		      {PROC_SEARCH_WARRANT, 24}, {PROC_EMERGENCY, 5},
		      {PROC_PRESERVATION, 12}, {PROC_PEN_REGISTER, 2}, {PROC_WIRETAP, 1},
		      MIX_END},
	[P_US_PROS] = {{PROC_SUBPOENA, 40}, {PROC_COURT_ORDER, 25},
		       {PROC_SEARCH_WARRANT, 25}, {PROC_PRESERVATION, 10}, MIX_END},
	[P_US_COURT] = {{PROC_COURT_ORDER, 55}, {PROC_SEARCH_WARRANT, 45}, MIX_END},
	[P_US_NS] = {{PROC_NSL, 70}, {PROC_FISA_ORDER, 30}, MIX_END},
	[P_US_CIVIL] = {{PROC_CIVIL_SUBPOENA, 100}, MIX_END},
	[P_US_REG] = {{PROC_SUBPOENA, 100}, MIX_END},
	[P_GB] = {{PROC_CLOUD_ACT_ORDER, 35}, {PROC_FOREIGN_ORDER, 30}, {PROC_MLAT, 5},
		  {PROC_EMERGENCY, 12}, {PROC_PRESERVATION, 18}, MIX_END},
	[P_EU] = {{PROC_FOREIGN_ORDER, 45}, {PROC_MLAT, 15},
		  {PROC_EU_PRODUCTION_ORDER, 20}, {PROC_EMERGENCY, 8},
		  {PROC_PRESERVATION, 8}, {PROC_EU_PRESERVATION_ORDER, 4}, MIX_END},
	[P_EU_PROS] = {{PROC_FOREIGN_ORDER, 30}, {PROC_MLAT, 20},
		       {PROC_EU_PRODUCTION_ORDER, 35}, {PROC_PRESERVATION, 5},
		       {PROC_EU_PRESERVATION_ORDER, 10}, MIX_END},
	[P_AU] = {{PROC_FOREIGN_ORDER, 45}, {PROC_CLOUD_ACT_ORDER, 15}, {PROC_MLAT, 10},
		  {PROC_EMERGENCY, 12}, {PROC_PRESERVATION, 18}, MIX_END},
	[P_OTHER] = {{PROC_FOREIGN_ORDER, 62}, {PROC_MLAT, 15}, {PROC_EMERGENCY, 12},
		     {PROC_PRESERVATION, 11}, MIX_END},
};

/*
 * Process that did not exist yet: before `from` (YYYY-MM-DD) a request of
 * `process` (from `country`, or any when NULL) is sent as `instead`.
 * EU-EPOC: Regulation (EU) 2023/1543 applies from 18 Aug 2026.  The UK-US
 * CLOUD Act agreement entered into force on 3 Oct 2022, the Australian one
 * on 31 Jan 2024 (check).
 */
static const struct {
	enum process process;
	const char *country;
	const char *from;
	enum process instead;
} PROCESS_START[] = {
	{PROC_EU_PRODUCTION_ORDER, NULL, "2026-08-18", PROC_FOREIGN_ORDER},
	{PROC_EU_PRESERVATION_ORDER, NULL, "2026-08-18", PROC_PRESERVATION},
	{PROC_CLOUD_ACT_ORDER, "GB", "2022-10-03", PROC_FOREIGN_ORDER},
	{PROC_CLOUD_ACT_ORDER, "AU", "2024-01-31", PROC_FOREIGN_ORDER},
};

/*
 * Agencies.  `id` NULL marks a requester that is not registered in docket:
 * its historical requests are imported with "country" and no "agency".
 */
struct dg_agency {
	const char *id;
	const char *name;
	const char *country;
	const char *type;
	const char *domains[3];
	const char *phone;        /* independently sourced call-back number */
	const char *prefix;       /* of its case references: LAPD-2025-00123 */
	unsigned weight;          /* share of historical requests */
	enum dg_profile profile;
	const char *court;        /* court that issues its compulsory process */
	const char *prosecutor;   /* prosecutor's office that issues its orders */
	const char *rank;         /* requester's title: "Det." */
};

static const struct dg_agency AGENCIES[] = {
	{"us-fbi", "Federal Bureau of Investigation", "US", "law_enforcement",
	 {"fbi.gov", "ic.fbi.gov"}, "+1 202 555 0110", "FBI", 90, P_US_FED,
	 "U.S. District Court for the District of Columbia",
	 "U.S. Attorney's Office for the District of Columbia", "SA"},
	{"us-doj", "U.S. Department of Justice, Criminal Division", "US", "prosecutor",
	 {"usdoj.gov"}, "+1 202 555 0120", "DOJ", 40, P_US_PROS,
	 "U.S. District Court for the Southern District of New York",
	 "U.S. Attorney's Office for the Southern District of New York", "AUSA"},
	{"us-hsi", "Homeland Security Investigations", "US", "law_enforcement",
	 {"hsi.dhs.gov", "dhs.gov"}, "+1 202 555 0130", "HSI", 30, P_US_FED,
	 "U.S. District Court for the Eastern District of Virginia",
	 "U.S. Attorney's Office for the Eastern District of Virginia", "SA"},
	{"us-usss", "United States Secret Service", "US", "law_enforcement",
	 {"usss.dhs.gov"}, "+1 202 555 0140", "USSS", 15, P_US_FED,
	 "U.S. District Court for the District of Maryland",
	 "U.S. Attorney's Office for the District of Maryland", "SA"},
	{"us-lapd", "Los Angeles Police Department", "US", "law_enforcement",
	 {"lapd.gov"}, "+1 213 555 0100", "LAPD", 45, P_US_POLICE,
	 "Superior Court of California, County of Los Angeles",
	 "Los Angeles County District Attorney's Office", "Det."},
	{"us-nypd", "New York City Police Department", "US", "law_enforcement",
	 {"nypd.org"}, "+1 646 555 0150", "NYPD", 45, P_US_POLICE,
	 "Supreme Court of the State of New York, New York County",
	 "New York County District Attorney's Office", "Det."},
	{"us-chicago-pd", "Chicago Police Department", "US", "law_enforcement",
	 {"chicagopolice.org"}, "+1 312 555 0160", "CPD", 25, P_US_POLICE,
	 "Circuit Court of Cook County", "Cook County State's Attorney's Office", "Det."},
	{"us-tx-dps", "Texas Department of Public Safety", "US", "law_enforcement",
	 {"dps.texas.gov"}, "+1 512 555 0170", "TXDPS", 20, P_US_POLICE,
	 "District Court of Travis County, Texas",
	 "Travis County District Attorney's Office", "Sgt."},
	{"us-sfpd", "San Francisco Police Department", "US", "law_enforcement",
	 {"sfgov.org"}, "+1 415 555 0180", "SFPD", 15, P_US_POLICE,
	 "Superior Court of California, County of San Francisco",
	 "San Francisco District Attorney's Office", "Insp."},
	{"us-cand", "U.S. District Court for the Northern District of California", "US",
	 "court", {"cand.uscourts.gov"}, "+1 415 555 0190", "CAND", 8, P_US_COURT,
	 "U.S. District Court for the Northern District of California",
	 "U.S. Attorney's Office for the Northern District of California", "Clerk"},
	{"us-fbi-nsb", "FBI National Security Branch", "US", "national_security",
	 {"fbi.gov"}, "+1 202 555 0199", "FBI-NSB", 12, P_US_NS,
	 "United States Foreign Intelligence Surveillance Court",
	 "National Security Division, U.S. Department of Justice", "SSA"},
	{"us-hartwell-pierce", "Hartwell & Pierce LLP", "US", "civil_litigant",
	 {"hartwellpierce.com"}, "+1 312 555 0135", "HP", 12, P_US_CIVIL,
	 "Circuit Court of Cook County", NULL, "Atty."},
	{"us-sec", "U.S. Securities and Exchange Commission", "US", "regulator",
	 {"sec.gov"}, "+1 202 555 0175", "SEC", 6, P_US_REG,
	 "U.S. District Court for the District of Columbia",
	 "Division of Enforcement, U.S. Securities and Exchange Commission", "Atty."},
	{NULL, "Maricopa County Sheriff's Office", "US", "law_enforcement",
	 {"mcso.org"}, "+1 602 555 0111", "MCSO", 10, P_US_POLICE,
	 "Superior Court of Arizona, Maricopa County",
	 "Maricopa County Attorney's Office", "Det."},
	{NULL, "Seattle Police Department", "US", "law_enforcement",
	 {"seattle.gov"}, "+1 206 555 0112", "SPD", 8, P_US_POLICE,
	 "King County Superior Court", "King County Prosecuting Attorney's Office",
	 "Det."},

	{"gb-met", "Metropolitan Police Service", "GB", "law_enforcement",
	 {"met.police.uk"}, "+44 20 7946 0100", "MPS", 18, P_GB,
	 "Crown Court at Southwark", "Crown Prosecution Service", "DC"},
	{"gb-nca", "National Crime Agency", "GB", "law_enforcement",
	 {"nca.gov.uk"}, "+44 20 7946 0200", "NCA", 12, P_GB,
	 "Central Criminal Court", "Crown Prosecution Service", "Officer"},
	{"gb-gmp", "Greater Manchester Police", "GB", "law_enforcement",
	 {"gmp.police.uk"}, "+44 161 496 0300", "GMP", 7, P_GB,
	 "Crown Court at Manchester", "Crown Prosecution Service", "DC"},
	{NULL, "Police Scotland", "GB", "law_enforcement",
	 {"scotland.police.uk"}, "+44 131 496 0400", "PSOS", 3, P_GB,
	 "Sheriff Court of Glasgow and Strathkelvin",
	 "Crown Office and Procurator Fiscal Service", "DC"},

	{"de-bka", "Bundeskriminalamt", "DE", "law_enforcement",
	 {"bka.bund.de"}, "+49 30 23125 100", "BKA", 15, P_EU,
	 "Amtsgericht Wiesbaden", "Generalstaatsanwaltschaft Frankfurt am Main", "KOK"},
	{"de-lka-be", "Landeskriminalamt Berlin", "DE", "law_enforcement",
	 {"polizei.berlin.de"}, "+49 30 23125 200", "LKA-BE", 10, P_EU,
	 "Amtsgericht Tiergarten", "Staatsanwaltschaft Berlin", "KK"},
	{"de-sta-koeln", "Staatsanwaltschaft Köln", "DE", "prosecutor",
	 {"sta-koeln.nrw.de"}, "+49 30 23125 300", "STA-K", 7, P_EU_PROS,
	 "Amtsgericht Köln", "Staatsanwaltschaft Köln", "StA"},
	{NULL, "Polizei Hamburg", "DE", "law_enforcement",
	 {"polizei.hamburg.de"}, "+49 30 23125 400", "POL-HH", 3, P_EU,
	 "Amtsgericht Hamburg", "Staatsanwaltschaft Hamburg", "KK"},

	{"fr-pn", "Police nationale", "FR", "law_enforcement",
	 {"interieur.gouv.fr"}, "+33 1 99 00 01 00", "PN", 15, P_EU,
	 "Tribunal judiciaire de Paris", "Parquet de Paris", "Lt."},
	{"fr-gn", "Gendarmerie nationale", "FR", "law_enforcement",
	 {"gendarmerie.interieur.gouv.fr"}, "+33 1 99 00 02 00", "GN", 10, P_EU,
	 "Tribunal judiciaire de Lyon", "Parquet de Lyon", "Adj."},

	{"ie-garda", "An Garda Síochána", "IE", "law_enforcement",
	 {"garda.ie"}, "+353 1 555 0100", "GARDA", 8, P_EU,
	 "District Court (Dublin Metropolitan District)",
	 "Office of the Director of Public Prosecutions", "Det. Gda."},

	{"nl-politie", "Politie Nederland", "NL", "law_enforcement",
	 {"politie.nl"}, "+31 20 555 0100", "POL-NL", 9, P_EU,
	 "Rechtbank Amsterdam", "Openbaar Ministerie", "Rech."},
	{"nl-om", "Openbaar Ministerie", "NL", "prosecutor",
	 {"om.nl"}, "+31 70 555 0200", "OM", 5, P_EU_PROS,
	 "Rechtbank Rotterdam", "Openbaar Ministerie, Arrondissementsparket Rotterdam",
	 "mr."},

	{"pl-policja", "Komenda Główna Policji", "PL", "law_enforcement",
	 {"policja.gov.pl"}, "+48 22 555 0100", "KGP", 11, P_EU,
	 "Sąd Rejonowy dla Warszawy-Śródmieścia", "Prokuratura Okręgowa w Warszawie",
	 "asp."},
	{"pl-pk", "Prokuratura Krajowa", "PL", "prosecutor",
	 {"pk.gov.pl"}, "+48 22 555 0200", "PK", 4, P_EU_PROS,
	 "Sąd Okręgowy w Warszawie", "Prokuratura Krajowa", "prok."},

	{"in-cbi", "Central Bureau of Investigation", "IN", "law_enforcement",
	 {"cbi.gov.in"}, "+91 11 5550 0100", "CBI", 12, P_OTHER,
	 "Court of the Special Judge (CBI), Rouse Avenue, New Delhi",
	 "Directorate of Prosecution, CBI", "Insp."},
	{"in-delhi-police", "Delhi Police", "IN", "law_enforcement",
	 {"delhipolice.gov.in"}, "+91 11 5550 0200", "DP", 16, P_OTHER,
	 "Court of the Chief Metropolitan Magistrate, Patiala House, New Delhi",
	 "Directorate of Prosecution, Delhi", "SI"},
	{"in-mh-cyber", "Maharashtra Cyber", "IN", "law_enforcement",
	 {"mahacyber.gov.in"}, "+91 22 5550 0300", "MHCY", 12, P_OTHER,
	 "Court of the Additional Chief Judicial Magistrate, Mumbai",
	 "Directorate of Prosecution, Maharashtra", "Insp."},

	{"br-pf", "Polícia Federal", "BR", "law_enforcement",
	 {"pf.gov.br"}, "+55 61 5550 0100", "PF", 12, P_OTHER,
	 "Justiça Federal, Seção Judiciária do Distrito Federal",
	 "Ministério Público Federal", "Del."},
	{"br-pc-sp", "Polícia Civil do Estado de São Paulo", "BR", "law_enforcement",
	 {"policiacivil.sp.gov.br"}, "+55 11 5550 0200", "PCSP", 8, P_OTHER,
	 "Tribunal de Justiça do Estado de São Paulo",
	 "Ministério Público do Estado de São Paulo", "Del."},

	{"jp-npa", "National Police Agency", "JP", "law_enforcement",
	 {"npa.go.jp"}, "+81 3 5550 0100", "NPA", 6, P_OTHER,
	 "Tokyo District Court", "Tokyo District Public Prosecutors Office", "Insp."},
	{"jp-mpd", "Tokyo Metropolitan Police Department", "JP", "law_enforcement",
	 {"keishicho.metro.tokyo.lg.jp"}, "+81 3 5550 0200", "MPD", 6, P_OTHER,
	 "Tokyo Summary Court", "Tokyo District Public Prosecutors Office", "Sgt."},

	{"au-afp", "Australian Federal Police", "AU", "law_enforcement",
	 {"afp.gov.au"}, "+61 2 5550 0100", "AFP", 9, P_AU,
	 "Magistrates Court of the Australian Capital Territory",
	 "Commonwealth Director of Public Prosecutions", "Det. Sgt."},
	{"au-nswpf", "NSW Police Force", "AU", "law_enforcement",
	 {"police.nsw.gov.au"}, "+61 2 5550 0200", "NSWPF", 6, P_AU,
	 "Local Court of New South Wales",
	 "Office of the Director of Public Prosecutions (NSW)", "Det."},

	{"ca-rcmp", "Royal Canadian Mounted Police", "CA", "law_enforcement",
	 {"rcmp-grc.gc.ca"}, "+1 613 555 0100", "RCMP", 9, P_OTHER,
	 "Ontario Court of Justice", "Public Prosecution Service of Canada", "Cpl."},
	{"ca-tps", "Toronto Police Service", "CA", "law_enforcement",
	 {"torontopolice.on.ca"}, "+1 416 555 0200", "TPS", 6, P_OTHER,
	 "Ontario Court of Justice", "Ministry of the Attorney General (Ontario)", "Det."},

	{"sg-spf", "Singapore Police Force", "SG", "law_enforcement",
	 {"spf.gov.sg"}, "+65 6555 0100", "SPF", 6, P_OTHER,
	 "State Courts of Singapore", "Attorney-General's Chambers", "ASP"},
};

/* The court that executes MLAT requests for foreign governments. */
#define MLAT_COURT "U.S. District Court for the District of Columbia"

/* Company names are one word of each list and the country's legal form. */
static const char *const COMPANY_A[] = {
	"Northwind", "Bluewater", "Silverline", "Ironbridge", "Redwood", "Harbor",
	"Summit", "Crescent", "Granite", "Evergreen", "Lakeside", "Meridian",
	"Pinnacle", "Riverstone", "Oakridge", "Brightpath", "Copperfield", "Highland",
	"Westbrook", "Sterling",
};
static const char *const COMPANY_B[] = {
	"Logistics", "Analytics", "Health", "Foods", "Energy", "Capital", "Robotics",
	"Media", "Textiles", "Pharma", "Software", "Freight", "Labs", "Insurance",
	"Motors", "Design", "Consulting", "Systems", "Retail", "Biotech",
};

/* ASCII spellings of the non-ASCII letters in the name lists, for e-mail
 * addresses and user names. */
static const struct {
	const char *utf8;
	const char *ascii;
} FOLD[] = {
	{"ä", "a"}, {"ö", "o"}, {"ü", "u"}, {"ß", "ss"}, {"é", "e"}, {"è", "e"},
	{"ê", "e"}, {"ë", "e"}, {"à", "a"}, {"â", "a"}, {"ç", "c"}, {"ï", "i"},
	{"î", "i"}, {"ô", "o"}, {"û", "u"}, {"ã", "a"}, {"õ", "o"}, {"á", "a"},
	{"í", "i"}, {"ó", "o"}, {"ú", "u"}, {"ł", "l"}, {"Ł", "l"}, {"ś", "s"},
	{"Ś", "s"}, {"ż", "z"}, {"ź", "z"}, {"ń", "n"}, {"ą", "a"}, {"ę", "e"},
	{"ć", "c"}, {"ø", "o"}, {"å", "a"},
};

/* Why an emergency request says it cannot wait. */
static const char *const EMERGENCIES[] = {
	"A named person posted a credible threat to kill a family member tonight; "
	"we need the account holder's identity and location to intervene.",
	"A 14-year-old has been missing since yesterday evening and was last in "
	"contact through this account; there is a risk of serious harm.",
	"The account holder messaged a friend that they intend to end their life "
	"today; we need subscriber details to carry out a welfare check.",
	"Kidnapping in progress: the abductors are sending ransom demands from this "
	"account.",
	"A bomb threat against a school was sent from this account this morning.",
};

/* Subjects and bodies of generated mail in the vault. */
static const char *const SUBJECTS[] = {
	"Invoice for March", "Re: weekend plans", "Flight confirmation",
	"Meeting notes", "Fwd: contract draft", "Your order has shipped",
	"Dinner on Friday?", "Quarterly figures", "Re: apartment viewing",
	"Photos from the trip",
};
static const char *const BODIES[] = {
	"Please find the details attached. Let me know if anything is missing.",
	"Sounds good, see you at seven. I'll bring the documents.",
	"Thanks for the quick reply. I will forward this to the others.",
	"Can we move this to next week? Something came up on Thursday.",
	"Here are the numbers we discussed; the second sheet has the totals.",
};
static const char *const AGENTS[] = {
	"Firefox/128 Linux", "Chrome/126 Windows", "Safari/17 macOS",
	"StratoMail/5.2 Android", "StratoMail/5.1 iOS", "Edge/125 Windows",
};

/*
 * The first customers are made to order, so that the new requests below
 * always find the customer they are meant to exercise.
 */
enum {
	SC_US_WARRANT, SC_US_SUBPOENA, SC_US_ORDER, SC_ENTERPRISE, SC_US_EMERGENCY,
	SC_US_LOOKALIKE, SC_US_PRESERVE, SC_US_NSL, SC_GB_US_PERSON, SC_DE_CONSUMER,
	SC_US_NDO_INDEFINITE, SC_US_NDO_FIXED, SC_GB_COMITY, SC_OWN_KEYS, SC__COUNT,
	SC_WILDCARD = SC__COUNT  /* a target naming a whole domain */
};

static const struct {
	const char *country;
	int enterprise, us_person, own_keys;
	const char *data_location;
} SHOWCASE[SC__COUNT] = {
	[SC_US_WARRANT] = {"US", 0, 1, 0, "US"},
	[SC_US_SUBPOENA] = {"US", 0, 1, 0, "US"},
	[SC_US_ORDER] = {"US", 0, 1, 0, "US"},
	[SC_ENTERPRISE] = {"US", 1, 1, 0, "US"},
	[SC_US_EMERGENCY] = {"US", 0, 1, 0, "US"},
	[SC_US_LOOKALIKE] = {"US", 0, 1, 0, "US"},
	[SC_US_PRESERVE] = {"US", 0, 1, 0, "US"},
	[SC_US_NSL] = {"US", 0, 1, 0, "US"},
	[SC_GB_US_PERSON] = {"GB", 0, 1, 0, "GB"},
	[SC_DE_CONSUMER] = {"DE", 0, 0, 0, "IE"},
	[SC_US_NDO_INDEFINITE] = {"US", 0, 1, 0, "US"},
	[SC_US_NDO_FIXED] = {"US", 0, 1, 0, "US"},
	[SC_GB_COMITY] = {"GB", 0, 0, 0, "IE"},
	[SC_OWN_KEYS] = {"US", 0, 1, 1, "US"},
};

#define CAT_S CAT_BIT(CAT_SUBSCRIBER)
#define CAT_N CAT_BIT(CAT_NONCONTENT)
#define CAT_C CAT_BIT(CAT_CONTENT)

/* The kind of request each process makes (SPEC §3). */
static const enum kind PROCESS_KIND[process__COUNT] = {
	[PROC_SUBPOENA] = KIND_CRIMINAL, [PROC_COURT_ORDER] = KIND_CRIMINAL,
	[PROC_SEARCH_WARRANT] = KIND_CRIMINAL, [PROC_PEN_REGISTER] = KIND_CRIMINAL,
	[PROC_WIRETAP] = KIND_CRIMINAL, [PROC_EMERGENCY] = KIND_EMERGENCY,
	[PROC_PRESERVATION] = KIND_PRESERVATION, [PROC_NSL] = KIND_NATIONAL_SECURITY,
	[PROC_FISA_ORDER] = KIND_NATIONAL_SECURITY, [PROC_MLAT] = KIND_CRIMINAL,
	[PROC_CLOUD_ACT_ORDER] = KIND_CRIMINAL, [PROC_EU_PRODUCTION_ORDER] = KIND_CRIMINAL,
	[PROC_EU_PRESERVATION_ORDER] = KIND_PRESERVATION,
	[PROC_FOREIGN_ORDER] = KIND_CRIMINAL, [PROC_CIVIL_SUBPOENA] = KIND_CIVIL,
	[PROC_OTHER] = KIND_CRIMINAL,
};

/* Categories asked for, by process: weights of the category sets S, N, SN,
 * C, SC, NC, SNC (index = CAT_BIT set).  Content goes mostly with warrants,
 * MLATs, CLOUD Act orders and wiretaps; overreach is rare but present. */
static const unsigned CATEGORY_MIX[process__COUNT][8] = {
	[PROC_SUBPOENA] = {0, 85, 0, 10, 0, 2, 0, 3},
	[PROC_COURT_ORDER] = {0, 5, 15, 75, 0, 0, 0, 5},
	[PROC_SEARCH_WARRANT] = {0, 0, 0, 0, 25, 15, 0, 60},
	[PROC_PEN_REGISTER] = {0, 0, 100},
	[PROC_WIRETAP] = {0, 0, 0, 0, 60, 0, 40, 0},
	[PROC_EMERGENCY] = {0, 50, 0, 35, 0, 0, 0, 15},
	[PROC_PRESERVATION] = {0, 0, 0, 30, 0, 0, 0, 70},
	[PROC_NSL] = {0, 90, 0, 10},
	[PROC_FISA_ORDER] = {0, 0, 20, 30, 30, 0, 0, 20},
	[PROC_MLAT] = {0, 10, 0, 30, 0, 0, 0, 60},
	[PROC_CLOUD_ACT_ORDER] = {0, 5, 0, 15, 10, 0, 0, 70},
	[PROC_EU_PRODUCTION_ORDER] = {0, 45, 0, 30, 0, 0, 0, 25},
	[PROC_EU_PRESERVATION_ORDER] = {0, 0, 0, 30, 0, 0, 0, 70},
	[PROC_FOREIGN_ORDER] = {0, 55, 0, 30, 0, 0, 0, 15},
	[PROC_CIVIL_SUBPOENA] = {0, 70, 0, 0, 0, 30},
	[PROC_OTHER] = {0, 100},
};

/* What the scanned order of each process is called. */
static const char *const DOCUMENT_NAME[process__COUNT] = {
	[PROC_SUBPOENA] = "subpoena.pdf", [PROC_COURT_ORDER] = "court_order_2703d.pdf",
	[PROC_SEARCH_WARRANT] = "search_warrant.pdf", [PROC_PEN_REGISTER] = "pen_register_order.pdf",
	[PROC_WIRETAP] = "title_iii_order.pdf", [PROC_EMERGENCY] = "emergency_disclosure_form.pdf",
	[PROC_PRESERVATION] = "preservation_letter.pdf", [PROC_NSL] = "nsl.pdf",
	[PROC_FISA_ORDER] = "fisc_order.pdf", [PROC_MLAT] = "mlat_request.pdf",
	[PROC_CLOUD_ACT_ORDER] = "overseas_production_order.pdf",
	[PROC_EU_PRODUCTION_ORDER] = "epoc_certificate.pdf",
	[PROC_EU_PRESERVATION_ORDER] = "epoc_pr_certificate.pdf",
	[PROC_FOREIGN_ORDER] = "order.pdf", [PROC_CIVIL_SUBPOENA] = "civil_subpoena.pdf",
	[PROC_OTHER] = "request.pdf",
};

/* Of requests that reach a decision, per process: share with no data found,
 * share disclosed (the rest is rejected), and share of those asking for
 * content that got it.  Loosely after published transparency reports:
 * domestic process is mostly answered, foreign orders mostly not. */
static const struct {
	unsigned no_data, disclosed, content;
} OUTCOME_RATES[process__COUNT] = {
	[PROC_SUBPOENA] = {4, 90, 0},	    [PROC_COURT_ORDER] = {6, 68, 0},
	[PROC_SEARCH_WARRANT] = {3, 90, 95}, [PROC_PEN_REGISTER] = {2, 92, 0},
	[PROC_WIRETAP] = {0, 90, 100},	    [PROC_EMERGENCY] = {8, 72, 25},
	[PROC_NSL] = {5, 85, 0},	    [PROC_FISA_ORDER] = {2, 92, 100},
	[PROC_MLAT] = {5, 75, 85},	    [PROC_CLOUD_ACT_ORDER] = {4, 78, 90},
	[PROC_EU_PRODUCTION_ORDER] = {5, 70, 90}, [PROC_FOREIGN_ORDER] = {10, 35, 0},
	[PROC_CIVIL_SUBPOENA] = {5, 62, 0}, [PROC_OTHER] = {5, 50, 0},
};

/*
 * Nondisclosure orders that come with historical requests: for a process
 * (from a country, asking for content or not), how often, under which
 * statute, and for how long.  The first row that fits decides.
 */
struct dg_ndo {
	enum process process;
	const char *country;      /* NULL: any */
	int content;              /* -1: any; else whether content is asked */
	unsigned pct;             /* share of such requests with an NDO */
	const char *statute;
	unsigned indefinite_pct;  /* share of those without an end date */
	int days[4];              /* else one of these lengths */
};

#define US_2705B "18 U.S.C. 2705(b)"
static const struct dg_ndo NDOS[] = {
	{PROC_NSL, NULL, -1, 95, "18 U.S.C. 2709(c)", 70, {1095, 1095, 1095, 1095}},
	{PROC_FISA_ORDER, NULL, 1, 100, "50 U.S.C. 1805(c)(2)(B)", 100, {0}},
	{PROC_FISA_ORDER, NULL, 0, 100, "50 U.S.C. 1861(d)", 100, {0}},
	{PROC_SUBPOENA, "US", -1, 40, US_2705B, 15, {180, 365, 365, 730}},
	{PROC_COURT_ORDER, "US", -1, 40, US_2705B, 15, {180, 365, 365, 730}},
	{PROC_SEARCH_WARRANT, "US", -1, 45, US_2705B, 15, {180, 365, 365, 730}},
	{PROC_PEN_REGISTER, "US", -1, 60, US_2705B, 10, {180, 365, 365, 730}},
	{PROC_WIRETAP, "US", -1, 80, US_2705B, 10, {180, 365, 365, 730}},
	{PROC_CLOUD_ACT_ORDER, "GB", -1, 40,
	 "Crime (Overseas Production Orders) Act 2019, s. 8", 20, {365, 365, 365, 365}},
	{PROC_EU_PRODUCTION_ORDER, NULL, -1, 30, "Regulation (EU) 2023/1543, Art. 13", 0,
	 {180, 180, 180, 180}},
	{PROC_FOREIGN_ORDER, "DE", -1, 15, "§ 95a StPO", 0, {180, 180, 180, 180}},
};

/*
 * Who issues each process, as weights of court, prosecutor and agency (the
 * order of enum issuer_type).  European Production Orders for traffic or
 * content data come from judges, for subscriber data mostly from
 * prosecutors (EU-EPOC); a few prosecutors overreach.
 */
static const struct {
	enum process process;
	int beyond_subscriber;    /* -1: any; else whether it asks for more */
	unsigned w[3];
} ISSUERS[] = {
	{PROC_COURT_ORDER, -1, {1, 0, 0}},     {PROC_SEARCH_WARRANT, -1, {1, 0, 0}},
	{PROC_PEN_REGISTER, -1, {1, 0, 0}},    {PROC_WIRETAP, -1, {1, 0, 0}},
	{PROC_FISA_ORDER, -1, {1, 0, 0}},      {PROC_MLAT, -1, {1, 0, 0}},
	{PROC_CLOUD_ACT_ORDER, -1, {1, 0, 0}}, {PROC_CIVIL_SUBPOENA, -1, {1, 0, 0}},
	{PROC_SUBPOENA, -1, {0, 60, 40}},      {PROC_NSL, -1, {0, 0, 1}},
	{PROC_EU_PRODUCTION_ORDER, 1, {85, 15, 0}},
	{PROC_EU_PRODUCTION_ORDER, 0, {20, 80, 0}},
	{PROC_FOREIGN_ORDER, -1, {50, 40, 10}},
};

/*
 * New requests for `docket request add`, one file each, each meant to walk
 * one path of the live workflow; `purpose` says which rule it should
 * trigger (also in requests/README and docs/demo.md).  An NDO is attached
 * when `statute` is set; ndo_days 0 makes it indefinite.
 */
enum dg_signed { SIGNED_OMITTED, SIGNED_YES, SIGNED_NO };

struct dg_demo {
	const char *file;
	const char *agency;
	enum kind kind;
	enum process process;
	unsigned categories;
	int target;                    /* SC_* */
	const char *issuer;            /* issued_by.type, NULL: none */
	enum dg_signed is_signed;
	const char *statute;
	int ndo_days;
	int emergency;
	const char *requester_domain;  /* NULL: the agency's own */
	const char *requester_phone;   /* NULL: the agency's own */
	unsigned due_days;             /* 0: none */
	const char *document;
	const char *purpose;
};

static const struct dg_demo DEMOS[] = {
	{.file = "request_01_us_search_warrant.json", .agency = "us-lapd",
	 .kind = KIND_CRIMINAL, .process = PROC_SEARCH_WARRANT, .categories = CAT_S | CAT_C,
	 .target = SC_US_WARRANT, .issuer = "court", .is_signed = SIGNED_YES, .due_days = 14,
	 .document = "search_warrant.pdf",
	 .purpose = "clean US search warrant for content: review, then two approvals "
		    "and disclosure"},
	{.file = "request_02_subpoena_for_content.json", .agency = "us-nypd",
	 .kind = KIND_CRIMINAL, .process = PROC_SUBPOENA,
	 .categories = CAT_S | CAT_N | CAT_C, .target = SC_US_SUBPOENA,
	 .issuer = "prosecutor", .is_signed = SIGNED_YES, .due_days = 10,
	 .document = "subpoena.pdf",
	 .purpose = "subpoena asking for content and records: narrow to subscriber "
		    "(US-CONTENT-WARRANT, US-NONCONTENT-ORDER)"},
	{.file = "request_03_unsigned_court_order.json", .agency = "us-fbi",
	 .kind = KIND_CRIMINAL, .process = PROC_COURT_ORDER, .categories = CAT_S | CAT_N,
	 .target = SC_US_ORDER, .issuer = "court", .is_signed = SIGNED_NO, .due_days = 14,
	 .document = "court_order_2703d.pdf",
	 .purpose = "2703(d) order that is not signed: reject (GEN-UNSIGNED)"},
	{.file = "request_04_wildcard_target.json", .agency = "us-hsi",
	 .kind = KIND_CRIMINAL, .process = PROC_SEARCH_WARRANT, .categories = CAT_S | CAT_C,
	 .target = SC_WILDCARD, .issuer = "court", .is_signed = SIGNED_YES, .due_days = 14,
	 .document = "search_warrant.pdf",
	 .purpose = "warrant naming every mailbox of a domain (*@domain): reject "
		    "(GEN-TARGETS)"},
	{.file = "request_05_enterprise_target.json", .agency = "us-doj",
	 .kind = KIND_CRIMINAL, .process = PROC_SEARCH_WARRANT, .categories = CAT_S | CAT_C,
	 .target = SC_ENTERPRISE, .issuer = "court", .is_signed = SIGNED_YES,
	 .due_days = 21, .document = "search_warrant.pdf",
	 .purpose = "warrant for an employee mailbox of an enterprise customer: redirect "
		    "(GEN-ENTERPRISE)"},
	{.file = "request_06_emergency.json", .agency = "us-nypd", .kind = KIND_EMERGENCY,
	 .process = PROC_EMERGENCY, .categories = CAT_S | CAT_N, .target = SC_US_EMERGENCY,
	 .emergency = 1, .document = "emergency_disclosure_form.pdf",
	 .purpose = "emergency request with justification and supervisor: verify by "
		    "call-back (US-EMERGENCY); customer notice delayed 90 days"},
	{.file = "request_07_lookalike_requester.json", .agency = "us-lapd",
	 .kind = KIND_EMERGENCY, .process = PROC_EMERGENCY, .categories = CAT_S | CAT_N,
	 .target = SC_US_LOOKALIKE, .emergency = 1, .requester_domain = "1apd.gov",
	 .requester_phone = "+1 323 555 0142", .document = "emergency_disclosure_form.pdf",
	 .purpose = "forged-looking emergency request from 1apd.gov (agency: lapd.gov): "
		    "verify, flags lookalike_domain and unverified_requester "
		    "(GEN-REQUESTER)"},
	{.file = "request_08_preservation.json", .agency = "us-fbi",
	 .kind = KIND_PRESERVATION, .process = PROC_PRESERVATION,
	 .categories = CAT_S | CAT_N | CAT_C, .target = SC_US_PRESERVE,
	 .document = "preservation_letter.pdf",
	 .purpose = "2703(f) preservation letter: preserve; the hold expires after 90 "
		    "days (US-PRESERVATION)"},
	{.file = "request_09_nsl.json", .agency = "us-fbi-nsb",
	 .kind = KIND_NATIONAL_SECURITY, .process = PROC_NSL, .categories = CAT_S | CAT_N,
	 .target = SC_US_NSL, .issuer = "agency", .is_signed = SIGNED_YES,
	 .statute = "18 U.S.C. 2709(c)", .document = "nsl.pdf",
	 .purpose = "National Security Letter asking for more than name, address and "
		    "length of service: narrow (US-NSL); its indefinite gag is flagged "
		    "(GEN-NDO-INDEFINITE)"},
	{.file = "request_10_uk_cloud_act_us_person.json", .agency = "gb-met",
	 .kind = KIND_CRIMINAL, .process = PROC_CLOUD_ACT_ORDER,
	 .categories = CAT_S | CAT_C, .target = SC_GB_US_PERSON, .issuer = "court",
	 .is_signed = SIGNED_YES, .due_days = 7, .document = "overseas_production_order.pdf",
	 .purpose = "UK overseas production order against a US person living in the UK: "
		    "reject (INTL-CLOUD-AGREEMENT)"},
	{.file = "request_11_eu_prosecutor_content.json", .agency = "de-sta-koeln",
	 .kind = KIND_CRIMINAL, .process = PROC_EU_PRODUCTION_ORDER,
	 .categories = CAT_S | CAT_C, .target = SC_DE_CONSUMER, .issuer = "prosecutor",
	 .is_signed = SIGNED_YES, .due_days = 10, .document = "epoc_certificate.pdf",
	 .purpose = "European Production Order for content issued by a prosecutor: "
		    "content refused, subscriber data only (EU-EPOC)"},
	{.file = "request_12_indefinite_ndo.json", .agency = "us-chicago-pd",
	 .kind = KIND_CRIMINAL, .process = PROC_SUBPOENA, .categories = CAT_S,
	 .target = SC_US_NDO_INDEFINITE, .issuer = "prosecutor", .is_signed = SIGNED_YES,
	 .statute = "18 U.S.C. 2705(b)", .due_days = 14, .document = "subpoena.pdf",
	 .purpose = "subpoena with an NDO without end date: notice suppressed, flag "
		    "ndo_indefinite, challenge recommended (GEN-NDO-INDEFINITE)"},
	{.file = "request_13_ndo_fixed_date.json", .agency = "us-sfpd",
	 .kind = KIND_CRIMINAL, .process = PROC_COURT_ORDER, .categories = CAT_S | CAT_N,
	 .target = SC_US_NDO_FIXED, .issuer = "court", .is_signed = SIGNED_YES,
	 .statute = "18 U.S.C. 2705(b)", .ndo_days = 90, .due_days = 14,
	 .document = "court_order_2703d.pdf",
	 .purpose = "2703(d) order with a 90-day NDO: notice delayed, sent by "
		    "`docket tick` once the NDO has expired"},
	{.file = "request_14_comity_data_abroad.json", .agency = "us-fbi",
	 .kind = KIND_CRIMINAL, .process = PROC_SEARCH_WARRANT, .categories = CAT_S | CAT_C,
	 .target = SC_GB_COMITY, .issuer = "court", .is_signed = SIGNED_YES,
	 .due_days = 14, .document = "search_warrant.pdf",
	 .purpose = "US warrant for a UK resident who is not a US person, data stored in "
		    "Ireland: comity_review with a 14-day deadline, flags data_abroad and "
		    "gdpr_art48 (US-COMITY, US-DATA-ABROAD, EU-GDPR-48)"},
	{.file = "request_15_customer_held_keys.json", .agency = "us-usss",
	 .kind = KIND_CRIMINAL, .process = PROC_SEARCH_WARRANT, .categories = CAT_S | CAT_C,
	 .target = SC_OWN_KEYS, .issuer = "court", .is_signed = SIGNED_YES, .due_days = 14,
	 .document = "search_warrant.pdf",
	 .purpose = "warrant for content of a customer holding its own keys: flag "
		    "customer_held_keys, redirect for content (GEN-CUSTOMER-KEYS)"},
};

/* clang-format on */

#endif
