@seed-glance
Feature: What QuickBooks picks up from the app
  QuickBooks picks up any changes made in the app to accounts, departments, vendors, bills,
  billable expenses, bill payments, vendor credits, funds transfers, customers, new invoices and
  invoice payments. Each item of that list is one rule below.

  Background:
    Given the app was connected to QuickBooks on Jan 2, 2024
    And the vendor "Harbor Office Supply" is in the app and in QuickBooks
    And the customer "Baker Homes" is in the app and in QuickBooks
    And the bank account "Operating Checking" is in the app and in QuickBooks

  @picks-up-from-the-app
  Rule: Accounts added or changed in the app appear in QuickBooks
    Help article: "QuickBooks picks up any changes made in the app to: Accounts".

    Example: An account added in the app appears in QuickBooks
      When a person in the app adds the account "Software Subscriptions"
      And the sync runs
      Then QuickBooks shows the account "Software Subscriptions"

    Example: An account renamed in the app is renamed in QuickBooks
      Given the account "Software" is in the app and in QuickBooks
      When a person in the app renames the account "Software" to "Software Subscriptions"
      And the sync runs
      Then QuickBooks shows the account "Software Subscriptions"
      And QuickBooks does not show the account "Software"

    Example: An account made inactive in the app is inactive in QuickBooks
      Given the account "Software" is in the app and in QuickBooks
      When a person in the app makes the account "Software" inactive
      And the sync runs
      Then QuickBooks shows the account "Software" as inactive

  @picks-up-from-the-app
  Rule: Departments added or changed in the app appear in QuickBooks as classes
    Help article: "QuickBooks picks up any changes made in the app to: Departments (called
    Classes in QuickBooks)".

    Example: A department added in the app becomes a class in QuickBooks
      When a person in the app adds the department "Field Services"
      And the sync runs
      Then QuickBooks shows the class "Field Services"

    Example: A department renamed in the app renames the class in QuickBooks
      Given the department "Field Services" is in the app and in QuickBooks
      When a person in the app renames the department "Field Services" to "Field and Site Services"
      And the sync runs
      Then QuickBooks shows the class "Field and Site Services"
      And QuickBooks does not show the class "Field Services"

    Example: A department made inactive in the app is inactive in QuickBooks
      Given the department "Field Services" is in the app and in QuickBooks
      When a person in the app makes the department "Field Services" inactive
      And the sync runs
      Then QuickBooks shows the class "Field Services" as inactive

  @picks-up-from-the-app
  Rule: Vendors added or changed in the app appear in QuickBooks
    Help article: "QuickBooks picks up any changes made in the app to: Vendors".

    Example: A vendor added in the app appears in QuickBooks
      When a person in the app adds the vendor "Lakeside Electric"
      And the sync runs
      Then QuickBooks shows the vendor "Lakeside Electric"

    Example: A vendor renamed in the app is renamed in QuickBooks
      Given the vendor "Lakeside Electric" is in the app and in QuickBooks
      When a person in the app renames the vendor "Lakeside Electric" to "Lakeside Electric LLC"
      And the sync runs
      Then QuickBooks shows the vendor "Lakeside Electric LLC"
      And QuickBooks does not show the vendor "Lakeside Electric"

    Scenario Outline: A vendor's <detail> changed in the app is changed in QuickBooks
      When a person in the app changes the <detail> of the vendor "Harbor Office Supply" to "<value>"
      And the sync runs
      Then QuickBooks shows the <detail> of the vendor "Harbor Office Supply" as "<value>"

      Examples:
        | detail       | value                        |
        | company name | Harbor Office Supply LLC |
        | phone        | 555-0199                     |
        | e-mail       | accounts@harbor.example |
        | address      | 48 Mill Road                 |

    Example: A vendor made inactive in the app is inactive in QuickBooks
      When a person in the app makes the vendor "Harbor Office Supply" inactive
      And the sync runs
      Then QuickBooks shows the vendor "Harbor Office Supply" as inactive

  @picks-up-from-the-app
  Rule: Bills created or changed in the app appear in QuickBooks
    Help article: "QuickBooks picks up any changes made in the app to: Bills".

    Example: A bill created in the app appears in QuickBooks
      When a person in the app creates the bill "INV-2041" from "Harbor Office Supply" for $1,250.00
      And the sync runs
      Then QuickBooks shows the bill "INV-2041" for $1,250.00

    Example: A bill changed in the app is changed in QuickBooks
      Given a person in the app creates the bill "INV-2041" from "Harbor Office Supply" for $1,250.00
      And the sync runs
      When a person in the app changes the amount of the bill "INV-2041" to $1,310.00
      And the sync runs
      Then QuickBooks shows the bill "INV-2041" for $1,310.00

  @picks-up-from-the-app
  Rule: Billable expenses entered in the app are billable in QuickBooks
    Help article: "QuickBooks picks up any changes made in the app to: Billable expenses".

    Example: A bill marked billable to a customer in the app is billable to that customer in QuickBooks
      When a person in the app creates the bill "INV-2045" from "Harbor Office Supply" for $300.00
      And a person in the app marks the bill "INV-2045" billable to the customer "Baker Homes"
      And the sync runs
      Then QuickBooks shows the bill "INV-2045" as billable to the customer "Baker Homes"

  @picks-up-from-the-app
  Rule: Bill payments made in the app appear in QuickBooks
    Help article: "QuickBooks picks up any changes made in the app to: Bill Payments".

    Example: A bill paid in the app is paid in QuickBooks
      Given a person in the app creates the bill "INV-2041" from "Harbor Office Supply" for $1,250.00
      And the sync runs
      When on Mar 8, 2024 a person in the app pays the bill "INV-2041" from the bank account "Operating Checking"
      And the sync runs
      Then QuickBooks shows the bill "INV-2041" as paid
      And QuickBooks shows a bill payment by check of $1,250.00 for the bill "INV-2041" from the account "{app} Money Out Clearing"
      And QuickBooks shows the payment of the bill "INV-2041" dated Mar 8, 2024

  @picks-up-from-the-app
  Rule: Vendor credits created in the app appear in QuickBooks
    Help article: "QuickBooks picks up any changes made in the app to: Vendor Credits".

    Example: A vendor credit created in the app appears in QuickBooks
      When a person in the app creates the vendor credit "CR-17" from "Harbor Office Supply" for $200.00
      And the sync runs
      Then QuickBooks shows the vendor credit "CR-17" for $200.00

  @picks-up-from-the-app
  Rule: The money the app withdraws for payments appears in QuickBooks as a funds transfer
    Help article: "QuickBooks picks up any changes made in the app to: Funds Transfers".

    Example: Paying a bill through the app shows as a funds transfer from the bank account
      Given a person in the app creates the bill "INV-2041" from "Harbor Office Supply" for $1,250.00
      And a person in the app pays the bill "INV-2041" from the bank account "Operating Checking"
      When on Mar 8, 2024 the app withdraws the money for the bill "INV-2041"
      And the sync runs
      Then QuickBooks shows a funds transfer of $1,250.00 from the bank account "Operating Checking" to the account "{app} Money Out Clearing"
      And QuickBooks shows the funds transfer from the bank account "Operating Checking" dated Mar 8, 2024

  @picks-up-from-the-app
  Rule: Customers added or changed in the app appear in QuickBooks
    Help article: "QuickBooks picks up any changes made in the app to: Customers".

    Example: A customer added in the app appears in QuickBooks
      When a person in the app adds the customer "Riverside Dental"
      And the sync runs
      Then QuickBooks shows the customer "Riverside Dental"

    Example: A customer renamed in the app is renamed in QuickBooks
      Given the customer "Riverside Dental" is in the app and in QuickBooks
      When a person in the app renames the customer "Riverside Dental" to "Riverside Family Dental"
      And the sync runs
      Then QuickBooks shows the customer "Riverside Family Dental"
      And QuickBooks does not show the customer "Riverside Dental"

    Scenario Outline: A customer's <detail> changed in the app is changed in QuickBooks
      When a person in the app changes the <detail> of the customer "Baker Homes" to "<value>"
      And the sync runs
      Then QuickBooks shows the <detail> of the customer "Baker Homes" as "<value>"

      Examples:
        | detail       | value                        |
        | company name | Baker Homes LLC |
        | phone        | 555-0199                     |
        | e-mail       | accounts@baker.example |
        | address      | 48 Mill Road                 |

    Example: A customer made inactive in the app is inactive in QuickBooks
      When a person in the app makes the customer "Baker Homes" inactive
      And the sync runs
      Then QuickBooks shows the customer "Baker Homes" as inactive

  @picks-up-from-the-app
  Rule: New invoices created in the app appear in QuickBooks
    Help article: "QuickBooks picks up any changes made in the app to: New invoices".

    Example: An invoice created in the app appears in QuickBooks
      When a person in the app creates the invoice "1043" to "Baker Homes" for $2,400.00 dated Mar 5, 2024
      And the sync runs
      Then QuickBooks shows the invoice "1043" for $2,400.00
      And QuickBooks shows the invoice "1043" dated Mar 5, 2024

  @picks-up-from-the-app
  Rule: Invoice payments received in the app appear in QuickBooks
    Help article: "QuickBooks picks up any changes made in the app to: Invoice payments".

    Scenario Outline: A payment of <payment> received in the app is applied to the invoice in QuickBooks
      Given a person in the app creates the invoice "1043" to "Baker Homes" for $2,400.00 dated Mar 5, 2024
      And the sync runs
      When on Mar 8, 2024 a person in the app records a payment of <payment> for the invoice "1043"
      And the sync runs
      Then QuickBooks shows the invoice "1043" as <status in QuickBooks>
      And QuickBooks shows the invoice "1043" with <due in QuickBooks> due
      And QuickBooks shows a received payment of <payment> for the invoice "1043" deposited to the account "Undeposited Funds"
      And QuickBooks shows the payment of the invoice "1043" dated Mar 8, 2024

      Examples:
        | payment   | status in QuickBooks | due in QuickBooks |
        | $2,400.00 | paid                 | $0.00             |
        | $1,000.00 | partially paid       | $1,400.00         |
