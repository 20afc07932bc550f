"""Every UI string has its Indonesian translation; the catalogues parse."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "mitradesa"
METHOD_MAP = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}


def source_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(
        str(PACKAGE), METHOD_MAP, OPTIONS, keywords={"_": None, "N_": None}
    ):
        if message:
            found.add(message if isinstance(message, str) else message[0])
    return found


def catalogue(locale: str):
    with (PACKAGE / "locale" / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


def test_every_ui_string_has_an_indonesian_translation():
    # A fuzzy entry is a guess of pybabel's and is not used at run time: not translated.
    translated = {m.id for m in catalogue("id") if m.id and m.string and not m.fuzzy}
    missing = sorted(source_messages() - translated)
    assert missing == [], f"run `make messages` and translate: {missing}"


def test_english_catalogue_knows_every_string():
    known = {m.id for m in catalogue("en") if m.id}
    assert sorted(source_messages() - known) == []
