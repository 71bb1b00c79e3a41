# Authenticators set up before secrets were encrypted at rest (socmon.accounts.adapter.MFAAdapter) get their
# TOTP secret and recovery-code seed encrypted under SOCMON_MFA_KEY, so nobody has to set their app up again.

from cryptography.fernet import InvalidToken
from django.db import migrations

FIELDS = {"totp": ["secret"], "recovery_codes": ["seed"]}


def _convert(apps, convert) -> None:
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.filter(type__in=FIELDS):
        data = dict(authenticator.data)
        for name in FIELDS[authenticator.type]:
            if name in data:
                data[name] = convert(data[name])
        if "migrated_codes" in data:
            data["migrated_codes"] = [convert(code) for code in data["migrated_codes"]]
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


def encrypt_plain_secrets(apps, schema_editor):
    from socmon.accounts.adapter import MFAAdapter

    adapter = MFAAdapter()

    def encrypt(value: str) -> str:
        try:
            adapter.decrypt(value)
            return value  # already encrypted
        except InvalidToken:
            return adapter.encrypt(value)

    _convert(apps, encrypt)


def decrypt_secrets(apps, schema_editor):
    from socmon.accounts.adapter import MFAAdapter

    _convert(apps, MFAAdapter().decrypt)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('mfa', '0003_authenticator_type_uniq'),
    ]

    operations = [
        migrations.RunPython(encrypt_plain_secrets, decrypt_secrets),
    ]
