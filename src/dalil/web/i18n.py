"""Interface language: English or Arabic, chosen per request.

The choice comes from ``?lang=`` (remembered in a cookie), else the cookie, else the
browser's ``Accept-Language``. Arabic pages are ``dir="rtl"``; record values keep their
own direction (``<bdi dir="auto">``) whatever the interface language. Terms missing from
the table fall back to English rather than failing.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request

from dalil.web.messages import evidence, jobs, look, records, team

LANGS = ("en", "ar")

AR = {
    "Legal analysis": "التحليل القانوني",
    "Element matrices": "مصفوفات الأركان",
    "Element matrix": "مصفوفة الأركان",
    "Protocol checklists": "قوائم التحقق من البروتوكولات",
    "Case file": "ملف القضية",
    "Generate": "إنشاء",
    "Download the case file": "تنزيل ملف القضية",
    "audience": "الجمهور",
    "internal (the team)": "داخلي (الفريق)",
    "committee": "اللجنة",
    "public": "علني",
    "group": "جهة",
    "protocol": "البروتوكول",
    "complete": "مكتمل",
    "partial": "جزئي",
    "not started": "لم يبدأ",
    "impossible": "متعذر",
    "not applicable": "لا ينطبق",
    "not assessed": "لم يُقيَّم",
    "supported": "مدعوم",
    "contested": "محل خلاف",
    "insufficient": "غير كافٍ",
    "some information": "بعض المعلومات",
    "reasonable grounds": "أسباب معقولة للاعتقاد",
    "strong": "قوي وواضح ومقنع",
    "element": "الركن",
    "status": "الحالة",
    "suggested": "المقترح",
    "evidence": "الأدلة",
    "finding": "الاستنتاج",
    "context": "سياق",
    "gaps": "الثغرات",
    "standard of proof": "معيار الإثبات",
    "Record": "تسجيل",
    "Confirm suggestion": "تأكيد الاقتراح",
    (
        "A status is a finding by a person; a suggestion is what the records show and "
        "nobody has confirmed yet."
    ): "الحالة استنتاج يسجله شخص؛ والاقتراح ما تظهره السجلات ولم يؤكده أحد بعد.",
    "item": "البند",
    "per subject": "لكل موضوع",
    "why": "السبب",
    "set by a person": "يحدده شخص",
    "prevented by": "منعه",
    "Set an item": "تحديد حالة بند",
    "subject (label or id, for a per-subject item)": "الموضوع (الرمز أو المعرّف، لبند يخص موضوعاً)",
    "reason": "السبب",
    "death": "وفاة",
    "witness": "شاهد",
    "digital item": "مادة رقمية",
    "Reports": "التقارير",
    "Report": "التقرير",
    (
        "Reports and statements read for facts: each proposal points at its exact words, "
        "and nothing becomes a fact until a person accepts it."
    ): (
        "تقارير وإفادات تُقرأ لاستخراج الوقائع: كل اقتراح يشير إلى كلماته بالضبط، "
        "ولا يصبح واقعة قبل أن يقبله شخص."
    ),
    "Add a report": "إضافة تقرير",
    "Read it": "اقرأه",
    "published": "تاريخ النشر",
    "languages": "اللغات",
    "open proposals": "اقتراحات مفتوحة",
    "proposals": "الاقتراحات",
    "characters": "حرفاً",
    "document": "الوثيقة",
    "check": "للتحقق",
    "record": "السجل",
    "a new group": "جهة جديدة",
    "Accept": "قبول",
    "Reject": "رفض",
    "accepted": "مقبول",
    "rejected": "مرفوض",
    "count": "عدد",
    "actor": "جهة",
    "act": "فعل",
    "report": "التقرير",
    "format": "الصيغة",
    "unknown": "غير معروف",
    "Cases": "القضايا",
    "Dashboard": "لوحة القضية",
    "Incidents": "الحوادث",
    "Incident": "الحادثة",
    "Victims": "الضحايا",
    "Evidence": "الأدلة",
    "Burial sites": "مواقع الدفن",
    "Map": "الخريطة",
    "Timeline": "التسلسل الزمني",
    "Estimates": "التقديرات",
    "Linkage review": "مراجعة الربط",
    "Audit log": "سجل التدقيق",
    "Sign out": "تسجيل الخروج",
    "Deaths documented": "الوفيات الموثقة",
    "Deaths estimated": "الوفيات المقدّرة",
    "interval": "المجال",
    "not estimated yet": "لم تُقدَّر بعد",
    "Open review items": "عناصر مراجعة مفتوحة",
    "date": "التاريخ",
    "place": "المكان",
    "reported casualties": "الإصابات المبلّغ عنها",
    "victims documented": "الضحايا الموثقون",
    "Assertions": "التأكيدات",
    "field": "الحقل",
    "value": "القيمة",
    "confidence": "درجة الثقة",
    "sources": "المصادر",
    "assessed by": "قيّمه",
    "Sources disagree": "المصادر مختلفة",
    "Search": "بحث",
    "name in Arabic or Latin script": "الاسم بالعربية أو بالحروف اللاتينية",
    "sex": "الجنس",
    "any": "الكل",
    "female": "أنثى",
    "male": "ذكر",
    "age": "العمر",
    "died": "تاريخ الوفاة",
    "no matches": "لا نتائج",
    "hash (SHA-256)": "البصمة (SHA-256)",
    "size": "الحجم",
    "type": "النوع",
    "custody history": "سجل الحيازة",
    "Download the evidence bundle": "تنزيل حزمة الأدلة",
    "download": "تنزيل",
    "estimated individuals": "العدد المقدّر للأفراد",
    "Run linkage": "تشغيل الربط",
    "Run estimation": "تشغيل التقدير",
    "Background jobs": "المهام الجارية",
    "state": "الحالة",
    "progress": "التقدم",
    "observed": "المرصود",
    "estimate": "التقدير",
    "method": "الطريقة",
    "assumptions": "الافتراضات",
    "who": "من",
    "action": "الإجراء",
    "when": "متى",
    "case": "القضية",
    "Filter": "تصفية",
    "incidents and burial sites without coordinates": "حوادث ومواقع دفن بلا إحداثيات",
    "incident": "حادثة",
    "burial site": "موقع دفن",
    "language": "اللغة",
    "Sign in": "تسجيل الدخول",
    "New incident": "حادثة جديدة",
    "title": "العنوان",
    "description": "الوصف",
    "source": "المصدر",
    "no source": "دون مصدر",
    "Add the incident": "إضافة الحادثة",
    "Add an assertion": "إضافة تأكيد",
    "note": "ملاحظة",
    "Add": "إضافة",
    "Add evidence": "إضافة دليل",
    "file": "الملف",
    "where it came from": "مصدره",
    "notes": "ملاحظات",
    "Upload": "رفع",
    "added": "أُضيف",
    "Not saved": "لم يُحفظ",
    "all incidents": "كل الحوادث",
    "more than": "أكثر من",
    "the first 20; each incident page shows its own": "أول 20؛ تعرض صفحة كل حادثة خلافاتها",
    "dates as 2025-03-07, 2025-03 or 2025-03-06/2025-03-10": (
        "التواريخ بصيغة 2025-03-07 أو 2025-03 أو 2025-03-06/2025-03-10"
    ),
    "as the source words it, e.g. more than 30": "كما يصوغه المصدر، مثل: أكثر من 30",
}


# each area's own messages (dalil.web.messages) on top of the shared ones above
for _area in (look, records, evidence, team, jobs):
    AR.update(_area.AR)


def language(request: Request) -> str:
    asked = request.query_params.get("lang") or request.cookies.get("dalil_lang")
    if asked in LANGS:
        return asked
    accept = request.headers.get("accept-language", "")
    return "ar" if accept.lower().startswith("ar") else "en"


def translator(lang: str) -> Callable[[str], str]:
    if lang == "ar":
        return lambda text: AR.get(text, text)
    return lambda text: text
