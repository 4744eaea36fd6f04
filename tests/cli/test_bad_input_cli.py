"""Bad input through the real entry point: one line on stderr, exit 2, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import Result, Run

CONTRACT = ("contract", "add", "--vendor", "NS1", "--reference", "R-1", "--start-date",
            "2025-01-01")


@pytest.fixture
def db(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("VENDORRISK_DB", db_url)
    return db_url


@pytest.fixture
def seeded(run: Run, db: str) -> str:
    assert run("client", "add", "Acme").code == 0
    assert run("vendor", "add", "NS1", "--kind", "dns_provider").code == 0
    return db


def assert_refused(result: Result, *fragments: str) -> None:
    assert result.code == 2, result.err
    assert result.out == ""
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert result.err.startswith("vendorrisk: ")
    for fragment in fragments:
        assert fragment in result.err


def listed(run: Run, command: str) -> list[dict[str, object]]:
    result = run(command, "list", "--json")
    assert result.code == 0, result.err
    rows: list[dict[str, object]] = json.loads(result.out)
    return rows


# -- 1. numbers: finite and in range ---------------------------------------------------------

@pytest.mark.parametrize(
    ("option", "value", "fragment"),
    [
        ("--annual-value", "1e400",
         "annual_value: must be a finite number between 0 and 999999999999.99, got '1e400'"),
        ("--annual-value", "inf", "annual_value: must be a finite number between 0 and"),
        ("--annual-value", "NaN", "annual_value: must be a finite number between 0 and"),
        ("--annual-value", "9" * 5000, "annual_value: must be a finite number between 0 and"),
        ("--sla-uptime", "-inf", "sla_uptime: must be a finite number between 0 and 100"),
        ("--notice-days-customer", "9" * 5000,
         "notice_days_customer: must be a whole number between 0 and 3650"),
        ("--renewal-term-months", "0", "renewal_term_months: must be a whole number between 1"),
        ("--breach-notification-hours", "1e9", "between 0 and 8760"),
    ],
)
def test_contract_numbers_must_be_finite_and_in_range(run: Run, seeded: str, option: str,
                                                      value: str, fragment: str) -> None:
    result = run(*CONTRACT, option, value)
    assert_refused(result, fragment)
    assert len(result.err) < 300  # a huge value is not echoed back
    assert listed(run, "contract") == []


def test_contract_edit_to_infinity_is_refused_and_records_stay_usable(run: Run,
                                                                     seeded: str) -> None:
    assert run(*CONTRACT, "--annual-value", "1200").code == 0
    assert_refused(run("contract", "edit", "R-1", "--annual-value", "1e400"), "annual_value")
    assert_refused(run("vendor", "edit", "NS1", "--tier", "nan"),
                   "tier: must be a whole number between 1 and 3")
    (contract,) = listed(run, "contract")
    assert contract["annual_value"] == 1200
    assert run("contract", "show", "R-1").code == 0


# -- 2. an explicitly named config file must exist -------------------------------------------

def test_missing_config_flag_is_an_error_naming_the_path(run: Run, tmp_path: Path) -> None:
    missing = tmp_path / "nonexistent.toml"
    db_file = tmp_path / "x.db"
    result = run("--config", str(missing), "--db", f"sqlite:///{db_file}", "client", "add", "A")
    assert_refused(result, f"config file {missing} named by --config does not exist")
    assert not db_file.exists()


def test_missing_config_environment_variable_is_an_error(run: Run, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "typo.toml"
    monkeypatch.setenv("VENDORRISK_CONFIG", str(missing))
    assert_refused(run("locate"), f"config file {missing} named by VENDORRISK_CONFIG")
    # also commands that never read the settings
    assert_refused(run("questionnaire", "list"), str(missing))


def test_existing_config_flag_is_read(run: Run, tmp_path: Path) -> None:
    config = tmp_path / "mine.toml"
    config.write_text(f'db = "sqlite:///{tmp_path / "from-config.db"}"\n')
    located = run("--config", str(config), "locate", "--json")
    assert located.code == 0, located.err
    assert json.loads(located.out)["database"].endswith("from-config.db")


# -- 3. a SQLite database's folder must exist ------------------------------------------------

@pytest.mark.parametrize("command", [("client", "list"), ("client", "add", "Acme"),
                                     ("db", "upgrade"), ("db", "current")])
def test_sqlite_database_in_a_missing_folder_is_an_error(run: Run, tmp_path: Path,
                                                         command: tuple[str, ...]) -> None:
    folder = tmp_path / "nonexistent" / "dir"
    result = run("--db", f"sqlite:///{folder / 'x.db'}", *command)
    assert_refused(result, f"folder {folder} of the SQLite database does not exist")
    assert not (tmp_path / "nonexistent").exists()


def test_sqlite_in_memory_still_works(run: Run) -> None:
    result = run("--db", "sqlite://", "client", "list", "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out) == []


# -- 4. IP literals are not domain names -----------------------------------------------------

@pytest.mark.parametrize("address", ["192.0.2.1", "2001:db8::1", "[::1]"])
def test_ip_address_is_not_a_domain(run: Run, seeded: str, address: str) -> None:
    result = run("domain", "add", address, "--client", "Acme")
    assert_refused(result, f"{address} is an IP address, not a domain name")
    assert listed(run, "domain") == []


# -- 5. clause ids and catalog keys must be known --------------------------------------------

def test_unknown_clause_is_refused_with_the_nearest(run: Run, seeded: str) -> None:
    assert_refused(run(*CONTRACT, "--clauses", "dpa,exit_stratgy"),
                   "clauses: unknown clause 'exit_stratgy', did you mean 'exit_strategy'?")
    assert_refused(run(*CONTRACT, "--clauses", "foo_bar"),
                   "unknown clause 'foo_bar'", "valid: ", "exit_strategy")
    assert listed(run, "contract") == []
    assert run(*CONTRACT, "--clauses", "dpa").code == 0
    assert_refused(run("contract", "edit", "R-1", "--clauses", "dpa,bba"),
                   "did you mean 'baa'?")
    assert listed(run, "contract")[0]["clauses"] == ["dpa"]


def test_unknown_catalog_key_is_refused_with_the_nearest(run: Run, seeded: str) -> None:
    assert_refused(run("vendor", "add", "CF", "--kind", "dns_provider", "--catalog-key",
                       "cloudflair"),
                   "catalog_key: unknown catalog key 'cloudflair', did you mean 'cloudflare'?")
    assert_refused(run("vendor", "edit", "NS1", "--catalog-key", "ns_1"), "did you mean 'ns1'?")
    assert [v["name"] for v in listed(run, "vendor")] == ["NS1"]
    assert listed(run, "vendor")[0]["catalog_key"] is None


def test_catalog_keys_of_a_configured_catalog_are_accepted(run: Run, seeded: str, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    catalog = tmp_path / "providers.yaml"
    catalog.write_text("version: 1\nproviders:\n  alphadns:\n    name: Alpha DNS\n"
                       "    kind: dns_provider\n    ns_patterns: ['ns*.alpha.test']\n")
    assert_refused(run("vendor", "edit", "NS1", "--catalog-key", "alphadns"), "alphadns")
    monkeypatch.setenv("VENDORRISK_PROBE_PROVIDERS_FILE", str(catalog))
    edited = run("vendor", "edit", "NS1", "--catalog-key", "alphadns", "--json")
    assert edited.code == 0, edited.err
    assert json.loads(edited.out)["catalog_key"] == "alphadns"


def test_import_checks_catalog_keys_and_writes_nothing(run: Run, seeded: str,
                                                       tmp_path: Path) -> None:
    rows = tmp_path / "vendors.csv"
    rows.write_text("name,kind,catalog_key\nGood,dns_provider,route53\n"
                    "Bad,dns_provider,cloudflair\n")
    result = run("import", str(rows))
    assert result.code == 2
    assert "did you mean 'cloudflare'?" in result.err and "nothing was written" in result.err
    assert [v["name"] for v in listed(run, "vendor")] == ["NS1"]


# -- 6. unsupported database URL schemes -----------------------------------------------------

def test_mysql_url_names_the_supported_schemes_without_the_password(run: Run) -> None:
    result = run("--db", "mysql://root:s3cret@db.internal/vendorrisk", "client", "list")
    assert_refused(result, "unsupported database URL scheme 'mysql': use sqlite:///PATH or "
                           "postgresql://USER@HOST/DB")
    assert "s3cret" not in result.err


def test_unparsable_url_masks_the_password(run: Run) -> None:
    result = run("--db", "postgresql://admin:s3cret@db.internal:port/x", "client", "list")
    assert_refused(result, "invalid database URL 'postgresql://admin:***@db.internal:port/x'",
                   "use sqlite:///PATH or postgresql://USER@HOST/DB")
    assert "s3cret" not in result.err
