"""Citizens answer the survey: enter the code from the letter, answer page by page (saved on
every page), confirm, submit once; and read the published summary of past surveys.

Pages with forms are never cached. The summary pages have no forms and are cached on the
public content version (a change of the wave bumps it)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from keikaku.core.cache import public_page_cache
from keikaku.surveys import selectors, services
from keikaku.surveys.domain.codes import code_problem, normalize_code
from keikaku.surveys.domain.wave import clean_web_answers
from keikaku.surveys.models import AccessCode, AnswerDraft, SurveyWave
from keikaku.surveys.questionnaire import answer_display, build_pages, pages_of
from keikaku.surveys.results import summary_context
from keikaku.surveys.selectors import question_def

COOKIE = "kk_survey"
DONE_COOKIE = "kk_survey_done"
SALT = "keikaku.surveys.code"
COOKIE_AGE = 7 * 24 * 60 * 60
MAX_FAILURES = 30
FAILURE_WINDOW = 600


# The code being answered travels in a signed cookie, not in the session: citizens never
# get a session, so answering costs no session reads or writes (and nothing links the
# citizen to a server-side session).


def _remember(response: HttpResponse, code_id: int) -> HttpResponse:
    response.set_signed_cookie(
        COOKIE,
        str(code_id),
        salt=SALT,
        max_age=COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def _forget(response: HttpResponse) -> HttpResponse:
    response.delete_cookie(COOKIE, samesite="Lax")
    return response


def _code_id(request: HttpRequest) -> int | None:
    value = request.get_signed_cookie(COOKIE, default=None, salt=SALT, max_age=COOKIE_AGE)
    return int(value) if value and value.isdigit() else None


def _client_key(request: HttpRequest) -> str:
    return "survey-code-failures:" + str(request.META.get("REMOTE_ADDR", ""))


@never_cache
def code_entry(request: HttpRequest) -> HttpResponse:
    error = ""
    value = ""
    if request.method == "POST":
        value = request.POST.get("code", "")
        failures = int(cache.get(_client_key(request), 0))
        if failures >= MAX_FAILURES:
            error = _(
                "コードの入力を続けて間違えたため、しばらく受け付けを止めています。10分ほどたってから、もう一度お試しください。"
            )
        else:
            error = code_problem(value) or ""
            if not error:
                code = (
                    AccessCode.objects.select_related("wave", "draft")
                    .filter(code=normalize_code(value))
                    .first()
                )
                if code is None:
                    error = _(
                        "この回答用コードは見つかりません。お手紙に印刷されたコードをもう一度ご確認ください。"
                    )
                elif code.used_at is not None:
                    error = _(
                        "この回答用コードはすでに使われています（回答は受け付け済みです）。1つのコードで回答できるのは1回だけです。"
                    )
                elif not services.wave_accepts_answers(code.wave):
                    error = _("「%(title)s」はいま回答を受け付けていません。") % {
                        "title": code.wave.title
                    }
                else:
                    cache.delete(_client_key(request))
                    _known, draft = services.loaded_draft(code)
                    page = draft.page if draft else 1
                    if draft:
                        messages.info(
                            request,
                            _("前回の続きから回答できます。これまでの回答は保存されています。"),
                        )
                    return _remember(redirect("survey:page", number=page), code.pk)
            cache.set(_client_key(request), failures + 1, FAILURE_WINDOW)
    return render(
        request,
        "surveys/public/code_entry.html",
        {"error": error, "value": value, "nav": "survey"},
    )


def _current_code(request: HttpRequest) -> AccessCode | None:
    """The code being answered, with its wave and draft (one query)."""
    pk = _code_id(request)
    if pk is None:
        return None
    return services.access_code_for_answering(pk)


def _draft_answers(code: AccessCode) -> dict[str, str]:
    known, draft = services.loaded_draft(code)
    if not known:
        draft = AnswerDraft.objects.filter(access_code=code).first()
    return dict(draft.answers) if draft else {}


def _gate(request: HttpRequest) -> tuple[AccessCode | None, HttpResponse | None]:
    code = _current_code(request)
    if code is None:
        messages.info(request, _("お手紙に印刷された回答用コードを入力してください。"))
        return None, redirect("survey:entry")
    if code.used_at is not None:
        messages.error(
            request,
            _("この回答用コードはすでに使われています（回答は受け付け済みです）。"),
        )
        return None, _forget(redirect("survey:entry"))
    if not services.wave_accepts_answers(code.wave):
        messages.error(
            request, _("「%(title)s」はいま回答を受け付けていません。") % {"title": code.wave.title}
        )
        return None, _forget(redirect("survey:entry"))
    return code, None


@never_cache
def page(request: HttpRequest, number: int) -> HttpResponse:
    code, stop = _gate(request)
    if stop is not None:
        return stop
    assert code is not None
    wave = code.wave
    structure = pages_of(wave)
    if not 1 <= number <= len(structure):
        raise Http404(_("そのページはありません。"))
    errors: dict[str, str] = {}
    posted: dict[str, list[str]] | None = None
    if request.method == "POST":
        _section, questions = structure[number - 1]
        defs = [question_def(q) for q in questions]
        columns = [c for d in defs for c in d.columns]
        cleaned = clean_web_answers(defs, request.POST.getlist)
        if cleaned.errors:
            errors = cleaned.errors
            posted = {c: request.POST.getlist(c) for c in columns}
        else:
            back = request.POST.get("nav") == "back"
            services.answer_draft_save(
                access_code=code,
                columns=columns,
                cells=cleaned.cells,
                page=number if back else min(number + 1, len(structure)),
            )
            if back:
                return redirect("survey:page", number=max(1, number - 1))
            if number < len(structure):
                return redirect("survey:page", number=number + 1)
            return redirect("survey:confirm")
    answers = _draft_answers(code)
    pages = build_pages(
        wave,
        answers,
        page_errors={number: errors} if errors else None,
        posted={number: posted} if posted is not None else None,
    )
    current = pages[number - 1]
    return render(
        request,
        "surveys/public/page.html",
        {
            "wave": wave,
            "page": current,
            "total": len(pages),
            "errors": [
                (p.first_id, qv.question.title, p.legend, p.error)
                for qv in current.questions
                for p in qv.parts
                if p.error
            ],
            "preview": False,
            "nav": "survey",
        },
    )


@never_cache
def confirm(request: HttpRequest) -> HttpResponse:
    code, stop = _gate(request)
    if stop is not None:
        return stop
    assert code is not None
    answers = _draft_answers(code)
    return render(
        request,
        "surveys/public/confirm.html",
        {
            "wave": code.wave,
            "sections": _summary(code.wave, answers),
            "empty": not answers,
            "total": len(pages_of(code.wave)),
            "nav": "survey",
        },
    )


def _summary(wave: SurveyWave, answers: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "number": i,
            "section": section,
            "items": [(q, answer_display(q, answers)) for q in questions],
        }
        for i, (section, questions) in enumerate(pages_of(wave), start=1)
    ]


@require_POST
@never_cache
def submit(request: HttpRequest) -> HttpResponse:
    pk = _code_id(request)
    if pk is None:
        messages.info(request, _("お手紙に印刷された回答用コードを入力してください。"))
        return redirect("survey:entry")
    try:
        services.response_submit(access_code_id=pk)
    except services.CodeAlreadyUsedError:
        return _forget(render(request, "surveys/public/used.html", {"nav": "survey"}, status=409))
    except services.SurveyClosedError:
        messages.error(
            request, _("この調査はいま回答を受け付けていません。回答は保存されていません。")
        )
        return _forget(redirect("survey:entry"))
    except services.EmptyResponseError:
        messages.error(
            request,
            _("まだ1問も回答されていません。回答してから送信してください。"),
        )
        return redirect("survey:page", number=1)
    response = _forget(redirect("survey:done"))
    response.set_signed_cookie(
        DONE_COOKIE, "1", salt=SALT, max_age=600, httponly=True, samesite="Lax"
    )
    return response


@never_cache
def done(request: HttpRequest) -> HttpResponse:
    if not request.get_signed_cookie(DONE_COOKIE, default=None, salt=SALT, max_age=600):
        return redirect("survey:entry")
    response = render(request, "surveys/public/done.html", {"nav": "survey"})
    response.delete_cookie(DONE_COOKIE, samesite="Lax")
    return response


# ---------------------------------------------------------------------------------------
# published summaries


@public_page_cache
def results_index(request: HttpRequest) -> HttpResponse:
    waves = list(selectors.wave_public_summary_list().order_by("-fiscal_year", "-id"))
    return render(request, "surveys/public/results_index.html", {"waves": waves, "nav": "survey"})


@public_page_cache
def results(request: HttpRequest, pk: int) -> HttpResponse:
    wave = selectors.wave_public_summary_list().filter(pk=pk).first()
    if wave is None:
        raise Http404(_("その調査結果は公開されていません。"))
    context = summary_context(wave, public=True)
    context.update({"nav": "survey", "entry_url": reverse("survey:entry")})
    return render(request, "surveys/public/results.html", context)
