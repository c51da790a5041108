"""The XLSForm/ODK function library (https://docs.getodk.org/form-operators-functions/).

Each function is registered with its arity (checked at parse time, as ODK Validate does) and
either an *eager* implementation, which receives evaluated argument values, or a *lazy* one,
which receives the argument syntax nodes and their compiled closures (for `if`, `coalesce`,
`once`, `position(..)`, `indexed-repeat` and `jr:choice-name`, which need the unevaluated
arguments). Functions JavaRosa knows but fieldkit cannot run offline (`pulldata`, `instance`,
geo maths...) parse fine and fail at evaluation with a clear message on the question.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
import secrets
import string
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from fieldkit.forms.expr.errors import EvaluationError
from fieldkit.forms.expr.nodes import Compiled, Node, Path, Ref, string_refs
from fieldkit.forms.expr.values import (
    NodeSet,
    Value,
    days_since_epoch,
    parse_time,
    to_bool,
    to_date,
    to_number,
    to_string,
)


@dataclass(frozen=True)
class Function:
    name: str
    min_args: int
    max_args: int | None  # None: any number
    impl: Callable[..., Value]
    lazy: bool = False

    def arity_error(self, count: int) -> str | None:
        if count < self.min_args or (self.max_args is not None and count > self.max_args):
            if self.max_args is None:
                wanted = f"at least {self.min_args}"
            elif self.min_args == self.max_args:
                wanted = str(self.min_args)
            else:
                wanted = f"{self.min_args} to {self.max_args}"
            return f"{self.name}() takes {wanted} argument(s), got {count}"
        return None

    def bind(self, args: tuple[Node, ...]) -> Compiled:
        compiled = tuple(arg.compile() for arg in args)
        impl = self.impl
        if self.lazy:
            return lambda ctx: impl(ctx, args, compiled)
        if len(compiled) == 1:
            (only,) = compiled
            return lambda ctx: impl(ctx, only(ctx))
        if len(compiled) == 2:
            a, b = compiled
            return lambda ctx: impl(ctx, a(ctx), b(ctx))
        return lambda ctx: impl(ctx, *(fn(ctx) for fn in compiled))


FUNCTIONS: dict[str, Function] = {}


def _register(name: str, min_args: int, max_args: int | None, lazy: bool = False):
    def decorate(impl: Callable[..., Value]) -> Callable[..., Value]:
        FUNCTIONS[name] = Function(name, min_args, max_args, impl, lazy)
        return impl

    return decorate


def _items(value: Value) -> list[Value]:
    return list(value) if isinstance(value, NodeSet) else [value]


def _split(value: Value) -> list[str]:
    return to_string(value).split()


def _math(fn: Callable[..., float]) -> Callable[..., float]:
    """Java's Math returns NaN/Infinity where Python raises: mirror Java."""

    def run(*args: float) -> float:
        try:
            return float(fn(*args))
        except OverflowError:
            return math.inf
        except (ValueError, ZeroDivisionError):
            return math.nan

    return run


# --- logic -------------------------------------------------------------------------------


@_register("if", 3, 3, lazy=True)
def _if(ctx, args, fns):
    return fns[1](ctx) if to_bool(fns[0](ctx)) else fns[2](ctx)


@_register("not", 1, 1)
def _not(ctx, value):
    return not to_bool(value)


@_register("true", 0, 0)
def _true(ctx):
    return True


@_register("false", 0, 0)
def _false(ctx):
    return False


@_register("boolean", 1, 1)
def _boolean(ctx, value):
    return to_bool(value)


@_register("boolean-from-string", 1, 1)
def _boolean_from_string(ctx, value):
    return to_string(value).strip() in ("true", "1")


@_register("coalesce", 2, 2, lazy=True)
def _coalesce(ctx, args, fns):
    first = fns[0](ctx)
    return first if to_string(first) != "" else fns[1](ctx)


@_register("once", 1, 1, lazy=True)
def _once(ctx, args, fns):
    """The field's current value if it has one, else the expression (computed once)."""
    current = ctx.path(False, (".",))
    return current if to_string(current) != "" else fns[0](ctx)


# --- selects ------------------------------------------------------------------------------


@_register("selected", 2, 2)
def _selected(ctx, values, choice):
    wanted = to_string(choice).strip()
    return any(wanted in _split(item) for item in _items(values))


@_register("count-selected", 1, 1)
def _count_selected(ctx, values):
    return float(len(_split(values)))


@_register("selected-at", 2, 2)
def _selected_at(ctx, values, index):
    items = _split(values)
    position = to_number(index)
    if math.isnan(position) or not 0 <= int(position) < len(items):
        return ""
    return items[int(position)]


def _field_name(text: str) -> str:
    """`${q}` or `/data/group/q` (pyxform's rewrite) -> 'q'."""
    refs = string_refs(text)
    if refs:
        return next(iter(refs))
    return text.strip().rstrip("/").rsplit("/", 1)[-1]


@_register("jr:choice-name", 2, 2, lazy=True)
def _choice_name(ctx, args, fns):
    value = to_string(fns[0](ctx))
    if value == "":
        return ""
    return ctx.choice_label(_field_name(to_string(fns[1](ctx))), value)


# --- strings ------------------------------------------------------------------------------


@_register("string", 0, 1, lazy=True)
def _string(ctx, args, fns):
    return to_string(fns[0](ctx) if fns else ctx.path(False, (".",)))


@_register("concat", 0, None)
def _concat(ctx, *values):
    return "".join(to_string(item) for value in values for item in _items(value))


@_register("join", 1, None)
def _join(ctx, separator, *values):
    return to_string(separator).join(to_string(i) for v in values for i in _items(v))


@_register("string-length", 0, 1, lazy=True)
def _string_length(ctx, args, fns):
    return float(len(to_string(fns[0](ctx) if fns else ctx.path(False, (".",)))))


@_register("substr", 2, 3)
def _substr(ctx, value, start, end=None):
    text = to_string(value)
    begin = _index(start, len(text))
    stop = len(text) if end is None else _index(end, len(text))
    return text[begin:stop] if begin < stop else ""


def _index(value: Value, length: int) -> int:
    number = to_number(value)
    if math.isnan(number):
        return 0
    number = int(number)
    if number < 0:
        number = max(0, length + number)
    return min(number, length)


@_register("substring-before", 2, 2)
def _substring_before(ctx, value, needle):
    text, part = to_string(value), to_string(needle)
    at = text.find(part)
    return text[:at] if at >= 0 else ""


@_register("substring-after", 2, 2)
def _substring_after(ctx, value, needle):
    text, part = to_string(value), to_string(needle)
    at = text.find(part)
    return text[at + len(part) :] if at >= 0 else ""


@_register("contains", 2, 2)
def _contains(ctx, value, needle):
    return to_string(needle) in to_string(value)


@_register("starts-with", 2, 2)
def _starts_with(ctx, value, prefix):
    return to_string(value).startswith(to_string(prefix))


@_register("ends-with", 2, 2)
def _ends_with(ctx, value, suffix):
    return to_string(value).endswith(to_string(suffix))


@_register("normalize-space", 0, 1, lazy=True)
def _normalize_space(ctx, args, fns):
    return " ".join(to_string(fns[0](ctx) if fns else ctx.path(False, (".",))).split())


@_register("translate", 3, 3)
def _translate(ctx, value, source, target):
    src, dst = to_string(source), to_string(target)
    table: dict[int, int | None] = {}
    for i, ch in enumerate(src):
        if ord(ch) not in table:
            table[ord(ch)] = ord(dst[i]) if i < len(dst) else None
    return to_string(value).translate(table)


@_register("regex", 2, 2)
def _regex(ctx, value, pattern):
    try:
        compiled = _compile_regex(to_string(pattern))
    except re.error as exc:
        raise EvaluationError(f"regex(): bad pattern {to_string(pattern)!r}: {exc}") from None
    return compiled.search(to_string(value)) is not None


_REGEX_CACHE: dict[str, re.Pattern[str]] = {}


def _compile_regex(pattern: str) -> re.Pattern[str]:
    compiled = _REGEX_CACHE.get(pattern)
    if compiled is None:
        compiled = _REGEX_CACHE[pattern] = re.compile(pattern)
    return compiled


@_register("uuid", 0, 1)
def _uuid(ctx, length=None):
    if length is None:
        return str(uuid.uuid4())
    alphabet = string.ascii_letters + string.digits
    count = to_number(length)
    if math.isnan(count) or count < 0:
        raise EvaluationError("uuid(): the length must be a positive number")
    return "".join(secrets.choice(alphabet) for _ in range(int(count)))


# --- numbers ------------------------------------------------------------------------------


@_register("number", 0, 1, lazy=True)
def _number(ctx, args, fns):
    return to_number(fns[0](ctx) if fns else ctx.path(False, (".",)))


@_register("int", 1, 1)
def _int(ctx, value):
    number = to_number(value)
    if math.isnan(number) or math.isinf(number):
        return number
    return float(math.trunc(number))


@_register("round", 1, 2)
def _round(ctx, value, places=None):
    number = to_number(value)
    if math.isnan(number) or math.isinf(number):
        return number
    if places is None:  # XPath round(): half towards positive infinity
        return float(math.floor(number + 0.5))
    digits = to_number(places)
    if math.isnan(digits):
        return math.nan
    scale = 10.0 ** int(digits)  # JavaRosa: half away from zero
    return math.copysign(math.floor(abs(number) * scale + 0.5), number) / scale


_register("abs", 1, 1)(lambda ctx, v: abs(to_number(v)))
_register("floor", 1, 1)(lambda ctx, v: _math(math.floor)(to_number(v)))
_register("ceiling", 1, 1)(lambda ctx, v: _math(math.ceil)(to_number(v)))
_register("pow", 2, 2)(lambda ctx, a, b: _math(math.pow)(to_number(a), to_number(b)))
_register("sqrt", 1, 1)(lambda ctx, v: _math(math.sqrt)(to_number(v)))
_register("exp", 1, 1)(lambda ctx, v: _math(math.exp)(to_number(v)))
_register("exp10", 1, 1)(lambda ctx, v: _math(lambda x: 10.0**x)(to_number(v)))
_register("sin", 1, 1)(lambda ctx, v: _math(math.sin)(to_number(v)))
_register("cos", 1, 1)(lambda ctx, v: _math(math.cos)(to_number(v)))
_register("tan", 1, 1)(lambda ctx, v: _math(math.tan)(to_number(v)))
_register("asin", 1, 1)(lambda ctx, v: _math(math.asin)(to_number(v)))
_register("acos", 1, 1)(lambda ctx, v: _math(math.acos)(to_number(v)))
_register("atan", 1, 1)(lambda ctx, v: _math(math.atan)(to_number(v)))
_register("atan2", 2, 2)(lambda ctx, a, b: _math(math.atan2)(to_number(a), to_number(b)))
_register("pi", 0, 0)(lambda ctx: math.pi)
_register("random", 0, 0)(lambda ctx: random.random())


def _log(base_log: Callable[[float], float]) -> Callable[..., float]:
    def run(ctx, value):
        number = to_number(value)
        if number == 0:
            return -math.inf
        return _math(base_log)(number)

    return run


_register("log", 1, 1)(_log(math.log))
_register("log10", 1, 1)(_log(math.log10))


@_register("sum", 1, 1)
def _sum(ctx, values):
    return float(math.fsum(to_number(v) for v in _items(values)))


@_register("count", 1, 1)
def _count(ctx, values):
    if isinstance(values, NodeSet):
        return float(len(values))
    return 1.0


def _extreme(pick: Callable[..., float]) -> Callable[..., float]:
    def run(ctx, *values):
        numbers = [to_number(i) for v in values for i in _items(v)]
        if not numbers or any(math.isnan(n) for n in numbers):
            return math.nan
        return pick(numbers)

    return run


_register("min", 1, None)(_extreme(min))
_register("max", 1, None)(_extreme(max))


@_register("position", 0, 1, lazy=True)
def _position(ctx, args, fns):
    if not args:
        return float(ctx.position(()))
    if not isinstance(args[0], Path):
        raise EvaluationError("position() takes a path such as '..'")
    return float(ctx.position(args[0].steps))


def _target(node: Node) -> str:
    if isinstance(node, Ref):
        return node.name
    if isinstance(node, Path) and node.target_name:
        return node.target_name
    raise EvaluationError("indexed-repeat() needs ${field} and ${repeat} references")


@_register("indexed-repeat", 3, None, lazy=True)
def _indexed_repeat(ctx, args, fns):
    if len(args) % 2 == 0:
        raise EvaluationError("indexed-repeat() takes a field then (repeat, index) pairs")
    indexes = []
    for i in range(1, len(args), 2):
        number = to_number(fns[i + 1](ctx))
        if math.isnan(number):
            return ""
        indexes.append((_target(args[i]), int(number)))
    return ctx.indexed(_target(args[0]), tuple(indexes))


# --- dates and times ----------------------------------------------------------------------


@_register("today", 0, 0)
def _today(ctx):
    return ctx.now().date()


@_register("now", 0, 0)
def _now(ctx):
    return ctx.now()


def _date_or_raise(value: Value, name: str) -> dt.date | dt.datetime | None:
    if to_string(value) == "":
        return None
    moment = to_date(value)
    if moment is None:
        raise EvaluationError(f"{name}(): {to_string(value)!r} is not a date")
    return moment


@_register("date", 1, 1)
def _date(ctx, value):
    moment = _date_or_raise(value, "date")
    return "" if moment is None else moment


@_register("date-time", 1, 1)
def _date_time(ctx, value):
    moment = _date_or_raise(value, "date-time")
    if moment is None:
        return ""
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime(moment.year, moment.month, moment.day)
    return moment


@_register("decimal-date-time", 1, 1)
def _decimal_date_time(ctx, value):
    moment = _date_or_raise(value, "decimal-date-time")
    return math.nan if moment is None else days_since_epoch(moment)


@_register("decimal-time", 1, 1)
def _decimal_time(ctx, value):
    moment = parse_time(to_string(value))
    if moment is None:
        return math.nan
    return (moment.hour * 3600 + moment.minute * 60 + moment.second) / 86400.0


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _format(moment: dt.date | dt.time, pattern: str) -> str:
    """JavaRosa's format-date codes: %Y %y %m %n %b %d %e %a %H %h %M %S %3."""
    full = moment if isinstance(moment, dt.datetime) else None
    if isinstance(moment, dt.date) and full is None:
        full = dt.datetime(moment.year, moment.month, moment.day)
    if isinstance(moment, dt.time):
        full = dt.datetime(1970, 1, 1, moment.hour, moment.minute, moment.second)
    assert full is not None
    codes = {
        "Y": f"{full.year:04d}",
        "y": f"{full.year % 100:02d}",
        "m": f"{full.month:02d}",
        "n": str(full.month),
        "b": _MONTHS[full.month - 1],
        "d": f"{full.day:02d}",
        "e": str(full.day),
        "a": _DAYS[full.weekday()],
        "H": f"{full.hour:02d}",
        "h": str(full.hour),
        "M": f"{full.minute:02d}",
        "S": f"{full.second:02d}",
        "3": f"{full.microsecond // 1000:03d}",
    }
    out: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "%" and i + 1 < len(pattern):
            code = pattern[i + 1]
            out.append(codes.get(code, code))
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _format_date(ctx, value, pattern):
    if to_string(value) == "":
        return ""
    moment = to_date(value)
    if moment is None:
        moment_time = parse_time(to_string(value))
        if moment_time is None:
            return ""
        return _format(moment_time, to_string(pattern))
    return _format(moment, to_string(pattern))


_register("format-date", 2, 2)(_format_date)
_register("format-date-time", 2, 2)(_format_date)


# --- known to JavaRosa, not runnable offline by fieldkit ------------------------------------

UNSUPPORTED = (
    ("pulldata", 2, None),
    ("instance", 1, 1),
    ("current", 0, 0),
    ("digest", 2, 3),
    ("area", 1, 1),
    ("distance", 1, None),
    ("geofence", 2, 2),
    ("checklist", 2, None),
    ("weighted-checklist", 3, None),
    ("randomize", 1, 2),
    ("version", 0, 0),
    ("property", 1, 1),
    ("base64-decode", 1, 1),
    ("extract-signed", 2, 2),
    ("last", 0, 0),
)


def _unsupported(name: str) -> Callable[..., Value]:
    def run(ctx, *values):
        raise EvaluationError(f"unsupported: function {name}() cannot run in fieldkit")

    return run


for _name, _lo, _hi in UNSUPPORTED:
    FUNCTIONS[_name] = Function(_name, _lo, _hi, _unsupported(_name))


@_register("substring", 2, 3)
def _xpath_substring(ctx, value, start, length=None):
    """XPath 1.0 substring(): 1-based start, rounded positions."""
    text = to_string(value)
    first = math.floor(to_number(start) + 0.5)
    if length is None:
        last = math.inf
    else:
        last = first + math.floor(to_number(length) + 0.5)
    if math.isnan(first) or (isinstance(last, float) and math.isnan(last)):
        return ""
    return "".join(ch for i, ch in enumerate(text, 1) if first <= i < last)


__all__ = ["FUNCTIONS", "UNSUPPORTED", "Function"]
