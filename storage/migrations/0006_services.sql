-- The homes and fostering services a deployment knows. Invitations and staff are checked
-- against this list, so a typo in a home's name cannot leave its staff out of the alerts.
-- Homes already named by interviews or staff are added as they are.
CREATE TABLE services (
    name TEXT PRIMARY KEY,
    added_at TEXT NOT NULL,
    removed_at TEXT
);
INSERT OR IGNORE INTO services (name, added_at)
    SELECT DISTINCT service, updated_at FROM interviews WHERE service IS NOT NULL;
INSERT OR IGNORE INTO services (name, added_at)
    SELECT DISTINCT v.service, s.added_at FROM staff_services v JOIN staff s ON s.user_id = v.user_id;
