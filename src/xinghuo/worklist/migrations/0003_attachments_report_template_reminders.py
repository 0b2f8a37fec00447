# Attachments of filings, progress reports and supervision answers; the progress report template; reminders.

import django.db.models.deletion
import uuid
import xinghuo.worklist.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0001_initial'),
        ('worklist', '0002_filings_reports_supervision'),
    ]

    operations = [
        migrations.CreateModel(
            name='Attachment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('uid', models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name='编号')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('is_document', models.BooleanField(default=False, help_text='备案的实施方案文件本身（其余为佐证材料）', verbose_name='实施方案文本')),
                ('file', models.FileField(storage=xinghuo.worklist.models.private_storage, upload_to='worklist/%Y/%m/', verbose_name='文件')),
                ('name', models.CharField(max_length=150, verbose_name='文件名')),
                ('content_type', models.CharField(max_length=100, verbose_name='文件类型')),
                ('size', models.PositiveIntegerField(verbose_name='大小（字节）')),
                ('sha256', models.CharField(max_length=64)),
            ],
            options={
                'verbose_name': '附件',
                'verbose_name_plural': '附件',
                'ordering': ['-is_document', 'created_at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Reminder',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('uid', models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name='编号')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('kind', models.CharField(choices=[('upcoming', '即将到期'), ('overdue', '已逾期')], max_length=10, verbose_name='类型')),
                ('text', models.CharField(max_length=300, verbose_name='提醒内容')),
                ('link', models.CharField(max_length=200, verbose_name='办理地址')),
                ('due', models.DateField(verbose_name='截止日期')),
                ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='已读时间')),
            ],
            options={
                'verbose_name': '提醒',
                'verbose_name_plural': '提醒',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.RemoveConstraint(
            model_name='progressreport',
            name='report_text_when_submitted',
        ),
        migrations.AddField(
            model_name='plan',
            name='filing_due',
            field=models.DateField(blank=True, null=True, verbose_name='实施方案备案截止'),
        ),
        migrations.AddField(
            model_name='progressreport',
            name='next_steps',
            field=models.TextField(blank=True, verbose_name='下步计划'),
        ),
        migrations.AddField(
            model_name='progressreport',
            name='problems',
            field=models.TextField(blank=True, verbose_name='存在问题'),
        ),
        migrations.AddField(
            model_name='progressreport',
            name='progress',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='进度（%）'),
        ),
        migrations.AlterField(
            model_name='progressreport',
            name='text',
            field=models.TextField(blank=True, verbose_name='本期完成情况'),
        ),
        migrations.AddConstraint(
            model_name='progressreport',
            constraint=models.CheckConstraint(condition=models.Q(('submitted_at__isnull', True), models.Q(('text', ''), _negated=True), _connector='OR'), name='report_submitted_has_text'),
        ),
        migrations.AddConstraint(
            model_name='progressreport',
            constraint=models.CheckConstraint(condition=models.Q(('progress__isnull', True), ('progress__lte', 100), _connector='OR'), name='report_progress_percent'),
        ),
        migrations.AddConstraint(
            model_name='progressreport',
            constraint=models.CheckConstraint(condition=models.Q(('exemplary', False), ('submitted_at__isnull', False), _connector='OR'), name='report_exemplary_when_submitted'),
        ),
        migrations.AddField(
            model_name='attachment',
            name='filing',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='worklist.filing', verbose_name='备案'),
        ),
        migrations.AddField(
            model_name='attachment',
            name='notice',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='worklist.supervisionnotice', verbose_name='督办'),
        ),
        migrations.AddField(
            model_name='attachment',
            name='organisation',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.organisation', verbose_name='所属单位'),
        ),
        migrations.AddField(
            model_name='attachment',
            name='report',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='worklist.progressreport', verbose_name='进展报送'),
        ),
        migrations.AddField(
            model_name='reminder',
            name='notice',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='worklist.supervisionnotice', verbose_name='督办'),
        ),
        migrations.AddField(
            model_name='reminder',
            name='organisation',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.organisation', verbose_name='提醒单位'),
        ),
        migrations.AddField(
            model_name='reminder',
            name='plan',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='worklist.plan', verbose_name='备案方案'),
        ),
        migrations.AddField(
            model_name='reminder',
            name='report',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='worklist.progressreport', verbose_name='进展报送'),
        ),
        migrations.AddConstraint(
            model_name='attachment',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('filing__isnull', False), ('notice__isnull', True), ('report__isnull', True)), models.Q(('filing__isnull', True), ('notice__isnull', True), ('report__isnull', False)), models.Q(('filing__isnull', True), ('notice__isnull', False), ('report__isnull', True)), _connector='OR'), name='attachment_belongs_to_one'),
        ),
        migrations.AddConstraint(
            model_name='attachment',
            constraint=models.CheckConstraint(condition=models.Q(('is_document', False), ('filing__isnull', False), _connector='OR'), name='attachment_document_of_a_filing'),
        ),
        migrations.AddConstraint(
            model_name='attachment',
            constraint=models.UniqueConstraint(condition=models.Q(('is_document', True)), fields=('filing',), name='attachment_one_document_per_filing'),
        ),
        migrations.AddIndex(
            model_name='reminder',
            index=models.Index(fields=['organisation', 'read_at'], name='reminder_unit_unread'),
        ),
        migrations.AddConstraint(
            model_name='reminder',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('notice__isnull', True), ('plan__isnull', True), ('report__isnull', False)), models.Q(('notice__isnull', False), ('plan__isnull', True), ('report__isnull', True)), models.Q(('notice__isnull', True), ('plan__isnull', False), ('report__isnull', True)), _connector='OR'), name='reminder_of_one'),
        ),
        migrations.AddConstraint(
            model_name='reminder',
            constraint=models.UniqueConstraint(condition=models.Q(('report__isnull', False)), fields=('report', 'kind'), name='reminder_once_per_report'),
        ),
        migrations.AddConstraint(
            model_name='reminder',
            constraint=models.UniqueConstraint(condition=models.Q(('notice__isnull', False)), fields=('notice', 'kind'), name='reminder_once_per_notice'),
        ),
        migrations.AddConstraint(
            model_name='reminder',
            constraint=models.UniqueConstraint(condition=models.Q(('plan__isnull', False)), fields=('plan', 'organisation', 'kind'), name='reminder_once_per_filing_due'),
        ),
    ]
