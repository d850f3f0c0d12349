"""Sending email: connections, one-call helpers and the message classes.

``get_connection`` loads the backend named by ``EMAIL_BACKEND``; the helpers
build messages and hand them to it. In tests ``outbox`` (created by
``setup_test_environment`` or by the first locmem backend) collects what the
locmem backend "sends".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from manouche.conf import settings
from manouche.core.mail.backends.base import BaseEmailBackend
from manouche.core.mail.message import (
    DEFAULT_ATTACHMENT_MIME_TYPE,
    BadHeaderError,
    EmailAlternative,
    EmailAttachment,
    EmailMessage,
    EmailMultiAlternatives,
    SafeMIMEMultipart,
    SafeMIMEText,
    forbid_multi_line_headers,
    make_msgid,
)
from manouche.core.mail.utils import DNS_NAME, CachedDnsName
from manouche.utils.module_loading import import_string

__all__ = [
    "DEFAULT_ATTACHMENT_MIME_TYPE",
    "DNS_NAME",
    "BadHeaderError",
    "CachedDnsName",
    "EmailAlternative",
    "EmailAttachment",
    "EmailMessage",
    "EmailMultiAlternatives",
    "SafeMIMEMultipart",
    "SafeMIMEText",
    "forbid_multi_line_headers",
    "get_connection",
    "mail_admins",
    "mail_managers",
    "make_msgid",
    "send_mail",
    "send_mass_mail",
]

# Declared, not assigned: it exists only once the test environment or a locmem
# backend creates it, so ``hasattr(mail, "outbox")`` keeps its meaning.
outbox: list[EmailMessage]


def get_connection(
    backend: str | None = None, fail_silently: bool = False, **kwds: Any
) -> BaseEmailBackend:
    """Return an instance of the email backend ``backend`` or ``EMAIL_BACKEND``.

    Extra keyword arguments go to the backend's constructor.
    """
    klass = import_string(backend or settings.EMAIL_BACKEND)
    connection: BaseEmailBackend = klass(fail_silently=fail_silently, **kwds)
    return connection


def send_mail(
    subject: str,
    message: str,
    from_email: str | None,
    recipient_list: Sequence[str],
    fail_silently: bool = False,
    auth_user: str | None = None,
    auth_password: str | None = None,
    connection: BaseEmailBackend | None = None,
    html_message: str | None = None,
) -> int:
    """Send one message to ``recipient_list``; return how many were sent (0/1).

    All recipients appear in the message's To header; ``html_message`` is
    attached as a ``text/html`` alternative.
    """
    connection = connection or get_connection(
        username=auth_user, password=auth_password, fail_silently=fail_silently
    )
    mail = EmailMultiAlternatives(
        subject, message, from_email, recipient_list, connection=connection
    )
    if html_message:
        mail.attach_alternative(html_message, "text/html")
    return mail.send()


def send_mass_mail(
    datatuple: Iterable[tuple[str, str, str | None, Sequence[str]]],
    fail_silently: bool = False,
    auth_user: str | None = None,
    auth_password: str | None = None,
    connection: BaseEmailBackend | None = None,
) -> int:
    """Send ``(subject, message, from_email, recipient_list)`` tuples over one
    connection; return how many messages were sent.
    """
    connection = connection or get_connection(
        username=auth_user, password=auth_password, fail_silently=fail_silently
    )
    messages = [
        EmailMessage(subject, message, sender, recipients, connection=connection)
        for subject, message, sender, recipients in datatuple
    ]
    return connection.send_messages(messages) or 0


def _send_server_message(
    setting_name: str,
    subject: str,
    message: str,
    fail_silently: bool,
    connection: BaseEmailBackend | None,
    html_message: str | None,
) -> None:
    recipients = getattr(settings, setting_name)
    if not recipients:
        return
    if not all(isinstance(a, list | tuple) and len(a) == 2 for a in recipients):
        raise ValueError(f"The {setting_name} setting must be a list of 2-tuples.")
    mail = EmailMultiAlternatives(
        f"{settings.EMAIL_SUBJECT_PREFIX}{subject}",
        message,
        settings.SERVER_EMAIL,
        [address for _name, address in recipients],
        connection=connection,
    )
    if html_message:
        mail.attach_alternative(html_message, "text/html")
    mail.send(fail_silently=fail_silently)


def mail_admins(
    subject: str,
    message: str,
    fail_silently: bool = False,
    connection: BaseEmailBackend | None = None,
    html_message: str | None = None,
) -> None:
    """Email the people in ``ADMINS``, from ``SERVER_EMAIL``, subject prefixed."""
    _send_server_message(
        "ADMINS", subject, message, fail_silently, connection, html_message
    )


def mail_managers(
    subject: str,
    message: str,
    fail_silently: bool = False,
    connection: BaseEmailBackend | None = None,
    html_message: str | None = None,
) -> None:
    """Email the people in ``MANAGERS``, from ``SERVER_EMAIL``, subject prefixed."""
    _send_server_message(
        "MANAGERS", subject, message, fail_silently, connection, html_message
    )
