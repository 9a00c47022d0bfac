"""The catalogue loader shared by the dashboard and the command line."""

from __future__ import annotations

from merkwacht.core.i18n import Catalogue


def _catalogue(tmp_path, *, dynamic=frozenset()):
    path = tmp_path / "texts.toml"
    path.write_text(
        '[nl.group]\nhello = "Hallo {name}"\nonly_dutch = "Alleen Nederlands"\n'
        '[en.group]\nhello = "Hello {name}"\n',
        encoding="utf-8",
    )
    return Catalogue(path, dynamic=dynamic)


def test_the_language_asked_for_then_dutch_then_the_key_made_visible(tmp_path):
    texts = _catalogue(tmp_path, dynamic=frozenset({"rule"}))
    assert texts.translate("en", "group.hello", name="Sanne") == "Hello Sanne"
    assert texts.translate("nl", "group.hello", name="Sanne") == "Hallo Sanne"
    assert texts.translate("en", "group.only_dutch") == "Alleen Nederlands"
    assert texts.translate("en", "group.missing") == "⟨group.missing⟩"
    assert texts.translate("en", "rule.new_rule") == "new_rule"  # an id from the data, shown as it is


def test_a_missing_value_stays_visible(tmp_path):
    assert _catalogue(tmp_path).translate("nl", "group.hello", other=1) == "Hallo {name}"
