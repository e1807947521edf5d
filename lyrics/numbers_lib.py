"""Numbers, times and ordinals as they are sung, in English and Chinese (pure).

"2024" is sung "twenty twenty-four", "5:15" "five fifteen", "1st" "first";
in a Chinese line "2024年" is sung 二零二四年 and "15" 十五.
"""

from __future__ import annotations

import re

_ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
)
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_ORDINAL_WORDS = {
    "one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
    "nine": "ninth", "twelve": "twelfth",
}
_ZH_DIGITS = "零一二三四五六七八九"
# Words a number is sung as: a phrase never breaks between two of them ("three | forty-five").
NUMBER_WORDS = frozenset(
    {*_ONES, *_TENS[2:], *_ORDINAL_WORDS.values(), "hundred", "thousand", "million", "billion", "oh", "o'clock",
     "point"})
ZH_NUMERALS = frozenset("零一二两三四五六七八九十百千万亿点分")

_CURRENCY = {"$": "dollar", "€": "euro", "£": "pound"}

NUMBER_TOKEN = re.compile(r"\d+(?::\d{2}|[.,]\d+)?(?:st|nd|rd|th|s)?", re.IGNORECASE)


def int_to_words(n: int) -> str:
    """Cardinal words for 0 <= n < 10**12; larger numbers are read digit by digit."""
    if n < 0:
        return "minus " + int_to_words(-n)
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + ("-" + _ONES[ones] if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return _ONES[hundreds] + " hundred" + (" " + int_to_words(rest) if rest else "")
    for size, name in ((10**9, "billion"), (10**6, "million"), (1000, "thousand")):
        if n >= size and n < size * 1000:
            big, rest = divmod(n, size)
            return int_to_words(big) + " " + name + (" " + int_to_words(rest) if rest else "")
    return " ".join(_ONES[int(d)] for d in str(n))


def year_to_words(n: int) -> str:
    """Years as people say them: 1984 nineteen eighty-four, 2005 two thousand five, 1900 nineteen hundred."""
    if 2000 <= n <= 2009:
        return int_to_words(n)
    high, low = divmod(n, 100)
    if low == 0:
        return int_to_words(high) + " hundred"
    if low < 10:
        return int_to_words(high) + " oh " + _ONES[low]
    return int_to_words(high) + " " + int_to_words(low)


def ordinal_words(n: int) -> str:
    words = int_to_words(n)
    head, _, last = words.rpartition(" ")
    pre, dash, unit = last.rpartition("-")
    if unit in _ORDINAL_WORDS:
        unit = _ORDINAL_WORDS[unit]
    elif unit.endswith("y"):
        unit = unit[:-1] + "ieth"
    else:
        unit += "th"
    last = pre + dash + unit
    return (head + " " + last) if head else last


def number_to_english(token: str) -> str:
    """Words for a numeric token such as '2024', '5:15', '3.5', '21st', '1960s'."""
    t = token.lower().replace(",", "") if re.fullmatch(r"\d{1,3}(,\d{3})+", token) else token.lower()
    m = re.fullmatch(r"(\d+):(\d{2})", t)
    if m:
        hour, minute = int(m.group(1)), int(m.group(2))
        if minute == 0:
            return int_to_words(hour) + " o'clock"
        if minute < 10:
            return int_to_words(hour) + " oh " + _ONES[minute]
        return int_to_words(hour) + " " + int_to_words(minute)
    m = re.fullmatch(r"(\d+)[.,](\d+)", t)
    if m:
        return int_to_words(int(m.group(1))) + " point " + " ".join(_ONES[int(d)] for d in m.group(2))
    m = re.fullmatch(r"(\d+)(st|nd|rd|th)", t)
    if m:
        return ordinal_words(int(m.group(1)))
    m = re.fullmatch(r"(\d+)s", t)
    if m:  # decades: 1960s -> nineteen sixties
        words = number_to_english(m.group(1))
        return words[:-1] + "ies" if words.endswith("y") else words + "s"
    digits = re.sub(r"\D", "", t)
    if not digits:
        return ""
    if len(digits) > 1 and digits.startswith("0"):
        return " ".join("oh" if d == "0" else _ONES[int(d)] for d in digits)
    n = int(digits)
    if len(digits) == 4 and 1100 <= n <= 2099:
        return year_to_words(n)
    return int_to_words(n)


def int_to_chinese(n: int) -> str:
    """Chinese reading of 0 <= n < 10**8: 15 十五, 105 一百零五, 2024 两千零二十四 (read 二千)."""
    if n < 10:
        return _ZH_DIGITS[n]
    if n >= 10**8:
        return "".join(_ZH_DIGITS[int(d)] for d in str(n))
    if n >= 10**4:
        high, low = divmod(n, 10**4)
        tail = int_to_chinese(low) if low else ""
        if low and low < 1000:
            tail = "零" + tail
        return int_to_chinese(high) + "万" + tail
    units = ((1000, "千"), (100, "百"), (10, "十"))
    out, zero_pending, started = "", False, False
    for size, name in units:
        digit, n = divmod(n, size)
        if digit:
            if zero_pending:
                out += "零"
            out += ("" if (name == "十" and not started and digit == 1) else _ZH_DIGITS[digit]) + name
            started, zero_pending = True, False
        elif started:
            zero_pending = True
    if n:
        out += ("零" if zero_pending else "") + _ZH_DIGITS[n]
    return out


def number_to_chinese(token: str, next_char: str = "") -> str:
    """Chinese reading of a numeric token; four-digit years (before 年) are read digit by digit."""
    digits = re.sub(r"\D", "", token)
    if not digits:
        return ""
    m = re.fullmatch(r"(\d+):(\d{2})", token)
    if m:
        return int_to_chinese(int(m.group(1))) + "点" + int_to_chinese(int(m.group(2))) + "分"
    year = next_char == "年" and len(digits) == 4  # 2024年 二零二四年, but 100年 is a count: 一百年
    if year or (len(digits) > 1 and digits.startswith("0")) or len(digits) > 8:
        return "".join(_ZH_DIGITS[int(d)] for d in digits)
    return int_to_chinese(int(digits))


def spell_symbols(text: str) -> str:
    """Sung words for money and clock times: "$5" five dollars, "$5.50" five dollars fifty, "2am" two a m.

    Without this the symbol is dropped ("$5" sung "five") or the number is
    lost ("2am" sung "am").
    """
    def money(m: re.Match[str]) -> str:
        unit = _CURRENCY[m.group(1)] + ("" if m.group(2) == "1" and not m.group(3) else "s")
        return f" {m.group(2)} {unit}" + (f" {int(m.group(3))}" if m.group(3) and int(m.group(3)) else "") + " "

    text = re.sub(r"([$€£])\s?(\d+)(?:\.(\d{2}))?(?!\d)", money, text)
    text = re.sub(r"(?<![\w:])(\d{1,2}(?::\d{2})?)\s?([ap])\.?\s?m\b\.?", r"\1 \2 m", text, flags=re.IGNORECASE)
    return re.sub(r"(?<=\d)(?=[A-Za-z]{2,})(?!(?:st|nd|rd|th|s)\b)", " ", text)
