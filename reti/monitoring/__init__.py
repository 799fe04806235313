"""Interventions, pseudonymised participant records, ESF/ESF+ common indicators and analytics."""
