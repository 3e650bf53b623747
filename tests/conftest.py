from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "text"
CLEAN_FILES = [FIXTURES / "notice_clean.txt", *sorted((FIXTURES / "clean").glob("*.txt")), *sorted((FIXTURES / "laws").glob("*.txt"))]


@pytest.fixture(scope="session")
def gazette() -> str:
    return (FIXTURES / "gazette_founder.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def gazette_repair(gazette):
    from jiaokan import repair_text

    return repair_text(gazette)
