"""Who did it and to whom: perpetrator and victim-group noun phrases (issue 26).

The lexicon (:mod:`dalil.extract.lexicon`) knows the groups investigators have named
before. Reports also name them as plain noun phrases: "unidentified armed individuals",
"elements associated with the former government", "Jaysh al-Sharqiya fighters", "عناصر
من الأمن العام", "طيران النظام السوري", "women, children and individuals hors de
combat", "أبناء الطائفة العلوية". This module finds such a phrase by its head noun (a
short list per language), extends it over its modifiers, and gives it a role from its
clause (docs/extraction-guideline.md §5-6):

* **perpetrator**: the phrase follows "by", "at the hands of", "على يد", "من قبل"; or a
  violent verb follows it in its clause ("gunmen shot…", "قوات الأسد ارتكبت…"); or, in
  Arabic, a violent verb or verbal noun stands right before it ("قتلت قوات…", "قصف
  طيران…"); or its head can only mean an attacker ("gunmen", "armed men", "مسلحون",
  "warplanes") in a sentence telling violence.
  A unit named by its form ("the Northern Hawks Brigade", "لواء صقور الشمال") is a
  perpetrator in such a sentence too.
* **victim_group**: a victim head ("civilians", "families", "المدنيين") in a sentence
  telling violence.

Heads are matched on folded words; the phrase keeps the document's own text. No model,
no network: the rules are the offline baseline the issue asks for.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from dalil.places.folding import is_arabic

_WORD = re.compile(r"[\w'’\-]+")

#: heads that name an armed actor; ``attacker`` heads can mean nothing else
_EN_AGENT = {
    "forces", "force", "militias", "militia", "factions", "faction", "groups", "group",
    "elements", "members", "troops", "soldiers", "army", "authorities", "government",
    "regime", "units", "unit", "police", "officers", "personnel", "fighters", "men",
    "individuals", "security", "jihadists", "rebels", "insurgents", "aircraft", "jets",
}  # fmt: skip
_EN_ATTACKER = {
    "gunmen", "militiamen", "perpetrators", "attackers", "assailants", "gangs", "criminals",
    "warplanes", "killers", "snipers", "shabiha", "terrorists",
}  # fmt: skip
#: words that make a named unit of the capitalised words before them
_EN_UNIT = {"brigade", "brigades", "battalion", "battalions", "division", "front",
            "regiment", "corps", "movement", "army", "legion"}  # fmt: skip
_EN_VICTIM = {
    "civilians", "citizens", "residents", "villagers", "families", "family", "women", "children",
    "men", "people", "population", "worshippers", "students", "doctors", "patients",
    "detainees", "protesters", "demonstrators", "alawites", "druze", "christians",
    "kurds", "sunnis", "minorities", "community", "staff", "journalists", "workers",
    "relatives", "displaced", "refugees", "boys", "girls", "elderly", "combat",
}  # fmt: skip
_EN_LEFT = {
    "armed", "unidentified", "unknown", "masked", "government", "pro-government",
    "government-affiliated", "affiliated", "regime", "security", "military", "syrian",
    "russian", "turkish", "kurdish", "islamist", "opposition", "rebel", "allied", "foreign",
    "former", "local", "tribal", "bedouin", "druze", "alawite", "sunni", "christian",
    "unarmed", "innocent", "entire", "whole", "displaced", "medical", "elderly",
    "young", "state", "army", "air", "regime-affiliated", "militia",
}  # fmt: skip
_EN_POST = re.compile(
    r"^\s+(?:(?:affiliated|associated|allied|aligned)\s+(?:with|to)|linked\s+to|loyal\s+to"
    r"|backed\s+by|belonging\s+to|supporting|of|from)\s+", re.I)  # fmt: skip
_EN_HEADS = _EN_AGENT | _EN_ATTACKER | _EN_VICTIM
#: capitalised words that never modify a group: months, weekdays, numbers
_EN_NOT_LEFT = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "one", "two", "three", "four", "five", "six", "seven",
    "eight", "nine", "ten", "dozens", "hundreds", "thousands", "several", "some", "many",
    "in", "on", "at", "front", "after", "before", "during", "when", "while", "since",
}  # fmt: skip
_EN_POST_WORDS = {"the", "former", "ousted", "transitional", "caretaker", "interim",
                  "government", "regime", "authorities", "security", "forces", "its",
                  "allies", "and", "led", "by", "assad", "state", "army", "village",
                  "town", "victims", "hors", "de", "combat"}  # fmt: skip
_EN_BY = re.compile(
    r"(?:\bby|\bat the hands of|\bcarried out by|\battributed to|\bblamed on|\bperpetrated by"
    r"|\bcommitted by|\bresponsibility (?:to|on))\s+(?:the\s+)?$", re.I)  # fmt: skip
_EN_VIOLENT_AFTER = re.compile(
    r"^[^.;\n]{0,60}?\b(?:killed|kill|shot|shoot|executed|execute|murdered|attacked|"
    r"opened fire|raided|stormed|bombed|shelled|struck|abducted|kidnapped|burned|burnt|"
    r"tortured|massacred|targeted|fired|committed|carried out|perpetrated|slaughtered|"
    r"rounded up|forced)\b", re.I)  # fmt: skip
#: a violent verb or preposition right before the phrase: it is the object ("killed 12 men")
_EN_OBJECT = re.compile(
    r"\b(?:against|on|of|among|including|killing|killed|shot|executed|murdered|massacred|"
    r"abducted|kidnapped|targeted|tortured)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$", re.I)  # fmt: skip
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are|got)\b", re.I)
#: words a post-modifier does not end on
_EN_DANGLING = {"and", "by", "led", "the", "of", "its"}

_AR_FORMS = str.maketrans("ھإآى", "هأأي")


def _ar_key(word: str) -> str:
    """A word as the head lists write it: Persian heh, alef and ya forms folded."""
    return word.translate(_AR_FORMS)


_AR_AGENT = {"قوات", "القوات", "عناصر", "فصائل", "الفصائل", "ميليشيات", "الميليشيات",
             "مليشيات", "مجموعات", "المجموعات", "جماعات", "الجماعات", "الجيش", "جيش",
             "النظام", "نظام", "السلطات", "الحكومة", "حكومة", "قادة", "وحدات", "الأمن",
             "طائرات", "الطائرات", "طيران", "الطيران", "سلاح", "كتائب", "أجهزة",
             "الأجهزة"}  # fmt: skip
_AR_ATTACKER = {"مسلحون", "مسلحين", "مسلحان", "المسلحين", "المسلحون", "المهاجمين",
                "المهاجمون", "مهاجمين", "فلول", "عصابات", "العصابات", "الشبيحة", "شبيحة",
                "القناصة", "الإرهابيين"}  # fmt: skip
_AR_UNIT = {"لواء", "كتيبة", "فرقة", "الفرقة", "جبهة", "فيلق", "الفيلق"}
_AR_VICTIM = {"المدنيين", "مدنيين", "مدنيون", "المدنيون", "مدنياً", "مدنيا", "الأطفال",
              "أطفال", "طفلاً", "طفلا", "النساء", "نساء", "سيدة", "السكان", "سكان", "الأهالي",
              "أهالي", "العائلات", "عائلات", "عائلة", "أسر", "الأسر", "أبناء", "العلويين",
              "العلويون", "الدروز", "المسيحيين", "الأكراد", "الكرد", "المتظاهرين", "متظاهرين",
              "المحتجين", "الصحفيين", "صحفيين", "المعتقلين", "المحتجزين", "الكوادر", "الطواقم",
              "المرضى", "النازحين", "الشباب", "الرجال", "رجال", "شعبها", "الشعب", "أفراد",
              "الطائفة", "المواطنين", "مواطنين", "عائلته", "عائلتها", "عائلتي"}  # fmt: skip
_AR_RIGHT_OK = {"مسلحة", "المسلحة", "حربية", "الحربية", "روسية", "سورية", "السوري",
                "السورية", "الروسي", "الروسية", "مجهولة", "مجهولين", "تابعة", "التابعة",
                "موالية", "الموالية", "المرتبطة", "مرتبطة", "الحكومية", "الأمنية", "العسكرية",
                "من"}  # fmt: skip
_AR_STOP = {"في", "على", "إلى", "الى", "عن", "مع", "بين", "التي", "الذي", "الذين", "قد",
            "ما", "لا", "أن", "إن", "كما", "بعد", "قبل", "خلال", "منذ", "حيث", "وقد", "ثم",
            "حتى"}  # fmt: skip
#: violent verbs, in any person and tense ("قتلت", "أعدموا")
_AR_VERBS = (r"قتل\w*|أعدم\w*|اعدم\w*|قصف\w*|استهدف\w*|اقتحم\w*|هاجم\w*|أطلق\w*|اطلق\w*"
             r"|شن\w*|ارتكب\w*|اعتقل\w*|خطف\w*|اختطف\w*")  # fmt: skip
#: the subject before its verb: "قوات الأسد ارتكبت ..."
_AR_VIOLENT_AFTER = re.compile(
    rf"^[^.؛\n]{{0,40}}?(?<![\u0621-\u064a])[وف]?(?:{_AR_VERBS}|نفذ\w*)(?![\u0621-\u064a])"
)
_AR_BY = re.compile(
    r"(?:على\s+يد|على\s+أيدي|على\s+ايدي|من\s+قبل|بواسطة|نفذ\w*|ارتكب\w*|شن\w*|بيد"
    r"|قام\w*\s+ب\w*)\s*$"  # "غارات قام بها سلاح الجو"
    r"|(?:اشتباك\w*|متبادل\w*|معارك|مواجهات)[^.؛\n]{0,60}بين\s+$"  # the parties to a clash
)
#: the verb, or its verbal noun, before its subject: "قتلت قوات ...", "قصف طيران ..."
_AR_VIOLENT_BEFORE = re.compile(
    rf"(?<![\u0621-\u064a])[وف]?(?:{_AR_VERBS}|غار\w*|هجوم|هجمات|مجزر\w*|مجازر)\s+ل?$"
)  # "مجزرتين لطيران الأسد": a massacre by


_AR_VICTIM = {_ar_key(w) for w in _AR_VICTIM}
_AR_AGENT = {_ar_key(w) for w in _AR_AGENT}
_AR_ATTACKER = {_ar_key(w) for w in _AR_ATTACKER}
_HEADS = _AR_VICTIM | _AR_AGENT | _AR_ATTACKER | _AR_UNIT


@dataclass(frozen=True)
class ActorFact:
    """A noun phrase and the role its clause gives it."""

    start: int
    end: int
    text: str
    role: str  # perpetrator or victim_group
    head: str
    named: bool
    kind: str = "actor"
    rule: str = "phrase"

    @property
    def confidence(self) -> float:
        return 0.7 if self.role == "perpetrator" else 0.6

    @property
    def value(self) -> dict[str, Any]:
        return {"role": self.role, "name": self.text, "head": self.head, "named": self.named}


Words = list[tuple[int, int, str]]
Violent = Callable[[int, int], bool]


def find(text: str, violent: Violent) -> Iterator[ActorFact]:
    """Every perpetrator and victim-group phrase of ``text``; ``violent(start, end)`` says
    whether the sentence around a span tells violence."""
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    taken = -1
    for i, (start, _end, word) in enumerate(words):
        if start < taken:
            continue
        fact = (_arabic if is_arabic(word) else _latin)(text, words, i, violent)
        if fact is not None:
            taken = fact.end
            yield fact


def _head(word: str) -> str:
    """A word as the head lists write it: lower case, without a possessive 's."""
    low = word.lower()
    return low[:-2] if low.endswith(("'s", "’s")) else low


def _joined(text: str, words: Words, a: int, b: int) -> bool:
    """Whether words ``a`` and ``b`` are next to each other in one phrase (a space or a
    slash between them, no punctuation)."""
    return text[words[a][1] : words[b][0]] in (" ", "/")


def _latin(text: str, words: Words, i: int, violent: Violent) -> ActorFact | None:
    start, end, word = words[i]
    low = _head(word)
    unit = (
        low in _EN_UNIT and i > 0 and _joined(text, words, i - 1, i)
        and words[i - 1][2][:1].isupper() and _left_ok(words[i - 1][2])
    )  # fmt: skip
    if not (low in _EN_HEADS or unit):
        return None
    if (
        i + 1 < len(words)
        and _joined(text, words, i, i + 1)
        and _left_ok(word)
        and (_head(words[i + 1][2]) in _EN_HEADS or _head(words[i + 1][2]) in _EN_UNIT)
    ):
        return None  # "Security forces": the next head takes this word as its modifier
    if low == "combat" and not text[:start].endswith("hors de "):
        return None
    j = i
    while j > 0 and i - j < 4 and _joined(text, words, j - 1, j) and _left_ok(words[j - 1][2]):
        if _starts_sentence(text, words[j - 1][0]) and words[j - 1][2].lower() not in _EN_LEFT:
            break  # "On Monday gunmen ...": a capitalised word opening the sentence
        j -= 1
    post, head_end = _EN_POST.match(text[end : end + 40]), end
    if post and low in _EN_HEADS:
        k = i + 1
        while k < len(words) and words[k][0] < end + post.end():
            k += 1  # the words of "affiliated with", "of", ...
        taken = [k]
        while (
            k < len(words)
            and k - i < 10
            and _post_word(words[k][2])
            and (k == taken[0] or _joined(text, words, k - 1, k))
        ):
            taken.append(k)
            k += 1
        while len(taken) > 1 and words[taken[-1]][2].lower() in _EN_DANGLING:
            taken.pop()  # "... the former regime and"
        if len(taken) > 1:
            end = words[taken[-1]][1]
    if low in ("community", "people") and j == i and end == head_end:
        return None  # "the Alawite community", "people of the village"; not "people fled",
        # nor "12 people of whom 3 were children"
    start = words[j][0]
    phrase = text[start:end]
    if not violent(start, end):
        return None
    before = text[max(0, start - 40) : start]
    inside = [w[2] for w in words[j : i + 12] if w[0] < end]
    named = unit or any(
        w.lower() in _EN_UNIT and p[:1].isupper() and _left_ok(p)
        for p, w in itertools.pairwise(inside)
    )
    armed = any(w[2].lower() in ("armed", "masked", "unidentified") for w in words[j:i])
    active = _active_violence(text[end : end + 80]) and not _EN_OBJECT.search(before)
    if low in _EN_VICTIM and not unit and not armed:
        if _EN_BY.search(before) or (low == "men" and active):
            return ActorFact(start, end, phrase, "perpetrator", word, named)
        return ActorFact(start, end, phrase, "victim_group", word, False)
    if _EN_BY.search(before) or active or low in _EN_ATTACKER or unit or armed:
        return ActorFact(start, end, phrase, "perpetrator", word, named)
    return None


def _starts_sentence(text: str, position: int) -> bool:
    before = text[:position].rstrip()
    return not before or before[-1] in ".!?:\n"


def _active_violence(after: str) -> bool:
    """A violent verb follows in the clause, in the active voice ("gunmen shot", not
    "soldiers were killed")."""
    m = _EN_VIOLENT_AFTER.match(after)
    return m is not None and not _PASSIVE.search(after[: m.end()])


def _post_word(word: str) -> bool:
    """Whether ``word`` can continue "affiliated with ..." ("the former government")."""
    return word.lower() in _EN_POST_WORDS or word[:1].isupper()


_EN_LEFT_ENDINGS = ("-backed", "-affiliated", "-led", "-linked", "-aligned", "'s", "’s")


def _left_ok(word: str) -> bool:
    """Whether ``word`` can stand before a head in its noun phrase."""
    low = word.lower()
    if low in ("the", "a", "an", "by", "of", "and") or low in _EN_NOT_LEFT or word.isdigit():
        return False
    return (
        low in _EN_LEFT
        or word[:1].isupper()
        or low.endswith(_EN_LEFT_ENDINGS)
        or low.startswith(("al-", "el-"))  # "Jaysh al-Sharqiya fighters"
    )


def _bare(word: str) -> tuple[str, int]:
    """The word without an attached و ف ب ل, and how many letters that was ("للمتظاهرين"
    is ل + المتظاهرين with the article's alef dropped). A word that is a head as written
    ("فلول") keeps its first letter."""
    if word in _HEADS:
        return word, 0
    if word.startswith("لل") and len(word) > 4:
        return "ا" + word[1:], 1
    bare = re.sub(r"^[وفبل](?=[\u0621-\u064a]{3})", "", word)
    return bare, len(word) - len(bare)


def _arabic(text: str, words: Words, i: int, violent: Violent) -> ActorFact | None:
    start, end, word = words[i]
    bare, attached = _bare(_ar_key(word))
    start += attached  # an attached و ف ب ل is not part of the phrase
    if bare in _AR_UNIT:
        end, named = _unit_name(text, words, i)
        if not named or not violent(start, end):
            return None
        return ActorFact(start, end, text[start:end], "perpetrator", bare, True)
    if bare in _AR_MEMBERS and _agent_follows(words, i):
        kind = "agent"  # "رجال الأمن", "أفراد من الأمن العام"
    elif bare in _AR_VICTIM:
        kind = "victim"
    elif bare in _AR_AGENT or bare in _AR_ATTACKER:
        kind = "agent"
    else:
        return None
    k, named, kept = i + 1, False, [i]
    while k < len(words) and k - i <= 4 and text[words[k - 1][1] : words[k][0]] == " ":
        w = _ar_key(words[k][2])
        if w in _AR_STOP or not is_arabic(w) or (_bare(w)[0] in _AR_VICTIM and kind == "agent"):
            break  # "قتل مسلحون الأطفال": the object is not part of the phrase
        if w in _AR_UNIT:  # "عناصر من لواء صقور الشمال"
            end, named = _unit_name(text, words, k)
            kept = []
            break
        if w.startswith("و") and _bare(w)[0] in _AR_VICTIM and kind == "victim":
            kept.append(k)  # "الأطفال والنساء"
            k += 1
            continue
        prev = words[k - 1][2]
        linked = prev in _AR_LINKS or prev.startswith("ل")
        if not (w.startswith(("ال", "لل", "لـ")) or w in _AR_RIGHT_OK or linked):
            break
        if (
            w.startswith("ال")
            and not linked
            and ((k > i + 1 and not prev.startswith("ال")) or _ar_key(prev).endswith(("ون", "ين")))
        ):
            break  # a definite word after an indefinite adjective or a sound plural is the
            # verb's object: "طائرات حربية روسية القرية", "مسلحون القرية"
        kept.append(k)
        k += 1
    while len(kept) > 1 and words[kept[-1]][2] in _AR_LINKS:
        kept.pop()  # "عناصر من" ends on its preposition
    if kept:
        end = words[kept[-1]][1]
    if not violent(start, end):
        return None
    phrase = text[start:end]
    before = text[max(0, start - 30) : start]
    if kind == "victim":
        return ActorFact(start, end, phrase, "victim_group", bare, False)
    after = text[end : end + 60]
    if (
        named
        or _AR_BY.search(before)
        or _AR_VIOLENT_BEFORE.search(before)
        or _AR_VIOLENT_AFTER.match(after)
        or bare in _AR_ATTACKER
    ):
        return ActorFact(start, end, phrase, "perpetrator", bare, named)
    return None


#: words after which the phrase goes on ("تابعة لـ", "عناصر من ...")
_AR_LINKS = {"تابعة", "التابعة", "موالية", "الموالية", "من", "المرتبطة", "مرتبطة"}
#: heads that name people of a group ("رجال الأمن" are agents, "رجال القرية" victims)
_AR_MEMBERS = {"رجال", "أفراد", "أبناء", "عناصر"}


def _agent_follows(words: Words, i: int) -> bool:
    """Whether an agent's word follows a members head ("رجال الأمن", "أفراد من الجيش")."""
    nxt = [_ar_key(w[2]) for w in words[i + 1 : i + 3]]
    if nxt and nxt[0] == "من":
        nxt = nxt[1:]
    return bool(nxt) and (nxt[0] in _AR_AGENT or nxt[0] in ("الأمن", "الجيش", "الشرطة"))


def _unit_name(text: str, words: Words, k: int) -> tuple[int, bool]:
    """The end of a unit's name after its word at ``k`` ("لواء صقور الشمال", "الفرقة 25"):
    up to two words joined by single spaces, a number ending it; False when no name
    follows (the word is then a common noun)."""
    end, taken = words[k][1], 0
    for n in range(k + 1, min(len(words), k + 3)):
        w = words[n][2]
        if text[words[n - 1][1] : words[n][0]] != " " or _ar_key(w) in _AR_STOP:
            break
        if w.isdigit():
            return words[n][1], True
        if not is_arabic(w):
            break
        end, taken = words[n][1], taken + 1
    return end, taken > 0
