"""The file-name part of one client, unique among the clients stored (see
:func:`vendorrisk.io.filenames.client_part`): what every per-client output name carries."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from vendorrisk.io.filenames import client_part
from vendorrisk.store.models import Client


def client_file_part(session: Session, client_id: int) -> str:
    clients: dict[int, str] = dict(session.execute(select(Client.id, Client.name)).all())
    return client_part(client_id, clients)
