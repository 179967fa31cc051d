-- The law on every path (issue 12; docs/policy.md, docs/workflow.md).
--   request.extraordinary  the written "extraordinary circumstances"
--                          justification that overrides a GEN-ENTERPRISE
--                          redirect (SPEC §4, I5), shown to the approvers;
--   request.voided_at      set by `request void` (entered in error): the
--                          request leaves every report (SPEC §3);
--   request_target.decision  a per-target decision (SPEC §4): NULL follows
--                          the request, 'redirect' or 'reject' leaves the
--                          target out of production with its own outcome;
--   deadline.near_at / missed_at  when tick raised the "near" and the
--                          "missed" reminder (0: not yet), once each
--                          (SPEC §5 "Reminders").
ALTER TABLE request ADD COLUMN extraordinary TEXT;
ALTER TABLE request ADD COLUMN voided_at INTEGER;
ALTER TABLE request_target ADD COLUMN decision TEXT;
ALTER TABLE deadline ADD COLUMN near_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deadline ADD COLUMN missed_at INTEGER NOT NULL DEFAULT 0;
