@seed-glance
Feature: The sync between the app and QuickBooks Desktop
  The app and a QuickBooks Desktop company exchange information through the sync, which runs
  from the computer where QuickBooks is installed. Nothing crosses over between two syncs;
  each sync carries the changes made on both sides since the previous one.

  Background:
    Given the app was connected to QuickBooks on Jan 2, 2024

  @overview
  Rule: Information moves between the app and QuickBooks only when the sync runs
    Help article: "The app utilizes the Bill.com Sync Dashboard to transfer information between
    the app and QuickBooks Desktop." and "With each sync, the app picks up changes made in QuickBooks".

    Example: Changes made on either side wait for the next sync
      When a person in QuickBooks adds the vendor "Harbor Office Supply"
      And a person in the app adds the customer "Riverside Dental"
      Then the app does not show the vendor "Harbor Office Supply"
      And QuickBooks does not show the customer "Riverside Dental"

    Example: One sync carries the changes of both sides
      Given a person in QuickBooks adds the vendor "Harbor Office Supply"
      And a person in the app adds the customer "Riverside Dental"
      When the sync runs
      Then the app shows the vendor "Harbor Office Supply"
      And QuickBooks shows the customer "Riverside Dental"
