"""The Spanish translation: a complete, compilable catalog, and Spanish pages and mail for the people who chose it.

The compiled .mo files are not committed (`make` compiles them), so this module compiles the Spanish catalog
itself when the .mo is missing or older than the .po, and empties Flask-Babel's cache of loaded catalogs.
"""

import io
import os
import re
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from flask_babel import force_locale
from werkzeug.datastructures import MultiDict
from wtforms import IntegerField

from coalition.core.forms import BaseForm

#: A Python format placeholder: %(name)s, %(n)d, %s ... and the escaped percent sign %%.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")


def _catalog_dir(app) -> Path:
    return Path(app.config["BABEL_TRANSLATION_DIRECTORIES"])


def _read(path: Path):
    with path.open("rb") as f:
        return read_po(f)


@pytest.fixture(scope="module")
def spanish_po(app):
    """The Spanish catalog, parsed."""
    return _read(_catalog_dir(app) / "es" / "LC_MESSAGES" / "messages.po")


@pytest.fixture(scope="module", autouse=True)
def spanish_compiled(app, spanish_po):
    """Compile messages.po to messages.mo when needed (atomically: other test runs may read it meanwhile)."""
    po = _catalog_dir(app) / "es" / "LC_MESSAGES" / "messages.po"
    mo = po.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
        partial = mo.with_name(f".messages-{os.getpid()}.mo")
        with partial.open("wb") as f:
            write_mo(f, spanish_po)
        os.replace(partial, mo)
    # Flask-Babel keeps the catalogs it loaded for the life of the process: forget any loaded before the .mo existed.
    with app.app_context():
        app.extensions["babel"].instance.domain_instance.cache.clear()


def _pairs(message):
    """(source, translation) pairs of a message: one, or one per plural form."""
    if isinstance(message.id, str):
        return [(message.id, message.string)]
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return [(message.id[0] if n == 0 else message.id[1], s) for n, s in enumerate(strings)]


def test_spanish_catalog_passes_babels_checks_and_compiles(spanish_po):
    errors = [(message.id, [str(e) for e in errs]) for message, errs in spanish_po.check()]
    assert errors == []
    compiled = io.BytesIO()
    write_mo(compiled, spanish_po)
    compiled.seek(0)
    assert Translations(compiled).gettext("Log in") == "Iniciar sesión"


def test_every_message_has_a_spanish_translation(spanish_po):
    messages = [m for m in spanish_po if m.id]
    assert len(messages) > 1000
    untranslated = [m.id for m in messages if any(not s.strip() for _, s in _pairs(m))]
    assert untranslated == []
    assert [m.id for m in messages if m.fuzzy] == []


def test_every_spanish_plural_has_both_forms(spanish_po):
    plurals = [m for m in spanish_po if m.id and m.pluralizable]
    assert plurals
    assert [m.id for m in plurals if len(m.string) != 2] == []


def test_spanish_translations_keep_the_placeholders_of_the_english(spanish_po):
    broken = [
        (source, translation)
        for message in spanish_po
        if message.id
        for source, translation in _pairs(message)
        if sorted(set(PLACEHOLDER.findall(source))) != sorted(set(PLACEHOLDER.findall(translation)))
    ]
    assert broken == []


def test_spanish_catalog_holds_every_message_of_the_template(app, spanish_po):
    template = _read(_catalog_dir(app) / "messages.pot")
    assert sorted(str(m.id) for m in template if m.id and m.id not in spanish_po) == []


def test_login_page_is_in_spanish_for_a_browser_asking_for_spanish(client):
    page = client.get("/account/login", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert "Iniciar sesión" in page
    assert "¿Olvidaste tu contraseña?" in page
    assert "Forgot your password?" not in page


def test_login_page_stays_in_english_for_an_english_browser(client):
    page = client.get("/account/login", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    assert "Forgot your password?" in page
    assert "¿Olvidaste tu contraseña?" not in page


def test_persons_choice_of_spanish_beats_the_browsers_english(client, make_coalition, make_member, login):
    coalition = make_coalition()
    person = make_member(coalition, "member", locale="es")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-US,en;q=0.9"
    login(client, person)
    page = client.get(f"/c/{coalition.slug}/").get_data(as_text=True)
    assert "Tu rol aquí: Integrante" in page
    assert "Your role here" not in page


def test_password_reset_mail_to_a_spanish_speaker_is_in_spanish(client, make_user, outbox):
    person = make_user(locale="es", name="Rosa Delgado")
    client.post("/account/reset", data={"email": person.email}, headers={"Accept-Language": "en-US,en;q=0.9"})
    [mail] = outbox(to=person.email, kind="password_reset")
    assert mail.body_text.startswith("Hola, Rosa Delgado:")
    assert "Para elegir una nueva contraseña, abre este enlace:" in mail.body_text
    assert "reset the password" not in mail.body_text
    # The subject follows the recipient's language too, not the language of the browser that asked.
    assert mail.subject == "Cambia tu contraseña"


def test_error_pages_speak_the_visitors_language(client):
    page = client.get("/no-such-page", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "No encontrado" in page


class AgeForm(BaseForm):
    age = IntegerField()


def test_wtforms_own_messages_follow_each_requests_language(app):
    """WTForms' built-in messages come from one catalog per language, kept for the process, not per request."""

    def error_in(language):
        with app.test_request_context("/", method="POST"), force_locale(language):
            form = AgeForm(formdata=MultiDict({"age": "abc"}), meta={"csrf": False})
            form.validate()
            return form.age.errors[0]

    assert error_in("es") == "No es un valor entero válido."
    assert error_in("en") == "Not a valid integer value."
    assert error_in("es") == "No es un valor entero válido."


def test_the_codes_gettext_is_flask_babels_in_each_language(app):
    """`_()` in the code finds its catalog once per language; it must say what Flask-Babel says, in every language."""
    import flask_babel  # noqa: PLC0415 - compared with, here only

    from coalition.core.i18n import gettext, lazy_gettext  # noqa: PLC0415

    later = lazy_gettext("A webhook of %(name)s was disabled", name="Tenants")
    for language, expected in (
        ("es", "Se desactivó un webhook de Tenants"),
        ("en", "A webhook of Tenants was disabled"),
    ):
        with app.test_request_context("/"), force_locale(language):
            ours = gettext("A webhook of %(name)s was disabled", name="Tenants")
            assert ours == flask_babel.gettext("A webhook of %(name)s was disabled", name="Tenants") == expected
            assert str(later) == expected
            assert gettext("Log in") == ("Iniciar sesión" if language == "es" else "Log in")
