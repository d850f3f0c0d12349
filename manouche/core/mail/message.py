"""Email messages: building a standard-library MIME tree from Python values.

This module owns the shape of an outgoing message (headers, body, alternative
parts, attachments) and refuses header injection. It does no I/O apart from
``attach_file``; delivery belongs to the backends.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable, Sequence
from email import charset as email_charset
from email import encoders, generator
from email._header_value_parser import get_mailbox
from email.errors import HeaderParseError
from email.header import Header
from email.headerregistry import Address
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.parser import Parser
from email.utils import formataddr, formatdate, getaddresses, make_msgid
from io import BytesIO, StringIO
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from manouche.conf import settings
from manouche.core.mail.utils import DNS_NAME
from manouche.utils.encoding import force_str, punycode

if TYPE_CHECKING:
    from os import PathLike

    from manouche.core.mail.backends.base import BaseEmailBackend

__all__ = [
    "ADDRESS_HEADERS",
    "DEFAULT_ATTACHMENT_MIME_TYPE",
    "RFC5322_EMAIL_LINE_LENGTH_LIMIT",
    "BadHeaderError",
    "EmailAlternative",
    "EmailAttachment",
    "EmailMessage",
    "EmailMultiAlternatives",
    "SafeMIMEMessage",
    "SafeMIMEMultipart",
    "SafeMIMEText",
    "forbid_multi_line_headers",
    "make_msgid",
    "sanitize_address",
]

# UTF-8 bodies go out as 7bit or 8bit (readable, compact) rather than the
# standard library's base64 default; bodies with over-long lines need
# quoted-printable, because SMTP servers may cut lines past 998 octets.
utf8_charset = email_charset.Charset("utf-8")
utf8_charset.body_encoding = None  # type: ignore[assignment]  # None: 7/8bit
utf8_charset_qp = email_charset.Charset("utf-8")
utf8_charset_qp.body_encoding = email_charset.QP

DEFAULT_ATTACHMENT_MIME_TYPE = "application/octet-stream"
RFC5322_EMAIL_LINE_LENGTH_LIMIT = 998

# Headers whose values are lists of addresses (encoded address by address).
ADDRESS_HEADERS = frozenset(
    {
        "from",
        "sender",
        "reply-to",
        "to",
        "cc",
        "bcc",
        "resent-from",
        "resent-sender",
        "resent-to",
        "resent-cc",
        "resent-bcc",
    }
)


class BadHeaderError(ValueError):
    """A header value holds a newline, which would let it forge other headers."""


def forbid_multi_line_headers(
    name: str, val: Any, encoding: str | None
) -> tuple[str, str]:
    """Refuse CR/LF in a header value and encode non-ASCII values per RFC 2047."""
    encoding = encoding or settings.DEFAULT_CHARSET
    val = str(val)
    if "\n" in val or "\r" in val:
        raise BadHeaderError(
            f"Header values can't contain newlines (got {val!r} for header {name!r})"
        )
    try:
        val.encode("ascii")
    except UnicodeEncodeError:
        if name.lower() in ADDRESS_HEADERS:
            val = ", ".join(
                sanitize_address(address, encoding) for address in getaddresses((val,))
            )
        else:
            val = Header(val, encoding).encode()
    else:
        if name.lower() == "subject":
            # Folds long subjects over several lines.
            val = Header(val).encode()
    return name, val


def _split_address(addr: str) -> tuple[str, str, str]:
    try:
        token, rest = get_mailbox(addr)
    except (HeaderParseError, ValueError, IndexError):
        raise ValueError(f'Invalid address "{addr}"')
    if rest:
        # The parser stopped early: there is more than one address, or junk.
        raise ValueError(f'Invalid address; only {token} could be parsed from "{addr}"')
    return token.display_name or "", token.local_part, token.domain or ""


def sanitize_address(addr: str | tuple[str, str], encoding: str) -> str:
    """Format an address string or a ``(name, address)`` pair for a header.

    The display name and a non-ASCII local part are RFC 2047-encoded and the
    domain is IDNA-encoded. Raise ValueError for unparsable addresses and for
    any part holding a newline.
    """
    if isinstance(addr, tuple):
        name, address = addr
        name = force_str(name)
        address = force_str(address)
        if "@" not in address:
            raise ValueError(f'Invalid address "{address}"')
        localpart, domain = address.rsplit("@", 1)
    else:
        text: str = force_str(addr)
        if "\r" in text or "\n" in text:
            # The parser would fold them away; refuse rather than guess.
            raise ValueError("Invalid address; address parts cannot contain newlines.")
        name, localpart, domain = _split_address(text)
    if any(c in "\r\n" for c in name + localpart + domain):
        raise ValueError("Invalid address; address parts cannot contain newlines.")
    name = Header(name, encoding).encode()
    try:
        localpart.encode("ascii")
    except UnicodeEncodeError:
        localpart = Header(localpart, encoding).encode()
    domain = punycode(domain)
    spec = Address(username=localpart, domain=domain).addr_spec
    return formataddr((name, spec))


class MIMEMixin:
    """Serialise without mangling body lines that start with ``From ``."""

    def as_string(self, unixfrom: bool = False, linesep: str = "\n") -> str:
        """Return the whole message flattened to a string."""
        out = StringIO()
        generator.Generator(out, mangle_from_=False).flatten(
            self,
            unixfrom=unixfrom,
            linesep=linesep,
        )
        return out.getvalue()

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        """Return the whole message flattened to bytes (8bit parts kept raw)."""
        out = BytesIO()
        generator.BytesGenerator(out, mangle_from_=False).flatten(
            self,
            unixfrom=unixfrom,
            linesep=linesep,
        )
        return out.getvalue()


# as_string/as_bytes take Django's (unixfrom, linesep), not Message's.
class SafeMIMEMessage(MIMEMixin, MIMEMessage):  # type: ignore[misc]
    """A ``message/rfc822`` part whose headers refuse newlines."""

    def __setitem__(self, name: str, val: Any) -> None:
        name, val = forbid_multi_line_headers(name, val, settings.DEFAULT_CHARSET)
        MIMEMessage.__setitem__(self, name, val)


# as_string/as_bytes take Django's (unixfrom, linesep), not Message's.
class SafeMIMEText(MIMEMixin, MIMEText):  # type: ignore[misc]
    """A text part whose headers refuse newlines and whose body avoids base64."""

    def __init__(
        self, _text: str, _subtype: str = "plain", _charset: str | None = None
    ) -> None:
        self.encoding = _charset
        MIMEText.__init__(self, _text, _subtype=_subtype, _charset=_charset)

    def __setitem__(self, name: str, val: Any) -> None:
        name, val = forbid_multi_line_headers(name, val, self.encoding)
        MIMEText.__setitem__(self, name, val)

    def set_payload(self, payload: Any, charset: Any = None) -> None:
        """Pick 7bit/8bit for UTF-8, or quoted-printable when lines are too long."""
        if charset == "utf-8" and not isinstance(charset, email_charset.Charset):
            too_long = any(
                len(line.encode(errors="surrogateescape"))
                > RFC5322_EMAIL_LINE_LENGTH_LIMIT
                for line in payload.splitlines()
            )
            charset = utf8_charset_qp if too_long else utf8_charset
        MIMEText.set_payload(self, payload, charset=charset)


# as_string/as_bytes take Django's (unixfrom, linesep), not Message's.
class SafeMIMEMultipart(MIMEMixin, MIMEMultipart):  # type: ignore[misc]
    """A multipart container whose headers refuse newlines."""

    def __init__(
        self,
        _subtype: str = "mixed",
        boundary: str | None = None,
        _subparts: Sequence[Message] | None = None,
        encoding: str | None = None,
        **_params: Any,
    ) -> None:
        self.encoding = encoding
        MIMEMultipart.__init__(self, _subtype, boundary, _subparts, **_params)

    def __setitem__(self, name: str, val: Any) -> None:
        name, val = forbid_multi_line_headers(name, val, self.encoding)
        MIMEMultipart.__setitem__(self, name, val)


class EmailAlternative(NamedTuple):
    """An alternative rendering of the body, such as ``text/html``."""

    content: Any
    mimetype: str


class EmailAttachment(NamedTuple):
    """A file attached to a message, before it is turned into a MIME part."""

    filename: str | None
    content: Any
    mimetype: str


def _check_address_list(name: str, value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str):
        # A bare string would be iterated character by character.
        raise TypeError(f'"{name}" argument must be a list or tuple')
    return list(value)


class EmailMessage:
    """A plain-text email message with optional attachments."""

    content_subtype = "plain"
    mixed_subtype = "mixed"
    encoding: str | None = None

    def __init__(
        self,
        subject: str = "",
        body: str = "",
        from_email: str | None = None,
        to: Sequence[str] | None = None,
        bcc: Sequence[str] | None = None,
        connection: BaseEmailBackend | None = None,
        attachments: Iterable[Any] | None = None,
        headers: dict[str, Any] | None = None,
        cc: Sequence[str] | None = None,
        reply_to: Sequence[str] | None = None,
    ) -> None:
        self.to: list[str] = _check_address_list("to", to)
        self.cc: list[str] = _check_address_list("cc", cc)
        self.bcc: list[str] = _check_address_list("bcc", bcc)
        self.reply_to: list[str] = _check_address_list("reply_to", reply_to)
        self.from_email = from_email or settings.DEFAULT_FROM_EMAIL
        self.subject = subject
        self.body = body or ""
        self.attachments: list[EmailAttachment | MIMEBase] = []
        for attachment in attachments or ():
            if isinstance(attachment, MIMEBase):
                self.attach(attachment)
            else:
                self.attach(*attachment)
        self.extra_headers: dict[str, Any] = dict(headers or {})
        self.connection = connection

    def get_connection(self, fail_silently: bool = False) -> BaseEmailBackend:
        """Return the connection to send with, opening the default one if unset."""
        from manouche.core.mail import get_connection

        if not self.connection:
            self.connection = get_connection(fail_silently=fail_silently)
        return self.connection

    def message(self) -> SafeMIMEText | SafeMIMEMultipart:
        """Build the standard-library message, headers included."""
        encoding = self.encoding or settings.DEFAULT_CHARSET
        msg = self._create_message(
            SafeMIMEText(self.body, self.content_subtype, encoding)
        )
        msg["Subject"] = self.subject
        msg["From"] = self._extra_header("From") or self.from_email
        self._set_list_header_if_not_empty(msg, "To", self.to)
        self._set_list_header_if_not_empty(msg, "Cc", self.cc)
        self._set_list_header_if_not_empty(msg, "Reply-To", self.reply_to)
        header_names = {key.lower() for key in self.extra_headers}
        if "date" not in header_names:
            msg["Date"] = formatdate(localtime=settings.EMAIL_USE_LOCALTIME)
        if "message-id" not in header_names:
            msg["Message-ID"] = make_msgid(domain=DNS_NAME.get_fqdn())
        for name, value in self.extra_headers.items():
            if name.lower() not in {"from", "to", "cc", "reply-to"}:
                msg[name] = value
        return msg

    def _extra_header(self, header: str) -> Any:
        lowered = header.lower()
        for name, value in self.extra_headers.items():
            if name.lower() == lowered:
                return value
        return None

    def _set_list_header_if_not_empty(
        self, msg: Message, header: str, values: list[str]
    ) -> None:
        value = self._extra_header(header)
        if value is None and values:
            value = ", ".join(str(v) for v in values)
        if value:
            msg[header] = value

    def recipients(self) -> list[str]:
        """Return every recipient (to, cc and bcc), skipping empty entries."""
        return [email for email in (*self.to, *self.cc, *self.bcc) if email]

    def send(self, fail_silently: bool = False) -> int:
        """Send the message; return the number sent (0 or 1)."""
        if not self.recipients():
            # Nobody to send to: don't open a connection for nothing.
            return 0
        return self.get_connection(fail_silently).send_messages([self])

    def attach(
        self,
        filename: str | MIMEBase | None = None,
        content: Any = None,
        mimetype: str | None = None,
    ) -> None:
        """Attach a file's content, or a ready ``MIMEBase`` part.

        Without ``mimetype`` it is guessed from ``filename``. Text content
        given as bytes is decoded as UTF-8; bytes that do not decode are sent
        as ``application/octet-stream`` instead.
        """
        if isinstance(filename, MIMEBase):
            if content is not None or mimetype is not None:
                raise ValueError(
                    "content and mimetype must not be given when a MIMEBase "
                    "instance is provided."
                )
            self.attachments.append(filename)
            return
        if content is None:
            raise ValueError("content must be provided.")
        guessed = mimetypes.guess_type(filename)[0] if filename else None
        mimetype = mimetype or guessed or DEFAULT_ATTACHMENT_MIME_TYPE
        if mimetype.split("/", 1)[0] == "text" and isinstance(content, bytes):
            try:
                content = content.decode()
            except UnicodeDecodeError:
                mimetype = DEFAULT_ATTACHMENT_MIME_TYPE
        self.attachments.append(EmailAttachment(filename, content, mimetype))

    def attach_file(
        self, path: str | PathLike[str], mimetype: str | None = None
    ) -> None:
        """Attach the file at ``path``, named by its base name."""
        file_path = Path(path)
        content = file_path.read_bytes()
        self.attach(file_path.name, content, mimetype)

    def _create_message(self, msg: SafeMIMEText) -> SafeMIMEText | SafeMIMEMultipart:
        return self._create_attachments(msg)

    def _create_attachments(
        self, msg: SafeMIMEText | SafeMIMEMultipart
    ) -> SafeMIMEText | SafeMIMEMultipart:
        if not self.attachments:
            return msg
        encoding = self.encoding or settings.DEFAULT_CHARSET
        body_msg = msg
        mixed = SafeMIMEMultipart(_subtype=self.mixed_subtype, encoding=encoding)
        if self.body or body_msg.is_multipart():
            mixed.attach(body_msg)
        for attachment in self.attachments:
            if isinstance(attachment, MIMEBase):
                mixed.attach(attachment)
            else:
                mixed.attach(self._create_attachment(*attachment))
        return mixed

    def _create_mime_attachment(self, content: Any, mimetype: str) -> Message:
        """Turn content into a MIME part: text as text, rfc822 inline, else base64."""
        basetype, subtype = mimetype.split("/", 1)
        if basetype == "text":
            encoding = self.encoding or settings.DEFAULT_CHARSET
            return SafeMIMEText(force_str(content), subtype, encoding)
        if basetype == "message" and subtype == "rfc822":
            # RFC 2046 5.2.1: a message/rfc822 part must not be base64-encoded.
            if isinstance(content, EmailMessage):
                content = content.message()
            elif not isinstance(content, Message):
                content = Parser().parsestr(force_str(content))
            return SafeMIMEMessage(content, subtype)
        part = MIMEBase(basetype, subtype)
        if isinstance(content, str):
            content = content.encode(self.encoding or settings.DEFAULT_CHARSET)
        part.set_payload(content)
        encoders.encode_base64(part)
        return part

    def _create_attachment(
        self, filename: str | None, content: Any, mimetype: str
    ) -> Message:
        part = self._create_mime_attachment(content, mimetype)
        if filename:
            try:
                filename.encode("ascii")
            except UnicodeEncodeError:
                # RFC 2231 encoding for non-ASCII file names.
                part.add_header(
                    "Content-Disposition",
                    "attachment",
                    filename=("utf-8", "", filename),
                )
            else:
                part.add_header("Content-Disposition", "attachment", filename=filename)
        return part


class EmailMultiAlternatives(EmailMessage):
    """An email with alternative renderings of the body (usually HTML)."""

    alternative_subtype = "alternative"

    def __init__(
        self,
        subject: str = "",
        body: str = "",
        from_email: str | None = None,
        to: Sequence[str] | None = None,
        bcc: Sequence[str] | None = None,
        connection: BaseEmailBackend | None = None,
        attachments: Iterable[Any] | None = None,
        headers: dict[str, Any] | None = None,
        alternatives: Iterable[Any] | None = None,
        cc: Sequence[str] | None = None,
        reply_to: Sequence[str] | None = None,
    ) -> None:
        super().__init__(
            subject,
            body,
            from_email,
            to,
            bcc,
            connection,
            attachments,
            headers,
            cc,
            reply_to,
        )
        self.alternatives: list[EmailAlternative] = [
            EmailAlternative(*alternative) for alternative in alternatives or ()
        ]

    def attach_alternative(self, content: Any, mimetype: str) -> None:
        """Add another rendering of the body, e.g. ``(html, "text/html")``."""
        if content is None or mimetype is None:
            raise ValueError("Both content and mimetype must be provided.")
        self.alternatives.append(EmailAlternative(content, mimetype))

    def body_contains(self, text: str) -> bool:
        """Say whether ``text`` is in the body and in every text/* alternative."""
        if text not in self.body:
            return False
        return all(
            text in alternative.content
            for alternative in self.alternatives
            if alternative.mimetype.startswith("text/")
        )

    def _create_message(self, msg: SafeMIMEText) -> SafeMIMEText | SafeMIMEMultipart:
        return self._create_attachments(self._create_alternatives(msg))

    def _create_alternatives(
        self, msg: SafeMIMEText
    ) -> SafeMIMEText | SafeMIMEMultipart:
        if not self.alternatives:
            return msg
        encoding = self.encoding or settings.DEFAULT_CHARSET
        container = SafeMIMEMultipart(
            _subtype=self.alternative_subtype, encoding=encoding
        )
        if self.body:
            container.attach(msg)
        for alternative in self.alternatives:
            container.attach(
                self._create_mime_attachment(alternative.content, alternative.mimetype)
            )
        return container
