"""Apps register a provider of all their documents per kind; the search module never imports
another app's models."""

from collections.abc import Callable, Iterable

from .documents import SearchDocument

Provider = Callable[[], Iterable[SearchDocument]]

_providers: dict[str, Provider] = {}


def register_provider(kind: str, *, all_documents: Provider) -> None:
    _providers[kind] = all_documents


def providers() -> dict[str, Provider]:
    return dict(_providers)
