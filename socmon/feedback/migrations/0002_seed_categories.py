from django.db import migrations

# 001's reasons for dissatisfaction, and one urgent category: (code, order, urgent, en, {ru, az, kk, ro}).
CATEGORIES = [
    ("staff-attitude", 10, False, "Attitude of staff", {
        "ru": "Отношение сотрудников", "az": "İşçilərin münasibəti", "kk": "Қызметкерлердің қарым-қатынасы",
        "ro": "Atitudinea personalului"}),
    ("waiting", 20, False, "Waiting", {
        "ru": "Ожидание", "az": "Gözləmə", "kk": "Күту", "ro": "Așteptarea"}),
    ("service-quality", 30, False, "Quality of service", {
        "ru": "Качество услуг", "az": "Xidmətin keyfiyyəti", "kk": "Қызмет сапасы", "ro": "Calitatea serviciilor"}),
    ("information", 40, False, "Access to information", {
        "ru": "Доступ к информации", "az": "Məlumat əldə etmək imkanı", "kk": "Ақпаратқа қол жеткізу",
        "ro": "Accesul la informație"}),
    ("safety", 50, True, "Someone's safety or health is at risk", {
        "ru": "Под угрозой безопасность или здоровье человека", "az": "Kiminsə təhlükəsizliyi və ya sağlamlığı risk altındadır",
        "kk": "Адамның қауіпсіздігіне немесе денсаулығына қатер төніп тұр",
        "ro": "Siguranța sau sănătatea cuiva este în pericol"}),
    ("other", 90, False, "Other", {
        "ru": "Другое", "az": "Digər", "kk": "Басқа", "ro": "Altceva"}),
]


def seed(apps, schema_editor):
    Category = apps.get_model("feedback", "FeedbackCategory")
    for code, order, urgent, name, names in CATEGORIES:
        Category.objects.update_or_create(code=code, defaults={"order": order, "urgent": urgent, "name": name,
                                                                "name_i18n": names})


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
