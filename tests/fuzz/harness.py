"""What the fuzz tests and the long campaign (``benchmarks/fuzz_campaign.py``) share.

A :class:`Target` is one reader of outside data: seed inputs (valid files or answers), and a
``call`` that feeds one input to the project's own reader. The contract every reader keeps:
for any bytes, ``call`` returns or raises a :class:`~vendorrisk.errors.VendorRiskError`
(a one-line message), nothing else, within ``bound`` seconds.

Targets live in ``tests/fuzz/target_<area>.py`` as ``TARGETS``; each area's test module runs
them under hypothesis (fixed seed, few examples), the campaign script runs them for as long as
it is asked. Inputs that once crashed a reader are kept in ``tests/fuzz/corpus/<target>/``
and replayed by :func:`regressions`.
"""

from __future__ import annotations

import importlib
import io
import pkgutil
import random
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st

from vendorrisk.errors import VendorRiskError

CORPUS = Path(__file__).with_name("corpus")


@dataclass(frozen=True)
class Target:
    name: str
    """Stable name: the corpus folder and the campaign's row."""
    seeds: Callable[[], Sequence[bytes]]
    """Valid inputs to start mutating from (built at run time, never hand-typed answers)."""
    call: Callable[[bytes, Path], object]
    """Feed one input to the project's reader; ``Path`` is an empty scratch folder."""
    bound: float = 2.0
    """Seconds one call may take."""
    zipped: bool = False
    """Inputs are ZIP containers (xlsx): mutate their members too, not only the bytes."""


@dataclass
class Outcome:
    kind: str
    """``ok`` | ``clean`` (a project error) | ``crash`` (any other exception) | ``slow``."""
    seconds: float
    error: BaseException | None = None


def run_case(target: Target, data: bytes, scratch: Path) -> Outcome:
    scratch.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    error: BaseException | None
    try:
        target.call(data, scratch)
    except VendorRiskError as exc:
        kind, error = "clean", exc
        if "\n" in exc.message:
            kind = "crash"  # a project error must still be one line
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:
        kind, error = "crash", exc
    else:
        kind, error = "ok", None
    seconds = time.perf_counter() - start
    if kind != "crash" and seconds > target.bound:
        kind = "slow"
    return Outcome(kind, seconds, error)


# -- mutation ----------------------------------------------------------------------------------
_INTERESTING = [b"\x00", b"\xff", b"\xfe\xff", b"-1", b"1e999", b"inf", b"nan", b"9" * 40,
                b"&#0;", b"<", b">", b"\"", b"'", b"\\", b"%", b"\n", b"\r\n", b"{", b"[",
                b"\xc3", b"\xe2\x80\xae", b"A" * 1000]


def mutate_bytes(data: bytes, rnd: random.Random) -> bytes:
    """One to four random edits: flip, delete, duplicate, insert, truncate, splice in a
    value readers tend to choke on."""
    buf = bytearray(data)
    for _ in range(rnd.randint(1, 4)):
        choice = rnd.randrange(6)
        pos = rnd.randrange(len(buf) + 1)
        if choice == 0 and buf:
            buf[min(pos, len(buf) - 1)] ^= 1 << rnd.randrange(8)
        elif choice == 1 and buf:
            del buf[pos:pos + rnd.randint(1, 64)]
        elif choice == 2 and buf:
            chunk = buf[pos:pos + rnd.randint(1, 256)]
            buf[pos:pos] = chunk * rnd.randint(1, 8)
        elif choice == 3:
            buf[pos:pos] = rnd.choice(_INTERESTING)
        elif choice == 4:
            del buf[pos:]
        else:
            buf[pos:pos] = bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 16)))
    return bytes(buf)


def mutate_zip(data: bytes, rnd: random.Random) -> bytes:
    """Mutate one member of a ZIP (an xlsx sheet, its shared strings, its styles...) and
    write a valid container around it, so the reader gets past the ZIP layer; sometimes
    drop a member or mutate the container's own bytes."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [(i.filename, archive.read(i)) for i in archive.infolist()]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error, NotImplementedError,
            RuntimeError):  # an earlier mutation broke the container: mutate its bytes
        return mutate_bytes(data, rnd)
    if not members or rnd.random() < 0.1:
        return mutate_bytes(data, rnd)
    index = rnd.randrange(len(members))
    if rnd.random() < 0.1:
        del members[index]
    else:
        name, body = members[index]
        members[index] = (name, mutate_bytes(body, rnd))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members:
            archive.writestr(name, body)
    return out.getvalue()


def mutate(target: Target, data: bytes, rnd: random.Random) -> bytes:
    if target.zipped and rnd.random() < 0.8:
        return mutate_zip(data, rnd)
    return mutate_bytes(data, rnd)


def inputs(target: Target) -> st.SearchStrategy[bytes]:
    """Hypothesis inputs for ``target``: a seed mutated with a drawn random seed (so
    hypothesis can replay and shrink the choice), or a few raw bytes."""
    seeds = list(target.seeds())

    def build(seed_index: int, salt: int) -> bytes:
        rnd = random.Random(salt)
        data = seeds[seed_index % len(seeds)]
        for _ in range(rnd.randint(1, 3)):
            data = mutate(target, data, rnd)
        return data

    return st.one_of(st.builds(build, st.integers(0, 10**6), st.integers(0, 2**32)),
                     st.binary(max_size=256))


# -- targets and their regression corpus --------------------------------------------------------
def all_targets() -> list[Target]:
    """Every ``TARGETS`` of every ``tests/fuzz/target_*.py``."""
    import tests.fuzz as package

    found: list[Target] = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name.startswith("target_"):
            module = importlib.import_module(f"tests.fuzz.{info.name}")
            found.extend(module.TARGETS)
    return found


def regressions(target: Target) -> Iterator[tuple[str, bytes]]:
    """(file name, bytes) of every input that once crashed ``target``."""
    folder = CORPUS / target.name
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.is_file():
                yield path.name, path.read_bytes()


def keep(target: Target, data: bytes) -> Path:
    """Save a crashing input into the regression corpus (the campaign does this)."""
    import hashlib

    folder = CORPUS / target.name
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{hashlib.sha256(data).hexdigest()[:16]}.bin"
    path.write_bytes(data)
    return path
