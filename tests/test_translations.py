"""Every message catalogue is complete: nothing missing, fuzzy or obsolete, placeholders intact,
the right number of plural forms for the language.

A failure names the catalogue and the message id, so a translator knows where to look.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
from pathlib import Path

import django
import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.utils.translation import to_locale

ROOT = Path(__file__).resolve().parents[1] / "safeguard"
CATALOGUES = sorted(ROOT.glob("**/locale/*/LC_MESSAGES/django.po"))
# Catalogue folders are named by locale: zh-hans is zh_Hans.
TRANSLATED = [to_locale(code) for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# %(name)s, %s, %d and {name} — what Python's % and str.format fill in.
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdifr]|%[sdifr]|\{\w*\}")


def _catalogue(path: Path) -> Catalog:
    with path.open("rb") as po:
        return read_po(po, locale=path.parent.parent.name)


def _strings(message: Message) -> list[str]:
    return _texts(message.string)


def _sources(message: Message) -> list[str]:
    return _texts(message.id)


def _texts(value: object) -> list[str]:
    # Babel keeps a plural message's forms as a tuple or list, a singular one as a string.
    if isinstance(value, tuple | list):
        return [str(text or "") for text in value]
    return [str(value or "")]


def _placeholders(text: str) -> set[str]:
    return {match.group(0) for match in PLACEHOLDER.finditer(text)}


def _label(path: Path) -> str:
    return str(path.relative_to(ROOT.parent))


def test_every_configured_language_has_a_catalogue_for_every_app() -> None:
    apps = sorted({path.parents[3] for path in CATALOGUES})
    missing = [
        f"{_label(app)}/locale/{language}/LC_MESSAGES/django.po"
        for app in apps
        for language in TRANSLATED
        if not (app / "locale" / language / "LC_MESSAGES" / "django.po").exists()
    ]
    assert missing == []


@pytest.mark.parametrize("path", CATALOGUES, ids=_label)
def test_the_catalogue_is_complete(path: Path) -> None:
    catalog = _catalogue(path)
    problems: list[str] = []
    for message in catalog:
        if not message.id:
            continue
        key = _sources(message)[0]
        strings = _strings(message)
        if message.fuzzy:
            problems.append(f"fuzzy: {key!r}")
        if not all(strings):
            problems.append(f"untranslated: {key!r}")
            continue
        source = set().union(*(_placeholders(text) for text in _sources(message)))
        for text in strings:
            extra = _placeholders(text) - source
            if extra:
                problems.append(f"placeholder {sorted(extra)} not in the source: {key!r}")
        if not message.pluralizable and _placeholders(strings[0]) != source:
            problems.append(f"placeholders {sorted(source)} changed: {key!r}")
    problems += [f"obsolete: {key!r}" for key in catalog.obsolete]
    assert problems == [], f"{_label(path)}:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", CATALOGUES, ids=_label)
def test_plural_forms_match_the_language(path: Path) -> None:
    # CLDR's rules as Babel ships them; every catalogue of a language must agree, or Django
    # picks a plural form that a catalogue with fewer forms does not have and shows English.
    catalog = _catalogue(path)
    expected = get_plural(path.parent.parent.name)
    assert (catalog.num_plurals, catalog.plural_expr) == (expected.num_plurals, expected.plural_expr), (
        f"{_label(path)}: Plural-Forms header should be {expected.plural_forms}"
    )
    wrong = [
        _sources(m)[0]
        for m in catalog
        if m.id and m.pluralizable and len(_strings(m)) != expected.num_plurals
    ]
    # Babel drops forms beyond the header's count while reading, so look for them in the text.
    wrong += [
        f"line {number}: {line}" for number, line in _lines_with_extra_forms(path, expected.num_plurals)
    ]
    assert wrong == [], f"{_label(path)}: messages without {expected.num_plurals} plural forms"


def _lines_with_extra_forms(path: Path, count: int) -> list[tuple[int, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [
        (number, line)
        for number, line in enumerate(lines, start=1)
        if (form := re.match(r"msgstr\[(\d+)\]", line)) and int(form.group(1)) >= count
    ]


MSGFMT = shutil.which("msgfmt")
needs_msgfmt = pytest.mark.skipif(MSGFMT is None, reason="needs GNU gettext's msgfmt (CI installs gettext)")


def _msgfmt_errors(path: Path) -> list[str]:
    """What GNU msgfmt --check rejects (duplicates, headers, format strings), as Weblate and
    Transifex would; warnings about the header's placeholder fields are not errors."""
    run = subprocess.run(
        [str(MSGFMT), "--check", "--output-file=/dev/null", str(path)], capture_output=True, text=True
    )
    return [] if run.returncode == 0 else [line for line in run.stderr.splitlines() if "warning:" not in line]


@needs_msgfmt
@pytest.mark.parametrize("path", CATALOGUES, ids=_label)
def test_gnu_gettext_accepts_the_catalogue(path: Path) -> None:
    assert _msgfmt_errors(path) == [], _label(path)


# What Babel reads without a word and msgfmt rejects, each after a valid header.
BROKEN_ENTRIES = {
    "a repeated entry": ('msgid "Thai"\nmsgstr "Thaï"\n\nmsgid "Thai"\nmsgstr "Thaï"\n', "duplicate message"),
    "a broken format": ('#, python-format\nmsgid "95% in"\nmsgstr "95%-го"\n', "not a valid Python format"),
    "plurals, no Plural-Forms": (
        'msgid "one"\nmsgid_plural "many"\nmsgstr[0] "un"\nmsgstr[1] "des"\n',
        "plural=",
    ),
}


@needs_msgfmt
@pytest.mark.parametrize("entry", BROKEN_ENTRIES, ids=str)
def test_gnu_gettext_check_finds_what_babel_lets_through(entry: str, tmp_path: Path) -> None:
    text, expected = BROKEN_ENTRIES[entry]
    broken = tmp_path / "django.po"
    broken.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n' + text, encoding="utf-8"
    )
    assert expected in "\n".join(_msgfmt_errors(broken))


# Each package and the project templates; strings of those without a catalogue of their own
# (accounts, portal, core, templates) live in the project catalogue, safeguard/locale. "top" is
# the files directly in safeguard/ (the language names in settings.py).
SOURCE_DIRS = sorted(
    path
    for path in ROOT.iterdir()
    if path.is_dir() and path.name not in {"locale", "static", "testing", "__pycache__"}
)
SOURCES = ["top", *(source.name for source in SOURCE_DIRS)]
needs_xgettext = pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="needs GNU gettext's xgettext (CI installs gettext)"
)


def _extract(source: str, into: Path) -> set[str]:
    """The strings `make makemessages` would extract from ``source``, from a copy of it."""
    copy = into / source
    if source == "top":
        shutil.copytree(ROOT, copy, ignore=lambda folder, names: _folders(Path(folder), names))
    else:
        ignored = shutil.ignore_patterns("__pycache__", "tests", "locale", "static")
        shutil.copytree(ROOT / source, copy, ignore=ignored)
    (copy / "locale").mkdir()
    with contextlib.chdir(copy):  # makemessages works on the current directory
        call_command("makemessages", locale=[TRANSLATED[0]], verbosity=0)
    extracted = copy / "locale" / TRANSLATED[0] / "LC_MESSAGES" / "django.po"
    return set(_ids(_catalogue(extracted))) if extracted.exists() else set()


def _folders(folder: Path, names: list[str]) -> list[str]:
    return [name for name in names if (folder / name).is_dir()] if folder == ROOT else []


@pytest.fixture(scope="module")
def source_strings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    into = tmp_path_factory.mktemp("extracted")
    return {source: _extract(source, into) for source in SOURCES}


@needs_xgettext
@pytest.mark.parametrize("source", SOURCES)
def test_every_string_in_the_source_is_translated(source: str, source_strings: dict[str, set[str]]) -> None:
    """Extract the strings as `make makemessages` does and look for each in the catalogues
    (Django merges them all at run time)."""
    found = source_strings[source]
    missing = {language: sorted(found - _translated_ids(language)) for language in TRANSLATED}
    assert missing == {language: [] for language in TRANSLATED}, "run `make makemessages` and translate these"


@needs_xgettext
@pytest.mark.parametrize("path", CATALOGUES, ids=_label)
def test_the_catalogue_holds_no_string_the_source_has_lost(
    path: Path, source_strings: dict[str, set[str]]
) -> None:
    # makemessages would mark these obsolete; kept by hand, they are work no reader sees.
    used = set().union(*source_strings.values())
    unused = sorted(set(_ids(_catalogue(path))) - used)
    assert unused == [], f"{_label(path)}: no source uses these, remove them:\n" + "\n".join(unused)


def _translated_ids(language: str) -> set[str]:
    paths = [path for path in CATALOGUES if path.parent.parent.name == language]
    return {key for path in paths for key in _ids(_catalogue(path))} | _translated_by_django(language)


def _translated_by_django(language: str) -> set[str]:
    # Django's own catalogue comes last in the merge: it names some languages ("Arabic") for us.
    path = Path(django.__file__).parent / "conf" / "locale" / language / "LC_MESSAGES" / "django.po"
    if not path.exists():
        return set()
    return {_sources(message)[0] for message in _catalogue(path) if message.id and all(_strings(message))}


def _ids(catalog: Catalog) -> list[str]:
    return [_sources(message)[0] for message in catalog if message.id]
