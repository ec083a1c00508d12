@seed-glance
Feature: The sync start date for AR invoices
  The day the sync is connected is the sync start date for AR invoices. It decides which
  QuickBooks invoices come into the app, by invoice date, whatever day they were entered.
  The two sets of examples use the dates given in the two editions of the help article.

  Background:
    Given the customer "Baker Homes" is in the app and in QuickBooks

  @ar-start-date
  Rule: Invoices dated on or after the sync start date sync into the app, whenever they were entered
    Help article: "The date the sync is connected is considered the sync start date for AR
    invoices. If your sync was connected on Apr 1, 2019, only AR invoices with invoice dates of
    Apr 1, 2019 or later will sync into the app, no matter the creation date." The Key CashFlow
    edition gives another date. Help article (Key CashFlow edition): "If your sync was connected on
    Jan 1, 2020, only AR invoices with invoice dates of Jan 1, 2020 or later will sync into the app,
    no matter the creation date."

    Scenario Outline: An invoice dated <invoice date> syncs when the sync was connected on <connected on>
      Given the app was connected to QuickBooks on <connected on>
      And on <entered on> a person in QuickBooks entered the invoice "<invoice>" to "Baker Homes" for $700.00 dated <invoice date>
      When the sync runs
      Then the app shows the invoice "<invoice>" for $700.00

      Examples: Connected on Apr 1, 2019
        | connected on | invoice | invoice date | entered on   |
        | Apr 1, 2019  | 1001    | Apr 1, 2019  | Apr 1, 2019  |
        | Apr 1, 2019  | 1002    | Apr 3, 2019  | Mar 20, 2019 |

      Examples: Connected on Jan 1, 2020
        | connected on | invoice | invoice date | entered on   |
        | Jan 1, 2020  | 2001    | Jan 1, 2020  | Dec 15, 2019 |
        | Jan 1, 2020  | 2002    | Feb 10, 2020 | Feb 10, 2020 |

  @ar-start-date
  Rule: Invoices dated before the sync start date never sync into the app, and cannot be forced over
    Help article: "Any invoices dated before Apr 1, 2019 won't sync from QuickBooks to the app,
    and Customer Support can't force them over." Help article (Key CashFlow edition): "Any invoices
    dated before Jan 1, 2020 won't sync from QuickBooks to the app, and Customer Support can't force
    them over."

    Scenario Outline: An invoice dated <invoice date> stays out when the sync was connected on <connected on>
      Given the app was connected to QuickBooks on <connected on>
      And on <entered on> a person in QuickBooks entered the invoice "<invoice>" to "Baker Homes" for $700.00 dated <invoice date>
      When the sync runs
      Then the app does not show the invoice "<invoice>"

      Examples: Connected on Apr 1, 2019
        | connected on | invoice | invoice date | entered on   |
        | Apr 1, 2019  | 0975    | Mar 15, 2019 | Mar 15, 2019 |
        | Apr 1, 2019  | 0988    | Mar 31, 2019 | Apr 15, 2019 |

      Examples: Connected on Jan 1, 2020
        | connected on | invoice | invoice date | entered on   |
        | Jan 1, 2020  | 1975    | Nov 30, 2019 | Nov 30, 2019 |
        | Jan 1, 2020  | 1988    | Dec 31, 2019 | Jan 6, 2020  |

    Example: Editing an invoice dated before the start date does not bring it over
      Given the app was connected to QuickBooks on Apr 1, 2019
      And on Mar 15, 2019 a person in QuickBooks entered the invoice "0975" to "Baker Homes" for $700.00 dated Mar 15, 2019
      And the sync runs
      When a person in QuickBooks changes the amount of the invoice "0975" to $750.00
      And the sync runs
      Then the app does not show the invoice "0975"

  @ar-start-date
  Rule: An invoice dated before the start date and re-created in the app meets a duplicate error if QuickBooks has it
    Help article: "If you manually create those invoices in the app, they'll try to sync to
    QuickBooks, and there will be a duplicate error if the invoice already exists in QuickBooks."

    Example: The re-created invoice already exists in QuickBooks
      Given the app was connected to QuickBooks on Apr 1, 2019
      And on Mar 15, 2019 a person in QuickBooks entered the invoice "0975" to "Baker Homes" for $700.00 dated Mar 15, 2019
      When a person in the app creates the invoice "0975" to "Baker Homes" for $720.00 dated Mar 15, 2019
      And the sync runs
      Then the app shows a duplicate error for the invoice "0975"
      And the app's sync error for the invoice "0975" says "Delete the invoice in QuickBooks and sync again, so the invoice created in {app} syncs to QuickBooks."
      And QuickBooks shows only one invoice "0975"
      And QuickBooks shows the invoice "0975" for $700.00

    Example: The re-created invoice is not in QuickBooks and syncs there
      Given the app was connected to QuickBooks on Apr 1, 2019
      When a person in the app creates the invoice "0976" to "Baker Homes" for $450.00 dated Mar 20, 2019
      And the sync runs
      Then QuickBooks shows the invoice "0976" for $450.00
      And the app shows no error for the invoice "0976"

  @ar-start-date
  Rule: To clear the duplicate, the invoice is deleted in QuickBooks and the app's invoice syncs
    Help article: "Delete the invoice in QuickBooks and let the newly created invoice in the app
    sync to QuickBooks."

    Example: After the QuickBooks copy is deleted, the app's invoice syncs
      Given the app was connected to QuickBooks on Apr 1, 2019
      And on Mar 15, 2019 a person in QuickBooks entered the invoice "0975" to "Baker Homes" for $700.00 dated Mar 15, 2019
      And a person in the app creates the invoice "0975" to "Baker Homes" for $720.00 dated Mar 15, 2019
      And the sync runs
      When a person in QuickBooks deletes the invoice "0975"
      And the sync runs
      Then QuickBooks shows only one invoice "0975"
      And QuickBooks shows the invoice "0975" for $720.00
      And the app shows no error for the invoice "0975"
