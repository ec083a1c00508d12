@seed-glance
Feature: What the app picks up from QuickBooks
  With each sync, the app picks up the changes made in QuickBooks to accounts, departments,
  vendors, bills (only with 2-way bill sync), jobs, the bank balance, customers, invoices and
  items. Each item of that list is one rule below.

  Background:
    Given the app was connected to QuickBooks on Jan 2, 2024

  @picks-up-from-quickbooks
  Rule: Accounts added or changed in QuickBooks appear in the app
    Help article: "With each sync, the app picks up changes made in QuickBooks to: Accounts".

    Scenario Outline: A new <account type> account in QuickBooks appears in the app
      When a person in QuickBooks adds the <account type> account "<account>"
      And the sync runs
      Then the app shows the account "<account>"
      And the app shows the account "<account>" with the type <account type>

      Examples:
        | account type | account           |
        | expense      | Office Supplies   |
        | income       | Consulting Income |
        | bank         | Payroll Checking  |
        | credit card  | Company Visa      |

    Example: An account renamed in QuickBooks is renamed in the app
      Given the account "Office Supplies" is in the app and in QuickBooks
      When a person in QuickBooks renames the account "Office Supplies" to "Office and Printing Supplies"
      And the sync runs
      Then the app shows the account "Office and Printing Supplies"
      And the app does not show the account "Office Supplies"

    Example: An account made inactive in QuickBooks is inactive in the app
      Given the account "Office Supplies" is in the app and in QuickBooks
      When a person in QuickBooks makes the account "Office Supplies" inactive
      And the sync runs
      Then the app shows the account "Office Supplies" as inactive

  @picks-up-from-quickbooks
  Rule: Classes added or changed in QuickBooks appear in the app as departments
    Help article: "the app picks up changes made in QuickBooks to: Departments (called Classes
    in QuickBooks)".

    Example: A new class in QuickBooks becomes a department in the app
      When a person in QuickBooks adds the class "Marketing"
      And the sync runs
      Then the app shows the department "Marketing"

    Example: A class renamed in QuickBooks renames the department in the app
      Given the department "Marketing" is in the app and in QuickBooks
      When a person in QuickBooks renames the class "Marketing" to "Marketing and Events"
      And the sync runs
      Then the app shows the department "Marketing and Events"
      And the app does not show the department "Marketing"

    Example: A class made inactive in QuickBooks makes the department inactive in the app
      Given the department "Marketing" is in the app and in QuickBooks
      When a person in QuickBooks makes the class "Marketing" inactive
      And the sync runs
      Then the app shows the department "Marketing" as inactive

  @picks-up-from-quickbooks
  Rule: Vendors added or changed in QuickBooks appear in the app
    Help article: "the app picks up changes made in QuickBooks to: Vendors".

    Example: A new vendor in QuickBooks appears in the app
      When a person in QuickBooks adds the vendor "Harbor Office Supply"
      And the sync runs
      Then the app shows the vendor "Harbor Office Supply"

    Example: A vendor renamed in QuickBooks is renamed in the app
      Given the vendor "Harbor Office Supply" is in the app and in QuickBooks
      When a person in QuickBooks renames the vendor "Harbor Office Supply" to "Harbor Office Supply Inc."
      And the sync runs
      Then the app shows the vendor "Harbor Office Supply Inc."
      And the app does not show the vendor "Harbor Office Supply"

    Scenario Outline: A vendor's <detail> changed in QuickBooks is changed in the app
      Given the vendor "Harbor Office Supply" is in the app and in QuickBooks
      When a person in QuickBooks changes the <detail> of the vendor "Harbor Office Supply" to "<value>"
      And the sync runs
      Then the app shows the <detail> of the vendor "Harbor Office Supply" as "<value>"

      Examples:
        | detail       | value                |
        | company name | Harbor Office Supply LLC |
        | phone        | 555-0142             |
        | e-mail       | office@harbor.example |
        | address      | 12 Quay Street       |

    Example: A vendor made inactive in QuickBooks is inactive in the app
      Given the vendor "Harbor Office Supply" is in the app and in QuickBooks
      When a person in QuickBooks makes the vendor "Harbor Office Supply" inactive
      And the sync runs
      Then the app shows the vendor "Harbor Office Supply" as inactive

  @picks-up-from-quickbooks
  Rule: Bills from QuickBooks reach the app only when 2-way bill sync is on
    Help article: "the app picks up changes made in QuickBooks to: Bills (if 2-way bill sync is
    enabled)".

    Background:
      Given the vendor "Harbor Office Supply" is in the app and in QuickBooks

    @two-way-bill-sync
    Example: With 2-way bill sync, a bill entered in QuickBooks appears in the app
      Given 2-way bill sync is on
      When a person in QuickBooks enters the bill "INV-2041" from "Harbor Office Supply" for $1,250.00
      And the sync runs
      Then the app shows the bill "INV-2041" for $1,250.00

    Example: Without 2-way bill sync, a bill entered in QuickBooks stays out of the app
      Given 2-way bill sync is off
      When a person in QuickBooks enters the bill "INV-2041" from "Harbor Office Supply" for $1,250.00
      And the sync runs
      Then the app does not show the bill "INV-2041"

  @picks-up-from-quickbooks
  Rule: Jobs added or changed in QuickBooks appear in the app
    Help article: "the app picks up changes made in QuickBooks to: Jobs (called "Customer: Jobs"
    in QuickBooks)". In QuickBooks the job below shows as Baker Homes:Kitchen remodel.

    Background:
      Given the customer "Baker Homes" is in the app and in QuickBooks

    Example: A new job in QuickBooks appears in the app under its customer
      When a person in QuickBooks adds the job "Kitchen remodel" for the customer "Baker Homes"
      And the sync runs
      Then the app shows the job "Kitchen remodel" for the customer "Baker Homes"

    Example: A job renamed in QuickBooks is renamed in the app
      Given a person in QuickBooks adds the job "Kitchen remodel" for the customer "Baker Homes"
      And the sync runs
      When a person in QuickBooks renames the job "Kitchen remodel" to "Kitchen and bath remodel"
      And the sync runs
      Then the app shows the job "Kitchen and bath remodel" for the customer "Baker Homes"
      And the app does not show the job "Kitchen remodel"

  @picks-up-from-quickbooks
  Rule: The app shows the bank balance from QuickBooks when paying bills
    Help article: "the app picks up changes made in QuickBooks to: Bank Balance - shown when
    paying bills".

    Background:
      Given the bank account "Operating Checking" has a balance of $12,500.00 in QuickBooks

    Example: The QuickBooks balance is shown when paying bills
      When the sync runs
      Then the app shows a bank balance of $12,500.00 for "Operating Checking" when paying bills

    Example: A new balance in QuickBooks reaches the app with the next sync
      Given the sync runs
      When a person in QuickBooks writes a check for $2,700.00 from the bank account "Operating Checking"
      And the sync runs
      Then the app shows a bank balance of $9,800.00 for "Operating Checking" when paying bills

  @picks-up-from-quickbooks
  Rule: Customers added or changed in QuickBooks appear in the app
    Help article: "the app picks up changes made in QuickBooks to: Customers".

    Example: A new customer in QuickBooks appears in the app
      When a person in QuickBooks adds the customer "Riverside Dental"
      And the sync runs
      Then the app shows the customer "Riverside Dental"

    Example: A customer renamed in QuickBooks is renamed in the app
      Given the customer "Riverside Dental" is in the app and in QuickBooks
      When a person in QuickBooks renames the customer "Riverside Dental" to "Riverside Family Dental"
      And the sync runs
      Then the app shows the customer "Riverside Family Dental"
      And the app does not show the customer "Riverside Dental"

    Scenario Outline: A customer's <detail> changed in QuickBooks is changed in the app
      Given the customer "Riverside Dental" is in the app and in QuickBooks
      When a person in QuickBooks changes the <detail> of the customer "Riverside Dental" to "<value>"
      And the sync runs
      Then the app shows the <detail> of the customer "Riverside Dental" as "<value>"

      Examples:
        | detail       | value                |
        | company name | Riverside Dental LLC |
        | phone        | 555-0142             |
        | e-mail       | office@riverside.example |
        | address      | 12 Quay Street       |

    Example: A customer made inactive in QuickBooks is inactive in the app
      Given the customer "Riverside Dental" is in the app and in QuickBooks
      When a person in QuickBooks makes the customer "Riverside Dental" inactive
      And the sync runs
      Then the app shows the customer "Riverside Dental" as inactive

  @picks-up-from-quickbooks
  Rule: New and edited invoices in QuickBooks appear in the app
    Help article: "the app picks up changes made in QuickBooks to: Invoices (new and edited
    invoices)".

    Background:
      Given the customer "Baker Homes" is in the app and in QuickBooks

    Example: A new invoice in QuickBooks appears in the app
      When a person in QuickBooks enters the invoice "1043" to "Baker Homes" for $2,400.00 dated Mar 5, 2024
      And the sync runs
      Then the app shows the invoice "1043" for $2,400.00
      And the app shows the invoice "1043" dated Mar 5, 2024

    Example: An invoice edited in QuickBooks is updated in the app
      Given a person in QuickBooks enters the invoice "1043" to "Baker Homes" for $2,400.00 dated Mar 5, 2024
      And the sync runs
      When a person in QuickBooks changes the amount of the invoice "1043" to $2,650.00
      And the sync runs
      Then the app shows the invoice "1043" for $2,650.00

  @picks-up-from-quickbooks
  Rule: Items added in QuickBooks appear in the app
    Help article: "the app picks up changes made in QuickBooks to: Items".

    Scenario Outline: A new <item type> item in QuickBooks appears in the app
      When a person in QuickBooks adds the <item type> item "<item>"
      And the sync runs
      Then the app shows the item "<item>"
      And the app shows the item "<item>" with the type <item type>

      Examples:
        | item type     | item             |
        | service       | Consulting hours |
        | non-inventory | Printer paper    |
        | other charge  | Delivery fee     |
        | inventory     | Safety gloves    |

    Example: An item renamed in QuickBooks is renamed in the app
      Given the item "Consulting hours" is in the app and in QuickBooks
      When a person in QuickBooks renames the service item "Consulting hours" to "Consulting, per hour"
      And the sync runs
      Then the app shows the item "Consulting, per hour"
      And the app does not show the item "Consulting hours"

    Example: An item made inactive in QuickBooks is inactive in the app
      Given the item "Consulting hours" is in the app and in QuickBooks
      When a person in QuickBooks makes the service item "Consulting hours" inactive
      And the sync runs
      Then the app shows the item "Consulting hours" as inactive
