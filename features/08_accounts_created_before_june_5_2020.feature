@seed-glance
Feature: Accounts created before June 5, 2020
  In the Cashflow360 edition of the help article only. On older accounts, the status and the
  amount due of invoices follow QuickBooks, so a payment received in QuickBooks shows in the app.
  The Key CashFlow edition does not say this; the Key CashFlow Sync Matrix does, so Key CashFlow
  accounts behave the same, as the last rule shows.

  Background:
    Given the app was connected to QuickBooks on Jan 2, 2024
    And the customer "Baker Homes" is in the app and in QuickBooks

  @pre-june-2020 @cashflow360-only
  Rule: On accounts created before June 5, 2020, invoice status and amount due sync from QuickBooks
    Help article: "On accounts created before June 5, 2020, invoice status and amount due on
    invoices in QuickBooks Desktop will sync to the app."

    Scenario Outline: A payment of <payment> received in QuickBooks updates the invoice in the app
      Given the company's account in the app was created on Mar 2, 2020
      And a person in the app creates the invoice "1043" to "Baker Homes" for $1,000.00 dated Mar 5, 2024
      And the sync runs
      When a person in QuickBooks receives a payment of <payment> for the invoice "1043"
      And the sync runs
      Then the app shows the invoice "1043" as <status in the app>
      And the app shows the invoice "1043" with <due in the app> due

      Examples:
        | payment   | status in the app | due in the app |
        | $400.00   | partially paid    | $600.00        |
        | $1,000.00 | paid              | $0.00          |

    Scenario Outline: An account created on <created on> <follows or not> QuickBooks for invoice status and amount due
      Given the company's account in the app was created on <created on>
      And a person in the app creates the invoice "1043" to "Baker Homes" for $1,000.00 dated Mar 5, 2024
      And the sync runs
      When a person in QuickBooks receives a payment of $400.00 for the invoice "1043"
      And the sync runs
      Then the app shows the invoice "1043" as <status in the app>
      And the app shows the invoice "1043" with <due in the app> due

      Examples:
        | created on  | follows or not  | status in the app | due in the app |
        | Jun 4, 2020 | follows         | partially paid    | $600.00        |
        | Jun 5, 2020 | does not follow | open              | $1,000.00      |
        | Jan 2, 2024 | does not follow | open              | $1,000.00      |

  @pre-june-2020 @cashflow360-only
  Rule: Customer Support can turn off the invoice status and amount due sync
    Help article: "Please contact Customer Support if you'd like to disable it."

    Example: With the sync turned off, a payment received in QuickBooks leaves the app's invoice open
      Given the company's account in the app was created on Mar 2, 2020
      And Customer Support has turned off the invoice status and amount due sync
      And a person in the app creates the invoice "1043" to "Baker Homes" for $1,000.00 dated Mar 5, 2024
      And the sync runs
      When a person in QuickBooks receives a payment of $400.00 for the invoice "1043"
      And the sync runs
      Then the app shows the invoice "1043" as open
      And the app shows the invoice "1043" with $1,000.00 due

  @pre-june-2020 @keycashflow-only @sync-matrix
  Rule: On Key CashFlow accounts created before June 5, 2020, invoice status and amount due sync from QuickBooks too
    The Key CashFlow edition of the help article does not have the rule above; the Key CashFlow Sync Matrix does.
    Sync Matrix: "On accounts created before June 5, 2020, invoice payment status and amount due on invoices in
    QuickBooks Desktop will sync to [app]. Contact Customer Support to disable it."

    Scenario Outline: A Key CashFlow account created on <created on> <follows or not> QuickBooks for invoice status and amount due
      Given the company's account in the app was created on <created on>
      And a person in the app creates the invoice "1043" to "Baker Homes" for $1,000.00 dated Mar 5, 2024
      And the sync runs
      When a person in QuickBooks receives a payment of $400.00 for the invoice "1043"
      And the sync runs
      Then the app shows the invoice "1043" as <status in the app>
      And the app shows the invoice "1043" with <due in the app> due

      Examples:
        | created on  | follows or not  | status in the app | due in the app |
        | Mar 2, 2020 | follows         | partially paid    | $600.00        |
        | Jun 5, 2020 | does not follow | open              | $1,000.00      |

    Example: On a Key CashFlow account, Customer Support can turn the invoice status and amount due sync off
      Given the company's account in the app was created on Mar 2, 2020
      And Customer Support has turned off the invoice status and amount due sync
      And a person in the app creates the invoice "1043" to "Baker Homes" for $1,000.00 dated Mar 5, 2024
      And the sync runs
      When a person in QuickBooks receives a payment of $400.00 for the invoice "1043"
      And the sync runs
      Then the app shows the invoice "1043" as open
      And the app shows the invoice "1043" with $1,000.00 due
