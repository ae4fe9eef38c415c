#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the project needs, only those that are missing.
#
#   scripts/setup-system.sh [GROUP...]     GROUP: run (default), test, ci, bench
#
# `make run` asks for "run", `make test` for "run test", `make bench` for "run bench",
# .ci/run for "run test ci".
# As root, or with passwordless sudo, it runs apt-get update + install; otherwise it
# prints the exact command to run and exits 1. Add a package to a group below as
# "package|check", where check is a shell test that succeeds when it is already there
# (leave the check out to ask dpkg whether the package is installed).
#
# Environment (for tests and unusual machines):
#   SETUP_SYSTEM_EXTRA="pkg ..."   also require these packages (checked with dpkg)
#   SETUP_SYSTEM_CAN_INSTALL=no    behave as if neither root nor passwordless sudo
#   SETUP_SYSTEM_CAN_INSTALL=yes   call apt-get directly without checking (tests)
#   SETUP_SYSTEM_APT_GET=cmd       the apt-get to call (default: apt-get)
set -euo pipefail

cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}

RUN_PACKAGES=(
    "python3-venv|[ -x .venv/bin/python ] || $PYTHON -c 'import ensurepip, venv'"
    # python-magic checks uploads by content with libmagic.
    # grep reads all its input (no -q): with pipefail, -q exiting early can kill
    # ldconfig with SIGPIPE and report a present library as missing.
    "libmagic1|/sbin/ldconfig -p | grep 'libmagic\\.so\\.1' >/dev/null"
    # WeasyPrint (business plan PDFs) loads Pango, HarfBuzz and fontconfig; the PDF
    # stylesheet uses DejaVu fonts.
    "libpango-1.0-0"
    "libpangoft2-1.0-0"
    "libharfbuzz0b"
    "libharfbuzz-subset0"
    "libfontconfig1"
    "fonts-dejavu-core"
)
TEST_PACKAGES=(
    "chromium|[ -x '$CHROMIUM' ]"
    # pdftotext reads the target report's PDF back in the tests.
    "poppler-utils|command -v pdftotext >/dev/null"
)
# make bench: the wrk load generator.
BENCH_PACKAGES=(
    "wrk|command -v wrk >/dev/null"
)
# CI runs its own PostgreSQL and Redis (and their clients).
CI_PACKAGES=(
    "postgresql-client|command -v pg_isready >/dev/null"
    "redis-tools|command -v redis-cli >/dev/null"
    "postgresql|[ -d /etc/postgresql ]"
    "redis-server|command -v redis-server >/dev/null"
)

installed() { # installed PACKAGE [CHECK]
    if [ -n "${2:-}" ]; then
        (eval "$2") >/dev/null 2>&1
    else
        dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep 'ok installed' >/dev/null
    fi
}

[ $# -gt 0 ] || set -- run
SPECS=()
for group in "$@"; do
    case $group in
        run) SPECS+=("${RUN_PACKAGES[@]}") ;;
        test) SPECS+=("${TEST_PACKAGES[@]}") ;;
        ci) SPECS+=("${CI_PACKAGES[@]}") ;;
        bench) SPECS+=("${BENCH_PACKAGES[@]}") ;;
        *) echo "setup-system: unknown group '$group' (run, test, ci, bench)" >&2; exit 2 ;;
    esac
done
for package in ${SETUP_SYSTEM_EXTRA:-}; do SPECS+=("$package"); done

MISSING=()
for spec in "${SPECS[@]}"; do
    package=${spec%%|*}
    check=""
    [ "$spec" = "$package" ] || check=${spec#*|}
    installed "$package" "$check" || MISSING+=("$package")
done
if [ ${#MISSING[@]} -eq 0 ]; then
    exit 0
fi

APT_GET=${SETUP_SYSTEM_APT_GET:-apt-get}
if [ "${SETUP_SYSTEM_CAN_INSTALL:-}" = no ]; then
    SUDO=none
elif [ "${SETUP_SYSTEM_CAN_INSTALL:-}" = yes ] || [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    SUDO="sudo"
else
    SUDO=none
fi

if [ "$SUDO" = none ]; then
    {
        echo "Missing system packages: ${MISSING[*]}"
        echo "Install them (as root) with:"
        echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${MISSING[*]}"
    } >&2
    exit 1
fi

echo "Installing system packages: ${MISSING[*]}"
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086 # SUDO and APT_GET may be empty or a command with arguments
$SUDO $APT_GET update -qq
# shellcheck disable=SC2086
$SUDO $APT_GET install -y -qq --no-install-recommends "${MISSING[@]}"
