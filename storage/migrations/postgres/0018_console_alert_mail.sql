-- PostgreSQL twin of ../0018_console_alert_mail.sql: which red concerns and call-backs the
-- staff console has e-mailed, so each is mailed once, across restarts.
CREATE TABLE console_alert_mail (
    kind TEXT NOT NULL CHECK (kind IN ('concern', 'call_back')),
    ref TEXT NOT NULL,
    claimed_at TEXT NOT NULL,
    sent_at TEXT,
    PRIMARY KEY (kind, ref)
);
