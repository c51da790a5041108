"""Actor names compared the way people write them: "The Council", "council", "Council." agree.

Used by the map (an actor's name is unique on its map) and by the site network (actors of
different maps are the same actor when their normalised names agree).
"""

from __future__ import annotations

import re
import unicodedata

# Words dropped anywhere in a name before comparing ("the council" == "council").
IGNORED_WORDS = frozenset({"the"})
# Words skipped when forming an acronym ("Department of Health" -> "DH").
ACRONYM_SKIP_WORDS = frozenset({"the", "of", "and", "for", "in", "on", "at", "to", "a", "an"})

_DROPPED = re.compile(r"['’`.]")  # "St Mary's" -> "st marys", "M.C.C." -> "mcc"
_SEPARATORS = re.compile(r"[^\w\s]|_")


def _plain(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    without_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    text = without_marks.casefold().replace("&", " and ")
    text = _DROPPED.sub("", text)
    return _SEPARATORS.sub(" ", text)


def name_tokens(name: str) -> list[str]:
    """The words of a name, casefolded, without punctuation or 'the'."""
    return [token for token in _plain(name).split() if token not in IGNORED_WORDS]


def normalise_name(name: str) -> str:
    """The comparison key of a name: casefold, no accents/punctuation/'the', single spaces."""
    return " ".join(name_tokens(name))


def acronym(name: str) -> str:
    """The initials of a name's significant words ('Manchester City Council' -> 'mcc').

    Empty for a one-word name, whose 'acronym' would only be its first letter.
    """
    words = [t for t in _plain(name).split() if t not in ACRONYM_SKIP_WORDS]
    if len(words) < 2:
        return ""
    return "".join(word[0] for word in words)
