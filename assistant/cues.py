"""Cue lists from ``prompts/intents.json`` and the small helpers every follow-up finder shares.

The intent finder, the relative edits and the part edits all ask "does the message match cue list X?";
the lists are data, compiled once here.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.lexicon import load_prompt


@lru_cache(maxsize=1)
def cue_patterns() -> dict[str, object]:
    d = load_prompt("intents.json")
    out: dict[str, object] = {}
    for k, v in d.items():
        if isinstance(v, list):
            out[k] = [re.compile(p, re.IGNORECASE) for p in v]
        elif k == "question_topics":
            out[k] = {t: [re.compile(p, re.IGNORECASE) for p in ps] for t, ps in v.items()}
    return out


def cue(name: str, text: str) -> re.Match[str] | None:
    for p in cue_patterns()[name]:
        m = p.search(text)
        if m:
            return m
    return None


def _one_of(text: str, first: str, second: str) -> str | None:
    """The cue list (of two opposites) that the text matches, or None when neither or both do."""
    a, b = cue(first, text), cue(second, text)
    return None if bool(a) == bool(b) else (first if a else second)


def reverb_change(text: str) -> int | None:
    """"more reverb" -> +25 on the reverb send, "drier" -> -25; None when not asked."""
    which = _one_of(text, "reverb_up", "reverb_down")
    return None if which is None else (25 if which == "reverb_up" else -25)


def ending_change(text: str) -> str | None:
    """"Make the ending stronger" -> "strong", "fade out at the end" -> "soft"; None when not asked or both."""
    which = _one_of(text, "ending_strong", "ending_soft")
    return None if which is None else which.removeprefix("ending_")


def note_text(name: str, lang: str, **kw) -> str:
    from assistant.parser import note
    from assistant.replies import ROLE_ZH

    if lang == "zh":  # "bass" in a Chinese reply reads 低音
        kw = {k: ROLE_ZH.get(v, v) if isinstance(v, str) else v for k, v in kw.items()}
    return note(name, lang, **kw)
