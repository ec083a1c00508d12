"""One sync run between the app and QuickBooks: lists before transactions, pulls before pushes."""
