"""Every canvas edit as a QUndoCommand that calls the Map's own methods (orange-canvas-core).

A command is applied *before* it is pushed (`push_command`): the Map validates and either changes
or refuses with a FieldkitError, in which case nothing reaches the undo stack. QUndoStack.push
calls redo() at once, so the first redo after a successful apply does nothing. Undo passes back
what the model returned: the old values of an update, the ties a deleted actor took with it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtGui import QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QWidget

from fieldkit.errors import FieldkitError
from fieldkit.mapping.layout import apply_positions
from fieldkit.mapping.model import Actor, Map, Tie

Position = tuple[float | None, float | None]


class ModelCommand(QUndoCommand):
    """A change to a Map: `apply()` does it (or raises), `revert()` takes it back."""

    def __init__(self, the_map: Map, text: str):
        super().__init__(text)
        self.map = the_map
        self._pushed_applied = False

    def apply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError

    def redo(self) -> None:
        if self._pushed_applied:  # push_command() already applied it
            self._pushed_applied = False
            return
        self.apply()

    def undo(self) -> None:
        self.revert()


def push_command(stack: QUndoStack, command: ModelCommand) -> ModelCommand:
    """Apply `command` and put it on the stack; a refusal raises and leaves both untouched."""
    command.apply()
    command._pushed_applied = True
    stack.push(command)
    return command


class AddActor(ModelCommand):
    def __init__(self, the_map: Map, actor: Actor):
        super().__init__(the_map, f"Add {actor.name.strip()}")
        self.actor = actor

    def apply(self) -> None:
        self.map.add_actor(self.actor)

    def revert(self) -> None:
        self.map.remove_actor(self.actor.id)


class UpdateActor(ModelCommand):
    """Change fields of an actor (name, sector, influence, goals, notes, position...)."""

    def __init__(self, the_map: Map, actor_id: str, changes: Mapping[str, Any], text: str = ""):
        name = the_map.actor(actor_id).name
        super().__init__(the_map, text or f"Edit {name}")
        self.actor_id = actor_id
        self.changes = dict(changes)
        self.old: dict[str, Any] = {}

    def apply(self) -> None:
        self.old = self.map.update_actor(self.actor_id, **self.changes)

    def revert(self) -> None:
        self.map.update_actor(self.actor_id, **self.old)


class MoveActors(ModelCommand):
    """One drag of one or several actors: one undo step."""

    def __init__(self, the_map: Map, positions: Mapping[str, tuple[float, float]], text: str = ""):
        count = len(positions)
        super().__init__(the_map, text or ("Move actor" if count == 1 else f"Move {count} actors"))
        self.positions = dict(positions)
        self.old: dict[str, Position] = {}

    def apply(self) -> None:
        self.old = apply_positions(self.map, self.positions)

    def revert(self) -> None:
        for actor_id, (x, y) in self.old.items():
            self.map.move_actor(actor_id, x, y)


class DeleteActor(ModelCommand):
    """Delete an actor and its ties; undo brings both back in one step."""

    def __init__(self, the_map: Map, actor_id: str):
        self.actor = the_map.actor(actor_id)
        super().__init__(the_map, f"Delete {self.actor.name}")
        self.ties: list[Tie] = []

    def apply(self) -> None:
        self.ties = self.map.remove_actor(self.actor.id)

    def revert(self) -> None:
        self.map.restore_actor(self.actor, self.ties)


class AddTie(ModelCommand):
    def __init__(self, the_map: Map, tie: Tie):
        super().__init__(the_map, "Add tie")
        self.tie = tie

    def apply(self) -> None:
        self.map.add_tie(self.tie)

    def revert(self) -> None:
        self.map.remove_tie(self.tie.id)


class UpdateTie(ModelCommand):
    def __init__(self, the_map: Map, tie_id: str, changes: Mapping[str, Any]):
        super().__init__(the_map, "Edit tie")
        self.tie_id = tie_id
        self.changes = dict(changes)
        self.old: dict[str, Any] = {}

    def apply(self) -> None:
        self.old = self.map.update_tie(self.tie_id, **self.changes)

    def revert(self) -> None:
        self.map.update_tie(self.tie_id, **self.old)


class DeleteTie(ModelCommand):
    def __init__(self, the_map: Map, tie_id: str):
        super().__init__(the_map, "Delete tie")
        self.tie = the_map.tie(tie_id)

    def apply(self) -> None:
        self.map.remove_tie(self.tie.id)

    def revert(self) -> None:
        self.map.add_tie(self.tie)


class Composite(ModelCommand):
    """Several commands as one undo step (delete a selection, add actors from the roster).

    If one part is refused, the parts already done are taken back before the error goes on,
    so the map is never left half-edited.
    """

    def __init__(self, the_map: Map, parts: Sequence[ModelCommand], text: str):
        super().__init__(the_map, text)
        self.parts = list(parts)

    def apply(self) -> None:
        done: list[ModelCommand] = []
        try:
            for part in self.parts:
                part.apply()
                done.append(part)
        except FieldkitError:
            for part in reversed(done):
                part.revert()
            raise

    def revert(self) -> None:
        for part in reversed(self.parts):
            part.revert()


def delete_selection(the_map: Map, actor_ids: Sequence[str], tie_ids: Sequence[str]) -> Composite:
    """Ties first (those not going with a deleted actor), then the actors with their ties."""
    going = set(actor_ids)
    parts: list[ModelCommand] = [
        DeleteTie(the_map, tie_id)
        for tie_id in tie_ids
        if not going & {the_map.tie(tie_id).source, the_map.tie(tie_id).target}
    ]
    parts += [DeleteActor(the_map, actor_id) for actor_id in actor_ids]
    count = len(parts)
    if len(actor_ids) == 1 and count == 1:
        text = parts[0].text()
    else:
        text = f"Delete {count} items"
    return Composite(the_map, parts, text)


def undo_actions(stack: QUndoStack, parent: QWidget) -> tuple[Any, Any]:
    """Undo (Ctrl+Z) and redo (Ctrl+Shift+Z, also Ctrl+Y) actions bound to `stack`."""
    undo = stack.createUndoAction(parent, "Undo")
    undo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
    redo = stack.createRedoAction(parent, "Redo")
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    return undo, redo
