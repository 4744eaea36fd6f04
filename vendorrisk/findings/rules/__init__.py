"""Finding rules, one module per area; each exposes pure ``evaluate(...) -> list[Finding]``."""
