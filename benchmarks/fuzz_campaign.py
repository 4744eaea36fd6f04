"""The long fuzz campaign over every reader of outside data (issue #15).

    python benchmarks/fuzz_campaign.py [--cases 20000] [--target NAME ...] [--seed 1] [--keep]

For each target of ``tests/fuzz/target_*.py`` it mutates the target's seeds ``--cases``
times and prints cases, clean results (accepted or a project error), crashes (any other
exception, or a multi-line message) and slow calls (over the target's bound). ``--keep``
saves each crashing input into ``tests/fuzz/corpus/<target>/`` so the suite replays it.
Nothing here touches the network.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fuzz.harness import all_targets, keep, mutate, run_case
from vendorrisk.warnpolicy import hide_foreign_warnings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--target", action="append", default=[])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    hide_foreign_warnings()
    targets = [t for t in all_targets() if not args.target or t.name in args.target]
    print(f"{'reader':32} {'cases':>7} {'clean':>7} {'crashes':>7} {'slow':>5} "
          f"{'max s':>6} {'total s':>8}")
    failed = 0
    for target in targets:
        rnd = random.Random(f"{args.seed}:{target.name}")
        seeds = list(target.seeds())
        counts: Counter[str] = Counter()
        kinds: Counter[str] = Counter()
        worst = 0.0
        began = time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp:
            for case in range(args.cases):
                data = seeds[case % len(seeds)]
                for _ in range(rnd.randint(1, 3)):
                    data = mutate(target, data, rnd)
                outcome = run_case(target, data, Path(tmp) / str(case % 8))
                counts[outcome.kind] += 1
                worst = max(worst, outcome.seconds)
                if outcome.kind in ("crash", "slow"):
                    kinds[type(outcome.error).__name__ if outcome.error else "slow"] += 1
                    if args.keep:
                        keep(target, data)
        clean = counts["ok"] + counts["clean"]
        print(f"{target.name:32} {args.cases:7d} {clean:7d} {counts['crash']:7d} "
              f"{counts['slow']:5d} {worst:6.2f} {time.perf_counter() - began:8.1f}"
              + (f"  {dict(kinds)}" if kinds else ""), flush=True)
        failed += counts["crash"] + counts["slow"]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
