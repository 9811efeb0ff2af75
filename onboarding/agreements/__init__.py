"""The merchant agreement's text, as data that counsel can replace: one file per version and language in
this folder, named ``<version>.<language>.md`` (``2026-11.en.md``, ``2026-11.zh-Hans.md``). A new version
is a new pair of files and a new ``CURRENT_AGREEMENT_VERSION`` in ``onboarding.services.agreements``;
signed versions stay, so what a merchant signed can always be shown again.

The English text governs; a translation is shown for convenience and says so. The files use a small,
plain subset of Markdown (``#`` headings, paragraphs, ``-`` lists), rendered here with everything escaped,
so a text can never carry markup or scripts into the page.
"""

import re
from functools import cache
from pathlib import Path

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FOLDER = Path(__file__).resolve().parent
GOVERNING_LANGUAGE = "en"
FILE_RE = re.compile(r"^(?P<version>[0-9]{4}-[0-9]{2})\.(?P<language>[A-Za-z-]+)\.md$")


class AgreementNotFound(LookupError):
    pass


def agreement_files() -> dict[tuple[str, str], Path]:
    """Every text in the folder, by (version, language)."""
    found = {}
    for path in FOLDER.iterdir():
        match = FILE_RE.match(path.name)
        if match:
            found[(match.group("version"), match.group("language"))] = path
    return found


def agreement_versions() -> list[str]:
    return sorted({version for version, _language in agreement_files()})


def agreement_languages(version: str) -> list[str]:
    """The languages ``version`` is written in, the governing one first."""
    languages = {language for v, language in agreement_files() if v == version}
    return sorted(languages, key=lambda language: (language != GOVERNING_LANGUAGE, language))


def agreement_exists(version: str, language: str) -> bool:
    return (version, language) in agreement_files()


@cache
def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def agreement_text(version: str, language: str = GOVERNING_LANGUAGE) -> str:
    path = agreement_files().get((version, language))
    if path is None:
        raise AgreementNotFound(f"no agreement text for version {version!r} in {language!r}")
    return _read(path)


def agreement_language_for(language_code: str | None) -> str:
    """The agreement language for a page language (Django's ``zh-hans`` → ``zh-Hans``; else English)."""
    code = (language_code or "").lower()
    if code.startswith("zh"):
        return "zh-Hans"
    return GOVERNING_LANGUAGE


def render_agreement(text: str) -> SafeString:
    """The text as HTML: headings one level below the page's own, paragraphs and lists, all escaped."""
    html: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if paragraph:
            html.append(f"<p>{escape(' '.join(paragraph))}</p>")
            paragraph.clear()
        if items:
            html.append("<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>")
            items.clear()

    for raw in text.splitlines():
        line = raw.strip()
        heading = re.match(r"^(#{1,3})\s+(.*)$", line)
        if not line:
            flush()
        elif heading:
            flush()
            level = len(heading.group(1)) + 1
            html.append(f"<h{level}>{escape(heading.group(2))}</h{level}>")
        elif line.startswith("- "):
            if paragraph:
                flush()
            items.append(line[2:])
        else:
            if items:
                flush()
            paragraph.append(line)
    flush()
    return mark_safe("\n".join(html))  # noqa: S308 (every piece of text above is escaped)
