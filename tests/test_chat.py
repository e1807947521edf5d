"""The reply function in-process: versions, files and friendly failures."""

from __future__ import annotations

import pretty_midi

from app import result_to_message


def content_kinds(msg: dict) -> set[str]:
    """Players and pictures are path dicts (alt_text); downloads are File components (label)."""
    return {c["alt_text"] if isinstance(c, dict) else c.label for c in msg["content"][1:]}


def test_compose_turn_makes_version_with_files(engine):
    r = engine.turn("s1", "a sad, slow piano waltz in D minor at 70 bpm")
    assert r.intent == "compose" and r.version == 1
    assert "70 bpm" in r.reply and "Chords:" in r.reply
    pm = pretty_midi.PrettyMIDI(r.files["midi"])
    assert pm.instruments and any(i.notes for i in pm.instruments)
    msg = result_to_message(r)
    assert msg["role"] == "assistant" and msg["content"][0] == r.reply
    assert {"audio", "image", "MIDI"} <= content_kinds(msg)


def test_sessions_are_isolated(engine):
    engine.turn("a", "piano at 80 bpm")
    engine.turn("a", "90 bpm")
    r = engine.turn("b", "guitar at 100 bpm")
    assert r.version == 1
    assert [n for n, *_ in engine.store.list_versions("a")] == [1, 2]


def test_failure_inside_a_turn_is_a_friendly_reply_and_keeps_versions(engine, monkeypatch):
    first = engine.turn("s", "piano at 80 bpm")

    def boom(*a, **k):
        raise RuntimeError("synth exploded")

    monkeypatch.setattr("assistant.chat.export_score", boom)  # every new version writes files
    r = engine.turn("s", "another piece at 120 bpm")
    assert r.intent == "error" and "Traceback" not in r.reply
    assert r.version == first.version
    assert [n for n, *_ in engine.store.list_versions("s")] == [1]


def test_empty_and_emoji_messages_get_help(engine):
    for text in ("", "   ", "🎵🎵🎵"):
        r = engine.turn("h", text)
        assert r.version is None and "example" in r.reply.lower()
