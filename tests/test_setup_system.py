"""Issue 6, item 7: one script installs the system packages `make test`, `make run` and CI
need, or says exactly how. Runs offline: apt-get is never really called here."""

import os
import shutil
import subprocess
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SCRIPT = ROOT / "scripts" / "setup-system.sh"
MISSING = "seir-test-no-such-package"


def _run(*groups, **env):
    return subprocess.run(
        [str(SCRIPT), *groups],
        env={**os.environ, "SETUP_SYSTEM_APT_GET": "echo apt-get", **env},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_cannot_install_prints_the_exact_command_and_fails():
    result = _run("run", SETUP_SYSTEM_EXTRA=f"{MISSING} coreutils", SETUP_SYSTEM_CAN_INSTALL="no")

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"Missing system packages: {MISSING}",
        "Install them (as root) with:",
        f"  sudo apt-get update && sudo apt-get install -y --no-install-recommends {MISSING}",
    ]


def test_an_unprivileged_user_without_sudo_gets_the_command():
    # As root (CI), really drop to an unprivileged user; otherwise the suite already is one.
    prefix = ["runuser", "-u", "nobody", "--"] if os.geteuid() == 0 else []
    has_sudo = (
        not prefix
        and shutil.which("sudo") is not None
        and subprocess.run(["sudo", "-n", "true"], capture_output=True, check=False).returncode == 0
    )

    result = subprocess.run(
        [
            *prefix,
            "env",
            f"SETUP_SYSTEM_EXTRA={MISSING}",
            "SETUP_SYSTEM_APT_GET=echo apt-get",
            str(SCRIPT),
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )

    if has_sudo:  # passwordless sudo counts as able to install
        assert result.returncode == 0
        assert f"--no-install-recommends {MISSING}" in result.stdout
    else:
        assert result.returncode == 1
        assert f"sudo apt-get install -y --no-install-recommends {MISSING}" in result.stderr


def test_can_install_runs_apt_get_for_the_missing_packages_only():
    result = _run(
        "run",
        SETUP_SYSTEM_EXTRA=f"coreutils {MISSING}",
        SETUP_SYSTEM_CAN_INSTALL="yes",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"Installing system packages: {MISSING}",
        "apt-get update -qq",
        f"apt-get install -y -qq --no-install-recommends {MISSING}",
    ]


def test_nothing_missing_does_nothing():
    result = _run("run", SETUP_SYSTEM_EXTRA="coreutils bash")

    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_test_group_checks_chromium_at_chromium_path(tmp_path):
    result = _run(
        "test", CHROMIUM_PATH=str(tmp_path / "no-chromium"), SETUP_SYSTEM_CAN_INSTALL="no"
    )

    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == "Missing system packages: chromium"


def test_unknown_group_is_refused():
    result = _run("everything")

    assert result.returncode == 2
    assert "unknown group 'everything'" in result.stderr


def test_make_and_ci_use_the_script():
    makefile = (ROOT / "Makefile").read_text()
    ci = (ROOT / ".ci" / "run").read_text()

    assert "scripts/setup-system.sh run test\n" in makefile
    assert "scripts/setup-system.sh run\n" in makefile
    assert "scripts/setup-system.sh run test ci\n" in ci
    assert "apt-get" not in ci
