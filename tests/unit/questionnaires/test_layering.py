"""The questionnaire layer stays pure: importing it loads no database, services or UI code."""

from __future__ import annotations

import subprocess
import sys


def test_import_loads_no_forbidden_modules() -> None:
    code = (
        "import sys, vendorrisk.questionnaires, vendorrisk.compliance.clauses, "
        "vendorrisk.compliance.certifications, vendorrisk.compliance.checklist, "
        "vendorrisk.io.questionnaire_xlsx\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'textual') "
        "or m.startswith(('vendorrisk.store.models', 'vendorrisk.services', 'vendorrisk.tui'))]\n"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
