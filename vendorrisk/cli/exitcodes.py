"""Exit codes: a contract for scripts and cron jobs."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    INTERNAL = 1
    BAD_INPUT = 2
    STORAGE = 3
    NETWORK = 4
    INCOMPLETE = 5
    THRESHOLD = 6
    INTEGRITY = 7


MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: "success (a probe that completed exits 0 whatever it found)",
    ExitCode.INTERNAL: "unexpected error (a bug; please report it)",
    ExitCode.BAD_INPUT: "bad input or usage: invalid name, date, enum, reference, file or config",
    ExitCode.STORAGE: "database unreachable, locked, or at an unknown schema version",
    ExitCode.NETWORK: "a network resource the command needs could not be reached",
    ExitCode.INCOMPLETE: "some probes could not finish (stored as incomplete)",
    ExitCode.THRESHOLD: "a change or finding reached the --fail-on level",
    ExitCode.INTEGRITY: "the audit chain or an evidence pack does not verify",
}

EXIT_CODES_HELP = "\n".join(f"{code.value}  {text}" for code, text in MEANINGS.items())
