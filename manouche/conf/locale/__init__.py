"""Language metadata: code, English name, native name and script direction.

Read by ``manouche.utils.translation.get_language_info``. manouche ships no
message catalogs; a project adds its own ``.mo`` files under LOCALE_PATHS.
"""

from __future__ import annotations

from typing import Any

__all__ = ["LANG_INFO"]


def _entry(code: str, name: str, name_local: str) -> dict[str, Any]:
    return {
        "bidi": code in _BIDI,
        "code": code,
        "name": name,
        "name_local": name_local,
    }


_BIDI = {"ar", "ar-dz", "ckb", "fa", "he", "ug", "ur"}

_LANGUAGES: list[tuple[str, str, str]] = [
    ("af", "Afrikaans", "Afrikaans"),
    ("ar", "Arabic", "العربيّة"),
    ("ar-dz", "Algerian Arabic", "العربية الجزائرية"),
    ("bg", "Bulgarian", "български"),
    ("ca", "Catalan", "català"),
    ("ckb", "Central Kurdish (Sorani)", "کوردی"),
    ("cs", "Czech", "česky"),
    ("cy", "Welsh", "Cymraeg"),
    ("da", "Danish", "dansk"),
    ("de", "German", "Deutsch"),
    ("el", "Greek", "Ελληνικά"),
    ("en", "English", "English"),
    ("en-au", "Australian English", "Australian English"),
    ("en-gb", "British English", "British English"),
    ("eo", "Esperanto", "Esperanto"),
    ("es", "Spanish", "español"),
    ("es-ar", "Argentinian Spanish", "español de Argentina"),
    ("es-mx", "Mexican Spanish", "español de Mexico"),
    ("et", "Estonian", "eesti"),
    ("eu", "Basque", "Basque"),
    ("fa", "Persian", "فارسی"),
    ("fi", "Finnish", "suomi"),
    ("fr", "French", "français"),
    ("ga", "Irish", "Gaeilge"),
    ("gl", "Galician", "galego"),
    ("he", "Hebrew", "עברית"),
    ("hi", "Hindi", "हिंदी"),
    ("hr", "Croatian", "Hrvatski"),
    ("hu", "Hungarian", "Magyar"),
    ("id", "Indonesian", "Bahasa Indonesia"),
    ("is", "Icelandic", "Íslenska"),
    ("it", "Italian", "italiano"),
    ("ja", "Japanese", "日本語"),
    ("ko", "Korean", "한국어"),
    ("lt", "Lithuanian", "Lietuviškai"),
    ("lv", "Latvian", "latviešu"),
    ("nb", "Norwegian Bokmal", "norsk (bokmål)"),
    ("nl", "Dutch", "Nederlands"),
    ("nn", "Norwegian Nynorsk", "norsk (nynorsk)"),
    ("pl", "Polish", "polski"),
    ("pt", "Portuguese", "Português"),
    ("pt-br", "Brazilian Portuguese", "Português Brasileiro"),
    ("ro", "Romanian", "Română"),
    ("ru", "Russian", "Русский"),
    ("sk", "Slovak", "Slovensky"),
    ("sl", "Slovenian", "Slovenščina"),
    ("sr", "Serbian", "српски"),
    ("sr-latn", "Serbian Latin", "srpski (latinica)"),
    ("sv", "Swedish", "svenska"),
    ("th", "Thai", "ภาษาไทย"),
    ("tr", "Turkish", "Türkçe"),
    ("ug", "Uyghur", "ئۇيغۇرچە"),
    ("uk", "Ukrainian", "Українська"),
    ("ur", "Urdu", "اردو"),
    ("vi", "Vietnamese", "Tiếng Việt"),
    ("zh-hans", "Simplified Chinese", "简体中文"),
    ("zh-hant", "Traditional Chinese", "繁體中文"),
]

LANG_INFO: dict[str, dict[str, Any]] = {
    code: _entry(code, name, local) for code, name, local in _LANGUAGES
}
# Codes that only point at the entry to use instead.
LANG_INFO.update(
    {
        "no": {"fallback": ["nb"]},
        "zh-cn": {"fallback": ["zh-hans"]},
        "zh-hk": {"fallback": ["zh-hant"]},
        "zh-mo": {"fallback": ["zh-hant"]},
        "zh-my": {"fallback": ["zh-hans"]},
        "zh-sg": {"fallback": ["zh-hans"]},
        "zh-tw": {"fallback": ["zh-hant"]},
    }
)
