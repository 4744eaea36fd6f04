"""Settings: built-in defaults < user config file (TOML) < ``VENDORRISK_*`` environment < CLI flags.

Everything lands in one frozen :class:`Settings`. Unknown keys and bad values are errors that
name the file (or variable), the line where it can be found, the key, and for a misspelling the
nearest valid key.
"""

from __future__ import annotations

import dataclasses
import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal, get_args, get_origin, get_type_hints

from vendorrisk import paths
from vendorrisk.errors import ConfigError, did_you_mean

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
    if path is not None:
        _merge(values, _read_toml(path), source=str(path), text=path.read_text("utf-8"))
    _merge(values, _from_env(env), source="environment", text=None)
    if flags:
        _merge(values, _unflatten({k: v for k, v in flags.items() if v is not None}),
               source="command line", text=None)
    settings: Settings = _build(Settings, values, source_map=values.get("__source__", {}))
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
        return _named_file(Path(env[CONFIG_ENV]).expanduser(), CONFIG_ENV)
    default = paths.config_file()
    return default if default.is_file() else None


def _named_file(path: Path, named_by: str) -> Path:
    if path.is_file():
        return path
    problem = "is not a file" if path.exists() else "does not exist"
    raise ConfigError(f"config file {path} named by {named_by} {problem}")


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc.strerror}") from exc


def _from_env(env: Mapping[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, raw in env.items():
        if not name.startswith(ENV_PREFIX) or name == CONFIG_ENV:
            continue
        key = name[len(ENV_PREFIX):].lower()
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


def _merge(into: dict[str, Any], new: Mapping[str, Any], *, source: str, text: str | None) -> None:
    sources = into.setdefault("__source__", {})
    for key, value in new.items():
        if key in _SECTIONS and isinstance(value, Mapping):
            section = into.setdefault(key, {})
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
        if key == "__source__":
            continue
        dotted = prefix + key
        where = source_map.get(dotted, "settings")
        if key not in known:
            raise ConfigError(f"{where}: unknown setting {dotted!r}",
                              did_you_mean(key, known, prefix=prefix, listing="valid settings"))
        if key in _SECTIONS and not prefix:
            if not isinstance(raw, Mapping):
                raise ConfigError(f"{where}: {dotted!r} must be a table of settings")
            kwargs[key] = _build(_SECTIONS[key], raw, source_map=source_map, prefix=key + ".")
            continue
        kwargs[key] = _coerce(raw, hints[key], dotted, where)
    return cls(**kwargs)


def _coerce(raw: Any, hint: Any, key: str, where: str) -> Any:
    args = [a for a in get_args(hint) if a is not type(None)]
    optional = type(None) in get_args(hint)
    target = args[0] if optional and len(args) == 1 else hint
    if optional and (raw is None or raw == ""):
        return None
    if get_origin(target) is tuple:
        return _folders(raw, key, where)
    if getattr(target, "__origin__", None) is Literal:
        choices = get_args(target)
        if raw not in choices:
            raise ConfigError(f"{where}: {key} must be one of {', '.join(choices)}, got {raw!r}")
        return raw
    value: int | float
    try:
        if target is bool:
            return _to_bool(raw)
        if target is int:
            if isinstance(raw, bool):
                raise ValueError
            value = int(raw)
        elif target is float:
            if isinstance(raw, bool):
                raise ValueError
            value = float(raw)
            if not math.isfinite(value):
                raise ValueError
        elif target is str:
            if not isinstance(raw, str):
                raise ValueError
            return raw
        else:
            return raw
    except (TypeError, ValueError, OverflowError):
        kind = {bool: "true or false", int: "a whole number", float: "a finite number",
                str: "text"}.get(target, str(target))
        raise ConfigError(f"{where}: {key} must be {kind}, got {raw!r}") from None
    if value <= 0 and not key.endswith("retries"):
        raise ConfigError(f"{where}: {key} must be greater than 0, got {raw!r}")
    if value < 0:
        raise ConfigError(f"{where}: {key} must not be negative, got {raw!r}")
    return value


def _folders(raw: Any, key: str, where: str) -> tuple[str, ...]:
    """A list of folder names: a TOML array of text, or (from the environment) one text with
    the names separated by ``os.pathsep``."""
    items = [p for p in raw.split(os.pathsep) if p] if isinstance(raw, str) else raw
    if not isinstance(items, list | tuple) or not all(isinstance(i, str) and i for i in items):
        raise ConfigError(f"{where}: {key} must be a list of folder names, got {raw!r}")
    return tuple(items)


def _to_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if isinstance(raw, str) and raw.strip().lower() in {"0", "false", "no", "off"}:
        return False
    raise ValueError(raw)


def with_probe(settings: Settings, **changes: Any) -> Settings:
    """A copy of ``settings`` with some probe settings changed (for tests and the TUI)."""
    return dataclasses.replace(settings, probe=dataclasses.replace(settings.probe, **changes))
