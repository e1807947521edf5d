"""Reply texts in English and Chinese. Pure string building, no IO."""

from __future__ import annotations

from music.score import Score
from music.spec import MusicSpec

MODE_ZH = {
    "major": "大调", "minor": "小调", "dorian": "多利亚调式", "phrygian": "弗里几亚调式", "lydian": "利底亚调式",
    "mixolydian": "混合利底亚调式", "locrian": "洛克里亚调式", "ionian": "伊奥尼亚调式", "aeolian": "爱奥利亚调式",
    "harmonic_minor": "和声小调", "major_pentatonic": "五声音阶（宫调式）", "minor_pentatonic": "五声音阶（羽调式）",
    "blues": "布鲁斯音阶",
}
ROLE_ZH = {"melody": "旋律", "chords": "伴奏", "accompaniment": "伴奏", "bass": "低音", "pad": "铺底",
           "counter": "副旋律", "drums": "鼓"}

HELP = {
    "en": (
        "I'm Tunesmith: describe the music you want and I'll compose it, with audio, a MIDI file, a piano roll "
        "and sheet music. You can name a mood, style, key, tempo, meter, length and instruments, paste lyrics, "
        "then ask for changes (\"faster\", \"add drums\", \"in minor\", \"give me a variation\", \"go back to "
        "version 2\").\n\nTry for example:\n- a sad, slow piano waltz in D minor at 70 bpm\n"
        "- an upbeat folk tune on flute and guitar with drums, 16 bars"
    ),
    "zh": (
        "我是 Tunesmith：描述你想要的音乐，我来作曲，并给出音频、MIDI 文件、钢琴卷帘图和乐谱。可以说明情绪、风格、"
        "调性、速度、拍子、长度和乐器，也可以贴上歌词；之后还能继续修改（“快一点”、“加鼓”、“换成小调”、"
        "“来个变奏”、“回到第2版”）。\n\n例如：\n- 来一首欢快的笛子曲\n- 一首悲伤的D小调钢琴圆舞曲，每分钟70拍"
    ),
}


def mode_name(mode: str, lang: str) -> str:
    return MODE_ZH.get(mode, mode) if lang == "zh" else mode.replace("_", " ")


def key_phrase(key: str, mode: str, lang: str) -> str:
    return f"{key}{mode_name(mode, lang)}" if lang == "zh" else f"{key} {mode_name(mode, lang)}"


def chord_line(score: Score, limit: int = 8) -> str:
    symbols = [c.symbol for c in score.chords]
    head = " – ".join(symbols[:limit])
    return head + (" …" if len(symbols) > limit else "")


def describe_piece(version: int, spec: MusicSpec, score: Score, generator: str, lang: str) -> str:
    """The short explanation under every new version: key, tempo, meter, parts, bars, chords."""
    parts = [t for t in score.tracks]
    secs = round(score.duration_s)
    if lang == "zh":
        inst = "、".join(f"{t.name}（{ROLE_ZH.get(t.role, t.role)}）" for t in parts)
        return (
            f"第{version}版：{key_phrase(score.key, score.mode, lang)}，{score.time_signature[0]}/{score.time_signature[1]}拍，"
            f"每分钟{score.tempo_bpm:g}拍，{score.bars}小节（约{secs}秒），风格：{spec.style}，情绪：{spec.mood}。\n"
            f"乐器：{inst}。\n和弦：{chord_line(score)}。\n旋律生成：{generator}。"
        )
    inst = ", ".join(f"{t.name} ({t.role})" for t in parts)
    return (
        f"Version {version}: {spec.mood} {spec.style} piece in {key_phrase(score.key, score.mode, lang)}, "
        f"{score.time_signature[0]}/{score.time_signature[1]} at {score.tempo_bpm:g} bpm, {score.bars} bars "
        f"(about {secs} s).\nInstruments: {inst}.\nChords: {chord_line(score)}.\nMelody by: {generator}."
    )


def answer_question(topic: str | None, spec: MusicSpec, score: Score, version: int, lang: str) -> str:
    """Answer from the current version, without making a new one."""
    zh = lang == "zh"
    num, den = score.time_signature
    answers = {
        "key": (f"它是{key_phrase(score.key, score.mode, lang)}。", f"It's in {key_phrase(score.key, score.mode, lang)}."),
        "tempo": (f"速度是每分钟{score.tempo_bpm:g}拍。", f"It's at {score.tempo_bpm:g} bpm."),
        "meter": (f"拍号是{num}/{den}。", f"It's in {num}/{den} time."),
        "bars": (f"一共{score.bars}小节，约{round(score.duration_s)}秒。",
                 f"It's {score.bars} bars long, about {round(score.duration_s)} seconds."),
        "instruments": ("乐器：" + "、".join(t.name for t in score.tracks) + "。",
                        "Instruments: " + ", ".join(t.name for t in score.tracks) + "."),
        "chords": (f"和弦：{chord_line(score, 16)}。", f"Chords: {chord_line(score, 16)}."),
        "style": (f"风格是{spec.style}，情绪是{spec.mood}。", f"The style is {spec.style}, the mood {spec.mood}."),
        "mood": (f"情绪是{spec.mood}。", f"The mood is {spec.mood}."),
    }
    topic = topic if topic in answers else None
    if topic is None:
        text = describe_piece(version, spec, score, "", lang).split("\n")[0]
        return text
    zh_text, en_text = answers[topic]
    prefix = f"（第{version}版）" if zh else f"(version {version}) "
    return prefix + (zh_text if zh else en_text)


MESSAGES = {
    "no_piece": ("There is no piece yet to change or ask about. Describe one first, for example \"a calm piano "
                 "piece in C major\".", "还没有作品可以修改或提问。先描述一首吧，比如“一首平静的C大调钢琴曲”。"),
    "undo_first": ("This is already the first version, so there is nothing to undo; your versions are unchanged.",
                   "这已经是第一版了，无法撤销；你的所有版本都保持不变。"),
    "no_version": ("There is no version {n}: this conversation has versions 1 to {last}. Nothing was changed.",
                   "没有第{n}版：本次对话共有第1到第{last}版。没有做任何更改。"),
    "reverted": ("Back to version {n}. Your later versions are kept; the next change builds on version {n}.",
                 "已回到第{n}版。之后的版本都保留着；下一次修改将基于第{n}版。"),
    "error": ("Sorry, something went wrong while making that ({err}). Your earlier versions are safe; "
              "please try again or rephrase.", "抱歉，生成时出了问题（{err}）。之前的版本都安全保留；请重试或换个说法。"),
    "blend_unavailable": ("Blending versions needs the VAE model, which is not available here; nothing was "
                          "changed.", "混合两个版本需要 VAE 模型，但当前不可用；没有做任何更改。"),
}


def message(name: str, lang: str, **kw) -> str:
    en, zh = MESSAGES[name]
    return (zh if lang == "zh" else en).format(**kw)
