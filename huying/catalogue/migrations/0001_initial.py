# The catalogue's tables. Until the app was labelled 'catalogue' they were the 'services' app's: a
# database migrated then counts this migration as applied (replaces), and 0002 renames its tables.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True
    replaces = [('services', '0001_initial'), ('services', '0002_bundle_review_in_parallel')]

    dependencies = [
        ('organisations', '0002_reference_divisions'),
    ]

    operations = [
        migrations.CreateModel(
            name='Bundle',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=40, unique=True, verbose_name='编码')),
                ('name', models.CharField(max_length=100, verbose_name='名称')),
                ('description', models.TextField(blank=True, verbose_name='说明')),
                ('promised_days', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='承诺办结时限（工作日）')),
                ('pinyin_initials', models.CharField(blank=True, db_index=True, editable=False, max_length=100, verbose_name='拼音首字母')),
                ('is_active', models.BooleanField(default=True, verbose_name='在用')),
                ('review_in_parallel', models.BooleanField(default=False, verbose_name='各事项并联审批')),
                ('lead_unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='bundles', to='organisations.orgunit', verbose_name='牵头部门')),
            ],
            options={
                'verbose_name': '一件事',
                'verbose_name_plural': '一件事',
                'ordering': ['code'],
            },
        ),
        migrations.CreateModel(
            name='ServiceItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=36, unique=True, verbose_name='实施编码')),
                ('basic_code', models.CharField(blank=True, max_length=12, verbose_name='基本编码')),
                ('name', models.CharField(max_length=200, verbose_name='事项名称')),
                ('item_type', models.CharField(choices=[('licensing', '行政许可'), ('benefit', '行政给付'), ('confirmation', '行政确认'), ('reward', '行政奖励'), ('ruling', '行政裁决'), ('public_service', '公共服务'), ('other', '其他行政权力')], max_length=20, verbose_name='事项类型')),
                ('level', models.CharField(choices=[('city', '市级'), ('county', '县级'), ('township', '乡镇（街道）级'), ('village', '村（社区）级')], max_length=10, verbose_name='行使层级')),
                ('applicant_kind', models.CharField(choices=[('person', '自然人'), ('enterprise', '法人'), ('both', '自然人和法人')], max_length=12, verbose_name='服务对象')),
                ('review_mode', models.CharField(choices=[('instant', '即办件'), ('sequential', '承诺件（串联审查）'), ('parallel', '承诺件（并联审批）')], max_length=12, verbose_name='办件类型')),
                ('legal_basis', models.TextField(blank=True, verbose_name='设定依据')),
                ('legal_days', models.PositiveSmallIntegerField(verbose_name='法定办结时限（工作日）')),
                ('promised_days', models.PositiveSmallIntegerField(verbose_name='承诺办结时限（工作日）')),
                ('conditions', models.TextField(blank=True, verbose_name='受理条件')),
                ('process', models.TextField(blank=True, verbose_name='办理流程')),
                ('fee', models.CharField(blank=True, help_text='空白表示不收费', max_length=200, verbose_name='收费标准')),
                ('fee_basis', models.CharField(blank=True, max_length=200, verbose_name='收费依据')),
                ('place', models.CharField(blank=True, max_length=200, verbose_name='办理地点')),
                ('hours', models.CharField(blank=True, max_length=100, verbose_name='办理时间')),
                ('contact_phone', models.CharField(blank=True, max_length=40, verbose_name='咨询电话')),
                ('online', models.BooleanField(default=True, verbose_name='可网上办理')),
                ('max_visits', models.PositiveSmallIntegerField(default=1, verbose_name='到办事现场次数')),
                ('proxy_allowed', models.BooleanField(default=True, verbose_name='可帮办代办')),
                ('express_delivery', models.BooleanField(default=True, verbose_name='支持快递送达结果')),
                ('result_name', models.CharField(blank=True, max_length=100, verbose_name='审批结果名称')),
                ('result_licence_type_code', models.CharField(blank=True, max_length=21, verbose_name='结果电子证照类型代码')),
                ('pinyin_initials', models.CharField(blank=True, db_index=True, editable=False, max_length=200, verbose_name='拼音首字母')),
                ('is_active', models.BooleanField(default=True, verbose_name='在用')),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='service_items', to='organisations.orgunit', verbose_name='实施主体')),
            ],
            options={
                'verbose_name': '政务服务事项',
                'verbose_name_plural': '政务服务事项',
                'ordering': ['code'],
            },
        ),
        migrations.CreateModel(
            name='ReviewStep',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('stage', models.PositiveSmallIntegerField(default=1, verbose_name='阶段')),
                ('name', models.CharField(max_length=100, verbose_name='环节名称')),
                ('days', models.PositiveSmallIntegerField(default=1, verbose_name='环节时限（工作日）')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='review_steps', to='organisations.orgunit', verbose_name='审批部门')),
                ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='review_steps', to='catalogue.serviceitem')),
            ],
            options={
                'verbose_name': '审批环节',
                'verbose_name_plural': '审批环节',
                'ordering': ['item', 'stage', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Material',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.SlugField(max_length=60, verbose_name='材料标识')),
                ('name', models.CharField(max_length=200, verbose_name='材料名称')),
                ('form', models.CharField(choices=[('original', '原件'), ('copy', '复印件'), ('both', '原件和复印件'), ('electronic', '电子材料')], default='original', max_length=12, verbose_name='材料形式')),
                ('source', models.CharField(choices=[('applicant', '申请人自备'), ('government', '政府部门核发'), ('form', '申请表（窗口提供）')], default='applicant', max_length=12, verbose_name='来源渠道')),
                ('required', models.BooleanField(default=True, verbose_name='必要')),
                ('copies', models.PositiveSmallIntegerField(default=1, verbose_name='纸质份数')),
                ('notes', models.CharField(blank=True, max_length=300, verbose_name='填报须知')),
                ('licence_type_code', models.CharField(blank=True, max_length=21, verbose_name='可用电子证照类型代码')),
                ('sort', models.PositiveSmallIntegerField(default=0, verbose_name='排序')),
                ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='materials', to='catalogue.serviceitem')),
            ],
            options={
                'verbose_name': '申请材料',
                'verbose_name_plural': '申请材料',
                'ordering': ['item', 'sort', 'id'],
            },
        ),
        migrations.CreateModel(
            name='FormField',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.SlugField(max_length=60, verbose_name='字段标识')),
                ('label', models.CharField(max_length=100, verbose_name='字段名称')),
                ('kind', models.CharField(choices=[('text', '文本'), ('number', '数字'), ('date', '日期'), ('id_number', '身份证号码'), ('credit_code', '统一社会信用代码'), ('phone', '手机号码'), ('choice', '选项')], default='text', max_length=12, verbose_name='类型')),
                ('choices', models.CharField(blank=True, max_length=300, verbose_name='可选值（以“|”分隔）')),
                ('required', models.BooleanField(default=True, verbose_name='必填')),
                ('sort', models.PositiveSmallIntegerField(default=0, verbose_name='排序')),
                ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='form_fields', to='catalogue.serviceitem')),
            ],
            options={
                'verbose_name': '表单字段',
                'verbose_name_plural': '表单字段',
                'ordering': ['item', 'sort', 'id'],
            },
        ),
        migrations.CreateModel(
            name='BundleItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sort', models.PositiveSmallIntegerField(default=0, verbose_name='排序')),
                ('bundle', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='bundle_items', to='catalogue.bundle')),
                ('item', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='bundle_items', to='catalogue.serviceitem')),
            ],
            options={
                'ordering': ['bundle', 'sort', 'id'],
            },
        ),
        migrations.AddField(
            model_name='bundle',
            name='items',
            field=models.ManyToManyField(related_name='bundles', through='catalogue.BundleItem', to='catalogue.serviceitem'),
        ),
        migrations.AddConstraint(
            model_name='serviceitem',
            constraint=models.CheckConstraint(condition=models.Q(('promised_days__lte', models.F('legal_days'))), name='service_item_promised_not_above_legal', violation_error_message='承诺办结时限不得超过法定办结时限。'),
        ),
        migrations.AddConstraint(
            model_name='material',
            constraint=models.UniqueConstraint(fields=('item', 'key'), name='material_key_unique_per_item'),
        ),
        migrations.AddConstraint(
            model_name='formfield',
            constraint=models.UniqueConstraint(fields=('item', 'key'), name='form_field_key_unique_per_item'),
        ),
        migrations.AddConstraint(
            model_name='bundleitem',
            constraint=models.UniqueConstraint(fields=('bundle', 'item'), name='bundle_item_unique'),
        ),
    ]
