"""Policy packs: an organisation's guideline, clause by clause, as a versioned YAML data file.

A pack says which clauses the guideline has (id, title, the guideline's own wording, the
purpose of checking it), which rule enforces which clause, the settings of every rule
(thresholds, the organisation's own mailboxes and numbers, confidential project names), the
``k`` below which anonymised statistics are suppressed, retention periods per data category,
and the date the works council agreed to this version (PRIVACY.md R1).

A pack that fails validation is refused with a message that names the key at fault, such as
``rules.personal_data.threshold: Input should be a valid number``. Built-in packs live in
``merkwacht/analysis/policies/``; ``Settings.policy_dir`` adds a folder of the organisation's own.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from merkwacht.core.errors import MerkwachtError
from merkwacht.core.i18n import Catalogue

from .registry import all_rules

BUILTIN_DIR = Path(__file__).resolve().parent / "policies"

#: Data categories with a retention period (days). PRIVACY.md R5: monitoring data 6 months.
RETENTION_DEFAULTS: dict[str, int] = {
    "findings": 183,
    "reviews": 183,
    "third_party_text": 183,
    "own_posts": 730,
    "access_log": 365,
}

#: Post-level rule ids fixed by DESIGN.md; a pack may configure them even before their module is installed.
FIXED_RULE_IDS = ("missing_source", "unapproved_statement", "off_tone", "personal_data", "confidential")

#: Keys of a rule block that belong to the pack itself; every other key is a rule setting.
RULE_BLOCK_KEYS = ("enabled", "clauses", "severity")


class PackError(MerkwachtError):
    """A policy pack that cannot be used: not found, not YAML, or failing validation (the key is named)."""

    exit_code = 2
    catalogue = Catalogue(Path(__file__).with_name("errors.toml"))


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Clause(_Model):
    """One clause of the guideline: its own wording, and why it is checked."""

    id: str = Field(pattern=r"^[a-z0-9-]+/[a-z0-9-]+$")
    title: str = Field(min_length=1)
    text: str = Field(min_length=1, description="The guideline's own wording, quoted.")
    purpose: str = Field(min_length=1, description="Why Merkwacht checks this clause (purpose limitation).")
    kind: str = Field(min_length=1, description="What sort of clause: accuracy, approval, respect, ...")
    source: str | None = Field(default=None, description="Where in the guideline: section or item.")


class RuleBlock(_Model):
    """The pack's part of a rule: whether it runs, which clauses it enforces, and its severity."""

    enabled: bool = True
    clauses: tuple[str, ...] = Field(min_length=1)
    severity: Literal["low", "medium", "high"] | None = None


class Retention(_Model):
    findings: int = Field(default=RETENTION_DEFAULTS["findings"], ge=1)
    reviews: int = Field(default=RETENTION_DEFAULTS["reviews"], ge=1)
    third_party_text: int = Field(default=RETENTION_DEFAULTS["third_party_text"], ge=1)
    own_posts: int = Field(default=RETENTION_DEFAULTS["own_posts"], ge=1)
    access_log: int = Field(default=RETENTION_DEFAULTS["access_log"], ge=1)


class Council(_Model):
    """The works council's agreement to this version (R1)."""

    agreed_at: date | None = None
    #: :attr:`Pack.content_hash` of the text the council agreed to; a later edit no longer matches.
    agreed_hash: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    reference: str | None = None


class Accounts(_Model):
    """Account-level expectations of the guideline."""

    credentials_rotation_days: int = Field(default=180, ge=1)
    dormant_after_days: int = Field(default=90, ge=1)


class PackFile(_Model):
    """The validated content of a pack file (before rule settings are checked against the rules)."""

    pack: str = Field(pattern=r"^[a-z0-9-]+$")
    version: str = Field(min_length=1)
    title: str
    organisation: str
    guideline: str = Field(description="The document the clauses are quoted from.")
    language: str = "nl"
    council: Council = Council()
    k: int = Field(default=5, ge=2, description="Cells smaller than k are suppressed in statistics (R3).")
    retention_days: Retention = Retention()
    accounts: Accounts = Accounts()
    clauses: tuple[Clause, ...] = Field(min_length=1)
    rules: dict[str, dict[str, Any]]

    @field_validator("version", mode="before")
    @classmethod
    def _version_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int | float) else value


@dataclass(frozen=True, eq=False)
class Pack:
    """A loaded, validated policy pack. ``hash`` is the sha256 of the file as read."""

    name: str
    version: str
    hash: str
    path: Path
    data: PackFile
    settings: dict[str, dict[str, Any]]  # rule id -> validated settings

    @property
    def agreed_at(self) -> date | None:
        return self.data.council.agreed_at

    @property
    def k(self) -> int:
        return self.data.k

    @property
    def retention(self) -> dict[str, int]:
        return self.data.retention_days.model_dump()

    @property
    def accounts(self) -> Accounts:
        return self.data.accounts

    @cached_property
    def clauses(self) -> dict[str, Clause]:
        return {clause.id: clause for clause in self.data.clauses}

    @property
    def enabled_rules(self) -> list[str]:
        return [rid for rid, block in self.rule_blocks.items() if block.enabled]

    @cached_property
    def rule_blocks(self) -> dict[str, RuleBlock]:
        return {
            rid: RuleBlock(**{k: v for k, v in raw.items() if k in RULE_BLOCK_KEYS})
            for rid, raw in self.data.rules.items()
        }

    def rule_settings(self, rule_id: str) -> dict[str, Any]:
        """The validated settings of ``rule_id`` (an empty dict when the pack gives none)."""
        return dict(self.settings.get(rule_id, {}))

    def rule_clauses(self, rule_id: str) -> tuple[str, ...]:
        block = self.rule_blocks.get(rule_id)
        return block.clauses if block else ()

    @cached_property
    def content_hash(self) -> str:
        """sha256 of the pack's content without the council block: what the council agrees to."""
        body = self.data.model_dump(mode="json", exclude={"council"})
        return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()

    @property
    def agreed(self) -> bool:
        """True when the council agreed to exactly this content (R1); an edited pack is 'not yet agreed'."""
        council = self.data.council
        return council.agreed_at is not None and council.agreed_hash == self.content_hash

    def to_document(self) -> dict[str, Any]:
        """The whole pack as JSON-able data (clause wording included), for the database and reports."""
        document = self.data.model_dump(mode="json")
        document["rules"] = {
            rid: {**self.rule_blocks[rid].model_dump(mode="json"), "settings": self.settings.get(rid, {})}
            for rid in self.data.rules
        }
        document["hash"] = self.hash
        document["content_hash"] = self.content_hash
        document["agreed"] = self.agreed
        return json.loads(json.dumps(document, default=str))


def _loc(prefix: str, err: dict[str, Any]) -> str:
    parts = [prefix] if prefix else []
    parts += [str(p) if not isinstance(p, int) else f"[{p}]" for p in err.get("loc", ())]
    return ".".join(parts).replace(".[", "[")


def _first_error(exc: ValidationError, prefix: str = "") -> str:
    lines = []
    for err in exc.errors(include_url=False)[:3]:
        lines.append(f"{_loc(prefix, err)}: {err.get('msg', 'invalid')}")
    return "; ".join(lines)


def _validate_rules(data: PackFile) -> dict[str, dict[str, Any]]:
    known = all_rules()
    clause_ids = {clause.id: clause for clause in data.clauses}
    seen: set[str] = set()
    for clause in data.clauses:
        if clause.id in seen:
            raise ValueError(f"clauses: clause id {clause.id!r} appears twice")
        seen.add(clause.id)
        if not clause.id.startswith(data.pack + "/"):
            raise ValueError(f"clauses: clause id {clause.id!r} must start with {data.pack + '/'!r}")
    settings: dict[str, dict[str, Any]] = {}
    for rid, raw in data.rules.items():
        if rid not in known and rid not in FIXED_RULE_IDS:
            raise ValueError(f"rules.{rid}: unknown rule; known rules: {', '.join(sorted(known))}")
        if not isinstance(raw, dict):
            raise ValueError(f"rules.{rid}: must be a mapping with clauses and settings")
        try:
            block = RuleBlock(**{k: v for k, v in raw.items() if k in RULE_BLOCK_KEYS})
        except ValidationError as exc:
            raise ValueError(_first_error(exc, f"rules.{rid}")) from None
        for i, cid in enumerate(block.clauses):
            if cid not in clause_ids:
                raise ValueError(f"rules.{rid}.clauses[{i}]: unknown clause {cid!r}")
        spec = known.get(rid)
        if spec is None:  # a fixed rule whose module is not installed: settings kept as given
            settings[rid] = {k: v for k, v in raw.items() if k not in RULE_BLOCK_KEYS}
            continue
        kinds = {clause_ids[cid].kind for cid in block.clauses}
        if spec.clauses and not (kinds | set(block.clauses)) & set(spec.clauses):
            raise ValueError(
                f"rules.{rid}.clauses: none of them is of a kind this rule serves "
                f"({', '.join(spec.clauses)}); their kinds: {', '.join(sorted(kinds))}"
            )
        values = {k: v for k, v in raw.items() if k not in RULE_BLOCK_KEYS}
        if spec.settings_model is not None:
            try:
                values = spec.settings_model.model_validate(values).model_dump(mode="json")
            except ValidationError as exc:
                raise ValueError(_first_error(exc, f"rules.{rid}")) from None
        settings[rid] = values
    return settings


def parse_pack(content: bytes, *, path: Path) -> Pack:
    """Validate a pack's ``content`` (read from ``path``); raise :class:`PackError` naming the key at fault."""
    where = f"policy pack {path}"
    try:
        raw = yaml.safe_load(content)
    except yaml.YAMLError as exc:
        raise PackError(code="packs.not_yaml", where=where, detail=exc) from None
    if not isinstance(raw, dict):
        raise PackError(code="packs.not_mapping", where=where)
    try:
        data = PackFile.model_validate(raw)
    except ValidationError as exc:
        raise PackError(code="packs.invalid", where=where, detail=_first_error(exc)) from None
    try:
        settings = _validate_rules(data)
    except ValueError as exc:
        raise PackError(code="packs.invalid", where=where, detail=exc) from None
    return Pack(
        name=data.pack,
        version=data.version,
        hash=hashlib.sha256(content).hexdigest(),
        path=path,
        data=data,
        settings=settings,
    )


def _search_dirs() -> list[Path]:
    dirs = []
    try:
        from merkwacht.core.settings import get_settings

        extra = get_settings().policy_dir
        if extra:
            dirs.append(Path(extra))
    except Exception:  # noqa: BLE001 - settings unreadable: the built-in packs still work
        pass
    dirs.append(BUILTIN_DIR)
    return dirs


def available_packs() -> list[str]:
    """Names of the packs that can be loaded by name (the organisation's folder first, then built-in)."""
    names: dict[str, None] = {}
    for folder in _search_dirs():
        if folder.is_dir():
            for path in sorted(folder.glob("*.yaml")):
                names.setdefault(path.stem, None)
    return list(names)


_cache: dict[tuple[str, str], Pack] = {}


def load_pack(name_or_path: str) -> Pack:
    """The pack named ``name_or_path`` (``leiden``) or at that path (``./packs/ours.yaml``)."""
    candidate = Path(name_or_path)
    path: Path | None = None
    if candidate.suffix in (".yaml", ".yml") or candidate.is_file():
        path = candidate
        if not path.is_file():
            raise PackError(code="packs.no_file", path=path)
    else:
        for folder in _search_dirs():
            if (folder / f"{name_or_path}.yaml").is_file():
                path = folder / f"{name_or_path}.yaml"
                break
        if path is None:
            raise PackError(code="packs.unknown", name=name_or_path, available=", ".join(available_packs()))
    content = path.read_bytes()
    key = (str(path.resolve()), hashlib.sha256(content).hexdigest())
    if key not in _cache:
        _cache[key] = parse_pack(content, path=path)
    return _cache[key]


def agreed_datetime(pack: Pack) -> datetime | None:
    """The council's agreement date as an aware UTC datetime (start of that day), for the database."""
    from datetime import UTC

    day = pack.agreed_at
    return None if day is None else datetime(day.year, day.month, day.day, tzinfo=UTC)
