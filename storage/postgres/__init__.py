"""PostgreSQL as a second store: a connection that speaks to the storage modules as
aiosqlite does, its migrations, and the pool. Chosen when EXIT_DATABASE is postgresql://."""
