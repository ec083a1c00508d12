@seed-glance
Feature: Payables without 2-way bill sync
  Without 2-way bill sync, bills travel one way: from the app to QuickBooks. Bills, vendor
  credits, approvals and payments belong in the app; what is entered or edited for them in
  QuickBooks stays in QuickBooks.

  Background:
    Given the app was connected to QuickBooks on Jan 2, 2024
    And 2-way bill sync is off
    And the vendor "Harbor Office Supply" is in the app and in QuickBooks
    And the bank account "Operating Checking" is in the app and in QuickBooks

  @payables-1way @recommendation
  Rule: Bills, vendor credits, approvals and payments are created in the app
    Help article: "We recommend creating all bills, vendor credits, approvals, and payments in
    the app." The examples after the first one show what happens when this is not followed.

    Example: A bill created, approved and paid in the app reaches QuickBooks paid
      Given a person in the app creates the bill "INV-2041" from "Harbor Office Supply" for $1,250.00
      And a person in the app approves the bill "INV-2041"
      And a person in the app pays the bill "INV-2041" from the bank account "Operating Checking"
      When the sync runs
      Then QuickBooks shows the bill "INV-2041" for $1,250.00
      And QuickBooks shows the bill "INV-2041" as paid

    Scenario Outline: A <record> entered in QuickBooks does not reach the app
      When a person in QuickBooks enters the <record> "<number>" from "Harbor Office Supply" for <amount>
      And the sync runs
      Then the app does not show the <record> "<number>"

      Examples:
        | record        | number   | amount  |
        | bill          | INV-2060 | $640.00 |
        | vendor credit | CR-21    | $75.00  |

    Example: A bill paid in QuickBooks stays open in the app
      Given a person in the app creates the bill "INV-2041" from "Harbor Office Supply" for $1,250.00
      And the sync runs
      When a person in QuickBooks pays the bill "INV-2041" from the bank account "Operating Checking"
      And the sync runs
      Then the app shows the bill "INV-2041" as open

  @payables-1way
  Rule: Edits made in QuickBooks to bills, vendor credits, approvals and payments do not reach the app
    Help article: "Edits made in QuickBooks for bills, vendor credits, approvals and payments
    won't sync to the app." The app keeps its own version.

    Scenario Outline: A <record> edited in QuickBooks keeps its app amount
      Given a person in the app creates the <record> "<number>" from "Harbor Office Supply" for <amount in the app>
      And the sync runs
      When a person in QuickBooks changes the amount of the <record> "<number>" to <amount in QuickBooks>
      And the sync runs
      Then the app still shows the <record> "<number>" for <amount in the app>

      Examples:
        | record        | number   | amount in the app | amount in QuickBooks |
        | bill          | INV-2041 | $1,250.00         | $1,400.00            |
        | vendor credit | CR-17    | $200.00           | $150.00              |

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
