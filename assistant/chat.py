"""One chat turn: message -> intent -> new version (or an answer) -> files and a reply.

The engine never raises to the caller: any failure becomes a friendly reply in
the user's language and the session's versions stay as they were. A turn is
stored in one transaction (new version, current pointer, chat log), so a crash
mid-turn never leaves a half-written version behind.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from assistant import replies
from assistant.compose import compose_score, default_generator, export_score
from assistant.parse_followup import based_on_version
from assistant.parsed import ParsedMessage
from assistant.parser import parse_message
from assistant.store import SessionStore, Turn, Version
from generators.base import MelodyGenerator, MelodyResult
from music import dynamics_lib, edit_lib, ending_lib
from music.arrange import POLYPHONIC_PROGRAMS, arrange
from music.gm import GM_PROGRAMS
from music.harmony import progression
from music.score import Score, Track
from music.score_json import dict_to_score, score_to_dict
from music.spec import BARS_RANGE, TEMPO_RANGE, InstrumentSpec, MusicSpec, clamp_spec

# "make the chorus higher" / "副歌高一点": raise only the chorus of a song
_CHORUS_HIGHER = re.compile(r"\bchorus\b.*\b(?:higher|up)\b|副歌.*(?:高|升)", re.IGNORECASE)

log = logging.getLogger(__name__)
MAX_MESSAGE_CHARS = 50_000
PURE_EDITS = frozenset({"tempo_bpm", "tempo_ratio", "transpose", "transpose_requested", "key", "mode", "swap",
                        "add_part", "remove_part", "drums", "volume", "ending", "reverb", "melody_octave",
                         "voice", "simplify", "dynamics", "part_octave"})
VOICE_CENTRE = {"female": 69, "male": 57}  # the middle of a woman's and a man's singing range (A4, A3)
ATTRIBUTES = ("valence", "arousal", "density", "register")  # what a VAE nudge can move
MAX_TRANSPOSE = 24  # semitones; the parser's limit too: beyond two octaves parts leave their ranges
Parser = Callable[[str, MusicSpec | None], ParsedMessage]
EMPTY_FILES = {"midi": None, "audio": None, "musicxml": None, "image": None, "score": None}


@dataclass
class TurnResult:
    """The CLI JSON contract of one turn."""

    reply: str
    intent: str
    version: int | None
    spec: dict | None
    files: dict = field(default_factory=lambda: dict(EMPTY_FILES))
    warnings: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0
    new_version: bool = False  # did this turn make a version (questions and refusals do not)
    attach: bool = False  # show the current version's files although no version was made ("export the MIDI")

    def to_json(self) -> dict:
        return {"reply": self.reply, "intent": self.intent, "version": self.version, "spec": self.spec,
                "files": self.files, "warnings": self.warnings}


@dataclass
class _Outcome:
    """What a turn decided, before it is stored: a reply, maybe a new version, maybe a new current."""

    result: TurnResult
    version: Version | None = None
    current: int | None = None


class ChatEngine:
    """Holds the store, the output folder and the (loaded once) generator."""

    def __init__(self, store: SessionStore, out_root: str | Path, generator: MelodyGenerator | None = None,
                 audio: bool = True, parser: Parser | None = None, sheets: bool = True):
        self.store = store
        self.out_root = Path(out_root)
        self._generator = generator
        self.audio = audio
        self.sheets = sheets  # MusicXML and the piano roll; tests that only read MIDI turn them off
        self.parse: Parser = parser or parse_message
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    @property
    def generator(self) -> MelodyGenerator:
        if self._generator is None:
            self._generator = default_generator()
        return self._generator

    def history(self, session_id: str) -> list[Turn]:
        return self.store.history(session_id)

    def _lock(self, session_id: str) -> threading.Lock:
        """One turn at a time per session (version numbers are per session); sessions run in parallel."""
        with self._locks_guard:
            return self._locks.setdefault(session_id, threading.Lock())

    def turn(self, session_id: str, message: str, seed: int | None = None) -> TurnResult:
        """Parse ``message`` against the current piece and apply it."""
        t0 = time.perf_counter()
        text = message if isinstance(message, str) else ""
        truncated = len(text) > MAX_MESSAGE_CHARS
        text = text[:MAX_MESSAGE_CHARS]
        with self._lock(session_id):
            lang = _guess_lang(text)
            try:
                cur = self.store.current(session_id)
                base = based_on_version(text) if cur is not None else None
                if base is not None and self.store.get(session_id, base) is not None:
                    cur = self.store.get(session_id, base)  # "在第2个基础上加鼓": the edit starts from version 2
                parsed = self.parse(text, MusicSpec.from_dict(cur.spec) if cur else None)
                lang = parsed.lang if parsed.lang in ("en", "zh") else lang
                parsed.lang = lang
                outcome = self._dispatch(session_id, text, parsed, cur, seed)
            except Exception as exc:  # never a traceback in the chat
                log.exception("turn failed")
                outcome = self._error(session_id, lang, exc)
            if truncated:
                outcome.result.warnings.insert(0, "message was longer than 50,000 characters; I used the first "
                                               "50,000" if lang != "zh" else "消息超过50,000个字符，只使用了前50,000个")
            outcome = self._commit(session_id, text, outcome, lang)
        outcome.result.elapsed_s = time.perf_counter() - t0
        return outcome.result

    def apply(self, session_id: str, text: str, parsed: ParsedMessage, seed: int | None = None) -> TurnResult:
        """Apply an already parsed message (for callers that parse themselves, and for tests)."""
        with self._lock(session_id):
            try:
                outcome = self._dispatch(session_id, text, parsed, self.store.current(session_id), seed)
            except Exception as exc:
                log.exception("turn failed")
                outcome = self._error(session_id, parsed.lang, exc)
            return self._commit(session_id, text, outcome, parsed.lang).result

    def _commit(self, sid: str, text: str, outcome: _Outcome, lang: str) -> _Outcome:
        try:
            self.store.commit_turn(sid, text[:2000], outcome.result.reply, outcome.result.intent, outcome.version,
                                   outcome.current)
        except Exception as exc:
            log.exception("storing the turn failed")
            return self._error(sid, lang, exc)
        outcome.result.new_version = outcome.version is not None
        return outcome

    def _error(self, sid: str, lang: str, exc: Exception) -> _Outcome:
        try:
            cur = self.store.current(sid)
        except Exception:
            cur = None
        return _Outcome(TurnResult(replies.message("error", lang, err=type(exc).__name__), "error",
                                   cur.number if cur else None, cur.spec if cur else None,
                                   _files_of(cur) if cur else dict(EMPTY_FILES)))

    # -- dispatch -------------------------------------------------------------------------------------------
    def _dispatch(self, sid: str, text: str, p: ParsedMessage, cur: Version | None, seed: int | None) -> _Outcome:
        lang = p.lang
        if p.intent in ("compose", "lyrics"):
            spec = p.spec if seed is None else p.spec.with_(seed=seed)
            return self._compose(sid, text, p, spec, parent=cur.number if cur else None)
        if p.intent == "help" or p.intent not in _KNOWN_INTENTS:
            reply = replies.HELP[lang]
            if cur is not None:  # mid-conversation: say plainly that nothing happened to the piece
                reply = replies.message("unchanged_current", lang, n=cur.number) + "\n\n" + reply
            if p.notes:
                reply = replies.note_lines(p.notes, lang) + "\n" + reply
            return self._answer(cur, reply, "help", p.notes, lang)
        if p.intent == "chat":
            if p.question == "dislike" and cur is not None:  # "I don't like it": a different take
                new_seed = seed if seed is not None and seed != cur.seed else cur.seed + 1
                p = replace(p, intent="regenerate")
                out = self._compose(sid, text, p, MusicSpec.from_dict(cur.spec).with_(seed=new_seed), cur.number,
                                    mix_from=dict_to_score(cur.score))
                return self._prefix(out, replies.message("dislike", lang, seed=new_seed))
            reply = replies.small_talk(p.question, lang, cur.number if cur else None)
            return self._answer(cur, reply, "chat", p.notes, lang)
        if cur is None:
            return self._answer(None, replies.message("no_piece", lang), p.intent, p.notes, p.lang)
        cur_spec = MusicSpec.from_dict(cur.spec)
        cur_score = dict_to_score(cur.score)
        if p.intent == "question":
            asked = self.store.get(sid, p.target_version) if p.target_version else cur
            if asked is None:
                last = self.store.next_number(sid) - 1
                return self._answer(cur, replies.message("no_version", lang, n=p.target_version, last=last),
                                    "question", p.notes, lang)
            spec_q, score_q = MusicSpec.from_dict(asked.spec), dict_to_score(asked.score)
            topic = p.question or "summary"
            if topic.startswith("why:"):  # "为什么没有鼓？": the reason, and how to change it
                reply = replies.why_answer(topic.split(":", 1)[1], spec_q, score_q, asked.number, lang)
            else:
                reply = replies.answer_question(topic, spec_q, score_q, asked.number, lang,
                                                total=self.store.next_number(sid) - 1, generator=self.generator.name)
            if topic == "files" and re.search(r"mp3|wav|flac|aac|pdf|m4a", text, re.IGNORECASE):
                reply += "\n" + replies.message("file_formats", lang)
            if p.question == "lyrics":
                reply = replies.lyrics_sheet(cur_spec, cur.number, lang)
            if p.question == "compare" and p.blend_versions:
                reply = self._compare(sid, tuple(n or cur.number for n in p.blend_versions), lang)
            if p.question == "version":  # "show me all versions": one line each, with what was asked for it
                lines = []
                for n, _, summary in self.store.list_versions(sid):
                    v = self.store.get(sid, n)
                    asked = " ".join((v.message if v else "").split())
                    asked = asked if len(asked) <= 48 else asked[:45] + "…"
                    lines.append(f"{'→ ' if n == cur.number else '  '}{summary}" + (f" ← “{asked}”" if asked else ""))
                reply += "\n" + "\n".join(lines)
            out = self._answer(cur, reply, "question", p.notes, p.lang)
            out.result.attach = p.question == "files"
            return out
        if p.intent in ("undo", "redo", "revert"):
            return self._move(sid, p, cur)
        if p.intent == "regenerate":
            new_seed = seed if seed is not None and seed != cur.seed else cur.seed + 1
            out = self._compose(sid, text, p, cur_spec.with_(seed=new_seed), parent=cur.number, mix_from=cur_score)
            return self._prefix(out, replies.message("regenerated", lang, seed=new_seed))
        if p.intent == "variation":
            return self._variation(sid, text, p, cur, cur_spec, cur_score, seed)
        if p.intent in ("longer", "shorter"):
            if p.intent == "longer":
                extra = p.changes.get("extra_bars")
                if extra is None and isinstance(p.changes.get("bars"), int):
                    extra = p.changes["bars"] - cur_score.bars
                out = self._longer(sid, text, p, cur, cur_spec, cur_score, extra, seed)
            else:
                out = self._shorter(sid, text, p, cur, cur_spec, cur_score, p.changes.get("bars"))
            rest = sorted(set(p.changes) - {"bars", "extra_bars"})
            if rest and out.version is not None:  # "remove the drums and make it longer": say what is still to do
                out.result.reply += "\n" + replies.message("also_asked", lang, what=replies.field_names(rest, lang))
            return out
        if p.intent == "blend":
            return self._blend(sid, text, p, cur)
        return self._edit(sid, text, p, cur, cur_spec, cur_score, seed)

    # -- replies without a new version ------------------------------------------------------------------------
    def _answer(self, cur: Version | None, reply: str, intent: str, notes: list[str], lang: str = "en") -> _Outcome:
        if notes and intent != "help":
            reply += "\n" + replies.note_lines(notes, lang)
        return _Outcome(TurnResult(reply, intent, cur.number if cur else None, cur.spec if cur else None,
                                   _files_of(cur) if cur else dict(EMPTY_FILES), list(notes)))

    @staticmethod
    def _prefix(out: _Outcome, line: str) -> _Outcome:
        if out.version is not None:
            out.result.reply = line + "\n" + out.result.reply
        return out

    # -- new versions -----------------------------------------------------------------------------------------
    def _compose(self, sid: str, text: str, p: ParsedMessage, spec: MusicSpec, parent: int | None,
                 mix_from: Score | None = None) -> _Outcome:
        spec, notes = clamp_spec(spec)
        lyrics_text = p.lyrics_text if p.intent == "lyrics" else None
        if lyrics_text is None and spec.lyrics and p.intent != "compose":
            # a song stays a song: "try again", "in 3/4", "slower" re-set the same words
            lyrics_text = _sung_words(spec.lyrics)
        if lyrics_text:
            try:
                score, melody, spec, lyric_notes = self._compose_lyrics(spec, lyrics_text, p, text)
                notes = notes + lyric_notes
            except ImportError:  # the lyrics setter is not installed: say so, and still make music
                lyrics_text = None
                notes = notes + ["setting lyrics to music is not available in this build, so this is an "
                                 "instrumental piece in the mood of the words" if p.lang != "zh" else
                                 "当前版本还不能为歌词谱曲，所以这是一首与歌词情绪相符的器乐曲"]
        if not lyrics_text:
            comp = compose_score(spec, self.generator)
            score, melody = comp.score, comp.melody
        if p.changes.get("ending") in ending_lib.ENDINGS:  # "... that fades out at the end"
            score = ending_lib.shape_ending(score, p.changes["ending"])
        if mix_from is not None:  # a recomposed piece keeps the mix the user set ("less drums", "more reverb")
            _carry_mix(mix_from, score)
        return self._new_version(sid, text, p, spec, score, spec.seed, melody.latent, parent, melody.generator,
                                 notes=notes)

    def _compose_lyrics(self, spec: MusicSpec, lyrics_text: str, p: ParsedMessage | None = None,
                        text: str = "", chorus_shift: int = 4) -> tuple[Score, MelodyResult, MusicSpec, list[str]]:
        from lyrics.detect import wants_melisma
        from lyrics.setting import set_lyrics

        shift = {"chorus": chorus_shift} if _CHORUS_HIGHER.search(text or "") else None
        melisma = wants_melisma(text) if p is not None and p.intent == "lyrics" else False
        setting = set_lyrics(lyrics_text, spec, self.generator, spec.seed, section_shift=shift, melisma=melisma)
        spec = spec.with_(bars=setting.bars, lyrics=setting.lines)
        if not any(i.role == "melody" for i in spec.instruments) or spec.instruments[0].program not in (52, 53, 54):
            voice = InstrumentSpec.gm(53, "melody", "Voice Oohs")
            rest: list[InstrumentSpec] = []
            for i in spec.instruments:  # the old lead accompanies the voice: chords on keys, a counter line on a flute
                if i.role == "melody":
                    i = InstrumentSpec(i.name, i.program, "chords" if i.program in POLYPHONIC_PROGRAMS else "counter")
                if not any((r.program, r.role, r.is_drum) == (i.program, i.role, i.is_drum) for r in rest):
                    rest.append(i)
            spec = spec.with_(instruments=[voice] + rest)
        score = arrange(spec, setting.chords, setting.notes, spec.seed)
        if getattr(setting, "sections", None):
            score.sections = list(setting.sections)
        return score, MelodyResult(setting.notes, None, self.generator.name), spec, list(setting.notes_for_user)

    def _new_version(self, sid: str, text: str, p: ParsedMessage, spec: MusicSpec, score: Score, seed: int,
                     latent: list[float] | None, parent: int | None, generator: str | None = None,
                     changed: list[str] | None = None, notes: list[str] | None = None,
                     lead: str | None = None) -> _Outcome:
        """Export the files and build the version; ``_commit`` stores it."""
        number = self.store.next_number(sid)
        spec = _spec_of_score(spec.with_(seed=seed), score)
        stored = score_to_dict(score)
        score = dict_to_score(stored)  # the files come from exactly what is stored, so later edits match them
        # a fresh folder per attempt: a turn that fails (or races another process) never overwrites stored files
        folder = self.out_root / _safe_dirname(sid) / f"v{number}-{uuid.uuid4().hex[:8]}"
        files = export_score(score, folder, stem=f"tunesmith_v{number}",
                             audio=self.audio, musicxml=self.sheets, image=self.sheets)
        gen_name = generator or self.generator.name
        summary = replies.describe_piece(number, spec, score, gen_name, p.lang)
        warnings = list(dict.fromkeys(list(p.notes) + list(notes or []) + files.warnings))
        lines = [x for x in (lead, replies.changed_line(changed or [], p.lang), summary, _lyrics_paragraph(spec, p.lang))
                 if x]
        if warnings:
            lines.append(replies.note_lines(warnings, p.lang))
        spec_dict = spec.to_dict()
        version = Version(number, parent, p.intent, text[:2000], spec_dict, seed, stored, latent,
                          files.to_dict(), summary.split("\n")[0])
        result = TurnResult("\n".join(lines), p.intent, number, spec_dict, files.to_dict(), warnings)
        return _Outcome(result, version)

    def _find_version(self, sid: str, cur: Version, words: str) -> int | None:
        """The latest other version that fits a description ("the relaxing one", "the one with the harmonica")."""
        from assistant.parser import extract_attributes, normalise

        words = re.sub(r"\b(jazz|blues|funk|folk|rock|pop|soul|punk)(?:p?y|ier|iest)\b", r"\1", words)  # "the jazzy one"
        a = extract_attributes(normalise(words), use_embeddings=False)
        best, best_score = None, 0
        for number, *_ in self.store.list_versions(sid):
            v = self.store.get(sid, number)
            if v is None or number == cur.number:
                continue
            spec = MusicSpec.from_dict(v.spec)
            score = 2 * sum(s.style == spec.style for s in a.styles)
            score += 2 * sum(any(i.program == n.program for i in spec.instruments) for n in a.instruments.named)
            if a.mood is not None and (a.mood.mood == spec.mood or (a.mood.valence > 0) == (spec.valence > 0)
                                       and (a.mood.arousal > 0) == (spec.arousal > 0)):
                score += 1
            if a.drums is not None or a.instruments.drum_mentioned:
                score += 2 if spec.drums == (a.drums is not False) else 0
            if score >= best_score and score > 0:
                best, best_score = number, score
        return best

    def _root(self, sid: str, v: Version) -> Version:
        """The first version of the piece ``v`` grew from (a new piece mid-conversation starts its own line)."""
        seen = set()
        while v.parent is not None and v.parent not in seen:
            seen.add(v.number)
            parent = self.store.get(sid, v.parent)
            if parent is None or parent.intent in ("compose", "lyrics") and v.intent in ("compose", "lyrics"):
                break
            v = parent
        return v

    def _compare(self, sid: str, pair: tuple[int, int], lang: str) -> str:
        """"What's the difference between version 1 and 2?": what each is, and what differs."""
        found = [self.store.get(sid, n) for n in pair]
        missing = [n for n, v in zip(pair, found, strict=True) if v is None]
        if missing:
            return replies.message("no_version", lang, n=missing[0], last=self.store.next_number(sid) - 1)
        a, b = (MusicSpec.from_dict(v.spec) for v in found)
        return replies.compare_versions(pair, (a, b), tuple(dict_to_score(v.score) for v in found), lang)

    def _move(self, sid: str, p: ParsedMessage, cur: Version) -> _Outcome:
        lang = p.lang
        jumped_from, redo_to = undo_redo_targets(self.store.turns(sid))
        if p.intent == "undo":
            target = jumped_from or (cur.parent if cur.parent is not None else cur.number - 1)
            for _ in range(int(p.changes.get("steps", 1)) - 1):  # "undo twice": follow the parents back
                v = self.store.get(sid, target) if target >= 1 else None
                if v is None or v.parent is None:
                    break
                target = v.parent
            if target < 1:
                return self._answer(cur, replies.message("undo_first", lang), "undo", p.notes, p.lang)
        elif p.intent == "redo":
            if redo_to is None:
                return self._answer(cur, replies.message("nothing_to_redo", lang, n=cur.number), "redo", p.notes,
                                    p.lang)
            target = redo_to
        else:
            target = p.target_version
            if target is None and (p.question or "").startswith("find:"):
                target = self._find_version(sid, cur, p.question.split(":", 1)[1])
                if target is None:
                    return self._answer(cur, replies.message("no_match", lang, words=p.question.split(":", 1)[1]),
                                        "revert", p.notes, p.lang)
            if target is None:
                return self._answer(cur, replies.message("no_target", lang), "revert", p.notes, p.lang)
        if target == cur.number:
            return self._answer(cur, replies.message("already_current", lang, n=target), p.intent, p.notes, p.lang)
        v = self.store.get(sid, target)
        if v is None:
            last = self.store.next_number(sid) - 1
            return self._answer(cur, replies.message("no_version", lang, n=target, last=last), p.intent, p.notes, p.lang)
        summary = replies.describe_piece(target, MusicSpec.from_dict(v.spec), dict_to_score(v.score), "", lang)
        reply = replies.message("reverted", lang, n=target) + "\n" + summary.split("\n")[0]
        return _Outcome(TurnResult(reply, p.intent, target, v.spec, _files_of(v), list(p.notes)), current=target)

    def _variation(self, sid: str, text: str, p: ParsedMessage, cur: Version, spec: MusicSpec, score: Score,
                   seed: int | None) -> _Outcome:
        if spec.lyrics:  # a song's variation is a new tune for the same words, one note per syllable
            new_seed = seed if seed is not None and seed != cur.seed else cur.seed + 1000 + self.store.next_number(sid)
            words = _sung_words(spec.lyrics) or ""
            new_score, melody, new_spec, notes = self._compose_lyrics(spec.with_(seed=new_seed), words, p, text)
            if new_score.bars < score.bars:  # the song was made longer before: the variation keeps its length
                new_spec, new_score = self._extended(new_spec, new_score, score.bars - new_score.bars, new_seed,
                                                     new_seed + 7)
            return self._new_version(sid, text, p, new_spec, new_score, new_seed, melody.latent, cur.number,
                                     melody.generator, notes=notes, lead=replies.message("variation_song", p.lang))
        mel = score.track("melody")
        old = list(mel.notes) if mel else []
        prev = MelodyResult(old, cur.latent, self.generator.name)
        amount = float(p.changes.get("amount", 0.3))
        base_seed = seed if seed is not None else cur.seed + 1000 + self.store.next_number(sid)
        res = prev
        for k in range(4):  # "similar but not identical": a variation equal to the original is retried
            res = self.generator.variation(spec, score.chords, prev, min(1.0, amount + 0.1 * k), base_seed + k)
            if [(n.pitch, n.start) for n in res.notes] != [(n.pitch, n.start) for n in old]:
                break
        new_score = _rearranged(score, spec, res.notes, cur.seed, as_played=res.latent is None)
        lead = (replies.message("variation_latent", p.lang) if res.latent is not None and cur.latent is not None
                else replies.message("variation_rules", p.lang, gen=res.generator or self.generator.name))
        return self._new_version(sid, text, p, spec, new_score, cur.seed, res.latent, cur.number, res.generator,
                                 lead=lead)

    def _longer(self, sid: str, text: str, p: ParsedMessage, cur: Version, spec: MusicSpec, score: Score,
                extra: int | None, seed: int | None) -> _Outcome:
        room = BARS_RANGE[1] - score.bars
        if room <= 0:
            return self._answer(cur, replies.message("too_long", p.lang, bars=score.bars), "longer", p.notes, p.lang)
        extra = max(1, min(int(extra) if extra else max(4, score.bars // 2), room))
        longer, new_score = self._extended(spec, score, extra, cur.seed, seed if seed is not None else cur.seed + 7)
        lead = replies.message("longer_done", p.lang, extra=extra, old=score.bars,
                                gen=replies.generator_name(self.generator.name, p.lang))
        if spec.lyrics:
            lead += " " + replies.message("longer_song", p.lang)
        return self._new_version(sid, text, p, longer, new_score, cur.seed, cur.latent, cur.number, lead=lead)

    def _extended(self, spec: MusicSpec, score: Score, extra: int, seed: int, melody_seed: int
                  ) -> tuple[MusicSpec, Score]:
        """``score`` with ``extra`` bars more: the melody continues, every existing bar stays as it was."""
        longer = spec.with_(bars=score.bars + extra)
        chords = score.chords + [c for c in progression(longer, seed) if c.start >= score.total_beats]
        mel = score.track("melody")
        old = list(mel.notes) if mel else []
        more = self.generator.continue_melody(longer, chords, old, extra, melody_seed)
        new_score = arrange(longer, chords, old + more, seed)
        # pair old and new tracks by role in order (a piece may hold two pads or two chord parts)
        unused = list(new_score.tracks)
        kept = []
        for t_old in score.tracks:
            t_new = _role_partner(unused, t_old)
            if t_new is None:
                t_new = replace(t_old, notes=[])  # nothing new for this part: it keeps its bars and rests after
            t_new.notes = list(t_old.notes) + [n for n in t_new.notes if n.start >= score.total_beats]
            t_new.program, t_new.name = t_old.program, t_old.name
            t_new.volume, t_new.reverb = t_old.volume, t_old.reverb  # "make it longer" keeps the mix you set
            kept.append(t_new)
        new_score.tracks = kept
        new_score.tempo_bpm = score.tempo_bpm
        if spec.lyrics:  # a song has no more words: the new bars are an instrumental, the voice rests
            _instrumental_tail(new_score, score.total_beats)
        return longer, new_score

    def _shorter(self, sid: str, text: str, p: ParsedMessage, cur: Version, spec: MusicSpec, score: Score,
                 bars: int | None) -> _Outcome:
        if score.bars <= 1:
            return self._answer(cur, replies.message("too_short", p.lang, bars=score.bars), "shorter", p.notes, p.lang)
        if isinstance(bars, int) and 1 <= bars < score.bars:
            target = bars  # an explicit length is honoured as asked
        else:
            target = edit_lib.phrase_end_bar(score.bars, max(1, score.bars // 2))
        new_score = edit_lib.trim_bars(score, target)
        silent = [t for t in new_score.tracks if not t.notes]
        new_score.tracks = [t for t in new_score.tracks if t.notes]  # a part that only played in the cut bars goes
        lead = replies.message("shorter_done", p.lang, bars=target)
        if silent:
            lead += " " + replies.message("parts_cut", p.lang, names=replies.join_names(
                [replies.instrument_name(t, p.lang) for t in silent], p.lang))
        return self._new_version(sid, text, p, spec.with_(bars=target), new_score, cur.seed, cur.latent, cur.number,
                                 lead=lead)

    def _blend(self, sid: str, text: str, p: ParsedMessage, cur: Version) -> _Outcome:
        lang = p.lang
        if not p.blend_versions:
            return self._answer(cur, replies.message("blend_needs_two", lang), "blend", p.notes, p.lang)
        a, b = p.blend_versions
        if a == b:
            return self._answer(cur, replies.message("blend_same", lang, n=a), "blend", p.notes, p.lang)
        va, vb = self.store.get(sid, a), self.store.get(sid, b)
        if va is None or vb is None:
            last = self.store.next_number(sid) - 1
            return self._answer(cur, replies.message("no_version", lang, n=a if va is None else b, last=last),
                                "blend", p.notes, p.lang)
        interpolate = getattr(self.generator, "interpolate", None)
        if interpolate is None:
            why = replies.message("why_no_vae", lang)
        elif va.latent is None or vb.latent is None:
            why = replies.message("why_no_latent", lang, n=a if va.latent is None else b, gen=self.generator.name)
        else:
            spec = MusicSpec.from_dict(va.spec)
            score_a = dict_to_score(va.score)
            a_mel, b_mel = _melody_of(va), _melody_of(vb)
            res = interpolate(spec, score_a.chords, a_mel, b_mel, 0.5, cur.seed)
            new_score = _rearranged(score_a, spec, res.notes, va.seed)
            return self._new_version(sid, text, p, spec, new_score, va.seed, res.latent, cur.number, res.generator,
                                     lead=replies.message("blended", lang, a=a, b=b))
        return self._answer(cur, replies.message("blend_unavailable", lang, why=why), "blend", p.notes, p.lang)

    def _nudge(self, sid: str, text: str, p: ParsedMessage, cur: Version, cur_spec: MusicSpec, score: Score,
               deltas: dict[str, float], seed: int | None) -> _Outcome:
        """"Happier", "more energetic", "higher": move the latent along attribute directions when a VAE made
        the piece; otherwise say so and compose again with the adjusted settings and the same seed."""
        lang = p.lang
        spec = p.spec
        for attr, d in deltas.items():
            if getattr(spec, attr) == getattr(cur_spec, attr):
                lo = -1.0 if attr in ("valence", "arousal") else 0.0
                spec = spec.with_(**{attr: min(1.0, max(lo, getattr(cur_spec, attr) + d))})
        what = replies.nudge_words(deltas, lang)
        sung = cur_spec.lyrics or re.search(r"唱|嗓|够不着|\bsing|\bvocal|\bvoice|\bsinger", text, re.IGNORECASE)
        if set(deltas) == {"register"} and sung:  # "sing it higher", "小朋友唱不上去": a singer means the key, a step
            semis = 2 if deltas["register"] > 0 else -2
            if edit_lib.fits_midi_range(score, semis):
                new_score = edit_lib.transpose(score, semis)
                bits = [replies.change_text("transpose", lang, semis=semis,
                                            key=replies.key_phrase(new_score.key, new_score.mode, lang))]
                return self._new_version(sid, text, p, spec.with_(register=cur_spec.register, key=new_score.key),
                                         new_score, cur.seed, cur.latent, cur.number, changed=bits)
        nudge = getattr(self.generator, "nudge", None)
        if nudge is not None and cur.latent is not None:
            mel = score.track("melody")
            res = MelodyResult(list(mel.notes) if mel else [], cur.latent, self.generator.name)
            for attr, amount in deltas.items():  # one move per attribute ("happier and higher")
                res = nudge(spec.with_(mode=cur_spec.mode), score.chords, res, attr, amount,
                            seed if seed is not None else cur.seed)
            new_score = _rearranged(score, spec.with_(mode=cur_spec.mode, key=cur_spec.key), res.notes, cur.seed)
            bits = []
            if spec.mode != cur_spec.mode:  # "sadder": the nudged tune and its chords move to minor
                new_score = edit_lib.change_mode(new_score, spec.mode)
                spec = spec.with_(key=new_score.key)
                bits.append(replies.change_text("mode", lang, old=replies.mode_name(cur_spec.mode, lang),
                                                new=replies.mode_name(spec.mode, lang)))
            return self._new_version(sid, text, p, spec, new_score, cur.seed, res.latent, cur.number, res.generator,
                                     lead=replies.message("nudge_latent", lang, what=what), changed=bits or None)
        if set(deltas) == {"register"}:  # "higher"/"lower" without a VAE: the same melody an octave away
            octaves = 1 if deltas["register"] > 0 else -1
            if edit_lib.role_fits_range(score, "melody", 12 * octaves):
                new_score = edit_lib.shift_role(score, "melody", 12 * octaves)
                bits = [replies.change_text("register", lang, octaves=octaves)]
                return self._new_version(sid, text, p, spec, new_score, cur.seed, cur.latent, cur.number,
                                         changed=bits)
        out = self._compose(sid, text, p, spec.with_(seed=cur.seed), parent=cur.number, mix_from=score)
        return self._prefix(out, replies.message("nudge_rules", lang, what=what))

    # -- edits that keep what was not asked to change ---------------------------------------------------------
    def _edit(self, sid: str, text: str, p: ParsedMessage, cur: Version, cur_spec: MusicSpec, score: Score,
              seed: int | None) -> _Outcome:
        lang = p.lang
        if cur_spec.lyrics and _CHORUS_HIGHER.search(text) and any(sec.name == "chorus" for sec in score.sections):
            # "副歌再高一点": the same words and seed, set again with the chorus lifted further above the verses
            words = _sung_words(cur_spec.lyrics) or ""
            new_score, melody, new_spec, notes = self._compose_lyrics(cur_spec.with_(seed=cur.seed), words, p, text,
                                                                      chorus_shift=7)
            return self._new_version(sid, text, p, new_spec, new_score, cur.seed, melody.latent, cur.number,
                                     melody.generator, notes=notes, lead=replies.message("chorus_higher", lang))
        changes = dict(p.changes or {})
        restore = changes.pop("restore", None)
        if restore:  # "恢复原来的速度": the value the first version of this piece had
            root = self._root(sid, cur)
            first = MusicSpec.from_dict(root.spec)
            if "tempo" in restore:
                changes["tempo_bpm"] = first.tempo_bpm
                p = replace(p, spec=p.spec.with_(tempo_bpm=first.tempo_bpm))
            if "key" in restore:
                changes["key"] = first.key
                if first.mode != cur_spec.mode:
                    changes["mode"] = first.mode
                p = replace(p, spec=p.spec.with_(key=first.key, mode=first.mode))
        nudges = {k: float(v) for k, v in (changes.pop("nudge", None) or {}).items()
                  if k in ATTRIBUTES and isinstance(v, int | float)}
        if "bars" in changes and set(changes) == {"bars"} and isinstance(changes["bars"], int):
            if changes["bars"] > score.bars:
                return self._longer(sid, text, p, cur, cur_spec, score, changes["bars"] - score.bars, seed)
            if changes["bars"] < score.bars:
                return self._shorter(sid, text, p, cur, cur_spec, score, changes["bars"])
            return self._answer(cur, replies.message("nothing_changed", lang, n=cur.number), "edit", p.notes, p.lang)
        if nudges and set(changes) <= {"mode"}:  # "sadder" nudges the tune and moves a major piece to minor
            return self._nudge(sid, text, p, cur, cur_spec, score, nudges, seed)
        structural = sorted(set(changes) - PURE_EDITS)
        if nudges:  # "add strings and make it sadder": composed again with every change, none dropped
            structural.append("nudge")
        if structural or (not changes and _spec_differs(p.spec, cur_spec)):
            keep_seed = p.spec.seed if "seed" in changes else cur.seed
            out = self._compose(sid, text, p, p.spec.with_(seed=keep_seed), parent=cur.number, mix_from=score)
            return self._prefix(out, replies.message("structural", lang, what=replies.field_names(structural, lang)
                                                                 or replies.field_names(["style"], lang)))
        if not changes:
            return self._answer(cur, replies.message("nothing_changed", lang, n=cur.number), "edit", p.notes, p.lang)
        return self._pure_edit(sid, text, p, cur, cur_spec, score, changes)

    def _pure_edit(self, sid: str, text: str, p: ParsedMessage, cur: Version, spec: MusicSpec, score: Score,
                   changes: dict) -> _Outcome:
        lang = p.lang
        bits: list[str] = []
        notes: list[str] = []
        refusals: list[str] = []
        new = score.copy()
        # tempo: the same notes (in beats) at the new tempo
        tempo = _new_tempo(changes, p.spec, spec)
        if tempo is not None:
            clamped = min(max(tempo, TEMPO_RANGE[0]), TEMPO_RANGE[1])
            if clamped != tempo and not any(f"{tempo:g}" in n for n in p.notes):  # the parser may have said it
                notes.append(f"tempo {tempo:g} bpm is outside {TEMPO_RANGE[0]:g}-{TEMPO_RANGE[1]:g} bpm; using "
                             f"{clamped:g} bpm" if lang != "zh" else
                             f"每分钟{tempo:g}拍超出{TEMPO_RANGE[0]:g}-{TEMPO_RANGE[1]:g}的范围，改用{clamped:g}拍")
            clamped = round(clamped, 2)
            if clamped != score.tempo_bpm:
                bits.append(replies.change_text("tempo", lang, old=score.tempo_bpm, new=clamped))
                new = edit_lib.with_tempo(new, clamped)
                spec = spec.with_(tempo_bpm=clamped)
        # transposition: every pitch shifts by the interval (an explicit key is reached by the nearest way)
        semis = changes.get("transpose")
        asked = changes.get("transpose_requested")  # the unclamped amount, when the parser clamped it
        if isinstance(asked, int | float) and isinstance(semis, int | float) and asked != semis:
            semis = asked
        if not isinstance(semis, int | float) and isinstance(changes.get("key"), str):
            try:
                semis = edit_lib.nearest_shift(score.key, changes["key"])
            except (KeyError, ValueError):
                semis = None
        if isinstance(semis, int | float) and int(semis) != 0:
            semis = int(semis)
            if abs(semis) <= MAX_TRANSPOSE and edit_lib.fits_midi_range(new, semis):
                new = edit_lib.transpose(new, semis)
                spec = spec.with_(key=new.key)
                bits.append(replies.change_text("transpose", lang, semis=semis,
                                                key=replies.key_phrase(new.key, new.mode, lang)))
            elif abs(semis) > MAX_TRANSPOSE:  # the parser's note already says why (two octaves at most)
                refusals.append(replies.message("unchanged_current", lang, n=cur.number))
            else:
                refusals.append(replies.message("transpose_impossible", lang, semis=semis, n=cur.number))
        # mode: remap scale degrees on the same tonic, the contour is kept
        mode = changes.get("mode")
        if isinstance(mode, str) and mode != new.mode:
            try:
                old_mode = new.mode
                new = edit_lib.change_mode(new, mode)
                spec = spec.with_(mode=mode, key=new.key, mood=p.spec.mood, valence=p.spec.valence)  # label follows
                bits.append(replies.change_text("mode", lang, old=replies.mode_name(old_mode, lang),
                                                new=replies.mode_name(mode, lang)))
            except KeyError:
                notes.append(f"I don't know the mode '{mode}', so the mode is unchanged" if lang != "zh"
                             else f"不认识调式“{mode}”，调式保持不变")
        new, spec = self._part_edits(new, spec, changes, cur.seed, lang, bits, notes, p.spec)
        first = changes.get("volume")
        moves = [first, *_as_list(first.get("also"))] if isinstance(first, dict) else []
        for vol in moves:  # "the bass softer and the cello louder": one move per clause
            if not (isinstance(vol, dict) and isinstance(vol.get("db"), int | float) and vol.get("part")):
                continue
            program = vol.get("program") if isinstance(vol.get("program"), int) else None
            new, names = edit_lib.change_volume(new, str(vol["part"]), float(vol["db"]), program)
            if lang == "zh":  # 指弹电贝斯, not "Electric Bass (finger)"
                names = [next((replies.instrument_name(t, lang) for t in new.tracks if t.name == nm), nm) for nm in names]
            if names:
                db = float(vol["db"])
                bits.append(replies.change_text("louder" if db > 0 else "quieter", lang, db=abs(db),
                                                names=replies.join_names(names, lang)))
            else:
                notes.append(replies.message("part_missing", lang, role=edit_lib.canonical_part(str(vol["part"]))))
        simpler = changes.get("simplify")
        if isinstance(simpler, str):  # "make the drums less busy": that part thinned, the melody untouched
            new, names = dynamics_lib.simplify_part(new, lambda t, what=simpler: edit_lib.track_matches(t, what))
            if names:
                shown = [replies.instrument_name(t, lang) for t in new.tracks if t.name in names]
                bits.append(replies.change_text("simplified", lang, names=replies.join_names(shown, lang)))
            else:
                notes.append(replies.message("part_missing", lang, role=edit_lib.canonical_part(simpler)))
        dynamics = changes.get("dynamics")
        if dynamics in ("softer", "harder", "crescendo"):
            new = (dynamics_lib.crescendo(new) if dynamics == "crescendo" else
                   dynamics_lib.scale_dynamics(new, 0.8 if dynamics == "softer" else 1.2))
            bits.append(replies.change_text("dynamics_" + dynamics, lang))
        voice = changes.get("voice")
        mel = new.track("melody")
        if voice in VOICE_CENTRE and mel is not None and mel.notes:
            mean = sum(n.pitch for n in mel.notes) / len(mel.notes)
            shift = 12 * round((VOICE_CENTRE[voice] - mean) / 12)
            if shift and edit_lib.role_fits_range(new, "melody", shift):
                new = edit_lib.shift_role(new, "melody", shift)
                bits.append(replies.change_text("voice_" + voice, lang, octaves=shift // 12))
            elif not shift:
                notes.append(replies.message("voice_already", lang, voice=replies.voice_name(voice, lang)))
        moved = changes.get("part_octave")
        if isinstance(moved, dict) and moved.get("part") and isinstance(moved.get("octaves"), int):
            new = self._part_octave(new, moved, lang, bits, refusals, cur.number)
        octaves = changes.get("melody_octave")
        if isinstance(octaves, int) and octaves:
            if edit_lib.role_fits_range(new, "melody", 12 * octaves):
                new = edit_lib.shift_role(new, "melody", 12 * octaves)
                bits.append(replies.change_text("register", lang, octaves=octaves))
            else:
                lead = new.track("melody")
                name = replies.instrument_name(lead, lang) if lead is not None else "melody"
                refusals.append(replies.message("octave_out_of_range", lang, octaves=octaves, name=name, n=cur.number))
        if isinstance(changes.get("reverb"), int) and changes["reverb"]:
            before = max((t.reverb for t in new.tracks), default=0)
            new = edit_lib.change_reverb(new, changes["reverb"])
            after = max((t.reverb for t in new.tracks), default=0)
            if after != before:
                bits.append(replies.change_text("reverb_more" if after > before else "reverb_less", lang))
            else:
                notes.append(replies.message("reverb_limit", lang))
        if changes.get("ending") in ending_lib.ENDINGS:
            how = changes["ending"]
            new = ending_lib.shape_ending(new, how)
            drums = any(t.is_drum for t in new.tracks)
            bars = round((new.total_beats - ending_lib.ending_start(new)) / new.beats_per_bar)
            fill = replies.change_text(f"ending_{how}_drums", lang) if drums else ""
            bits.append(replies.change_text(f"ending_{how}", lang, bars=bars, fill=fill))
        if not bits:
            reply = "\n".join(refusals) if refusals else replies.message("nothing_changed", lang, n=cur.number)
            return self._answer(cur, reply, "edit", list(p.notes) + notes, lang)
        new.key, new.mode = spec.key, spec.mode
        return self._new_version(sid, text, p, spec, new, cur.seed, cur.latent, cur.number,
                                 changed=bits, notes=notes + refusals)

    @staticmethod
    def _part_octave(score: Score, moved: dict, lang: str, bits: list[str], refusals: list[str], number: int) -> Score:
        """"Make the bass an octave lower": only that part moves, when its instrument can play it there."""
        program = moved.get("program") if isinstance(moved.get("program"), int) else None
        semis = 12 * int(moved["octaves"])
        hit = [t for t in score.tracks if not t.is_drum and (t.program == program if program is not None
                                                              else edit_lib.track_matches(t, str(moved["part"])))]
        if not hit:
            return score
        playable = all(edit_lib.part_range(t.program, t.role)[0] <= n.pitch + semis <= edit_lib.part_range(
            t.program, t.role)[1] for t in hit for n in t.notes)
        name = replies.join_names([replies.instrument_name(t, lang) for t in hit], lang)
        if not playable:
            refusals.append(replies.message("part_octave_out_of_range", lang, octaves=int(moved["octaves"]), name=name,
                                            n=number))
            return score
        out = score.copy()
        ids = {id(t) for t in hit}
        for orig, t in zip(score.tracks, out.tracks, strict=True):
            if id(orig) in ids:
                t.notes = [replace(x, pitch=x.pitch + semis) for x in t.notes]
        bits.append(replies.change_text("part_octave", lang, names=name, octaves=int(moved["octaves"])))
        return out

    def _part_edits(self, score: Score, spec: MusicSpec, changes: dict, seed: int, lang: str, bits: list[str],
                    notes: list[str], wanted: MusicSpec) -> tuple[Score, MusicSpec]:
        """Instrument swaps, removed parts and added parts; every other track stays as it was."""
        for sw in _as_list(changes.get("swap")):
            if not isinstance(sw, dict) or not isinstance(sw.get("program"), int) or not 0 <= sw["program"] < 128:
                continue
            what = str(sw.get("from") or sw.get("role") or "melody")
            name = str(sw.get("name") or GM_PROGRAMS[sw["program"]])
            if not any(edit_lib.track_matches(t, what) and not t.is_drum for t in score.tracks):
                what = "melody"
            hit = [t for t in score.tracks if edit_lib.track_matches(t, what) and not t.is_drum]
            shown = edit_lib.canonical_part(what)
            if shown not in edit_lib.ROLES and hit:  # "the piano", not "acoustic grand piano now on Flute"
                shown = replies.instrument_name(hit[0], lang)
            score = edit_lib.swap_matching(score, what, sw["program"], name)
            spec = spec.with_(instruments=[InstrumentSpec(name, sw["program"], i.role, i.is_drum)
                                           if edit_lib.instrument_matches(i, what) and not i.is_drum else i
                                           for i in spec.instruments])
            bits.append(replies.change_text("swap", lang, role=shown, name=name, program=sw["program"]))
        removals = _as_list(changes.get("remove_part"))
        additions = _as_list(changes.get("add_part"))
        if changes.get("drums") is True:
            additions.append("drums")
        elif changes.get("drums") is False:
            removals.append("drums")
        removed: list[str] = []
        for what in removals:
            what = str(what)
            kept = edit_lib.remove_matching(score, what)
            if len(kept.tracks) == len(score.tracks):
                notes.append(replies.message("part_missing", lang, role=edit_lib.canonical_part(what)))
                continue
            if not kept.tracks:
                continue
            gone = [t for t in score.tracks if edit_lib.track_matches(t, what)]
            score = kept
            is_drums = edit_lib.canonical_part(what) == "drums"
            spec = spec.with_(drums=False if is_drums else spec.drums,
                              instruments=[i for i in spec.instruments if not edit_lib.instrument_matches(i, what)])
            label = edit_lib.canonical_part(what)
            removed.append(label if label in edit_lib.ROLES or not gone else replies.instrument_name(gone[0], lang))
        if removed:
            names = replies.join_names([replies.ROLE_ZH.get(r, r) if lang == "zh" else r for r in removed], lang)
            bits.append(replies.change_text("remove_part", lang, role=names))
        for what in additions:
            part = edit_lib.part_to_add(what)
            chosen = next((i for i in wanted.instruments if isinstance(what, str) and not i.is_drum
                           and i.role == edit_lib.canonical_part(what) and i not in spec.instruments), None)
            if part is not None and chosen is not None:  # the parser picked the instrument ("add a violin")
                part = (part[0], chosen.program, chosen.name)
            if part is None:
                notes.append(f"I don't know how to add '{what}'" if lang != "zh" else f"不知道怎样加入“{what}”")
                continue
            role, program, name = part
            if role == "drums" and any(t.is_drum for t in score.tracks):
                notes.append(replies.message("part_present", lang, role="drums"))
                continue
            if role != "drums" and any(t.role == role and t.program == program for t in score.tracks):
                notes.append(replies.message("part_present", lang, role=role))
                continue
            inst = InstrumentSpec.drums() if role == "drums" else InstrumentSpec(name, program, role)
            spec = spec.with_(drums=True) if role == "drums" else spec.with_(instruments=[*spec.instruments, inst])
            mel = score.track("melody")
            full = arrange(spec.with_(bars=score.bars), score.chords, list(mel.notes) if mel else [], seed)
            added = [t for t in full.tracks if (t.is_drum if role == "drums" else
                                                t.role == role and t.program == program)]
            for t in added[-1:]:
                score = edit_lib.add_track(score, t)
                bits.append(replies.change_text("add_part", lang, role=role, name=t.name,
                                                program=None if t.is_drum else t.program))
        return score, spec


_KNOWN_INTENTS = frozenset({"compose", "lyrics", "help", "question", "chat", "redo", "undo", "revert", "regenerate", "variation",
                            "longer", "shorter", "blend", "edit"})


def undo_redo_targets(turns: list[tuple[str, str, str, int | None]]) -> tuple[int | None, int | None]:
    """From the turn log: where an undo should go when the last move was a jump ("go back to version 2"
    then "undo" returns to where you were), and where a redo goes (the version the last undos left)."""
    redo: list[int] = []
    prev: int | None = None
    jumped_from: int | None = None
    for _, _, intent, version in turns:
        if version is None or version == prev:
            continue
        if intent == "undo" and prev is not None:
            redo.append(prev)
        elif intent == "redo" and redo:
            redo.pop()
        else:
            redo.clear()
        jumped_from = prev if intent == "revert" else None
        prev = version
    return jumped_from, (redo[-1] if redo else None)


def _carry_mix(old: Score, new: Score) -> None:
    """Volume and reverb of each part carried to the part with the same role in a recomposed score."""
    unused = list(old.tracks)
    for t in new.tracks:
        match = _role_partner(unused, t)
        if match is not None:
            t.volume, t.reverb = match.volume, match.reverb


def _role_partner(unused: list[Track], track: Track) -> Track | None:
    """Take the first track in ``unused`` with ``track``'s role: parts pair up by role, in order."""
    match = next((t for t in unused if t.role == track.role and t.is_drum == track.is_drum), None)
    if match is not None:
        unused.remove(match)
    return match


def _instrumental_tail(score: Score, start: float) -> None:
    """Move the melody's notes from ``start`` on to an instrument: the counter line, else a solo part."""
    voice = score.track("melody")
    if voice is None:
        return
    tail = [replace(n, lyric=None) for n in voice.notes if n.start >= start - 1e-6]
    voice.notes = [n for n in voice.notes if n.start < start - 1e-6]
    solo = score.track("counter")
    if solo is None:
        keys = next((t for t in score.tracks if t.role == "chords" and not t.is_drum), None)
        program = keys.program if keys is not None else 73
        solo = Track(f"{GM_PROGRAMS[program]} (solo)", program, "counter", volume=voice.volume)
        score.tracks.insert(1, solo)
    solo.notes = [n for n in solo.notes if n.start < start - 1e-6] + tail


def _sung_words(lines) -> str | None:
    """A song's words as a lyric sheet again, with its section markers (lyrics/ is imported lazily)."""
    from lyrics.setting import lyrics_text_of

    return lyrics_text_of(lines)


def _files_of(v: Version) -> dict:
    return {k: v.files.get(k) for k in ("midi", "audio", "musicxml", "image", "score")}


def _rearranged(score: Score, spec: MusicSpec, melody: list, seed: int, as_played: bool = False) -> Score:
    """A new melody in the current arrangement: the other parts are rebuilt around it, programs kept.

    ``as_played``: the melody was derived from the stored (already humanised) one, so it goes in
    as it is instead of being humanised a second time.
    """
    new = arrange(spec.with_(bars=score.bars), score.chords, melody, seed)
    unused = list(score.tracks)
    for t in new.tracks:
        same_role = [o for o in unused if o.role == t.role and o.is_drum == t.is_drum]
        old = next((o for o in same_role if o.program == t.program), same_role[0] if same_role else None)
        if old is not None:
            unused.remove(old)  # two parts with one role (guitar and piano chords) each keep their own
        if t.role == "melody" and as_played:
            t.notes = list(melody)
        if old is not None:
            t.program, t.name, t.volume, t.reverb = old.program, old.name, old.volume, old.reverb
            if t.is_drum or t.role in ("chords", "accompaniment", "bass", "pad"):
                t.notes = list(old.notes)  # parts that do not follow the melody stay note for note
    new.tempo_bpm, new.key, new.mode = score.tempo_bpm, score.key, score.mode
    return new


def _new_tempo(changes: dict, parsed: MusicSpec, current: MusicSpec) -> float | None:
    if isinstance(changes.get("tempo_ratio"), int | float) and changes["tempo_ratio"] > 0:
        return float(current.tempo_bpm) * float(changes["tempo_ratio"])
    if "tempo_bpm" in changes:
        value = changes["tempo_bpm"]
        return float(value) if isinstance(value, int | float) and value > 0 else float(parsed.tempo_bpm)
    return None


def _spec_differs(a: MusicSpec, b: MusicSpec) -> bool:
    da, db = a.to_dict(), b.to_dict()
    return any(da[k] != db[k] for k in da if k not in ("seed", "duration_s"))


def _as_list(value) -> list:
    if value is None or value is False:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _guess_lang(text: str) -> str:
    return "zh" if re.search(r"[\u4e00-\u9fff]", text or "") else "en"


def _melody_of(v: Version) -> MelodyResult:
    """A stored version's melody with its latent code, as the generators take it."""
    mel = dict_to_score(v.score).track("melody")
    return MelodyResult(list(mel.notes) if mel else [], v.latent, "stored")


def _spec_of_score(spec: MusicSpec, score: Score) -> MusicSpec:
    """The version's spec lists the parts actually written (the arranger completes the ensemble)."""
    parts = [InstrumentSpec(t.name, t.program, t.role, t.is_drum) for t in score.tracks]
    if not parts:
        return spec
    return spec.with_(instruments=parts, drums=any(t.is_drum for t in score.tracks))


def _lyrics_paragraph(spec: MusicSpec, lang: str) -> str:
    if not spec.lyrics:
        return ""
    try:
        from lyrics.setting import format_lyrics_reply
    except ImportError:
        return ""
    return format_lyrics_reply(spec.lyrics, lang)


def _safe_dirname(session_id: str) -> str:
    """A session id from a browser is untrusted: keep it to a safe, unique folder name."""
    clean = re.sub(r"[^A-Za-z0-9_-]", "_", session_id)[:64] or "session"
    if clean != session_id:
        clean += "-" + hashlib.sha1(session_id.encode("utf-8", "replace")).hexdigest()[:10]
    return clean

