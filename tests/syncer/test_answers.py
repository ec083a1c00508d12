"""`syncer.qbxml.answers`: an answer checked against the request it answers, case by case (the hostile request
processor of `test_hostile_quickbooks.py` shows what the engine does with the result)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from syncer.errors import BadAnswerError
from syncer.qbxml import txns
from syncer.qbxml.answers import answer
from syncer.qbxml.build import Element
from syncer.qbxml.lists import list_add, list_mod, list_query

VENDOR = ("<VendorRet><ListID>80000001-1709301600</ListID><TimeModified>2024-03-01T09:00:00-05:00</TimeModified>"
          "<EditSequence>1709301600</EditSequence><Name>Acme Supply</Name><Balance>0.00</Balance></VendorRet>")


def doc(rs: str, body: str, status: str = "0") -> str:
    return (f'<?xml version="1.0"?><QBXML><QBXMLMsgsRs><{rs} statusCode="{status}" statusSeverity="Info" '
            f'statusMessage="Status OK">{body}</{rs}></QBXMLMsgsRs></QBXML>')


def vendor(name: str = "Acme Supply", list_id: str = "80000001-1709301600", modified: str = "2024-03-01T09:00:00",
           balance: str = "0.00") -> str:
    return VENDOR.replace("Acme Supply", name).replace("80000001-1709301600", list_id) \
        .replace("2024-03-01T09:00:00-05:00", modified).replace("<Balance>0.00", f"<Balance>{balance}")


def transfer(amount: str = "250.00", to_account: str = "80000009-1709301600") -> str:
    return (f"<TransferRet><TxnID>1A-1709301600</TxnID><TimeModified>2024-03-01T09:00:00</TimeModified>"
            f"<EditSequence>1709301600</EditSequence><TxnDate>2024-03-01</TxnDate><TransferFromAccountRef><ListID>"
            f"80000008-1709301600</ListID></TransferFromAccountRef><TransferToAccountRef><ListID>{to_account}"
            f"</ListID></TransferToAccountRef><Amount>{amount}</Amount><Memo>Sweep (Cashflow360 ref 1234)</Memo>"
            "</TransferRet>")


TRANSFER_ADD = txns.transfer_add(txns.Transfer(date(2024, 3, 1), "80000008-1709301600", "80000009-1709301600",
                                               Decimal("250.00"), "Sweep (Cashflow360 ref 1234)"))


def test_an_add_answered_with_what_was_sent_is_taken() -> None:
    rs = answer(list_add("Vendor", [("Name", "Acme Supply")]), doc("VendorAddRs", vendor()))
    assert [ret.findtext("ListID") for ret in rs.rets()] == ["80000001-1709301600"]
    assert answer(TRANSFER_ADD, doc("TransferAddRs", transfer()).encode()).rets()


@pytest.mark.parametrize(("ret", "says"), [
    (transfer(amount="25.00"), 'Amount "25.00", not "250.00"'),
    (transfer(to_account="8000000A-1709301600"), "TransferToAccountRef/ListID"),
])
def test_a_transfer_answered_with_another_transfer_is_refused(ret: str, says: str) -> None:
    with pytest.raises(BadAnswerError, match=says.replace("/", ".")):
        answer(TRANSFER_ADD, doc("TransferAddRs", ret))


def test_a_payment_that_only_sets_credits_may_be_answered_without_a_ret() -> None:
    credits_only = txns.bill_payment_check_add(txns.BillPayment(
        "80000001-1709301600", date(2024, 3, 1), "80000008-1709301600",
        [txns.Applied("1B-1709301600", Decimal("0.00"), (("1C-1709301600", Decimal("40.00")),))]))
    assert answer(credits_only, doc("BillPaymentCheckAddRs", "")).rets() == []
    paying = txns.bill_payment_check_add(txns.BillPayment(
        "80000001-1709301600", date(2024, 3, 1), "80000008-1709301600",
        [txns.Applied("1B-1709301600", Decimal("60.00"), (("1C-1709301600", Decimal("40.00")),))]))
    with pytest.raises(BadAnswerError, match="holds no BillPaymentCheckRet"):
        answer(paying, doc("BillPaymentCheckAddRs", ""))


def test_a_mod_of_an_object_gone_is_left_to_the_engine() -> None:
    mod = list_mod("Vendor", "80000001-1709301600", "1709301600", [("Phone", "555-0100")])
    rs = answer(mod, doc("VendorModRs", "", status="500"))
    assert rs.code == 500 and rs.rets() == []


def test_a_refusal_is_an_answer() -> None:
    rs = answer(list_add("Vendor", [("Name", "Acme Supply")]), doc("VendorAddRs", "", status="3100"))
    assert rs.is_error and rs.code == 3100


@pytest.mark.parametrize(("rq", "ret", "says"), [
    (list_query("Vendor", list_ids=["80000001-1709301600"]), vendor(list_id="80000002-1709301600"),
     "not the object asked for"),
    (list_query("Vendor", full_names=["Acme Supply"]), vendor(name="Harbor Office"), "not the name asked for"),
    (txns.txn_query("Transfer", from_date=date(2024, 3, 2), to_date=date(2024, 3, 2)), transfer(),
     "outside the dates asked for"),
    (list_query("Vendor"), vendor(modified="0001-01-01T00:00:00"), "TimeModified .* is not a time"),
    (list_query("Vendor"), vendor(modified="2024-03-01T09:00:00+99:00"), "TimeModified .* is not a time"),
    (list_query("Vendor"), vendor(balance="NaN"), "Balance .* is not an amount"),
    (list_query("Vendor"), vendor(balance="1E+400"), "Balance .* is not an amount"),
    (list_query("Vendor"), vendor().replace("<EditSequence>1709301600", f"<EditSequence>{'9' * 21}"),
     "EditSequence is longer than 20"),
    (list_query("Vendor"), vendor().replace("VendorRet", "CustomerRet"), "it is a CustomerRet, not a VendorRet"),
])
def test_a_query_s_unusable_record_is_left_out_and_listed(rq: Element, ret: str, says: str) -> None:
    good = vendor() if rq.tag == "VendorQueryRq" else transfer().replace("2024-03-01<", "2024-03-02<")
    rs = answer(rq, doc(f"{str(rq.tag).removesuffix('Rq')}Rs", good + ret))
    assert len(rs.rets()) == 1
    ((label, problem),) = rs.rejected
    assert label and re.search(says, problem), problem


def test_a_query_restricted_to_some_elements_needs_only_those() -> None:
    rq = list_query("Account", account_types=["Bank"], include=("ListID", "FullName", "Balance"))
    ret = "<AccountRet><ListID>80000008-1709301600</ListID><FullName>Checking</FullName><Balance>10.00</Balance>" \
          "</AccountRet>"
    rs = answer(rq, doc("AccountQueryRs", ret))
    assert len(rs.rets()) == 1 and rs.rejected == ()


def test_an_item_query_takes_every_item_type() -> None:
    ret = vendor(name="Labor").replace("VendorRet", "ItemServiceRet")
    rs = answer(list_query("Item"), doc("ItemQueryRs", ret))
    assert len(rs.rets()) == 1 and rs.rejected == ()


@pytest.mark.parametrize("status", ['statusCode="0" statusSeverity="Error"',
                                    'statusCode="3100" statusSeverity="Error"'])
def test_a_status_that_says_both_failure_and_success_is_refused(status: str) -> None:
    text = doc("VendorAddRs", vendor()).replace('statusCode="0" statusSeverity="Info"', status)
    with pytest.raises(BadAnswerError, match="both that the request failed and that it succeeded"):
        answer(list_add("Vendor", [("Name", "Acme Supply")]), text)
