"""Staff pages of the public site (/staff/publication/): the furigana exceptions list, and
rebuilding the search index and the plan documents on demand.

Every staff user sees the pages. Changing a furigana exception needs the right to publish
(``rules.can_publish``); rebuilding needs the plan editors' right (``rules.can_edit_plan``):
it publishes nothing, and builds the documents now (the background refresh after a publish
does the same, see ``keikaku.publication.tasks``)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from keikaku.plans import rules
from keikaku.publication import services
from keikaku.publication.domain.japanese import has_kanji
from keikaku.publication.models import FuriganaException, PlanDocument, SearchDocument

_HIRAGANA = set(
    "ぁあぃいぅうぇえぉおかがきぎくぐけげこごさざしじすずせぜそぞただちぢっつづてでとどなにぬねのはばぱひびぴふぶぷへべぺほぼぽまみむめもゃやゅゆょよらりるれろゎわゐゑをんゔゕゖー"
)


class FuriganaForm(forms.ModelForm):
    class Meta:
        model = FuriganaException
        fields = ["surface", "reading", "note"]

    def clean_surface(self) -> str:
        surface = self.cleaned_data["surface"].strip()
        if not has_kanji(surface):
            raise forms.ValidationError(_lazy("漢字を含む語を入力してください。"))
        return surface

    def clean_reading(self) -> str:
        reading = self.cleaned_data["reading"].strip()
        bad = sorted({ch for ch in reading if ch not in _HIRAGANA})
        if bad:
            raise forms.ValidationError(
                _("読みはひらがなで入力してください（使えない文字: %(chars)s）。")
                % {"chars": "".join(bad)}
            )
        return reading


def _check(request: HttpRequest) -> None:
    if not request.user.is_authenticated:
        return
    if not rules.can_edit_plan(request.user):
        raise PermissionDenied(_("公開サイトの設定を変更する権限がありません。"))


def _check_furigana(request: HttpRequest) -> None:
    """Readings are shown on every public page: changing them is publishing, so it needs
    the right to publish (``plans.change_edition``). Every staff user may look at the list."""
    if not rules.can_publish(request.user):
        raise PermissionDenied(
            _("ふりがなの例外を変更できるのは、計画を公開する権限のある職員だけです。")
        )


@rules.staff_required
def home(request: HttpRequest) -> HttpResponse:
    docs = PlanDocument.objects.order_by("kind", "fmt", "-generated_at")
    return render(
        request,
        "publication/staff/home.html",
        {
            "nav_slug": "publication",
            "documents": docs,
            "search_documents": SearchDocument.objects.count(),
            "can_edit": rules.can_edit_plan(request.user),
        },
    )


@rules.staff_required
def furigana_list(request: HttpRequest) -> HttpResponse:
    form = FuriganaForm()
    if request.method == "POST":
        _check_furigana(request)
        instance = FuriganaException.objects.filter(
            surface=request.POST.get("surface", "").strip()
        ).first()
        form = FuriganaForm(request.POST, instance=instance)
        if form.is_valid():
            obj = services.furigana_exception_save(
                surface=form.cleaned_data["surface"],
                reading=form.cleaned_data["reading"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
            messages.success(
                request,
                _("「%(surface)s」の読みを保存しました。") % {"surface": obj.surface},
            )
            return redirect("staff:publication_furigana")
    return render(
        request,
        "publication/staff/furigana.html",
        {
            "nav_slug": "publication_furigana",
            "form": form,
            "items": FuriganaException.objects.all(),
            "can_edit": rules.can_publish(request.user),
        },
    )


@require_POST
@rules.staff_required
def furigana_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _check_furigana(request)
    obj = get_object_or_404(FuriganaException, pk=pk)
    services.furigana_exception_delete(obj=obj, actor=request.user)
    messages.success(request, _("「%(surface)s」を削除しました。") % {"surface": obj.surface})
    return redirect("staff:publication_furigana")


@require_POST
@rules.staff_required
def rebuild(request: HttpRequest) -> HttpResponse:
    _check(request)
    from keikaku.publication import search
    from keikaku.publication.documents import service

    stats = search.index_rebuild()
    built = service.build_all()
    messages.success(
        request,
        _("検索の索引（%(docs)s 件）と計画書（%(files)s 件）を最新にしました。")
        % {"docs": stats.documents, "files": len(built)},
    )
    return redirect("staff:publication_home")
