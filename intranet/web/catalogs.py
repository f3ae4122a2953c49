"""Translation catalogs: extraction, merging and compilation.

Swedish is the source language (the msgids); `intranet/translations/<lang>/LC_MESSAGES/
messages.po` holds the other languages. The compiled `.mo` files are build output, not kept in
git: the app compiles a catalog when its `.mo` is missing or older than its `.po`, which takes a
few milliseconds, so a fresh checkout needs no extra build step.
"""

import io
import os
import tempfile
from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from flask import Flask, current_app
from flask.cli import AppGroup

# The project's root: the catalogs and babel.cfg are read from the source tree.
ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "intranet" / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
MAPPING = ROOT / "babel.cfg"
DOMAIN = "messages"
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2)}
# Header lines that change on every run; ignoring them keeps unchanged catalogs untouched.
_VOLATILE = (b'"POT-Creation-Date:', b'"PO-Revision-Date:')


def catalog_path(language: str, suffix: str = "po") -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / f"{DOMAIN}.{suffix}"


def extract_messages() -> Catalog:
    """Every translatable string in the package and the templates, as babel.cfg maps them."""
    with MAPPING.open() as mapping:
        method_map, options_map = parse_mapping_cfg(mapping, filename=str(MAPPING))
    catalog = Catalog(project="Handlingsplan", locale=None, fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def read_catalog(language: str) -> Catalog:
    with catalog_path(language).open("rb") as file:
        return read_po(file, locale=language)


def untranslated(catalog: Catalog) -> list[str]:
    """Msgids with an empty or fuzzy translation (the header entry excluded)."""
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def _render_po(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    # No line numbers: they churn on every edit and make merges of the catalogs conflict.
    write_po(
        buffer,
        catalog,
        width=100,
        sort_output=True,
        include_lineno=False,
        ignore_obsolete=True,
    )
    return buffer.getvalue()


def _stable(content: bytes) -> list[bytes]:
    return [line for line in content.splitlines() if not line.startswith(_VOLATILE)]


def _write_if_changed(path: Path, content: bytes) -> bool:
    if path.exists() and _stable(path.read_bytes()) == _stable(content):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return True


def update_catalogs(languages) -> dict[str, list[str]]:
    """Extract into messages.pot, merge it into each language's .po, compile; return what is
    left untranslated per language."""
    template = extract_messages()
    _write_if_changed(TEMPLATE, _render_po(template))
    report = {}
    for language in languages:
        path = catalog_path(language)
        if path.exists():
            catalog = read_catalog(language)
            catalog.update(template)
        else:
            catalog = Catalog(locale=language, project="Handlingsplan")
            catalog.update(template)
        _write_if_changed(path, _render_po(catalog))
        compile_catalog(language)
        report[language] = untranslated(catalog)
    return report


def compile_catalog(language: str) -> Path:
    """Write the .mo atomically: several app server processes may start at once."""
    target = catalog_path(language, "mo")
    catalog = read_catalog(language)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".messages-", suffix=".mo")
    try:
        with os.fdopen(handle, "wb") as file:
            write_mo(file, catalog)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def compile_stale_catalogs(app: Flask) -> None:
    """Compile each language's catalog when its .mo is missing or older than its .po."""
    for language in app.config["LANGUAGES"]:
        source = catalog_path(language)
        if not source.exists():
            continue  # the source language has no catalog
        compiled = catalog_path(language, "mo")
        if compiled.exists() and compiled.stat().st_mtime >= source.stat().st_mtime:
            continue
        try:
            compile_catalog(language)
        except OSError:
            # A read-only install runs `flask translate compile` when deploying; until then
            # the UI falls back to Swedish.
            app.logger.exception("Could not compile the %s translation catalog", language)


translate_group = AppGroup("translate", help="Translation catalogs (Swedish is the source).")


@translate_group.command("update")
def translate_update():
    """Extract messages, merge them into every catalog, compile, list what lacks a translation."""
    languages = [
        language
        for language in current_app.config["LANGUAGES"]
        if language != current_app.config["BABEL_DEFAULT_LOCALE"]
    ]
    report = update_catalogs(languages)
    for language, missing in report.items():
        path = catalog_path(language).relative_to(ROOT)
        if not missing:
            click.echo(f"{language}: every message is translated ({path}).")
            continue
        click.echo(f"{language}: {len(missing)} message(s) to translate in {path}:")
        for msgid in missing:
            click.echo(f"  {msgid}")
    if any(report.values()):
        raise SystemExit(1)


@translate_group.command("compile")
def translate_compile():
    """Compile every catalog (for installs where the app may not write its own folder)."""
    for language in current_app.config["LANGUAGES"]:
        if catalog_path(language).exists():
            target = compile_catalog(language)
            click.echo(f"{language}: {target.relative_to(ROOT)}")


def init_app(app: Flask) -> None:
    compile_stale_catalogs(app)
    app.cli.add_command(translate_group)
