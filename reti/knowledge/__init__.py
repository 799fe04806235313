"""Good practices, their lifecycle, translations, attachments and transfers."""
