"""Fuzz tests of the config file and environment, the trust anchor, the catalogs and rule
files, questionnaire templates and evidence packs (issue #15): only project errors, each one
line, within the target's bound; and the inputs that once crashed them."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings

from tests.fuzz.harness import Target, inputs, regressions, run_case
from tests.fuzz.target_config import TARGETS
from vendorrisk import config
from vendorrisk.catalog.providers import load_provider_catalog
from vendorrisk.errors import ConfigError, InputError
from vendorrisk.io import evidence_pack
from vendorrisk.io.evidence_pack import verify_pack

BY_NAME = {t.name: t for t in TARGETS}
EXAMPLES = {"config_toml": 300, "config_env": 300, "trust_anchor": 300, "catalog_yaml": 80,
            "questionnaire_template": 150, "evidence_pack": 250}


def _fuzz(target: Target) -> None:
    @settings(derandomize=True, max_examples=EXAMPLES[target.name], deadline=None,
              database=None)
    @given(inputs(target))
    def check(data: bytes) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            outcome = run_case(target, data, Path(tmp))
        assert outcome.kind in ("ok", "clean"), (outcome.kind, repr(outcome.error))

    check()


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_fuzz(name: str) -> None:
    _fuzz(BY_NAME[name])


def test_every_target_is_fuzzed() -> None:
    assert set(BY_NAME) == set(EXAMPLES)


@pytest.mark.parametrize(("name", "file", "data"),
                         [(t.name, f, d) for t in TARGETS for f, d in regressions(t)])
def test_regressions(name: str, file: str, data: bytes, tmp_path: Path) -> None:
    outcome = run_case(BY_NAME[name], data, tmp_path)
    assert outcome.kind in ("ok", "clean"), (file, outcome.kind, repr(outcome.error))


# -- the cases of the issue, with their exact messages --------------------------------------------
def _load(tmp_path: Path, data: bytes) -> ConfigError:
    path = tmp_path / "config.toml"
    path.write_bytes(data)
    with pytest.raises(ConfigError) as err:
        config.load(path, env={})
    return err.value


def test_section_that_is_text(tmp_path: Path) -> None:
    err = _load(tmp_path, b'probe = "x"\n')
    assert err.message == f"{tmp_path / 'config.toml'}:1: 'probe' must be a table of settings, got 'x'"


def test_section_that_is_text_under_environment_settings(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('probe = 5\n')
    with pytest.raises(ConfigError) as err:
        config.load(path, env={"VENDORRISK_PROBE_TIMEOUT": "2"})
    assert err.value.message == f"{path}:1: 'probe' must be a table of settings, got 5"


def test_overflowing_concurrency(tmp_path: Path) -> None:
    err = _load(tmp_path, b"[probe]\nconcurrency = 1e999\n")
    assert err.message == (f"{tmp_path / 'config.toml'}:2: probe.concurrency must be a whole "
                           "number, got inf")


def test_infinite_timeout(tmp_path: Path) -> None:
    err = _load(tmp_path, b"[probe]\ntimeout = inf\n")
    assert err.message == f"{tmp_path / 'config.toml'}:2: probe.timeout must be a finite number, got inf"


def test_out_of_range_from_the_environment(tmp_path: Path) -> None:
    empty = tmp_path / "empty.toml"
    empty.touch()
    with pytest.raises(ConfigError) as err:
        config.load(empty, env={"VENDORRISK_REVIEW_TIER1_DAYS": "0"})
    assert err.value.message == ("environment variable VENDORRISK_REVIEW_TIER1_DAYS: "
                                 "review.tier1_days must be greater than 0, between 1 and 3_650, got '0'")


def test_latin1_config_file(tmp_path: Path) -> None:
    err = _load(tmp_path, 'user = "Jürgen"\n'.encode("latin-1"))
    assert err.message == f"{tmp_path / 'config.toml'}:1: not UTF-8 text (byte 0xfc at column 10)"
    assert err.hint == "save the file as UTF-8"


BOMB = "".join(f"{a}: &{a} [{', '.join([f'*{p}' if p else 'lol'] * 9)}]\n"
               for p, a in zip(["", "a", "b", "c", "d", "e", "f"], "abcdefg", strict=True))


def test_yaml_alias_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "providers.yaml"
    path.write_text(BOMB)
    with pytest.raises(ConfigError) as err:
        load_provider_catalog(path)
    assert err.value.message == (f"{path}:6: not valid YAML: expands to more than 200,000 "
                                 "values through aliases (an alias bomb?)")


def _zip(tmp_path: Path, names: list[str]) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for name in names:
            archive.writestr(name, b"{}")
    path = tmp_path / "pack.zip"
    path.write_bytes(buf.getvalue())
    return path


def test_evidence_zip_with_parent_names(tmp_path: Path) -> None:
    path = _zip(tmp_path, ["pack/manifest.json", "../evil.txt"])
    with pytest.raises(InputError) as err:
        verify_pack(path)
    assert err.value.message == (f"{path}: unsafe entry name '../evil.txt' (a path outside "
                                 "the pack folder)")
    assert not (tmp_path.parent / "evil.txt").exists()


def test_evidence_zip_bomb_is_refused_before_reading(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evidence_pack, "MAX_PACK_BYTES", 1 << 20)  # 2 GB takes too long here
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("pack/manifest.json", b"{}")
        archive.writestr("pack/zeros.bin", bytes(2 << 20))
    path = tmp_path / "bomb.zip"
    path.write_bytes(buf.getvalue())
    assert path.stat().st_size < 10_000
    read: list[str] = []
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda *a, **k: read.append("x"))
    with pytest.raises(InputError) as err:
        verify_pack(path)
    assert err.value.message == f"{path}: the zip expands to more than 1,048,576 bytes"
    assert read == []


def test_deeply_nested_manifest(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "manifest.json").write_text("[" * 100 + "]" * 100)
    with pytest.raises(InputError) as err:
        verify_pack(pack)
    assert err.value.message == (f"{pack}: manifest.json: nested more than 32 levels deep "
                                 "(at character 32)")


def test_hostile_manifest_is_a_report(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "manifest.json").write_text('{"format": "vendorrisk-evidence-pack", "audit": "x",'
                                        ' "files": [7, {"path": "a\\u0000b", "sha256": "0"}]}')
    report = verify_pack(pack)
    assert not report.ok
    assert report.problems == [
        "manifest.json: files[0]: must be an object with text 'path' and 'sha256'",
        "'a\\x00b': not a plain file name", "the manifest has no audit head hash"]
