"""The atomic writer: complete files under the final name, or nothing at all."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from vendorrisk.errors import InputError, StorageError
from vendorrisk.io.atomic import OutputExistsError, write_atomic, write_text_atomic


def _half_then_fail(tmp: Path) -> None:
    tmp.write_bytes(b"half a workbook")
    raise RuntimeError("killed midway")


def test_a_writer_that_raises_leaves_no_final_file_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "out" / "book.xlsx"
    with pytest.raises(RuntimeError, match="midway"):
        write_atomic(target, _half_then_fail)
    assert not target.exists()
    assert list(target.parent.iterdir()) == []


def test_a_folder_writer_that_raises_leaves_nothing(tmp_path: Path) -> None:
    def fail(folder: Path) -> None:
        (folder / "a.csv").write_text("x\n")
        raise RuntimeError("killed midway")

    with pytest.raises(RuntimeError):
        write_atomic(tmp_path / "register", fail, directory=True)
    assert list(tmp_path.iterdir()) == []


def test_writes_through_a_temporary_name_in_the_same_folder(tmp_path: Path) -> None:
    target = tmp_path / "data.json"
    seen: list[Path] = []

    def write(tmp: Path) -> int:
        seen.append(tmp)
        assert not target.exists()
        tmp.write_text("{}")
        return 7

    assert write_atomic(target, write) == 7
    assert seen[0].parent == tmp_path and seen[0].name.startswith(".data.json.")
    assert target.read_text() == "{}" and sorted(tmp_path.iterdir()) == [target]


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    target = write_text_atomic(tmp_path / "a.csv", "old\n")
    with pytest.raises(OutputExistsError) as caught:
        write_text_atomic(target, "new\n")
    assert isinstance(caught.value, InputError)  # exit code 2
    assert str(caught.value) == f"{target} already exists (pass --force to overwrite it, " \
                                "or choose another --out)"
    assert target.read_text() == "old\n"
    write_text_atomic(target, "new\n", force=True)
    assert target.read_text() == "new\n" and sorted(tmp_path.iterdir()) == [target]


def test_a_file_that_appears_during_the_write_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "a.csv"

    def write(tmp: Path) -> None:
        tmp.write_text("mine\n")
        target.write_text("someone else's\n")

    with pytest.raises(OutputExistsError):
        write_atomic(target, write)
    assert target.read_text() == "someone else's\n" and sorted(tmp_path.iterdir()) == [target]


def test_folder_replaced_only_with_force(tmp_path: Path) -> None:
    target = tmp_path / "pack"

    def fill(text: str) -> Callable[[Path], int]:
        return lambda folder: (folder / "f.txt").write_text(text)

    write_atomic(target, fill("one"), directory=True)
    with pytest.raises(OutputExistsError):
        write_atomic(target, fill("two"), directory=True)
    assert (target / "f.txt").read_text() == "one"
    write_atomic(target, fill("two"), directory=True, force=True)
    assert (target / "f.txt").read_text() == "two" and [p.name for p in tmp_path.iterdir()] == [
        "pack"]


def test_os_errors_become_storage_errors(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(StorageError, match="cannot write"):
        write_text_atomic(blocker / "sub" / "x.csv", "x")
