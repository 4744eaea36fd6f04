"""Dashboard, vendor and domain tables: one flat pass per table, fast at 10,000 domains."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from vendorrisk.probes.observation import DomainObservation
from vendorrisk.store.lookup import find, list_domains
from vendorrisk.store.models import (
    Certification,
    Client,
    Contract,
    Domain,
    FindingRow,
    Review,
    ScoreSnapshot,
    Vendor,
    domain_dns_provider,
)
from vendorrisk.store.observations import latest_typed
from vendorrisk.store.scope import client_scope, vendors_serving
from vendorrisk.views import cells as C
from vendorrisk.views.derived import cert_status, contract_schedule, observation_fields
from vendorrisk.views.dto import Cell, Dashboard, Row, Table
from vendorrisk.vocab import FindingStatus

WINDOW_DAYS = 90

NO_SCORE = (C.score(None, None), C.score(None, None))

VENDOR_COLUMNS = ("Vendor", "Lock-in", "Compliance", "Open", "Contract", "Certs", "Tier",
                  "Domains", "Kind")
DOMAIN_COLUMNS = ("Domain", "Lock-in", "Compliance", "Open", "DNSSEC", "Lock", "Exposure",
                  "Expires", "Registrar", "Operators", "Redaction", "Client")
"""What a person decides on comes first, so it shows at 80 columns; the rest scrolls."""


def latest_score_cells(session: Session, kind: str) -> dict[int, tuple[Cell, Cell]]:
    """subject id -> (lock-in, compliance) cells from its newest snapshot; factors not loaded."""
    newest = (select(func.max(ScoreSnapshot.id)).where(ScoreSnapshot.subject_kind == kind)
              .group_by(ScoreSnapshot.subject_id))
    query = select(ScoreSnapshot.subject_id, ScoreSnapshot.lockin, ScoreSnapshot.lockin_band,
                   ScoreSnapshot.lockin_coverage, ScoreSnapshot.compliance,
                   ScoreSnapshot.compliance_band, ScoreSnapshot.compliance_coverage).where(
        ScoreSnapshot.id.in_(newest))
    return {sid: (C.score(lk, lkb, lkc), C.score(cp, cpb, cpc))
            for sid, lk, lkb, lkc, cp, cpb, cpc in session.execute(query)}


def _upcoming(session: Session, today: date, client_ids: set[int] | None,
              scopes: Mapping[int, set[int]]) -> list[tuple[int | None, Row]]:
    """(client id or None for MSP-wide, row) for deadlines, cert expiries and reviews due: one
    row per item and client it concerns, all of an item's rows under the item's key, cells
    (date, due, what, subject, client). Overdue items (a date passed, stale evidence) stay."""
    horizon = today + timedelta(days=WINDOW_DAYS)
    out: list[tuple[int | None, Row]] = []
    clients = dict(session.execute(select(Client.id, Client.name)).all())
    vendors = dict(session.execute(select(Vendor.id, Vendor.name)).all())

    def add(owners: list[int | None], key: str, day: date | None, what: Cell, subject: str,
            nobody: str, *, stale: bool = False) -> None:
        days = None if day is None else (day - today).days
        if stale:  # out-of-date evidence: overdue, whatever its date says
            due = Cell("overdue", "critical", days if days is not None and days < 0 else -1)
        elif days is None:
            due = Cell("-", "muted", 10**6)
        elif days < 0:
            due = Cell(f"{-days}d late", "critical", days)
        else:
            due = Cell("today" if days == 0 else f"in {days}d", C.days_left(days).tone, days)
        for cid in owners or [None]:
            out.append((cid, Row(key, (C.when(day), due, what, C.text(subject),
                                       C.text(clients.get(cid or 0), nobody)))))

    for c in session.execute(select(Contract)).scalars():
        sched = contract_schedule(c, today)
        for what, day in (("notice deadline", sched["notice_deadline"]),
                          ("renewal", sched["next_renewal"]),
                          ("contract ends", None if c.auto_renew else c.end_date)):
            if day is not None and today <= day <= horizon:
                add([c.client_id], f"contract:{c.id}:{what}", day, C.text(what),
                    f"{vendors[c.vendor_id]} {c.reference}", "MSP-wide")
    for cert in session.execute(select(Certification)).scalars():
        status, reason = cert_status(cert, today)
        if status in ("expired", "stale"):
            add([cid for cid, vids in scopes.items() if cert.vendor_id in vids],
                f"cert:{cert.id}", cert.valid_until or cert.period_end,
                Cell(f"certification {status}", "high" if status == "expired" else "medium"),
                f"{vendors[cert.vendor_id]} {cert.cert_type}: {reason}", "all clients",
                stale=cert.valid_until is None)
    for review, _ in _due_reviews(session, horizon):
        vid = review.vendor_id
        add([c for c, vids in scopes.items() if vid in vids] if vid else [],
            f"review:{review.id}", review.due_date, C.text("review due"),
            vendors.get(vid or 0) or f"contract {review.contract_id}", "all clients")
    if client_ids is not None:
        out = [(cid, row) for cid, row in out if cid is None or cid in client_ids]
    out.sort(key=lambda item: item[1].cells[0].sort_key)
    return out


def _due_table(upcoming: list[tuple[int | None, Row]], names: Mapping[int, str],
               chosen: int | None) -> Table:
    """The dashboard's due items: one row per item (not per client) naming the clients it
    concerns, overdue first and marked so, then what falls due; what is read first fits 80
    columns: due, what, client, subject (the date scrolls)."""
    owners: dict[str, list[int | None]] = defaultdict(list)
    first: dict[str, Row] = {}
    for cid, row in upcoming:
        if chosen is None or cid in (chosen, None):
            owners[row.key].append(cid)
            first.setdefault(row.key, row)
    rows = []
    for key, row in first.items():
        day, due, what, subject, client = row.cells
        everyone = [names[cid] for cid in owners[key] if cid is not None and cid in names]
        rows.append(Row(key, (due, Cell(what.text.replace("certification", "cert"), what.tone),
                              _clients(everyone, len(names), client), subject, day),
                        search=" ".join([due.text, what.text, subject.text, day.text,
                                         client.text, *everyone]).lower()))
    rows.sort(key=lambda r: (r.cells[0].sort >= 0, r.cells[4].sort_key))
    late = sum(r.cells[0].sort < 0 for r in rows)
    who = f" — {names[chosen]}" if chosen is not None else ""
    return Table(f"Overdue ({late}) and next {WINDOW_DAYS} days ({len(rows) - late}){who}",
                 ("Due", "What", "Client", "Subject", "Date"), tuple(rows),
                 empty=f"Nothing overdue and nothing falls due in the next {WINDOW_DAYS} days.")


def _clients(names: list[str], total: int, nobody: Cell) -> Cell:
    """Which clients an item concerns, short enough for 80 columns: a name, the first words
    of up to three names, or "all clients"."""
    if not names:
        return nobody
    if len(names) == 1:
        return Cell(names[0])
    if total > 2 and len(names) == total:
        return Cell("all clients")
    short = [n.split()[0] for n in sorted(names)]
    return Cell(", ".join(short) if len(short) <= 3 else f"{', '.join(short[:2])} +{len(short) - 2}")


def _due_reviews(session: Session, horizon: date) -> list[tuple[Review, None]]:
    query = select(Review).where(Review.completed_at.is_(None), Review.due_date <= horizon)
    return [(r, None) for r in session.execute(query.order_by(Review.due_date)).scalars()]


def dashboard(session: Session, today: date, client: str | None) -> Dashboard:
    scores = latest_score_cells(session, "client")
    scopes = vendors_serving(session)
    names = dict(session.execute(select(Client.id, Client.name).order_by(Client.name)).all())
    chosen = find(session, "client", client).id if client else None
    upcoming = _upcoming(session, today, None, scopes)
    counts: dict[tuple[int | None, str], int] = {
        (cid, str(sev)): n for cid, sev, n in session.execute(
            select(FindingRow.client_id, FindingRow.severity, func.count())
            .where(FindingRow.status == FindingStatus.OPEN, FindingRow.client_id.is_not(None))
            .group_by(FindingRow.client_id, FindingRow.severity))}
    rows = []
    for cid, name in names.items():
        if chosen is not None and cid != chosen:  # a chosen client sees its own row only
            continue
        kinds = [row.cells[2].text for owner, row in upcoming if owner == cid]
        rows.append(Row(name, (
            C.text(name), *scores.get(cid, NO_SCORE),
            C.number(counts.get((cid, "critical"), 0), "critical"),
            C.number(counts.get((cid, "high"), 0), "high"),
            C.number(sum(k in ("notice deadline", "renewal", "contract ends") for k in kinds),
                     "medium"),
            C.number(sum(k.startswith("certification") for k in kinds), "medium"),
            C.number(sum(k == "review due" for k in kinds), "medium"))))
    clients = Table("Clients", ("Client", "Lock-in", "Compliance", "Crit", "High", "Due",
                                "Certs", "Rev"), tuple(rows),
                    note=(f"Scores: value, band, coverage · open critical/high findings · "
                          f"notice deadlines, certifications and reviews due in {WINDOW_DAYS} days"),
                    empty="No clients yet.")
    up = _due_table(upcoming, names, chosen)
    return Dashboard(clients, up, names.get(chosen or 0), tuple(names.values()))


def vendors(session: Session, today: date, client: str | None = None, *,
            engagement_scores: Mapping[str, tuple[Cell, Cell]] | None = None) -> Table:
    """Every vendor, or those serving one client: then the domain and open-finding counts are
    that client's (``store.scope``), never the portfolio's, and so are the scores when
    ``engagement_scores`` (vendor name -> the client's engagement cells) is given; without
    it a narrowed table shows no score rather than the portfolio's."""
    stored = latest_score_cells(session, "vendor") if client is None else {}
    scope = client_scope(session, client)
    domains: dict[int, set[int]] = defaultdict(set)
    mine = scope.domain_ids if scope else None
    for did, vid in session.execute(select(Domain.id, Domain.registrar_id)):
        if vid and (mine is None or did in mine):
            domains[vid].add(did)
    for did, vid in session.execute(select(domain_dns_provider.c.domain_id,
                                           domain_dns_provider.c.vendor_id)):
        if mine is None or did in mine:
            domains[vid].add(did)
    contract_state = _contract_states(session, today, scope.contract_ids if scope else None)
    cert_state = _cert_states(session, today)
    counted = select(FindingRow.vendor_id, func.count()).where(
        FindingRow.status == FindingStatus.OPEN, FindingRow.vendor_id.is_not(None))
    if scope is not None:
        counted = counted.where(scope.findings())
    open_counts = dict(session.execute(counted.group_by(FindingRow.vendor_id)).all())
    rows = []
    for v in session.execute(select(Vendor).order_by(Vendor.name)).scalars():
        if scope is not None and v.id not in scope.vendor_ids:
            continue
        cells = (stored.get(v.id) if client is None
                 else (engagement_scores or {}).get(v.name)) or NO_SCORE
        rows.append(Row(v.name, (
            C.text(v.name), *cells,
            C.number(open_counts.get(v.id, 0), "high"),
            contract_state.get(v.id, Cell("none", "medium")),
            cert_state.get(v.id, Cell("none", "muted")),
            C.number(v.tier), C.number(len(domains[v.id])), C.text(str(v.kind)))))
    title = f"Vendors — {scope.name}" if scope else "Vendors"
    note = ("Scores, open findings and domains: this client's engagement with each vendor"
            if scope else "")
    return Table(title, VENDOR_COLUMNS, tuple(rows), empty="No vendors yet.", note=note)


def _contract_states(session: Session, today: date,
                     contract_ids: frozenset[int] | None = None) -> dict[int, Cell]:
    """vendor id -> the state of its contracts (only ``contract_ids`` when given)."""
    out: dict[int, Cell] = {}
    query = select(Contract).order_by(Contract.start_date)
    if contract_ids is not None:
        query = query.where(Contract.id.in_(contract_ids))
    for c in session.execute(query).scalars():
        sched = contract_schedule(c, today)
        if c.end_date is not None and c.end_date < today and not c.auto_renew:
            cell = Cell("expired", "medium")
        elif sched["days_left"] is not None and sched["days_left"] <= WINDOW_DAYS:
            cell = Cell(f"notice {sched['days_left']}d", "high", sched["days_left"])
        else:
            cell = Cell("active", "ok")
        prior = out.get(c.vendor_id)
        if prior is None or prior.text == "expired" or cell.tone == "high":
            out[c.vendor_id] = cell
    return out


def _cert_states(session: Session, today: date) -> dict[int, Cell]:
    rank = {"valid": 0, "unknown": 1, "stale": 2, "expired": 3}
    worst: dict[int, str] = {}
    for cert in session.execute(select(Certification)).scalars():
        status, _ = cert_status(cert, today)
        if rank[status] >= rank.get(worst.get(cert.vendor_id, "valid"), 0):
            worst[cert.vendor_id] = status
    tones = {"valid": "ok", "unknown": "muted", "stale": "medium", "expired": "high"}
    return {vid: Cell(s, tones[s], rank[s]) for vid, s in worst.items()}


_NOT_PROBED = (C.text(None, "not probed"), *(C.text(None) for _ in range(6)))


def domain_cells(obs: DomainObservation | None, today: date) -> tuple[Cell, ...]:
    """Registrar, operators, DNSSEC, locks, redaction, exposure, expiry from an observation."""
    if obs is None:
        return _NOT_PROBED
    f = observation_fields(obs)
    dnssec = f.dnssec
    dnssec_cell = Cell(dnssec or "unknown", {"secure": "ok", "insecure": "medium",
                                             "bogus": "critical"}.get(dnssec or "", "muted"))
    if f.registry_locked:
        lock = Cell("registry", "ok")
    elif f.registrar_locked:
        lock = Cell("registrar", "ok")
    elif f.registrar_locked is None:
        lock = Cell("unknown", "muted")
    else:
        lock = Cell("unlocked", "high")
    if f.pii_exposed:
        redaction = Cell("PII: " + ",".join(f.pii_exposed), "high")
    else:
        redaction = C.yes_no(f.registrant_redacted)
        redaction = Cell("redacted" if f.registrant_redacted else redaction.text, redaction.tone)
    exposed = [w for w, is_open in (("AXFR", f.axfr_open), ("UPDATE", f.update_open)) if is_open]
    exposure = Cell(" ".join(exposed) + " open", "critical") if exposed else Cell("none", "ok")
    expires = f.expires
    expiry = C.days_left((expires - today).days, 30) if expires else C.text(None)
    if expires:
        expiry = Cell(expires.isoformat(), expiry.tone, expiry.sort)
    return (C.text(f.observed_registrar), C.text(list(f.operators)), dnssec_cell, lock,
            redaction, exposure, expiry)


def domains(session: Session, today: date, client: str | None = None) -> Table:
    scores = latest_score_cells(session, "domain")
    cid = find(session, "client", client).id if client else None
    observations = {k: o.observation for k, o in latest_typed(session, cid).items()}
    open_counts = dict(session.execute(select(FindingRow.domain_id, func.count()).where(
        FindingRow.status == FindingStatus.OPEN, FindingRow.domain_id.is_not(None)).group_by(
        FindingRow.domain_id)).all())
    rows = []
    for rec in list_domains(session, client=client):
        did = rec["id"]
        cells = domain_cells(observations.get(did), today)
        if cells[0].text == "not probed" and rec["registrar"]:
            cells = (Cell(rec["registrar"], "muted"), *cells[1:])
        registrar, operators, dnssec, lock, redaction, exposure, expires = cells
        rows.append(Row(str(did), (
            C.text(rec["name_unicode"]), *scores.get(did, NO_SCORE),
            C.number(open_counts.get(did, 0), "high"), dnssec, lock, exposure, expires,
            registrar, operators, redaction, C.text(rec["client"]))))
    title = f"Domains — {client}" if client else "Domains"
    return Table(title, DOMAIN_COLUMNS, tuple(rows), empty="No domains yet.")
