"""Read-only JSON API: an officer's own consultations, and the public FAQ.

Scope comes from the same selectors as the pages, so an officer never receives another
officer's unpublished question here either.
"""

from rest_framework import generics, permissions, serializers

from . import selectors
from .models import Consultation


class ConsultationSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.name")
    status_label = serializers.CharField(source="get_status_display")
    url = serializers.CharField(source="get_absolute_url")

    class Meta:
        model = Consultation
        fields = [
            "id",
            "title",
            "description",
            "category",
            "status",
            "status_label",
            "submitted_at",
            "due_at",
            "answered_at",
            "published_at",
            "url",
        ]


class FaqSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.SerializerMethodField()
    question = serializers.SerializerMethodField()
    answer = serializers.SerializerMethodField()
    category = serializers.CharField(source="category.name")
    published_at = serializers.DateTimeField()
    url = serializers.CharField(source="get_faq_url")

    def _answer(self, obj):
        if not hasattr(obj, "_official"):
            obj._official = obj.official_answer()
        return obj._official

    def get_title(self, obj) -> str:
        return self._answer(obj).public_title

    def get_question(self, obj) -> str:
        return self._answer(obj).public_question

    def get_answer(self, obj) -> str:
        return self._answer(obj).public_body


class ConsultationList(generics.ListAPIView):
    serializer_class = ConsultationSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return selectors.consultations_visible_to(self.request.user).order_by(
            "-submitted_at", "-pk"
        )


class ConsultationDetail(generics.RetrieveAPIView):
    serializer_class = ConsultationSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return selectors.consultations_visible_to(self.request.user)


class FaqList(generics.ListAPIView):
    serializer_class = FaqSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        return selectors.faq_list(category=self.request.query_params.get("category") or None)
