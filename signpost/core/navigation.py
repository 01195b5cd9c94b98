"""The staff navigation: each app registers its entries and the roles that see them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise

from signpost.core.models import User


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: frozenset[str]
    order: int = 100
    # A further condition for entries that depend on more than a role (e.g. a coordinator).
    shown_to: Callable[[User], bool] | None = None


_registry: list[NavItem] = []


def register(item: NavItem) -> None:
    if item not in _registry:
        _registry.append(item)


def items_for(user: User, roles: set[str]) -> list[dict[str, str]]:
    visible = sorted(
        (
            item
            for item in _registry
            if item.roles & roles and (item.shown_to is None or item.shown_to(user))
        ),
        key=lambda i: i.order,
    )
    return [{"label": str(item.label), "url": reverse(item.url_name)} for item in visible]
