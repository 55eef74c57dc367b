"""The learner's pages (README, docs/index.md, linear_regression.md, graphs.md) say what they
show: a count of commands matches its table, and "seed" means the random seed only (the program
the project grew from is "the original program")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["README.md", "docs/index.md", "docs/linear_regression.md", "docs/graphs.md"]
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def prose(text: str) -> str:
    """The page without code blocks, inline code and link targets: what a reader reads as text."""
    text = re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)
    text = re.sub(r"`[^`\n]*`", "", text)
    return re.sub(r"\]\([^)]*\)", "]", text)


def counted_tables(text: str) -> list[tuple[str, int, int]]:
    """(line, the number it says, the rows of the table after it) for each "Two commands",
    "Three more" ... that a table follows."""
    lines = text.split("\n")
    found = []
    for i, line in enumerate(lines):
        m = re.search(r"\b(one|two|three|four|five|six) (more|commands)\b", line, re.IGNORECASE)
        if not m or line.startswith("|"):
            continue
        j = i + 1
        while j < len(lines) and not lines[j].startswith("|") and not lines[j].startswith("#"):
            j += 1
        rows = 0
        while j < len(lines) and lines[j].startswith("|"):
            rows += 1
            j += 1
        if rows:
            found.append((line, NUMBERS[m.group(1).lower()], rows - 2))  # header, separator
    return found


@pytest.mark.parametrize("page", PAGES)
def test_a_count_of_commands_matches_the_table_under_it(page):
    for line, said, rows in counted_tables((ROOT / page).read_text(encoding="utf-8")):
        assert said == rows, f"{page}: {line!r} is followed by a table of {rows} commands"


def test_the_counting_check_catches_a_wrong_count():
    assert counted_tables("Two more:\n\n| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n| 5 | 6 |\n") \
        == [("Two more:", 2, 3)]  # fmt: skip


@pytest.mark.parametrize("page", PAGES)
def test_seed_means_the_random_seed_and_nothing_else(page):
    text = prose((ROOT / page).read_text(encoding="utf-8"))
    for m in re.finditer(r"\bseed\b", text, re.IGNORECASE):
        before = text[max(0, m.start() - 7):m.start()].lower()
        assert before.endswith("random "), f"{page}: ...{text[m.start() - 60:m.end() + 40]}..."
    assert "original program" in " ".join(text.split())
