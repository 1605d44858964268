DROP INDEX outbox_unsequenced;
DROP INDEX outbox_seq;
ALTER TABLE outbox DROP COLUMN seq;
