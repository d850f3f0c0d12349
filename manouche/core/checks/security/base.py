"""Deployment checks for the security settings and middleware.

Each check reads settings at call time; the message ids are Django's
(``security.W001`` and so on) so existing silencing lists keep working.
"""

from __future__ import annotations

from typing import Any

from manouche.conf import settings
from manouche.core.checks.messages import CheckMessage, Error
from manouche.core.checks.messages import Warning as CheckWarning
from manouche.core.checks.registry import Tags, register
from manouche.core.exceptions import ImproperlyConfigured

__all__ = [
    "CROSS_ORIGIN_OPENER_POLICY_VALUES",
    "REFERRER_POLICY_VALUES",
    "SECRET_KEY_INSECURE_PREFIX",
    "SECRET_KEY_MIN_LENGTH",
    "SECRET_KEY_MIN_UNIQUE_CHARACTERS",
    "check_allowed_hosts",
    "check_content_type_nosniff",
    "check_cross_origin_opener_policy",
    "check_debug",
    "check_referrer_policy",
    "check_secret_key",
    "check_secret_key_fallbacks",
    "check_security_middleware",
    "check_ssl_redirect",
    "check_sts",
    "check_sts_include_subdomains",
    "check_sts_preload",
    "check_xframe_deny",
    "check_xframe_options_middleware",
]

CROSS_ORIGIN_OPENER_POLICY_VALUES = {
    "same-origin",
    "same-origin-allow-popups",
    "unsafe-none",
}
REFERRER_POLICY_VALUES = {
    "no-referrer",
    "no-referrer-when-downgrade",
    "origin",
    "origin-when-cross-origin",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
    "unsafe-url",
}

SECRET_KEY_INSECURE_PREFIX = "manouche-insecure-"
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5

SECURITY_MIDDLEWARE = "manouche.middleware.security.SecurityMiddleware"
XFRAME_MIDDLEWARE = "manouche.middleware.clickjacking.XFrameOptionsMiddleware"

W001 = CheckWarning(
    f"You do not have '{SECURITY_MIDDLEWARE}' in your MIDDLEWARE so the "
    "SECURE_HSTS_SECONDS, SECURE_CONTENT_TYPE_NOSNIFF, SECURE_REFERRER_POLICY, "
    "SECURE_CROSS_ORIGIN_OPENER_POLICY, and SECURE_SSL_REDIRECT settings will have "
    "no effect.",
    id="security.W001",
)
W002 = CheckWarning(
    f"You do not have '{XFRAME_MIDDLEWARE}' in your MIDDLEWARE, so your pages will "
    "not be served with an 'x-frame-options' header. Unless there is a good reason "
    "for your site to be served in a frame, you should consider enabling this header "
    "to help prevent clickjacking attacks.",
    id="security.W002",
)
W004 = CheckWarning(
    "You have not set a value for the SECURE_HSTS_SECONDS setting. If your entire "
    "site is served only over SSL, you may want to consider setting a value and "
    "enabling HTTP Strict Transport Security. Be sure to read the documentation "
    "first; enabling HSTS carelessly can cause serious, irreversible problems.",
    id="security.W004",
)
W005 = CheckWarning(
    "You have not set the SECURE_HSTS_INCLUDE_SUBDOMAINS setting to True. Without "
    "this, your site is potentially vulnerable to attack via an insecure connection "
    "to a subdomain. Only set this to True if you are certain that all subdomains of "
    "your domain should be served exclusively via SSL.",
    id="security.W005",
)
W006 = CheckWarning(
    "Your SECURE_CONTENT_TYPE_NOSNIFF setting is not set to True, so your pages will "
    "not be served with an 'X-Content-Type-Options: nosniff' header. You should "
    "consider enabling this header to prevent the browser from identifying content "
    "types incorrectly.",
    id="security.W006",
)
W008 = CheckWarning(
    "Your SECURE_SSL_REDIRECT setting is not set to True. Unless your site should be "
    "available over both SSL and non-SSL connections, you may want to either set "
    "this setting True or configure a load balancer or reverse-proxy server to "
    "redirect all connections to HTTPS.",
    id="security.W008",
)
_WEAK_KEY = (
    f"Your %s has less than {SECRET_KEY_MIN_LENGTH} characters, less than "
    f"{SECRET_KEY_MIN_UNIQUE_CHARACTERS} unique characters, or it's prefixed with "
    f"'{SECRET_KEY_INSECURE_PREFIX}' indicating that it was generated automatically "
    "by manouche. Please generate a long and random value, otherwise many of "
    "manouche's security-critical features will be vulnerable to attack."
)
W009 = CheckWarning(_WEAK_KEY % "SECRET_KEY", id="security.W009")
W018 = CheckWarning(
    "You should not have DEBUG set to True in deployment.",
    id="security.W018",
)
W019 = CheckWarning(
    f"You have '{XFRAME_MIDDLEWARE}' in your MIDDLEWARE, but X_FRAME_OPTIONS is not "
    "set to 'DENY'. Unless there is a good reason for your site to serve other parts "
    "of itself in a frame, you should change it to 'DENY'.",
    id="security.W019",
)
W020 = CheckWarning(
    "ALLOWED_HOSTS must not be empty in deployment.",
    id="security.W020",
)
W021 = CheckWarning(
    "You have not set the SECURE_HSTS_PRELOAD setting to True. Without this, your "
    "site cannot be submitted to the browser preload list.",
    id="security.W021",
)
W022 = CheckWarning(
    "You have not set the SECURE_REFERRER_POLICY setting. Without this, your site "
    "will not send a Referrer-Policy header. You should consider enabling this "
    "header to protect user privacy.",
    id="security.W022",
)
E023 = Error(
    "You have set the SECURE_REFERRER_POLICY setting to an invalid value.",
    hint="Valid values are: {}.".format(", ".join(sorted(REFERRER_POLICY_VALUES))),
    id="security.E023",
)
E024 = Error(
    "You have set the SECURE_CROSS_ORIGIN_OPENER_POLICY setting to an invalid value.",
    hint="Valid values are: {}.".format(
        ", ".join(sorted(CROSS_ORIGIN_OPENER_POLICY_VALUES))
    ),
    id="security.E024",
)


def _security_middleware() -> bool:
    return SECURITY_MIDDLEWARE in settings.MIDDLEWARE


def _xframe_middleware() -> bool:
    return XFRAME_MIDDLEWARE in settings.MIDDLEWARE


def _check_secret_key(secret_key: Any) -> bool:
    return (
        isinstance(secret_key, str | bytes)
        and len(set(secret_key)) >= SECRET_KEY_MIN_UNIQUE_CHARACTERS
        and len(secret_key) >= SECRET_KEY_MIN_LENGTH
        and not str(secret_key).startswith(SECRET_KEY_INSECURE_PREFIX)
    )


@register(Tags.security, deploy=True)
def check_security_middleware(**kwargs: Any) -> list[CheckMessage]:
    """Warn when SecurityMiddleware is missing (security.W001)."""
    return [] if _security_middleware() else [W001]


@register(Tags.security, deploy=True)
def check_xframe_options_middleware(**kwargs: Any) -> list[CheckMessage]:
    """Warn when XFrameOptionsMiddleware is missing (security.W002)."""
    return [] if _xframe_middleware() else [W002]


@register(Tags.security, deploy=True)
def check_sts(**kwargs: Any) -> list[CheckMessage]:
    """Warn when HSTS is off (security.W004)."""
    passed = not _security_middleware() or settings.SECURE_HSTS_SECONDS
    return [] if passed else [W004]


@register(Tags.security, deploy=True)
def check_sts_include_subdomains(**kwargs: Any) -> list[CheckMessage]:
    """Warn when HSTS is on without includeSubDomains (security.W005)."""
    passed = (
        not _security_middleware()
        or not settings.SECURE_HSTS_SECONDS
        or settings.SECURE_HSTS_INCLUDE_SUBDOMAINS is True
    )
    return [] if passed else [W005]


@register(Tags.security, deploy=True)
def check_sts_preload(**kwargs: Any) -> list[CheckMessage]:
    """Warn when HSTS is on without preload (security.W021)."""
    passed = (
        not _security_middleware()
        or not settings.SECURE_HSTS_SECONDS
        or settings.SECURE_HSTS_PRELOAD is True
    )
    return [] if passed else [W021]


@register(Tags.security, deploy=True)
def check_content_type_nosniff(**kwargs: Any) -> list[CheckMessage]:
    """Warn when nosniff is off (security.W006)."""
    passed = not _security_middleware() or settings.SECURE_CONTENT_TYPE_NOSNIFF is True
    return [] if passed else [W006]


@register(Tags.security, deploy=True)
def check_ssl_redirect(**kwargs: Any) -> list[CheckMessage]:
    """Warn when plain HTTP is not redirected to HTTPS (security.W008)."""
    passed = not _security_middleware() or settings.SECURE_SSL_REDIRECT is True
    return [] if passed else [W008]


@register(Tags.security, deploy=True)
def check_secret_key(**kwargs: Any) -> list[CheckMessage]:
    """Warn when SECRET_KEY is short, repetitive or a generated insecure one (W009)."""
    try:
        secret_key = settings.SECRET_KEY
    except (ImproperlyConfigured, AttributeError):
        passed = False
    else:
        passed = _check_secret_key(secret_key)
    return [] if passed else [W009]


@register(Tags.security, deploy=True)
def check_secret_key_fallbacks(**kwargs: Any) -> list[CheckMessage]:
    """Warn about weak SECRET_KEY_FALLBACKS entries (security.W025)."""
    warnings: list[CheckMessage] = []
    try:
        fallbacks = settings.SECRET_KEY_FALLBACKS
    except (ImproperlyConfigured, AttributeError):
        return [CheckWarning(_WEAK_KEY % "SECRET_KEY_FALLBACKS", id="security.W025")]
    for index, key in enumerate(fallbacks):
        if not _check_secret_key(key):
            warnings.append(
                CheckWarning(
                    _WEAK_KEY % f"SECRET_KEY_FALLBACKS[{index}]", id="security.W025"
                )
            )
    return warnings


@register(Tags.security, deploy=True)
def check_debug(**kwargs: Any) -> list[CheckMessage]:
    """Warn when DEBUG is on (security.W018)."""
    return [W018] if settings.DEBUG else []


@register(Tags.security, deploy=True)
def check_xframe_deny(**kwargs: Any) -> list[CheckMessage]:
    """Warn when X_FRAME_OPTIONS is not DENY (security.W019)."""
    passed = not _xframe_middleware() or settings.X_FRAME_OPTIONS == "DENY"
    return [] if passed else [W019]


@register(Tags.security, deploy=True)
def check_allowed_hosts(**kwargs: Any) -> list[CheckMessage]:
    """Warn when ALLOWED_HOSTS is empty (security.W020)."""
    return [] if settings.ALLOWED_HOSTS else [W020]


@register(Tags.security, deploy=True)
def check_referrer_policy(**kwargs: Any) -> list[CheckMessage]:
    """Warn when no Referrer-Policy is set (W022); refuse unknown values (E023)."""
    if not _security_middleware():
        return []
    policy = settings.SECURE_REFERRER_POLICY
    if policy is None:
        return [W022]
    if isinstance(policy, str):
        values = {value.strip() for value in policy.split(",")}
    else:
        values = set(policy)
    if not values <= REFERRER_POLICY_VALUES:
        return [E023]
    return []


@register(Tags.security, deploy=True)
def check_cross_origin_opener_policy(**kwargs: Any) -> list[CheckMessage]:
    """Refuse an unknown SECURE_CROSS_ORIGIN_OPENER_POLICY (security.E024)."""
    policy = settings.SECURE_CROSS_ORIGIN_OPENER_POLICY
    if (
        _security_middleware()
        and policy is not None
        and policy not in CROSS_ORIGIN_OPENER_POLICY_VALUES
    ):
        return [E024]
    return []
