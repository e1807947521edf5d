"""Lyrics to melody, in English and Chinese.

Public entry points (the chat pipeline and the request parser call these):

- ``lyrics.detect.split_lyrics_request(text) -> (instruction, lyrics or None)``
  and ``wants_melisma(instruction)``;
- ``lyrics.syllables.syllabify_line(line) -> list[Syllable]`` (CMU stress,
  pypinyin tones, sung numbers and contractions);
- ``lyrics.setting.set_lyrics(text, spec, generator, seed, section_shift=None,
  melisma=False) -> LyricSetting``, plus ``format_lyrics_reply`` for the
  reply, ``lyrics_text_of(spec.lyrics)`` to re-set after a structural edit
  and ``lyric_lines(text)`` for ``spec.lyrics`` alone.

Pure logic lives in ``*_lib.py`` (sheet, rhythm, melody, numbers); data
(function words, the sentiment lexicon) in ``prompts/lyrics_*.json``.
"""
