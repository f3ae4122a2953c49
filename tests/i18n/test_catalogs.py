"""Every UI string has an English translation, and the catalogs compile from a fresh checkout.

When this fails after adding UI text: run `flask --app wsgi translate update` and fill in the
msgstr entries it lists in intranet/translations/en/LC_MESSAGES/messages.po.
"""

import os
import re

from intranet.web import catalogs

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _forms(value) -> tuple:
    """A message's singular and plural forms; a plain message has one."""
    return value if isinstance(value, tuple) else (value,)


def test_every_message_has_an_english_translation():
    extracted = catalogs.extract_messages()
    english = catalogs.read_catalog("en")
    missing = []
    for message in extracted:
        if not message.id:
            continue
        translated = english.get(message.id)
        if translated is None or translated.fuzzy or not all(_forms(translated.string)):
            missing.append(_forms(message.id)[0])
    assert not missing, "Untranslated (run `flask --app wsgi translate update`):\n" + "\n".join(
        missing
    )


def test_the_template_lists_every_extracted_message():
    extracted = {message.id for message in catalogs.extract_messages() if message.id}
    with catalogs.TEMPLATE.open("rb") as file:
        template = {message.id for message in catalogs.read_po(file) if message.id}
    assert extracted == template, "messages.pot is stale: run `flask --app wsgi translate update`"


def test_translations_keep_the_placeholders():
    for message in catalogs.read_catalog("en"):
        if message.id:
            expected = sorted(PLACEHOLDER.findall(_forms(message.id)[0]))
            for form in _forms(message.string):
                assert sorted(PLACEHOLDER.findall(form)) == expected, message.id


def test_a_missing_or_stale_compiled_catalog_is_rebuilt_at_start(app):
    compiled = catalogs.catalog_path("en", "mo")
    compiled.unlink(missing_ok=True)
    catalogs.compile_stale_catalogs(app)
    assert compiled.exists()

    source_time = catalogs.catalog_path("en").stat().st_mtime
    os.utime(compiled, (source_time - 60, source_time - 60))
    catalogs.compile_stale_catalogs(app)
    assert compiled.stat().st_mtime >= source_time


def test_the_compile_command_writes_every_catalog(app):
    compiled = catalogs.catalog_path("en", "mo")
    compiled.unlink(missing_ok=True)
    result = app.test_cli_runner().invoke(args=["translate", "compile"])
    assert result.exit_code == 0, result.output
    assert compiled.exists()
