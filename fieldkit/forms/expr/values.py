"""XPath 1.0 values and coercions, with the ODK/JavaRosa extensions (dates).

An expression value is one of: `str`, `float`, `bool`, `datetime.date`, `datetime.datetime`, or
a `NodeSet` (the answers of a field inside repeat instances, seen from outside the repeat). An
empty answer is the empty string. Coercions follow XPath 1.0 (`string()`, `number()`,
`boolean()`), plus JavaRosa's rule that a date counts as days since 1970-01-01 and that a
string which reads as an ISO date compares as a date.
"""

from __future__ import annotations

import datetime as dt
import math
import re

EPOCH = dt.date(1970, 1, 1)
_EPOCH_DT = dt.datetime(1970, 1, 1)
_NUMERIC_RE = re.compile(r"\s*-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*\Z")
_DATE_RE = re.compile(r"\s*(-?\d{4,})-(\d{2})-(\d{2})\s*\Z")
_DATETIME_RE = re.compile(
    r"\s*(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?"
    r"(Z|[+-]\d{2}:?\d{2})?\s*\Z"
)
_TIME_RE = re.compile(r"\s*(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?\s*\Z")


class NodeSet(tuple):
    """The values of several nodes (a field in every repeat instance), in document order."""

    __slots__ = ()


Value = str | float | bool | dt.date | dt.datetime | NodeSet


def first(value: Value) -> Value:
    """A node-set stands for its first node's value where one value is needed (XPath 1.0)."""
    if isinstance(value, NodeSet):
        return value[0] if value else ""
    return value


def format_number(number: float) -> str:
    """XPath number-to-string: integers without a decimal point; NaN and Infinity by name."""
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    if number == int(number) and abs(number) < 1e15:
        return str(int(number))
    return repr(number)


def to_string(value: Value) -> str:
    value = first(value)
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float | int):
        return format_number(float(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="milliseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def parse_date(text: str) -> dt.date | dt.datetime | None:
    """An ISO date or dateTime string as a date/datetime (naive, local), else None."""
    m = _DATE_RE.match(text)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    m = _DATETIME_RE.match(text)
    if m:
        frac = (m.group(7) or "0")[:6].ljust(6, "0")
        try:
            moment = dt.datetime(
                int(m.group(1)),
                int(m.group(2)),
                int(m.group(3)),
                int(m.group(4)),
                int(m.group(5)),
                int(m.group(6) or 0),
                int(frac),
            )
        except ValueError:
            return None
        zone = m.group(8)
        if zone:
            moment = _to_local(moment, zone)
        return moment
    return None


def _to_local(moment: dt.datetime, zone: str) -> dt.datetime:
    """A dateTime with an explicit offset, shifted to the machine's local time, naive."""
    if zone == "Z":
        offset = dt.timedelta(0)
    else:
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        offset = sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    aware = moment.replace(tzinfo=dt.timezone(offset))
    return aware.astimezone().replace(tzinfo=None)


def parse_time(text: str) -> dt.time | None:
    m = _TIME_RE.match(text)
    if not m:
        return None
    try:
        return dt.time(int(m.group(1)), int(m.group(2)), int(m.group(3) or 0))
    except ValueError:
        return None


def days_since_epoch(value: dt.date | dt.datetime) -> float:
    """JavaRosa's numeric value of a date: (fractional) days since 1970-01-01, local time."""
    if isinstance(value, dt.datetime):
        return (value - _EPOCH_DT).total_seconds() / 86400.0
    return float((value - EPOCH).days)


def date_from_days(days: float) -> dt.date | dt.datetime:
    """The inverse of days_since_epoch: whole numbers give a date, fractions a dateTime."""
    if days == int(days):
        return EPOCH + dt.timedelta(days=int(days))
    return _EPOCH_DT + dt.timedelta(days=days)


def to_number(value: Value) -> float:
    value = first(value)
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float | int):
        return float(value)
    if isinstance(value, dt.date):  # dt.datetime is a subclass
        return days_since_epoch(value)
    if isinstance(value, str):
        if _NUMERIC_RE.match(value):
            return float(value)
        moment = parse_date(value) if value else None
        if moment is not None:
            return days_since_epoch(moment)
        return math.nan
    return math.nan


def to_bool(value: Value) -> bool:
    if isinstance(value, NodeSet):
        # JavaRosa unpacks a single node to its value; an empty answer is then false.
        if len(value) == 1:
            return to_bool(value[0])
        return len(value) > 0
    if isinstance(value, bool):
        return value
    if isinstance(value, float | int):
        return not (value == 0 or math.isnan(value))
    if isinstance(value, str):
        return value != ""
    return True  # a date


def to_date(value: Value) -> dt.date | dt.datetime | None:
    """A value as a date/datetime, or None when it is not one (empty, bad text, NaN)."""
    value = first(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float | int):
        if math.isnan(value) or math.isinf(value):
            return None
        return date_from_days(float(value))
    if isinstance(value, str):
        if _NUMERIC_RE.match(value):
            return date_from_days(float(value))
        return parse_date(value)
    return None


def _is_date(value: Value) -> bool:
    return isinstance(value, dt.date)


def _equal_atoms(a: Value, b: Value) -> bool:
    """XPath 1.0 `=` on single values: booleans, then numbers (and dates), then strings."""
    if isinstance(a, bool) or isinstance(b, bool):
        return to_bool(a) == to_bool(b)
    if _is_date(a) or _is_date(b):
        da, db = to_date(a), to_date(b)
        if da is not None and db is not None:
            return days_since_epoch(da) == days_since_epoch(db)
        return to_string(a) == to_string(b)
    if isinstance(a, float | int) or isinstance(b, float | int):
        return to_number(a) == to_number(b)
    return to_string(a) == to_string(b)


_RELATIONS = {
    "<": lambda x, y: x < y,
    "<=": lambda x, y: x <= y,
    ">": lambda x, y: x > y,
    ">=": lambda x, y: x >= y,
}


def compare(op: str, a: Value, b: Value) -> bool:
    """`= != < <= > >=` with XPath 1.0 semantics (node-sets compare if any member does)."""
    if isinstance(a, NodeSet) and isinstance(b, NodeSet):
        return any(compare(op, x, y) for x in a for y in b)
    if isinstance(a, NodeSet):
        if isinstance(b, bool):
            return compare(op, to_bool(a), b)
        return any(compare(op, x, b) for x in a)
    if isinstance(b, NodeSet):
        if isinstance(a, bool):
            return compare(op, a, to_bool(b))
        return any(compare(op, a, y) for y in b)
    if op == "=":
        return _equal_atoms(a, b)
    if op == "!=":
        return not _equal_atoms(a, b)
    return _RELATIONS[op](to_number(a), to_number(b))
