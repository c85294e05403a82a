from rest_framework import serializers

from django.utils.translation import gettext_lazy as _

from core.params import MAX_ID

from .selectors import KIND_LABELS, LEVEL_CHOICES, STATUS_CHOICES


class SearchParamsSerializer(serializers.Serializer):
    q = serializers.CharField(
        help_text=_("检索词；空格分隔表示同时包含，引号表示精确短语，减号表示排除")
    )
    kind = serializers.MultipleChoiceField(
        choices=list(KIND_LABELS),
        required=False,
        help_text=_("类型，可重复：article, law, case, answer, notice, question"),
    )
    level = serializers.ChoiceField(choices=LEVEL_CHOICES, required=False, help_text=_("效力级别"))
    status = serializers.ChoiceField(
        choices=list(STATUS_CHOICES),
        required=False,
        default="current",
        help_text=_("current 现行（默认）；all 全部；old 已废止或旧版本"),
    )
    year = serializers.IntegerField(required=False, min_value=1949, max_value=2100)
    law = serializers.CharField(required=False, help_text=_("只在这部法规内检索（法规键或全称）"))
    compilation = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text=_("只在这部法规汇编内检索（汇编编号）"),
    )
    page = serializers.IntegerField(required=False, min_value=1, max_value=10_000, default=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=50, default=10)


class SearchHitSerializer(serializers.Serializer):
    key = serializers.CharField()
    kind = serializers.CharField()
    title = serializers.CharField()
    title_html = serializers.CharField(help_text=_("标题，命中词以 <mark> 标出"))
    snippet_html = serializers.CharField(help_text=_("摘要，命中词以 <mark> 标出"))
    url = serializers.CharField()
    level = serializers.CharField()
    status = serializers.CharField()
    current = serializers.BooleanField()
    year = serializers.IntegerField(allow_null=True)
    law_title = serializers.CharField(allow_blank=True)
    article_label = serializers.CharField(allow_blank=True)
    score = serializers.FloatField()


class SearchResponseSerializer(serializers.Serializer):
    query = serializers.CharField()
    total = serializers.IntegerField()
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text=_("各类型命中数（不受 kind 过滤影响）")
    )
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    results = SearchHitSerializer(many=True)


class SearchErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()


class LawSuggestionSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.CharField()
    status = serializers.CharField()
    current = serializers.BooleanField()
    key = serializers.CharField()
