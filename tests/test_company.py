"""What QuickBooks says about the open company: its information and preferences, changed through settings."""

from __future__ import annotations

from pathlib import Path

from fakeqb import FakeQuickBooks
from tests.support import Client


def test_company_information_comes_from_the_settings(qb: FakeQuickBooks, client: Client) -> None:
    assert client.one("<CompanyQueryRq/>").findtext("CompanyRet/CompanyName") == "Fake Company"
    info = qb.setting("company")
    info["CompanyName"] = "Baker Remodeling"
    qb.set_setting("company", info)
    ret = client.one("<CompanyQueryRq/>").find("CompanyRet")
    assert ret is not None
    assert (ret.findtext("CompanyName"), ret.findtext("Address/City")) == ("Baker Remodeling", "Springfield")


def test_closing_date_appears_in_the_accounting_preferences(qb: FakeQuickBooks, client: Client) -> None:
    prefs = client.one("<PreferencesQueryRq/>").find("PreferencesRet/AccountingPreferences")
    assert prefs is not None and prefs.find("ClosingDate") is None
    qb.set_setting("closing_date", "2023-12-31")
    rs = client.one("<PreferencesQueryRq/>")
    assert rs.findtext("PreferencesRet/AccountingPreferences/ClosingDate") == "2023-12-31"


def test_settings_persist_in_the_company_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'company.db'}"
    with FakeQuickBooks(url) as qb:
        qb.set_setting("closing_date", "2024-01-31")
    with FakeQuickBooks(url) as qb:
        assert qb.setting("closing_date") == "2024-01-31"
