-- Event ids are given by the relay in the order it publishes (`seq`), not by the
-- insert (`id`): concurrent transactions commit their outbox rows out of id order,
-- and numbering at publish time lets them commit in parallel while clients still
-- resume from a gap-free, in-order sequence. Rows written before this migration
-- committed in id order (an advisory lock serialised them), so their id is their seq.
ALTER TABLE outbox ADD COLUMN seq BIGINT;
UPDATE outbox SET seq = id;
CREATE UNIQUE INDEX outbox_seq ON outbox (seq);
CREATE INDEX outbox_unsequenced ON outbox (id) WHERE seq IS NULL;
