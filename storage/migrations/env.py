"""Alembic environment: runs on the engine the application hands over (no alembic.ini URL)."""

from alembic import context
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers the tables)
from storage.review import in_models

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=SQLModel.metadata, render_as_batch=True,
                      compare_type=True, include_name=in_models)
    context.run_migrations()
