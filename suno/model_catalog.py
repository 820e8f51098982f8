"""Suno's model names as data: internal keys, their display names, every alias users type, v6's limits.

The account's billing reply is the truth about which models it may use (`suno.upstream.types.ModelInfo`);
this table only spells names, so an alias of a model the account lacks is still recognised and refused
with the account's own list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# The account's default when billing does not say (v6 since 2026-09).
FALLBACK_DEFAULT_MODEL = "chirp-hawk"


@dataclass(frozen=True, slots=True)
class CatalogModel:
    key: str
    name: str
    aliases: tuple[str, ...] = ()


CATALOG: tuple[CatalogModel, ...] = (
    CatalogModel("chirp-hawk", "v6", ("v6", "V6", "suno-v6")),
    CatalogModel("chirp-hawk-wild", "v6-wild", ("v6-wild", "V6_WILD")),
    CatalogModel("chirp-goose", "v6-mini", ("v6-mini", "V6_MINI")),
    CatalogModel("chirp-fenix", "v5.5", ("v5.5", "V5_5", "suno-v5.5")),
    CatalogModel("chirp-crow", "v5", ("v5", "V5", "suno-v5")),
    CatalogModel("chirp-bluejay", "v4.5+", ("v4.5+", "V4_5PLUS", "suno-v4.5+")),
    CatalogModel("chirp-auk", "v4.5", ("v4.5", "V4_5", "suno-v4.5")),
    CatalogModel("chirp-auk-turbo", "v4.5-all", ("v4.5-all", "V4_5ALL")),
    CatalogModel("chirp-v4", "v4", ("v4", "V4", "suno-v4")),
    CatalogModel("chirp-v3-5", "v3.5", ("v3.5", "V3_5", "suno-v3.5")),
    CatalogModel("chirp-v3-0", "v3", ("v3", "V3", "suno-v3")),
)

BY_KEY: Mapping[str, CatalogModel] = {model.key: model for model in CATALOG}
ALIASES: Mapping[str, str] = {alias: model.key for model in CATALOG for alias in model.aliases}
_FOLDED: Mapping[str, str] = {
    **{alias.lower(): key for alias, key in ALIASES.items()},
    **{key.lower(): key for key in BY_KEY},
}

# v6's limits (characters), used when the account's model gives no max_lengths.
DEFAULT_MAX_LENGTHS: Mapping[str, int] = {
    "title": 100,
    "prompt": 5000,
    "tags": 1000,
    "negative_tags": 1000,
    "gpt_description_prompt": 3000,
}


def canonical_model(name: str) -> str:
    """The internal key for a key or alias (case-insensitive); an unknown name passes unchanged."""
    cleaned = name.strip()
    return _FOLDED.get(cleaned.lower(), cleaned)


def aliases_of(key: str) -> tuple[str, ...]:
    model = BY_KEY.get(key)
    return model.aliases if model else ()


def display_name(key: str) -> str:
    model = BY_KEY.get(key)
    return model.name if model else key
