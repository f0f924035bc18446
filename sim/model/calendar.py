"""Model time: one step is one month; month 0 is August 2021, the Taliban takeover."""

from __future__ import annotations

import re

START_YEAR, START_MONTH = 2021, 8
MONTHS_PER_YEAR = 12
_DATE = re.compile(r"^(\d{4})-(\d{2})$")


def month_index(date: str) -> int:
    """Months since August 2021 for a ``YYYY-MM`` date (negative before the takeover)."""
    match = _DATE.match(date)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"{date!r} is not a date of the form YYYY-MM")
    year, month = int(match.group(1)), int(match.group(2))
    return (year - START_YEAR) * MONTHS_PER_YEAR + (month - START_MONTH)


def month_date(index: int) -> str:
    """The ``YYYY-MM`` date of a month index."""
    total = START_YEAR * MONTHS_PER_YEAR + START_MONTH - 1 + index
    return f"{total // MONTHS_PER_YEAR:04d}-{total % MONTHS_PER_YEAR + 1:02d}"
