"""Rules of procedure (议事规则) and compacts (村规民约、居民公约), kept as versions: a new version comes
only from a topic decided through the community's consultation path."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from huying.organisations.models import OrgUnit


class RuleDocument(models.Model):
    class Kind(models.TextChoices):
        CHARTER = "charter", _("自治章程")
        PROCEDURE = "procedure", _("议事规则")
        COMPACT = "compact", _("村规民约（居民公约）")

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="community_documents")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("名称"), max_length=100)

    class Meta:
        ordering = ["unit", "kind", "title"]
        verbose_name = _("规约文件")
        verbose_name_plural = _("规约文件")

    def __str__(self) -> str:
        return self.title


class DocumentVersion(models.Model):
    document = models.ForeignKey(RuleDocument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("版本"))
    text = models.TextField(_("全文"))
    topic = models.ForeignKey("community.Topic", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    adopted_at = models.DateTimeField(_("通过时间"))

    class Meta:
        ordering = ["document", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="community_doc_version_unique")]
        verbose_name = _("规约版本")
        verbose_name_plural = _("规约版本")

    def __str__(self) -> str:
        return f"{self.document_id} v{self.number}"
