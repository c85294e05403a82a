"""Tables of the search app.

- ``PendingIndexOp`` (待索引队列): the durable outbox. ``search.api.index_documents`` writes here
  inside the caller's transaction; after commit one process at a time drains it into Whoosh.
- ``IndexedDocument``: the documents themselves for the PostgreSQL backend. On PostgreSQL the
  table also has a ``tsv tsvector`` column with a GIN index (added by migration 0002 only there).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PendingIndexOp(models.Model):
    key = models.CharField(_("文档键"), max_length=255, db_index=True)
    document = models.JSONField(_("文档"), null=True, blank=True, help_text=_("为空表示删除"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("待索引操作")
        verbose_name_plural = _("待索引操作")
        ordering = ["id"]

    def __str__(self):
        return f"{'index' if self.document is not None else 'remove'} {self.key}"


class IndexedDocument(models.Model):
    key = models.CharField(_("文档键"), max_length=255, unique=True)
    kind = models.CharField(_("类型"), max_length=20, db_index=True)
    title = models.TextField(_("标题"))
    body = models.TextField(_("正文"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    level = models.CharField(_("效力级别"), max_length=50, blank=True)
    status = models.CharField(_("状态"), max_length=50, blank=True)
    current = models.BooleanField(_("现行"), default=True)
    year = models.IntegerField(_("年份"), null=True, blank=True)
    staff_only = models.BooleanField(_("仅法制员可见"), default=False)
    law_key = models.CharField(_("法规键"), max_length=255, blank=True, db_index=True)
    law_title = models.CharField(_("法规标题"), max_length=500, blank=True, db_index=True)
    meta = models.JSONField(_("附加信息"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("检索文档")
        verbose_name_plural = _("检索文档")

    def __str__(self):
        return self.title


class LexiconEntry(models.Model):
    """A staff-added pair on top of ``lexicon/police_lexicon.txt``: an everyday word and the
    legal terms it stands for (query-time only: no re-index)."""

    term = models.CharField(_("日常说法"), max_length=40, unique=True)
    legal_terms = models.CharField(
        _("法律用语"), max_length=400, help_text=_("多个用语用“|”分隔，须与法规原文一致。")
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("检索词表条目")
        verbose_name_plural = _("检索词表条目")
        ordering = ["term"]

    def __str__(self):
        return f"{self.term} = {self.legal_terms}"

    @property
    def terms(self) -> list[str]:
        return [t.strip() for t in self.legal_terms.replace("｜", "|").split("|") if t.strip()]


class QueryLog(models.Model):
    """Queries that found nothing or only partial matches, with counts (never who asked)."""

    query = models.CharField(_("检索词"), max_length=100, unique=True)
    zero_count = models.PositiveIntegerField(_("无结果次数"), default=0)
    partial_count = models.PositiveIntegerField(_("仅部分匹配次数"), default=0)
    last_seen = models.DateTimeField(_("最近一次"), db_index=True)
    resolved = models.BooleanField(_("已处理"), default=False)

    class Meta:
        verbose_name = _("检索效果记录")
        verbose_name_plural = _("检索效果记录")
        ordering = ["-zero_count", "-partial_count", "-last_seen"]

    def __str__(self):
        return self.query
