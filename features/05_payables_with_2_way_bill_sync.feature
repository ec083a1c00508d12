@seed-glance
Feature: Payables with 2-way bill sync
  With 2-way bill sync, bills travel both ways: created or edited in QuickBooks, they reach the
  app; created or edited in the app, they reach QuickBooks. Vendor credits, approvals and
  payments still belong in the app.

  Background:
    Given the app was connected to QuickBooks on Jan 2, 2024
    And 2-way bill sync is on
    And the vendor "Harbor Office Supply" is in the app and in QuickBooks
    And the bank account "Operating Checking" is in the app and in QuickBooks

  @payables-2way @two-way-bill-sync
  Rule: Bills created or edited in QuickBooks reach the app
    Help article: "Creating and editing bills in QuickBooks Desktop will sync to the app."

    Example: A bill entered in QuickBooks appears in the app
      When a person in QuickBooks enters the bill "INV-2060" from "Harbor Office Supply" for $640.00
      And the sync runs
      Then the app shows the bill "INV-2060" for $640.00

    Example: A bill edited in QuickBooks is updated in the app
      Given a person in the app creates the bill "INV-2041" from "Harbor Office Supply" for $1,250.00
      And the sync runs
      When a person in QuickBooks changes the amount of the bill "INV-2041" to $1,400.00
      And the sync runs
      Then the app shows the bill "INV-2041" for $1,400.00

    Example: A bill deleted in QuickBooks is deleted in the app
      Given a person in QuickBooks enters the bill "INV-2061" from "Harbor Office Supply" for $310.00
      And the sync runs
      When a person in QuickBooks deletes the bill "INV-2061"
      And the sync runs
      Then the app does not show the bill "INV-2061"

    Example: A bill deleted in QuickBooks after the app paid it stays in the app
      Given a person in QuickBooks enters the bill "INV-2062" from "Harbor Office Supply" for $420.00
      And the sync runs
      And a person in the app pays the bill "INV-2062" from the bank account "Operating Checking"
      And the sync runs
      When a person in QuickBooks deletes the bill "INV-2062"
      And the sync runs
      Then the app still shows the bill "INV-2062" as paid

  @payables-2way @two-way-bill-sync
  Rule: Bills created or edited in the app reach QuickBooks
    Help article: "Creating and editing bills in the app will sync to QuickBooks Desktop."

    Example: A bill created in the app appears in QuickBooks
      When a person in the app creates the bill "INV-2041" from "Harbor Office Supply" for $1,250.00
      And the sync runs
      Then QuickBooks shows the bill "INV-2041" for $1,250.00

    Example: A bill from QuickBooks edited in the app is updated in QuickBooks
      Given a person in QuickBooks enters the bill "INV-2060" from "Harbor Office Supply" for $640.00
      And the sync runs
      When a person in the app changes the amount of the bill "INV-2060" to $690.00
      And the sync runs
      Then QuickBooks shows the bill "INV-2060" for $690.00

  @payables-2way @two-way-bill-sync @recommendation
  Rule: Vendor credits, approvals and payments are created in the app
    Help article: "We recommend creating all vendor credits, approvals, and payments in the app."
    The examples after the first one show what happens when this is not followed.

    Example: A bill from QuickBooks is approved and paid in the app
      Given a person in QuickBooks enters the bill "INV-2060" from "Harbor Office Supply" for $640.00
      And the sync runs
      When a person in the app approves the bill "INV-2060"
      And a person in the app pays the bill "INV-2060" from the bank account "Operating Checking"
      And the sync runs
      Then QuickBooks shows the bill "INV-2060" as paid

    Example: A vendor credit entered in QuickBooks does not reach the app
      When a person in QuickBooks enters the vendor credit "CR-21" from "Harbor Office Supply" for $75.00
      And the sync runs
      Then the app does not show the vendor credit "CR-21"

    Example: A bill paid in QuickBooks stays open in the app
      Given a person in QuickBooks enters the bill "INV-2060" from "Harbor Office Supply" for $640.00
      And the sync runs
      When a person in QuickBooks pays the bill "INV-2060" from the bank account "Operating Checking"
      And the sync runs
      Then the app shows the bill "INV-2060" as open

  @payables-2way @two-way-bill-sync
  Rule: Edits made in QuickBooks to vendor credits, approvals and payments do not reach the app
    Help article: "Edits made in QuickBooks for vendor credits, approvals and payments won't sync
    to the app." Unlike bills, which do.

    Example: A vendor credit edited in QuickBooks keeps its app amount
      Given a person in the app creates the vendor credit "CR-17" from "Harbor Office Supply" for $200.00
      And the sync runs
      When a person in QuickBooks changes the amount of the vendor credit "CR-17" to $150.00
      And the sync runs
      Then the app still shows the vendor credit "CR-17" for $200.00

    Example: A payment deleted in QuickBooks stays in the app
      Given a person in the app creates the bill "INV-2041" from "Harbor Office Supply" for $1,250.00
      And a person in the app pays the bill "INV-2041" from the bank account "Operating Checking"
      And the sync runs
      When a person in QuickBooks deletes the payment of the bill "INV-2041"
      And the sync runs
      Then the app still shows the bill "INV-2041" as paid

    Example: A bill waiting for approval in the app stays waiting when it is paid in QuickBooks
      Given a person in the app creates the bill "INV-2050" from "Harbor Office Supply" for $800.00
      And the bill "INV-2050" is waiting for approval in the app
      And the sync runs
      When a person in QuickBooks pays the bill "INV-2050" from the bank account "Operating Checking"
      And the sync runs
      Then the app still shows the bill "INV-2050" as waiting for approval
      And the app still shows the bill "INV-2050" as open
