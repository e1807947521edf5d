"""Numbers written in words, English ('seventy-five') and Chinese ('一百二十'), turned into digits.

The rest of the parser only looks for digits, so requests like 'sixty beats per
minute' or '速度一百二十' read the same as '60 bpm' and '速度120'.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.lexicon import load_prompt


@lru_cache(maxsize=1)
def _en_tables() -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    d = load_prompt("numbers.json")
    units = {k: v for k, v in d["en_units"].items() if k.isalpha() and k not in ("a", "an")}
    return units, d["en_tens"], d["en_scales"]


@lru_cache(maxsize=1)
def _en_pattern() -> re.Pattern[str]:
    units, tens, scales = _en_tables()
    word = "|".join(sorted(list(units) + list(tens) + list(scales), key=len, reverse=True))
    return re.compile(rf"\b(?:{word})(?:(?:[\s-]+|\s+and\s+)(?:{word}))*\b", re.IGNORECASE)


def en_words_to_int(phrase: str) -> int | None:
    """'seventy-five' -> 75, 'one hundred and twenty' -> 120, 'a hundred' -> None (needs a number word)."""
    units, tens, scales = _en_tables()
    total = current = 0
    seen = False
    for tok in re.split(r"[\s-]+", phrase.lower()):
        if tok == "and" or not tok:
            continue
        if tok in units:
            current += units[tok]
        elif tok in tens:
            current += tens[tok]
        elif tok in scales:
            current = max(current, 1) * scales[tok]
            if scales[tok] >= 1000:
                total += current
                current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def replace_en_number_words(text: str) -> str:
    """Every run of English number words becomes digits; other text is untouched."""

    def sub(m: re.Match[str]) -> str:
        value = en_words_to_int(m.group(0))
        return str(value) if value is not None else m.group(0)

    return _en_pattern().sub(sub, text)


@lru_cache(maxsize=1)
def _zh_tables() -> tuple[dict[str, int], dict[str, int]]:
    d = load_prompt("numbers.json")
    return d["zh_digits"], d["zh_units"]


def zh_numeral_to_int(s: str) -> int | None:
    """'一百二十' -> 120, '十六' -> 16, '四十' -> 40, '一二零' -> 120; None when not a numeral."""
    digits, units = _zh_tables()
    if not s or any(c not in digits and c not in units for c in s):
        return None
    if all(c in digits for c in s):
        return int("".join(str(digits[c]) for c in s)) if len(s) > 1 else digits[s]
    total, section, num = 0, 0, 0
    for c in s:
        if c in digits:
            num = digits[c]
        else:
            unit = units[c]
            if unit == 10000:
                section = (section + num) * unit
                total += section
                section = 0
            else:
                section += (num if num else 1) * unit
            num = 0
    if num and len(s) >= 2 and s[-2] in units and units[s[-2]] >= 100:
        num *= units[s[-2]] // 10  # spoken shorthand: 一百四 is 140, 两千五 is 2500 (一百零四 is 104)
    return total + section + num


@lru_cache(maxsize=1)
def _zh_pattern() -> re.Pattern[str]:
    digits, units = _zh_tables()
    chars = "".join(digits) + "".join(units)
    return re.compile(f"[{chars}]+")


# Words where a numeral character is part of a word, not a number (一点 'a bit', 一首 'one piece').
_ZH_KEEP_AFTER = ("点", "些", "首", "段", "下", "起", "样", "般", "直", "边", "定", "个版", "拍子", "声", "部", "丢",
                  "胡", "重奏", "分之")
_ZH_KEEP_BEFORE = ("第",)


def replace_zh_numerals(text: str) -> str:
    """Chinese numerals that count something become digits: '十六小节' -> '16小节', '一点' stays."""

    def sub(m: re.Match[str]) -> str:
        s = m.group(0)
        after = text[m.end():m.end() + 2]
        if len(s) == 1 and s in "一两" and after.startswith(_ZH_KEEP_AFTER):
            return s
        if s.endswith("八") and after.startswith("度"):  # 八度 is an octave: 升一个八度, 高八度
            return s
        if s in ("二", "三", "四", "五", "六", "七", "八") and after.startswith(("拍子", "胡", "重奏", "声", "分之")):
            return s
        if after.startswith("拍") and re.fullmatch(r"[二两三四五六七八九十]{2,3}", s) and ("四" in s or "八" in s):
            return s  # 四三拍, 四四拍, 八六拍, 六八拍 and 五四拍 are meters, not tempos
        if any(text[m.start() + i:m.start() + i + 1] in "分之" for i in range(len(s))):
            return s
        value = zh_numeral_to_int(s)
        return str(value) if value is not None else s

    return _zh_pattern().sub(sub, text)
