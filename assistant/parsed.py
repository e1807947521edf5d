"""What the parser hands to the conversation layer for one message."""

from __future__ import annotations

from dataclasses import dataclass, field

from music.spec import MusicSpec

INTENTS = (
    "compose",     # a new piece
    "edit",        # change the current piece (spec changes listed in ``changes``)
    "lyrics",      # set these words to music
    "question",    # about the current piece; no new version
    "help",        # what can Tunesmith do / nothing musical understood
    "undo",        # back to the previous version (or to where a jump back came from)
    "redo",        # forward again to the version the last undo left
    "revert",      # back to version ``target_version``
    "regenerate",  # same spec, new seed
    "variation",   # similar but not identical (VAE neighbourhood)
    "blend",       # interpolate ``blend_versions``
    "longer",      # continue the piece by ``changes['extra_bars']``
    "shorter",     # trim at a phrase end to ``changes['bars']``
    "chat",        # thanks, greetings, "I don't like it", section requests (``question`` says which)
)


@dataclass
class ParsedMessage:
    """Intent plus the spec the message asks for.

    For ``compose`` and ``lyrics``, ``spec`` is a full new spec. For edits it is
    the current spec with the requested changes applied, and ``changes`` names
    them, e.g. ``{"tempo_bpm": 120}``, ``{"transpose": 2}``, ``{"mode": "minor"}``,
    ``{"swap": {"from": "melody", "program": 40}}``, ``{"add_part": "drums"}``,
    ``{"remove_part": "drums"}``, ``{"nudge": {"valence": 0.3}}``.
    """

    intent: str
    spec: MusicSpec
    lang: str = "en"  # "en" or "zh": the language to reply in
    changes: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # user-facing remarks (clamping, substitutions)
    target_version: int | None = None
    blend_versions: tuple[int, int] | None = None
    question: str | None = None  # topic of a question: key, tempo, meter, instruments, ...
    lyrics_text: str | None = None
