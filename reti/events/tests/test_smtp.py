"""One real e-mail through a local SMTP server (aiosmtpd), to prove the SMTP wiring."""

import email
import socket
from email.policy import default

import pytest
from aiosmtpd.controller import Controller

from reti.events import actions, emails


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "Reti <noreply@reti.example.org>"
    yield inbox
    controller.stop()


def test_a_confirmation_travels_through_smtp(smtp_server, visit):
    registration = actions.register(None, visit, name="Anna Bianchi", email="anna@example.org")
    emails.send_registration_email(registration.pk, "confirmed")
    (envelope,) = smtp_server.envelopes
    assert envelope.mail_from == "noreply@reti.example.org"
    assert envelope.rcpt_tos == ["anna@example.org"]
    message = email.message_from_bytes(envelope.original_content, policy=default)
    assert message["Subject"] == "Iscrizione confermata: Visita a Firenze"
    assert "è confermata" in message.get_content()
