import pytest

from django.urls import reverse


@pytest.mark.django_db
def test_home_page_is_chinese_first(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in html
    assert "法制在线" in html and "首页" in html


@pytest.mark.django_db
def test_language_switch_gives_english(client, settings):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Home" in html and "Sign in" in html


@pytest.mark.django_db
def test_wagtail_admin_login_is_chinese(client):
    html = client.get("/admin/login/").content.decode()
    assert "登录" in html


@pytest.mark.django_db
def test_unknown_page_is_a_404_with_the_site_layout(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


@pytest.mark.django_db
def test_notices_show_on_home_and_index(client):
    import io

    from django.core.management import call_command

    call_command("load_demo_data", "--skip-index", stdout=io.StringIO())
    from django.utils import timezone

    from questions.exams.models import Exam

    html = client.get("/").content.decode()
    assert f"关于开展{timezone.localdate().year}年度执法资格等级考试的通知" in html
    index = client.get("/notices/")
    monthly = Exam.objects.filter(kind="monthly").order_by("-opens_at").first()
    assert index.status_code == 200 and f"关于{monthly.title}的通知" in index.content.decode()


@pytest.mark.django_db
def test_load_demo_data_is_idempotent():
    import io

    from django.core.management import call_command

    from accounts.models import Unit, User
    from notices.models import NoticePage

    call_command("load_demo_data", "--skip-index", stdout=io.StringIO())
    counts = (User.objects.count(), Unit.objects.count(), NoticePage.objects.count())
    call_command("load_demo_data", "--skip-index", stdout=io.StringIO())
    assert (User.objects.count(), Unit.objects.count(), NoticePage.objects.count()) == counts
    assert User.objects.officers().count() >= 20
