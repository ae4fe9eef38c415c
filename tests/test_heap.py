"""The serving process settles its heap at start (seir.heap, docs/performance.md §18)."""

import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

PROBE = """
import gc, json, sys
before = gc.get_freeze_count()
import seir.wsgi
from django.urls import get_resolver
print(json.dumps({
    "before": before,
    "frozen": gc.get_freeze_count(),
    "threshold": gc.get_threshold(),
    "views_loaded": "ventures.views.listing" in sys.modules,
    "patterns_loaded": "url_patterns" in get_resolver().__dict__,
}))
"""


def test_a_serving_process_freezes_its_startup_heap_with_the_views_loaded():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "seir.settings.test"}
    result = subprocess.run(  # noqa: S603 - our own interpreter and probe
        [sys.executable, "-c", PROBE],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    seen = json.loads(result.stdout.strip().splitlines()[-1])

    assert seen["before"] == 0
    # Django, the URL patterns and every view module: well over 50,000 objects.
    assert seen["frozen"] > 50_000
    assert seen["views_loaded"] is True
    assert seen["patterns_loaded"] is True
    assert seen["threshold"][0] == 5000
