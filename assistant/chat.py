"""One chat turn: message -> intent -> new version (or an answer) -> files and a reply.

The engine never raises to the caller: any failure becomes a friendly reply in
the user's language and the session's versions stay as they were.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from assistant import replies
from assistant.compose import compose_score, default_generator, export_score
from assistant.parsed import ParsedMessage
from assistant.parser import parse_message
from assistant.store import SessionStore, Version
from generators.base import MelodyGenerator, MelodyResult
from music import edit_lib
from music.arrange import arrange
from music.harmony import progression
from music.score import Score
from music.score_json import dict_to_score, score_to_dict
from music.spec import InstrumentSpec, MusicSpec, clamp_spec
from music.theory import note_name_to_pc

log = logging.getLogger(__name__)
MAX_MESSAGE_CHARS = 50_000
PURE_EDITS = frozenset({"tempo_bpm", "transpose", "key", "mode", "swap", "add_part", "remove_part"})


@dataclass
class TurnResult:
    """The CLI JSON contract of one turn."""

    reply: str
    intent: str
    version: int | None
    spec: dict | None
    files: dict = field(default_factory=lambda: {"midi": None, "audio": None, "musicxml": None, "image": None})
    warnings: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0

    def to_json(self) -> dict:
        return {"reply": self.reply, "intent": self.intent, "version": self.version, "spec": self.spec,
                "files": self.files, "warnings": self.warnings}


class ChatEngine:
    """Holds the store, the output folder and the (loaded once) generator."""

    def __init__(self, store: SessionStore, out_root: str | Path, generator: MelodyGenerator | None = None,
                 audio: bool = True):
        self.store = store
        self.out_root = Path(out_root)
        self._generator = generator
        self.audio = audio

    @property
    def generator(self) -> MelodyGenerator:
        if self._generator is None:
            self._generator = default_generator()
        return self._generator

    def turn(self, session_id: str, message: str, seed: int | None = None) -> TurnResult:
        t0 = time.perf_counter()
        self.store.ensure_session(session_id)
        text = message if isinstance(message, str) else ""
        truncated = len(text) > MAX_MESSAGE_CHARS
        text = text[:MAX_MESSAGE_CHARS]
        lang = "en"
        try:
            cur = self.store.current(session_id)
            cur_spec = MusicSpec.from_dict(cur.spec) if cur else None
            parsed = parse_message(text, cur_spec)
            lang = parsed.lang
            result = self._dispatch(session_id, text, parsed, cur, seed)
            if truncated:
                result.warnings.insert(0, "message was longer than 50,000 characters; I used the first 50,000"
                                       if lang != "zh" else "消息超过50,000个字符，只使用了前50,000个")
        except Exception as exc:  # never a traceback in the chat
            log.exception("turn failed")
            cur_n = self.store.current_number(session_id)
            result = TurnResult(replies.message("error", lang, err=type(exc).__name__), "error", cur_n, None)
        self.store.log_turn(session_id, text[:2000], result.reply, result.intent, result.version)
        result.elapsed_s = time.perf_counter() - t0
        return result

    # -- dispatch -------------------------------------------------------------------------------------------
    def _dispatch(self, sid: str, text: str, p: ParsedMessage, cur: Version | None, seed: int | None) -> TurnResult:
        lang = p.lang
        if p.intent == "help":
            reply = replies.HELP[lang]
            if p.notes:
                reply = "\n".join(p.notes) + "\n\n" + reply
            return self._no_version(sid, reply, "help", p.notes)
        if p.intent in ("compose", "lyrics") or cur is None and p.intent in ("regenerate", "edit", "variation",
                                                                            "longer", "shorter"):
            if p.intent not in ("compose", "lyrics") and cur is None:
                return self._no_version(sid, replies.message("no_piece", lang), p.intent, p.notes)
            spec = p.spec if seed is None else p.spec.with_(seed=seed)
            return self._compose(sid, text, p, spec, parent=cur.number if cur else None)
        if cur is None:
            return self._no_version(sid, replies.message("no_piece", lang), p.intent, p.notes)
        cur_spec = MusicSpec.from_dict(cur.spec)
        cur_score = dict_to_score(cur.score)
        if p.intent == "question":
            reply = replies.answer_question(p.question, cur_spec, cur_score, cur.number, lang)
            return TurnResult(reply, "question", cur.number, cur.spec, self._files_of(cur), list(p.notes))
        if p.intent in ("undo", "revert"):
            return self._move(sid, p, cur)
        if p.intent == "regenerate":
            new_seed = seed if seed is not None else cur.seed + 1
            return self._compose(sid, text, p, cur_spec.with_(seed=new_seed), parent=cur.number)
        if p.intent == "variation":
            return self._variation(sid, text, p, cur, cur_spec, cur_score, seed)
        if p.intent == "longer":
            return self._longer(sid, text, p, cur, cur_score, seed)
        if p.intent == "shorter":
            bars = int(p.changes.get("bars", max(1, cur_score.bars // 2)))
            bars = max(1, min(bars, cur_score.bars))
            score = edit_lib.trim_bars(cur_score, bars)
            spec = cur_spec.with_(bars=bars)
            return self._save(sid, text, p, spec, score, cur.seed, cur.latent, cur.number)
        if p.intent == "blend":
            return self._blend(sid, text, p, cur, cur_spec)
        return self._edit(sid, text, p, cur, cur_spec, cur_score)

    # -- helpers --------------------------------------------------------------------------------------------
    def _no_version(self, sid: str, reply: str, intent: str, notes: list[str]) -> TurnResult:
        cur = self.store.current(sid)
        return TurnResult(reply, intent, cur.number if cur else None, cur.spec if cur else None,
                          self._files_of(cur) if cur else TurnResult("", "", None, None).files, list(notes))

    @staticmethod
    def _files_of(v: Version) -> dict:
        return {k: v.files.get(k) for k in ("midi", "audio", "musicxml", "image", "score")}

    def _compose(self, sid: str, text: str, p: ParsedMessage, spec: MusicSpec, parent: int | None) -> TurnResult:
        spec, notes = clamp_spec(spec)
        if p.intent == "lyrics" and p.lyrics_text:
            score, melody, spec, lyric_notes = self._compose_lyrics(spec, p.lyrics_text)
            notes = notes + lyric_notes
        else:
            comp = compose_score(spec, self.generator)
            score, melody = comp.score, comp.melody
        p.notes = list(dict.fromkeys(p.notes + notes))
        return self._save(sid, text, p, spec, score, spec.seed, melody.latent, parent, melody.generator)

    def _compose_lyrics(self, spec: MusicSpec, lyrics_text: str) -> tuple[Score, MelodyResult, MusicSpec, list[str]]:
        from lyrics.setting import set_lyrics

        setting = set_lyrics(lyrics_text, spec, self.generator, spec.seed)
        spec = spec.with_(bars=setting.bars, lyrics=setting.lines)
        if not any(i.role == "melody" for i in spec.instruments) or spec.instruments[0].program not in (52, 53, 54):
            voice = InstrumentSpec.gm(53, "melody", "Voice Oohs")
            rest = [i if i.role != "melody" else InstrumentSpec(i.name, i.program, "chords") for i in spec.instruments]
            spec = spec.with_(instruments=[voice] + rest)
        chords = progression(spec, spec.seed)
        score = arrange(spec, chords, setting.notes, spec.seed)
        return score, MelodyResult(setting.notes, None, self.generator.name), spec, list(setting.notes_for_user)

    def _save(self, sid: str, text: str, p: ParsedMessage, spec: MusicSpec, score: Score, seed: int,
              latent: list[float] | None, parent: int | None, generator: str | None = None) -> TurnResult:
        number = self.store.next_number(sid)
        spec = spec.with_(seed=seed)
        files = export_score(score, self.out_root / sid / f"v{number}", stem=f"tunesmith_v{number}", audio=self.audio)
        gen_name = generator or self.generator.name
        summary = replies.describe_piece(number, spec, score, gen_name, p.lang)
        reply = summary
        changed = _describe_changes(p)
        if changed:
            reply = changed + "\n" + reply
        warnings = list(p.notes) + files.warnings
        if warnings:
            reply += "\n" + "\n".join(f"Note: {w}" if p.lang != "zh" else f"提示：{w}" for w in warnings)
        spec_dict = spec.to_dict()
        version = Version(number, parent, p.intent, text[:2000], spec_dict, seed, score_to_dict(score), latent,
                          files.to_dict(), summary.split("\n")[0])
        self.store.add_version(sid, version)
        return TurnResult(reply, p.intent, number, spec_dict, files.to_dict(), warnings)

    def _move(self, sid: str, p: ParsedMessage, cur: Version) -> TurnResult:
        lang = p.lang
        if p.intent == "undo":
            target = cur.parent if cur.parent is not None else cur.number - 1
            if target < 1:
                return TurnResult(replies.message("undo_first", lang), "undo", cur.number, cur.spec,
                                  self._files_of(cur), list(p.notes))
        else:
            target = p.target_version or 0
        v = self.store.get(sid, target)
        if v is None:
            last = self.store.next_number(sid) - 1
            return TurnResult(replies.message("no_version", lang, n=target, last=last), p.intent, cur.number,
                              cur.spec, self._files_of(cur), list(p.notes))
        self.store.set_current(sid, target)
        reply = replies.message("reverted", lang, n=target) + "\n" + v.summary
        return TurnResult(reply, p.intent, target, v.spec, self._files_of(v), list(p.notes))

    def _edit(self, sid: str, text: str, p: ParsedMessage, cur: Version, cur_spec: MusicSpec,
              cur_score: Score) -> TurnResult:
        changes = dict(p.changes)
        spec = p.spec
        if not changes or not set(changes) <= PURE_EDITS:
            # Structural changes (meter, length, style, mood nudges): same seed, new spec.
            return self._compose(sid, text, p, spec.with_(seed=cur.seed), parent=cur.number)
        score = cur_score
        if "tempo_bpm" in changes:
            score = edit_lib.with_tempo(score, spec.tempo_bpm)
        semis = changes.get("transpose")
        if semis is None and "key" in changes:
            semis = _nearest_shift(cur_score.key, spec.key)
        if semis:
            if edit_lib.fits_midi_range(score, int(semis)):
                score = edit_lib.transpose(score, int(semis))
            else:
                p.notes.append("that transposition would leave the MIDI range, so the key is unchanged"
                               if p.lang != "zh" else "这样移调会超出MIDI音域，调性保持不变")
                spec = spec.with_(key=cur_spec.key)
        if "mode" in changes and changes["mode"] != score.mode:
            score = edit_lib.change_mode(score, spec.mode)
        if "swap" in changes:
            sw = changes["swap"]
            score = edit_lib.swap_program(score, sw.get("role", "melody"), int(sw["program"]),
                                          sw.get("name") or f"program {sw['program']}")
        if "remove_part" in changes:
            score = edit_lib.remove_parts(score, changes["remove_part"])
        if "add_part" in changes:
            role = changes["add_part"]
            full = arrange(spec, score.chords, (score.track("melody").notes if score.track("melody") else []),
                           cur.seed)
            new = [t for t in full.tracks if t.role == role or (role == "drums" and t.is_drum)]
            for t in new:
                score = edit_lib.add_track(score, t)
        score.key, score.mode = spec.key, spec.mode
        return self._save(sid, text, p, spec, score, cur.seed, cur.latent, cur.number)

    def _variation(self, sid: str, text: str, p: ParsedMessage, cur: Version, spec: MusicSpec, score: Score,
                   seed: int | None) -> TurnResult:
        mel = score.track("melody")
        prev = MelodyResult(list(mel.notes) if mel else [], cur.latent, self.generator.name)
        new_seed = seed if seed is not None else cur.seed + 1000
        res = self.generator.variation(spec, score.chords, prev, float(p.changes.get("amount", 0.3)), new_seed)
        new_score = arrange(spec, score.chords, res.notes, cur.seed)
        return self._save(sid, text, p, spec, new_score, cur.seed, res.latent, cur.number, res.generator)

    def _longer(self, sid: str, text: str, p: ParsedMessage, cur: Version, score: Score,
                seed: int | None) -> TurnResult:
        extra = int(p.changes.get("extra_bars", max(4, score.bars // 2)))
        spec = MusicSpec.from_dict(cur.spec)
        extra = max(1, min(extra, 128 - score.bars))
        longer = spec.with_(bars=score.bars + extra)
        chords = score.chords + [c for c in progression(longer, cur.seed)
                                 if c.start >= score.total_beats]
        mel = score.track("melody")
        more = self.generator.continue_melody(longer, chords, list(mel.notes) if mel else [], extra,
                                              seed if seed is not None else cur.seed + 7)
        new_score = arrange(longer, chords, (list(mel.notes) if mel else []) + more, cur.seed)
        # keep the existing bars exactly as they were
        for t_new in new_score.tracks:
            t_old = next((t for t in score.tracks if t.role == t_new.role and t.program == t_new.program), None)
            if t_old is not None:
                t_new.notes = list(t_old.notes) + [n for n in t_new.notes if n.start >= score.total_beats]
        return self._save(sid, text, p, longer, new_score, cur.seed, cur.latent, cur.number)

    def _blend(self, sid: str, text: str, p: ParsedMessage, cur: Version, spec: MusicSpec) -> TurnResult:
        a, b = p.blend_versions or (0, 0)
        va, vb = self.store.get(sid, a), self.store.get(sid, b)
        if va is None or vb is None:
            missing = a if va is None else b
            return TurnResult(replies.message("no_version", p.lang, n=missing, last=self.store.next_number(sid) - 1),
                              "blend", cur.number, cur.spec, self._files_of(cur), list(p.notes))
        interpolate = getattr(self.generator, "interpolate", None)
        if interpolate is None or va.latent is None or vb.latent is None:
            return TurnResult(replies.message("blend_unavailable", p.lang), "blend", cur.number, cur.spec,
                              self._files_of(cur), list(p.notes))
        res = interpolate(spec, dict_to_score(va.score).chords, va.latent, vb.latent, 0.5, cur.seed)
        chords = dict_to_score(va.score).chords
        new_score = arrange(spec, chords, res.notes, cur.seed)
        return self._save(sid, text, p, spec, new_score, cur.seed, res.latent, cur.number, res.generator)


def _nearest_shift(old_key: str, new_key: str) -> int:
    d = (note_name_to_pc(new_key) - note_name_to_pc(old_key)) % 12
    return d - 12 if d > 6 else d


def _describe_changes(p: ParsedMessage) -> str:
    c = p.changes
    if not c:
        return ""
    zh = p.lang == "zh"
    bits = []
    if "tempo_bpm" in c:
        bits.append(f"速度改为每分钟{p.spec.tempo_bpm:g}拍" if zh else f"tempo now {p.spec.tempo_bpm:g} bpm")
    if c.get("transpose"):
        bits.append(f"移调{c['transpose']:+d}个半音" if zh else f"transposed {c['transpose']:+d} semitones")
    if "mode" in c:
        bits.append(f"改为{replies.mode_name(p.spec.mode, 'zh')}" if zh else f"now in {p.spec.mode}")
    if "swap" in c:
        bits.append(f"换成{c['swap'].get('name')}" if zh else f"now played on {c['swap'].get('name')}")
    if "add_part" in c:
        bits.append(f"加入{c['add_part']}" if zh else f"added {c['add_part']}")
    if "remove_part" in c:
        bits.append(f"去掉{c['remove_part']}" if zh else f"removed {c['remove_part']}")
    if not bits:
        return ""
    return ("已修改：" + "，".join(bits) + "。") if zh else ("Changed: " + ", ".join(bits) + ".")
