"""Print the table of languages in docs/page.md, from the locale files.

Run from a checkout with ``.venv/bin/python scripts/languages_table.py``;
tests/test_languages.py checks that docs/page.md shows what it prints.
"""

from __future__ import annotations

import json
from importlib import resources

from uagate.page import LANGUAGE_NAMES, LANGUAGES, font_stack


def table() -> str:
    """The Markdown table: tag, names, direction, fonts, differences the second pass settled."""
    rows = [
        "| tag | language | direction | fonts before the generic family | differences settled |",
        "|---|---|---|---|---|",
    ]
    folder = resources.files("uagate").joinpath("locales")
    for tag in LANGUAGES:
        about = LANGUAGE_NAMES[tag]
        found = json.loads(folder.joinpath(f"{tag}.json").read_text("utf-8"))
        settled = found["provenance"].get("disagreements")
        fonts = font_stack(tag).removesuffix(", sans-serif")
        count = "source" if settled is None else str(len(settled))
        rows.append(
            f"| `{tag}` | {about['name']} ({about['native_name']}) | {about['dir']} | {fonts} "
            f"| {count} |"
        )
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(table(), end="")
