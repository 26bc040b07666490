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
    # case list, sign-in and errors
    "No cases yet.": "لا قضايا بعد.",
    "Create the first case": "أنشئ أول قضية",
    "Or load the fictional demo from the command line:": (
        "أو حمّل العرض التجريبي الخيالي من سطر الأوامر:"
    ),
    "Ask an administrator to add you to a case.": "اطلب من مسؤول النظام إضافتك إلى قضية.",
    "Open the case": "فتح القضية",
    "Latest assertions": "أحدث التأكيدات",
    "fictional": "خيالي",
    "events": "أحداث",
    "acts": "أفعال",
    "burial sites": "مواقع دفن",
    "interviews": "مقابلات",
    "Name": "الاسم",
    "Password": "كلمة المرور",
    "Code from your authenticator app": "الرمز من تطبيق المصادقة",
    "Six digits, if your account has a second factor.": "ستة أرقام، إن كان لحسابك عامل تحقق ثانٍ.",
    "Error": "خطأ",
    "Not found": "غير موجود",
    "Not allowed": "غير مسموح",
    "Refused": "مرفوض",
    "Sign in needed": "يلزم تسجيل الدخول",
    "Conflict": "تعارض",
    "Too large": "كبير جداً",
    "Unavailable": "غير متاح",
    "Back to cases": "العودة إلى القضايا",
    # case front page
    "What to do next": "ما الخطوة التالية",
    "Add the first incident": "أضف أول حادثة",
    "what happened, when and where, with its source.": "ما الذي حدث ومتى وأين، مع مصدره.",
    "Import a victim list": "استيراد قائمة ضحايا",
    "a spreadsheet of names; every bad row is shown before anything is stored.": (
        "جدول أسماء؛ يُعرض كل صف خاطئ قبل أن يُحفظ أي شيء."
    ),
    "Key figures": "الأرقام الرئيسية",
    "Acts": "الأفعال",
    "Interviews": "المقابلات",
    "link the lists first": "اربط القوائم أولاً",
    "No incidents yet.": "لا حوادث بعد.",
    "No burial sites recorded.": "لم يُسجَّل أي موقع دفن.",
    "No disagreements between sources.": "لا خلاف بين المصادر.",
    "values": "القيم",
    "all jobs": "كل المهام",
    "latest": "الأحدث",
    "Nothing recorded yet.": "لم يُسجَّل شيء بعد.",
    "by": "بواسطة",
    "information record": "سجل معلومات",
    "person": "شخص",
    "organisation": "منظمة",
    "interview": "مقابلة",
    # audit log
    "Every sign-in, every read and every change, newest first, as the custody ledger holds them.": (
        "كل تسجيل دخول وكل قراءة وكل تغيير، الأحدث أولاً، كما يحفظها سجل الحيازة."
    ),
    "the case id, as in its address": "معرّف القضية كما يظهر في عنوانها",
    "details": "التفاصيل",
    "Older entries": "إدخالات أقدم",
    "No entries match these filters.": "لا إدخالات تطابق هذه المرشحات.",
    # map and timeline
    "public domain": "ملك عام",
    "Nothing to map yet: no incident or burial site has a place with coordinates.": (
        "لا شيء على الخريطة بعد: لا حادثة ولا موقع دفن له مكان بإحداثيات."
    ),
    (
        "Each bar is an incident from its earliest to its latest possible date; "
        "open one to see its sources."
    ): ("كل شريط حادثة من أبكر تاريخ ممكن لها إلى أبعده؛ افتحها لترى مصادرها."),
    "No dated incidents yet.": "لا حوادث مؤرخة بعد.",
    # linkage review
    (
        "Two records the linkage could not settle: do they name the same person? "
        "Differences are highlighted."
    ): ("سجلان لم يحسم الربط أمرهما: هل يسمّيان الشخص نفسه؟ الاختلافات مظللة."),
    "pair(s) waiting": "زوج بانتظار المراجعة",
    "Every pair is decided. Nothing waits for review.": "حُسمت كل الأزواج. لا شيء بانتظار المراجعة.",
    "Nothing to review yet: link the victim lists first.": (
        "لا شيء للمراجعة بعد: اربط قوائم الضحايا أولاً."
    ),
    "match probability": "احتمال التطابق",
    "Same person": "الشخص نفسه",
    "Different people": "شخصان مختلفان",
    "Unsure": "غير متأكد",
    "Keys: m same person, n different people, u unsure (outside the note field).": (
        "المفاتيح: m الشخص نفسه، n شخصان مختلفان، u غير متأكد (خارج حقل الملاحظة)."
    ),
    "Your role in this case may look but not decide.": (
        "دورك في هذه القضية يسمح بالاطلاع دون القرار."
    ),
    # reports
    "TXT, HTML, PDF or DOCX; kept in the evidence vault as it is.": (
        "TXT أو HTML أو PDF أو DOCX؛ يُحفظ في خزنة الأدلة كما هو."
    ),
    "the date the report came out, if known": "تاريخ صدور التقرير إن كان معروفاً",
    "No reports yet. Add one to have its facts proposed for review.": (
        "لا تقارير بعد. أضف تقريراً لتُقترح وقائعه للمراجعة."
    ),
    "No reports yet.": "لا تقارير بعد.",
    "breadcrumb": "مسار التنقل",
    "Nothing was found to propose in this report.": "لم يُعثر في هذا التقرير على ما يُقترح.",
    # assertion forms
    "Where this comes from; an assertion without a source counts for less.": (
        "من أين جاء هذا؛ التأكيد بلا مصدر يُعتدّ به أقل."
    ),
}
