"""The SQLite backend the test settings use: Django's own, with a test database made once per
migration state and copied into each new in-memory test database (see ``creation``)."""
