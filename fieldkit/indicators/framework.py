"""The indicator framework as data: load it from a coordinator-editable table file and check it.

FRAMEWORK.md requires that a coordinator can change every part of the framework (names, items,
weights, bands, number of indicators) without code, so nothing here knows the ten default
indicators: they live in forms/framework.md. The file is a set of pyxform markdown tables
(sheets `settings`, `indicators`, `items`, `bands`) or the same sheets in an .xlsx workbook, so
it is edited in a text editor or in Excel like an XLSForm. Both are read through pyxform's
markdown reader / openpyxl into plain rows, then parsed and checked here. Every refusal names
the file, sheet, row and column, and a framework object that exists is structurally valid.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

from fieldkit import paths
from fieldkit.errors import FieldkitError, Problem
from fieldkit.indicators.tables import Sheet, cell_text, read_sheets, read_sheets_from
from fieldkit.vocab import LOW_BASE_THRESHOLD, SECTORS, Band

DEFAULT_FRAMEWORK_FILE = "framework.md"

INTERVIEWS = "interviews"
# The network components a weight can go to (FRAMEWORK.md "What the relationship maps add").
# Kept beside the parser that reads them as column names; the metrics behind them are in
# fieldkit.mapping.metrics.
NETWORK_COMPONENTS: tuple[str, ...] = ("coverage", "bridging", "redundancy")
COMPONENTS: tuple[str, ...] = (INTERVIEWS, *NETWORK_COMPONENTS)

SHEETS: tuple[str, ...] = ("settings", "indicators", "items", "bands")
_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_YES = {"yes", "true", "1", "y"}
_NO = {"", "no", "false", "0", "n"}
_WEIGHT_TOLERANCE = 1e-6
# Columns a coordinator may add for their own notes; anything else unknown is a typo to report.
_FREE_COLUMNS = ("description", "notes", "note", "label")


@dataclass(frozen=True)
class Scale:
    """The answer scale: scored codes minimum..maximum, and codes that are valid but not scored."""

    minimum: int = 1
    maximum: int = 5
    not_scored: tuple[str, ...] = ("dk",)

    def reverse(self, value: int) -> int:
        """A reverse-coded answer: on 1-5, 6 - answer."""
        return self.minimum + self.maximum - value

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(str(v) for v in range(self.minimum, self.maximum + 1))


@dataclass(frozen=True)
class Item:
    name: str  # the form question
    indicator: str
    reverse: bool = False
    row: int | None = None  # row on the items sheet, for messages


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    items: tuple[Item, ...]
    weights: Mapping[str, float]  # component -> weight, including "interviews"; sums to 1
    min_items: int
    coverage_sectors: tuple[str, str] | None = None
    row: int | None = None  # row on the indicators sheet

    @property
    def network_components(self) -> tuple[str, ...]:
        """The network components this indicator blends in (empty: interviews only)."""
        return tuple(c for c in NETWORK_COMPONENTS if self.weights.get(c, 0.0) > 0.0)


@dataclass(frozen=True)
class Framework:
    id: str
    title: str
    version: str
    form_id: str
    indicators: tuple[Indicator, ...]
    bands: tuple[Band, ...]
    scale: Scale = field(default_factory=Scale)
    low_base: int = LOW_BASE_THRESHOLD
    confidence: float = 0.95
    source: str | None = None  # the file it came from, for messages

    def indicator(self, indicator_id: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.id == indicator_id:
                return indicator
        raise KeyError(indicator_id)

    @property
    def indicator_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.indicators)

    def items(self) -> list[Item]:
        return [item for indicator in self.indicators for item in indicator.items]


# --- parsing ---------------------------------------------------------------------------------


class _Parser:
    """Collects every problem in the file rather than stopping at the first."""

    def __init__(self, source: str):
        self.source = source
        self.problems: list[Problem] = []

    def problem(
        self, message: str, sheet: str, row: int | None = None, column: str | None = None
    ) -> None:
        self.problems.append(
            Problem(message, file=self.source, sheet=sheet, row=row, column=column)
        )

    def number(
        self, cells: Mapping[str, Any], column: str, sheet: str, row: int, default: float | None
    ) -> float | None:
        raw = cell_text(cells.get(column))
        if raw == "":
            if default is None:
                self.problem("a value is required", sheet, row, column)
            return default
        try:
            value = float(raw)
        except ValueError:
            self.problem(f"'{raw}' is not a number", sheet, row, column)
            return default
        if not math.isfinite(value):
            self.problem(f"'{raw}' is not a finite number", sheet, row, column)
            return default
        return value

    def integer(
        self, cells: Mapping[str, Any], column: str, sheet: str, row: int, default: int | None
    ) -> int | None:
        value = self.number(cells, column, sheet, row, None if default is None else float(default))
        if value is None:
            return default
        if not value.is_integer():
            self.problem(
                f"'{cell_text(cells.get(column))}' is not a whole number", sheet, row, column
            )
            return default
        return int(value)

    def check_columns(self, sheet: Sheet, known: Iterable[str]) -> None:
        known = set(known)
        for column in sheet.header:
            if not column or column in known or column.split("::")[0] in _FREE_COLUMNS:
                continue
            self.problem(f"unknown column '{column}'", sheet.name, 1, column)


def _parse(sheets: dict[str, Sheet], source: str, stem: str) -> Framework:
    parser = _Parser(source)
    missing = [s for s in SHEETS if s not in sheets]
    if missing:
        raise FieldkitError(
            [Problem(f"missing sheet '{s}'", file=source, sheet=s) for s in missing]
        )

    # settings: one row, XLSForm style (column headers, values underneath)
    settings_sheet = sheets["settings"]
    parser.check_columns(
        settings_sheet,
        (
            "framework_id",
            "title",
            "version",
            "form_id",
            "scale_min",
            "scale_max",
            "not_scored",
            "min_items",
            "low_base",
            "confidence",
        ),
    )
    row, settings = settings_sheet.rows[0] if settings_sheet.rows else (2, {})
    version = cell_text(settings.get("version"))
    if not version:
        parser.problem(
            "a version is required (it is recorded with every figure)", "settings", row, "version"
        )
    form_id = cell_text(settings.get("form_id"))
    if not form_id:
        parser.problem("the form_id of the scored form is required", "settings", row, "form_id")
    scale_min = parser.integer(settings, "scale_min", "settings", row, 1)
    scale_max = parser.integer(settings, "scale_max", "settings", row, 5)
    if scale_min is not None and scale_max is not None and scale_max <= scale_min:
        parser.problem("scale_max must be above scale_min", "settings", row, "scale_max")
    not_scored = tuple(cell_text(settings.get("not_scored", "dk")).split())
    default_min_items = parser.integer(settings, "min_items", "settings", row, 2)
    if default_min_items is None or default_min_items < 1:
        parser.problem("min_items must be at least 1", "settings", row, "min_items")
        default_min_items = 1
    low_base = parser.integer(settings, "low_base", "settings", row, LOW_BASE_THRESHOLD)
    if low_base is not None and low_base < 1:
        parser.problem("low_base must be at least 1", "settings", row, "low_base")
    confidence = parser.number(settings, "confidence", "settings", row, 0.95)
    if confidence is not None and not 0.5 <= confidence < 1:
        parser.problem(
            "confidence must be between 0.5 and 1 (e.g. 0.95)", "settings", row, "confidence"
        )
    scale = Scale(scale_min or 1, scale_max or 5, not_scored)
    overlap = set(not_scored) & set(scale.codes)
    if overlap:
        parser.problem(
            f"not_scored codes {sorted(overlap)} are also scale values",
            "settings",
            row,
            "not_scored",
        )

    # items: one row per item
    items_sheet = sheets["items"]
    parser.check_columns(items_sheet, ("indicator", "item", "reverse"))
    items_by_indicator: dict[str, list[Item]] = {}
    seen_items: dict[str, int] = {}
    for row, cells in items_sheet.rows:
        indicator_id = cell_text(cells.get("indicator"))
        name = cell_text(cells.get("item"))
        if not indicator_id:
            parser.problem("the indicator is missing", "items", row, "indicator")
        if not name:
            parser.problem("the item (question name) is missing", "items", row, "item")
            continue
        if name in seen_items:
            parser.problem(
                f"item '{name}' is listed twice (also row {seen_items[name]})", "items", row, "item"
            )
            continue
        seen_items[name] = row
        reverse_text = cell_text(cells.get("reverse")).lower()
        if reverse_text not in _YES | _NO:
            parser.problem(
                f"reverse must be yes or no, not '{reverse_text}'", "items", row, "reverse"
            )
        items_by_indicator.setdefault(indicator_id, []).append(
            Item(name, indicator_id, reverse_text in _YES, row)
        )

    # indicators: one row per indicator, weights per component
    indicators_sheet = sheets["indicators"]
    parser.check_columns(
        indicators_sheet, ("id", "name", *COMPONENTS, "coverage_sectors", "min_items")
    )
    indicators: list[Indicator] = []
    seen_ids: dict[str, int] = {}
    for row, cells in indicators_sheet.rows:
        indicator_id = cell_text(cells.get("id"))
        if not _ID.match(indicator_id):
            parser.problem(
                f"id '{indicator_id}' must be letters, digits and _ (not starting with a digit)",
                "indicators",
                row,
                "id",
            )
            continue
        if indicator_id in seen_ids:
            parser.problem(
                f"id '{indicator_id}' is used twice (also row {seen_ids[indicator_id]})",
                "indicators",
                row,
                "id",
            )
            continue
        seen_ids[indicator_id] = row
        name = cell_text(cells.get("name")) or indicator_id
        weights: dict[str, float] = {}
        for component in COMPONENTS:
            weight = parser.number(cells, component, "indicators", row, 0.0) or 0.0
            if weight < 0:
                parser.problem("a weight cannot be negative", "indicators", row, component)
            if weight:
                weights[component] = weight
        sectors_text = cell_text(cells.get("coverage_sectors"))
        coverage_sectors: tuple[str, str] | None = None
        if sectors_text:
            sectors = sectors_text.lower().replace(",", " ").split()
            unknown = [s for s in sectors if s not in SECTORS]
            if unknown or len(sectors) != 2 or sectors[0] == sectors[1]:
                parser.problem(
                    f"coverage_sectors must be two different sectors of {', '.join(SECTORS)}; "
                    f"got '{sectors_text}'",
                    "indicators",
                    row,
                    "coverage_sectors",
                )
            else:
                coverage_sectors = (sectors[0], sectors[1])
        items = tuple(items_by_indicator.get(indicator_id, ()))
        min_items = parser.integer(cells, "min_items", "indicators", row, default_min_items)
        indicators.append(
            Indicator(
                indicator_id,
                name,
                items,
                weights,
                default_min_items if min_items is None else min_items,
                coverage_sectors,
                row,
            )
        )
        if sectors_text and "coverage" not in weights:
            parser.problem(
                "coverage_sectors is set but the coverage weight is 0",
                "indicators",
                row,
                "coverage",
            )
    for indicator_id, items in items_by_indicator.items():
        if indicator_id and indicator_id not in seen_ids:
            for item in items:
                parser.problem(
                    f"indicator '{indicator_id}' is not on the indicators sheet",
                    "items",
                    item.row,
                    "indicator",
                )

    # bands: one row per band, ascending
    bands_sheet = sheets["bands"]
    parser.check_columns(bands_sheet, ("id", "label", "lower"))
    bands: list[Band] = []
    band_rows: list[int] = []
    for row, cells in bands_sheet.rows:
        band_id = cell_text(cells.get("id"))
        if not band_id:
            parser.problem("the band id is missing", "bands", row, "id")
            continue
        lower = parser.number(cells, "lower", "bands", row, None)
        if lower is None:
            continue
        bands.append(Band(band_id, cell_text(cells.get("label")) or band_id, lower))
        band_rows.append(row)

    framework = Framework(
        id=cell_text(settings.get("framework_id")) or stem,
        title=cell_text(settings.get("title")) or stem,
        version=version,
        form_id=form_id,
        indicators=tuple(indicators),
        bands=tuple(bands),
        scale=scale,
        low_base=low_base or LOW_BASE_THRESHOLD,
        confidence=confidence or 0.95,
        source=source,
    )
    # a row already reported is not reported again for what follows from it (a weight that
    # did not parse makes the sum wrong too)
    reported = {(p.sheet, p.row) for p in parser.problems}
    parser.problems.extend(
        p for p in structure_problems(framework, band_rows) if (p.sheet, p.row) not in reported
    )
    if parser.problems:
        raise FieldkitError(parser.problems)
    return framework


def structure_problems(framework: Framework, band_rows: list[int] | None = None) -> list[Problem]:
    """What is wrong with the framework on its own (no form needed): ids, items, weights, bands."""
    source = framework.source
    problems: list[Problem] = []

    def add(message: str, sheet: str, row: int | None, column: str | None) -> None:
        problems.append(Problem(message, file=source, sheet=sheet, row=row, column=column))

    if not framework.indicators:
        add("the framework has no indicators", "indicators", None, None)
    seen: set[str] = set()
    seen_items: set[str] = set()
    for indicator in framework.indicators:
        if indicator.id in seen:
            add(f"id '{indicator.id}' is used twice", "indicators", indicator.row, "id")
        seen.add(indicator.id)
        total = sum(indicator.weights.values())
        if abs(total - 1.0) > _WEIGHT_TOLERANCE:
            parts = " + ".join(f"{c} {w:g}" for c, w in indicator.weights.items()) or "nothing"
            add(
                f"weights of '{indicator.id}' sum to {total:g} ({parts}), not 1",
                "indicators",
                indicator.row,
                INTERVIEWS,
            )
        if indicator.weights.get(INTERVIEWS, 0.0) <= 0:
            add(
                f"'{indicator.id}' needs an interviews weight above 0 (the fallback when "
                "there is no site network)",
                "indicators",
                indicator.row,
                INTERVIEWS,
            )
        unknown = set(indicator.weights) - set(COMPONENTS)
        if unknown:
            add(f"unknown components {sorted(unknown)}", "indicators", indicator.row, None)
        if indicator.weights.get("coverage", 0.0) > 0 and indicator.coverage_sectors is None:
            add(
                f"'{indicator.id}' has a coverage weight but no coverage_sectors (two sectors)",
                "indicators",
                indicator.row,
                "coverage_sectors",
            )
        if not indicator.items:
            add(
                f"'{indicator.id}' has no items on the items sheet",
                "indicators",
                indicator.row,
                "id",
            )
        elif not 1 <= indicator.min_items <= len(indicator.items):
            add(
                f"'{indicator.id}' needs {indicator.min_items} scored items but has "
                f"{len(indicator.items)}",
                "indicators",
                indicator.row,
                "min_items",
            )
        for item in indicator.items:
            if item.name in seen_items:
                add(f"item '{item.name}' is used twice", "items", item.row, "item")
            seen_items.add(item.name)
    if not framework.bands:
        add("the framework has no bands", "bands", None, None)
    else:
        rows = band_rows or [None] * len(framework.bands)
        if framework.bands[0].lower != 0:
            add(
                "the first band must start at 0 so every score has a band",
                "bands",
                rows[0],
                "lower",
            )
        band_ids: set[str] = set()
        for index, band in enumerate(framework.bands):
            if band.id in band_ids:
                add(f"band id '{band.id}' is used twice", "bands", rows[index], "id")
            band_ids.add(band.id)
            if not 0 <= band.lower <= 100:
                add(f"lower bound {band.lower:g} is outside 0-100", "bands", rows[index], "lower")
            if index and band.lower <= framework.bands[index - 1].lower:
                add(
                    f"bands must ascend: {band.lower:g} is not above "
                    f"{framework.bands[index - 1].lower:g}",
                    "bands",
                    rows[index],
                    "lower",
                )
    return problems


# --- public API ------------------------------------------------------------------------------


def load_framework(path: str | Path | Traversable | None = None) -> Framework:
    """Read and structurally check a framework file; the shipped default when `path` is None."""
    source: Path | Traversable
    if path is None:
        source = paths.instrument(DEFAULT_FRAMEWORK_FILE)
    elif isinstance(path, str | Path):
        source = Path(path)
    else:
        source = path
    if not source.is_file():
        raise FieldkitError(Problem("framework file not found", file=str(source)))
    sheets = read_sheets(source)
    return _parse(sheets, str(source), Path(source.name).stem)


def framework_from_content(data: bytes, name: str, where: str | None = None) -> Framework:
    """Read and structurally check a framework file's content (e.g. the copy a project keeps).

    `name` is the file's name (its suffix says .md or .xlsx); `where` is what messages call it.
    """
    where = where or name
    return _parse(read_sheets_from(data, name, where), where, Path(name).stem)


def validate_framework(framework: Framework, form: Any) -> None:
    """Refuse a framework that does not fit `form` (a fieldkit.forms.model.Form).

    Every item must be a select_one on a list whose choices are the scale codes plus only
    not-scored codes; the form's own `indicator` column, where filled, must agree with the
    framework (so the form and the framework cannot silently drift apart).
    """
    problems = structure_problems(framework)
    source = framework.source
    if framework.form_id and form.form_id != framework.form_id:
        problems.append(
            Problem(
                f"the framework scores form '{framework.form_id}', not '{form.form_id}'",
                file=source,
                sheet="settings",
                column="form_id",
            )
        )
    nodes = form.nodes_by_name()
    scale_codes = set(framework.scale.codes)
    allowed = scale_codes | set(framework.scale.not_scored)
    item_indicator: dict[str, str] = {}
    for item in framework.items():
        item_indicator[item.name] = item.indicator

        def add(message: str, item: Item = item) -> None:
            problems.append(
                Problem(
                    message, file=source, sheet="items", row=item.row, column="item", name=item.name
                )
            )

        node = nodes.get(item.name)
        if node is None:
            add(f"no question '{item.name}' in form '{form.form_id}'")
            continue
        if node.type != "select_one":
            add(f"'{item.name}' is a {node.type}, not a select_one on the scale")
            continue
        choice_list = form.choices.get(node.list_name or "")
        names = {c.name for c in choice_list.choices} if choice_list else set()
        if not scale_codes <= names:
            add(
                f"choice list '{node.list_name}' of '{item.name}' lacks scale values "
                f"{sorted(scale_codes - names)}"
            )
        if names - allowed:
            add(
                f"choice list '{node.list_name}' of '{item.name}' has choices "
                f"{sorted(names - allowed)} that are neither scale values nor not_scored codes"
            )
    for node in form.walk():
        tagged = str(node.extra.get("indicator", "")).strip()
        if not tagged or node.is_container:
            continue
        expected = item_indicator.get(node.name)
        if expected != tagged:
            what = (
                f"the framework scores it under '{expected}'"
                if expected
                else "the framework does not score it"
            )
            problems.append(
                Problem(
                    f"question is tagged indicator '{tagged}' but {what}",
                    file=form.source,
                    sheet="survey",
                    row=node.row,
                    column="indicator",
                    name=node.name,
                )
            )
    if problems:
        raise FieldkitError(problems)
