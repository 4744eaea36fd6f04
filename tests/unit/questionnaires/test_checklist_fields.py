"""Every field a review checklist item reads is a real contract field."""

from __future__ import annotations

from vendorrisk.compliance.checklist import load_review_checklist
from vendorrisk.portfolio.field_specs import ENTITY_FIELDS
from vendorrisk.store.models import Contract


def test_every_checklist_field_is_a_contract_field() -> None:
    specs = {f.name for f in ENTITY_FIELDS["contract"]}
    columns = set(Contract.__table__.columns.keys())
    checklist = load_review_checklist()
    unknown = {(item.id, name) for item in checklist.items for name in item.contract_fields
               if name not in specs or name not in columns}
    assert unknown == set(), f"checklist items name fields contracts do not have: {unknown}"
    named = {name for item in checklist.items for name in item.contract_fields}
    assert {"start_date", "end_date", "renewal_term_months", "notice_days_customer",
            "notice_days_vendor", "next_review_date"} <= named
