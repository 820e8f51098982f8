"""Personas as stored: made once from a clip, listed newest first, read by id."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from suno.models import Persona
from suno.store.engine import READ_ONLY
from suno.store.outages import reports_outages
from suno.store.tables import personas


@reports_outages
class PersonaStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._reader = engine.execution_options(**{READ_ONLY: True})

    async def save(self, persona: Persona) -> None:
        """Insert, or refresh the row Suno's id already has (a persona read again from Suno)."""
        row = {
            "id": persona.id,
            "account": persona.account,
            "root_clip_id": persona.root_clip_id,
            "name": persona.name,
            "description": persona.description,
            "is_public": persona.is_public,
            "created_at": persona.created_at,
        }
        async with self.engine.begin() as conn:
            found = (await conn.execute(sa.select(personas.c.id).where(personas.c.id == persona.id))).first()
            if found is None:
                await conn.execute(personas.insert().values(**row))
            else:
                await conn.execute(personas.update().where(personas.c.id == persona.id).values(**row))

    async def get(self, persona_id: str) -> Persona | None:
        async with self._reader.connect() as conn:
            row = (
                (await conn.execute(sa.select(personas).where(personas.c.id == persona_id)))
                .mappings()
                .first()
            )
        return _persona(row) if row else None

    async def for_clip(self, clip_id: str) -> Persona | None:
        async with self._reader.connect() as conn:
            query = sa.select(personas).where(personas.c.root_clip_id == clip_id)
            row = (await conn.execute(query)).mappings().first()
        return _persona(row) if row else None

    async def all(self) -> list[Persona]:
        query = sa.select(personas).order_by(personas.c.created_at.desc(), personas.c.id)
        async with self._reader.connect() as conn:
            rows = (await conn.execute(query)).mappings().all()
        return [_persona(row) for row in rows]


def _persona(row: Mapping[Any, Any]) -> Persona:
    return Persona(
        id=row["id"],
        account=row["account"],
        root_clip_id=row["root_clip_id"],
        name=row["name"],
        description=row["description"],
        is_public=bool(row["is_public"]),
        created_at=float(row["created_at"]),
    )
