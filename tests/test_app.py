"""The served app through ``gradio_client``: scriptable turns, history after a reload or a restart,
and 8 sessions at once with no cross-talk."""

from __future__ import annotations

import sys
from pathlib import Path

import pretty_midi
import pytest

from app import build_app, history_to_messages, make_engine, panel_values, result_to_message

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/ is not an installed package
from benchmarks.conversation import check_no_cross_talk, free_port, run_sessions, start_server  # noqa: E402


@pytest.fixture
def served(tmp_path, monkeypatch):
    """The app in this process on a free port, on the baseline generator."""
    from gradio_client import Client

    monkeypatch.setenv("TUNESMITH_GENERATOR", "baseline")
    engine = make_engine(tmp_path / "data")
    demo = build_app(engine, secret="t" * 64).queue(default_concurrency_limit=4)
    port = free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True,
                allowed_paths=[str(tmp_path / "data")])
    try:
        yield engine, Client(f"http://127.0.0.1:{port}/", verbose=False)
    finally:
        demo.close()


def test_chat_is_scriptable_through_gradio_client(served):
    engine, client = served
    first = client.predict("a sad, slow piano waltz in D minor at 70 bpm", "script-1", api_name="/turn")
    assert first["version"] == 1 and first["new_version"] and first["session_id"] == "script-1"
    for kind in ("midi", "audio", "image"):
        assert first["files"][kind] and Path(first["files"][kind]).is_file()
    second = client.predict("make it 140 bpm", "script-1", api_name="/turn")
    assert second["version"] == 2 and second["spec"]["tempo_bpm"] == 140.0
    pm = pretty_midi.PrettyMIDI(second["files"]["midi"])
    assert abs(pm.get_tempo_changes()[1][0] - 140.0) < 0.01
    asked = client.predict("what key is it in?", "script-1", api_name="/turn")
    assert not asked["new_version"] and asked["version"] == 2 and "D minor" in asked["reply"]
    hist = client.predict("script-1", api_name="/history")
    assert [v["number"] for v in hist["versions"]] == [1, 2] and hist["current"] == 2
    assert [t["made_version"] for t in hist["turns"]] == [True, True, False]
    other = client.predict("script-2", api_name="/history")
    assert other["versions"] == [] and other["turns"] == []


def test_a_reload_redraws_the_conversation_and_the_version_panel(served):
    engine, client = served
    client.predict("a calm piano piece at 90 bpm", "reload", api_name="/turn")
    client.predict("add drums", "reload", api_name="/turn")
    client.predict("how fast is it?", "reload", api_name="/turn")
    msgs = history_to_messages(engine.history("reload"))
    assert [m["role"] for m in msgs] == ["user", "assistant"] * 3
    replies = [m for m in msgs if m["role"] == "assistant"]
    assert any(isinstance(c, dict) and c.get("alt_text") == "audio" for c in replies[0]["content"])
    assert all(isinstance(c, str) for c in replies[2]["content"])  # a question shows no files
    spec, versions_md, pick, audio, downloads, image = panel_values(engine, "reload")
    assert spec["drums"] is True and "v2 (current)" in versions_md
    assert [n for _, n in pick["choices"]] == [1, 2] and pick["value"] == 2
    assert Path(audio).is_file() and Path(image).is_file() and any(p.endswith(".mid") for p in downloads)


def test_reply_message_carries_audio_midi_and_picture(tmp_path, monkeypatch):
    monkeypatch.setenv("TUNESMITH_GENERATOR", "baseline")
    engine = make_engine(tmp_path)
    r = engine.turn("m", "an upbeat folk tune on flute with drums, 8 bars")
    content = result_to_message(r)["content"]
    kinds = {c["alt_text"] if isinstance(c, dict) else c.label for c in content[1:]}
    assert {"audio", "MIDI", "image"} <= kinds
    bad = engine.turn("m", "go back to version 99")
    assert result_to_message(bad)["content"] == [bad.reply]
    asked = engine.turn("m", "export it as sheet music")  # no new version, but the files come along
    assert not asked.new_version and asked.version == 1 and "MusicXML" in asked.reply
    labels = {c["alt_text"] if isinstance(c, dict) else c.label for c in result_to_message(asked)["content"][1:]}
    assert {"MIDI", "MusicXML"} <= labels and Path(asked.files["musicxml"]).is_file()


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """8 sessions x 3 turns at once against a served app; the server is stopped afterwards."""
    data = tmp_path_factory.mktemp("served") / "data"
    with start_server(data) as (url, _):
        runs = run_sessions(url, sessions=8, turns=3)
        problems = check_no_cross_talk(url, runs, turns=3)
    return data, runs, problems


@pytest.mark.slow
def test_eight_sessions_at_once_without_cross_talk(loaded):
    _, runs, problems = loaded
    assert problems == []
    assert len(runs) == 8 and all(len(r.results) == 3 and r.error is None for r in runs)
    assert len({r.session_id for r in runs}) == 8


@pytest.mark.slow
def test_history_survives_an_app_restart(loaded):
    from gradio_client import Client

    data, runs, _ = loaded
    with start_server(data) as (url, _):  # a new process on the same data folder
        c = Client(url, verbose=False)
        for r in runs:
            hist = c.predict(r.session_id, api_name="/history")
            made = [x["version"] for x in r.results if x["new_version"]]
            assert [v["number"] for v in hist["versions"]] == made and hist["current"] == made[-1]
            assert [t["reply"] for t in hist["turns"]] == [x["reply"] for x in r.results]
        r = runs[0]
        midi_v1 = Path(r.results[0]["files"]["midi"]).read_bytes()
        back = c.predict("go back to version 1", r.session_id, api_name="/turn")
        assert back["version"] == 1 and Path(back["files"]["midi"]).read_bytes() == midi_v1
        more = c.predict("make it 100 bpm", r.session_id, api_name="/turn")
        assert more["version"] == sum(x["new_version"] for x in r.results) + 1
        assert more["spec"]["tempo_bpm"] == 100.0 and more["new_version"]
