"""Interview transcripts of the demo's protected witnesses, in Arabic (as recorded) and,
for some, an English translation.

A transcript names its witness only by pseudonym (``W-003``): identities live in the
identity vault, never in a file the team reads every day, and the transcripts say so.
What each witness saw follows the interview summaries of :mod:`dalil.demo.evidence`
(same index ``w % 5``); the towns and days are those of the incidents the witness
reports on. Everything in them is invented.
"""

from __future__ import annotations

from datetime import date

from dalil.demo.story import Town

#: What the witness saw, in Arabic and in English (the interview summaries' order).
ACCOUNTS = (
    (
        "رأيت مسلحين بلباس عسكري مختلط يدخلون البيوت بيتاً بيتاً. كانوا يسألون الناس عن "
        "طائفتهم قبل أن يأخذوا الرجال إلى الخارج.",
        "I saw armed men in mixed uniforms going into the houses one by one. They asked people "
        "their sect before they took the men outside.",
    ),
    (
        "اختبأت على السطح وسمعت إطلاق نار كثيف في الشارع. بعد ساعات نزلت ورأيت جثثاً قرب "
        "الحاجز عند مدخل البلدة.",
        "I hid on the roof and heard heavy shooting in the street. Hours later I came down and "
        "saw bodies near the checkpoint at the entrance of the town.",
    ),
    (
        "أجبروني على المساعدة في حفر خندق ودفن جيراني. لم يسمحوا لنا بغسلهم ولا بالصلاة "
        "عليهم، وقالوا إن علينا أن ننتهي قبل المغرب.",
        "They forced me to help dig a trench and bury my neighbours. They did not let us wash "
        "them or pray over them, and said we had to finish before sunset.",
    ),
    (
        "عرفت شارة الصقر على العصابات التي كان المسلحون يربطونها على رؤوسهم، وهي شارة "
        "رأيتها من قبل على الحاجز.",
        "I recognised the falcon patch on the headbands the gunmen wore; I had seen that patch "
        "before at the checkpoint.",
    ),
    (
        "وصلت سيارات عند الفجر وعلى أبوابها اسم اللواء مكتوباً بالطلاء الأبيض. نزل منها "
        "رجال مسلحون وانتشروا في الحي.",
        "Vehicles arrived at dawn with the brigade's name painted in white on their doors. "
        "Armed men got out and spread through the neighbourhood.",
    ),
)

_AR_MONTH = {3: "آذار", 4: "نيسان"}


def _ar_date(d: date) -> str:
    return f"{d.day} {_AR_MONTH.get(d.month, str(d.month))} {d.year}"


def arabic(label: str, w: int, interviewed: date, seen: list[tuple[date, Town]]) -> str:
    """The Arabic transcript of witness ``label`` (``w``: the witness's index)."""
    first, second = seen
    lines = [
        "[وثيقة خيالية لأغراض العرض — FICTIONAL DEMO]",
        "تفريغ مقابلة مع شاهد",
        f"رمز الشاهد: {label} (اسم مستعار؛ الهوية محفوظة خارج سجلات القضية)",
        f"تاريخ المقابلة: {_ar_date(interviewed)}",
        "المكان: مكان آمن خارج البلدة",
        "المقابِل: INV-1",
        "لغة المقابلة: العربية",
        "",
        "س: هل توافق على تسجيل هذه المقابلة واستخدامها كما شرحنا لك؟",
        "ج: نعم، أوافق.",
        f"س: أين كنت صباح يوم {_ar_date(first[0])}؟",
        f"ج: كنت في بيتي في {first[1].ar}.",
        "س: ماذا رأيت؟",
        f"ج: {ACCOUNTS[w % len(ACCOUNTS)][0]}",
        f"س: وماذا حدث في {second[1].ar} يوم {_ar_date(second[0])}؟",
        "ج: سمعت من أقاربي هناك أن الشيء نفسه حدث، ورأيت بعض ذلك بعيني حين ذهبت لأطمئن عليهم.",
        "س: هل تعرف أسماء من قُتلوا؟",
        "ج: نعم، بعض جيراني. أعطيت أسماءهم لفريق التوثيق على ورقة منفصلة.",
        "س: هل تعرضت لتهديد بعد ذلك؟",
        "ج: وصلتني رسالة تقول إن علي أن أصمت. لذلك طلبت ألا يُذكر اسمي.",
        "س: هل هناك ما تريد إضافته؟",
        "ج: نريد أن يُعرف ما حدث، وأن يُدفن الناس بكرامة.",
        "",
        "[نهاية التفريغ]",
        "أُزيلت من هذا النص كل معلومة قد تكشف هوية الشاهد.",
    ]
    return "\n".join(lines) + "\n"


def english(label: str, w: int, interviewed: date, seen: list[tuple[date, Town]]) -> str:
    """The English translation of :func:`arabic`'s transcript."""
    first, second = seen
    lines = [
        "[FICTIONAL DEMO - every name, place and organisation in this document is invented]",
        "Interview transcript (translated from Arabic by the team's translator, TR-1)",
        f"Witness code: {label} (pseudonym; identity kept outside the case records)",
        f"Date of interview: {interviewed.day} {interviewed:%B %Y}",
        "Place: a safe location outside the town",
        "Interviewer: INV-1",
        "",
        "Q: Do you agree to this interview being recorded and used as we explained?",
        "A: Yes, I agree.",
        f"Q: Where were you on the morning of {first[0].day} {first[0]:%B %Y}?",
        f"A: I was at home in {first[1].en}.",
        "Q: What did you see?",
        f"A: {ACCOUNTS[w % len(ACCOUNTS)][1]}",
        f"Q: And what happened in {second[1].en} on {second[0].day} {second[0]:%B %Y}?",
        "A: My relatives there told me the same thing happened, and I saw some of it myself "
        "when I went to check on them.",
        "Q: Do you know the names of those who were killed?",
        "A: Yes, some of my neighbours. I gave their names to the documentation team on a "
        "separate sheet.",
        "Q: Were you threatened afterwards?",
        "A: I received a message telling me to keep quiet. That is why I asked that my name "
        "not be used.",
        "Q: Is there anything you want to add?",
        "A: We want what happened to be known, and people to be buried with dignity.",
        "",
        "[End of transcript]",
        "Everything that could identify the witness has been removed from this text.",
    ]
    return "\n".join(lines) + "\n"
