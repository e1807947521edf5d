"""The ``tunesmith`` command line: chat turns, parsing, training and the app.

``tunesmith chat MESSAGE --session DIR [--seed N] [--json]`` runs one turn; the
folder DIR holds the conversation so a second call is a follow-up.
``tunesmith parse --jsonl FILE`` prints the spec of each request without
generating music.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from pathlib import Path

CLI_SESSION_ID = "cli"


def _engine_for_dir(session_dir: Path, audio: bool = True):
    from assistant.chat import ChatEngine
    from assistant.store import SessionStore

    session_dir.mkdir(parents=True, exist_ok=True)
    store = SessionStore(session_dir / "tunesmith.sqlite")
    return ChatEngine(store, session_dir / "files", audio=audio)


def cmd_chat(args: argparse.Namespace) -> int:
    session_dir = Path(args.session).expanduser().resolve()
    # Library chatter (jieba, music21) must never reach stdout: --json prints exactly one object.
    with contextlib.redirect_stdout(sys.stderr):
        engine = _engine_for_dir(session_dir, audio=not args.no_audio)
        result = engine.turn(CLI_SESSION_ID, args.message, seed=args.seed)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        print(result.reply)
        for kind, path in result.files.items():
            if path:
                print(f"  {kind}: {path}")
    return 0


def cmd_parse(args: argparse.Namespace) -> int:
    with contextlib.redirect_stdout(sys.stderr):
        from assistant.parser import parse_message
    source = sys.stdin if args.jsonl == "-" else open(args.jsonl, encoding="utf-8")  # noqa: SIM115
    with source:
        for line in source:
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue
            text = str(row.get("text", row.get("caption", "")))
            with contextlib.redirect_stdout(sys.stderr):
                parsed = parse_message(text, None, use_embeddings=not args.lexicon_only)
            print(json.dumps({"id": row.get("id"), "spec": parsed.spec.to_dict(), "intent": parsed.intent},
                             ensure_ascii=False), flush=True)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import app

    if args.data:
        os.environ["TUNESMITH_DATA"] = args.data
    app.main(host=args.host, port=args.port)
    return 0


def cmd_train(rest: list[str]) -> int:
    from generators import train

    return train.main(rest) or 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="tunesmith", description="Tunesmith: a chat music assistant.")
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("chat", help="run one chat turn in a session folder")
    c.add_argument("message")
    c.add_argument("--session", required=True, help="folder that holds the conversation")
    c.add_argument("--seed", type=int, default=None)
    c.add_argument("--json", action="store_true", help="print one JSON object")
    c.add_argument("--no-audio", action="store_true", help="skip audio rendering")
    c.set_defaults(func=cmd_chat)
    pa = sub.add_parser("parse", help="parse requests from a JSONL file ({id, text} per line)")
    pa.add_argument("--jsonl", required=True, help="file path, or - for stdin")
    pa.add_argument("--lexicon-only", action="store_true", help="skip the sentence-embedding model")
    pa.set_defaults(func=cmd_parse)
    s = sub.add_parser("serve", help="start the Gradio app")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=7860)
    s.add_argument("--data", default=None, help="data folder (default: $TUNESMITH_DATA or ./.tunesmith)")
    s.set_defaults(func=cmd_serve)
    sub.add_parser("train", help="train the neural generators (see generators/MODEL_CARD.md)", add_help=False)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "train":
        return cmd_train(argv[1:])
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
