"""Arabic forms of the look screens' interface strings (English text -> Arabic): the
frame (navigation, user menu), the case front page, the case list, sign-in, errors, the
audit log, map, timeline, linkage review and report intake."""

AR: dict[str, str] = {
    # the frame
    "Skip to content": "انتقل إلى المحتوى",
    "Sections": "الأقسام",
    "Case sections": "أقسام القضية",
    "Close": "إغلاق",
    "New case": "قضية جديدة",
    "Users": "المستخدمون",
    "Overview": "نظرة عامة",
    "Records": "السجلات",
    "Organisations": "المنظمات",
    "Places": "الأماكن",
    "Sources": "المصادر",
    "Intake": "الإدخال",
    "Victim lists": "قوائم الضحايا",
    "Analysis": "التحليل",
    "Views": "العروض",
    "Case": "القضية",
    "Team": "الفريق",
    "Audit trail": "سجل التدقيق للقضية",
    "health": "حالة الخادم",
}
