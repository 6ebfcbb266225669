"""The view helpers shared by the apps' staff pages (keikaku.core.view_helpers)."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.contrib import messages
from django.contrib.auth.models import Group, Permission
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.test import RequestFactory

from keikaku.core.services import StaleEditError
from keikaku.core.view_helpers import (
    Written,
    attach_errors,
    error_text,
    page_of,
    require,
    save_versioned,
    split_cleaned,
)

STALE = (
    "この内容は編集中に 山田 さんが変更しました（）。"
    "あなたの変更は保存していません。最新の内容を読み込み直してから、もう一度編集してください。"
)


class NameForm(forms.Form):
    name = forms.CharField()
    version = forms.IntegerField(required=False)


class Record:
    """Stands for a versioned model instance: a version and a reload that is counted."""

    def __init__(self, version: int) -> None:
        self.version = version
        self.reloads = 0

    def refresh_from_db(self) -> None:
        self.reloads += 1


def _form(**data: Any) -> NameForm:
    form = NameForm({"name": "x", **data})
    assert form.is_valid()
    return form


def _request(path: str = "/staff/x/") -> HttpRequest:
    request = RequestFactory().post(path)
    request.user = "actor"  # type: ignore[assignment]
    request._messages = CookieStorage(request)  # type: ignore[attr-defined]
    return request


def _messages(request: HttpRequest) -> list[tuple[str, str]]:
    return [(m.level_tag, m.message) for m in messages.get_messages(request)]


def _stale() -> StaleEditError:
    return StaleEditError(Group(name="g"), "山田", None)


# --- require, error_text, attach_errors ------------------------------------------------------


def test_require_passes_when_allowed() -> None:
    assert require(True) is None


def test_require_refuses_with_the_message() -> None:
    with pytest.raises(PermissionDenied) as caught:
        require(False)
    assert str(caught.value) == "この操作を行う権限がありません。"


def test_error_text_joins_the_messages_of_a_validation_error() -> None:
    assert error_text(ValidationError(["一つ目。", "二つ目。"])) == "一つ目。 二つ目。"
    assert error_text(ValidationError({"name": ["名前がありません。"]})) == "名前がありません。"


def test_error_text_of_a_plain_error_is_its_text() -> None:
    assert error_text(ValueError("数ではありません。")) == "数ではありません。"


def test_attach_errors_puts_field_errors_on_the_field_and_the_rest_on_the_form() -> None:
    form = _form()
    exc = ValidationError(
        {
            "name": [ValidationError("%(n)d 字までです。", params={"n": 5})],
            "not_on_the_form": ["別の欄の誤り。"],
            "__all__": ["全体の誤り。"],
        }
    )
    attach_errors(form, exc)
    assert form.errors == {
        "name": ["5 字までです。"],
        "__all__": ["別の欄の誤り。", "全体の誤り。"],
    }
    assert "name" not in form.cleaned_data


def test_attach_errors_of_a_message_list_go_to_the_form() -> None:
    form = _form()
    attach_errors(form, ValidationError(["一つ目。", "二つ目。"]))
    assert form.errors == {"__all__": ["一つ目。", "二つ目。"]}
    assert form.cleaned_data["name"] == "x"


# --- split_cleaned ----------------------------------------------------------------------------


class GroupForm(forms.ModelForm):
    class Meta:
        model = Group
        fields = ["name", "permissions"]


@pytest.mark.django_db
def test_split_cleaned_separates_many_to_many_fields() -> None:
    permission = Permission.objects.order_by("pk").first()
    assert permission is not None
    form = GroupForm({"name": "班", "permissions": [permission.pk]})
    assert form.is_valid()
    assert split_cleaned(form) == ({"name": "班"}, {"permissions": [permission]})


@pytest.mark.django_db
def test_split_cleaned_gives_an_empty_list_for_an_empty_many_to_many_field() -> None:
    form = GroupForm({"name": "班"})
    assert form.is_valid()
    assert split_cleaned(form) == ({"name": "班"}, {"permissions": []})


# --- Written ----------------------------------------------------------------------------------


def test_written_is_ok_when_the_block_finishes() -> None:
    request, form = _request(), _form()
    with Written(request=request, form=form) as written:
        pass
    assert written.ok is True
    assert _messages(request) == []
    assert form.errors == {}


def test_written_shows_a_stale_edit_as_a_message_when_given_the_request() -> None:
    request, form = _request(), _form()
    with Written(request=request, form=form) as written:
        raise _stale()
    assert written.ok is False
    assert _messages(request) == [("error", STALE)]
    assert form.errors == {}


def test_written_puts_a_stale_edit_on_the_form_without_a_request() -> None:
    form = _form()
    with Written(form=form) as written:
        raise _stale()
    assert written.ok is False
    assert form.errors == {"__all__": [STALE]}


def test_written_puts_a_validation_error_on_the_form_after_reloading() -> None:
    request, form, record = _request(), _form(), Record(3)
    with Written(request=request, form=form, refresh=record) as written:  # type: ignore[arg-type]
        raise ValidationError({"name": ["その名前は使われています。"]})
    assert written.ok is False
    assert record.reloads == 1
    assert form.errors == {"name": ["その名前は使われています。"]}
    assert _messages(request) == []


def test_written_reloads_nothing_on_a_stale_edit() -> None:
    record = Record(3)
    with Written(form=_form(), refresh=record):  # type: ignore[arg-type]
        raise _stale()
    assert record.reloads == 0


def test_written_shows_a_validation_error_as_a_message_without_a_form() -> None:
    request = _request()
    with Written(request=request) as written:
        raise ValidationError(["一つ目。", "二つ目。"])
    assert written.ok is False
    assert _messages(request) == [("error", "一つ目。 二つ目。")]


def test_written_lets_other_errors_through() -> None:
    written = Written(request=_request())
    with pytest.raises(KeyError), written:
        raise KeyError("x")
    assert written.ok is False


def test_written_needs_a_request_or_a_form() -> None:
    with pytest.raises(TypeError) as caught:
        Written()
    assert str(caught.value) == "Written needs a request, a form or both."


# --- save_versioned ---------------------------------------------------------------------------


def test_save_versioned_updates_with_the_version_of_the_form() -> None:
    calls: list[dict[str, Any]] = []
    request, record = _request(), Record(3)
    saved = save_versioned(
        request,
        _form(version="2"),
        record,  # type: ignore[type-var]
        update=lambda **kwargs: calls.append(kwargs),
        changes={"name": "x"},
    )
    assert saved is record
    assert calls == [{"actor": "actor", "expected_version": 2, "changes": {"name": "x"}}]


def test_save_versioned_falls_back_to_the_version_of_the_record() -> None:
    calls: list[dict[str, Any]] = []
    record = Record(7)
    save_versioned(
        _request(),
        _form(),
        record,  # type: ignore[type-var]
        update=lambda **kwargs: calls.append(kwargs),
        changes={},
    )
    assert calls == [{"actor": "actor", "expected_version": 7, "changes": {}}]


def test_save_versioned_creates_a_new_record() -> None:
    new = Record(1)
    saved = save_versioned(
        _request(),
        _form(),
        None,
        update=None,
        changes={"name": "x"},
        create=lambda: new,  # type: ignore[arg-type,return-value]
    )
    assert saved is new


def test_save_versioned_returns_none_on_a_failed_create() -> None:
    form = _form()

    def create() -> Any:
        raise ValidationError({"name": ["名前がありません。"]})

    assert save_versioned(_request(), form, None, update=None, changes={}, create=create) is None
    assert form.errors == {"name": ["名前がありません。"]}


def test_save_versioned_returns_none_on_a_stale_edit_and_says_so() -> None:
    request, record = _request(), Record(3)

    def update(**kwargs: Any) -> None:
        raise _stale()

    saved = save_versioned(request, _form(), record, update=update, changes={})  # type: ignore[type-var]
    assert saved is None
    assert _messages(request) == [("error", STALE)]
    assert record.reloads == 0


def test_save_versioned_reloads_the_record_on_a_validation_error_when_asked() -> None:
    form, record = _form(), Record(3)

    def update(**kwargs: Any) -> None:
        raise ValidationError(["保存できません。"])

    saved = save_versioned(_request(), form, record, update=update, changes={}, refresh=True)  # type: ignore[type-var]
    assert saved is None
    assert record.reloads == 1
    assert form.errors == {"__all__": ["保存できません。"]}


def test_save_versioned_does_not_reload_unless_asked() -> None:
    record = Record(3)

    def update(**kwargs: Any) -> None:
        raise ValidationError(["保存できません。"])

    save_versioned(_request(), _form(), record, update=update, changes={})  # type: ignore[type-var]
    assert record.reloads == 0


def test_save_versioned_needs_the_write_for_the_case() -> None:
    with pytest.raises(TypeError) as caught:
        save_versioned(_request(), _form(), None, update=None, changes={})
    assert str(caught.value) == "save_versioned needs create() for a new record."
    with pytest.raises(TypeError) as caught:
        save_versioned(_request(), _form(), Record(1), update=None, changes={})  # type: ignore[type-var]
    assert str(caught.value) == "save_versioned needs update() for an existing record."


# --- page_of ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "number", "first", "count"),
    [
        ("", 1, 0, 50),  # no page: the first
        ("?page=2", 2, 50, 50),  # items 50–99
        ("?page=abc", 1, 0, 50),  # not a number: the first
        ("?page=99", 3, 100, 20),  # too large: the last, 120 − 100 = 20 items
    ],
)
def test_page_of_pages_by_the_query_parameter(
    query: str, number: int, first: int, count: int
) -> None:
    page = page_of(RequestFactory().get(f"/staff/list/{query}"), list(range(120)), 50)
    assert page.number == number
    assert list(page.object_list) == list(range(first, first + count))
    assert page.paginator.num_pages == 3
