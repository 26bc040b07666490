"""Arabic forms of the set-up screens' interface strings (English text -> Arabic): a new
case, the team, users, victim-list upload and the place picker (:mod:`dalil.web.team`,
:mod:`dalil.web.lists`, :mod:`dalil.web.place_picker`, the new-incident form)."""

AR: dict[str, str] = {
    # a new case
    "A case holds the records, evidence, victim lists and team of one investigation.": (
        "تضم القضية سجلات تحقيق واحد وأدلته وقوائم ضحاياه وفريقه."
    ),
    "What the team calls the investigation, e.g. the place and the year.": (
        "الاسم الذي يطلقه الفريق على التحقيق، مثل المكان والسنة."
    ),
    "fictional (training or a demonstration)": "خيالية (للتدريب أو العرض)",
    "Every page and output of a fictional case says so.": "كل صفحة ومخرَج لقضية خيالية يذكر ذلك.",
    "your role in the case": "دورك في القضية",
    "none (admins see every case, but change nothing in it)": (
        "بلا دور (يرى المشرفون كل قضية لكنهم لا يغيّرون فيها شيئاً)"
    ),
    "Add the rest of the team on the case's Team page.": (
        "أضف بقية الفريق من صفحة «الفريق» في القضية."
    ),
    "Create the case": "إنشاء القضية",
    # roles
    "investigator": "محقق",
    "analyst": "محلل",
    "legal": "قانوني",
    "protection officer": "مسؤول الحماية",
    "viewer": "مطّلع",
    # the team
    (
        "Who works on this case, and what each role may do. Every change is recorded in the "
        "audit trail."
    ): ("من يعمل على هذه القضية وما يحق لكل دور. كل تغيير يُسجَّل في سجل التدقيق."),
    "Members of the case": "أعضاء القضية",
    "member": "العضو",
    "role": "الدور",
    "role of": "دور",
    "added by": "أضافه",
    "since": "منذ",
    "remove": "إزالة",
    "Remove": "إزالة",
    "Change": "تغيير",
    "disabled": "معطَّل",
    "Nobody is a member of this case yet.": "لا أعضاء في هذه القضية بعد.",
    (
        "Add the first member below: an investigator to enter records, a protection officer for "
        "witness identities."
    ): ("أضف أول عضو أدناه: محققاً لإدخال السجلات، ومسؤول حماية لهويات الشهود."),
    "Ask an administrator to add the team.": "اطلب من أحد المشرفين إضافة الفريق.",
    "Add a member": "إضافة عضو",
    "user": "المستخدم",
    (
        "investigator: records, lists and evidence; analyst: linkage and estimates; legal: legal"
        " analysis; protection officer: witness identities; viewer: the overview only."
    ): (
        "المحقق: السجلات والقوائم والأدلة؛ المحلل: الربط والتقديرات؛ القانوني: التحليل القانوني؛"
        " مسؤول الحماية: هويات الشهود؛ المطّلع: النظرة العامة فقط."
    ),
    "Add the member": "إضافة العضو",
    "Every account is already a member.": "كل الحسابات أعضاء بالفعل.",
    "Create a user": "إنشاء مستخدم",
    # users
    (
        "The accounts of this workspace. A user sees only the cases they are a member of; add "
        "them to a case on its Team page."
    ): (
        "حسابات مساحة العمل هذه. لا يرى المستخدم إلا القضايا التي هو عضو فيها؛ أضفه إلى قضية من "
        "صفحة «الفريق» فيها."
    ),
    "New second factor for": "عامل تحقق ثانٍ جديد لـ",
    (
        "Give this link to the user now, in person or over a safe channel, to add to an "
        "authenticator app. It is not shown again, and their sessions have ended."
    ): (
        "أعطِ هذا الرابط للمستخدم الآن، يداً بيد أو عبر قناة آمنة، ليضيفه إلى تطبيق المصادقة. لن"
        " يظهر مرة أخرى، وقد انتهت جلساته."
    ),
    "status": "الحالة",
    "second factor": "عامل التحقق الثاني",
    "created": "أُنشئ",
    "actions": "الإجراءات",
    "admin": "مشرف",
    "active": "فعّال",
    "on": "مفعّل",
    "off": "غير مفعّل",
    "Reset second factor": "إعادة تعيين عامل التحقق الثاني",
    "Turn on second factor": "تفعيل عامل التحقق الثاني",
    "Disable": "تعطيل",
    "name": "الاسم",
    "initial password": "كلمة المرور الأولى",
    (
        "At least 12 characters. Give it to the user over a safe channel; turn on their second "
        "factor from this page."
    ): (
        "12 حرفاً على الأقل. أعطها للمستخدم عبر قناة آمنة، وفعّل عامل التحقق الثاني له من هذه الصفحة."
    ),
    "workspace admin": "مشرف مساحة العمل",
    "Admins create cases and users, manage every team and read the audit log.": (
        "ينشئ المشرفون القضايا والمستخدمين ويديرون كل فريق ويقرؤون سجل التدقيق."
    ),
    "Create the user": "إنشاء المستخدم",
    # victim lists
    (
        "Lists of victims as partner groups keep them. Each list is stored as it came, under its"
        " source; linkage then finds the same person across lists."
    ): (
        "قوائم الضحايا كما تحفظها المجموعات الشريكة. تُحفظ كل قائمة كما وصلت باسم مصدرها، ثم يجد"
        " الربط الشخص نفسه عبر القوائم."
    ),
    "Imported": "استُوردت",
    "rows from": "صفاً من",
    "Run linkage and review the pairs": "شغّل الربط وراجع الأزواج",
    "rows": "صفوف",
    "imported": "تاريخ الاستيراد",
    "SHA-256": "SHA-256",
    "No victim lists yet.": "لا قوائم ضحايا بعد.",
    (
        "Import a victim list below: a CSV or Excel file with one row per victim, a record id "
        "and a name at least."
    ): ("استورد قائمة ضحايا أدناه: ملف CSV أو Excel فيه صف لكل ضحية، ورقم سجل واسم على الأقل."),
    "An investigator of the case imports them.": "يستوردها محقق القضية.",
    "Import a victim list": "استيراد قائمة ضحايا",
    "file (CSV or XLSX)": "الملف (CSV أو XLSX)",
    (
        "The first row names the columns. Nothing is stored before you have seen how each column"
        " is read and every row is good."
    ): ("الصف الأول يسمّي الأعمدة. لا يُحفظ شيء قبل أن ترى كيف يُقرأ كل عمود وتكون كل الصفوف سليمة."),
    (
        "Who keeps the list, e.g. the group's name; the file name when left empty. A new version"
        " of a list needs a new source name."
    ): (
        "الجهة التي تحفظ القائمة، مثل اسم المجموعة؛ اسم الملف إن تُرك فارغاً. النسخة الجديدة من "
        "قائمة تحتاج اسم مصدر جديداً."
    ),
    "Check the file": "فحص الملف",
    "Check the victim list": "فحص قائمة الضحايا",
    "Upload another file": "رفع ملف آخر",
    "Every row is good. Nothing is stored until you import it.": (
        "كل الصفوف سليمة. لا يُحفظ شيء حتى تستوردها."
    ),
    "Nothing was stored.": "لم يُحفظ شيء.",
    (
        "problems in the rows below: fix them in the file and upload it again, or change how a "
        "column is read."
    ): ("مشكلات في الصفوف أدناه: صحّحها في الملف وارفعه من جديد، أو غيّر طريقة قراءة عمود."),
    "How the columns are read": "كيف تُقرأ الأعمدة",
    "Required:": "مطلوب:",
    "Columns not imported stay out of the case.": "الأعمدة غير المستوردة تبقى خارج القضية.",
    "Column mapping": "مطابقة الأعمدة",
    "column in the file": "العمود في الملف",
    "first row": "الصف الأول",
    "read as": "يُقرأ على أنه",
    "not imported": "لا يُستورد",
    "Rows to fix": "صفوف تحتاج تصحيحاً",
    "row": "الصف",
    "column": "العمود",
    "what is wrong": "موضع الخطأ",
    "the whole row": "الصف كله",
    "Check again": "افحص من جديد",
    "Import": "استيراد",
    "record id": "رقم السجل",
    "full name": "الاسم الكامل",
    "given name": "الاسم",
    "father's name": "اسم الأب",
    "grandfather's name": "اسم الجد",
    "family name": "الكنية",
    "mother's name": "اسم الأم",
    "date of birth": "تاريخ الميلاد",
    "place of death": "مكان الوفاة",
    "governorate": "المحافظة",
    # the place picker and the new-incident form
    "Find a place": "البحث عن مكان",
    (
        "The gazetteer holds the towns of Syria in Arabic and Latin script (GeoNames). Choose "
        "one to add a new incident there; it becomes a place of the case with its names and "
        "coordinates."
    ): (
        "يضم المعجم الجغرافي مدن سوريا بالحروف العربية واللاتينية (GeoNames). اختر إحداها لإضافة"
        " حادثة جديدة فيها؛ فتصبح مكاناً من أماكن القضية باسميها وإحداثياتها."
    ),
    "place name": "اسم المكان",
    "e.g. بانياس or Baniyas; the first letters are enough.": (
        "مثل بانياس أو Baniyas؛ تكفي الحروف الأولى."
    ),
    "Type at least two letters of the place's name, in Arabic or Latin script.": (
        "اكتب حرفين على الأقل من اسم المكان، بالعربية أو باللاتينية."
    ),
    (
        "No place of that name in the gazetteer. Try another spelling or the other script; "
        "villages appear once an administrator imports a GeoNames file (dalil gazetteer import)."
    ): (
        "لا مكان بهذا الاسم في المعجم الجغرافي. جرّب تهجئة أخرى أو الحروف الأخرى؛ تظهر القرى بعد"
        " أن يستورد مشرف ملف GeoNames (dalil gazetteer import)."
    ),
    "Places found in the gazetteer": "أماكن وُجدت في المعجم الجغرافي",
    "a place of this case": "من أماكن هذه القضية",
    "population": "السكان",
    "Use for a new incident": "استخدمه لحادثة جديدة",
    "No incidents yet.": "لا حوادث بعد.",
    "Add the first incident below: a title, when and where, and the source that reports it.": (
        "أضف أول حادثة أدناه: عنوان، ومتى وأين، والمصدر الذي يذكرها."
    ),
    "An investigator of the case adds them.": "يضيفها محقق القضية.",
    "a place of the case": "مكان من أماكن القضية",
    "or a place of the gazetteer": "أو مكان من المعجم الجغرافي",
    "search in Arabic or Latin script": "ابحث بالعربية أو باللاتينية",
    (
        "Type the first letters, then choose; a place the case does not have yet is added to it "
        "with its names and coordinates."
    ): ("اكتب الحروف الأولى ثم اختر؛ المكان الذي ليس في القضية بعد يُضاف إليها باسميه وإحداثياته."),
    "Search the gazetteer on its own page": "ابحث في المعجم الجغرافي في صفحته",
}
