-- Customer notices and nondisclosure orders (SPEC §5, invariant I6).
--
-- A notice is delivered by `docket tick` in three units of work: claim
-- (state 'sending' with a random claim token), deliver outside any
-- transaction, then record 'sent' or 'failed'.  See docs/notices.md.
ALTER TABLE notice ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE notice ADD COLUMN delay_reason TEXT;     -- 'ndo', 'ndo_indefinite', 'emergency'
ALTER TABLE notice ADD COLUMN claim TEXT;            -- token of the delivery in progress
ALTER TABLE notice ADD COLUMN claimed_at INTEGER;
ALTER TABLE notice ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;   -- explicit resends
ALTER TABLE notice ADD COLUMN message_id TEXT;       -- Message-ID of the last attempt
ALTER TABLE notice ADD COLUMN body TEXT;             -- plain text of the last attempt
ALTER TABLE notice ADD COLUMN log_index INTEGER;     -- log entry of the last delivery
CREATE INDEX notice_request ON notice(request_id);
CREATE INDEX notice_retry ON notice(state, next_try_at);

ALTER TABLE ndo ADD COLUMN lift_reason TEXT;
ALTER TABLE ndo ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ndo ADD COLUMN review_at INTEGER;        -- NSL gag review (US-NSL)
ALTER TABLE ndo ADD COLUMN reminded_at INTEGER;      -- when tick raised the review
CREATE INDEX ndo_review ON ndo(review_at) WHERE lifted_at IS NULL AND reminded_at IS NULL;
