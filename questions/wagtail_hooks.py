"""题库 in the Wagtail admin: questions, categories, key-change history, import and export."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views
from . import bulk_actions as admin_bulk_actions
from .admin_forms import QuestionAdminForm
from .models import Category, KeyChange, Question


class DuplicateColumn(Column):
    def get_value(self, instance):
        return f"#{instance.duplicate_of_id}" if instance.duplicate_of_id else ""


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("题目")
    menu_order = 100
    url_prefix = "questions/question"
    copy_view_enabled = False
    inspect_view_enabled = True
    search_fields = ["stem", "explanation", "source"]
    search_backend_name = None  # plain ORM search: the database backend does not segment Chinese
    list_filter = [
        "qtype",
        "status",
        "difficulty",
        "category",
        "level_basic",
        "level_intermediate",
        "level_advanced",
    ]
    list_per_page = 50
    list_display = [
        "__str__",
        Column("qtype", label=_("题型"), accessor="get_qtype_display"),
        Column("status", label=_("状态"), accessor="get_status_display"),
        "difficulty",
        Column("review_reason", label=_("待审核原因")),
        DuplicateColumn("duplicate_of", label=_("疑似重复")),
        Column("parent", label=_("所属案例"), accessor="parent_id"),
        DateColumn("updated_at", label=_("更新时间")),
    ]
    form_fields = None

    panels = [
        HelpPanel(
            content=str(
                _(
                    "选项按书写顺序编号为 A、B、C……，练习和考试中打乱显示顺序不会改变答案。"
                    "状态流程：待审核 → 已审核 → 已启用 → 已停用；只有已启用的题目会出现在练习和考试中。"
                    "案例分析题的小题单独保存为单选或多选题，并在“所属案例分析题”中选择该题。"
                )
            )
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("qtype"),
                        FieldPanel("status"),
                        FieldPanel("difficulty"),
                        FieldPanel("points"),
                    ]
                )
            ],
            heading=_("基本信息"),
        ),
        FieldPanel("stem"),
        InlinePanel("options", label=_("选项"), min_num=0, max_num=8),
        FieldPanel("answer"),
        FieldPanel("explanation"),
        FieldPanel("citations"),
        MultiFieldPanel(
            [
                FieldPanel("category"),
                FieldPanel("knowledge_points"),
                FieldRowPanel(
                    [
                        FieldPanel("level_basic"),
                        FieldPanel("level_intermediate"),
                        FieldPanel("level_advanced"),
                    ]
                ),
                FieldPanel("source"),
            ],
            heading=_("分类与适用"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("parent"), FieldPanel("order")])], heading=_("案例分析小题")
        ),
        FieldPanel("review_reason", read_only=True),
    ]

    def get_form_class(self, for_update=False):
        return self.get_edit_handler().get_form_class()

    def get_edit_handler(self):
        from wagtail.admin.panels import ObjectList

        handler = ObjectList(self.panels, base_form_class=QuestionAdminForm)
        return handler.bind_to_model(self.model)

    def get_queryset(self, request):
        return Question.objects.select_related("parent", "category")


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "folder-open-1"
    menu_label = _("题目分类")
    url_prefix = "questions/category"
    list_display = ["name", "sort_order"]
    panels = [FieldPanel("name"), FieldPanel("sort_order")]


class KeyChangeViewSet(SnippetViewSet):
    model = KeyChange
    icon = "history"
    menu_label = _("答案修改记录")
    url_prefix = "questions/keychange"
    inspect_view_enabled = True
    list_display = [
        "question",
        "old_answer",
        "new_answer",
        "changed_by",
        "answered_count",
        DateColumn("changed_at"),
    ]
    panels = [FieldPanel("note")]


class QuestionBankGroup(SnippetViewSetGroup):
    menu_label = _("题库")
    menu_icon = "help"
    menu_order = 300
    items = (QuestionViewSet, CategoryViewSet, KeyChangeViewSet)


register_snippet(QuestionBankGroup)


@hooks.register("register_admin_urls")
def register_bank_urls():
    return [
        path("questions/import/", admin_views.import_view, name="questions_import"),
        path("questions/export/", admin_views.export_view, name="questions_export"),
        path("questions/template/", admin_views.template_view, name="questions_template"),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("questions.import_questions")


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(
        _("题目导入导出"), reverse("questions_import"), icon_name="upload", order=310
    )


# --- the staff's to-do list on the admin dashboard ----------------------------------------------


def _todo_items(request):
    from core.admin_todo import TodoItem

    from .models import Question, QuestionStatus

    if not request.user.has_perm("questions.review_question"):
        return
    listing = reverse("wagtailsnippets_questions_question:list")
    drafts = Question.objects.filter(status=QuestionStatus.DRAFT, parent__isnull=True)
    yield TodoItem(
        _("题库 · 因法规修改待复核的题目"),
        drafts.exclude(review_reason="").count(),
        f"{listing}?status={QuestionStatus.DRAFT}",
        urgent=True,
    )
    yield TodoItem(
        _("题库 · 待审核的题目"),
        drafts.filter(review_reason="").count(),
        f"{listing}?status={QuestionStatus.DRAFT}",
    )


def _register_todo():
    from core.admin_todo import register_todo

    register_todo("questions", order=20, items=_todo_items)


_register_todo()


for _action in admin_bulk_actions.BULK_ACTIONS:
    hooks.register("register_bulk_action", _action)
