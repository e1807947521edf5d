"""Tunesmith's Gradio chat. Thin: every decision lives in ``assistant.chat``."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import gradio as gr

from assistant.chat import ChatEngine, TurnResult
from assistant.store import SessionStore

EXAMPLES = [
    "a sad, slow piano waltz in D minor at 70 bpm",
    "an upbeat folk tune on flute and guitar with drums, 16 bars",
    "来一首欢快的笛子曲",
    "一首安静的古筝曲，五声音阶，慢一点",
    "Set these lyrics to a gentle melody:\nTwinkle twinkle little star\nHow I wonder what you are",
]


def data_dir() -> Path:
    return Path(os.environ.get("TUNESMITH_DATA", ".tunesmith")).resolve()


def make_engine(root: Path | None = None) -> ChatEngine:
    root = root or data_dir()
    return ChatEngine(SessionStore(root / "tunesmith.sqlite"), root / "sessions")


def result_to_message(result: TurnResult) -> dict:
    """One assistant message: text, audio player, sheet music, piano roll and MIDI/MusicXML downloads.

    Files go in as ``{"path": ...}`` dicts: the browser shows players and pictures, and
    ``gradio_client`` callers get the file references back.
    """
    content: list = [result.reply]
    files = result.files or {}
    for kind in ("audio", "score", "image", "midi", "musicxml"):
        if files.get(kind):
            content.append({"path": files[kind], "alt_text": kind})
    return {"role": "assistant", "content": content}


def versions_markdown(engine: ChatEngine, session_id: str) -> str:
    rows = engine.store.list_versions(session_id)
    if not rows:
        return "No versions yet."
    cur = engine.store.current_number(session_id)
    return "\n".join(f"- {'**' if n == cur else ''}v{n}{'**' if n == cur else ''} ({intent}): {summary}"
                     for n, intent, summary in rows)


def build_app(engine: ChatEngine) -> gr.Blocks:
    def respond(message, history, session_id):
        session_id = session_id or uuid.uuid4().hex
        text = message.get("text", "") if isinstance(message, dict) else str(message or "")
        yield ("Composing… (this takes a few seconds)", session_id, gr.skip(), gr.skip())
        result = engine.turn(session_id, text)
        yield (result_to_message(result), session_id, result.spec or {}, versions_markdown(engine, session_id))

    with gr.Blocks(title="Tunesmith") as demo:
        gr.Markdown("# Tunesmith\nDescribe music in English or 中文, or paste lyrics. Then ask for changes.")
        session = gr.BrowserState(None, storage_key="tunesmith_session")
        with gr.Row():
            with gr.Column(scale=3):
                spec_view = gr.JSON(label="current piece", render=False)
                versions_view = gr.Markdown("No versions yet.", render=False)
                gr.ChatInterface(
                    respond,
                    examples=[[e] for e in EXAMPLES],
                    additional_inputs=[session],
                    additional_outputs=[session, spec_view, versions_view],
                    cache_examples=False,
                    fill_height=False,
                )
            with gr.Column(scale=1):
                spec_view.render()
                gr.Markdown("### Versions")
                versions_view.render()
    return demo


def main(host: str = "127.0.0.1", port: int | None = None) -> None:
    engine = make_engine()
    port = port or int(os.environ.get("TUNESMITH_PORT", "7860"))
    print(f"Tunesmith data folder: {data_dir()}")
    build_app(engine).queue(default_concurrency_limit=4).launch(
        server_name=host, server_port=port, allowed_paths=[str(data_dir())], show_error=False)


if __name__ == "__main__":
    main()
