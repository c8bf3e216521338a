-- Alerts to staff go before ordinary replies: the outbox is sent highest priority first
-- (2: urgent concern, 1: serious concern, 0: everything else), then in the order committed.
ALTER TABLE outbox ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
CREATE INDEX outbox_chat ON outbox (chat_id, priority DESC, id);
