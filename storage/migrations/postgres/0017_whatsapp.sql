-- PostgreSQL twin of ../0017_whatsapp.sql: chats reached at a phone number (the number
-- sealed and kept as a keyed hash), and what the channel said became of each message.
CREATE TABLE phone_chats (
    chat_id BIGINT PRIMARY KEY,
    address_hash TEXT NOT NULL UNIQUE,
    address BYTEA NOT NULL,
    created_at TEXT NOT NULL,
    last_inbound_at TEXT,
    template_sent_at TEXT
);

CREATE TABLE delivery_receipts (
    provider_id TEXT PRIMARY KEY,
    chat_id BIGINT NOT NULL,
    outbox_id BIGINT,
    interview_id TEXT,
    status TEXT NOT NULL,
    rank BIGINT NOT NULL,
    accepted_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    failure TEXT
);
CREATE INDEX delivery_receipts_interview ON delivery_receipts (interview_id);
CREATE INDEX delivery_receipts_outbox ON delivery_receipts (outbox_id);
