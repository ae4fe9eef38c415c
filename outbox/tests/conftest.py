"""A consumer the outbox tests own, registered only while a test runs."""

import pytest

from outbox import registry

TOPIC = "test.outbox.recorded"


class Runs(list):
    """Payloads the consumer ran with, in order; while ``fail`` holds exceptions, each
    run raises the next one instead."""

    def __init__(self):
        super().__init__()
        self.fail: list[BaseException] = []


@pytest.fixture
def consumed(monkeypatch) -> Runs:
    runs = Runs()

    def consume(payload: dict) -> None:
        if runs.fail:
            raise runs.fail.pop(0)
        runs.append(payload)

    monkeypatch.setitem(registry._consumers, TOPIC, consume)
    return runs
