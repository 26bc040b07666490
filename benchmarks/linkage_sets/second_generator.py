"""A second generator of Syrian-style victim lists, for measuring linkage on noise that is not
``dalil.linkage.synth``'s. Written from issue 25's list of what real lists do and from
``shared/design/linkage.md``, without reading dalil's generator or name lexicons.

**Names** come from public data (``../shared/data/names``, see ``SOURCES.md``): Arabic name
segments and their English spellings from the TechForPalestine dictionary of the Gaza MoH
list (``dict_ar_en.csv``, public domain), and alternative Latin spellings of the same
Arabic names seen in Wikidata person labels (Merhav & Ash, COLING 2018, CC0). Given names
are TFP segments that Wikidata also holds (>= 3 sightings), weighted by their Wikidata
count, with names written without any letter only Arabic phonology needs
(ع ح خ ق ص ض ط ظ ذ ث غ, or a final ة) weighted by 0.03 (Wikidata is full of Western
persons: جون would otherwise be the second commonest name). That gives محمد 13 %,
أحمد 8 %, علي 6 % of men. Female: ends in ة/ه with an English form ending in a/ah/eh/aa,
minus a list of male names of that shape, plus a list of female names without it.
Family names: TFP segments with the article (الخطيب, weight 2.5), rarer segments (< 3
Wikidata sightings, not looking female), ابو-names (0.3) and men's given names (0.5), with
Zipf weights (exponent 0.7) over a seeded random order.

**People** come in households of 1-4 victims (60/25/10/5 %) sharing family name, father,
grandfather, date and place (siblings: namesakes in every field but the given name, which
differs between siblings and from the father's); with probability 0.15 a household also
holds its father (son "X F G fam", father "F G H fam").
Ages 1-85; dates 6-10 March 2025 (peak 7-8); 19 places of the coast, each with three
Arabic and three Latin writings. Each person has a visibility ~ Gamma(2, 0.5) (mean 1) that
multiplies every list's capture rate (heterogeneous capture).

**Lists** (:data:`LISTS`): ``ar_full``, ``ar_short``, ``ar_local`` in Arabic script and
``lat_english`` (TFP's English spellings, 20 % of names in another real Wikidata
spelling) and ``lat_levant`` (Wikidata's spellings drawn by count, else a
French-Levantine rewrite: u->ou, sh->ch, q->k, ee->i, final -a of a feminine -> -eh).
A list spells a name the same way 85 % of the time, and draws again 15 %.

**Noise**, per record, rates per list in :data:`LISTS`; each applied noise is logged in
``Generated.noise``:

kind                    what (rate per record: ar_full/ar_short/ar_local/lat_english/lat_levant)
----------------------  ---------------------------------------------------------------------
middle_dropped          one more middle name left out than the list's usual form (4, 3, 3, 3,
                        3 parts): .08/.15/.2/.15/.15
grandfather_for_father  the grandfather where the father was expected: .03/.04/.06/.03/.05
family_first            "Family, Given Father" (Latin lists): 0/0/0/.08/.3
connector               "bin"/"ibn" between given and father: 0/0/0/0/.15
spelling                another real Arabic spelling (TFP) or compound spacing (عبد, ابو),
                        hamza, final ة/ه, ي/ى: .12/.25/.3/0/0
typo                    one letter substituted (Arabic: 60 % a letter differing by its dots),
                        inserted or deleted, either script: .04/.08/.12/.05/.08
swap                    two adjacent letters exchanged: .01/.02/.03/.02/.03
dialect                 j->g where Arabic has ج (Nagah), th->s/t for ث, dh/th->z for ذ, i<->e,
                        u<->o, a letter doubled or undoubled: 0/0/0/.06/.15
glued_article           Al-Ahmad -> Alahmad: 0/0/0/.15/.5
article_dropped         the article left off the family name: .03/.05/.08/.05/.05
date_shift              a day's difference in the date of death: .04/.06/.08/.05/.08
age_off                 age estimated, off by 1-5 years: .1/.2/.25/.15/.2
place_other_way         the place in another of its three writings: .15/.3/.3/.25/.3
duplicate               the same person twice in one list: .01/.02/.03/.01/.02
missing_<field>         sex / age / date_of_death / place_of_death empty:
                        ar_full .05/.25/.03/.05, ar_short .3/.5/.1/.3, ar_local .4/.6/.25/.15,
                        lat_english .1/.3/.2/.2, lat_levant .2/.4/.3/.4

A kind is logged only when it changed the record (not: a typo on a two-letter word, a
dialect rule with nothing to act on, an absent article, a grandfather for a father in a
name already cut to two parts), so the observed rates of ``spelling``, ``dialect``,
``glued_article``, ``article_dropped`` and ``grandfather_for_father`` sit below these.

Output: one CSV per list in the format ``dalil link-lists`` reads (``record_id``,
``full_name``, ``sex``, ``age``, ``date_of_death``, ``place_of_death``, and
``governorate`` in two lists; sex, ages and dates written as each list would: ذكر/أنثى,
"40 سنة", "08/03/2025", "8 آذار 2025", "8 March 2025"), and ``truth.csv``
(``source,record_id,person_id``). Deterministic for a seed.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from linkage_sets import DATA, Generated, Name, Pools, build_pools

#: Arabic letters confused by their dots (or shape), for typos in Arabic script.
_LOOKALIKE = ["بتثني", "جحخ", "دذ", "رز", "سش", "صض", "طظ", "عغ", "فق", "هة", "وؤ", "اأإآ"]
_AR_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
_GOV = {"L": ("اللاذقية", "Latakia"), "T": ("طرطوس", "Tartus"), "H": ("حماة", "Hama")}
#: place|governorate|three Arabic writings|three Latin writings (written from general
#: knowledge of the Syrian coast; the third Arabic writing adds "city of"/"village of").
_PLACE_TABLE = """
latakia|L|اللاذقية;اللاذقيه;مدينة اللاذقية|Latakia;Lattakia;Al-Ladhiqiyah
jableh|L|جبلة;جبله;مدينة جبلة|Jableh;Jablah;Jeble
banyas|T|بانياس;بنياس;مدينة بانياس|Banyas;Baniyas;Banias
tartus|T|طرطوس;طرطوس المدينة;مدينة طرطوس|Tartus;Tartous;Tortosa
qardaha|L|القرداحة;القرداحه;قرداحة|Qardaha;Al-Qardahah;Kardaha
sanobar|L|الصنوبر;صنوبر;قرية الصنوبر|Al-Sanobar;Snobar;Sanawbar
mukhtariya|L|المختارية;المختاريه;مختارية|Al-Mukhtariya;Mukhtariyeh;Moukhtariyeh
haffa|L|الحفة;الحفه;منطقة الحفة|Al-Haffah;Haffeh;Al-Hafa
qadmus|T|القدموس;قدموس;بلدة القدموس|Al-Qadmus;Qadmous;Kadmous
sheikh_badr|T|الشيخ بدر;شيخ بدر;بلدة الشيخ بدر|Sheikh Badr;Al-Shaykh Badr;Cheikh Badr
dreikish|T|الدريكيش;دريكيش;بلدة الدريكيش|Duraykish;Dreikish;Draykish
safita|T|صافيتا;صافيتة;مدينة صافيتا|Safita;Safitha;Safeeta
masyaf|H|مصياف;مصیاف;مدينة مصياف|Masyaf;Misyaf;Messiaf
basnada|L|بسنادا;بسناده;قرية بسنادا|Basnada;Bisnada;Besnada
ain|L|عين الشرقية;عين الشرقيه;قرية عين الشرقية|Ain al-Sharqiya;Ein Sharqiyeh;Ayn ash-Sharqiyah
baida|T|البيضا;البيضاء;قرية البيضا|Al-Bayda;Baida;Beida
qutailbiyah|L|القطيلبية;القطيلبيه;قطيلبية|Qutailbiyah;Al-Qutaylibiyah;Ktailbiyeh
rabia|L|ربيعة;ربيعه;ناحية ربيعة|Rabia;Rabiaa;Rabee'a
qarahila|L|حمام القراحلة;حمام القراحله;القراحلة|Hammam al-Qarahila;Hamam Qarahleh;Hammam Karahila
"""
PLACES = {
    k: (g, tuple(a.split(";")), tuple(b.split(";")))
    for k, g, a, b in (line.split("|") for line in _PLACE_TABLE.strip().splitlines())
}
_MONTH_AR = ("كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران")
_MONTH_EN = ("January", "February", "March", "April", "May", "June")


#: noise kinds, in the order of a list's rates
KINDS = ("middle_dropped", "grandfather_for_father", "family_first", "connector", "spelling",
         "typo", "swap", "dialect", "glued_article", "article_dropped", "date_shift", "age_off",
         "place_other_way", "duplicate")  # fmt: skip


@dataclass(frozen=True)
class ListStyle:
    """How one list is written and how noisy it is (rates per record)."""

    name: str
    script: str  # "ar" | "lat"
    habit: str  # "ar" | "english" | "levant"
    capture: float
    parts: int  # usual number of name parts: 4 = given father grandfather family
    rates: dict[str, float]
    missing: dict[str, float]
    date_format: str
    age_format: str
    place_way: int  # which of the three writings this list prefers
    governorate: bool


def _style(name: str, script: str, habit: str, capture: float, parts: int, rates: str,
           missing: str, date_format: str, age_format: str, place_way: int,
           governorate: bool) -> ListStyle:  # fmt: skip
    kinds = KINDS
    fields = ("sex", "age", "date_of_death", "place_of_death")
    r = dict(zip(kinds, map(float, rates.split()), strict=True))
    m = dict(zip(fields, map(float, missing.split()), strict=True))
    return ListStyle(name, script, habit, capture, parts, r, m, date_format, age_format,
                     place_way, governorate)  # fmt: skip


LISTS = (
    _style("ar_full", "ar", "ar", 0.50, 4, ".08 .03 0 0 .12 .04 .01 0 0 .03 .04 .1 .15 .01",
           ".05 .25 .03 .05", "iso", "plain", 0, True),
    _style("ar_short", "ar", "ar", 0.35, 3, ".15 .04 0 0 .25 .08 .02 0 0 .05 .06 .2 .3 .02",
           ".3 .5 .1 .3", "dmy", "sana", 1, False),
    _style("ar_local", "ar", "ar", 0.30, 3, ".2 .06 0 0 .3 .12 .03 0 0 .08 .08 .25 .3 .03",
           ".4 .6 .25 .15", "ar_month", "about", 2, False),
    _style("lat_english", "lat", "english", 0.30, 3,
           ".15 .03 .08 0 0 .05 .02 .06 .15 .05 .05 .15 .25 .01", ".1 .3 .2 .2", "en_month",
           "plain", 0, True),
    _style("lat_levant", "lat", "levant", 0.20, 3,
           ".15 .05 .3 .15 0 .08 .03 .15 .5 .05 .08 .2 .3 .02", ".2 .4 .3 .4", "iso", "plain",
           1, False),
)  # fmt: skip


@dataclass
class Person:
    pid: str
    given: Name
    father: Name
    grandfather: Name
    family: Name
    female: bool
    age: int
    died: date
    place: str
    visibility: float


def population(n: int, pools: Pools, rng: random.Random) -> list[Person]:
    def pick(names: list[Name], weights: list[float]) -> Name:
        return rng.choices(names, weights)[0]

    days = [date(2025, 3, d) for d in range(6, 11)]
    people: list[Person] = []
    while len(people) < n:
        fam = pick(pools.family, pools.family_w)
        father, grandfather = pick(pools.male, pools.male_w), pick(pools.male, pools.male_w)
        died = rng.choices(days, [1, 3, 3, 2, 1])[0]
        place = rng.choice(list(PLACES))
        base_age = rng.randint(1, 60)
        members = rng.choices([1, 2, 3, 4], [60, 25, 10, 5])[0]
        taken = {father.arabic[0]}  # siblings do not share a given name, nor their father's
        for _ in range(members):
            female = rng.random() < 0.3
            given = father
            while given.arabic[0] in taken:
                given = (
                    pick(pools.female, pools.female_w) if female else pick(pools.male, pools.male_w)
                )
            taken.add(given.arabic[0])
            age = max(1, min(85, base_age + rng.randint(-8, 8)))
            people.append(Person(f"P{len(people) + 1:06d}", given, father, grandfather, fam,
                                 female, age, died, place, rng.gammavariate(2.0, 0.5)))  # fmt: skip
        if rng.random() < 0.15:
            people.append(Person(f"P{len(people) + 1:06d}", father, grandfather,
                                 pick(pools.male, pools.male_w), fam, False,
                                 min(85, base_age + rng.randint(20, 40)), died, place,
                                 rng.gammavariate(2.0, 0.5)))  # fmt: skip
    return people[:n]


def _edit(word: str, rng: random.Random, arabic: bool, kind: str) -> str:
    """One-letter typo (substitute, insert, delete) or a swap of two adjacent letters."""
    if len(word) < 3:
        return word
    i = rng.randrange(1, len(word) - 1) if kind == "swap" else rng.randrange(len(word))
    if kind == "swap":
        return (
            word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
            if word[i] != word[i - 1]
            else word
        )
    alphabet = _AR_LETTERS if arabic else "abcdefghijklmnopqrstuvwxyz"
    op = rng.choice(["sub", "sub", "ins", "del"])
    if op == "del":
        return word[:i] + word[i + 1 :]
    if op == "ins":
        return word[:i] + rng.choice(alphabet) + word[i:]
    group = next((g for g in _LOOKALIKE if word[i] in g), "") if arabic else ""
    pool = [c for c in (group if group and rng.random() < 0.6 else alphabet) if c != word[i]]
    return word[:i] + rng.choice(pool or list(alphabet)) + word[i + 1 :]


def _levantine(english: str, female_end: bool) -> str:
    s = re.sub("(?<!o)u", "ou", english).replace("sh", "ch").replace("q", "k").replace("ee", "i")
    return s[:-1] + "eh" if female_end and re.search("[^aeiou]a$", s) else s


def _dialect(latin: str, arabic: str, rng: random.Random) -> str:
    options = []
    if "ج" in arabic and "j" in latin:
        options.append(("j", "g"))
    if "ث" in arabic and "th" in latin:
        options.append(("th", rng.choice(["s", "t"])))
    if "ذ" in arabic and re.search("dh|th", latin):
        options.append(("dh" if "dh" in latin else "th", "z"))
    for a, b in (("i", "e"), ("e", "i"), ("u", "o"), ("o", "u")):
        if a in latin[1:]:
            options.append((a, b))
    double = re.search(r"([bdfklmnrst])\1", latin)
    options.append((double.group(0), double.group(1)) if double else ("", ""))
    a, b = rng.choice(options)
    if not a:  # double a single consonant
        m = re.search("[aeiou]([bdklmnrst])[aeiou]", latin)
        return latin[: m.start(1)] + m.group(1) + latin[m.start(1) :] if m else latin
    return latin.replace(a, b, 1)


def _title(latin: str) -> str:
    return re.sub(r"(^|[ -])([a-z])", lambda m: m.group(1) + m.group(2).upper(), latin)


class _Writer:
    """Writes one person's record in one list's style, logging the noise it applies."""

    def __init__(self, style: ListStyle, rng: random.Random) -> None:
        self.style, self.rng = style, rng
        self.habit: dict[str, str] = {}  # the list's usual spelling of each name
        self.log: list[str] = []

    def hit(self, kind: str) -> bool:
        return self.rng.random() < self.style.rates[kind]

    def latin(self, name: Name) -> str:
        rng, key = self.rng, name.arabic[0]
        if key in self.habit and rng.random() < 0.85:
            return self.habit[key]
        variant = rng.choices([v for v, _ in name.variants], [c for _, c in name.variants])[0] \
            if name.variants else None  # fmt: skip
        if self.style.habit == "english":
            form = variant if variant and rng.random() < 0.2 else name.english
        else:
            feminine = name.arabic[0][-1] in "ةه"
            form = variant if variant and rng.random() < 0.5 else _levantine(name.english, feminine)
        self.habit.setdefault(key, form)
        return form

    def spelling(self, name: Name, word: str) -> list[str]:
        """Other ways to write ``word``: TFP's other spellings of the name, compound
        spacing (عبد, ابو), bare alef for hamza, ه for a final ة, ى for a final ي."""
        rules = (("^عبد(?! )", "عبد "), ("^عبد ", "عبد"), ("^ابو(?! )", "ابو "), ("[أإآ]", "ا"),
                 ("ة$", "ه"), ("ي$", "ى"))  # fmt: skip
        out = [s for s in name.arabic if s != word]
        out += [re.sub(a, b, word, count=1) for a, b in rules if re.search(a, word)]
        return out

    def name(self, p: Person) -> str:
        st, rng = self.style, self.rng
        n = st.parts - self.hit("middle_dropped")
        self.log += ["middle_dropped"] * (n < st.parts)
        chain = [*[p.given, p.father, p.grandfather][: n - 1], p.family]
        if n >= 3 and self.hit("grandfather_for_father"):
            chain = [p.given, p.grandfather, p.family]
            self.log.append("grandfather_for_father")
        arabic = st.script == "ar"
        words = [nm.arabic[0] if arabic else self.latin(nm) for nm in chain]
        if arabic and self.hit("spelling"):
            options = [(i, w) for i, nm in enumerate(chain) for w in self.spelling(nm, words[i])]
            if options:
                i, words[i] = rng.choice(options)
                self.log.append("spelling")
        article = "^ال" if arabic else "^(al|el)-?"  # only on a name with the article:
        has_article = p.family.arabic[0].startswith("ال")  # Eliana is not el-Iana
        if has_article and re.search(article, words[-1]) and self.hit("article_dropped"):
            words[-1] = re.sub(article, "", words[-1])
            self.log.append("article_dropped")
        if not arabic and re.match("^(al|el)-", words[-1]) and self.hit("glued_article"):
            words[-1] = words[-1].replace("-", "", 1)
            self.log.append("glued_article")
        for kind in ("typo", "swap", "dialect"):
            if self.hit(kind) and (kind != "dialect" or not arabic):
                i = rng.randrange(len(words))
                new = _dialect(words[i], chain[i].arabic[0], rng) if kind == "dialect" \
                    else _edit(words[i], rng, arabic, kind)  # fmt: skip
                if new != words[i]:
                    words[i] = new
                    self.log.append(kind)
        if arabic:
            return " ".join(words)
        words = [_title(w) for w in words]
        if len(chain) >= 3 and self.hit("connector"):
            words.insert(1, rng.choice(["bin", "ibn", "bin"]))
            self.log.append("connector")
        if self.hit("family_first"):
            self.log.append("family_first")
            return f"{words[-1]}, {' '.join(words[:-1])}"
        return " ".join(words)

    def record(self, p: Person) -> dict[str, str]:
        st, rng, arabic = self.style, self.rng, self.style.script == "ar"
        self.log = []
        row = {"full_name": self.name(p)}

        def missing(f: str) -> bool:
            gone = rng.random() < st.missing[f]
            self.log += [f"missing_{f}"] * gone
            return gone

        sex = ("أنثى" if p.female else "ذكر") if arabic else ("F" if p.female else "M")
        row["sex"] = "" if missing("sex") else sex
        age = p.age + (rng.choice([-1, 1]) * rng.randint(1, 5) if self.hit("age_off") else 0)
        self.log += ["age_off"] * (age != p.age)
        age = max(age, 1)
        fmt = {"plain": f"{age}", "sana": f"{age} سنة", "about": f"حوالي {age}"}[st.age_format]
        row["age"] = "" if missing("age") else fmt
        d = p.died + timedelta(days=rng.choice([-1, 1]) if self.hit("date_shift") else 0)
        self.log += ["date_shift"] * (d != p.died)
        row["date_of_death"] = "" if missing("date_of_death") else {
            "iso": d.isoformat(),
            "dmy": d.strftime("%d/%m/%Y"),
            "ar_month": f"{d.day} {_MONTH_AR[d.month - 1]} {d.year}",
            "en_month": f"{d.day} {_MONTH_EN[d.month - 1]} {d.year}",
        }[st.date_format]  # fmt: skip
        gov, ar_ways, lat_ways = PLACES[p.place]
        way = st.place_way
        if self.hit("place_other_way"):
            way = rng.choice([w for w in range(3) if w != way])
            self.log.append("place_other_way")
        row["place_of_death"] = "" if missing("place_of_death") else \
            (ar_ways if arabic else lat_ways)[way]  # fmt: skip
        if st.governorate:
            row["governorate"] = "" if rng.random() < st.missing["place_of_death"] else \
                _GOV[gov][0 if arabic else 1]  # fmt: skip
        return row


_ID = {"ar_full": "{}", "ar_short": "S-{:05d}", "ar_local": "{}", "lat_english": "EN{:05d}",
       "lat_levant": "LV-{}"}  # fmt: skip


def generate(
    people: int,
    seed: int = 1,
    lists: tuple[ListStyle, ...] = LISTS,
    data: Path = DATA,
    half: str | None = None,
) -> Generated:
    """``people`` persons (some never listed), their records on ``lists``, the truth and
    the noise log; the same seed gives the same lists. ``half="test"`` names people only
    from the held-out half of the name data (see :mod:`linkage_sets.name_pairs`)."""
    rng = random.Random(seed)
    pop = population(people, build_pools(seed, data, half), rng)
    out = Generated({}, {}, [], people)
    for st in lists:
        writer = _Writer(st, random.Random(f"{seed}:{st.name}"))
        made: list[tuple[dict[str, str], str, list[str]]] = []
        for p in pop:
            if writer.rng.random() >= min(0.95, st.capture * p.visibility):
                continue
            made.append((writer.record(p), p.pid, writer.log))
            if writer.hit("duplicate"):
                made.append((writer.record(p), p.pid, [*writer.log, "duplicate"]))
        writer.rng.shuffle(made)
        rows = []
        for i, (row, pid, log) in enumerate(made, 1):
            rid = _ID.get(st.name, "{}").format(i)
            rows.append({"record_id": rid, **row})
            out.truth[(st.name, rid)] = pid
            out.noise += [(st.name, rid, kind) for kind in log]
        out.lists[st.name] = rows
    return out
