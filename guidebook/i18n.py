"""What a page's language decides besides its words: quotation marks, direction, paper, words.

Language codes are BCP 47 tags as a coach writes them (`en`, `en-GB`, `pt-BR`, `ar`); a rule
for a language applies to every region of it unless the region has its own rule.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

import snowballstemmer

NBSP = "\u00a0"
# Opening and closing double quotation marks, after the Unicode CLDR delimiters
# (quotationStart / quotationEnd) of each language; French puts a no-break space inside.
QUOTES: dict[str, tuple[str, str]] = {
    "en": ("\u201c", "\u201d"),  # “…”
    "de": ("\u201e", "\u201c"),  # „…“
    "fr": ("\u00ab" + NBSP, NBSP + "\u00bb"),  # « … »
    "es": ("\u00ab", "\u00bb"),  # «…»
    "pt": ("\u00ab", "\u00bb"),
    "pt-br": ("\u201c", "\u201d"),
    "ru": ("\u00ab", "\u00bb"),
    "uk": ("\u00ab", "\u00bb"),
    "it": ("\u00ab", "\u00bb"),
    "ar": ("\u00ab", "\u00bb"),
    "fa": ("\u00ab", "\u00bb"),
    "pl": ("\u201e", "\u201d"),  # „…”
    "nl": ("\u201c", "\u201d"),
    "cs": ("\u201e", "\u201c"),
    "da": ("\u00bb", "\u00ab"),  # »…«
    "sv": ("\u201d", "\u201d"),  # ”…”
    "fi": ("\u201d", "\u201d"),
    "ja": ("\u300c", "\u300d"),  # 「…」
    "zh": ("\u201c", "\u201d"),
}
# Languages written right to left (Unicode CLDR character order).
RTL = {"ar", "he", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"}
# Language subtags replaced in ISO 639 and the IANA subtag registry (their Preferred-Value),
# still written by old software and habits: "iw" is Hebrew, written right to left.
DEPRECATED = {"iw": "he", "ji": "yi", "in": "id", "jw": "jv", "mo": "ro"}
# Regions that use US Letter paper (CLDR paperSize); every other region uses A4.
LETTER_REGIONS = {"US", "CA", "MX", "PH", "CL", "CO", "VE", "PR", "GT", "SV", "NI", "CR",
                  "PA", "DO", "BZ"}
# Scripts written without spaces between words: each character counts as half a word in
# reading times (a Chinese or Japanese word averages about two characters).
SPACELESS = re.compile(
    "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # kana, CJK ideographs
    "\u0e00-\u0e7f\u0e80-\u0eff\u1000-\u109f\u1780-\u17ff]")  # Thai, Lao, Myanmar, Khmer
DOUBLE_QUOTE = re.compile(r'"')


# A language tag's shape (BCP 47, RFC 5646 section 2.1): a language of 2 or 3 letters, then
# subtags of 2 to 8 letters or digits, joined by hyphens (or, as gettext and POSIX locales
# write them, underscores).
TAG_SHAPE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")


def language_tag(text: str) -> str:
    """Return a language tag as a coach wrote it (`pt_BR`, `EN`, `zh_hant_tw`) in the form
    HTML's `lang` and browsers' Intl take (`pt-BR`, `en`, `zh-Hant-TW`): hyphens, and the case
    RFC 5646 section 2.1.1 recommends (language lowercase, a script Titlecase, a region of two
    letters uppercase), and a replaced language subtag as its replacement (DEPRECATED:
    `iw` -> `he`). Text that is not shaped like a tag (`English`) is returned as it is,
    for the check that reports it (catalogs.is_language)."""
    text = text.strip()
    if not TAG_SHAPE.fullmatch(text):
        return text
    language, *rest = re.split(r"[-_]", text)
    subtags = [DEPRECATED.get(language.lower(), language.lower())]
    for subtag in rest:
        if len(subtag) == 4 and subtag.isalpha():
            subtags.append(subtag.title())  # a script: Hant, Latn, Cyrl
        elif len(subtag) == 2 and subtag.isalpha():
            subtags.append(subtag.upper())  # a region: BR, US
        else:
            subtags.append(subtag.lower())  # a region of digits (419), a variant
    return "-".join(subtags)


def base_language(language: str) -> str:
    """Return the language subtag of a tag, lowercased: "pt-BR" -> "pt"."""
    return re.split(r"[-_]", language, maxsplit=1)[0].lower()


def rule(table: dict[str, tuple[str, str]], language: str) -> tuple[str, str]:
    """Look a language up in a per-language table: the full tag first, then its language,
    then English."""
    tag = language.lower().replace("_", "-")
    return table.get(tag) or table.get(base_language(tag)) or table["en"]


def quotes(language: str) -> tuple[str, str]:
    """Return the (opening, closing) double quotation marks of a language, as text."""
    return rule(QUOTES, language)


def smarty_substitutions(language: str) -> dict[str, str]:
    """Return Python-Markdown smarty's `substitutions` for a language's double quotes.

    Single quotes keep smarty's defaults in every language: the same character is the
    apostrophe inside words (don't, l’amour), which must not change with the language.
    """
    opening, closing = quotes(language)
    if (opening, closing) == QUOTES["en"]:
        return {"left-double-quote": "&ldquo;", "right-double-quote": "&rdquo;"}  # smarty's
    return {"left-double-quote": opening, "right-double-quote": closing}


APOSTROPHE = re.compile(r"(?<=\w)'")


def quote_text(text: str, language: str) -> str:
    """Turn straight double quotes in a plain text (a title, a checklist item) into the
    language's quotation marks, as smarty does in Markdown: a quote at the start or after
    a space or opening bracket opens, any other closes. An apostrophe inside or at the end
    of a word (it's, the coaches') becomes ’, as smarty makes it in every language."""
    if "'" in text:
        text = APOSTROPHE.sub("\u2019", text)
    if '"' not in text:
        return text
    opening, closing = quotes(language)
    out = []
    for index, char in enumerate(text):
        if char != '"':
            out.append(char)
            continue
        before = text[index - 1] if index else " "
        out.append(opening if before.isspace() or before in "([{\u2014\u2013-" else closing)
    return "".join(out)


def direction(language: str) -> str:
    """Return "rtl" for a language written right to left, else "ltr"."""
    return "rtl" if base_language(language) in RTL else "ltr"


def language_attributes(text_language: str, page_language: str) -> str:
    """Return the HTML attributes that mark a text in one language on a page in another
    (WCAG 2.2 SC 3.1.2 Language of Parts): ' lang="fr"', with ' dir="rtl"' (or "ltr") when
    the two are written in different directions, so that the text is also isolated from the
    page's (HTML's dir); "" for text in the page's language. Tags compare case-insensitively.
    """
    if text_language.lower().replace("_", "-") == page_language.lower().replace("_", "-"):
        return ""
    attributes = f' lang="{html.escape(text_language)}"'
    if direction(text_language) != direction(page_language):
        attributes += f' dir="{direction(text_language)}"'
    return attributes


def paper(language: str, setting: str = "auto") -> str:
    """Return the default paper of a page: the site's setting when it is a4 or letter;
    otherwise Letter for a language tag whose region uses it (en-US, fr-CA), A4 for any
    other region, and "auto" (the reader's browser decides) for a tag without a region."""
    if setting != "auto":
        return setting
    parts = re.split(r"[-_]", language)
    region = next((p.upper() for p in parts[1:] if re.fullmatch(r"[A-Za-z]{2}|\d{3}", p)), "")
    if not region:
        return "auto"
    return "letter" if region in LETTER_REGIONS else "a4"


def count_words(text: str) -> int:
    """Count the words of a plain text for reading times: words between spaces, and in
    scripts written without spaces (Chinese, Japanese, Thai, ...) one word per two
    characters."""
    spaceless = len(SPACELESS.findall(text))
    if not spaceless:
        return len(text.split())
    rest = SPACELESS.sub(" ", text)
    return len(rest.split()) + (spaceless + 1) // 2


# Snowball stemmers (the snowballstemmer package) by language code.
STEMMERS = {
    "ar": "arabic", "ca": "catalan", "cs": "czech", "da": "danish", "de": "german",
    "el": "greek", "en": "english", "eo": "esperanto", "es": "spanish", "et": "estonian",
    "eu": "basque", "fa": "persian", "fi": "finnish", "fr": "french", "ga": "irish",
    "hi": "hindi", "hu": "hungarian", "hy": "armenian", "id": "indonesian", "it": "italian",
    "lt": "lithuanian", "nb": "norwegian", "ne": "nepali", "nl": "dutch", "no": "norwegian",
    "pl": "polish", "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian",
    "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}
WORD = re.compile(r"[^\W_]+")
# Arabic letters that readers type in more than one form (search.js folds them the same way).
ARABIC_FORMS = str.maketrans({"\u0649": "\u064a", "\u0629": "\u0647", "\u0640": None})
# A German participle (abgelehnt, gesagt) without its ge- and ending: its word stem.
GERMAN_PARTICIPLE = re.compile(
    r"(ab|an|auf|aus|bei|ein|mit|nach|vor|weg|zu|zuruck|dar|her|hin|fest|los)?ge(.{3,}?)(et|t|en)")


def fold(word: str) -> str:
    """Return a word as search compares it: lowercase, without accents or vowel marks, Arabic
    letter forms made one (search.js's fold() does the same in the reader's browser)."""
    decomposed = unicodedata.normalize("NFD", word.casefold())
    bare = "".join(c for c in decomposed if unicodedata.category(c)[0] != "M")
    return unicodedata.normalize("NFC", bare.translate(ARABIC_FORMS))


@lru_cache(maxsize=64)
def stemmer(language: str) -> snowballstemmer.stemmer | None:
    """Return the Snowball stemmer of a language, or None when there is none."""
    name = STEMMERS.get(base_language(language))
    return snowballstemmer.stemmer(name) if name else None


def search_words(text: str, language: str,
                 forms: dict[tuple[str, str], tuple[str, ...]] | None = None) -> str:
    """Return the words a page is found by: each word of the text folded, and its Snowball
    stem in the page's language, so that another form of a word finds it (rejected finds
    rejection: both have the stem "reject"). Sorted, unique, separated by spaces.

    `forms` is a memo {(language, casefolded word): its forms} kept by the caller for the
    pages of one search index: the pages of a site share most of their words, and stemming
    (pure Python) is most of the index's time. Same result with or without it.
    """
    memo = {} if forms is None else forms
    found: set[str] = set()
    for word in {word.casefold() for word in WORD.findall(text)}:
        known = memo.get((language, word))
        if known is None:
            known = memo[(language, word)] = word_forms(word, language)
        found.update(known)
    return " ".join(sorted(w for w in found if len(w) > 1))


def word_forms(word: str, language: str) -> tuple[str, ...]:
    """Return the forms a casefolded word is found by: folded (fold), its Snowball stem
    folded and, in German, the stem of a participle without its ge- (GERMAN_PARTICIPLE)."""
    found = {fold(word)}
    stem = stemmer(language)
    if stem is not None:
        found.add(fold(stem.stemWord(word)))
        if base_language(language) == "de":
            variants = [(m.group(1) or "") + m.group(2) for form in sorted(found)
                        if (m := GERMAN_PARTICIPLE.fullmatch(form))]
            found.update(fold(s) for s in stem.stemWords(variants))
    return tuple(sorted(found))
