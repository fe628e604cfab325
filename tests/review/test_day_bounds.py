"""The queue's date filter: a day is the office's day, compared in UTC on every database."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from review.queries import _day

WARSAW = ZoneInfo("Europe/Warsaw")


def test_a_day_starts_and_ends_at_warsaw_midnight_given_in_utc():
    """SQLite keeps UTC wall times without their zone: a Warsaw wall time compared as it stands shifts the day by
    an hour (a remark received at 23:30 UTC on the 6th is the 7th's in Warsaw)."""
    start, end = _day("2026-12-07", WARSAW, False), _day("2026-12-07", WARSAW, True)
    assert start == datetime(2026, 12, 6, 23, tzinfo=UTC) and start.tzinfo is UTC
    assert end is not None and end.tzinfo is UTC and end.astimezone(WARSAW).date().isoformat() == "2026-12-07"
    assert start <= datetime(2026, 12, 6, 23, 30, tzinfo=UTC) <= end
    assert _day("7 grudnia", WARSAW, False) is None
