"""What every collection of the app has: list, get (by id, by name or number, or the object itself), reloading."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from syncer.app.models import Base, Link, fold
from syncer.errors import InvalidInputError, NotFoundError

M = TypeVar("M", bound=Base)


class Host(Protocol):
    """What a collection needs of the app: its brand (for messages) and its database sessions."""

    @property
    def brand(self) -> str: ...

    def session(self) -> AbstractContextManager[Session]: ...


class Collection(Generic[M]):
    """The app's objects of one kind (`app.vendors`, `app.bills`...)."""

    model: ClassVar[type[Any]]
    kind: ClassVar[str]  # the link kind, and the word used in messages ("vendor")
    noun: ClassVar[str] = ""
    key_column: ClassVar[str] = "full_name"  # what a string key is matched against

    def __init__(self, app: Host):
        self._app = app

    @property
    def _noun(self) -> str:
        return self.noun or self.kind.replace("_", " ")

    def list(self) -> list[M]:
        """Every object of this kind, in the order the app lists them."""
        with self._app.session() as s:
            return list(s.scalars(select(self.model).order_by(*self._order())))

    def get(self, key: Any) -> M:
        """The object with this id, name (full name for sub-levels) or number; or the object itself."""
        with self._app.session() as s:
            return self._find(s, key)

    def find(self, key: Any) -> M | None:
        """Like `get`, but None when there is no such object."""
        try:
            return self.get(key)
        except NotFoundError:
            return None

    # -- for subclasses -----------------------------------------------------------------------------------------
    def _order(self) -> tuple[Any, ...]:
        if self._keyed:
            return (self.model.key, self.model.id)
        return (func.lower(getattr(self.model, self.key_column)), self.model.id)

    @property
    def _keyed(self) -> bool:
        """Whether the model keeps the case-folded key column in its indexed `key`."""
        return getattr(self.model, "key_source", None) == self.key_column

    def _matching(self, text: str) -> Any:
        """The condition that an object's name or number is `text`, whatever the case."""
        if self._keyed:
            return self.model.key == fold(text)
        return func.lower(getattr(self.model, self.key_column)) == text.lower()

    def _find(self, s: Session, key: Any) -> M:
        if isinstance(key, self.model):
            key = key.id
        if isinstance(key, bool) or key is None:
            raise InvalidInputError(f"Which {self._noun}? Give its name or id.")
        if isinstance(key, int):
            found = s.get(self.model, key)
            if found is None:
                raise NotFoundError(f"There is no {self._noun} with id {key}.")
            return found  # type: ignore[no-any-return]
        text = str(key).strip()
        rows = list(s.scalars(select(self.model).where(self._matching(text)).order_by(self.model.id)))
        if not rows:
            raise NotFoundError(f'There is no {self._noun} "{text}".')
        if len(rows) > 1:
            raise InvalidInputError(f'There are {len(rows)} {self._noun}s "{text}"; give the id of the one you mean.')
        return rows[0]  # type: ignore[no-any-return]

    def _reload(self, object_id: int) -> M:
        """A fresh snapshot of an object (references loaded), after its changes are committed."""
        with self._app.session() as s:
            found = s.get(self.model, object_id)
            assert found is not None
            return found  # type: ignore[no-any-return]

    def _link(self, s: Session, object_id: int) -> Link | None:
        return s.scalar(select(Link).where(Link.kind == self.kind, Link.app_id == object_id))


class Transactions(Collection[M]):
    """A collection of transactions: listed by date, then in the order they were entered."""

    def _order(self) -> tuple[Any, ...]:
        return (self.model.date, self.model.id)
