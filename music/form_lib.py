"""Form: how a piece of N bars divides into intro, A/B (verse/chorus) sections and an ending.

Pure and deterministic from (bars, song): the harmony and the arrangement both
read the same plan, so a repeated A gets the same chords and the same texture.
"""

from __future__ import annotations

from music.score import Section


def form_plan(bars: int, song: bool = False) -> list[Section]:
    """Sections covering exactly ``bars`` bars.

    Short pieces are one section; from 12 bars an intro and an ending frame body
    sections of 8 bars (the last body section absorbs a remainder of 1-7 bars); from
    16 bars the body has at least an A and a B.
    """
    bars = max(1, int(bars))
    a_name, b_name = ("verse", "chorus") if song else ("A", "B")
    if bars < 12:
        return [Section(a_name, 0, bars)]
    intro = ending = 2
    body = bars - intro - ending
    n_body = body // 8
    if n_body >= 3:  # long pieces: a remainder widens the intro and the ending, so repeats stay 8 bars
        rest = body % 8
        intro += min(2, rest // 2)
        ending += min(2, rest - rest // 2)
        body = bars - intro - ending
    n_body = max(2 if body >= 12 else 1, body // 8)  # from 16 bars there is always a contrasting B
    sections = [Section("intro", 0, intro)]
    start = intro
    for i in range(n_body):
        length = 8 if i < n_body - 1 else body - 8 * (n_body - 1)
        sections.append(Section(a_name if i % 2 == 0 else b_name, start, length))
        start += length
    sections.append(Section("ending", start, ending))
    return sections


def section_at(sections: list[Section], bar: int) -> Section | None:
    for s in sections:
        if s.start_bar <= bar < s.start_bar + s.bars:
            return s
    return sections[-1] if sections else None


def phrase_lengths(bars: int) -> list[int]:
    """Split a section into phrases of 4 bars; a remainder of 1-3 joins the last phrase."""
    if bars <= 5:
        return [bars]
    n = bars // 4
    out = [4] * n
    out[-1] += bars - 4 * n
    return out


def section_energy(name: str, index: int, count: int) -> float:
    """Dynamics over the form, 0 soft .. 1 loud: intro low, B/chorus higher, ending settles."""
    if name == "intro":
        return 0.35
    if name == "ending":
        return 0.6
    if name in ("B", "chorus"):
        return 0.85 + 0.1 * (index / max(count - 1, 1))
    return 0.6 + 0.15 * (index / max(count - 1, 1))
