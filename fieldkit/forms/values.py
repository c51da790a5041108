"""Answer values: what each question type stores, and the coercion of raw input into it.

Stored answers are JSON-able so the store can persist one row per answer: str for text,
select_one, dates (ISO 8601), times and attachments; int for integer; float for decimal;
int or float for range; list[str] for select_multiple and rank; the ODK string
"lat lon alt acc" for geopoint (points joined by ";" for geotrace/geoshape). Bad input gives
a message for the question, never an exception the user sees.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable

from fieldkit.forms.model import GEO_TYPES, MULTI_TYPES, Node

Stored = str | int | float | list[str]


class BadValue(ValueError):
    """Input that does not fit the question; the message is shown on the question."""


def _text(node: Node, raw: object) -> str:
    if isinstance(raw, list | dict):
        raise BadValue("expected text")
    if isinstance(raw, float) and raw == int(raw):
        return str(int(raw))
    return str(raw)


def _integer(node: Node, raw: object) -> int:
    if isinstance(raw, bool):
        raise BadValue("expected a whole number")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        if raw.is_integer():
            return int(raw)
        raise BadValue(f"{raw} is not a whole number")
    text = str(raw).strip()
    try:
        return int(text)
    except ValueError:
        try:
            number = float(text)
        except ValueError:
            raise BadValue(f"{text!r} is not a whole number") from None
        if number.is_integer():
            return int(number)
        raise BadValue(f"{text!r} is not a whole number") from None


def _decimal(node: Node, raw: object) -> float:
    if isinstance(raw, bool):
        raise BadValue("expected a number")
    try:
        number = float(str(raw).strip()) if not isinstance(raw, int | float) else float(raw)
    except ValueError:
        raise BadValue(f"{raw!r} is not a number") from None
    if math.isnan(number) or math.isinf(number):
        raise BadValue(f"{raw!r} is not a number")
    return number


def _range(node: Node, raw: object) -> int | float:
    params = node.parameters
    start = float(params.get("start", 1))
    end = float(params.get("end", 10))
    step = float(params.get("step", 1))
    number = _decimal(node, raw)
    low, high = min(start, end), max(start, end)
    if not low <= number <= high:
        raise BadValue(f"{_show(number)} is outside the range {_show(low)} to {_show(high)}")
    if step and not math.isclose((number - start) / step, round((number - start) / step)):
        raise BadValue(f"{_show(number)} is not on a step of {_show(step)} from {_show(start)}")
    integral = all(float(x).is_integer() for x in (start, end, step))
    return int(number) if integral and number.is_integer() else number


def _show(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def _date(node: Node, raw: object) -> str:
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    text = str(raw).strip()
    try:
        return dt.date.fromisoformat(text[:10]).isoformat() if len(text) >= 10 else _bad_date(text)
    except ValueError:
        return _bad_date(text)


def _bad_date(text: str) -> str:
    raise BadValue(f"{text!r} is not a date (YYYY-MM-DD)")


def _time(node: Node, raw: object) -> str:
    if isinstance(raw, dt.time):
        return raw.isoformat(timespec="seconds")
    text = str(raw).strip()
    try:
        return dt.time.fromisoformat(text).isoformat(timespec="seconds")
    except ValueError:
        raise BadValue(f"{text!r} is not a time (HH:MM)") from None


def _datetime(node: Node, raw: object) -> str:
    if isinstance(raw, dt.datetime):
        return raw.isoformat(timespec="seconds")
    text = str(raw).strip()
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat(timespec="seconds")
    except ValueError:
        raise BadValue(f"{text!r} is not a date and time (YYYY-MM-DDTHH:MM)") from None


def _point(text: str) -> str:
    parts = text.split()
    if not 2 <= len(parts) <= 4:
        raise BadValue(f"{text!r} is not a point ('lat lon [alt [accuracy]]')")
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        raise BadValue(f"{text!r} is not a point ('lat lon [alt [accuracy]]')") from None
    lat, lon = numbers[0], numbers[1]
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise BadValue(f"{text!r}: latitude must be within ±90 and longitude within ±180")
    numbers += [0.0] * (4 - len(numbers))
    return " ".join(_show(n) for n in numbers)


def _geo(node: Node, raw: object) -> str:
    if isinstance(raw, list | tuple) and raw and not isinstance(raw[0], list | tuple | str):
        raw = " ".join(str(x) for x in raw)  # one point as [lat, lon, ...]
    if isinstance(raw, list | tuple):
        points = [" ".join(map(str, p)) if isinstance(p, list | tuple) else str(p) for p in raw]
    else:
        points = [p for p in str(raw).split(";") if p.strip()]
    if node.type == "geopoint" and len(points) != 1:
        raise BadValue("a geopoint is one point ('lat lon [alt [accuracy]]')")
    if node.type == "geotrace" and len(points) < 2:
        raise BadValue("a geotrace needs at least 2 points")
    if node.type == "geoshape" and len(points) < 3:
        raise BadValue("a geoshape needs at least 3 points")
    return ";".join(_point(p) for p in points)


def _multi(node: Node, raw: object) -> list[str]:
    if isinstance(raw, list | tuple):
        items = [str(x).strip() for x in raw]
    else:
        items = str(raw).split()
    seen: list[str] = []
    for item in items:
        if item and item not in seen:
            seen.append(item)
    return seen


def _acknowledge(node: Node, raw: object) -> str:
    if raw is True or str(raw).strip().lower() in ("ok", "true", "yes", "1"):
        return "OK"
    raise BadValue("acknowledge with 'OK'")


_COERCE: dict[str, Callable[[Node, object], Stored]] = {
    "integer": _integer,
    "decimal": _decimal,
    "range": _range,
    "date": _date,
    "time": _time,
    "dateTime": _datetime,
    "rank": _multi,
    "acknowledge": _acknowledge,
    "start": _datetime,
    "end": _datetime,
    "today": _date,
}


def coerce(node: Node, raw: object) -> Stored | None:
    """The stored form of `raw` for this question; None means 'no answer'; BadValue if wrong."""
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None
    if isinstance(raw, list | tuple) and not raw and node.type not in GEO_TYPES:
        return None
    if node.type in MULTI_TYPES:
        return _multi(node, raw) or None
    if node.type in GEO_TYPES:
        return _geo(node, raw)
    return _COERCE.get(node.type, _text)(node, raw)
