"""`fieldkit interview fill`: run answers from a JSON file through the interview engine.

Answers are keyed by question name; repeats are lists of objects; select_multiple may be a
space-separated string or a list. They are fed in form order through the same `Interview` the
GUI uses, so relevance, calculations and constraints behave exactly as on screen.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from fieldkit.errors import FieldkitError, Problem
from fieldkit.forms.interview import Interview, Scope, make_key
from fieldkit.forms.model import Form, Node


def register(subparsers: argparse._SubParsersAction) -> None:
    interview = subparsers.add_parser("interview", help="run interviews headless")
    sub = interview.add_subparsers(dest="interview_command", metavar="ACTION")
    fill = sub.add_parser("fill", help="fill a form from a JSON file of answers")
    fill.add_argument("form", metavar="FORM", help="an XLSForm file or an imported form_id")
    fill.add_argument("--answers", required=True, metavar="ANSWERS.json")
    fill.add_argument("--site", metavar="S")
    fill.add_argument("--round", metavar="R", dest="round_")
    fill.add_argument(
        "--consent", metavar="INTERVIEW_ID", help="the finalized consent interview (when saving)"
    )
    fill.add_argument("--finalize", action="store_true", help="finalize (exit 1 if invalid)")
    fill.add_argument("--dry-run", action="store_true", help="do not save to the project")
    fill.add_argument("--json", action="store_true", help="print the result as JSON")
    fill.set_defaults(func=cmd_fill)


def _read_answers(path: str) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise FieldkitError(
            Problem(f"not valid JSON: {exc.msg} (line {exc.lineno})", file=path)
        ) from None
    if not isinstance(data, dict):
        raise FieldkitError(Problem("expected a JSON object of answers by name", file=path))
    return data


def _load_form(ctx, spec: str) -> Form:
    """FORM is a file path, else an imported form_id (or record id) in the project."""
    if Path(spec).exists():
        from fieldkit.forms.load import load_form

        return load_form(spec)
    from fieldkit import fieldwork

    project = ctx.open_project()
    return project.forms.load(fieldwork.form_record(project, spec)["id"])


def fill(interview: Interview, answers: dict[str, Any]) -> list[dict[str, str]]:
    """Feed nested answers in form order; returns the refusals as {"name", "message"}."""
    errors: list[dict[str, str]] = []

    def feed(nodes: list[Node], scope: Scope, data: dict[str, Any], top: bool) -> None:
        for node in nodes:
            if node.type == "group":
                feed(node.children, scope, data, False)
                continue
            if node.name not in data:
                continue
            key = make_key(scope, node.name)
            raw = data[node.name]
            if node.type == "repeat":
                if not isinstance(raw, list) or not all(isinstance(x, dict) for x in raw):
                    errors.append({"name": key, "message": "a repeat takes a list of objects"})
                    continue
                if not node.repeat_count:
                    while interview.repeat_count(key) < len(raw):
                        interview.add_repeat(key)
                    while interview.repeat_count(key) > len(raw):
                        interview.remove_repeat(key, interview.repeat_count(key) - 1)
                for index, item in enumerate(raw[: interview.repeat_count(key)]):
                    feed(node.children, scope + ((node.name, index),), item, True)
                if len(raw) > interview.repeat_count(key):
                    errors.append(
                        {"name": key, "message": "more instances than its repeat_count allows"}
                    )
                continue
            if node.is_container:
                continue
            changes = interview.set(key, raw)
            for err_key, message in changes.errors.items():
                errors.append({"name": err_key, "message": message})
        unknown = set(data) - {n.name for n in _flatten(nodes)} if top else set()
        for name in sorted(unknown):
            errors.append({"name": make_key(scope, name), "message": "no such question"})

    feed(interview.form.children, (), answers, True)
    return errors


def _flatten(nodes: list[Node]) -> list[Node]:
    out: list[Node] = []
    for node in nodes:
        out.append(node)
        if node.type == "group":
            out.extend(_flatten(node.children))
    return out


def run_fill(
    form: Form, answers: dict[str, Any], finalize: bool, meta: dict[str, str] | None = None
) -> tuple[dict[str, Any], int]:
    """The engine part of the command, separate so it runs without a project (--dry-run)."""
    interview = Interview(form, meta=meta)
    errors = fill(interview, answers)
    status = "draft"
    code = 1 if errors else 0
    if finalize and not errors:
        try:
            interview.finalize()
            status = "finalized"
        except FieldkitError as exc:
            errors.extend({"name": p.name or "", "message": p.message} for p in exc.problems)
            code = 1
    elif finalize:
        code = 1
    if not finalize:
        errors.extend({"name": k, "message": m} for k, m in interview.messages().items())
    result = {
        "status": status,
        "values": interview.values_nested(include_irrelevant=status != "finalized"),
        "relevant": interview.relevant_keys(),
        "errors": errors,
    }
    return {"interview": interview, **result}, code


def _save(ctx, spec: str, interview: Interview, args: argparse.Namespace) -> str:
    """Store the filled interview in the project through the same path the GUI uses
    (fieldkit.fieldwork): a form given as a file is imported (a changed file is a new version);
    the consent rule applies (every form but consent_profile needs --consent). Returns its id."""
    from fieldkit import fieldwork

    project = ctx.open_project()
    form_ref = spec
    if Path(spec).exists():
        record, _created = fieldwork.import_form(project, Path(spec))
        form_ref = record["id"]
    session = fieldwork.start_interview(
        project,
        form_ref,
        site=args.site,
        round=args.round_,
        consent=args.consent,
        language=interview.language,
    )
    flat = interview.answers_flat()
    stale = tuple(k for k in project.interviews.answers(session.id) if k not in flat)
    project.interviews.set_answers(session.id, flat, cleared=stale)
    if interview.status == "finalized":
        fieldwork.InterviewSession(project, session.id).finalize()
    return session.id


def cmd_fill(args: argparse.Namespace, ctx) -> int:
    form = _load_form(ctx, args.form)
    answers = _read_answers(args.answers)
    meta = None
    if not args.dry_run:
        project = ctx.open_project()  # refuse early (no project) before doing any work
        meta = {"deviceid": project.device, "username": project.fieldworker_name}
    result, code = run_fill(form, answers, args.finalize, meta)
    interview = result.pop("interview")
    if not args.dry_run and not (args.finalize and code):
        result["id"] = _save(ctx, args.form, interview, args)
    if args.json:
        ctx.print_json(result)
    else:
        ctx.print(
            f"{form.form_id}: {result['status']}, {len(result['relevant'])} relevant fields, "
            f"{len(result['errors'])} problem(s)"
        )
        for error in result["errors"]:
            ctx.print(f"  {error['name']}: {error['message']}")
    return code
