"""Sheet music next to the piano roll: export_score engraves the MusicXML into files.score."""

from __future__ import annotations

from assistant.compose import compose_score, export_score
from generators.baseline import BaselineGenerator
from music.score import Note
from music.score_render import musicxml_to_svgs
from music.spec import MusicSpec


def test_export_writes_sheet_music_with_lyrics(tmp_path):
    spec = MusicSpec(style="waltz", key="F", mode="major", time_signature="3/4", bars=8, seed=2)
    comp = compose_score(spec, BaselineGenerator())
    melody = comp.score.track("melody")
    melody.notes = [Note(n.pitch, n.start, n.duration, n.velocity, "la") for n in melody.notes]
    files = export_score(comp.score, tmp_path, audio=False, image=False)
    assert files.score is not None and files.score.is_file()
    assert files.score.suffix in (".png", ".svg") and files.score.stat().st_size > 5_000
    assert files.to_dict()["score"] == str(files.score.resolve())
    svg = musicxml_to_svgs(files.musicxml, max_pages=1)[0]
    assert "la" in svg and "<svg" in svg  # the lyric syllables are engraved


def test_broken_musicxml_is_a_warning_not_a_crash(tmp_path, monkeypatch):
    import music.score_render as sr

    monkeypatch.setattr(sr, "musicxml_to_svgs", lambda *a, **k: (_ for _ in ()).throw(ValueError("bad file")))
    spec = MusicSpec(style="pop", bars=2, seed=1)
    files = export_score(compose_score(spec, BaselineGenerator()).score, tmp_path, audio=False, image=False)
    assert files.score is None and files.midi.is_file()
    assert any("sheet music" in w for w in files.warnings)
