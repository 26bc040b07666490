"""Name lexicon for the fictional demo case.

Each entry is (Arabic script, transliteration style A, transliteration style B). Style A
is a scholarly-leaning English style ("Mohammad al-Hasan"), style B a French/colloquial
style ("Muhammed Hassan", "Elali"), the two ways Syrian names most often reach Latin-script
lists. Common given and family names, combined at random: no entry is a real person.
"""

from __future__ import annotations

Entry = tuple[str, str, str]

MALE: tuple[Entry, ...] = (
    ("محمد", "Mohammad", "Muhammed"), ("أحمد", "Ahmad", "Ahmed"), ("علي", "Ali", "Aly"),
    ("حسن", "Hasan", "Hassan"), ("حسين", "Husayn", "Hussein"), ("محمود", "Mahmoud", "Mahmud"),
    ("يوسف", "Yousef", "Youssef"), ("إبراهيم", "Ibrahim", "Ibraheem"), ("خليل", "Khalil", "Khaleel"),
    ("سليمان", "Sulaiman", "Souleiman"), ("عيسى", "Issa", "Eissa"), ("جميل", "Jamil", "Jameel"),
    ("كمال", "Kamal", "Kamel"), ("نزار", "Nizar", "Nezar"), ("فادي", "Fadi", "Fady"),
    ("رامي", "Rami", "Ramy"), ("سامر", "Samer", "Samir"), ("باسل", "Basel", "Bassel"),
    ("غسان", "Ghassan", "Ghasan"), ("وسيم", "Wassim", "Waseem"), ("أيمن", "Ayman", "Aiman"),
    ("مازن", "Mazen", "Mazin"), ("هيثم", "Haytham", "Haitham"), ("ماهر", "Maher", "Mahir"),
    ("نبيل", "Nabil", "Nabeel"), ("عماد", "Imad", "Emad"), ("رياض", "Riyad", "Riad"),
    ("منذر", "Munthir", "Monzer"), ("جعفر", "Jaafar", "Jafar"), ("عباس", "Abbas", "Abas"),
    ("حيدر", "Haidar", "Haydar"), ("عبد الله", "Abdullah", "Abdallah"),
    ("عبد الكريم", "Abd al-Karim", "Abdelkarim"), ("عبد الرحمن", "Abd al-Rahman", "Abdulrahman"),
    ("نور الدين", "Nur al-Din", "Noureddine"), ("علاء الدين", "Ala al-Din", "Alaeddine"),
    ("سعيد", "Said", "Saeed"), ("مصطفى", "Mustafa", "Moustafa"), ("طارق", "Tariq", "Tarek"),
    ("زياد", "Ziyad", "Ziad"), ("شادي", "Shadi", "Chadi"), ("ربيع", "Rabi", "Rabih"),
    ("صالح", "Salih", "Saleh"), ("عدنان", "Adnan", "Adnane"), ("فؤاد", "Fuad", "Fouad"),
    ("ياسر", "Yasir", "Yasser"), ("أسامة", "Usama", "Oussama"), ("لؤي", "Luay", "Louai"),
)

FEMALE: tuple[Entry, ...] = (
    ("فاطمة", "Fatima", "Fatma"), ("زينب", "Zaynab", "Zeinab"), ("مريم", "Maryam", "Mariam"),
    ("رهف", "Rahaf", "Rahaff"), ("هدى", "Huda", "Houda"), ("سعاد", "Suad", "Souad"),
    ("نور", "Nur", "Nour"), ("ليلى", "Layla", "Leila"), ("رنا", "Rana", "Ranaa"),
    ("سلمى", "Salma", "Selma"), ("خديجة", "Khadija", "Khadeeja"), ("آمنة", "Amina", "Ameneh"),
    ("هالة", "Hala", "Halah"), ("ديما", "Dima", "Deema"), ("منى", "Muna", "Mona"),
    ("سمر", "Samar", "Sammar"), ("لينا", "Lina", "Leena"), ("وفاء", "Wafa", "Wafaa"),
    ("رغد", "Raghad", "Ragad"), ("غادة", "Ghada", "Ghadah"),
)

FAMILY: tuple[Entry, ...] = (
    ("الأحمد", "al-Ahmad", "Al Ahmed"), ("العلي", "al-Ali", "Elali"), ("الحسن", "al-Hasan", "Al Hassan"),
    ("ديب", "Dib", "Deeb"), ("خضور", "Khaddour", "Khadour"), ("يونس", "Yunus", "Younes"),
    ("حمود", "Hammud", "Hammoud"), ("صقر", "Saqr", "Sakr"), ("شاهين", "Shahin", "Chahine"),
    ("ميهوب", "Mayhub", "Mihoub"), ("ونوس", "Wannus", "Wanous"), ("معلا", "Mualla", "Moalla"),
    ("حبيب", "Habib", "Habeeb"), ("درويش", "Darwish", "Darwiche"), ("زيدان", "Zaydan", "Zeidan"),
    ("بدور", "Baddur", "Badour"), ("سلوم", "Sallum", "Salloum"), ("رستم", "Rustum", "Rostom"),
    ("قاسم", "Qasim", "Kassem"), ("نصور", "Nassur", "Nassour"), ("علوش", "Allush", "Alloush"),
    ("غانم", "Ghanim", "Ghanem"), ("منصور", "Mansur", "Mansour"), ("طراف", "Tarraf", "Taraf"),
    ("الخير", "al-Khayr", "El Kheir"), ("مرهج", "Marhaj", "Merhej"), ("عمران", "Imran", "Omran"),
    ("حسون", "Hassun", "Hassoun"), ("إسماعيل", "Ismail", "Ismaeel"), ("سلمان", "Salman", "Selman"),
)
