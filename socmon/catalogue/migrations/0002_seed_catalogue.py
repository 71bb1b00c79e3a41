from django.db import migrations

# Client categories from the seeds, person-first: (code, order, en, {ru, az, kk, ro}).
CATEGORIES = [
    ("disability-group-1", 10, "Person with a disability, group I", {
        "ru": "Человек с инвалидностью I группы", "az": "I qrup əlilliyi olan şəxs",
        "kk": "I топтағы мүгедектігі бар адам", "ro": "Persoană cu dizabilitate, gradul I"}),
    ("disability-group-2", 20, "Person with a disability, group II", {
        "ru": "Человек с инвалидностью II группы", "az": "II qrup əlilliyi olan şəxs",
        "kk": "II топтағы мүгедектігі бар адам", "ro": "Persoană cu dizabilitate, gradul II"}),
    ("disability-group-3", 30, "Person with a disability, group III", {
        "ru": "Человек с инвалидностью III группы", "az": "III qrup əlilliyi olan şəxs",
        "kk": "III топтағы мүгедектігі бар адам", "ro": "Persoană cu dizabilitate, gradul III"}),
    ("child-with-disability", 40, "Child with a disability (aged 1.5 to 18)", {
        "ru": "Ребёнок с инвалидностью (от 1,5 до 18 лет)", "az": "Əlilliyi olan uşaq (1,5 yaşdan 18 yaşadək)",
        "kk": "Мүгедектігі бар бала (1,5 жастан 18 жасқа дейін)", "ro": "Copil cu dizabilitate (1,5–18 ani)"}),
    ("older-person", 50, "Older person unable to care for themselves", {
        "ru": "Пожилой человек, не способный к самообслуживанию", "az": "Özünə qulluq edə bilməyən yaşlı şəxs",
        "kk": "Өзіне-өзі қызмет көрсете алмайтын егде жастағы адам",
        "ro": "Persoană vârstnică ce nu se poate îngriji singură"}),
    ("family-with-children", 60, "Family with children", {
        "ru": "Семья с детьми", "az": "Uşaqlı ailə", "kk": "Балалы отбасы", "ro": "Familie cu copii"}),
    ("domestic-violence", 70, "Survivor of domestic violence", {
        "ru": "Человек, переживший домашнее насилие", "az": "Məişət zorakılığına məruz qalmış şəxs",
        "kk": "Тұрмыстық зорлық-зомбылықтан зардап шеккен адам",
        "ro": "Persoană supraviețuitoare a violenței în familie"}),
    ("trafficking", 80, "Victim of trafficking in human beings", {
        "ru": "Человек, пострадавший от торговли людьми", "az": "İnsan alverinin qurbanı olmuş şəxs",
        "kk": "Адам саудасынан зардап шеккен адам", "ro": "Victimă a traficului de ființe umane"}),
    ("released-from-prison", 90, "Person released from prison", {
        "ru": "Человек, освободившийся из мест лишения свободы", "az": "Cəzaçəkmə müəssisəsindən azad olunmuş şəxs",
        "kk": "Бас бостандығынан айыру орындарынан босаған адам", "ro": "Persoană eliberată din detenție"}),
    ("care-leaver", 100, "Young person leaving care", {
        "ru": "Выпускник организации для детей-сирот", "az": "Uşaq müəssisəsini tərk edən gənc",
        "kk": "Балалар үйінің түлегі", "ro": "Tânăr care părăsește sistemul de protecție"}),
    ("homeless", 110, "Person who is homeless", {
        "ru": "Человек без определённого места жительства", "az": "Daimi yaşayış yeri olmayan şəxs",
        "kk": "Тұрақты тұратын жері жоқ адам", "ro": "Persoană fără adăpost"}),
]

# Services by domain with their standard time: (code, domain, minutes, en, {ru, az, kk, ro}).
SERVICES = [
    ("shopping-and-food-delivery", "household", 30, "Help with shopping and delivery of food", {
        "ru": "Помощь в покупке и доставке продуктов питания",
        "az": "Ərzaq məhsullarının alınmasında və çatdırılmasında kömək",
        "kk": "Азық-түлік сатып алуға және жеткізуге көмектесу", "ro": "Ajutor la cumpărături și livrarea alimentelor"}),
    ("cleaning", "household", 45, "Cleaning of living quarters", {
        "ru": "Уборка жилого помещения", "az": "Yaşayış sahəsinin təmizlənməsi", "kk": "Тұрғын үй-жайды жинау",
        "ro": "Curățenia locuinței"}),
    ("cooking", "household", 40, "Help with cooking meals", {
        "ru": "Помощь в приготовлении пищи", "az": "Yemək hazırlanmasında kömək", "kk": "Тамақ әзірлеуге көмектесу",
        "ro": "Ajutor la pregătirea mesei"}),
    ("utility-payments", "household", 30, "Paying utility bills for the person", {
        "ru": "Оплата коммунальных услуг за счёт получателя", "az": "Kommunal xidmətlərin haqqının ödənilməsi",
        "kk": "Коммуналдық қызметтерге ақы төлеу", "ro": "Achitarea facturilor la serviciile comunale"}),
    ("accompanying-to-medical", "medical_social", 90, "Accompanying to medical appointments", {
        "ru": "Сопровождение в медицинские организации", "az": "Həkim qəbuluna müşayiət",
        "kk": "Медициналық ұйымдарға алып бару", "ro": "Însoțirea la programări medicale"}),
    ("medicines", "medical_social", 30, "Obtaining and delivering medicines", {
        "ru": "Получение и доставка лекарственных средств", "az": "Dərmanların alınması və çatdırılması",
        "kk": "Дәрі-дәрмекті алу және жеткізу", "ro": "Procurarea și livrarea medicamentelor"}),
    ("health-monitoring", "medical_social", 15, "Checking health (blood pressure, temperature)", {
        "ru": "Наблюдение за здоровьем (давление, температура)", "az": "Sağlamlığa nəzarət (təzyiq, temperatur)",
        "kk": "Денсаулықты бақылау (қан қысымы, дене қызуы)",
        "ro": "Monitorizarea sănătății (tensiune, temperatură)"}),
    ("psychological-counselling", "psychological", 45, "Psychological counselling", {
        "ru": "Психологическое консультирование", "az": "Psixoloji məsləhət", "kk": "Психологиялық кеңес беру",
        "ro": "Consiliere psihologică"}),
    ("crisis-support", "psychological", 60, "Psychological support in a crisis", {
        "ru": "Экстренная психологическая помощь", "az": "Böhran vəziyyətində psixoloji dəstək",
        "kk": "Шұғыл психологиялық көмек", "ro": "Sprijin psihologic în situații de criză"}),
    ("parenting-skills", "pedagogical", 60, "Teaching parents care and upbringing skills", {
        "ru": "Обучение родителей навыкам ухода и воспитания",
        "az": "Valideynlərə qulluq və tərbiyə bacarıqlarının öyrədilməsi",
        "kk": "Ата-аналарды күтім мен тәрбие дағдыларына үйрету",
        "ro": "Instruirea părinților în îngrijirea și educarea copiilor"}),
    ("self-care-skills", "pedagogical", 45, "Teaching self-care skills", {
        "ru": "Обучение навыкам самообслуживания", "az": "Özünəxidmət bacarıqlarının öyrədilməsi",
        "kk": "Өзіне-өзі қызмет көрсету дағдыларына үйрету", "ro": "Formarea deprinderilor de autoîngrijire"}),
    ("job-search", "labour", 60, "Help with finding a job", {
        "ru": "Содействие в поиске работы", "az": "İş axtarışında kömək", "kk": "Жұмыс іздеуге жәрдемдесу",
        "ro": "Sprijin în căutarea unui loc de muncă"}),
    ("leisure-activities", "cultural", 90, "Cultural and leisure activities", {
        "ru": "Культурно-досуговые мероприятия", "az": "Mədəni-asudə tədbirləri",
        "kk": "Мәдени-демалыс іс-шаралары", "ro": "Activități cultural-recreative"}),
    ("legal-advice", "legal", 45, "Legal advice", {
        "ru": "Юридическое консультирование", "az": "Hüquqi məsləhət", "kk": "Заң кеңесі",
        "ro": "Consultanță juridică"}),
    ("documents-and-benefits", "legal", 60, "Help with documents and benefit applications", {
        "ru": "Помощь в оформлении документов и пособий",
        "az": "Sənədlərin və müavinətlərin rəsmiləşdirilməsində kömək",
        "kk": "Құжаттар мен жәрдемақыларды ресімдеуге көмектесу",
        "ro": "Ajutor la perfectarea actelor și a cererilor de prestații"}),
    ("sign-language", "communicative", 60, "Sign language interpreting", {
        "ru": "Услуги переводчика жестового языка", "az": "İşarə dili tərcüməsi", "kk": "Ым тілі аудармашысының қызметі",
        "ro": "Interpretare în limbajul semnelor"}),
    ("household-budget", "economic", 45, "Advice on managing the household budget", {
        "ru": "Консультирование по ведению семейного бюджета", "az": "Ailə büdcəsinin idarə olunması üzrə məsləhət",
        "kk": "Отбасы бюджетін жүргізу бойынша кеңес", "ro": "Consiliere privind gestionarea bugetului familiei"}),
]


def seed(apps, schema_editor):
    ClientCategory = apps.get_model("catalogue", "ClientCategory")
    ServiceKind = apps.get_model("catalogue", "ServiceKind")
    for code, order, name, names in CATEGORIES:
        ClientCategory.objects.get_or_create(code=code, defaults={"order": order, "name": name, "name_i18n": names})
    for code, domain, minutes, name, names in SERVICES:
        ServiceKind.objects.get_or_create(code=code, defaults={"domain": domain, "norm_minutes": minutes,
                                                               "name": name, "name_i18n": names})


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
