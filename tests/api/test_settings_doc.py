"""The README documents every setting exactly as ``api.settings.Settings`` defines it."""

from __future__ import annotations

from pathlib import Path

from api.settings import Settings
from api.settings_doc import block

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_settings_table_is_current() -> None:
    text = README.read_text(encoding="utf-8")
    assert block() in text, (
        "README settings table is stale: python -m api.settings_doc --write README.md"
    )


def test_every_setting_is_listed() -> None:
    text = README.read_text(encoding="utf-8")
    missing = [n for n in Settings.model_fields if f"`PAPERLANE_{n.upper()}`" not in text]
    assert missing == []
