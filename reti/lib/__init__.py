"""Plain helpers shared by Reti's apps; no models, no views."""
