"""Read-only JSON API for laws, versions and articles (documented at /api/docs/).

GET /api/laws/laws/?level=法律&status=现行有效&q=治安
GET /api/laws/laws/{id}/            (with its versions)
GET /api/laws/versions/?law={id}
GET /api/laws/articles/?law={id}&number=133&suffix=1&version={id}
GET /api/laws/lookup/?law=刑法&number=133&suffix=1   or   ?ref=《刑法》第一百三十三条之一
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import generics, routers, serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from django.db.models import Q

from core.params import MAX_INT32, int_param
from laws.choices import LawLevel, VersionStatus
from laws.models import Article, LawPage, LawVersion
from laws.references import find_law_by_title, resolve_reference, version_on


class VersionSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    article_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = LawVersion
        fields = [
            "id",
            "law",
            "version_date",
            "promulgation_date",
            "effective_date",
            "status",
            "history",
            "source_file",
            "article_count",
            "url",
        ]

    def get_url(self, obj) -> str:
        return obj.get_absolute_url()


class LawSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    tags = serializers.SerializerMethodField()
    current_version = serializers.SerializerMethodField()

    class Meta:
        model = LawPage
        fields = [
            "id",
            "title",
            "short_title",
            "level",
            "issuing_body",
            "document_number",
            "status",
            "promulgation_date",
            "effective_date",
            "repealed",
            "tags",
            "current_version",
            "url",
        ]

    def get_url(self, obj) -> str:
        return obj.url or ""

    def get_tags(self, obj) -> list[str]:
        return [t.name for t in obj.tags.all()]

    def get_current_version(self, obj) -> int | None:
        version = obj.current_version
        return version.pk if version else None


class LawDetailSerializer(LawSerializer):
    versions = serializers.SerializerMethodField()

    class Meta(LawSerializer.Meta):
        fields = LawSerializer.Meta.fields + ["versions"]

    @extend_schema_field(VersionSerializer(many=True))
    def get_versions(self, obj):
        return VersionSerializer(obj.versions.order_by("version_date", "pk"), many=True).data


class ArticleSerializer(serializers.ModelSerializer):
    law_title = serializers.CharField(source="law.title", read_only=True)
    version_date = serializers.DateField(source="version.version_date", read_only=True)
    status = serializers.CharField(source="version.status", read_only=True)
    paragraphs = serializers.ListField(child=serializers.CharField(), read_only=True)
    url = serializers.SerializerMethodField()
    version_url = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = [
            "id",
            "law",
            "law_title",
            "version",
            "version_date",
            "status",
            "number",
            "suffix",
            "label",
            "heading_path",
            "text",
            "paragraphs",
            "url",
            "version_url",
        ]

    def get_url(self, obj) -> str:
        return obj.get_absolute_url()

    def get_version_url(self, obj) -> str:
        return obj.get_version_url()


_LEVEL = OpenApiParameter("level", str, enum=LawLevel.values, description="效力级别")
_STATUS = OpenApiParameter("status", str, enum=VersionStatus.values, description="时效性")


@extend_schema_view(
    list=extend_schema(
        parameters=[_LEVEL, _STATUS, OpenApiParameter("q", str, description="标题包含")]
    ),
)
class LawViewSet(viewsets.ReadOnlyModelViewSet):
    """法规: laws in the library (published pages only)."""

    lookup_value_converter = "id"  # /api/laws/laws/abc/ or 2**80: 404, not a 500

    def get_queryset(self):
        qs = LawPage.objects.live().prefetch_related("tags").order_by("title")
        params = self.request.query_params
        if params.get("level"):
            qs = qs.filter(level=params["level"])
        if params.get("status"):
            qs = qs.filter(status=params["status"])
        if params.get("q"):
            qs = qs.filter(Q(title__icontains=params["q"]) | Q(short_title__icontains=params["q"]))
        return qs

    def get_serializer_class(self):
        return LawDetailSerializer if self.action == "retrieve" else LawSerializer


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("law", int, description="法规 id"), _STATUS]),
)
class VersionViewSet(viewsets.ReadOnlyModelViewSet):
    """版本: versions of laws, oldest first."""

    lookup_value_converter = "id"

    serializer_class = VersionSerializer

    def get_queryset(self):
        from django.db.models import Count

        qs = (
            LawVersion.objects.filter(law__live=True)
            .annotate(article_count=Count("articles"))
            .order_by("law_id", "version_date", "pk")
        )
        params = self.request.query_params
        law = int_param(params, "law")
        if law is not None:
            qs = qs.filter(law_id=law)
        if params.get("status"):
            qs = qs.filter(status=params["status"])
        return qs


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("law", int, description="法规 id"),
            OpenApiParameter("number", int, description="条号，例如 133"),
            OpenApiParameter("suffix", int, description="之几：1 表示“之一”"),
            OpenApiParameter("version", int, description="版本 id（缺省为各法现行版本）"),
            OpenApiParameter("all_versions", bool, description="包括历史版本"),
            _LEVEL,
            _STATUS,
        ]
    ),
)
class ArticleViewSet(viewsets.ReadOnlyModelViewSet):
    """条文: articles; by default only those of current versions."""

    lookup_value_converter = "id"

    serializer_class = ArticleSerializer

    def get_queryset(self):
        qs = (
            Article.objects.filter(law__live=True)
            .select_related("law", "version")
            .order_by("law_id", "version_id", "order")
        )
        params = self.request.query_params
        for name in ("law", "number", "suffix", "version"):
            value = int_param(params, name)  # ?law=abc or 2**80: a 400 naming the parameter
            if value is not None:
                qs = qs.filter(**{f"{name}_id" if name in ("law", "version") else name: value})
        if not params.get("version") and params.get("all_versions") not in ("1", "true"):
            qs = qs.filter(version__status__in=[VersionStatus.IN_FORCE, VersionStatus.REPEALED])
        if params.get("level"):
            qs = qs.filter(law__level=params["level"])
        if params.get("status"):
            qs = qs.filter(version__status=params["status"])
        return qs


class ArticleLookupView(generics.GenericAPIView):
    """Look an article up by law title + article number, or by a citation text."""

    serializer_class = ArticleSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("law", str, description="法规全称或简称，例如 刑法"),
            OpenApiParameter("number", int, description="条号"),
            OpenApiParameter("suffix", int, description="之几"),
            OpenApiParameter("ref", str, description="引用文本，例如 《刑法》第一百三十三条之一"),
            OpenApiParameter("on", OpenApiTypes.DATE, description="按该日有效的版本"),
        ],
        responses=ArticleSerializer,
    )
    def get(self, request):
        from datetime import date

        params = request.query_params
        on = None
        if params.get("on"):
            try:
                on = date.fromisoformat(params["on"])
            except ValueError as exc:
                raise ValidationError({"on": "日期格式应为 YYYY-MM-DD"}) from exc
        if params.get("ref"):
            article = resolve_reference(params["ref"], on=on)
        else:
            number = int_param(params, "number", max_value=MAX_INT32)
            if not params.get("law") or number is None:
                raise ValidationError(
                    "需要 law 和 number，或 ref (law and number, or ref, are required)"
                )
            law = find_law_by_title(params["law"])
            if law is None:
                raise NotFound("没有这部法规 (no such law)")
            version = version_on(law, on)
            suffix = int_param(params, "suffix", default=0, max_value=MAX_INT32)
            article = (
                Article.objects.filter(version=version, number=number, suffix=suffix).first()
                if version
                else None
            )
        if article is None or not article.law.live:
            raise NotFound("没有找到该条文 (article not found)")
        return Response(self.get_serializer(article).data)


router = routers.DefaultRouter(use_regex_path=False)  # path converters: <id:pk>
router.register("laws", LawViewSet, basename="law")
router.register("versions", VersionViewSet, basename="version")
router.register("articles", ArticleViewSet, basename="article")
