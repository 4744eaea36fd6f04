#!/usr/bin/env bash
# Refresh requirements/test.txt, the locked set of every package the tests run on (vendorrisk's
# dependencies, the test extras and the build backend), with the newest releases pyproject.toml
# allows, and requirements/constraints.txt, the same pins without hashes for a user's install.
# A bump is a deliberate step: run this, then `bash tests/run.sh`, then commit all three.
# `bash tests/run.sh --latest` shows what the newest releases would break without changing the lock.
set -euo pipefail
cd "$(dirname "$0")/.."
UV_VERSION=0.13.9
tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
python3 -m venv "$tools"
"$tools/bin/python" -m pip install -q --disable-pip-version-check "uv==$UV_VERSION"
"$tools/bin/uv" pip compile pyproject.toml --extra test \
    --universal --python-version 3.11 --generate-hashes --quiet \
    --custom-compile-command "bash requirements/lock.sh" \
    --output-file requirements/test.txt
{
    echo "# The pins of requirements/test.txt without hashes, for installing vendorrisk itself:"
    echo "#    pip install -c requirements/constraints.txt -e .      (made by requirements/lock.sh)"
    sed -n 's/^\([A-Za-z0-9][^ ]*==[^ ]*\)\( ; [^\\]*[^ \\]\)\{0,1\} *\\\{0,1\}$/\1\2/p' requirements/test.txt
} > requirements/constraints.txt
echo "requirements/lock.sh: wrote requirements/test.txt and requirements/constraints.txt" >&2
