"""Benchmark: recompute every score for 10,000 domains, 300 vendors and 200 clients.

Each client uses a pool of 3 registrars and 5 DNS providers (as MSP clients do); about one
contract in ten is MSP-wide.

Run: ``.venv/bin/python benchmarks/scoring.py [--domains N --vendors N --clients N]``.
Target: under 3 s on the project's 2-core machine. Prints the best of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta

from vendorrisk.findings.codes import CATALOG, Severity, SubjectKind
from vendorrisk.findings.evaluate import evaluate_inventory, recorded
from vendorrisk.findings.rules.inventory import load_inventory_rules
from vendorrisk.portfolio.facts import (
    AnswerFacts,
    CertFacts,
    ClientFacts,
    ContractFacts,
    DomainFacts,
    PortfolioFacts,
    ProviderFacts,
    RecordedFinding,
    RiskyAnswer,
    VendorFacts,
)
from vendorrisk.scoring import compute_all, load_weights

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
KINDS = ("dns_provider", "registrar", "msp", "dns_security", "dynamic_dns")
REGIMES = ("gdpr", "dora", "nis2", "hipaa", "pci", "soc2")
COUNTRIES = ("DE", "FR", "IE", "NL", "US", "GB", "SE", "CH", "SG")
RULES = load_inventory_rules()
CLAUSES = tuple(sorted({r.id for rules in RULES.clauses.regimes.values() for r in rules}))
CONDITIONS = ("personal_data", "ephi", "account_data")
DOMAIN_CODES = [c for c, s in CATALOG.items() if s.subject is SubjectKind.DOMAIN]


def _flag(rng: random.Random) -> bool | None:
    return rng.choice((True, False, None))


def generate(n_domains: int, n_vendors: int, n_clients: int, seed: int = 7) -> PortfolioFacts:
    rng = random.Random(seed)
    providers = [ProviderFacts(f"cat{i}", _flag(rng), _flag(rng), _flag(rng), _flag(rng),
                               _flag(rng), _flag(rng)) for i in range(40)]
    vendors = [VendorFacts(f"v{i}", f"Vendor {i}", KINDS[i % 2] if i < 250 else rng.choice(KINDS),
                           rng.randint(1, 3), f"cat{i % 40}",
                           frozenset(rng.sample(COUNTRIES, rng.randint(1, 3)))
                           if rng.random() < 0.8 else None)
               for i in range(n_vendors)]
    registrars = [v.key for v in vendors if v.kind == "registrar"]
    dns = [v.key for v in vendors if v.kind == "dns_provider"]
    clients = [ClientFacts(f"c{i}", frozenset(rng.sample(REGIMES, rng.randint(0, 3))),
                           rng.choice(("EU", None, "DE,FR"))) for i in range(n_clients)]
    pools = [(rng.sample(registrars, 3), rng.sample(dns, 5)) for _ in clients]
    domains = []
    for i in range(n_domains):
        regs, dnss = pools[i % n_clients]
        ops = tuple(rng.sample(dnss, rng.choice((1, 1, 2))))
        findings = tuple(
            RecordedFinding(code, CATALOG[code].severity,
                            rng.choice(("open", "open", "accepted", "resolved")),
                            NOW + timedelta(days=rng.randint(-30, 90)))
            for code in rng.sample(DOMAIN_CODES, rng.randint(0, 4)))
        domains.append(DomainFacts(f"d{i}.example", f"c{i % n_clients}", rng.choice(regs),
                                   ops, tuple(f"cat{int(o[1:]) % 40}" for o in ops),
                                   rng.random() < 0.1, rng.random() < 0.9, _flag(rng),
                                   _flag(rng), findings))
    contracts = []
    for i in range(n_clients * 6):
        start = date(2023, 1, 1) + timedelta(days=rng.randint(0, 1000))
        regs, dnss = pools[i % n_clients]
        contracts.append(ContractFacts(
            f"K{i}", rng.choice(regs + dnss), f"c{i % n_clients}" if i % 10 else None, start,
            start + timedelta(days=365 * rng.randint(1, 3)), _flag(rng), 12,
            rng.choice((30, 60, 90, 180, None)), _flag(rng), rng.choice((0, 30, 90, None)),
            _flag(rng), _flag(rng), _flag(rng), rng.random() < 0.3,
            frozenset(rng.sample(CLAUSES, rng.randint(0, len(CLAUSES)))),
            frozenset(rng.sample(CONDITIONS, rng.randint(0, 2))),
            data_location_clause=_flag(rng), audit_rights=_flag(rng),
            sla_uptime=rng.choice((None, 99.9, 100.0))))
    certs = [CertFacts(v.key, rng.choice(("iso27001", "soc2_type2", "pci_dss")), None,
                       date(2025, 1, 1) + timedelta(days=rng.randint(0, 900)),
                       rng.choice((None, date(2026, 12, 31))))
             for v in vendors for _ in range(rng.randint(0, 2))]
    answers = [AnswerFacts(v.key, "dns-provider", "1", rng.choice(("received", "reviewed")),
                           date(2025, 6, 1), date(2025, 7, 1) + timedelta(days=rng.randint(0, 400)),
                           tuple(RiskyAnswer(f"q{j}", rng.choice(list(Severity)))
                                 for j in range(rng.randint(0, 5))), rng.randint(0, 3), 60)
               for v in vendors if rng.random() < 0.7]
    return PortfolioFacts.build(clients, vendors, domains=domains, contracts=contracts,
                                certifications=certs, answers=answers, providers=providers)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--domains", type=int, default=10_000)
    ap.add_argument("--vendors", type=int, default=300)
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    portfolio = generate(args.domains, args.vendors, args.clients)
    weights, inv_rules = load_weights(), RULES
    best = float("inf")
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        raised = evaluate_inventory(portfolio, inv_rules, NOW)  # judge, record, then score
        book = compute_all(recorded(portfolio, raised), weights, NOW)
        best = min(best, time.perf_counter() - t0)
    n_factors = sum(len(s.factors) for group in (book.domains, book.vendors, book.clients,
                                                  book.engagements) for s in group.values())
    print(f"scoring: {len(book.domains)} domains, {len(book.vendors)} vendors, "
          f"{len(book.clients)} clients, {len(book.engagements)} engagements, "
          f"{len(raised)} inventory findings, {n_factors} factors: "
          f"best of {args.repeat} = {best:.2f} s (target < 3 s)")
    return 0 if best < 3.0 else 1


if __name__ == "__main__":
    sys.exit(main())
