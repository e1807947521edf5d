"""Placeholder request parser (explicit tempo only); replaced by the full parser."""

from __future__ import annotations

import re

from assistant.parsed import ParsedMessage
from music.spec import MusicSpec, clamp_spec


def parse_message(text: str, current: MusicSpec | None = None, *, use_embeddings: bool = True) -> ParsedMessage:
    spec = current or MusicSpec()
    m = re.search(r"(\d+)\s*bpm", text or "", re.I)
    if m:
        spec = spec.with_(tempo_bpm=float(m.group(1)))
    spec, notes = clamp_spec(spec)
    return ParsedMessage(intent="compose" if text and text.strip() else "help", spec=spec, notes=notes)
