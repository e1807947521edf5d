"""Tunesmith's Gradio chat. Thin: every decision lives in ``assistant.chat``.

The browser keeps its session id in ``gr.BrowserState`` (localStorage), and the
conversation lives in SQLite under the data folder (``TUNESMITH_DATA`` or
``tunesmith serve --data``), so reloading the page or restarting the server shows
the same history. ``/turn`` and ``/history`` are API endpoints for ``gradio_client``.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
import uuid
from pathlib import Path

import gradio as gr

from assistant.chat import ChatEngine, TurnResult
from assistant.store import SessionStore, Turn

EXAMPLES = [
    "a sad, slow piano waltz in D minor at 70 bpm",
    "an upbeat folk tune on flute and guitar with drums, 16 bars",
    "来一首欢快的笛子曲",
    "一首安静的古筝曲，五声音阶，慢一点",
    "Set these lyrics to a gentle melody:\nTwinkle twinkle little star\nHow I wonder what you are",
]
FOLLOW_UPS = ["faster", "add drums", "change to minor", "give me a variation", "go back to version 1",
              "what key is it in?", "换成小调", "慢一点"]
COMPOSING = "Composing… (a few seconds) / 正在作曲…"
FILE_KINDS = ("audio", "score", "image", "midi", "musicxml")
DOWNLOADS = {"midi": "MIDI", "musicxml": "MusicXML"}


def data_dir() -> Path:
    return Path(os.environ.get("TUNESMITH_DATA", ".tunesmith")).expanduser().resolve()


def make_engine(root: Path | None = None) -> ChatEngine:
    root = root or data_dir()
    return ChatEngine(SessionStore(root / "tunesmith.sqlite"), root / "sessions")


def browser_secret(root: Path) -> str:
    """A per-data-folder key for BrowserState: a random one per launch would forget every browser on restart."""
    path = root / "browser_secret"
    if not path.exists():
        root.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # readable by the owner only
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
        except FileExistsError:  # another process wrote it first
            pass
    return path.read_text().strip()


def files_to_content(reply: str, files: dict | None) -> list:
    """Text, then the audio player and pictures, then MIDI/MusicXML as downloads.

    MIDI goes in as a File component: as a bare path the chat would draw it as an
    audio player that browsers cannot play.
    """
    content: list = [reply]
    for kind in FILE_KINDS:
        path = (files or {}).get(kind)
        if not path or not Path(path).is_file():
            continue
        if kind in DOWNLOADS:
            content.append(gr.File(value=path, label=DOWNLOADS[kind], interactive=False))
        else:
            content.append({"path": path, "alt_text": kind})
    return content


def result_to_message(result: TurnResult) -> dict:
    """One assistant message: text, audio player, sheet music, piano roll and MIDI/MusicXML downloads.

    Files go in as ``{"path": ...}`` dicts: the browser shows players and pictures, and
    ``gradio_client`` callers get the file references back. A question or a refusal
    shows no files (it made no new version), unless it asked for the files.
    """
    files = result.files if result.new_version or result.attach else {}
    return {"role": "assistant", "content": files_to_content(result.reply, files)}


def history_to_messages(turns: list[Turn]) -> list[dict]:
    """The stored conversation as chat messages, so a reload or a restart shows it again."""
    out: list[dict] = []
    for t in turns:
        if t.message.strip():
            out.append({"role": "user", "content": t.message})
        out.append({"role": "assistant", "content": files_to_content(t.reply, t.files if t.made_version else {})})
    return out


def versions_markdown(engine: ChatEngine, session_id: str | None) -> str:
    rows = engine.store.list_versions(session_id) if session_id else []
    if not rows:
        return "No versions yet. / 还没有版本。"
    cur = engine.store.current_number(session_id)
    return "\n".join(f"- {'**' if n == cur else ''}v{n}{' (current)' if n == cur else ''}"
                     f"{'**' if n == cur else ''} · {intent}: {summary}" for n, intent, summary in rows)


def panel_values(engine: ChatEngine, session_id: str | None) -> tuple:
    """(spec, versions list, version picker, audio, downloads, piano roll) for the side panel."""
    cur = engine.store.current(session_id) if session_id else None
    choices = [(f"v{n}: {summary[:70]}", n) for n, summary, _ in
               (engine.store.version_files(session_id) if session_id else [])]
    picked = cur.number if cur else None
    return ((cur.spec if cur else {}), versions_markdown(engine, session_id),
            gr.update(choices=choices, value=picked), *version_media(engine, session_id, picked))


def version_media(engine: ChatEngine, session_id: str | None, number: int | None) -> tuple:
    v = engine.store.get(session_id, int(number)) if session_id and number else None
    if v is None:
        return None, None, None
    existing = {k: p for k, p in v.files.items() if p and Path(p).is_file()}
    downloads = [existing[k] for k in ("midi", "musicxml", "audio") if k in existing]
    return existing.get("audio"), downloads or None, existing.get("image")


def build_app(engine: ChatEngine, secret: str | None = None) -> gr.Blocks:
    def on_load(session_id):
        session_id = session_id or uuid.uuid4().hex
        return (session_id, history_to_messages(engine.history(session_id)), *panel_values(engine, session_id))

    def respond(message, session_id):
        # The store, not the browser's copy, is the conversation: redraw it from there every turn.
        session_id = session_id or uuid.uuid4().hex
        text = str(message or "")
        history = history_to_messages(engine.history(session_id)) + [{"role": "user", "content": text or " "}]
        yield (history + [{"role": "assistant", "content": COMPOSING}], "", session_id,
               *(gr.skip() for _ in range(6)))
        result = engine.turn(session_id, text)
        yield (history + [result_to_message(result)], "", session_id, *panel_values(engine, session_id))

    def new_conversation():
        session_id = uuid.uuid4().hex
        return (session_id, [], *panel_values(engine, session_id))

    def show_version(number, session_id):
        return version_media(engine, session_id, number)

    def turn_api(message: str, session_id: str) -> dict:
        """One chat turn in ``session_id`` (any string you choose): the CLI JSON contract plus the session id."""
        session_id = str(session_id or "") or uuid.uuid4().hex
        result = engine.turn(session_id, str(message or ""))
        return {**result.to_json(), "session_id": session_id, "new_version": result.new_version,
                "elapsed_s": round(result.elapsed_s, 3)}

    def history_api(session_id: str) -> dict:
        """The stored turns and versions of ``session_id``."""
        session_id = str(session_id or "")
        turns = engine.history(session_id) if session_id else []
        return {"session_id": session_id, "current": engine.store.current_number(session_id) if session_id else None,
                "versions": [{"number": n, "summary": s, "files": f}
                             for n, s, f in (engine.store.version_files(session_id) if session_id else [])],
                "turns": [{"message": t.message, "reply": t.reply, "intent": t.intent, "version": t.version,
                           "made_version": t.made_version} for t in turns]}

    with gr.Blocks(title="Tunesmith") as demo:
        gr.Markdown("# Tunesmith\nDescribe music in English or 中文, or paste lyrics; then ask for changes "
                    "(\"faster\", \"add drums\", \"换成小调\", \"go back to version 2\").")
        session = gr.BrowserState(None, storage_key="tunesmith_session", secret=secret)
        with gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(label="Tunesmith", height=560, elem_id="chat", buttons=["copy"])
                with gr.Row():
                    box = gr.Textbox(placeholder="a sad, slow piano waltz in D minor / 来一首欢快的笛子曲",
                                     show_label=False, scale=5, lines=1, max_lines=8, elem_id="prompt")
                    send = gr.Button("Send / 发送", variant="primary", scale=1, elem_id="send")
                gr.Examples([[e] for e in EXAMPLES], inputs=box, label="Examples / 示例")
                gr.Examples([[e] for e in FOLLOW_UPS], inputs=box, label="Follow-ups / 修改")
                new_btn = gr.Button("New conversation / 新对话", elem_id="new-conversation")
            with gr.Column(scale=2):
                spec_view = gr.JSON(label="Current piece (spec)", elem_id="spec")
                gr.Markdown("### Versions / 版本")
                versions_view = gr.Markdown("No versions yet. / 还没有版本。", elem_id="versions")
                pick = gr.Dropdown(label="Play or download a version / 播放或下载某一版", choices=[],
                                   interactive=True, elem_id="version-pick")
                v_audio = gr.Audio(label="Audio", type="filepath", interactive=False, elem_id="version-audio")
                v_files = gr.File(label="MIDI / MusicXML / audio", file_count="multiple", interactive=False,
                                  elem_id="version-files")
                v_image = gr.Image(label="Piano roll", type="filepath", interactive=False, elem_id="version-image")
        panel = [spec_view, versions_view, pick, v_audio, v_files, v_image]
        demo.load(on_load, [session], [session, chatbot, *panel], api_visibility="private")
        for trigger in (box.submit, send.click):
            trigger(respond, [box, session], [chatbot, box, session, *panel], api_visibility="private")
        new_btn.click(new_conversation, None, [session, chatbot, *panel], api_visibility="private")
        pick.input(show_version, [pick, session], [v_audio, v_files, v_image], api_visibility="private")
        gr.api(turn_api, api_name="turn")
        gr.api(history_api, api_name="history", queue=False)
    return demo


def warm_up(engine: ChatEngine) -> None:
    """Load the parser's embedding model and the generator before the first person waits for them."""
    try:
        engine.parse("a calm piano piece", None)
        _ = engine.generator
    except Exception:  # a cold first turn is slower, never broken
        logging.getLogger(__name__).exception("warm-up failed")


def main(host: str = "127.0.0.1", port: int | None = None, data: str | None = None) -> None:
    if data:
        os.environ["TUNESMITH_DATA"] = data
    root = data_dir()
    engine = make_engine(root)
    port = port or int(os.environ.get("TUNESMITH_PORT", "7860"))
    print(f"Tunesmith data folder: {root}", flush=True)
    threading.Thread(target=warm_up, args=(engine,), daemon=True).start()
    build_app(engine, browser_secret(root)).queue(default_concurrency_limit=4).launch(
        server_name=host, server_port=port, allowed_paths=[str(root)], show_error=False)


if __name__ == "__main__":
    main()
