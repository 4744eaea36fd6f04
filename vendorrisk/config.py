"""Settings: built-in defaults < user config file (TOML) < ``VENDORRISK_*`` environment < CLI flags.

Everything lands in one frozen :class:`Settings`. Unknown keys and bad values are errors that
name the file (or variable), the line where it can be found, the key, and for a misspelling the
nearest valid key.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import math
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal, get_args, get_origin, get_type_hints

from vendorrisk import paths, textfiles
from vendorrisk.endpoints import check_file_or_url, check_host_port
from vendorrisk.errors import ConfigError, did_you_mean
from vendorrisk.masking import masked_repr

RegistrationSource = Literal["auto", "rdap", "whois"]


@dataclass(frozen=True)
class ProbeSettings:
    """Settings of the live probes (DESIGN §3)."""

    resolver: str | None = None
    """Recursive resolver ``IP[:PORT]`` used to find zone cuts and addresses; None = system's."""
    trust_anchor: str | None = None
    """File of root DS or DNSKEY records in zone-file format; None = the IANA root KSKs in data/."""
    whois_server: str | None = None
    """Override every WHOIS query to this ``HOST[:PORT]``."""
    rdap_bootstrap: str | None = None
    """IANA ``dns.json`` file or URL; None = the copy shipped in data/."""
    registration_source: RegistrationSource = "auto"
    """``auto`` (RDAP where the bootstrap lists the TLD, else WHOIS), ``rdap`` or ``whois``."""
    timeout: float = 3.0
    """Seconds to wait for one DNS, WHOIS or RDAP answer."""
    retries: int = 1
    """Extra tries for a query that timed out."""
    concurrency: int = 64
    """Domains probed at once."""
    dns_rate_limit: float = 50.0
    """Queries per second to any one nameserver address."""
    whois_rate_limit: float = 1.0
    """Queries per second to any one WHOIS host."""
    rdap_rate_limit: float = 5.0
    """Requests per second to any one RDAP host."""
    probe_updates: bool = False
    """Send the (non-modifying) unauthenticated dynamic-update test; opt-in."""
    signature_expiry_days: int = 7
    """Window of ``dnssec.signatures_expiring``."""
    registration_expiry_days: int = 30
    """Window of ``registration.expiring``."""
    cache_ttl_hours: float = 24.0
    """How long a registration answer is reused before the registry is asked again."""
    max_response_bytes: int = 1_000_000
    """Largest WHOIS or RDAP response read; larger ones are cut and marked incomplete."""
    providers_file: str | None = None
    """A DNS provider catalog to use instead of data/providers.yaml (e.g. internal servers)."""
    registrars_file: str | None = None
    """A registrar catalog to use instead of data/registrars.yaml."""
    registry_limits: str | None = None
    """Published per-registry query limits to use instead of data/registry-limits.yaml."""
    allow_networks: tuple[str, ...] = ()
    """CIDR prefixes a probe may send to although they are not globally routable (a lab,
    internal DNS); empty = only public addresses and the configured resolver."""


@dataclass(frozen=True)
class ReviewSettings:
    """The periodic review cycle: how many days after a completed review the next is due."""

    tier1_days: int = 182
    """Interval of a tier-1 (critical) vendor's review."""
    tier2_days: int = 365
    tier3_days: int = 365
    contract_days: int | None = None
    """Interval of a contract's review; None = the interval of its vendor's tier."""

    def interval_days(self, tier: int | None, *, contract: bool = False) -> int:
        """Days from a completed review to the next one, for a vendor of ``tier``."""
        if contract and self.contract_days is not None:
            return self.contract_days
        return {1: self.tier1_days, 3: self.tier3_days}.get(tier or 2, self.tier2_days)


LIMITS: dict[str, tuple[float, float]] = {
    "probe.timeout": (0.1, 300),                  # seconds
    "probe.retries": (0, 10),
    "probe.concurrency": (1, 1024),               # domains at once
    "probe.dns_rate_limit": (0.01, 10_000),       # queries per second
    "probe.whois_rate_limit": (0.01, 100),
    "probe.rdap_rate_limit": (0.01, 1_000),
    "probe.signature_expiry_days": (1, 365),
    "probe.registration_expiry_days": (1, 3_650),
    "probe.cache_ttl_hours": (0.01, 8_760),       # a year
    "probe.max_response_bytes": (1_024, 100_000_000),
    "review.tier1_days": (1, 3_650),
    "review.tier2_days": (1, 3_650),
    "review.tier3_days": (1, 3_650),
    "review.contract_days": (1, 3_650),
}
"""Smallest and largest value (both allowed) of every numeric setting of the dataclasses
above; a value outside, or not finite, is a ConfigError. README's config section lists them."""
MAX_CONFIG_BYTES = 1_000_000
"""Largest config file read (a config is a few hundred bytes)."""


@dataclass(frozen=True)
class Settings:
    """All of vendorrisk's settings, loaded once."""

    db: str | None = None
    """SQLAlchemy URL of the database; None = SQLite in the user's data directory."""
    user: str | None = None
    """Name recorded in the audit trail; None = the OS user."""
    exports_dir: str | None = None
    """Default output folder of exports."""
    scoring_weights: str | None = None
    """A YAML file overriding weights of data/scoring.yaml."""
    questionnaire_dirs: tuple[str, ...] = ()
    """Folders of questionnaire templates of your own, used beside the shipped ones (in the
    environment: separated by ``os.pathsep``)."""
    auto_upgrade: bool = True
    """Upgrade a database that is behind; if false, refuse with a message instead."""
    probe: ProbeSettings = field(default_factory=ProbeSettings)
    review: ReviewSettings = field(default_factory=ReviewSettings)

    @property
    def db_url(self) -> str:
        return self.db or paths.default_db_url()

    @property
    def exports_path(self) -> Path:
        return Path(self.exports_dir).expanduser() if self.exports_dir else paths.default_exports_dir()

    @property
    def questionnaire_paths(self) -> tuple[Path, ...]:
        return tuple(Path(d).expanduser() for d in self.questionnaire_dirs)

    @property
    def audit_user(self) -> str:
        if self.user:
            return self.user
        try:
            import getpass

            return getpass.getuser()
        except (OSError, KeyError):
            return "unknown"


ENV_PREFIX = "VENDORRISK_"
CONFIG_ENV = "VENDORRISK_CONFIG"
_SECTIONS: dict[str, type] = {"probe": ProbeSettings, "review": ReviewSettings}
_SHOWN = 60
"""Characters of a bad value a message shows."""
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SERVERS = {"probe.rdap_bootstrap": check_file_or_url, "probe.whois_server": check_host_port}
"""Settings naming a server, checked as they are read (the database URL is checked when it
is first used: ``locate`` and the engine)."""
_EXPANDED = frozenset({"exports_dir"})
"""Text settings used with ``~`` expanded (``questionnaire_dirs`` is checked by its own)."""


def load(
    config_path: Path | None = None,
    env: Mapping[str, str] | None = None,
    flags: Mapping[str, Any] | None = None,
) -> Settings:
    """Load settings from the config file, the environment and CLI flags, in that precedence.

    ``flags`` uses dotted keys for sections (``{"probe.timeout": 1.5, "db": "sqlite://"}``);
    ``None`` values are ignored so unset options fall through.
    """
    env = os.environ if env is None else env
    path = config_file(config_path, env)
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    if path is not None:
        text = _read_text(path)
        _merge(values, sources, _parse_toml(path, text), source=str(path), text=text)
    _merge(values, sources, _from_env(env), source="environment", text=None)
    if flags:
        _merge(values, sources, _unflatten({k: v for k, v in flags.items() if v is not None}),
               source="command line", text=None)
    settings: Settings = _build(Settings, values, source_map=sources)
    return settings


def config_file(config_path: Path | None = None,
                env: Mapping[str, str] | None = None) -> Path | None:
    """The config file to read, None when there is none.

    A file named by ``--config`` (``config_path``) or ``VENDORRISK_CONFIG`` must exist: a
    typo must not silently fall back to the defaults. Only the default location may be absent.
    """
    env = os.environ if env is None else env
    if config_path is not None:
        return _named_file(config_path, "--config")
    if env.get(CONFIG_ENV):
        return _named_file(_expand(env[CONFIG_ENV], f"environment variable {CONFIG_ENV}"),
                           CONFIG_ENV)
    default = paths.config_file()
    return default if _is_file(default) else None


def _expand(text: str, where: str) -> Path:
    """``text`` as a path with ``~`` expanded; an unknown ``~user`` is a ConfigError."""
    try:
        return Path(text).expanduser()
    except RuntimeError:
        raise ConfigError(f"{where}: cannot expand ~ in {_show(text)}: no such user") from None


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # a name too long, or one holding a NUL
        return False


def _named_file(path: Path, named_by: str) -> Path:
    if _is_file(path):
        return path
    problem = "is not a file" if _exists(path) else "does not exist"
    raise ConfigError(f"config file {path} named by {named_by} {problem}")


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def _read_text(path: Path) -> str:
    """The config file's text: at most :data:`MAX_CONFIG_BYTES`, UTF-8 (a BOM is dropped)."""
    return textfiles.read_text(path, what="config file", limit=MAX_CONFIG_BYTES)


def _parse_toml(path: Path, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    except RecursionError:
        raise ConfigError(f"{path}: not valid TOML: arrays or tables nested too deeply") from None


def _from_env(env: Mapping[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, raw in env.items():
        if not name.startswith(ENV_PREFIX) or name == CONFIG_ENV:
            continue
        key = name[len(ENV_PREFIX):].lower()
        if key in _SECTIONS:
            raise ConfigError(f"environment variable {name}: {key!r} is a table of settings, "
                              "not one setting", f"set {name}_<SETTING> instead")
        section = next((s for s in _SECTIONS if key.startswith(s + "_")), None)
        if section:
            out.setdefault(section, {})[key[len(section) + 1:]] = raw
        else:
            out[key] = raw
    return out


def _unflatten(flat: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in flat.items():
        if "." in key:
            section, sub = key.split(".", 1)
            out.setdefault(section, {})[sub] = value
        else:
            out[key] = value
    return out


def _merge(into: dict[str, Any], sources: dict[str, str], new: Mapping[str, Any], *,
           source: str, text: str | None) -> None:
    """Lay ``new`` over ``into``, a section key by key; ``sources`` records where each
    dotted key was set (``file:line``, ``environment variable NAME``)."""
    for key, value in new.items():
        if key in _SECTIONS and isinstance(value, Mapping):
            section = into.setdefault(key, {})
            if not isinstance(section, dict):
                raise ConfigError(f"{sources[key]}: {key!r} must be a table of settings, "
                                  f"got {_show(section)}")
            for sub, subvalue in value.items():
                section[sub] = subvalue
                sources[f"{key}.{sub}"] = _where(source, text, sub, key)
        else:
            into[key] = value
            sources[key] = _where(source, text, key, None)


def _where(source: str, text: str | None, key: str, section: str | None) -> str:
    if text is None:
        if source == "environment":
            name = ENV_PREFIX + (f"{section}_{key}" if section else key).upper()
            return f"environment variable {name}"
        return source
    line = _find_line(text, key, section)
    return f"{source}:{line}" if line else source


def _find_line(text: str, key: str, section: str | None) -> int | None:
    current: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            current = stripped.strip("[] ")
            continue
        left = stripped.split("=", 1)[0].strip().strip('"')
        if "=" in stripped and left == key and current == section:
            return number
    return None


def _build(cls: type, values: Mapping[str, Any], *, source_map: Mapping[str, str],
           prefix: str = "") -> Any:
    hints = get_type_hints(cls)
    known = {f.name for f in fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, raw in values.items():
        dotted = prefix + key
        where = source_map.get(dotted, "settings")
        if key not in known:
            raise ConfigError(f"{where}: unknown setting {_show(dotted)}",
                              did_you_mean(key, known, prefix=prefix, listing="valid settings"))
        if key in _SECTIONS and not prefix:
            if not isinstance(raw, Mapping):
                raise ConfigError(f"{where}: {dotted!r} must be a table of settings, "
                                  f"got {_show(raw)}")
            kwargs[key] = _build(_SECTIONS[key], raw, source_map=source_map, prefix=key + ".")
            continue
        kwargs[key] = _coerce(raw, hints[key], dotted, where)
        if dotted in _EXPANDED and kwargs[key]:
            _expand(kwargs[key], f"{where}: {dotted}")
        if dotted in _SERVERS and kwargs[key]:
            _SERVERS[dotted](kwargs[key], f"{where}: {dotted}")
    return cls(**kwargs)


def _coerce(raw: Any, hint: Any, key: str, where: str) -> Any:
    args = [a for a in get_args(hint) if a is not type(None)]
    optional = type(None) in get_args(hint)
    target = args[0] if optional and len(args) == 1 else hint
    if optional and (raw is None or (isinstance(raw, str) and raw == "")):
        return None
    if get_origin(target) is tuple:
        return _networks(raw, key, where) if key.endswith("networks") else _folders(raw, key, where)
    if get_origin(target) is Literal:
        choices = get_args(target)
        if not isinstance(raw, str) or raw not in choices:
            raise ConfigError(f"{where}: {key} must be one of {', '.join(choices)}, "
                              f"got {_show(raw)}")
        return raw
    if target is bool:
        return _to_bool(raw, key, where)
    if target is str:
        return _text(raw, key, where)
    if target is int or target is float:
        return _number(raw, target, key, where)
    return raw


def _number(raw: Any, target: type, key: str, where: str) -> int | float:
    """``raw`` (a TOML number, or text from the environment) as a finite ``target`` within
    :data:`LIMITS`."""
    whole = target is int
    value: Any = raw
    if isinstance(raw, str):
        try:
            value = int(raw.strip()) if whole else float(raw)
        except ValueError:
            value = None
    if isinstance(value, float) and whole and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int | float) \
            or (isinstance(value, float) and (whole or not math.isfinite(value))):
        kind = "a whole number" if whole else "a finite number"
        raise ConfigError(f"{where}: {key} must be {kind}, got {_show(raw)}")
    low, high = LIMITS.get(key, (0, math.inf))
    if not low <= value <= high:
        above = "greater than 0, " if value <= 0 < low else ""  # the word a user looks for
        raise ConfigError(f"{where}: {key} must be {above}between {_fmt(low)} and "
                          f"{_fmt(high)}, got {_show(raw)}")
    return int(value) if whole else float(value)


def _fmt(number: float) -> str:
    return f"{number:,.0f}".replace(",", "_") if float(number).is_integer() else f"{number:g}"


def _text(raw: Any, key: str, where: str) -> str:
    if not isinstance(raw, str):
        raise ConfigError(f"{where}: {key} must be text, got {_show(raw)}")
    if _CONTROL.search(raw):
        raise ConfigError(f"{where}: {key} must be text without control characters, "
                          f"got {_show(raw)}")
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError:
        raise ConfigError(f"{where}: {key} is not valid UTF-8 text: {_show(raw)}") from None
    return raw


def _networks(raw: Any, key: str, where: str) -> tuple[str, ...]:
    """CIDR prefixes: a TOML array of text, or (from the environment) one text with the
    prefixes separated by commas or spaces."""
    items = raw.replace(",", " ").split() if isinstance(raw, str) else raw
    if not isinstance(items, list | tuple) or not all(isinstance(i, str) for i in items):
        raise ConfigError(f"{where}: {key} must be a list of networks, got {_show(raw)}")
    for item in items:
        try:
            ipaddress.ip_network(item.strip(), strict=False)
        except ValueError:
            raise ConfigError(f"{where}: {key}: {_show(item)} is not a network",
                              "write CIDR prefixes, e.g. 127.0.0.0/8 or fd00::/8") from None
    return tuple(i.strip() for i in items)


def _folders(raw: Any, key: str, where: str) -> tuple[str, ...]:
    """A list of folder names: a TOML array of text, or (from the environment) one text with
    the names separated by ``os.pathsep``."""
    items = [p for p in raw.split(os.pathsep) if p] if isinstance(raw, str) else raw
    if not isinstance(items, list | tuple) or not all(isinstance(i, str) and i for i in items):
        raise ConfigError(f"{where}: {key} must be a list of folder names, got {_show(raw)}")
    for item in items:
        _text(item, key, where)
        _expand(item, f"{where}: {key}")
    return tuple(items)


def _to_bool(raw: Any, key: str, where: str) -> bool:
    if isinstance(raw, bool):
        return raw
    word = raw.strip().lower() if isinstance(raw, str) else None
    if word in {"1", "true", "yes", "on"}:
        return True
    if word in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{where}: {key} must be true or false, got {_show(raw)}")


def _show(raw: Any) -> str:
    """``repr(raw)`` on one line with its secrets masked, then cut to :data:`_SHOWN`
    characters (masked first: a cut could split a password from the ``@`` that marks it)."""
    shown = masked_repr(raw)
    return shown if len(shown) <= _SHOWN else shown[:_SHOWN - 1] + "…"


def with_probe(settings: Settings, **changes: Any) -> Settings:
    """A copy of ``settings`` with some probe settings changed (for tests and the TUI)."""
    return dataclasses.replace(settings, probe=dataclasses.replace(settings.probe, **changes))
