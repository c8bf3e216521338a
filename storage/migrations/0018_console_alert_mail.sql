-- E-mail alerts from the staff console (optional, EXIT_ALERT_EMAIL): which red concerns
-- and call-backs have been mailed, so each is mailed once, across restarts. A claim whose
-- mail did not go is released and tried again.
CREATE TABLE console_alert_mail (
    kind TEXT NOT NULL CHECK (kind IN ('concern', 'call_back')),
    ref TEXT NOT NULL,
    claimed_at TEXT NOT NULL,
    sent_at TEXT,
    PRIMARY KEY (kind, ref)
);
