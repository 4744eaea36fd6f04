#!/usr/bin/env bash
# Run every test from a fresh clone: installs the OS packages the labs need (BIND 9, PostgreSQL,
# tmux) when missing, makes .venv with the locked packages of requirements/test.txt (hash-checked),
# installs vendorrisk into it, checks ruff and mypy, runs pytest.
#   bash tests/run.sh tests/unit -x     extra arguments go to pytest
#   bash tests/run.sh --latest ...      the same, in .venv-latest with the newest releases instead of
#                                       the lock: shows what a bump would break (requirements/lock.sh bumps)
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv
latest=0
if [ "${1:-}" = "--latest" ]; then
    latest=1
    venv=.venv-latest
    shift
fi

need=()
command -v named >/dev/null 2>&1 || [ -x /usr/sbin/named ] || need+=(bind9)
command -v dnssec-signzone >/dev/null 2>&1 || need+=(bind9-utils)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v tmux >/dev/null 2>&1 || need+=(tmux)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || need+=(python3-venv python3-pip)
if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "tests/run.sh: missing OS packages: ${need[*]} (run as root, or install them)" >&2
        exit 1
    fi
    echo "tests/run.sh: installing ${need[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    echo "tests/run.sh: Python 3.11 or newer is needed" >&2; exit 1; }
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
pip=("$venv/bin/python" -m pip install -q --disable-pip-version-check)
if [ "$latest" -eq 1 ]; then
    "${pip[@]}" --upgrade --upgrade-strategy eager -e '.[test]'
else
    "${pip[@]}" --require-hashes -r requirements/test.txt
    "${pip[@]}" --no-deps --no-build-isolation -e .
fi

"$venv/bin/ruff" check vendorrisk tests benchmarks
"$venv/bin/mypy" vendorrisk
"$venv/bin/python" -m pytest "$@"
