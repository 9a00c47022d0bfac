"""Alembic migrations, shipped inside the package so that `merkwacht init` works anywhere."""
