"""The names fictional people are drawn from: a lexicon of Syrian given and family names,
and the larger token pools of the synthetic victim lists.

Both the synthetic lists of :mod:`dalil.linkage.synth` and the demo case (:mod:`dalil.demo`)
draw their people from here; it lives in linkage, below the demo, so that the generator
does not reach up into the demo.

Each lexicon entry is (Arabic script, transliteration style A, transliteration style B).
Style A is a scholarly-leaning English style ("Mohammad al-Hasan"), style B a
French/colloquial style ("Muhammed Hassan", "Elali"), the two ways Syrian names most often
reach Latin-script lists. Common given and family names, combined at random: no entry is a
real person. The token pools add the public-domain TechForPalestine token list
(``data/names/tfp_ar_en.tsv``, one Arabic token and one Latin spelling a line).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

Entry = tuple[str, str, str]

MALE: tuple[Entry, ...] = (
    ("محمد", "Mohammad", "Muhammed"),
    ("أحمد", "Ahmad", "Ahmed"),
    ("علي", "Ali", "Aly"),
    ("حسن", "Hasan", "Hassan"),
    ("حسين", "Husayn", "Hussein"),
    ("محمود", "Mahmoud", "Mahmud"),
    ("يوسف", "Yousef", "Youssef"),
    ("إبراهيم", "Ibrahim", "Ibraheem"),
    ("خليل", "Khalil", "Khaleel"),
    ("سليمان", "Sulaiman", "Souleiman"),
    ("عيسى", "Issa", "Eissa"),
    ("جميل", "Jamil", "Jameel"),
    ("كمال", "Kamal", "Kamel"),
    ("نزار", "Nizar", "Nezar"),
    ("فادي", "Fadi", "Fady"),
    ("رامي", "Rami", "Ramy"),
    ("سامر", "Samer", "Samir"),
    ("باسل", "Basel", "Bassel"),
    ("غسان", "Ghassan", "Ghasan"),
    ("وسيم", "Wassim", "Waseem"),
    ("أيمن", "Ayman", "Aiman"),
    ("مازن", "Mazen", "Mazin"),
    ("هيثم", "Haytham", "Haitham"),
    ("ماهر", "Maher", "Mahir"),
    ("نبيل", "Nabil", "Nabeel"),
    ("عماد", "Imad", "Emad"),
    ("رياض", "Riyad", "Riad"),
    ("منذر", "Munthir", "Monzer"),
    ("جعفر", "Jaafar", "Jafar"),
    ("عباس", "Abbas", "Abas"),
    ("حيدر", "Haidar", "Haydar"),
    ("عبد الله", "Abdullah", "Abdallah"),
    ("عبد الكريم", "Abd al-Karim", "Abdelkarim"),
    ("عبد الرحمن", "Abd al-Rahman", "Abdulrahman"),
    ("نور الدين", "Nur al-Din", "Noureddine"),
    ("علاء الدين", "Ala al-Din", "Alaeddine"),
    ("سعيد", "Said", "Saeed"),
    ("مصطفى", "Mustafa", "Moustafa"),
    ("طارق", "Tariq", "Tarek"),
    ("زياد", "Ziyad", "Ziad"),
    ("شادي", "Shadi", "Chadi"),
    ("ربيع", "Rabi", "Rabih"),
    ("صالح", "Salih", "Saleh"),
    ("عدنان", "Adnan", "Adnane"),
    ("فؤاد", "Fuad", "Fouad"),
    ("ياسر", "Yasir", "Yasser"),
    ("أسامة", "Usama", "Oussama"),
    ("لؤي", "Luay", "Louai"),
)

FEMALE: tuple[Entry, ...] = (
    ("فاطمة", "Fatima", "Fatma"),
    ("زينب", "Zaynab", "Zeinab"),
    ("مريم", "Maryam", "Mariam"),
    ("رهف", "Rahaf", "Rahaff"),
    ("هدى", "Huda", "Houda"),
    ("سعاد", "Suad", "Souad"),
    ("نور", "Nur", "Nour"),
    ("ليلى", "Layla", "Leila"),
    ("رنا", "Rana", "Ranaa"),
    ("سلمى", "Salma", "Selma"),
    ("خديجة", "Khadija", "Khadeeja"),
    ("آمنة", "Amina", "Ameneh"),
    ("هالة", "Hala", "Halah"),
    ("ديما", "Dima", "Deema"),
    ("منى", "Muna", "Mona"),
    ("سمر", "Samar", "Sammar"),
    ("لينا", "Lina", "Leena"),
    ("وفاء", "Wafa", "Wafaa"),
    ("رغد", "Raghad", "Ragad"),
    ("غادة", "Ghada", "Ghadah"),
)

FAMILY: tuple[Entry, ...] = (
    ("الأحمد", "al-Ahmad", "Al Ahmed"),
    ("العلي", "al-Ali", "Elali"),
    ("الحسن", "al-Hasan", "Al Hassan"),
    ("ديب", "Dib", "Deeb"),
    ("خضور", "Khaddour", "Khadour"),
    ("يونس", "Yunus", "Younes"),
    ("حمود", "Hammud", "Hammoud"),
    ("صقر", "Saqr", "Sakr"),
    ("شاهين", "Shahin", "Chahine"),
    ("ميهوب", "Mayhub", "Mihoub"),
    ("ونوس", "Wannus", "Wanous"),
    ("معلا", "Mualla", "Moalla"),
    ("حبيب", "Habib", "Habeeb"),
    ("درويش", "Darwish", "Darwiche"),
    ("زيدان", "Zaydan", "Zeidan"),
    ("بدور", "Baddur", "Badour"),
    ("سلوم", "Sallum", "Salloum"),
    ("رستم", "Rustum", "Rostom"),
    ("قاسم", "Qasim", "Kassem"),
    ("نصور", "Nassur", "Nassour"),
    ("علوش", "Allush", "Alloush"),
    ("غانم", "Ghanim", "Ghanem"),
    ("منصور", "Mansur", "Mansour"),
    ("طراف", "Tarraf", "Taraf"),
    ("الخير", "al-Khayr", "El Kheir"),
    ("مرهج", "Marhaj", "Merhej"),
    ("عمران", "Imran", "Omran"),
    ("حسون", "Hassun", "Hassoun"),
    ("إسماعيل", "Ismail", "Ismaeel"),
    ("سلمان", "Salman", "Selman"),
)


@dataclass(frozen=True)
class Token:
    """One name token: Arabic script and a base Latin spelling."""

    ar: str
    en: str


@cache
def tfp_tokens() -> tuple[Token, ...]:
    """The TechForPalestine tokens, in file order (the order the pools are sliced in)."""
    text = resources.files("dalil").joinpath("data/names/tfp_ar_en.tsv").read_text("utf-8")
    out = []
    for line in text.splitlines():
        if line and not line.startswith("#"):
            ar, en = line.split("\t")
            out.append(Token(ar, en))
    return tuple(out)


@cache
def pools() -> tuple[tuple[Token, ...], tuple[Token, ...], tuple[Token, ...]]:
    """(male given names, female given names, family names) for the synthetic lists.

    The lexicon comes first in each pool, so under the generator's Zipf draw its common
    names (Mohammad, Ahmad, ...) are the most frequent, as in Syrian records.
    """
    tfp = tfp_tokens()
    plain = tuple(t for t in tfp if not t.ar.startswith("ال"))
    article = tuple(t for t in tfp if t.ar.startswith("ال"))
    male = tuple(Token(a, b) for a, b, _ in MALE) + plain[::3]
    female = tuple(Token(a, b) for a, b, _ in FEMALE) + plain[1::3]
    base = tuple(t for pair in zip(plain[2::3], article, strict=False) for t in pair)
    # More family names, as real lists have: nisba forms (-ي / -i) and Abu-names.
    nisba = tuple(Token(t.ar + "ي", t.en + "i") for t in plain[2::3] if not t.ar.endswith("ي"))
    abu = tuple(Token("أبو " + t.ar, "Abu " + t.en.capitalize()) for t in plain[::7])
    family = tuple(Token(a, b.replace("Al ", "al-")) for a, b, _ in FAMILY) + base + nisba + abu
    return male, female, family
