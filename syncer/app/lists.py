"""The app's lists: accounts, departments (QuickBooks classes), vendors, customers and jobs, items.

Accounts, departments, vendors and customers sync both ways. Jobs are created and edited in QuickBooks and come to
the app with each sync, so the app refuses to create or edit one. Items come from QuickBooks too: an item created
in the app stays in the app, and bills or invoices that use it cannot sync until it exists in QuickBooks.
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from syncer.app import rules
from syncer.app.base import Collection, M
from syncer.app.models import Account, Customer, Department, Item, Vendor, fold
from syncer.errors import DuplicateError, InvalidInputError, NotAllowedError

_CONTACT = ("company_name", "email", "phone", "address", "city", "state", "postal_code")


def _contact_field(field: str, value: Any) -> str | None:
    return rules.email(value) if field == "email" else rules.text(value, field.replace("_", " "))


class _Named(Collection[M]):
    """A list whose objects have a name unique in the list (by full name, for sub-levels)."""

    hierarchical: ClassVar[bool] = False
    fields: ClassVar[tuple[str, ...]] = ()

    def _unique(self, s: Session, full_name: str, own_id: int | None = None) -> None:
        clash = s.scalar(select(self.model.id).where(self._matching(full_name), self.model.id != own_id))
        if clash is not None:
            raise DuplicateError(f'A {self._noun} named "{full_name}" already exists.')

    def _parent(self, s: Session, key: Any) -> Any:
        if key is None or key == "":
            return None
        parent = self._find(s, key)
        return parent

    def _clean(self, field: str, value: Any) -> Any:
        if field == "is_active":
            return bool(value)
        return _contact_field(field, value)

    def create(self, name: str, **fields: Any) -> M:
        """Add an object to the list (it reaches QuickBooks with the next sync)."""
        with self._app.session() as s:
            obj = self.model(name=rules.name(name, self.kind))
            self._assign(s, obj, fields, creating=True)
            self._unique(s, self._full_name(obj))
            s.add(obj)
            s.flush()
            object_id = obj.id
        return self._reload(object_id)

    def update(self, key: Any, **fields: Any) -> M:
        """Change an object's fields (name included); the change reaches QuickBooks with the next sync."""
        with self._app.session() as s:
            obj: Any = self._find(s, key)
            self._check_editable(s, obj)
            old_full_name = self._full_name(obj)
            if "name" in fields:
                obj.name = rules.name(fields.pop("name"), self.kind)
            self._assign(s, obj, fields, creating=False)
            new_full_name = self._full_name(obj)
            if fold(new_full_name) != fold(old_full_name):
                self._unique(s, new_full_name, obj.id)
            if self.hierarchical and new_full_name != old_full_name:
                obj.full_name = new_full_name
                rename_children(s, self.model, obj)
            object_id = obj.id
        return self._reload(object_id)

    def _check_editable(self, s: Session, obj: Any) -> None:
        return None

    def _assign(self, s: Session, obj: Any, fields: dict[str, Any], creating: bool) -> None:
        for field, value in fields.items():
            if field == "parent" and self.hierarchical:
                parent = self._parent(s, value)
                if parent is not None and not creating and _is_below(parent, obj):
                    raise InvalidInputError(f'A {self._noun} cannot be moved under itself ("{parent.full_name}").')
                obj.parent_id = parent.id if parent is not None else None
                obj.parent = parent
            elif field in self.fields or field == "is_active":
                setattr(obj, field, self._clean(field, value))
            else:
                raise InvalidInputError(f'A {self._noun} has no field "{field}".')
        if self.hierarchical:
            obj.full_name = self._full_name(obj)

    def _full_name(self, obj: Any) -> str:
        if not self.hierarchical:
            return str(obj.name)
        parent = obj.parent
        return f"{parent.full_name}:{obj.name}" if parent is not None else str(obj.name)


def _is_below(candidate: Any, obj: Any) -> bool:
    """Whether `candidate` is `obj` or one of its descendants."""
    node = candidate
    while node is not None:
        if node.id == obj.id:
            return True
        node = node.parent
    return False


def rename_children(s: Session, model: type[Any], parent: Any) -> None:
    """Give the descendants of `parent` full names under its (new) full name."""
    for child in s.scalars(select(model).where(model.parent_id == parent.id)):
        child.full_name = f"{parent.full_name}:{child.name}"
        rename_children(s, model, child)


class Accounts(_Named[Account]):
    model = Account
    kind = "account"
    hierarchical = True
    fields = ("account_type", "number", "description")

    def create(self, name: str, account_type: str | None = None, **fields: Any) -> Account:  # type: ignore[override]
        """Add an account: `account_type` is QuickBooks' ("Bank", "Expense", "Accounts Payable"...).

        A sub-account (`parent=`) has its parent's type, which is the default.
        """
        if account_type is not None:
            fields["account_type"] = account_type
        return super().create(name, **fields)

    def _clean(self, field: str, value: Any) -> Any:
        if field == "account_type":
            return rules.account_type(value)
        if field == "number":
            return rules.text(value, "account number", 7)
        if field == "description":
            return rules.text(value, "description", 200)
        return super()._clean(field, value)

    def _assign(self, s: Session, obj: Any, fields: dict[str, Any], creating: bool) -> None:
        super()._assign(s, obj, fields, creating)
        if obj.account_type is None and obj.parent is not None:
            obj.account_type = obj.parent.account_type
        if obj.account_type is None:
            raise InvalidInputError(f'The account "{obj.name}" needs a type (Bank, Expense, Income...).')
        if obj.parent is not None and obj.parent.account_type != obj.account_type:
            raise InvalidInputError(f'"{obj.name}" must have the type of its parent account "{obj.parent.full_name}" '
                                    f"({obj.parent.account_type}).")

    def bank_balance(self, key: Any) -> Any:
        """The balance QuickBooks shows for a bank account (as of the last sync)."""
        account = self.get(key)
        if account.account_type != "Bank":
            raise InvalidInputError(f'"{account.full_name}" is not a bank account.')
        return account.balance


class Departments(_Named[Department]):
    model = Department
    kind = "department"
    hierarchical = True


class Vendors(_Named[Vendor]):
    model = Vendor
    kind = "vendor"
    key_column = "name"
    fields = (*_CONTACT, "pay_to_name", "account_number")

    def _clean(self, field: str, value: Any) -> Any:
        if field == "account_number":
            return rules.text(value, "account number", 99)
        return super()._clean(field, value)


class Customers(_Named[Customer]):
    """Customers, and their jobs (read-only in the app: jobs are created and edited in QuickBooks)."""

    model = Customer
    kind = "customer"
    hierarchical = True
    fields = _CONTACT

    def create(self, name: str, **fields: Any) -> Customer:
        if fields.get("parent"):
            raise NotAllowedError(f'Jobs are created in QuickBooks: add "{name}" as a job of "{fields["parent"]}" in '
                                  f"QuickBooks, and it will come to {self._app.brand} with the next sync.")
        fields.pop("parent", None)
        return super().create(name, **fields)

    def _check_editable(self, s: Session, obj: Any) -> None:
        if obj.parent_id is not None:
            raise NotAllowedError(f'"{obj.full_name}" is a job: jobs are edited in QuickBooks, and the changes come to '
                                  f"{self._app.brand} with the next sync.")

    def _assign(self, s: Session, obj: Any, fields: dict[str, Any], creating: bool) -> None:
        if "parent" in fields:
            raise NotAllowedError("Jobs are created in QuickBooks; a customer cannot become a job in "
                                  f"{self._app.brand}.")
        super()._assign(s, obj, fields, creating)

    def jobs(self, key: Any) -> list[Customer]:
        """The jobs of a customer."""
        customer = self.get(key)
        with self._app.session() as s:
            return list(s.scalars(select(Customer).where(Customer.parent_id == customer.id).order_by(Customer.name)))


class Items(_Named[Item]):
    """Items come from QuickBooks; one created here stays in the app (QuickBooks never sees it)."""

    model = Item
    kind = "item"
    fields = ("item_type", "description", "price")

    def create(self, name: str, **fields: Any) -> Item:
        fields.setdefault("item_type", "Service")
        return super().create(name, **fields)

    def _clean(self, field: str, value: Any) -> Any:
        if field == "price":
            return None if value is None else rules.money(value, "price")
        if field == "description":
            return rules.text(value, "description", rules.MEMO_LIMIT)
        if field == "item_type":
            return rules.text(value, "item type")
        return super()._clean(field, value)

    def _check_editable(self, s: Session, obj: Any) -> None:
        if self._link(s, obj.id) is not None:
            raise NotAllowedError(f'The item "{obj.full_name}" comes from QuickBooks: edit it in QuickBooks, and the '
                                  f"change comes to {self._app.brand} with the next sync.")

    def _assign(self, s: Session, obj: Any, fields: dict[str, Any], creating: bool) -> None:
        super()._assign(s, obj, fields, creating)
        obj.full_name = obj.name
