"""Reply texts in English and Chinese: string building over the version's spec and score."""

from __future__ import annotations

from assistant.lexicon import load_prompt
from music.score import Score, Track
from music.spec import MusicSpec

MODE_ZH = {
    "major": "大调", "minor": "小调", "dorian": "多利亚调式", "phrygian": "弗里几亚调式", "lydian": "利底亚调式",
    "mixolydian": "混合利底亚调式", "locrian": "洛克里亚调式", "ionian": "伊奥尼亚调式", "aeolian": "爱奥利亚调式",
    "harmonic_minor": "和声小调", "major_pentatonic": "五声音阶（宫调式）", "minor_pentatonic": "五声音阶（羽调式）",
    "blues": "布鲁斯音阶",
}
STYLE_ZH = {"pop": "流行", "rock": "摇滚", "jazz": "爵士", "blues": "布鲁斯", "folk": "民谣", "classical": "古典",
            "waltz": "圆舞曲", "march": "进行曲", "lullaby": "摇篮曲", "lofi": "Lo-fi", "ambient": "氛围音乐",
            "cinematic": "电影配乐", "chinese": "中国风", "celtic": "凯尔特", "latin": "拉丁", "funk": "放克",
            "electronic": "电子", "hiphop": "嘻哈", "chorale": "众赞歌", "country": "乡村"}
MOOD_ZH = {"happy": "欢快", "excited": "兴奋", "triumphant": "激昂", "playful": "俏皮", "hopeful": "充满希望",
           "tender": "温柔", "calm": "平静", "nostalgic": "怀旧", "sad": "悲伤", "dark": "阴暗", "tense": "紧张",
           "angry": "愤怒", "epic": "史诗", "neutral": "中性"}
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


# the spec fields an edit can change, as a reader says them
FIELD_NAMES = {"time_signature": ("meter", "拍号"), "style": ("style", "风格"), "mood": ("mood", "情绪"),
               "bars": ("length", "长度"), "seed": ("seed", "随机种子"), "key": ("key", "调性"), "mode": ("mode", "调式"),
               "tempo_bpm": ("tempo", "速度"), "instruments": ("instruments", "乐器"), "drums": ("drums", "鼓"),
               "nudge": ("character", "风格特点"), "lyrics": ("words", "歌词"), "add_part": ("adding a part", "加声部"),
               "remove_part": ("removing a part", "去掉声部"), "swap": ("changing an instrument", "换乐器"),
               "volume": ("the balance", "音量平衡"), "reverb": ("reverb", "混响"), "ending": ("the ending", "结尾"),
               "transpose": ("the key", "调性"), "melody_octave": ("the melody's octave", "旋律的八度"),
               "voice": ("the voice", "人声")}


def field_names(fields: list[str], lang: str) -> str:
    """"time_signature, style" -> "meter, style" / "拍号、风格"."""
    names = [FIELD_NAMES.get(f, (f.replace("_", " "), f))[1 if lang == "zh" else 0] for f in fields]
    return join_names(names, lang)


def instrument_name(track: Track, lang: str) -> str:
    """A part's instrument as the reader says it: the General MIDI name, or its Chinese name."""
    if lang != "zh":
        return track.name
    if track.is_drum:
        return "鼓组"
    names = load_prompt("instruments.json").get("gm_zh", [])
    return names[track.program] if 0 <= track.program < len(names) else track.name


def join_names(names: list[str], lang: str) -> str:
    """"Flute, Violin" / "长笛、小提琴"."""
    return ("、" if lang == "zh" else ", ").join(names)


def style_name(style: str, lang: str) -> str:
    return STYLE_ZH.get(style, style) if lang == "zh" else style


def mood_name(mood: str, lang: str) -> str:
    return MOOD_ZH.get(mood, mood) if lang == "zh" else mood


def mode_name(mode: str, lang: str) -> str:
    return MODE_ZH.get(mode, mode) if lang == "zh" else mode.replace("_", " ")


def key_phrase(key: str, mode: str, lang: str) -> str:
    """"Bb major" / "降B大调": Chinese names accidentals as 升/降 before the letter."""
    if lang != "zh":
        return f"{key} {mode_name(mode, lang)}"
    name = key
    if len(key) == 2 and key[1] in "b#":
        name = ("降" if key[1] == "b" else "升") + key[0]
    return f"{name}{mode_name(mode, lang)}"


def chord_line(score: Score, limit: int = 8) -> str:
    symbols = [c.symbol for c in score.chords]
    head = " – ".join(symbols[:limit])
    return head + (" …" if len(symbols) > limit else "")


def generator_name(generator: str, lang: str) -> str:
    """The melody writer as a reader says it: 'neural-vae' -> "Tunesmith's neural melody model (VAE)"."""
    zh = lang == "zh"
    if generator.startswith("neural-"):
        kind = generator.split("-", 1)[1].upper()
        return f"Tunesmith 的神经网络旋律模型（{kind}）" if zh else f"Tunesmith's neural melody model ({kind})"
    if generator.startswith("baseline"):
        return "规则旋律生成器（baseline）" if zh else "the rule-based melody writer (baseline)"
    return generator


def describe_piece(version: int, spec: MusicSpec, score: Score, generator: str, lang: str) -> str:
    """The short explanation under every new version: key, tempo, meter, parts, bars, chords."""
    parts = [t for t in score.tracks]
    secs = round(score.duration_s)
    if lang == "zh":
        inst = "、".join(f"{instrument_name(t, lang)}（{ROLE_ZH.get(t.role, t.role)}）" for t in parts)
        mood = "" if spec.mood == "neutral" else f"，情绪：{mood_name(spec.mood, lang)}"
        if parts and all(t.is_drum for t in parts):
            return (f"第{version}版：鼓组独奏，{score.time_signature[0]}/{score.time_signature[1]}拍，"
                    f"每分钟{score.tempo_bpm:g}拍，{score.bars}小节（约{secs}秒）{mood}。\n乐器：{inst}。")
        return (
            f"第{version}版：{key_phrase(score.key, score.mode, lang)}，{score.time_signature[0]}/{score.time_signature[1]}拍，"
            f"每分钟{score.tempo_bpm:g}拍，{score.bars}小节（约{secs}秒），风格：{style_name(spec.style, lang)}{mood}。\n"
            f"乐器：{inst}。\n和弦：{chord_line(score)}。\n旋律：{generator_name(generator, lang)}。"
        )
    inst = ", ".join(f"{t.name} ({t.role})" for t in parts)
    mood = "" if spec.mood == "neutral" else f"{spec.mood} "
    if parts and all(t.is_drum for t in parts):  # a drum solo has no key, chords or melody to report
        return (f"Version {version}: {mood}{spec.style} drum part, {score.time_signature[0]}/"
                f"{score.time_signature[1]} at {score.tempo_bpm:g} bpm, {score.bars} bars (about {secs} s).\n"
                f"Instruments: {inst}.")
    return (
        f"Version {version}: {mood}{spec.style} piece in {key_phrase(score.key, score.mode, lang)}, "
        f"{score.time_signature[0]}/{score.time_signature[1]} at {score.tempo_bpm:g} bpm, {score.bars} bars "
        f"(about {secs} s).\nInstruments: {inst}.\nChords: {chord_line(score)}.\nMelody by: {generator_name(generator, lang)}."
    )


def small_talk(topic: str | None, lang: str, version: int | None) -> str:
    """Replies to thanks, greetings and section requests; they never change the piece."""
    zh = lang == "zh"
    if topic == "thanks":
        if version is None:
            return ("不客气！想听什么，随时描述给我，比如“一首平静的C大调钢琴曲”。" if zh else
                    "You're welcome! Describe a piece whenever you like, for example \"a calm piano piece in C major\".")
        return (f"不客气，很高兴你喜欢！第{version}版已保存。随时可以继续修改（“加点弦乐”、“慢一点”、“来个变奏”），"
                "或者说“导出乐谱”获取文件。" if zh else
                f"You're welcome, glad you like it! Version {version} is saved. Ask for another change any time "
                "(\"add strings\", \"slower\", \"give me a variation\"), or say \"export the sheet music\" for the files.")
    if topic == "which_style":
        text = style_choices(lang)
        return text if version is None else text + "\n" + message("unchanged_current", lang, n=version)
    if topic == "volume":
        text = ("音频已经做了响度标准化，整体音量请用播放器调节；我可以调整声部之间的平衡，比如“鼓太吵了”、"
                "“贝斯大声一点”，或者改变结尾（“结尾渐弱”）。" if zh else
                "The audio is loudness-normalised, so set the overall volume on your player. I can change the balance "
                "between parts (\"the drums are too loud\", \"make the bass louder\") or the ending (\"fade out at "
                "the end\").")
        return text if version is None else text + "\n" + message("unchanged_current", lang, n=version)
    if topic == "sections":
        text = ("我还不能重新安排段落（重复副歌、加前奏或桥段）。我可以把作品加长（旋律会继续发展）或缩短，改变结尾"
                "（“结尾更有力一点”、“结尾渐弱”），也可以改速度、调性、乐器或情绪。" if zh else
                "I can't rearrange sections yet (repeat a chorus, add an intro or a bridge). I can make the piece "
                "longer (the melody carries on) or shorter, change the ending (\"make the ending stronger\", \"fade "
                "out at the end\"), or change the tempo, key, instruments or mood.")
        if version is not None:
            text += "\n" + message("unchanged_current", lang, n=version)
        return text
    if topic and topic.startswith("glossary:"):
        entry = load_prompt("glossary.json").get(topic.split(":", 1)[1], {})
        text = entry.get("zh" if zh else "en", "")
        if text:
            return text if version is None else text + "\n" + message("unchanged_current", lang, n=version)
    hello = "你好！" if zh else "Hello! "
    return hello + HELP["zh" if zh else "en"]


def melody_source(spec: MusicSpec, generator: str, lang: str) -> str:
    """How the piece was made, in plain words: which model wrote the tune and what the rules did."""
    zh = lang == "zh"
    if generator.startswith("baseline") or generator.startswith("rules"):
        tune = ("旋律由规则旋律生成器（baseline，不是神经网络）写成。" if zh else
                "The melody was written by the rule-based melody writer (the baseline, not a neural model).")
    elif spec.lyrics:
        tune = ("旋律是为你的歌词写的：每个音节按重音放在节拍上，音高由 Tunesmith 自己的 LSTM 旋律模型填写。" if zh else
                "The tune was written for your words: each syllable is placed on the beat by its stress, and "
                "Tunesmith's own LSTM melody model chose the pitches.")
    else:
        tune = ("旋律由 Tunesmith 自己的神经网络旋律模型写成（一个条件 VAE，用 music21 语料库里约一万首公有领域的"
                "民歌、舞曲和众赞歌训练），一次生成几个候选，保留最好的一个，并检查没有抄袭训练曲目。" if zh else
                "The melody was written by Tunesmith's own neural melody model (a conditional VAE trained on about "
                "10,000 public-domain folk songs, dance tunes and chorales from music21's corpus): it sampled several "
                "candidates, kept the best, and checked that none copies a training tune.")
    rest = ("和弦来自用同一语料库训练的和弦模型；伴奏、低音和鼓按风格由规则编配。" if zh else
            "The chords come from a chord model trained on the same corpus; the accompaniment, bass and drums are "
            "arranged by rules for the style.")
    return tune + ("" if zh else " ") + rest


def answer_question(topic: str | None, spec: MusicSpec, score: Score, version: int, lang: str,
                    total: int | None = None, generator: str = "") -> str:
    """Answer from the current version, without making a new one."""
    zh = lang == "zh"
    if topic == "melody_source":
        return melody_source(spec, generator, lang)
    num, den = score.time_signature
    total = total or version
    answers = {
        "version": (f"当前是第{version}版，共{total}版。", f"This is version {version} of {total}."),
        "key": (f"它是{key_phrase(score.key, score.mode, lang)}。", f"It's in {key_phrase(score.key, score.mode, lang)}."),
        "tempo": (f"速度是每分钟{score.tempo_bpm:g}拍。", f"It's at {score.tempo_bpm:g} bpm."),
        "meter": (f"拍号是{num}/{den}。", f"It's in {num}/{den} time."),
        "bars": (f"一共{score.bars}小节，约{round(score.duration_s)}秒。",
                 f"It's {score.bars} bars long, about {round(score.duration_s)} seconds."),
        "instruments": ("乐器：" + "、".join(instrument_name(t, lang) for t in score.tracks) + "。",
                        "Instruments: " + ", ".join(t.name for t in score.tracks) + "."),
        "chords": (f"和弦：{chord_line(score, 16)}。", f"Chords: {chord_line(score, 16)}."),
        "style": (f"风格是{style_name(spec.style, lang)}，情绪是{mood_name(spec.mood, lang)}。",
                  f"The style is {spec.style}, the mood {spec.mood}."),
        "mood": (f"情绪是{mood_name(spec.mood, lang)}。", f"The mood is {spec.mood}."),
        "files": ("每一版都附带乐谱图片、MusicXML（可用 MuseScore 等打谱软件打开）、MIDI（可导入任何数字音频工作站）"
                  "和音频，下面就是这一版的文件。",
                  "Every version comes with sheet music (a picture), MusicXML (opens in MuseScore or any notation "
                  "program), MIDI (for any DAW) and audio; this version's files are attached below."),
    }
    topic = topic if topic in answers else None
    if topic is None:
        text = describe_piece(version, spec, score, "", lang).split("\n")[0]
        return text
    zh_text, en_text = answers[topic]
    prefix = f"（第{version}版）" if zh else f"(version {version}) "
    return prefix + (zh_text if zh else en_text)


def why_answer(topic: str, spec: MusicSpec, score: Score, version: int, lang: str) -> str:
    """"为什么没有鼓？", "why does it sound sad?": what made it so, and what to say to change it."""
    zh = lang == "zh"
    key = key_phrase(score.key, score.mode, lang)
    style = style_name(spec.style, lang)
    minor = score.mode not in ("major", "major_pentatonic", "lydian", "mixolydian", "ionian")
    if topic == "instruments":
        kit = any(t.is_drum for t in score.tracks)
        names = join_names([instrument_name(t, lang) for t in score.tracks], lang)
        if zh:
            why = "有鼓组，因为这个风格通常带节奏组" if kit else "没有鼓，因为你没有要求鼓，而这个风格/情绪默认不加鼓"
            return f"（第{version}版）{why}；现在的乐器：{names}。想改可以说“加鼓”“去掉鼓”或“加一把小提琴”。"
        why = ("It has a drum kit because the style usually has one" if kit else
               "It has no drums because none were asked for and this style or mood leaves them out")
        return f"(version {version}) {why}. Playing now: {names}. Say \"add drums\", \"no drums\" or \"add a violin\" to change it."
    if topic in ("mood", "key", "summary"):
        if zh:
            feel = "小调听起来偏暗、偏伤感" if minor else "大调听起来明亮"
            return (f"（第{version}版）它在{key}，每分钟{score.tempo_bpm:g}拍，风格：{style}；{feel}，速度越慢越沉静。"
                    "想改可以说“欢快一点”“换成大调”“快一点”。")
        feel = "a minor key sounds darker and sadder" if minor else "a major key sounds brighter"
        return (f"(version {version}) It's in {key} at {score.tempo_bpm:g} bpm, {style} style: {feel}, and slower "
                "tempos sound calmer. Say \"happier\", \"in major\" or \"faster\" to change it.")
    if topic == "tempo":
        if zh:
            return (f"（第{version}版）每分钟{score.tempo_bpm:g}拍，是按{style}风格和情绪选的速度；可以说“快一点”或“加快到140”。")
        return (f"(version {version}) {score.tempo_bpm:g} bpm, chosen for the {style} style and the mood; say "
                "\"faster\" or \"set the tempo to 140\".")
    if topic == "chords":
        line = chord_line(score, 16)
        if zh:
            return f"（第{version}版）和弦：{line}。它们来自用民歌和众赞歌训练的和弦模型，按调性和风格上色，乐句结尾落在主和弦上。"
        return (f"(version {version}) Chords: {line}. They come from a chord model trained on folk songs and chorales, "
                "coloured for the style, with cadences that land on the home chord at phrase ends.")
    return answer_question(topic, spec, score, version, lang)


def style_choices(lang: str) -> str:
    """"换个风格" without saying which: the styles to choose from."""
    if lang == "zh":
        return ("换成哪种风格？比如：" + "、".join(STYLE_ZH.values()) + "。说“换成爵士”就行，其他设置保持不变。")
    return ("Which style? For example: " + ", ".join(STYLE_ZH) + ". Say \"make it jazz\" and I'll keep everything "
            "else.")


MESSAGES = {
    "no_piece": ("There is no piece yet to change or ask about. Describe one first, for example \"a calm piano "
                 "piece in C major\".", "还没有作品可以修改或提问。先描述一首吧，比如“一首平静的C大调钢琴曲”。"),
    "undo_first": ("This is already the first version, so there is nothing to undo; your versions are unchanged.",
                   "这已经是第一版了，无法撤销；你的所有版本都保持不变。"),
    "no_version": ("There is no version {n}: this conversation has versions 1 to {last}. Nothing was changed.",
                   "没有第{n}版：本次对话共有第1到第{last}版。没有做任何更改。"),
    "no_target": ("Which version should I go back to? Say for example \"go back to version 2\". Nothing was "
                  "changed.", "要回到哪一版？例如说“回到第2版”。没有做任何更改。"),
    "already_current": ("You are already on version {n}; nothing was changed.", "当前已经是第{n}版，没有做任何更改。"),
    "reverted": ("Back to version {n}. Your later versions are kept; the next change builds on version {n}.",
                 "已回到第{n}版。之后的版本都保留着；下一次修改将基于第{n}版。"),
    "error": ("Sorry, something went wrong while making that ({err}). Your earlier versions are safe; "
              "please try again or rephrase.", "抱歉，生成时出了问题（{err}）。之前的版本都安全保留；请重试或换个说法。"),
    "blend_unavailable": ("Blending needs the VAE's latent codes of both versions, and {why}; nothing was changed "
                          "(a blend made any other way would just be a new piece).",
                          "混合两个版本需要两版都有 VAE 的潜在编码，但{why}；没有做任何更改（用别的办法混合只会得到一首新曲子）。"),
    "blend_needs_two": ("Tell me which two versions to blend, for example \"blend version 1 and 3\". Nothing was "
                        "changed.", "请告诉我要混合哪两版，例如“融合第1版和第3版”。没有做任何更改。"),
    "blend_same": ("Blending version {n} with itself would give the same piece; nothing was changed.",
                   "第{n}版和它自己混合还是同一首曲子，没有做任何更改。"),
    "transpose_impossible": ("I can't transpose by {semis:+d} semitones: the notes would leave the MIDI range "
                             "(0-127). Nothing was changed; you are still on version {n}.",
                             "无法移调{semis:+d}个半音：音符会超出MIDI音域（0-127）。没有做任何更改，当前仍是第{n}版。"),
    "octave_out_of_range": ("I can't move the melody {octaves:+d} octave(s): {name} can't play that high or low. "
                            "Nothing was changed; you are still on version {n}.",
                            "无法把旋律移动{octaves:+d}个八度：{name}演奏不了那么高或那么低。没有做任何更改，当前仍是第{n}版。"),
    "part_octave_out_of_range": ("I can't move {name} {octaves:+d} octave(s): the notes would go past what it can "
                                 "play. Nothing was changed; you are still on version {n}.",
                                 "无法把{name}移动{octaves:+d}个八度：音符会超出它能演奏的范围。没有做任何更改，当前仍是第{n}版。"),
    "voice_already": ("The tune already sits in a {voice}'s range; General MIDI has one choir sound, so the "
                      "voice itself stays the same.", "旋律本来就在{voice}音域里；通用MIDI只有一种人声音色，所以音色不变。"),
    "no_match": ("I couldn't tell which version \"{words}\" is; say its number (\"go back to version 2\") or \"show me "
                 "all versions\". Nothing was changed.", "没找到“{words}”是哪一版；可以说版本号（“回到第2版”）或“有哪些版本”。没有做任何更改。"),
    "file_formats": ("The audio comes as OGG (plays in browsers and most media players); MP3, WAV and PDF aren't "
                     "written here, but MuseScore opens the MusicXML and can export a PDF or audio.",
                     "音频是 OGG 格式（浏览器和大多数播放器都能播放）；这里不生成 MP3、WAV 或 PDF，但可以用 MuseScore 打开 MusicXML，"
                     "再导出 PDF 或音频。"),
    "also_asked": ("That message also asked for {what}, which I haven't done in this version: ask for it again on "
                   "its own.", "这句话里还提到了{what}，这一版还没有做：请单独再说一次。"),
    "nothing_changed": ("Version {n} already sounds like that, so I made no new version.",
                        "第{n}版已经是这样了，所以没有生成新版本。"),
    "too_short": ("It is only {bars} bar(s) long, so it can't get shorter; nothing was changed.",
                  "它只有{bars}小节，无法再缩短；没有做任何更改。"),
    "too_long": ("It is already {bars} bars, the longest I write; nothing was changed.",
                 "它已经有{bars}小节，这是最长的长度；没有做任何更改。"),
    "longer_done": ("Continued for {extra} more bars with {gen}; the first {old} bars are unchanged.",
                    "用{gen}续写了{extra}小节；前{old}小节保持不变。"),
    "longer_song": ("The words are all sung, so the new bars are an instrumental while the voice rests.",
                    "歌词已经唱完，所以新增的小节是器乐段，人声休止。"),
    "parts_cut": ("{names} only played in the bars that were cut, so it is gone from this version.",
                  "{names}只在被剪掉的小节里演奏，所以这一版里没有它了。"),
    "shorter_done": ("Trimmed to {bars} bars, ending at a phrase end.", "缩短到{bars}小节，在乐句结尾处结束。"),
    "regenerated": ("Same settings, a new take (seed {seed}: say \"seed {seed}\" to get this one again).",
                    "设置不变，重新写了一版（随机种子 {seed}，说“种子{seed}”可以重现这一版）。"),
    "variation_latent": ("A variation: similar to the last version but not identical (the melody model's latent "
                         "code moved a little).", "变奏：和上一版相似但不完全相同的旋律。"),
    "variation_rules": ("A variation. No VAE latent code is available for this piece, so the rule-based {gen} "
                        "varied it instead: same rhythm, some notes moved by a scale step.",
                        "变奏：节奏不变，部分音符按音阶移动了一级（这一版不是神经网络模型写的，所以由规则来变化）。"),
    "nudge_latent": ("Moved the melody towards {what}, keeping its shape (a nudge of the melody model's latent "
                     "code).", "把旋律往“{what}”的方向调整了，轮廓保持不变。"),
    "nudge_rules": ("Moved towards {what}: I composed it again with the adjusted settings, so the melody is new "
                    "rather than a nudge of the old one (this version has no latent code to nudge).",
                    "朝“{what}”方向调整：用调整后的设置重新作曲，"
                    "旋律是新的，而不是在原旋律上微调。"),
    "blended": ("Blended versions {a} and {b}: a melody halfway between them (the midpoint of their latent codes).",
                "融合了第{a}版和第{b}版：旋律介于两者之间。"),
    "structural": ("That change reshapes the whole piece ({what}), so I composed it again with the same settings "
                   "otherwise.", "这个修改（{what}）会改变整首曲子，所以其余设置不变、重新作曲。"),
    "chorus_higher": ("The chorus now sits higher than the verses (the same words, set again).",
                      "副歌现在比主歌更高（同样的歌词，重新谱曲）。"),
    "variation_song": ("A variation: a new tune for the same words, one note per syllable.",
                       "变奏：同样的歌词配上新的旋律，每个音节一个音。"),
    "nothing_to_redo": ("There is nothing to redo; you are on version {n}.", "没有可以重做的操作；当前是第{n}版。"),
    "reverb_limit": ("the reverb is already at its limit, so nothing changed", "混响已经到头了，所以没有改动"),
    "dislike": ("Sorry it didn't work for you. Here's a different take (seed {seed}); you can also tell me what to "
                "change: \"faster\", \"happier\", \"use a violin instead\", \"add drums\"...",
                "抱歉不合你意。换了一种写法（随机种子{seed}）；也可以直接告诉我要改什么：“快一点”、“欢快一点”、"
                "“换成小提琴”、“加鼓”……"),
    "unchanged_current": ("I didn't make a change: your piece is still version {n}.",
                          "没有做任何更改：你的作品仍是第{n}版。"),
    "why_no_vae": ("no VAE model is loaded", "当前没有加载 VAE 模型"),
    "why_no_latent": ("version {n} was made by {gen} without one", "第{n}版由 {gen} 生成，没有潜在编码"),
    "part_missing": ("There is no {role} part to remove.", "没有可以去掉的{role}声部。"),
    "part_present": ("There is already a {role} part.", "已经有{role}声部了。"),
}

CHANGE_TEXT = {  # (English, Chinese) templates for the "Changed: ..." line
    "tempo": ("tempo {old:g} -> {new:g} bpm (same notes)", "速度从每分钟{old:g}拍改为{new:g}拍（音符不变）"),
    "transpose": ("transposed {semis:+d} semitones to {key}", "移调{semis:+d}个半音，到{key}"),
    "mode": ("{old} -> {new}, same contour", "从{old}改为{new}，旋律轮廓不变"),
    "swap": ("{role} now on {name} (same notes)", "{role}换成{name}（音符不变）"),
    "add_part": ("added {name} ({role}); other parts unchanged", "加入{name}（{role}）；其他声部不变"),
    "remove_part": ("removed the {role}; other parts unchanged", "去掉了{role}；其他声部不变"),
    "register": ("melody moved {octaves:+d} octave(s)", "旋律移动了{octaves:+d}个八度"),
    "part_octave": ("{names} moved {octaves:+d} octave(s); the other parts stay", "{names}移动了{octaves:+d}个八度，其他声部不变"),
    "simplified": ("{names} simplified: fewer notes, on the strong beats (the melody is unchanged)",
                   "{names}简化了：音符更少，只留在强拍上（旋律不变）"),
    "dynamics_softer": ("played more softly (every note gentler, the same notes)", "演奏得更轻柔（力度减弱，音符不变）"),
    "dynamics_harder": ("played harder (every note stronger, the same notes)", "演奏得更有力（力度加强，音符不变）"),
    "dynamics_crescendo": ("a crescendo: it starts softly and builds to the end (the same notes)",
                           "加了渐强：从轻柔开始，一直增强到结尾（音符不变）"),
    "voice_female": ("the sung line moved {octaves:+d} octave(s) into a female voice's range (about C4 to A5)",
                     "人声旋律移动了{octaves:+d}个八度，进入女声音域（约C4到A5）"),
    "voice_male": ("the sung line moved {octaves:+d} octave(s) into a male voice's range (about C3 to A4)",
                   "人声旋律移动了{octaves:+d}个八度，进入男声音域（约C3到A4）"),
    "louder": ("{names} {db:g} dB louder in the mix (same notes)", "{names}音量提高{db:g}分贝（音符不变）"),
    "quieter": ("{names} {db:g} dB quieter in the mix (same notes)", "{names}音量降低{db:g}分贝（音符不变）"),
    "reverb_more": ("more room sound (reverb send up on every part; same notes)", "混响加大（所有声部的混响发送增加，音符不变）"),
    "reverb_less": ("a drier sound (reverb send down on every part; same notes)", "混响减小（所有声部的混响发送减少，音符不变）"),
    "ending_strong": ("a stronger ending: a crescendo through the last {bars} bars{fill}, the final chord doubled an "
                      "octave down; everything before unchanged",
                      "结尾更有力：最后{bars}小节渐强{fill}，最后的和弦低八度加厚；之前的部分不变"),
    "ending_soft": ("a fading ending: a diminuendo through the last {bars} bars{fill}; everything before unchanged",
                    "结尾渐弱：最后{bars}小节渐弱{fill}；之前的部分不变"),
    "ending_strong_drums": (", a drum fill into the final chord", "，鼓加花进入最后的和弦"),
    "ending_soft_drums": (", the drums drop out of the final bar", "，最后一小节鼓退出"),
}


def change_text(which: str, lang: str, **kw) -> str:
    en, zh = CHANGE_TEXT[which]
    if lang == "zh" and "role" in kw:
        kw["role"] = ROLE_ZH.get(kw["role"], kw["role"])
    if lang == "zh" and kw.get("role") in ("drums", "鼓"):
        kw["name"] = "鼓组"
    elif lang == "zh" and isinstance(kw.get("program"), int):  # the instrument's Chinese name
        names = load_prompt("instruments.json").get("gm_zh", [])
        kw["name"] = names[kw["program"]] if 0 <= kw["program"] < len(names) else kw.get("name")
    return (zh if lang == "zh" else en).format(**kw)


_UNCHANGED_TAIL = ("；其他声部不变", "; other parts unchanged")


def changed_line(bits: list[str], lang: str) -> str:
    """"Changed: a; b." with "other parts unchanged" said once, at the end."""
    if not bits:
        return ""
    tail = next((t for t in _UNCHANGED_TAIL if any(b.endswith(t) for b in bits)), "")
    if tail:
        bits = [b[:-len(tail)] if b.endswith(tail) else b for b in bits]
        bits[-1] += tail
    return ("已修改：" + "；".join(bits) + "。") if lang == "zh" else ("Changed: " + "; ".join(bits) + ".")


def note_lines(notes: list[str], lang: str) -> str:
    """Remarks (clamping, substitutions, fallbacks) as "Note:" lines."""
    prefix = "提示：" if lang == "zh" else "Note: "
    return "\n".join(prefix + n for n in dict.fromkeys(notes))  # a remark made twice is said once


def message(which: str, lang: str, **kw) -> str:
    en, zh = MESSAGES[which]
    if lang == "zh" and "role" in kw:
        kw["role"] = ROLE_ZH.get(kw["role"], kw["role"])
    return (zh if lang == "zh" else en).format(**kw)


NUDGE_WORDS = {  # attribute -> ((up EN, down EN), (up ZH, down ZH))
    "valence": (("happier", "sadder"), ("更欢快", "更忧伤")),
    "arousal": (("more energetic", "calmer"), ("更有活力", "更平静")),
    "register": (("higher", "lower"), ("更高", "更低")),
    "density": (("busier", "sparser"), ("更密集", "更稀疏")),
}


def nudge_words(deltas: dict[str, float], lang: str) -> str:
    """{"valence": 0.3} -> "happier" / "更欢快"."""
    words = []
    for attr, d in deltas.items():
        en, zh = NUDGE_WORDS.get(attr, ((attr, attr), (attr, attr)))
        pair = zh if lang == "zh" else en
        words.append(pair[0] if d >= 0 else pair[1])
    return ("、" if lang == "zh" else ", ").join(words)


def compare_versions(numbers: tuple[int, int], specs: tuple[MusicSpec, MusicSpec], scores: tuple[Score, Score],
                     lang: str) -> str:
    """Two versions side by side: one line each, then what differs between them."""
    zh = lang == "zh"
    (na, nb), (sa, sb), (a, b) = numbers, specs, scores
    lines = [describe_piece(n, s, sc, "", lang).split("\n")[0] for n, s, sc in ((na, sa, a), (nb, sb, b))]
    diffs: list[str] = []
    if a.tempo_bpm != b.tempo_bpm:
        diffs.append(f"速度 {a.tempo_bpm:g} → {b.tempo_bpm:g}" if zh else f"tempo {a.tempo_bpm:g} → {b.tempo_bpm:g} bpm")
    if (a.key, a.mode) != (b.key, b.mode):
        diffs.append(("调性 " if zh else "key ") + f"{key_phrase(a.key, a.mode, lang)} → {key_phrase(b.key, b.mode, lang)}")
    if a.time_signature != b.time_signature:
        diffs.append(("拍号 " if zh else "meter ") + "{}/{} → {}/{}".format(*a.time_signature, *b.time_signature))
    if a.bars != b.bars:
        diffs.append(f"长度 {a.bars} → {b.bars} 小节" if zh else f"length {a.bars} → {b.bars} bars")
    if sa.style != sb.style:
        diffs.append(("风格 " if zh else "style ") + f"{style_name(sa.style, lang)} → {style_name(sb.style, lang)}")
    names_a = [instrument_name(t, lang) for t in a.tracks]
    names_b = [instrument_name(t, lang) for t in b.tracks]
    gained = [n for n in names_b if n not in names_a]
    lost = [n for n in names_a if n not in names_b]
    if gained:
        diffs.append(("加入了 " if zh else "added ") + join_names(gained, lang))
    if lost:
        diffs.append(("去掉了 " if zh else "removed ") + join_names(lost, lang))
    mel_a, mel_b = a.track("melody"), b.track("melody")
    same_tune = mel_a is not None and mel_b is not None and [n.pitch for n in mel_a.notes] == [n.pitch for n in mel_b.notes]
    if not same_tune:
        diffs.append("旋律不同" if zh else "a different melody")
    if not diffs:
        diffs.append("听起来一样" if zh else "they sound the same")
    head = "区别：" if zh else "Differences: "
    return "\n".join(lines) + "\n" + head + ("；" if zh else "; ").join(diffs) + ("。" if zh else ".")


def voice_name(voice: str, lang: str) -> str:
    return {"female": ("female voice", "女声"), "male": ("male voice", "男声")}[voice][1 if lang == "zh" else 0]


def lyrics_sheet(spec: MusicSpec, version: int, lang: str) -> str:
    """The words of the song, line by line with their sections; or say that the piece has none."""
    if not spec.lyrics:
        return (f"第{version}版是器乐曲，没有歌词。可以贴上歌词，我来为它谱曲。" if lang == "zh" else
                f"Version {version} is instrumental, so it has no words. Paste some lyrics and I'll set them.")
    lines, section = [], None
    several = len({line.section for line in spec.lyrics}) > 1
    for line in spec.lyrics:
        if several and line.section != section:
            section = line.section
            lines.append(f"[{section.capitalize()}]")
        lines.append(line.line)
    head = f"第{version}版的歌词：" if lang == "zh" else f"The words of version {version}:"
    return head + "\n" + "\n".join(lines)
