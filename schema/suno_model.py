"""GraphQL SunoModel: a model as one account sees it (from its billing), with its aliases and limits."""

from __future__ import annotations

import strawberry

from suno.models import AccountModel


@strawberry.type(description="A character limit of a model's field.")
class ModelLimit:
    field: str = strawberry.field(description="The field, as Suno names it (title, prompt, tags…).")
    max_length: int = strawberry.field(description="Characters allowed.")


@strawberry.type(description="A Suno model of one account: its key, names, whether it may be used now.")
class SunoModel:
    account: str = strawberry.field(description="The account whose billing lists it.")
    key: str = strawberry.field(description="Suno's internal key, e.g. chirp-hawk.")
    name: str = strawberry.field(description="Suno's display name, e.g. v6.")
    aliases: list[str] = strawberry.field(description="Other names sunoql accepts for it.")
    default: bool = strawberry.field(description="The model a song uses when none is named.")
    usable: bool = strawberry.field(
        description="False for a model the account lists but cannot use (retired)."
    )
    limits: list[ModelLimit] = strawberry.field(description="Character limits of this model.")
    features: list[str] = strawberry.field(description="What the model offers (control_sliders, max_mode…).")

    @classmethod
    def from_domain(cls, model: AccountModel) -> SunoModel:
        return cls(
            account=model.account,
            key=model.key,
            name=model.name,
            aliases=list(model.aliases),
            default=model.is_default,
            usable=model.usable,
            limits=[ModelLimit(field=name, max_length=value) for name, value in model.max_lengths.items()],
            features=list(model.features),
        )
