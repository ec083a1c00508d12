@seed-glance
Feature: Receivables
  Invoices can start on either side. Once an invoice is in QuickBooks, QuickBooks is where it
  is edited; the app is where invoices are emailed and where payments are received.

  Background:
    Given the app was connected to QuickBooks on Jan 2, 2024
    And the customer "Baker Homes" is in the app and in QuickBooks

  @receivables
  Rule: Invoices can be created in QuickBooks or in the app
    Help article: "Invoices can be created in either QuickBooks or the app."

    Example: An invoice created in QuickBooks appears in the app
      When a person in QuickBooks enters the invoice "1043" to "Baker Homes" for $2,400.00 dated Mar 5, 2024
      And the sync runs
      Then the app shows the invoice "1043" for $2,400.00

    Example: An invoice created in the app appears in QuickBooks
      When a person in the app creates the invoice "1044" to "Baker Homes" for $980.00 dated Mar 5, 2024
      And the sync runs
      Then QuickBooks shows the invoice "1044" for $980.00

  @receivables
  Rule: An invoice created in the app can be edited in the app until it syncs to QuickBooks
    Help article: "Invoices created directly in the app can be edited until the invoice syncs to
    QuickBooks."

    Example: An invoice that has not synced yet can be edited in the app
      When a person in the app creates the invoice "1044" to "Baker Homes" for $980.00 dated Mar 5, 2024
      Then the invoice "1044" can be edited in the app

    Example: QuickBooks receives the invoice as edited in the app before the sync
      Given a person in the app creates the invoice "1044" to "Baker Homes" for $980.00 dated Mar 5, 2024
      When a person in the app changes the amount of the invoice "1044" to $1,080.00
      And the sync runs
      Then QuickBooks shows the invoice "1044" for $1,080.00

  @receivables
  Rule: After the sync, an invoice can only be edited in QuickBooks
    Help article: "After the sync, invoices can only be edited in QuickBooks."

    Example: A synced invoice can no longer be edited in the app
      Given a person in the app creates the invoice "1044" to "Baker Homes" for $980.00 dated Mar 5, 2024
      When the sync runs
      Then the invoice "1044" cannot be edited in the app

    Example: A synced invoice is edited in QuickBooks and the app follows
      Given a person in the app creates the invoice "1044" to "Baker Homes" for $980.00 dated Mar 5, 2024
      And the sync runs
      When a person in QuickBooks changes the amount of the invoice "1044" to $1,080.00
      And the sync runs
      Then the app shows the invoice "1044" for $1,080.00

  @receivables @recommendation
  Rule: Invoices created in QuickBooks are marked To be emailed so they can be emailed from the app
    Help article: "If creating invoices in QuickBooks, select To be emailed for each invoice. You
    can then select these invoices to email within the app."

    Example: An invoice marked To be emailed in QuickBooks can be emailed from the app
      Given a person in QuickBooks enters the invoice "1051" to "Baker Homes" for $900.00 dated Mar 6, 2024
      And a person in QuickBooks selects To be emailed on the invoice "1051"
      When the sync runs
      Then the invoice "1051" can be selected for emailing in the app

    Example: An invoice not marked To be emailed in QuickBooks cannot be emailed from the app
      Given a person in QuickBooks enters the invoice "1052" to "Baker Homes" for $900.00 dated Mar 6, 2024
      And a person in QuickBooks clears To be emailed on the invoice "1052"
      When the sync runs
      Then the app shows the invoice "1052" for $900.00
      But the invoice "1052" cannot be selected for emailing in the app

  @receivables @recommendation
  Rule: Partial payments are applied to an invoice before credit memos
    Help article: "Partial payments should be applied to an invoice before applying credit memos."
    Credit memos are applied in QuickBooks; the app does not see them.

    Example: A partial payment from the app, then a credit memo in QuickBooks
      Given a person in the app creates the invoice "1045" to "Baker Homes" for $1,000.00 dated Mar 5, 2024
      And the sync runs
      When a person in the app records a payment of $400.00 for the invoice "1045"
      And the sync runs
      And a person in QuickBooks applies a credit memo of $100.00 to the invoice "1045"
      Then QuickBooks shows the invoice "1045" with $500.00 due

    @to-confirm
    Example: A credit memo applied first leaves the app's payment of the full amount waiting, with what to do
      Given a person in the app creates the invoice "1045" to "Baker Homes" for $1,000.00 dated Mar 5, 2024
      And the sync runs
      And a person in QuickBooks applies a credit memo of $100.00 to the invoice "1045"
      When a person in the app records a payment of $1,000.00 for the invoice "1045"
      And the sync runs
      Then the app shows a sync error for the payment of the invoice "1045"
      And the app's sync error for the payment of the invoice "1045" says "Partial payments should be applied to an invoice before applying credit memos"
      And the app's sync error for the payment of the invoice "1045" says "Remove the credit memo from invoice 1045 in QuickBooks and sync again"
      And the app shows the invoice "1045" with $0.00 due
      And QuickBooks shows the invoice "1045" with $900.00 due

  @receivables
  Rule: QuickBooks picks up new invoices entered in the app and payments received through the app
    Help article: "QuickBooks picks up new invoices entered in the app and payments received via
    the app."

    Example: A new invoice and its payment from the app reach QuickBooks
      Given a person in the app creates the invoice "1046" to "Baker Homes" for $1,500.00 dated Mar 7, 2024
      And the sync runs
      When a person in the app records a payment of $1,500.00 for the invoice "1046"
      And the sync runs
      Then QuickBooks shows the invoice "1046" for $1,500.00
      And QuickBooks shows the invoice "1046" as paid

  @receivables
  Rule: The app picks up any change to invoices and customers from QuickBooks
    Help article: "The app picks up any changes to invoices and customers from QuickBooks."

    Example: An invoice changed in QuickBooks is changed in the app
      Given a person in QuickBooks enters the invoice "1043" to "Baker Homes" for $2,400.00 dated Mar 5, 2024
      And the sync runs
      When a person in QuickBooks changes the amount of the invoice "1043" to $2,150.00
      And the sync runs
      Then the app shows the invoice "1043" for $2,150.00

    Example: An invoice deleted in QuickBooks is deleted in the app
      Given a person in QuickBooks enters the invoice "1047" to "Baker Homes" for $800.00 dated Mar 5, 2024
      And the sync runs
      When a person in QuickBooks deletes the invoice "1047"
      And the sync runs
      Then the app does not show the invoice "1047"

    Example: An invoice deleted in QuickBooks after the app recorded its payment stays in the app, with what to do
      Given a person in QuickBooks enters the invoice "1048" to "Baker Homes" for $800.00 dated Mar 5, 2024
      And the sync runs
      When a person in the app records a payment of $800.00 for the invoice "1048"
      And the sync runs
      And a person in QuickBooks deletes the invoice "1048"
      And the sync runs
      Then the app still shows the invoice "1048" as paid
      And the app's sync error for the invoice "1048" says "deleted in QuickBooks, but it has payments in {app}"

    Example: A customer renamed in QuickBooks is renamed in the app
      When a person in QuickBooks renames the customer "Baker Homes" to "Baker Homes and Gardens"
      And the sync runs
      Then the app shows the customer "Baker Homes and Gardens"
      And the app does not show the customer "Baker Homes"
