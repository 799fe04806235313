"""Plain helpers shared by Reti's apps: not an app, no concrete models, no views."""
