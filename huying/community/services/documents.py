"""Rules of procedure and compacts: the first version is recorded as adopted; every later version
comes from a topic decided through the consultation path (``topics.document_revision_raise``)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.models import User
from huying.accounts.selectors import Actor
from huying.core.errors import PermissionDenied, ValidationFailed
from huying.organisations.models import OrgUnit

from ..models import DocumentVersion, RuleDocument
from ..permissions import resolve, table_roles
from ..states import STAFF
from .common import text


@transaction.atomic
def document_create(
    *, actor: Actor | User | AnonymousUser, unit: OrgUnit, kind: str, title: str, text_: str
) -> RuleDocument:
    """Record a document in force (its first version), e.g. the compact the villagers adopted before."""
    resolved = resolve(actor)
    if STAFF not in table_roles(resolved, unit):
        raise PermissionDenied()
    if kind not in RuleDocument.Kind.values:
        raise ValidationFailed(_("文件类型无效。"))
    document = RuleDocument.objects.create(unit=unit, kind=kind, title=text(title, label=_("名称"), limit=100))
    DocumentVersion.objects.create(
        document=document, number=1, text=text(text_, label=_("全文"), limit=50_000), adopted_at=timezone.now()
    )
    return document
