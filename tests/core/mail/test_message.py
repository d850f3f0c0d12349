"""EmailMessage and EmailMultiAlternatives: headers, bodies, attachments."""

from __future__ import annotations

import email
from email import message_from_bytes
from email.mime.text import MIMEText
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import pytest

from manouche.core.mail import (
    DEFAULT_ATTACHMENT_MIME_TYPE,
    BadHeaderError,
    EmailAlternative,
    EmailAttachment,
    EmailMessage,
    EmailMultiAlternatives,
    SafeMIMEMultipart,
    SafeMIMEText,
    forbid_multi_line_headers,
)
from manouche.core.mail.message import sanitize_address
from manouche.test.utils import override_settings


def parse(message: EmailMessage) -> Any:
    # Any: get_payload() is typed str | Message | list, too loose for tests.
    return message_from_bytes(message.message().as_bytes())


def test_basic_message_has_expected_headers_and_body() -> None:
    message = EmailMessage(
        "Subject", "Content", "from@example.com", ["to@example.com", "other@x.org"]
    )
    msg = message.message()
    assert msg["Subject"] == "Subject"
    assert msg["From"] == "from@example.com"
    assert msg["To"] == "to@example.com, other@x.org"
    assert msg["Content-Type"] == 'text/plain; charset="utf-8"'
    assert msg["Content-Transfer-Encoding"] == "7bit"
    assert msg["MIME-Version"] == "1.0"
    assert msg.get_payload() == "Content"
    assert msg["Cc"] is None
    assert msg["Bcc"] is None


def test_date_and_message_id_added_unless_given() -> None:
    msg = EmailMessage("s", "b", to=["a@example.com"]).message()
    assert parsedate_to_datetime(msg["Date"]).year >= 2024
    assert msg["Date"].endswith("-0000")
    assert msg["Message-ID"].startswith("<")
    assert msg["Message-ID"].endswith(">")
    custom = EmailMessage(
        "s",
        "b",
        to=["a@example.com"],
        headers={"date": "Fri, 09 Nov 2001 01:08:47 -0000", "Message-Id": "<x@y>"},
    ).message()
    assert custom.get_all("Date") == ["Fri, 09 Nov 2001 01:08:47 -0000"]
    assert custom.get_all("Message-ID") == ["<x@y>"]


@override_settings(EMAIL_USE_LOCALTIME=True)
def test_date_uses_local_time_when_configured() -> None:
    msg = EmailMessage("s", "b", to=["a@example.com"]).message()
    # Local time carries a real offset; UTC from formatdate() says -0000.
    assert not msg["Date"].endswith("-0000")
    assert parsedate_to_datetime(msg["Date"]).utcoffset() is not None


def test_default_from_email_setting_is_used() -> None:
    with override_settings(DEFAULT_FROM_EMAIL="site@example.com"):
        message = EmailMessage("s", "b", to=["a@example.com"])
    assert message.from_email == "site@example.com"
    assert message.message()["From"] == "site@example.com"


def test_cc_and_reply_to_in_headers_but_bcc_only_in_recipients() -> None:
    message = EmailMessage(
        "s",
        "b",
        "from@example.com",
        to=["to@example.com"],
        cc=["cc@example.com"],
        bcc=["bcc@example.com"],
        reply_to=["reply@example.com", "reply2@example.com"],
    )
    msg = message.message()
    assert msg["Cc"] == "cc@example.com"
    assert msg["Reply-To"] == "reply@example.com, reply2@example.com"
    assert "bcc@example.com" not in msg.as_string()
    assert message.recipients() == [
        "to@example.com",
        "cc@example.com",
        "bcc@example.com",
    ]


def test_recipients_skip_empty_entries() -> None:
    message = EmailMessage(to=["", "a@example.com"], cc=[""], bcc=["b@example.com"])
    assert message.recipients() == ["a@example.com", "b@example.com"]


@pytest.mark.parametrize("argument", ["to", "cc", "bcc", "reply_to"])
def test_address_arguments_must_not_be_strings(argument: str) -> None:
    with pytest.raises(TypeError, match=f'"{argument}" argument must be a list or'):
        EmailMessage(**{argument: "person@example.com"})  # type: ignore[arg-type]


def test_tuples_are_accepted_for_address_arguments() -> None:
    message = EmailMessage(to=("a@example.com",), cc=("c@example.com",))
    assert message.to == ["a@example.com"]
    assert message.cc == ["c@example.com"]


def test_extra_headers_override_from_to_cc_reply_to_without_duplicates() -> None:
    message = EmailMessage(
        "s",
        "b",
        "from@example.com",
        ["to@example.com"],
        cc=["cc@example.com"],
        reply_to=["r@example.com"],
        headers={
            "From": "Shown <shown@example.com>",
            "To": "list@example.com",
            "cc": "shown-cc@example.com",
            "Reply-To": "shown-reply@example.com",
            "X-Custom": "value",
        },
    )
    msg = message.message()
    assert msg.get_all("From") == ["Shown <shown@example.com>"]
    assert msg.get_all("To") == ["list@example.com"]
    assert msg.get_all("Cc") == ["shown-cc@example.com"]
    assert msg.get_all("Reply-To") == ["shown-reply@example.com"]
    assert msg["X-Custom"] == "value"
    # The envelope still uses the real addresses.
    assert message.recipients() == ["to@example.com", "cc@example.com"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("subject", "Subject\nBcc: victim@example.com"),
        ("subject", "Subject\rInjected: yes"),
        ("from_email", "from@example.com\nBcc: victim@example.com"),
    ],
)
def test_header_injection_is_refused(field: str, value: str) -> None:
    kwargs = {"subject": "s", "to": ["to@example.com"], field: value}
    message = EmailMessage(**kwargs)  # type: ignore[arg-type]
    with pytest.raises(BadHeaderError, match="Header values can't contain newlines"):
        message.message()


def test_header_injection_in_recipients_and_extra_headers_is_refused() -> None:
    message = EmailMessage("s", "b", to=["to@example.com\nBcc: victim@example.com"])
    with pytest.raises(BadHeaderError, match="for header 'To'"):
        message.message()
    message = EmailMessage("s", "b", to=["a@b.c"], headers={"X-Evil": "a\r\nB: c"})
    with pytest.raises(BadHeaderError, match="for header 'X-Evil'"):
        message.message()


def test_bad_header_error_is_a_value_error() -> None:
    assert issubclass(BadHeaderError, ValueError)


def test_forbid_multi_line_headers_encodes_non_ascii() -> None:
    assert forbid_multi_line_headers("X-Plain", "plain", "utf-8") == (
        "X-Plain",
        "plain",
    )
    name, value = forbid_multi_line_headers("Subject", "Café", "utf-8")
    assert name == "Subject"
    assert value == "=?utf-8?b?Q2Fmw6k=?="
    _, address = forbid_multi_line_headers("To", "Jörg <jörg@exämple.com>", None)
    assert address == "=?utf-8?b?SsO2cmc=?= <=?utf-8?b?asO2cmc=?=@xn--exmple-cua.com>"
    with pytest.raises(BadHeaderError, match=r"got 'a\\nb' for header 'X-H'"):
        forbid_multi_line_headers("X-H", "a\nb", "utf-8")


def test_long_ascii_subject_is_folded_and_round_trips() -> None:
    subject = " ".join(["word"] * 40)
    msg = parse(EmailMessage(subject, "b", to=["a@example.com"]))
    header = msg["Subject"]
    assert "".join(str(header).splitlines()) in {subject, subject.replace(" ", "")}
    raw = EmailMessage(subject, "b", to=["a@example.com"]).message().as_string()
    assert "Subject: word word" in raw
    assert "\n word" in raw


def test_unicode_subject_and_body() -> None:
    message = EmailMessage("Gżegżółka ✓", "Zażółć gęślą jaźń", to=["a@example.com"])
    raw = message.message().as_bytes()
    assert b"Subject: =?utf-8?" in raw
    assert b"Content-Transfer-Encoding: 8bit" in raw
    assert "Zażółć gęślą jaźń".encode() in raw
    decoded = parse(message)
    header = email.header.make_header(email.header.decode_header(decoded["Subject"]))
    assert str(header) == "Gżegżółka ✓"
    assert decoded.get_payload(decode=True) == "Zażółć gęślą jaźń".encode()


def test_unicode_addresses_are_idna_and_rfc2047_encoded() -> None:
    message = EmailMessage(
        "s",
        "b",
        "Fröm Name <from@exämple.com>",
        ["to@éxample.com", "Tö <to@example.com>"],
        cc=["cc@bücher.example"],
    )
    msg = message.message()
    assert msg["From"] == "=?utf-8?q?Fr=C3=B6m_Name?= <from@xn--exmple-cua.com>"
    assert msg["To"] == "to@xn--xample-9ua.com, =?utf-8?b?VMO2?= <to@example.com>"
    assert msg["Cc"] == "cc@xn--bcher-kva.example"


def test_sanitize_address_forms() -> None:
    assert sanitize_address("a@example.com", "utf-8") == "a@example.com"
    assert sanitize_address(("Name", "a@example.com"), "utf-8") == (
        "=?utf-8?q?Name?= <a@example.com>"
    )
    assert sanitize_address(("Ñame", "ñ@exämple.com"), "utf-8") == (
        "=?utf-8?b?w5FhbWU=?= <=?utf-8?b?w7E=?=@xn--exmple-cua.com>"
    )
    assert sanitize_address('"Last, First" <a@example.com>', "utf-8") == (
        "=?utf-8?q?Last=2C_First?= <a@example.com>"
    )


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("to@", 'Invalid address "to@"'),
        ("a@example.com\nBcc: x@y.z", "address parts cannot contain newlines"),
        ('"x" <a@example.com> junk', "could be parsed from"),
        ("a@example.com, b@example.com", "only a@example.com could be parsed"),
        ("@", "Invalid address"),
        (("Name\n", "a@example.com"), "address parts cannot contain newlines"),
        (("Name", "a\r@example.com"), "address parts cannot contain newlines"),
        (("Name", "no-at-sign"), "Invalid address"),
    ],
)
def test_sanitize_address_refuses_bad_input(
    address: str | tuple[str, str], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        sanitize_address(address, "utf-8")


def test_long_lines_use_quoted_printable() -> None:
    body = "x" * 1000 + "\nshort"
    msg = EmailMessage("s", body, to=["a@example.com"]).message()
    assert msg["Content-Transfer-Encoding"] == "quoted-printable"
    assert all(len(line) <= 998 for line in msg.as_string().splitlines())
    decoded = parse(EmailMessage("s", body, to=["a@example.com"]))
    assert decoded.get_payload(decode=True) == body.encode()


def test_body_starting_with_from_is_not_mangled() -> None:
    msg = EmailMessage("s", "From the start\nFrom here", to=["a@b.c"]).message()
    assert ">From" not in msg.as_string()
    assert b">From" not in msg.as_bytes()


def test_text_attachment_from_str_and_bytes() -> None:
    message = EmailMessage("s", "body", to=["a@example.com"])
    message.attach("notes.txt", "Some text é", "text/plain")
    message.attach("guessed.txt", b"bytes text")
    assert message.attachments == [
        EmailAttachment("notes.txt", "Some text é", "text/plain"),
        EmailAttachment("guessed.txt", "bytes text", "text/plain"),
    ]
    msg = parse(message)
    assert msg.get_content_type() == "multipart/mixed"
    body, notes, guessed = msg.get_payload()
    assert body.get_payload() == "body"
    assert notes.get_content_type() == "text/plain"
    assert notes.get_filename() == "notes.txt"
    assert notes.get_payload(decode=True) == "Some text é".encode()
    assert guessed.get_payload(decode=True) == b"bytes text"


def test_binary_attachment_is_base64_with_guessed_type() -> None:
    data = bytes(range(256))
    message = EmailMessage("s", "body", to=["a@example.com"])
    message.attach("image.png", data)
    message.attach("blob", data)
    _, png, blob = parse(message).get_payload()
    assert png.get_content_type() == "image/png"
    assert png["Content-Transfer-Encoding"] == "base64"
    assert png.get_payload(decode=True) == data
    assert blob.get_content_type() == DEFAULT_ATTACHMENT_MIME_TYPE
    assert blob.get_payload(decode=True) == data


def test_undecodable_text_attachment_becomes_octet_stream() -> None:
    message = EmailMessage("s", "body", to=["a@example.com"])
    message.attach("file.txt", b"\xff\xfe\x00bad", "text/plain")
    assert message.attachments == [
        EmailAttachment("file.txt", b"\xff\xfe\x00bad", DEFAULT_ATTACHMENT_MIME_TYPE)
    ]
    part = parse(message).get_payload()[1]
    assert part.get_payload(decode=True) == b"\xff\xfe\x00bad"


def test_non_ascii_attachment_filename_uses_rfc2231() -> None:
    message = EmailMessage("s", "body", to=["a@example.com"])
    message.attach("résumé.pdf", b"%PDF-1.4")
    raw = message.message().as_string()
    assert "filename*=utf-8''r%C3%A9sum%C3%A9.pdf" in raw
    part = parse(message).get_payload()[1]
    assert part.get_filename() == "résumé.pdf"


def test_attach_mimebase_instance_and_argument_checks() -> None:
    message = EmailMessage("s", "body", to=["a@example.com"])
    part = MIMEText("inline text")
    message.attach(part)
    assert message.attachments == [part]
    assert parse(message).get_payload()[1].get_payload() == "inline text"
    with pytest.raises(ValueError, match="content and mimetype must not be given"):
        message.attach(MIMEText("x"), "content")
    with pytest.raises(ValueError, match="content must be provided"):
        message.attach("file.txt")


def test_attachments_argument_accepts_tuples_and_mime_parts() -> None:
    part = MIMEText("part")
    message = EmailMessage(
        "s",
        "body",
        to=["a@example.com"],
        attachments=[("a.txt", "aaa", "text/plain"), part],
    )
    assert message.attachments == [EmailAttachment("a.txt", "aaa", "text/plain"), part]


def test_attach_file_reads_the_file(tmp_path: Path) -> None:
    path = tmp_path / "report.csv"
    path.write_bytes(b"a,b\n1,2\n")
    message = EmailMessage("s", "body", to=["a@example.com"])
    message.attach_file(path)
    message.attach_file(str(path), mimetype="application/x-custom")
    assert message.attachments[0] == EmailAttachment(
        "report.csv", "a,b\n1,2\n", "text/csv"
    )
    assert message.attachments[1] == EmailAttachment(
        "report.csv", b"a,b\n1,2\n", "application/x-custom"
    )
    with pytest.raises(FileNotFoundError):
        message.attach_file(tmp_path / "missing.txt")


def test_message_rfc822_attachment_is_not_base64() -> None:
    inner = EmailMessage("Inner", "inner body", "in@example.com", ["x@example.com"])
    message = EmailMessage("Outer", "outer body", to=["a@example.com"])
    message.attach("forwarded.eml", inner, "message/rfc822")
    message.attach(None, "Subject: raw\n\nraw body", "message/rfc822")
    msg = parse(message)
    _, forwarded, raw = msg.get_payload()
    assert forwarded.get_content_type() == "message/rfc822"
    assert forwarded["Content-Transfer-Encoding"] is None
    assert forwarded.get_payload()[0]["Subject"] == "Inner"
    assert raw.get_payload()[0]["Subject"] == "raw"
    assert raw["Content-Disposition"] is None


def test_attachment_only_message_skips_empty_body() -> None:
    message = EmailMessage("s", "", to=["a@example.com"])
    message.attach("a.txt", "data", "text/plain")
    parts = parse(message).get_payload()
    assert len(parts) == 1


def test_custom_encoding_is_used() -> None:
    message = EmailMessage("Sujet é", "Body é", to=["a@example.com"])
    message.encoding = "iso-8859-1"
    msg = message.message()
    assert msg["Content-Type"] == 'text/plain; charset="iso-8859-1"'
    assert msg["Subject"] == "=?iso-8859-1?q?Sujet_=E9?="
    decoded = parse(message)
    assert decoded.get_payload(decode=True) == "Body é".encode("iso-8859-1")


def test_multi_alternatives_structure() -> None:
    message = EmailMultiAlternatives(
        "s", "plain text", "from@example.com", ["a@example.com"]
    )
    message.attach_alternative("<p>html</p>", "text/html")
    assert message.alternatives == [EmailAlternative("<p>html</p>", "text/html")]
    msg = parse(message)
    assert msg.get_content_type() == "multipart/alternative"
    plain, html = msg.get_payload()
    assert plain.get_content_type() == "text/plain"
    assert html.get_content_type() == "text/html"
    assert html.get_payload() == "<p>html</p>"


def test_multi_alternatives_with_attachment_nests_parts() -> None:
    message = EmailMultiAlternatives(
        "s",
        "plain",
        to=["a@example.com"],
        alternatives=[("<b>html</b>", "text/html")],
        attachments=[("data.bin", b"\x00\x01", "application/octet-stream")],
    )
    msg = parse(message)
    assert msg.get_content_type() == "multipart/mixed"
    alternative, attachment = msg.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in alternative.get_payload()] == [
        "text/plain",
        "text/html",
    ]
    assert attachment.get_payload(decode=True) == b"\x00\x01"


def test_multi_alternatives_without_body_has_only_alternatives() -> None:
    message = EmailMultiAlternatives("s", "", to=["a@example.com"])
    message.attach_alternative("<p>only</p>", "text/html")
    parts = parse(message).get_payload()
    assert [p.get_content_type() for p in parts] == ["text/html"]


def test_attach_alternative_requires_content_and_mimetype() -> None:
    message = EmailMultiAlternatives()
    with pytest.raises(ValueError, match="Both content and mimetype must be provided"):
        message.attach_alternative(None, "text/html")
    with pytest.raises(ValueError, match="Both content and mimetype must be provided"):
        message.attach_alternative("x", None)  # type: ignore[arg-type]


def test_body_contains_checks_body_and_text_alternatives() -> None:
    message = EmailMultiAlternatives("s", "I am content")
    assert message.body_contains("I am content")
    assert not message.body_contains("missing")
    message.attach_alternative("<p>I am content</p>", "text/html")
    message.attach_alternative(b"binary", "application/octet-stream")
    assert message.body_contains("I am content")
    message.attach_alternative("<p>other</p>", "text/html")
    assert not message.body_contains("I am content")


def test_named_tuples_expose_fields() -> None:
    alternative = EmailAlternative("c", "text/html")
    attachment = EmailAttachment("f.txt", "c", "text/plain")
    assert (alternative.content, alternative.mimetype) == ("c", "text/html")
    assert attachment.filename == "f.txt"
    assert tuple(attachment) == ("f.txt", "c", "text/plain")


def test_safe_mime_classes_refuse_newlines_in_headers() -> None:
    text = SafeMIMEText("body", "plain", "utf-8")
    with pytest.raises(BadHeaderError):
        text["X-Test"] = "a\nb"
    multipart = SafeMIMEMultipart(encoding="utf-8")
    with pytest.raises(BadHeaderError):
        multipart["X-Test"] = "a\rb"
    multipart["Subject"] = "ünicode"
    assert multipart["Subject"] == "=?utf-8?q?=C3=BCnicode?="


def test_message_is_rebuilt_on_each_call() -> None:
    message = EmailMessage("s", "b", to=["a@example.com"])
    first = message.message()
    message.subject = "changed"
    assert message.message()["Subject"] == "changed"
    assert first["Subject"] == "s"


def test_lazy_and_non_string_subjects_are_stringified() -> None:
    from manouche.utils.functional import lazy

    lazy_subject = lazy(lambda: "Lazy subject", str)()
    msg = EmailMessage(lazy_subject, "b", to=["a@example.com"]).message()
    assert msg["Subject"] == "Lazy subject"
