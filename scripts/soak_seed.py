"""The soak's data: the demo programme (its ventures, checklists, scouting directory and
commissioners) plus the simulated people's accounts, in the soak's own database.

Migrating and seeding take minutes on a busy machine, so the seeded database is kept as a
``pg_dump`` archive in var/soak/ under a hash of everything that shapes it (migrations,
demo data, this file) and restored on the next run; static files likewise.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import subprocess
from importlib import import_module
from pathlib import Path

from soak_services import BASE_DIR, PG_BIN, VENV_BIN

CACHE_DIR = BASE_DIR / "var" / "soak"
PASSWORD = "soak-password"  # noqa: S105 - the soak's throwaway accounts only
SEIR_PREFIX = "soak-seir-"
COMMISSIONER = "commissioner"  # the demo commissioner (Claire Evans, BEN PCT)
DEMO_APPS = ("checklists", "scouting", "commissioning")


def _digest(patterns: list[str]) -> str:
    digest = hashlib.sha256()
    for pattern in patterns:
        for path in sorted(BASE_DIR.glob(pattern)):
            if ".venv" in path.parts or "var" in path.parts or not path.is_file():
                continue
            digest.update(str(path.relative_to(BASE_DIR)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def seed_key(people: int) -> str:
    patterns = ["*/migrations/*.py", "*/demo.py", "demo/**/*", "scripts/soak_seed.py"]
    return f"{_digest(patterns)}-{people}"


def seed(people: int) -> None:
    """Migrated database: the demo programme and ``people`` soak SEiRs (Django set up)."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from accounts.models import User
    from accounts.roles import Role
    from accounts.services import membership_add
    from demo.seeding import DemoSeeder

    with transaction.atomic():
        programme, _ = DemoSeeder(random.Random(2009)).run(ventures=0)
    with open(os.devnull, "w") as quiet:
        for label in DEMO_APPS:
            with transaction.atomic():
                import_module(f"{label}.demo").seed_demo(stdout=quiet)
    hashed = make_password(PASSWORD)  # once: hashing is slow on purpose
    with transaction.atomic():
        for number in range(1, people + 1):
            user = User.objects.create(
                username=f"{SEIR_PREFIX}{number:02d}",
                first_name="Soak",
                last_name=f"SEiR {number:02d}",
                email=f"{SEIR_PREFIX}{number:02d}@soak.invalid",
                password=hashed,
            )
            membership_add(programme=programme, user=user, role=Role.SEIR)
        User.objects.filter(username=COMMISSIONER).update(password=hashed)


def prepare_database(url: str, people: int, env: dict, log) -> str:
    """Migrate and seed, or restore the kept archive. Returns how ("restored"/"seeded")."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    archive = CACHE_DIR / f"seed-{seed_key(people)}.dump"
    if archive.exists():
        subprocess.run(  # noqa: S603
            [str(PG_BIN / "pg_restore"), "--no-owner", "-d", url, str(archive)],
            check=True, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        return "restored"
    python = str(VENV_BIN / "python")
    subprocess.run(  # noqa: S603
        [python, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=BASE_DIR, env=env, check=True, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    code = (
        "import sys, django; sys.path.insert(0, 'scripts'); django.setup(); "
        f"import soak_seed; soak_seed.seed({people})"
    )
    subprocess.run(  # noqa: S603
        [python, "-c", code], cwd=BASE_DIR, env=env, check=True, stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    partial = archive.with_suffix(".partial")
    subprocess.run(  # noqa: S603
        [str(PG_BIN / "pg_dump"), "-Fc", "-f", str(partial), url],
        check=True, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    for old in CACHE_DIR.glob("seed-*.dump"):
        old.unlink()
    partial.rename(archive)
    return "seeded"


def prepare_static(var_dir: Path, env: dict, log) -> None:
    """Collected static files (production's manifest storage needs them), kept in
    var/soak/ under a hash of static/, linked into the soak's var directory."""
    kept = CACHE_DIR / f"static-{_digest(['static/**/*'])}"
    if not (kept / "staticfiles" / "staticfiles.json").exists():
        shutil.rmtree(kept, ignore_errors=True)
        subprocess.run(  # noqa: S603
            [str(VENV_BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=BASE_DIR, env={**env, "SEIR_VAR_DIR": str(kept)}, check=True, stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        for old in CACHE_DIR.glob("static-*"):
            if old != kept:
                shutil.rmtree(old, ignore_errors=True)
    var_dir.mkdir(parents=True, exist_ok=True)
    (var_dir / "staticfiles").symlink_to(kept / "staticfiles")
