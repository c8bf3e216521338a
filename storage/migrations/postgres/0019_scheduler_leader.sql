-- PostgreSQL twin of ../0019_scheduler_leader.sql: which worker runs the scheduled work
-- and until when its lease holds, claimed under a transaction-level advisory lock.
CREATE TABLE scheduler_leader (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    leader_id TEXT NOT NULL,
    lease_until TEXT NOT NULL,
    renewed_at TEXT NOT NULL
);
