-- Chats reached at a phone number through a business messaging service (WhatsApp). The
-- number is personal data: it is kept sealed (to send to it) and, to find the chat when the
-- person writes, as a keyed hash whose key is itself sealed in meta. The chat id is random,
-- so nothing else in the database points back to the number. last_inbound_at is when the
-- person last wrote: the service lets a business write freely only for a day after that.
CREATE TABLE phone_chats (
    chat_id INTEGER PRIMARY KEY,
    address_hash TEXT NOT NULL UNIQUE,
    address BLOB NOT NULL,
    created_at TEXT NOT NULL,
    last_inbound_at TEXT,
    template_sent_at TEXT
);

-- What the channel said became of each message it accepted (sent, delivered, read, failed),
-- by the channel's own id for it; rank keeps a late "delivered" from undoing a "read".
CREATE TABLE delivery_receipts (
    provider_id TEXT PRIMARY KEY,
    chat_id INTEGER NOT NULL,
    outbox_id INTEGER,
    interview_id TEXT,
    status TEXT NOT NULL,
    rank INTEGER NOT NULL,
    accepted_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    failure TEXT
);
CREATE INDEX delivery_receipts_interview ON delivery_receipts (interview_id);
CREATE INDEX delivery_receipts_outbox ON delivery_receipts (outbox_id);
