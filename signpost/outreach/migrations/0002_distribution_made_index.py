"""A volunteer's entries in the order she made them: the record form's last and recent places."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_audit_append_only'),
        ('outreach', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='distribution',
            index=models.Index(fields=['recorded_by', '-created_at'], name='outreach_dist_made_idx'),
        ),
    ]
