# The queue of applications awaiting a second approval (a proxy: no table of its own).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('onboarding', '0012_info_request_items'),
    ]

    operations = [
        migrations.CreateModel(
            name='SecondApprovalQueue',
            fields=[
            ],
            options={
                'verbose_name': 'application awaiting second approval',
                'verbose_name_plural': 'applications awaiting second approval',
                'proxy': True,
                'indexes': [],
                'constraints': [],
            },
            bases=('onboarding.application',),
        ),
    ]
