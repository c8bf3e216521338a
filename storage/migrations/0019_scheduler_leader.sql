-- Which worker runs the scheduled work (re-alerts, reminders, digests, the purge), and
-- until when its lease holds. One row; a worker claims it when the lease has run out or
-- when it is already the leader, and renews it every few seconds. No row: nobody has led yet
-- (the first claim adds it, so a new database stays empty for `store copy`).
CREATE TABLE scheduler_leader (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    leader_id TEXT NOT NULL,
    lease_until TEXT NOT NULL,
    renewed_at TEXT NOT NULL
);
