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

Pure logic lives in ``*_lib.py``: request (is a line an instruction?),
directions (chords and "Repeat chorus" on a song sheet), sheet, phrasing
(where long lines break), spelling (hyphens under the notes), rhythm, melody,
numbers. Data (function words, the sentiment lexicon) is in
``prompts/lyrics_*.json``; instrument and style names are read from
``prompts/instruments.json`` and ``prompts/styles.json``.
"""
