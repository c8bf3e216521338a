"""PostgreSQL twins of the numbered migrations, applied by storage.postgres.migrate."""
