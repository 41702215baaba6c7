"""Alembic environment: the URL comes from the caller's Config (Store.upgrade) or BANZU_* settings."""

from alembic import context
from sqlalchemy import engine_from_config, pool

import pipeline.store  # noqa: F401  (imports every table module onto Base)
from core.settings import get_settings
from pipeline.store.tables import Base

config = context.config
url = config.get_main_option("sqlalchemy.url") or get_settings().db_url
connection = config.attributes.get("connection")


def _run(conn) -> None:
    context.configure(connection=conn, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    context.configure(url=url, target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
elif connection is not None:
    _run(connection)
else:
    engine = engine_from_config({"sqlalchemy.url": url}, prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as conn:
        _run(conn)
