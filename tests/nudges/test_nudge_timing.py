"""domain/nudge_timing.py with a frozen clock: business days, French holidays, quiet hours, DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.nudge_timing import (
    TimingError,
    at_local,
    before_due_day,
    is_business_day,
    next_allowed,
    next_weekly,
    plan_on,
    prescription_milestones,
)

PARIS = ZoneInfo("Europe/Paris")


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)  # type: ignore[misc]


def allowed(local: datetime, tz: str = "Europe/Paris", start: str = "19:00",
            end: str = "08:30") -> datetime:
    result = next_allowed(local.astimezone(UTC), tz, start, end)
    assert result.tzinfo is UTC
    return result.astimezone(ZoneInfo(tz))


@pytest.mark.parametrize(("moment", "expected"), [
    (paris(2026, 3, 3, 10, 0), paris(2026, 3, 3, 10, 0)),  # a Tuesday morning: unchanged
    (paris(2026, 3, 3, 7, 0), paris(2026, 3, 3, 8, 30)),  # before 08:30
    (paris(2026, 3, 3, 19, 0), paris(2026, 3, 4, 8, 30)),  # 19:00 is quiet already
    (paris(2026, 3, 3, 18, 59), paris(2026, 3, 3, 18, 59)),
    (paris(2026, 3, 6, 20, 0), paris(2026, 3, 9, 8, 30)),  # Friday evening → Monday
    (paris(2026, 3, 7, 12, 0), paris(2026, 3, 9, 8, 30)),  # Saturday
    (paris(2026, 3, 8, 23, 59), paris(2026, 3, 9, 8, 30)),  # Sunday night
])
def test_weekends_and_quiet_hours(moment: datetime, expected: datetime) -> None:
    assert allowed(moment) == expected


@pytest.mark.parametrize(("moment", "expected", "holiday"), [
    (paris(2026, 11, 11, 10, 0), paris(2026, 11, 12, 8, 30), "11 November"),
    (paris(2026, 11, 10, 20, 0), paris(2026, 11, 12, 8, 30), "eve of 11 November"),
    (paris(2026, 12, 24, 19, 30), paris(2026, 12, 28, 8, 30), "Christmas, then a weekend"),
    (paris(2026, 12, 25, 9, 0), paris(2026, 12, 28, 8, 30), "25 December"),
    (paris(2026, 5, 1, 9, 0), paris(2026, 5, 4, 8, 30), "1 May (a Friday)"),
    (paris(2026, 4, 3, 19, 0), paris(2026, 4, 7, 8, 30), "Easter weekend and Monday"),
    (paris(2027, 3, 29, 9, 0), paris(2027, 3, 30, 8, 30), "Easter Monday 2027"),
    (paris(2026, 5, 14, 9, 0), paris(2026, 5, 15, 8, 30), "Ascension Thursday"),
])
def test_french_public_holidays(moment: datetime, expected: datetime, holiday: str) -> None:
    assert allowed(moment) == expected, holiday


def test_business_days() -> None:
    assert is_business_day(date(2026, 11, 12))
    assert not is_business_day(date(2026, 11, 11))
    assert not is_business_day(date(2026, 4, 6))  # Easter Monday
    assert not is_business_day(date(2026, 3, 7))


def test_dst_spring_forward_and_fall_back() -> None:
    # Saturday 28 March 2026 evening → Monday 30 March 08:30, now in summer time (UTC+2).
    spring = next_allowed(paris(2026, 3, 28, 20, 0).astimezone(UTC), "Europe/Paris")
    assert spring == datetime(2026, 3, 30, 6, 30, tzinfo=UTC)
    # Saturday 24 October 2026 → Monday 26 October 08:30, back to winter time (UTC+1).
    autumn = next_allowed(paris(2026, 10, 24, 12, 0).astimezone(UTC), "Europe/Paris")
    assert autumn == datetime(2026, 10, 26, 7, 30, tzinfo=UTC)
    # A wall time inside the spring gap still maps to a real instant.
    assert at_local(date(2026, 3, 29), "02:30", "Europe/Paris").tzinfo is UTC
    # The weekly digest keeps 09:00 local across the change.
    before = next_weekly(datetime(2026, 3, 24, 12, tzinfo=UTC), "Europe/Paris", 0, "09:00")
    assert before == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)


def test_owner_time_zone_and_custom_quiet_hours() -> None:
    # 07:00 UTC is 08:00 in Paris but 09:00 in Réunion... and 03:00 in Martinique.
    instant = datetime(2026, 3, 3, 7, 0, tzinfo=UTC)
    assert next_allowed(instant, "Indian/Reunion") == instant
    assert next_allowed(instant, "America/Martinique").astimezone(
        ZoneInfo("America/Martinique")).hour == 8
    lunch = next_allowed(paris(2026, 3, 3, 12, 30).astimezone(UTC), "Europe/Paris",
                         "12:00", "14:00")
    assert lunch.astimezone(PARIS) == paris(2026, 3, 3, 14, 0)
    no_quiet = paris(2026, 3, 3, 23, 0)
    assert allowed(no_quiet, start="00:00", end="00:00") == no_quiet


def test_bad_input_is_refused() -> None:
    with pytest.raises(TimingError):
        next_allowed(datetime(2026, 3, 3, 9, 0), "Europe/Paris")  # naive  # noqa: DTZ001
    with pytest.raises(TimingError):
        next_allowed(datetime(2026, 3, 3, 9, 0, tzinfo=UTC), "Mars/Olympus")
    with pytest.raises(TimingError):
        next_allowed(datetime(2026, 3, 3, 9, 0, tzinfo=UTC), "Europe/Paris", "7pm")


def test_plan_on_is_stable_within_a_day_and_never_in_the_past() -> None:
    now = paris(2026, 3, 3, 10, 0).astimezone(UTC)
    # Something on Friday 6 March: that morning at 09:00.
    assert plan_on(date(2026, 3, 6), now, "Europe/Paris").astimezone(PARIS) == paris(
        2026, 3, 6, 9, 0)
    # Something already past: tomorrow 09:00, whatever the hour today.
    past = plan_on(date(2026, 2, 1), now, "Europe/Paris")
    assert past.astimezone(PARIS) == paris(2026, 3, 4, 9, 0)
    assert plan_on(date(2026, 2, 1), now + timedelta(hours=5), "Europe/Paris") == past
    # On a Saturday: moved to Monday 08:30 (the first allowed moment).
    assert plan_on(date(2026, 3, 7), now, "Europe/Paris").astimezone(PARIS) == paris(
        2026, 3, 9, 8, 30)


def test_courtesy_day_and_prescription_milestones() -> None:
    assert before_due_day(date(2026, 3, 20)) == date(2026, 3, 16)
    assert before_due_day(date(2026, 3, 20), 9) == date(2026, 3, 15)  # at most 5 days
    assert before_due_day(date(2026, 3, 20), 1) == date(2026, 3, 17)  # at least 3
    assert prescription_milestones(date(2031, 3, 31)) == [
        ("6m", date(2030, 9, 30)), ("1m", date(2031, 2, 28)), ("1w", date(2031, 3, 24))]
