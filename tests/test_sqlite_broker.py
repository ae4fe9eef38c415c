"""The serverless SQLite broker writes without an fsync per message (write-ahead log,
synchronous NORMAL): a page that sends a task after its commit (the outbox) pays about a
millisecond for it, not the ~30 ms a synced commit costs (issue 18's speed budget)."""

import sqlite3

from kombu import Connection

import seir.celery  # noqa: F401 - installs the SQLite pragmas for SQLAlchemy engines


def test_the_sqlite_broker_file_uses_a_write_ahead_log(tmp_path):
    path = tmp_path / "broker.sqlite3"

    # when a message is published through kombu's SQLAlchemy transport
    with Connection(f"sqla+sqlite:///{path}") as connection:
        queue = connection.SimpleQueue("test-wal")
        queue.put({"n": 1})
        # then the connection it used writes without syncing every commit
        engine = next(iter(connection.default_channel._engines.values()))[0]
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        queue.close()

    # and the file is in WAL mode for every process that opens it
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
