from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_rename_old_actions'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='auditevent',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('actor__isnull', False), ('actor_kind', 'user')), models.Q(models.Q(('actor_kind', 'user'), _negated=True), ('actor', None)), _connector='OR'), name='audit_actor_matches_kind'),
        ),
    ]
