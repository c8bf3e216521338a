-- Every version of a flow that an interview has started on, by the hash interviews record,
-- so an interview in progress keeps running on its own version after the file changes.
CREATE TABLE flow_versions (
    version TEXT PRIMARY KEY,
    flow_id TEXT NOT NULL,
    source TEXT NOT NULL,
    stored_at TEXT NOT NULL
);
