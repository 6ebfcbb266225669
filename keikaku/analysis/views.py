"""Staff pages of the opinion analysis (広聴分析), under /staff/analysis/."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keikaku.analysis import rules, selectors, services
from keikaku.analysis.forms import (
    MeasureKeywordsForm,
    RunForm,
    StopWordsForm,
    SynonymsForm,
    UserTermsForm,
)
from keikaku.analysis.models import (
    AnalysedOpinion,
    AnalysisRun,
    GroupDecision,
    StopWord,
    SynonymEntry,
    UserDictionaryEntry,
)
from keikaku.plans.models import Measure

NAV = "analysis"
PAGE_SIZE = 50
GROUP_PAGE_SIZE = 30
GROUP_SHOWN = 10  # members of a group listed at once; the others behind 「ほかの N 件」
KWIC_LIMIT = 50


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("この操作を行う権限がありません。"))


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(
        request,
        template,
        {
            "nav_slug": context.pop("nav", NAV),
            "can_analyse": rules.can_analyse(request.user),
            **context,
        },
    )


def _run(pk: int) -> AnalysisRun:
    run = selectors.run_get(pk=pk)
    if run is None:
        raise Http404(_("分析が見つかりません。"))
    return run


def _not_done(request: HttpRequest, run: AnalysisRun) -> HttpResponse | None:
    """The run's page, with a message, when its results are asked for before it is done."""
    if run.status == AnalysisRun.Status.DONE:
        return None
    if run.status == AnalysisRun.Status.FAILED:
        messages.error(request, _("この分析は失敗したので、結果はありません。"))
    else:
        messages.info(request, _("この分析はまだ終わっていません。終わると結果を表示できます。"))
    return redirect("staff:analysis_run", pk=run.pk)


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


# --- runs ------------------------------------------------------------------------------------


@rules.staff_required
def analysis_home(request: HttpRequest) -> HttpResponse:
    services.lexicon_ensure_seeded()
    paginator = Paginator(selectors.run_list(), 30)
    page = paginator.get_page(request.GET.get("page"))
    return _render(
        request,
        "analysis/home.html",
        {
            "page": page,
            "stop_words": StopWord.objects.count(),
            "synonyms": SynonymEntry.objects.count(),
            "user_terms": UserDictionaryEntry.objects.count(),
        },
    )


@rules.staff_required
def run_new(request: HttpRequest) -> HttpResponse:
    _require(rules.can_analyse(request.user))
    sources = services.sources_available()
    if request.method == "POST":
        form = RunForm(request.POST, request.FILES, sources=sources)
        if form.is_valid():
            data = form.cleaned_data
            source = data["source"]
            ref = data["round"] if source == AnalysisRun.Source.ROUND else None
            if source == AnalysisRun.Source.SURVEY:
                ref = data["wave"]
            run = services.run_create(
                edition=data["edition"],
                source=source,
                source_ref=ref,
                source_label=form.source_label,
                name=data["name"],
                parameters={"seed": data["seed"], "assignment_threshold": data["threshold"]},
                csv_opinions=form.opinions if source == AnalysisRun.Source.CSV else None,
                namespace=f"csv:{data['dataset']}" if source == AnalysisRun.Source.CSV else "",
                actor=request.user,
            )
            messages.success(
                request,
                _("「%(name)s」を始めました。終わるまでこのページで進み具合を確かめられます。")
                % {"name": run.name},
            )
            return redirect("staff:analysis_run", pk=run.pk)
    else:
        initial: dict[str, Any] = {}
        edition_id = _int(request.GET.get("edition"))
        if edition_id is not None:
            initial["edition"] = edition_id
        form = RunForm(initial=initial, sources=sources)
    return _render(request, "analysis/run_form.html", {"form": form, "sources": sources})


def _status(run: AnalysisRun) -> dict[str, Any]:
    return {
        "status": run.status,
        "status_label": str(run.get_status_display()),
        "progress": run.progress,
        "message": run.message,
        "finished": run.is_finished,
    }


@rules.staff_required
def run_status(request: HttpRequest, pk: int) -> JsonResponse:
    return JsonResponse(_status(_run(pk)))


@rules.staff_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(pk)
    context: dict[str, Any] = {"run": run, "tab": "overview"}
    if run.status == AnalysisRun.Status.DONE:
        table = selectors.measure_table(run)
        context["measures"] = table
        context["decided_total"] = sum(r.decided for r in table)
        context["voices_total"] = len(set(selectors.voices_of(run).values()))
    lexicon = (run.config or {}).get("lexicon", {})
    context["lexicon_sizes"] = {
        "stop_words": len(lexicon.get("stop_words", [])),
        "synonyms": sum(len(v) for v in lexicon.get("synonyms", {}).values()),
        "user_terms": len(lexicon.get("user_terms", [])),
    }
    context["parameters"] = (run.config or {}).get("parameters", {})
    return _render(request, "analysis/run_detail.html", context)


@rules.staff_required
@require_POST
def run_rerun(request: HttpRequest, pk: int) -> HttpResponse:
    _require(rules.can_analyse(request.user))
    run = _run(pk)
    new = services.run_rerun(run=run, actor=request.user)
    messages.success(
        request,
        _("同じ意見をもう一度分析し始めました。これまでの職員の判断は引き継がれます。"),
    )
    return redirect("staff:analysis_run", pk=new.pk)


@rules.staff_required
def run_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require(rules.can_analyse(request.user))
    run = _run(pk)
    if request.method == "POST":
        name = run.name
        services.run_delete(run=run, actor=request.user)
        messages.success(
            request,
            _("「%(name)s」を削除しました。職員の判断は残っていて、ほかの分析に使われます。")
            % {"name": name},
        )
        return redirect("staff:analysis_home")
    return _render(request, "analysis/run_delete.html", {"run": run})


# --- measures: confirm / reassign ----------------------------------------------------------


@rules.staff_required
def measure_opinions(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    run = _run(pk)
    if (early := _not_done(request, run)) is not None:
        return early
    measures = selectors.edition_measures(run)
    switch = request.GET.get("to")
    if switch and switch != code:
        return redirect("staff:analysis_measure", pk=run.pk, code=switch)
    measure = next((m for m in measures if m.code == code), None)
    if measure is None and code != selectors.NONE_CODE:
        raise Http404(_("施策が見つかりません。"))
    undecided_only = request.GET.get("filter") == "undecided"
    qs = selectors.measure_opinions(run, code, undecided_only=undecided_only)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    groups = selectors.effective_groups(run)
    dup_of = {m: g for g in groups[GroupDecision.GroupKind.DUPLICATE] for m in g.members}
    camp_of = {m: g for g in groups[GroupDecision.GroupKind.CAMPAIGN] for m in g.members}
    titles = {m.code: m.title for m in measures}
    rows = []
    for i, o in enumerate(items):
        rows.append(
            {
                "o": o,
                "candidates": [
                    {"code": c["code"], "title": titles.get(c["code"], ""), "score": c["score"]}
                    for c in o.measures
                ],
                "duplicate": dup_of.get(o.opinion_id),
                "campaign": camp_of.get(o.opinion_id),
                "next": items[i + 1].pk if i + 1 < len(items) else None,
            }
        )
    keywords_form = None
    if measure is not None:
        keywords_form = MeasureKeywordsForm(
            initial={"keywords": "\n".join(services.measure_keywords_list(measure))}
        )
    query = urlencode({k: v for k, v in request.GET.items() if k != "page"})
    return _render(
        request,
        "analysis/measure.html",
        {
            "run": run,
            "tab": "measures",
            "measure": measure,
            "code": code,
            "measures": measures,
            "page": page,
            "rows": rows,
            "undecided_only": undecided_only,
            "keywords_form": keywords_form,
            "here": request.get_full_path(),
            "query": query,
        },
    )


@rules.staff_required
@require_POST
def opinion_decide(request: HttpRequest, pk: int, opinion_pk: int) -> HttpResponse:
    _require(rules.can_analyse(request.user))
    run = _run(pk)
    if (early := _not_done(request, run)) is not None:
        return early
    opinion = get_object_or_404(AnalysedOpinion, pk=opinion_pk, run=run)
    action = request.POST.get("action", "")
    fallback = reverse("staff:analysis_measure", args=[run.pk, selectors.NONE_CODE])
    target = _safe_next(request, fallback)
    focus = _int(request.POST.get("focus")) or opinion.pk
    try:
        if action == "undo":
            if services.assignment_undo(run=run, opinion=opinion, actor=request.user):
                messages.success(
                    request,
                    _("意見 %(id)s の判断を取り消しました。") % {"id": opinion.opinion_id},
                )
            focus = opinion.pk
        elif action in ("confirm", "reassign", "confirm_group"):
            if action in ("confirm", "confirm_group"):
                current = (
                    selectors.run_opinions(run)
                    .filter(pk=opinion.pk)
                    .values_list("effective", flat=True)  # type: ignore[misc]
                    .first()
                )
                code = current or ""
                if not code:
                    raise services.AnalysisError(
                        _(
                            "「該当なし」の意見は確定できません。施策を選んで「変更」を押してください。"
                        )
                    )
            else:
                code = request.POST.get("measure", "")
            measure = (
                Measure.objects.select_related("area")
                .filter(area__edition_id=run.edition_id, code=code)
                .first()
            )
            if measure is None:
                raise services.AnalysisError(_("施策を選んでください。"))
            if action == "confirm_group":
                group = next(
                    (
                        g
                        for g in selectors.effective_groups(run)[GroupDecision.GroupKind.DUPLICATE]
                        if opinion.opinion_id in g.members
                    ),
                    None,
                )
                if group is None:
                    raise services.AnalysisError(
                        _("意見 %(id)s は重複グループに入っていません。")
                        % {"id": opinion.opinion_id}
                    )
                n = services.assignment_decide_many(
                    run=run,
                    opinions=list(run.opinions.filter(opinion_id__in=list(group.members))),
                    measure=measure,
                    actor=request.user,
                )
                messages.success(
                    request,
                    _(
                        "重複グループ %(group)s の意見 %(n)d 件を「%(code)s %(title)s」に確定しました。"
                    )
                    % {"group": group.id, "n": n, "code": measure.code, "title": measure.title},
                )
                anchor = f"#op-{focus}" if focus else ""
                return HttpResponseRedirect(target.split("#")[0] + anchor)
            decision = services.assignment_decide(
                run=run, opinion=opinion, measure=measure, actor=request.user
            )
            if decision.kind == "confirm":
                text = _("意見 %(id)s を「%(code)s %(title)s」に確定しました。")
            else:
                text = _("意見 %(id)s を「%(code)s %(title)s」に変更して確定しました。")
            messages.success(
                request,
                text % {"id": opinion.opinion_id, "code": measure.code, "title": measure.title},
            )
        else:
            raise services.AnalysisError(_("操作を選んでください。"))
    except services.AnalysisError as exc:
        messages.error(request, str(exc))
        focus = opinion.pk
    anchor = f"#op-{focus}" if focus else ""
    return HttpResponseRedirect(target.split("#")[0] + anchor)


@rules.staff_required
@require_POST
def measure_keywords(request: HttpRequest, pk: int, measure_pk: int) -> HttpResponse:
    _require(rules.can_analyse(request.user))
    run = _run(pk)
    measure = get_object_or_404(Measure, pk=measure_pk, area__edition_id=run.edition_id)
    form = MeasureKeywordsForm(request.POST)
    if form.is_valid():
        services.measure_keywords_set(
            measure=measure, keywords=form.cleaned_data["keywords"], actor=request.user
        )
        messages.success(
            request,
            _("「%(code)s %(title)s」の照合用キーワードを保存しました。次の分析から使います。")
            % {"code": measure.code, "title": measure.title},
        )
    return redirect("staff:analysis_measure", pk=run.pk, code=measure.code)


# --- topics, network, keywords ------------------------------------------------------------


@rules.staff_required
def topics(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(pk)
    if (early := _not_done(request, run)) is not None:
        return early
    measures = selectors.edition_measures(run)
    selected = request.GET.get("measure") or None
    if selected is not None and selected != selectors.NONE_CODE:
        if selected not in {m.code for m in measures}:
            selected = None
    from keikaku.analysis import presentation

    rows = presentation.topic_rows(run, selected)
    titles = {m.code: m.title for m in measures}
    if selected is None:
        caption = _("トピックの地図（すべての施策）")
    elif selected == selectors.NONE_CODE:
        caption = _("トピックの地図（該当なし）")
    else:
        caption = _("トピックの地図（%(code)s %(title)s）") % {
            "code": selected,
            "title": titles.get(selected, ""),
        }
    ids = sorted({oid for r in rows for oid in (r.representative, *r.summary)})
    texts = selectors.texts_by_id(run, ids)
    return _render(
        request,
        "analysis/topics.html",
        {
            "run": run,
            "tab": "topics",
            "measures": measures,
            "selected": selected,
            "rows": [
                {
                    "t": r,
                    "title": titles.get(r.measure, ""),
                    "representative": texts.get(r.representative),
                    "summary": [
                        texts[s] for s in r.summary if s in texts and s != r.representative
                    ],
                }
                for r in rows
            ],
            "caption": caption,
            "svg": presentation.topic_map_svg(
                rows, caption, {m.code: f"{m.area.number} {m.area.title}" for m in measures}
            ),
        },
    )


@rules.staff_required
def network(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(pk)
    if (early := _not_done(request, run)) is not None:
        return early
    from keikaku.analysis import presentation

    data = presentation.network(run)
    return _render(
        request,
        "analysis/network.html",
        {"run": run, "tab": "network", "net": data},
    )


def _kwic_lines(run: AnalysisRun, keyword: dict[str, Any]) -> list[dict[str, str]]:
    """KWIC of a keyword over the run's opinions (masked texts), in the order of the run, up
    to KWIC_LIMIT lines. Opinions are read in order and only those whose normalised text may
    contain the keyword (its surface forms, its synonyms) are tokenised, so a frequent keyword
    stops early."""
    from keikaku.analysis.domain.keywords import kwic
    from keikaku.analysis.domain.normalize import normalize_text
    from keikaku.analysis.domain.tokenize import Tokenizer

    snapshot = (run.config or {}).get("lexicon", {})
    probes = {keyword["term"], keyword["normalized"]}
    if len(keyword["term"]) >= 2:
        probes.add(keyword["term"][:-1])  # verbs and adjectives inflect: 届く → 届か
    for canonical, variants in snapshot.get("synonyms", {}).items():
        if canonical == keyword["normalized"]:
            probes.update(variants)
    for term, canonical, *_rest in snapshot.get("user_terms", []):
        if canonical == keyword["normalized"]:
            probes.add(term)
    probes.discard("")
    tokenizer = Tokenizer(services.lexicon_from_snapshot(snapshot))
    lines: list[dict[str, str]] = []
    rows = run.opinions.order_by("position").values_list("opinion_id", "text")
    for oid, text in rows.iterator(chunk_size=2000):
        if not any(p in text for p in probes):
            norm = normalize_text(text)
            if not any(p in norm for p in probes):
                continue
        for x in kwic(
            [oid], [text], keyword["normalized"], tokenizer, limit=KWIC_LIMIT - len(lines)
        ):
            lines.append(
                {"opinion_id": x.opinion_id, "left": x.left, "keyword": x.keyword, "right": x.right}
            )
        if len(lines) >= KWIC_LIMIT:
            break
    return lines


def _characteristic(result: dict[str, Any], titles: dict[str, str]) -> list[dict[str, Any]]:
    """Characteristic words grouped by what they compare (施策, 年代, 地区 …), in the
    engine's order."""
    groups: dict[str, dict[str, Any]] = {}
    for c in result.get("characteristic_words", []):
        is_measure = c["dimension"] == "measure"
        name = str(_("施策")) if is_measure else c["dimension"]
        group = groups.setdefault(name, {"dimension": name, "values": []})
        group["values"].append(
            {
                "value": c["value"],
                "label": (
                    f"{c['value']} {titles.get(c['value'], '')}".strip()
                    if is_measure
                    else c["value"]
                ),
                "size": c["size"],
                "words": c["words"],
                "significant": sum(1 for w in c["words"] if w["significant"]),
            }
        )
    return list(groups.values())


@rules.staff_required
def keywords(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(pk)
    if (early := _not_done(request, run)) is not None:
        return early
    result = run.result or {}
    keyword_list = result.get("keywords", [])
    term = request.GET.get("term", "")
    selected = next((k for k in keyword_list if k["term"] == term), None)
    if selected is None and keyword_list and not term:
        selected = keyword_list[0]
    lines = _kwic_lines(run, selected) if selected else []
    titles = {m.code: m.title for m in selectors.edition_measures(run)}
    return _render(
        request,
        "analysis/keywords.html",
        {
            "run": run,
            "tab": "keywords",
            "keywords": keyword_list,
            "by_pos": result.get("keywords_by_pos", {}),
            "selected": selected,
            "lines": lines,
            "kwic_limit": KWIC_LIMIT,
            "characteristic": _characteristic(result, titles),
            "unknown_term": term if term and selected is None else "",
        },
    )


# --- duplicates and campaigns: merge / split -----------------------------------------------


@rules.staff_required
def groups(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(pk)
    if (early := _not_done(request, run)) is not None:
        return early
    kind = request.GET.get("kind") or GroupDecision.GroupKind.DUPLICATE
    if kind not in GroupDecision.GroupKind.values:
        kind = GroupDecision.GroupKind.DUPLICATE
    effective = selectors.effective_groups(run)[kind]
    page = Paginator(list(effective), GROUP_PAGE_SIZE).get_page(request.GET.get("page"))
    decisions = selectors.group_decisions(run, kind)
    ids = sorted(
        {m for g in page.object_list for m in g.members}
        | {d.opinion_id for d in decisions}
        | {d.anchor_id for d in decisions if d.anchor_id}
    )
    texts = selectors.texts_by_id(run, ids)
    engine_ids = {g.id for g in selectors.engine_groups(run, kind)}
    return _render(
        request,
        "analysis/groups.html",
        {
            "run": run,
            "tab": "groups",
            "kind": kind,
            "kind_label": GroupDecision.GroupKind(kind).label,
            "page": page,
            "groups": [
                {
                    "g": g,
                    "head": [(m, texts.get(m)) for m in g.members[:GROUP_SHOWN]],
                    "tail": [(m, texts.get(m)) for m in g.members[GROUP_SHOWN:]],
                    "is_engine": g.id in engine_ids,
                }
                for g in page.object_list
            ],
            "all_groups": effective,
            "splits": [
                (d, texts.get(d.opinion_id))
                for d in decisions
                if d.action == GroupDecision.Action.SPLIT
            ],
            "merges": [
                (d, texts.get(d.opinion_id))
                for d in decisions
                if d.action == GroupDecision.Action.MERGE
            ],
            "total_members": sum(len(g.members) for g in effective),
            "here": request.get_full_path(),
            "query": urlencode({"kind": kind}),
        },
    )


@rules.staff_required
@require_POST
def group_decide(request: HttpRequest, pk: int) -> HttpResponse:
    _require(rules.can_analyse(request.user))
    run = _run(pk)
    if (early := _not_done(request, run)) is not None:
        return early
    kind = request.POST.get("kind", "")
    action = request.POST.get("action", "")
    target = _safe_next(request, reverse("staff:analysis_groups", args=[run.pk]) + f"?kind={kind}")
    try:
        if action == "split":
            oid = request.POST.get("opinion_id", "")
            services.group_split(run=run, kind=kind, opinion_id=oid, actor=request.user)
            messages.success(request, _("意見 %(id)s をグループから外しました。") % {"id": oid})
        elif action == "merge_group":
            groups_ = {g.id: g for g in selectors.effective_groups(run).get(kind, ())}
            source = groups_.get(request.POST.get("group", ""))
            into = groups_.get(request.POST.get("into", ""))
            if source is None or into is None or source.id == into.id:
                raise services.AnalysisError(_("統合先のグループを選んでください。"))
            services.group_merge(
                run=run,
                kind=kind,
                opinion_ids=list(source.members),
                anchor_id=into.representative,
                actor=request.user,
            )
            messages.success(
                request,
                _("グループ %(a)s を %(b)s に統合しました。") % {"a": source.id, "b": into.id},
            )
        elif action == "merge_opinion":
            oid = request.POST.get("opinion_id", "").strip()
            anchor = request.POST.get("anchor_id", "")
            if not oid:
                raise services.AnalysisError(_("加える意見の ID を入力してください。"))
            services.group_merge(
                run=run, kind=kind, opinion_ids=[oid], anchor_id=anchor, actor=request.user
            )
            messages.success(request, _("意見 %(id)s をグループに加えました。") % {"id": oid})
        elif action == "undo":
            oid = request.POST.get("opinion_id", "")
            services.group_decision_undo(run=run, kind=kind, opinion_id=oid, actor=request.user)
            messages.success(request, _("意見 %(id)s の判断を取り消しました。") % {"id": oid})
        else:
            raise services.AnalysisError(_("操作を選んでください。"))
    except services.AnalysisError as exc:
        messages.error(request, str(exc))
    return HttpResponseRedirect(target)


# --- exports ---------------------------------------------------------------------------------


@rules.staff_required
def export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(pk)
    if (early := _not_done(request, run)) is not None:
        return early
    from keikaku.analysis import exports

    response = HttpResponse(
        exports.run_workbook_bytes(run),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{exports.run_filename(run, "xlsx")}"'
    return response


@rules.staff_required
def export_json(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(pk)
    if (early := _not_done(request, run)) is not None:
        return early
    from keikaku.analysis import exports

    response = HttpResponse(
        exports.run_result_json(run), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{exports.run_filename(run, "json")}"'
    return response


# --- lexicon ---------------------------------------------------------------------------------

LEXICON: dict[str, tuple[Any, Any, str]] = {
    "stop-words": (StopWord, StopWordsForm, "word"),
    "synonyms": (SynonymEntry, SynonymsForm, "variant"),
    "user-dictionary": (UserDictionaryEntry, UserTermsForm, "term"),
}


def _lexicon_title(kind: str) -> str:
    return {
        "stop-words": _("ストップワード"),
        "synonyms": _("同義語"),
        "user-dictionary": _("ユーザー辞書"),
    }[kind]


@rules.staff_required
def lexicon(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in LEXICON:
        raise Http404(_("辞書が見つかりません。"))
    model, form_class, key = LEXICON[kind]
    services.lexicon_ensure_seeded()
    form = form_class()
    if request.method == "POST":
        _require(rules.can_analyse(request.user))
        form = form_class(request.POST)
        if form.is_valid():
            rows = form.cleaned_data["lines"]
            if kind == "stop-words":
                added, skipped = services.stop_words_add(words=rows, actor=request.user)
            elif kind == "synonyms":
                added, skipped = services.synonyms_add(rows=rows, actor=request.user)
            else:
                added, skipped = services.user_terms_add(rows=rows, actor=request.user)
            text = _("%(n)d 件を追加しました。次の分析から使います。") % {"n": added}
            if skipped:
                text += " " + _("登録済みのため追加しなかった語: %(words)s") % {
                    "words": "、".join(skipped[:20])
                }
            messages.success(request, text)
            return redirect("staff:analysis_lexicon", kind=kind)
    q = request.GET.get("q", "").strip()
    qs = model.objects.all()
    if q:
        qs = qs.filter(**{f"{key}__icontains": q})
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    return _render(
        request,
        "analysis/lexicon.html",
        {
            "nav": f"analysis_{kind}",
            "kind": kind,
            "title": _lexicon_title(kind),
            "form": form,
            "page": page,
            "q": q,
            "query": urlencode({"q": q}) if q else "",
        },
    )


@rules.staff_required
@require_POST
def lexicon_delete(request: HttpRequest, kind: str, entry_pk: int) -> HttpResponse:
    _require(rules.can_analyse(request.user))
    if kind not in LEXICON:
        raise Http404(_("辞書が見つかりません。"))
    model, _form, key = LEXICON[kind]
    entry = get_object_or_404(model, pk=entry_pk)
    label = getattr(entry, key)
    services.lexicon_entry_delete(entry=entry, actor=request.user)
    messages.success(
        request, _("「%(word)s」を削除しました。次の分析から使いません。") % {"word": label}
    )
    return redirect(_safe_next(request, reverse("staff:analysis_lexicon", args=[kind])))
