"""Per-field accuracy of the registration prober on the corpus of real registry answers.

Every answer in ``tests/fixtures/registration/corpus/manifest.yaml`` goes through the real
``RegistrationProber`` with only the transport replaced (see that directory's README).

Run: ``.venv/bin/python benchmarks/registration_corpus.py [--misses FIELD ...]``
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fixtures.registration.corpus.harness import (  # noqa: E402
    FIELDS,
    load_manifest,
    misses,
    run_corpus,
    table,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", nargs="*", default=None, metavar="FIELD",
                        help="list the misses of these fields (all when none given)")
    args = parser.parse_args(argv)
    answers = load_manifest()
    started = time.perf_counter()
    scored = run_corpus(answers)
    elapsed = time.perf_counter() - started
    kinds = {a.kind for a in answers}
    tlds = {a.tld for a in answers}
    print(f"{len(answers)} answers ({', '.join(sorted(kinds))}), {len(tlds)} TLDs, "
          f"{elapsed:.1f} s\n")
    print(table(scored))
    for kind in sorted(kinds):
        part = [x for x in scored if x.answer.kind == kind]
        print(f"\n{kind} only ({len(part)} answers)\n{table(part)}")
    if args.misses is not None:
        for name in args.misses or [*FIELDS, "negative"]:
            found = misses(scored, name)
            if found:
                print(f"\n{name} misses ({len(found)}):")
                print("\n".join(f"  {line}" for line in found))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
