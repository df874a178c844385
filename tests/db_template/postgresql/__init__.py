"""The PostgreSQL backend the test settings use: Django's own, with each test database cloned from
a migrated template database (``CREATE DATABASE … TEMPLATE``) instead of migrated (see ``creation``)."""
