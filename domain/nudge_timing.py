"""When a nudge may reach an owner: French business days, outside the owner's quiet hours.

Pure: every function takes the instant or the day it reasons about; no clock inside.
Instants are aware datetimes in UTC; the owner's local time comes from an IANA time zone
(DST handled by `zoneinfo`). Public holidays are France's national ones (`holidays`
package's `France`, Code du travail L3133-1); weekends are quiet too.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from domain.calendar import add_months

DEFAULT_QUIET_START = "19:00"  # no nudge from this local time...
DEFAULT_QUIET_END = "08:30"  # ...until this one, nor on weekends and public holidays
DEFAULT_NUDGE_TIME = "09:00"  # when a day's nudges are planned, local time
BEFORE_DUE_DAYS = (3, 4, 5)  # the courtesy reminder: 3 to 5 days before the due date (DESIGN)
DEFAULT_BEFORE_DUE_DAYS = 4
_SEARCH_DAYS = 40  # more than any run of French non-working days


class TimingError(ValueError):
    """A time zone or an HH:MM value that cannot be used."""


def parse_hhmm(value: str) -> time:
    """"08:30" → time(8, 30)."""
    try:
        hours, minutes = value.split(":")
        return time(int(hours), int(minutes))
    except (AttributeError, ValueError):
        raise TimingError(f"not a time as HH:MM: {value!r}") from None


def zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ValueError, KeyError, OSError):
        raise TimingError(f"unknown time zone: {tz!r}") from None


@lru_cache(maxsize=64)
def _french_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("FR", years=year).keys())


def is_public_holiday(day: date) -> bool:
    """A French national public holiday (1 January, Easter Monday, 1 May, 11 November...)."""
    return day in _french_holidays(day.year)


def is_business_day(day: date) -> bool:
    """Monday to Friday, not a French public holiday."""
    return day.weekday() < 5 and not is_public_holiday(day)


def next_business_day(day: date) -> date:
    """`day` itself if it is a business day, else the next one."""
    for offset in range(_SEARCH_DAYS):
        candidate = day + timedelta(days=offset)
        if is_business_day(candidate):
            return candidate
    raise AssertionError("no business day within 40 days")  # pragma: no cover


def local_day(instant: datetime, tz: str) -> date:
    """The owner's calendar day at `instant`."""
    return _aware(instant).astimezone(zone(tz)).date()


def at_local(day: date, hhmm: str, tz: str) -> datetime:
    """`day` at local time `hhmm` in `tz`, as UTC. A time skipped by DST moves forward."""
    local = datetime.combine(day, parse_hhmm(hhmm), tzinfo=zone(tz))
    # A round trip through UTC normalises a wall time inside the spring-forward gap.
    return local.astimezone(UTC)


def _quiet(moment: time, start: time, end: time) -> bool:
    if start == end:
        return False
    if start > end:  # overnight, e.g. 19:00 → 08:30
        return moment >= start or moment < end
    return start <= moment < end  # within the day, e.g. 12:00 → 14:00


def next_allowed(
    instant: datetime,
    tz: str,
    quiet_start: str = DEFAULT_QUIET_START,
    quiet_end: str = DEFAULT_QUIET_END,
    *,
    business_days_only: bool = True,
) -> datetime:
    """The first moment at or after `instant` when a nudge may be sent, as aware UTC.

    Allowed: a business day (unless `business_days_only` is False), outside the quiet
    hours [quiet_start, quiet_end) in the owner's time zone. An allowed instant is
    returned unchanged (in UTC).
    """
    zone_info, start, end = zone(tz), parse_hhmm(quiet_start), parse_hhmm(quiet_end)
    local = _aware(instant).astimezone(zone_info)
    for _ in range(_SEARCH_DAYS + 2):
        day = local.date()
        if business_days_only and not is_business_day(day):
            local = _start_of_allowed(next_business_day(day), start, end, zone_info)
            continue
        if not _quiet(local.timetz().replace(tzinfo=None), start, end):
            return local.astimezone(UTC)
        if start > end and local.time() >= start:  # evening: tomorrow morning
            local = _start_of_allowed(day + timedelta(days=1), start, end, zone_info)
        else:  # early morning, or a quiet spell inside the day
            local = datetime.combine(day, end, tzinfo=zone_info).astimezone(UTC).astimezone(
                zone_info)
    raise AssertionError("no allowed moment found")  # pragma: no cover


def _start_of_allowed(day: date, start: time, end: time, zone_info: ZoneInfo) -> datetime:
    """The first allowed wall time of `day` (midnight, unless the quiet hours cover it)."""
    first = end if _quiet(time(0, 0), start, end) else time(0, 0)
    return datetime.combine(day, first, tzinfo=zone_info).astimezone(UTC).astimezone(zone_info)


def plan_on(
    day: date,
    now: datetime,
    tz: str,
    quiet_start: str = DEFAULT_QUIET_START,
    quiet_end: str = DEFAULT_QUIET_END,
    nudge_time: str = DEFAULT_NUDGE_TIME,
) -> datetime:
    """The instant to nudge about something falling on `day`: that day at `nudge_time`,
    never already past at `now` (then the next day), moved to the next allowed moment.

    Stable within a day: planning again the same day gives the same instant.
    """
    today = local_day(now, tz)
    if day > today:  # wholly in the future: `now` plays no part
        return _planned(day, tz, quiet_start, quiet_end, nudge_time)
    target = at_local(max(day, today), nudge_time, tz)
    if target < _aware(now):
        target = at_local(max(day, today) + timedelta(days=1), nudge_time, tz)
    return next_allowed(target, tz, quiet_start, quiet_end)


@lru_cache(maxsize=8192)
def _planned(day: date, tz: str, quiet_start: str, quiet_end: str, nudge_time: str) -> datetime:
    """`plan_on` for a day after today, remembered: every re-plan of an invoice plans the
    same few days again (its prescription milestones, its next step)."""
    return next_allowed(at_local(day, nudge_time, tz), tz, quiet_start, quiet_end)


def before_due_day(due: date, days_before: int = DEFAULT_BEFORE_DUE_DAYS) -> date:
    """The courtesy reminder's day: `days_before` (kept within 3 to 5) before the due date."""
    days = min(max(days_before, BEFORE_DUE_DAYS[0]), BEFORE_DUE_DAYS[-1])
    return due - timedelta(days=days)


#: Warnings before the (safe) end of the limitation period: label → months/days before.
PRESCRIPTION_MILESTONES: tuple[tuple[str, int, int], ...] = (
    ("6m", 6, 0),
    ("1m", 1, 0),
    ("1w", 0, 7),
)


def prescription_milestones(end_safe: date) -> list[tuple[str, date]]:
    """The days to warn before `end_safe`: 6 months, 1 month and 1 week before."""
    return [(label, add_months(end_safe, -months) - timedelta(days=days))
            for label, months, days in PRESCRIPTION_MILESTONES]


def next_weekly(now: datetime, tz: str, weekday: int, hhmm: str) -> datetime:
    """The next `weekday` (0 = Monday) at local `hhmm` strictly after `now`, as UTC."""
    today = local_day(now, tz)
    ahead = (weekday - today.weekday()) % 7
    candidate = at_local(today + timedelta(days=ahead), hhmm, tz)
    if candidate <= _aware(now):
        candidate = at_local(today + timedelta(days=ahead + 7), hhmm, tz)
    return candidate


def _aware(instant: datetime) -> datetime:
    if instant.tzinfo is None:
        raise TimingError("instants must be timezone-aware (UTC)")
    return instant
