"""Labels and Arabic forms of the jobs, estimates and legal screens' strings.

:data:`LABELS` names the codes that are not in a shipped vocabulary (job kinds and states,
estimation methods, legal statuses, standards of proof, checklist scopes, case-file
audiences), by code list, in English; ``term(code, list)`` in the templates shows them
(:mod:`dalil.web.deps`) and :data:`AR` translates them like any other string.
"""

LABELS: dict[str, dict[str, str]] = {
    "job_kind": {"linkage": "Linkage", "estimate": "Estimate", "casefile": "Case file"},
    "job_state": {"queued": "Waiting", "running": "Running", "done": "Finished",
                  "failed": "Failed"},
    "estimation_method": {
        "lcmcr": "Latent-class model (LCMCR)",
        "loglinear": "Log-linear models",
        "dga": "Decomposable graphical models (DGA)",
    },
    "estimation_method_short": {"lcmcr": "LCMCR", "loglinear": "Log-linear", "dga": "DGA"},
    "legal_status": {"not_assessed": "Not assessed", "supported": "Supported",
                     "contested": "Contested", "insufficient": "Insufficient"},
    "standard_of_proof": {
        "insufficient": "Insufficient",
        "some_information": "Some information",
        "reasonable_grounds": "Reasonable grounds to believe",
        "strong": "Clear and convincing",
    },
    "checklist_status": {"complete": "Complete", "partial": "Partial",
                         "not_started": "Not started", "not_applicable": "Not applicable",
                         "impossible": "Impossible"},
    "checklist_scope": {"case": "The case", "death": "Each death", "witness": "Each witness",
                        "burial_site": "Each burial site", "digital_item": "Each digital item",
                        "evidence": "Each evidence item"},
    "audience": {"internal": "Internal (the team)", "committee": "Committee",
                 "public": "Public"},
}  # fmt: skip

AR: dict[str, str] = {
    # labels of codes
    "Linkage": "الربط",
    "Estimate": "التقدير",
    "Case file": "ملف القضية",
    "Waiting": "في الانتظار",
    "Running": "قيد التشغيل",
    "Finished": "انتهت",
    "Failed": "فشلت",
    "Latent-class model (LCMCR)": "نموذج الفئات الكامنة (LCMCR)",
    "Log-linear": "لوغاريتمي خطي",
    "Log-linear models": "النماذج اللوغاريتمية الخطية",
    "Decomposable graphical models (DGA)": "النماذج البيانية القابلة للتفكيك (DGA)",
    "Not assessed": "لم يُقيَّم",
    "Supported": "مدعوم",
    "Contested": "محل خلاف",
    "Insufficient": "غير كافٍ",
    "Some information": "بعض المعلومات",
    "Reasonable grounds to believe": "أسباب معقولة للاعتقاد",
    "Clear and convincing": "قوي وواضح ومقنع",
    "Complete": "مكتمل",
    "Partial": "جزئي",
    "Not started": "لم يبدأ",
    "Not applicable": "لا ينطبق",
    "Impossible": "متعذر",
    "The case": "القضية",
    "Each death": "كل وفاة",
    "Each witness": "كل شاهد",
    "Each burial site": "كل موقع دفن",
    "Each digital item": "كل مادة رقمية",
    "Each evidence item": "كل دليل",
    "Internal (the team)": "داخلي (الفريق)",
    "Committee": "اللجنة",
    "Public": "علني",
    # what runs, and its steps (dalil.jobs.steps)
    "Linking the case's victim lists": "ربط قوائم الضحايا في القضية",
    "Estimating the number of deaths": "تقدير عدد الوفيات",
    "Building the case file": "إعداد ملف القضية",
    "Preparing the records": "تجهيز السجلات",
    "Training the matching model": "تدريب نموذج المطابقة",
    "Scoring candidate pairs": "تقييم الأزواج المرشحة",
    "Grouping the records into persons": "تجميع السجلات في أشخاص",
    "Estimating from the linked lists": "التقدير من القوائم المربوطة",
    "Reading the records": "قراءة السجلات",
    "Element matrices": "مصفوفات الأركان",
    "Protocol checklists": "قوائم التحقق من البروتوكولات",
    "Map and timeline": "الخريطة والتسلسل الزمني",
    "Rendering the file": "إخراج الملف",
    # what to do after a failure (dalil.jobs.steps.failure)
    (
        "The case has no victim lists to link yet. Import a list on the lists page, then "
        "run linkage again."
    ): (
        "لا توجد في القضية قوائم ضحايا لربطها بعد. "
        "استورد قائمة من صفحة القوائم، ثم شغّل الربط مجدداً."
    ),
    (
        "There are no linked lists to estimate from yet. Run linkage first, then start the "
        "estimate again."
    ): "لا توجد قوائم مربوطة يُقدَّر منها بعد. شغّل الربط أولاً، ثم ابدأ التقدير مجدداً.",
    (
        "The linked lists cannot support this estimate (the details below say why). Import "
        "or link more lists that overlap, or try another method."
    ): (
        "لا تكفي القوائم المربوطة لهذا التقدير (التفاصيل أدناه تذكر السبب). استورد قوائم "
        "متداخلة أكثر أو اربطها، أو جرّب طريقة أخرى."
    ),
    (
        "A victim list stopped the linkage (the details below name the list and the row). "
        "Correct that list, import it again and run linkage again."
    ): (
        "أوقفت إحدى قوائم الضحايا الربط (التفاصيل أدناه تذكر القائمة والصف). صحّح القائمة "
        "واستوردها مجدداً ثم شغّل الربط مجدداً."
    ),
    (
        "Something the job needs is missing or no longer visible to you. Reload the case "
        "and start the job again."
    ): "شيء تحتاجه المهمة مفقود أو لم يعد ظاهراً لك. أعد تحميل القضية وابدأ المهمة مجدداً.",
    (
        "The case's data stopped the job (the details below say where). Correct it and "
        "start the job again."
    ): "أوقفت بيانات القضية المهمة (التفاصيل أدناه تذكر الموضع). صحّحها وابدأ المهمة مجدداً.",
    (
        "A record uses a term that is not in its vocabulary (the details below name it). "
        "Correct the record and start the job again."
    ): (
        "يستخدم أحد السجلات مصطلحاً ليس في مفرداته "
        "(التفاصيل أدناه تذكره). صحّح السجل وابدأ المهمة مجدداً."
    ),
    "Another change to the case got in the way. Start the job again.": (
        "تعارض تغيير آخر في القضية مع المهمة. ابدأ المهمة مجدداً."
    ),
    (
        "A witness-protection rule stopped the job. Ask the case's protection officer "
        "before trying again."
    ): (
        "أوقفت قاعدة من قواعد حماية الشهود المهمة. راجع مسؤول الحماية في القضية قبل المحاولة مجدداً."
    ),
    "Your role in this case does not allow this job. Ask the case's coordinator.": (
        "دورك في هذه القضية لا يسمح بهذه المهمة. راجع منسق القضية."
    ),
    (
        "The evidence vault is locked on the server. Ask the administrator to start dalil "
        "with the vault passphrase, then start the job again."
    ): (
        "خزنة الأدلة مقفلة على الخادم. اطلب من المسؤول "
        "تشغيل دليل بعبارة مرور الخزنة، ثم ابدأ المهمة مجدداً."
    ),
    (
        "The custody ledger no longer matches its signed head, so the job stopped rather "
        "than print proofs that fail. Tell the administrator at once."
    ): (
        "سجل الحيازة لم يعد يطابق رأسه الموقَّع، فتوقفت "
        "المهمة بدل طباعة براهين لا تصح. أبلغ المسؤول فوراً."
    ),
    (
        "The database could not be read or written. Try again in a few minutes; if it "
        "fails again, tell the administrator."
    ): (
        "تعذرت القراءة من قاعدة البيانات أو الكتابة فيها. "
        "حاول مجدداً بعد دقائق؛ وإن فشلت مرة أخرى فأبلغ المسؤول."
    ),
    "The server restarted while the job was running. Start it again.": (
        "أُعيد تشغيل الخادم أثناء عمل المهمة. ابدأها مجدداً."
    ),
    (
        "The job stopped on a fault in dalil, not in your data. Start it again; if it fails "
        "again, tell the administrator (the server log has the details)."
    ): (
        "توقفت المهمة بسبب خلل في دليل لا في بياناتك. ابدأها مجدداً؛ وإن فشلت مرة أخرى "
        "فأبلغ المسؤول (سجل الخادم فيه التفاصيل)."
    ),
    (
        "The job could not finish (the details below say why). Fix what they name and start "
        "the job again."
    ): "تعذر إكمال المهمة (التفاصيل أدناه تذكر السبب). أصلح ما تذكره وابدأ المهمة مجدداً.",
    # the job pages
    "Jobs": "المهام",
    "Step": "الخطوة",
    "of": "من",
    "started": "بدأت",
    "finished": "انتهت",
    "took": "استغرقت",
    "seconds": "ثانية",
    "started by": "بدأها",
    "What it produced": "ما أنتجته",
    "What went wrong": "ما الذي تعطل",
    "Details": "التفاصيل",
    "Start it again": "ابدأها مجدداً",
    "All jobs": "كل المهام",
    "records linked": "السجلات المربوطة",
    "victim lists": "قوائم الضحايا",
    "persons": "الأشخاص",
    "pairs waiting for review": "أزواج تنتظر المراجعة",
    "Review the uncertain pairs": "مراجعة الأزواج غير المؤكدة",
    "See the estimates": "عرض التقديرات",
    "deaths documented": "الوفيات الموثقة",
    "deaths estimated": "الوفيات المقدّرة",
    "Make another case file": "إعداد ملف قضية آخر",
    "Victim lists": "قوائم الضحايا",
    "what": "ماذا",
    "No jobs yet.": "لا مهام بعد.",
    (
        "Link the victim lists or estimate the deaths from the estimates page; build a case "
        "file from the legal analysis."
    ): (
        "اربط قوائم الضحايا أو قدّر الوفيات من صفحة "
        "التقديرات؛ وأعدّ ملف القضية من صفحة التحليل القانوني."
    ),
    "Linkage, estimates and case files run in the background; this page follows them.": (
        "يجري الربط والتقديرات وملفات القضية في الخلفية؛ وهذه الصفحة تتابعها."
    ),
    "when": "متى",
    "documented": "الموثق",
    "Legend": "مفتاح الرموز",
    "evidence kinds": "أنواع الأدلة",
    "found in the records": "موجود في السجلات",
    # the legal matrix's evidence letters (data/legal/elements.toml)
    "Witness or victim testimony": "شهادة شاهد أو ضحية",
    "Forensic (autopsy, scene, ballistics, grave excavation)": (
        "أدلة جنائية (تشريح، مسرح الجريمة، مقذوفات، نبش القبور)"
    ),
    "Documents (orders, lists, death certificates, registers)": (
        "وثائق (أوامر، قوائم، شهادات وفاة، سجلات)"
    ),
    "Open-source or digital material, verified": "مواد مفتوحة المصدر أو رقمية، متحقق منها",
    "Perpetrator statements or claims": "تصريحات الجناة أو ادعاءاتهم",
    "Pattern analysis across acts (maps, timelines, victim profiles)": (
        "تحليل الأنماط عبر الأفعال (خرائط، تسلسلات زمنية، سمات الضحايا)"
    ),
    "Expert (organisational, religious or cultural, demographic)": (
        "خبرة (تنظيمية، دينية أو ثقافية، ديمغرافية)"
    ),
}
