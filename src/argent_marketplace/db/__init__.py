"""The database: one SQLAlchemy metadata, engines for SQLite and PostgreSQL, migrations."""
