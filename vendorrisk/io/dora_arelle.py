"""Optional second check of a DORA package by Arelle, the reference XBRL processor, against the
EBA taxonomy package (``--taxonomy FILE``, e.g. ``taxo_package_4.0_errata5.zip``).

Arelle (``arelle-release``) is not one of vendorrisk's locked dependencies: it is found by an
import check and run as its own process (``python -m arelle.CntlrCmdLine``), so its many
dependencies and its logging never enter vendorrisk's. The EBA publishes the taxonomy; no
package registry carries it, so it is always a file the user names.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

from vendorrisk.errors import InputError

TIMEOUT_SECONDS = 900
_FAILED = ("ERROR", "CRITICAL")


def available() -> bool:
    return importlib.util.find_spec("arelle") is not None


def command(package: Path, taxonomy: Path) -> list[str]:
    """Load the xBRL-CSV report package with the taxonomy package and validate it, offline:
    the taxonomy package holds every file ``report.json`` extends. Arelle exits 0 even when
    it reports errors; :func:`validate` reads its log."""
    return [sys.executable, "-m", "arelle.CntlrCmdLine", "--file", str(package),
            "--packages", str(taxonomy), "--plugins", "loadFromOIM", "--validate",
            "--internetConnectivity", "offline", "--logLevel", "warning",
            "--logFormat", "%(levelname)s [%(messageCode)s] %(message)s"]


def check(taxonomy: Path) -> None:
    """Refuse at once (before anything is built) when the Arelle check cannot run."""
    if not taxonomy.is_file():
        raise InputError(f"--taxonomy {taxonomy}: no such file",
                         "name the EBA taxonomy package ZIP (taxo_package_4.0_errata5.zip)")
    if not available():
        raise InputError("--taxonomy needs Arelle, which is not installed",
                         "pip install arelle-release into vendorrisk's environment, or "
                         "leave out --taxonomy (vendorrisk's own blocking-rule check runs "
                         "on every export)")


def validate(package: Path, taxonomy: Path) -> list[str]:
    """Arelle's errors for ``package`` (empty: it passed), one line each."""
    check(taxonomy)
    try:
        done = subprocess.run(command(package, taxonomy), capture_output=True, text=True,
                              timeout=TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired as exc:
        raise InputError(f"Arelle did not finish within {TIMEOUT_SECONDS} s") from exc
    lines = (done.stdout + "\n" + done.stderr).splitlines()
    errors = [f"Arelle: {line.strip()}" for line in lines if line.startswith(_FAILED)]
    if done.returncode != 0 and not errors:
        tail = "; ".join(line.strip() for line in lines[-3:] if line.strip())
        errors.append(f"Arelle: exit status {done.returncode}: {tail or 'no output'}")
    return errors
