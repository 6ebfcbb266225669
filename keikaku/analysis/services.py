"""Every write of the opinion analysis: runs (created here, executed by the background
task), staff decisions and the lexicon. Keyword-only, atomic, audited.

A run keeps everything needed to explain its result: the parameters and the lexicon it used
(``config``), the ids of its input opinions (``input_ids``), the staff confirmations it was
given (``confirmations``) and the versions of the packages that computed it (``versions``).
"""

from __future__ import annotations

import dataclasses
import logging
import platform
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from importlib import metadata
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keikaku.analysis.domain.csvinput import AnalysisInputError, split_list
from keikaku.analysis.domain.decisions import examples_by_measure
from keikaku.analysis.domain.lexicon import Lexicon, UserTerm
from keikaku.analysis.domain.model import AnalysisConfig, AnalysisResult, MeasureProfile, Opinion
from keikaku.analysis.models import (
    AnalysedOpinion,
    AnalysisRun,
    AssignmentDecision,
    GroupDecision,
    LexiconSeed,
    MeasureKeywords,
    StopWord,
    SynonymEntry,
    UserDictionaryEntry,
)
from keikaku.core.services import audit_record
from keikaku.plans.models import Edition, Measure

logger = logging.getLogger(__name__)

PACKAGES = ("sudachipy", "sudachidict-core", "scikit-learn", "numpy")
EXAMPLES_PER_MEASURE = 20
BATCH = 2000
Source = AnalysisRun.Source
Status = AnalysisRun.Status

# Stages the engine reports, and the share of the work done when each is reached (%).
STAGE_PROGRESS: dict[str, tuple[int, str]] = {
    "normalise": (15, "本文を正規化しました"),
    "tokenise": (40, "語に分けました"),
    "features": (50, "語の重みを計算しました"),
    "assign": (55, "施策に割り当てました"),
    "duplicates": (65, "重複と組織的な意見を調べました"),
    "embed": (70, "意見を数値の列に変換しました"),
    "topics": (82, "トピックに分けました"),
    "keywords": (90, "キーワード・共起・特徴語を数えました"),
    "summaries": (94, "要約と地図を作りました"),
}


class AnalysisError(Exception):
    """A staff action that cannot be done as asked; the message says why and what to do."""


# --- small helpers ---------------------------------------------------------------------------


def _user_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _actor_name(actor: Any) -> str:
    user = _user_or_none(actor)
    if user is not None:
        return str(user.get_full_name() or user.get_username())
    return str(actor or "")


def package_versions() -> dict[str, str]:
    """Versions of the packages that compute the analysis (and of Python)."""
    out: dict[str, str] = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = ""
    out["python"] = platform.python_version()
    return out


def parameters_default() -> dict[str, Any]:
    params = dataclasses.asdict(AnalysisConfig())
    params["char_ngram_range"] = list(params["char_ngram_range"])
    return params


def config_from_parameters(params: dict[str, Any]) -> AnalysisConfig:
    fields = {f.name for f in dataclasses.fields(AnalysisConfig)}
    values = {k: v for k, v in params.items() if k in fields}
    if "char_ngram_range" in values:
        values["char_ngram_range"] = tuple(values["char_ngram_range"])
    return AnalysisConfig(**values)


# --- the lexicon -----------------------------------------------------------------------------


def lexicon_ensure_seeded() -> bool:
    """Write the shipped lexicon if it never was (the migration normally has; a database
    emptied by a flush has not). Returns whether it wrote."""
    from keikaku.analysis.lexicon_seed import seed_lexicon

    if LexiconSeed.objects.exists():
        return False
    with transaction.atomic():
        return seed_lexicon(StopWord, SynonymEntry, UserDictionaryEntry, LexiconSeed)


def lexicon_snapshot() -> dict[str, Any]:
    """The lexicon staff maintain, as plain data (stored in each run's configuration).

    Sorted in Python (code-point order), so the snapshot does not depend on the database's
    collation."""
    lexicon_ensure_seeded()
    synonyms: dict[str, list[str]] = {}
    for canonical, variant in sorted(SynonymEntry.objects.values_list("canonical", "variant")):
        synonyms.setdefault(canonical, []).append(variant)
    return {
        "stop_words": sorted(StopWord.objects.values_list("word", flat=True)),
        "synonyms": synonyms,
        "user_terms": sorted(
            [t, c or t, k]
            for t, c, k in UserDictionaryEntry.objects.values_list("term", "canonical", "category")
        ),
    }


def lexicon_from_snapshot(snapshot: dict[str, Any]) -> Lexicon:
    return Lexicon.from_data(
        stop_words=snapshot.get("stop_words", []),
        synonyms=snapshot.get("synonyms", {}),
        user_terms=[
            UserTerm(t[0], t[1], t[2] if len(t) > 2 else "") for t in snapshot.get("user_terms", [])
        ],
    )


def _bulk_add(
    model: Any, rows: Sequence[dict[str, str]], key: str, actor: Any, action: str
) -> tuple[int, list[str]]:
    """Add rows whose ``key`` is new; returns (added, skipped keys)."""
    existing = set(
        model.objects.filter(**{f"{key}__in": [r[key] for r in rows]}).values_list(key, flat=True)
    )
    added: list[Any] = []
    skipped: list[str] = []
    seen: set[str] = set()
    for row in rows:
        if row[key] in existing or row[key] in seen:
            skipped.append(row[key])
            continue
        seen.add(row[key])
        added.append(model(**row))
    with transaction.atomic():
        model.objects.bulk_create(added)
        for obj in model.objects.filter(**{f"{key}__in": [getattr(a, key) for a in added]}):
            audit_record(
                actor=actor,
                action=action,
                obj=obj,
                before=None,
                after={k: getattr(obj, k) for k in rows[0]} if rows else None,
            )
    return len(added), skipped


def stop_words_add(*, words: Sequence[str], actor: Any) -> tuple[int, list[str]]:
    return _bulk_add(StopWord, [{"word": w} for w in words], "word", actor, "create")


def synonyms_add(*, rows: Sequence[tuple[str, str]], actor: Any) -> tuple[int, list[str]]:
    return _bulk_add(
        SynonymEntry, [{"canonical": c, "variant": v} for c, v in rows], "variant", actor, "create"
    )


def user_terms_add(*, rows: Sequence[tuple[str, str, str]], actor: Any) -> tuple[int, list[str]]:
    return _bulk_add(
        UserDictionaryEntry,
        [{"term": t, "canonical": c, "category": k} for t, c, k in rows],
        "term",
        actor,
        "create",
    )


@transaction.atomic
def lexicon_entry_delete(
    *, entry: StopWord | SynonymEntry | UserDictionaryEntry, actor: Any
) -> None:
    before = {
        f.name: getattr(entry, f.name)
        for f in entry._meta.concrete_fields
        if f.name not in ("id", "created_at")
    }
    audit_record(actor=actor, action="delete", obj=entry, before=before, after=None)
    entry.delete()


def measure_keywords_list(measure: Measure) -> tuple[str, ...]:
    row = MeasureKeywords.objects.filter(measure=measure).first()
    return keywords_split(row.keywords) if row else ()


def keywords_split(text: str) -> tuple[str, ...]:
    items: list[str] = []
    for item in split_list(text.replace("、", "|").replace(",", "|").replace("，", "|")):
        if item not in items:
            items.append(item)
    return tuple(items)


@transaction.atomic
def measure_keywords_set(*, measure: Measure, keywords: str, actor: Any) -> MeasureKeywords:
    row, _created = MeasureKeywords.objects.get_or_create(measure=measure)
    before = {"keywords": row.keywords}
    row.keywords = "\n".join(keywords_split(keywords))
    row.save()
    if before["keywords"] != row.keywords:
        audit_record(
            actor=actor, action="update", obj=row, before=before, after={"keywords": row.keywords}
        )
    return row


# --- measure profiles ------------------------------------------------------------------------


def edition_measures(edition: Edition) -> list[Measure]:
    return list(
        Measure.objects.filter(area__edition=edition)
        .select_related("area")
        .prefetch_related("initiatives", "indicators", "programmes")
        .order_by("area__number", "order", "code")
    )


def measure_profiles(
    edition: Edition, *, examples: dict[str, tuple[str, ...]] | None = None
) -> list[MeasureProfile]:
    """What the plan says about each measure of the edition, plus staff keywords and the
    texts of staff-confirmed opinions (``examples``, by code)."""
    keywords = {
        k.measure_id: keywords_split(k.keywords)
        for k in MeasureKeywords.objects.filter(measure__area__edition=edition)
    }
    examples = examples or {}
    out: list[MeasureProfile] = []
    for m in edition_measures(edition):
        description = "\n".join(p for p in (m.plain_summary, m.current_issues) if p)
        initiatives = tuple(i.title for i in m.initiatives.all())
        initiatives += tuple(p.name for p in m.programmes.all())
        out.append(
            MeasureProfile(
                code=m.code,
                title=m.title,
                description=description,
                vision=m.target_state,
                initiatives=initiatives,
                indicators=tuple(i.name for i in m.indicators.all()),
                keywords=keywords.get(m.pk, ()),
                examples=examples.get(m.code, ()),
            )
        )
    return out


# --- inputs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class InputOpinion:
    opinion_id: str
    source: str
    text: str  # personal data masked
    attributes: tuple[tuple[str, str], ...] = ()


def _mask(text: str) -> str:
    # The opinion store's masking (pure domain code); see the report to the lead.
    from keikaku.participation.domain.masking import mask_personal_data

    return mask_personal_data(text)


def _store_opinions(source: str, round_id: int | None, with_source: bool) -> list[InputOpinion]:
    from keikaku.participation import api as participation_api
    from keikaku.participation.models import AgeBand
    from keikaku.participation.models import Source as StoreSource

    ages = dict(AgeBand.choices)
    sources = dict(StoreSource.choices)
    out: list[InputOpinion] = []
    for r in participation_api.opinions_for_analysis(source=source, round_id=round_id):
        attrs: list[tuple[str, str]] = []
        if with_source:
            attrs.append((str(_("区分")), str(sources.get(r.source, r.source))))
        if r.age_band:
            attrs.append((str(_("年代")), str(ages.get(r.age_band, r.age_band))))
        if r.district:
            attrs.append((str(_("地区")), r.district))
        out.append(InputOpinion(r.receipt_number, r.source, r.text, tuple(attrs)))
    return out


def survey_attribute_name(code: str) -> str:
    """The name shown for a survey attribute: the standard questionnaire's attributes by
    name (gender → 性別 …), any other code as it is."""
    names = {
        "gender": _("性別"),
        "age_band": _("年代"),
        "district": _("地区"),
        "years_of_residence": _("居住年数"),
        "occupation": _("職業"),
        "household": _("世帯"),
        "life_stage": _("ライフステージ"),
        "intention_to_stay": _("定住意向"),
    }
    return str(names.get(code, code))


def _survey_answers(wave_id: int | None, with_source: bool) -> list[InputOpinion]:
    from keikaku.surveys import api as surveys_api

    out: list[InputOpinion] = []
    for a in surveys_api.free_text_answers(wave_id=wave_id):
        attrs: list[tuple[str, str]] = []
        if with_source:
            attrs.append((str(_("区分")), str(_("市民意識調査の自由記述"))))
        attrs.append((str(_("設問")), a.question))
        attrs.extend(
            (survey_attribute_name(k), str(v)) for k, v in a.attributes.items() if str(v).strip()
        )
        out.append(InputOpinion(a.id, "survey", _mask(a.text), tuple(attrs)))
    return out


def collect_inputs(run: AnalysisRun) -> list[InputOpinion]:
    """The run's opinions, oldest first, never with personal data (the opinion store and the
    survey give masked texts and no names, addresses or contacts; hidden opinions are left out).

    - 募集ごと: the comments of that public comment round;
    - 調査の自由記述: the free-text answers of that survey wave; for every wave, also the
      survey free text staff entered in the opinion store (paper questionnaires);
    - 意見・提案 / ヒアリング: every opinion of that kind in the opinion store;
    - すべて: every opinion of the store, then every free-text answer of every wave."""
    if run.source == Source.CSV:
        return [
            InputOpinion(o.opinion_id, o.source, o.text, tuple(o.attribute_pairs()))
            for o in run.opinions.order_by("position")
        ]
    if run.source == Source.ROUND:
        return _store_opinions("public_comment", run.source_ref, False)
    if run.source == Source.PROPOSAL:
        return _store_opinions("proposal", None, False)
    if run.source == Source.HEARING:
        return _store_opinions("hearing", None, False)
    if run.source == Source.SURVEY:
        if run.source_ref is None:
            return _store_opinions("survey", None, False) + _survey_answers(None, False)
        return _survey_answers(run.source_ref, False)
    return _store_opinions("", None, True) + _survey_answers(None, True)


def sources_available() -> dict[str, Any]:
    """What can be analysed now: rounds, survey waves and the size of each set."""
    from keikaku.participation import api as participation_api
    from keikaku.surveys import api as surveys_api

    return {
        "rounds": participation_api.public_rounds(),
        "waves": surveys_api.waves(),
        "proposal": participation_api.opinion_count(source="proposal"),
        "hearing": participation_api.opinion_count(source="hearing"),
        "survey_store": participation_api.opinion_count(source="survey"),
        "all": participation_api.opinion_count(),
    }


# --- runs ------------------------------------------------------------------------------------


def _enqueue(run_id: int) -> None:
    from keikaku.analysis.tasks import analysis_run_execute

    analysis_run_execute.enqueue(run_id)


@transaction.atomic
def run_create(
    *,
    edition: Edition,
    source: str,
    actor: Any,
    source_ref: int | None = None,
    source_label: str = "",
    name: str = "",
    parameters: dict[str, Any] | None = None,
    csv_opinions: Sequence[Opinion] | None = None,
    namespace: str = "",
    is_demo: bool = False,
    enqueue: bool = True,
) -> AnalysisRun:
    """Store a new run (state 待機中) and enqueue its execution once the transaction commits.

    ``parameters`` override the engine's defaults (seed, assignment_threshold …). For a CSV
    run, ``csv_opinions`` are its inputs: their texts are masked and stored now."""
    if source not in Source.values:
        raise AnalysisError(
            _("分析する意見の種類「%(source)s」はありません。") % {"source": source}
        )
    if source == Source.CSV and not csv_opinions:
        raise AnalysisError(_("CSV ファイルの意見が 1 件もありません。"))
    if source == Source.ROUND and source_ref is None:
        raise AnalysisError(_("分析するパブリックコメントの募集を選んでください。"))
    params = parameters_default()
    for key, value in (parameters or {}).items():
        if key not in params:
            raise AnalysisError(_("設定「%(key)s」はありません。") % {"key": key})
        params[key] = value
    if params["secondary_threshold"] > params["assignment_threshold"]:
        params["secondary_threshold"] = params["assignment_threshold"]
    label = source_label or str(Source(source).label)
    run = AnalysisRun.objects.create(
        edition=edition,
        name=name or _("%(label)sの分析") % {"label": label},
        source=source,
        source_ref=source_ref,
        source_label=label,
        namespace=namespace,
        config={
            "parameters": params,
            "lexicon": lexicon_snapshot(),
            "examples_per_measure": EXAMPLES_PER_MEASURE,
        },
        versions=package_versions(),
        created_by=_user_or_none(actor),
        created_by_name=_actor_name(actor),
        message=_("順番を待っています"),
        is_demo=is_demo,
    )
    if source == Source.CSV and csv_opinions:
        rows = [
            AnalysedOpinion(
                run=run,
                position=i,
                opinion_id=o.id,
                source="csv",
                text=_mask(o.text),
                attributes=[list(a) for a in o.attributes if a[1]],
            )
            for i, o in enumerate(csv_opinions)
        ]
        AnalysedOpinion.objects.bulk_create(rows, batch_size=BATCH)
        run.input_ids = [o.id for o in csv_opinions]
        run.save(update_fields=["input_ids"])
    audit_record(
        actor=actor,
        action="create",
        obj=run,
        before=None,
        after={
            "edition": edition.pk,
            "source": source,
            "source_ref": source_ref,
            "namespace": namespace,
            "parameters": {k: params[k] for k in ("seed", "assignment_threshold")},
        },
    )
    if enqueue:
        transaction.on_commit(partial(_enqueue, run.pk))
    return run


@transaction.atomic
def run_rerun(*, run: AnalysisRun, actor: Any, enqueue: bool = True) -> AnalysisRun:
    """A new run over the same set (the CSV's opinions again), with the current lexicon and
    every staff decision made so far."""
    csv_opinions = None
    if run.source == Source.CSV:
        csv_opinions = [
            Opinion(o.opinion_id, o.text, tuple(o.attribute_pairs()))
            for o in run.opinions.order_by("position")
        ]
    params = dict(run.config.get("parameters", {}))
    keep = {k: params[k] for k in ("seed", "assignment_threshold") if k in params}
    return run_create(
        edition=run.edition,
        source=run.source,
        actor=actor,
        source_ref=run.source_ref,
        source_label=run.source_label,
        name=run.name,
        parameters=keep,
        csv_opinions=csv_opinions,
        namespace=run.namespace,
        is_demo=run.is_demo,
        enqueue=enqueue,
    )


def _progress(run_id: int, percent: int, message: str) -> None:
    AnalysisRun.objects.filter(pk=run_id).update(progress=percent, message=message)


def _reporter(run_id: int) -> Callable[[str], None]:
    def report(stage: str) -> None:
        percent, message = STAGE_PROGRESS.get(stage, (0, ""))
        if percent:
            _progress(run_id, percent, str(_(message)))

    return report


def run_execute(*, run_id: int) -> AnalysisRun | None:
    """Execute a waiting run (the background task calls this). Idempotent: a run that is not
    waiting is left alone and None is returned."""
    now = timezone.now()
    claimed = AnalysisRun.objects.filter(pk=run_id, status=Status.PENDING).update(
        status=Status.RUNNING, started_at=now, progress=2, message=_("意見を集めています")
    )
    if not claimed:
        return None
    run = AnalysisRun.objects.select_related("edition").get(pk=run_id)
    try:
        result, inputs, confirmations = _analyse(run)
    except AnalysisInputError as exc:
        _fail(run, " ".join(str(exc).split()))
    except Exception as exc:  # noqa: BLE001 - any failure is shown on the run's page
        logger.exception("analysis run %s failed", run_id)
        _fail(
            run,
            _(
                "分析中にエラーが起きました（%(error)s）。もう一度実行しても同じときは、管理者に連絡してください。"
            )
            % {"error": type(exc).__name__},
        )
    else:
        _save(run, result, inputs, confirmations)
    run.refresh_from_db()
    return run


def _fail(run: AnalysisRun, message: str) -> None:
    AnalysisRun.objects.filter(pk=run.pk).update(
        status=Status.FAILED, message=message[:300], finished_at=timezone.now()
    )


def _analyse(
    run: AnalysisRun,
) -> tuple[AnalysisResult, list[InputOpinion], dict[str, str]]:
    inputs = collect_inputs(run)
    if not inputs:
        raise AnalysisInputError(
            _("分析する意見がありません。意見が登録されてから、もう一度実行してください。")
        )
    _progress(run.pk, 5, str(_("%(n)d 件の意見を集めました") % {"n": len(inputs)}))
    ids = {o.opinion_id for o in inputs}
    decisions = list(
        AssignmentDecision.objects.filter(edition=run.edition, namespace=run.namespace)
        .select_related("measure")
        .order_by("-decided_at", "-id")
    )
    confirmations = {d.opinion_id: d.measure.code for d in decisions if d.opinion_id in ids}
    limit = int(run.config.get("examples_per_measure", EXAMPLES_PER_MEASURE))
    examples = examples_by_measure(
        ((d.opinion_id, d.measure.code, d.text) for d in decisions), ids, limit=limit
    )
    measures = measure_profiles(run.edition, examples=examples)
    if not measures:
        raise AnalysisInputError(
            _(
                "照合する基本計画「%(edition)s」に施策がありません。施策を登録してから、"
                "もう一度実行してください。"
            )
            % {"edition": run.edition}
        )
    codes = {m.code for m in measures}
    confirmations = {k: v for k, v in confirmations.items() if v in codes}
    from keikaku.analysis.domain.pipeline import analyze  # heavy (scikit-learn): import late

    config = config_from_parameters(run.config.get("parameters", {}))
    lexicon = lexicon_from_snapshot(run.config.get("lexicon", {}))
    result = analyze(
        [Opinion(o.opinion_id, o.text, o.attributes) for o in inputs],
        measures,
        config=config,
        lexicon=lexicon,
        confirmations=confirmations,
        progress=_reporter(run.pk),
    )
    return result, inputs, confirmations


def _save(
    run: AnalysisRun,
    result: AnalysisResult,
    inputs: Sequence[InputOpinion],
    confirmations: dict[str, str],
) -> None:
    _progress(run.pk, 96, str(_("結果を保存しています")))
    campaign_of = {m: c.id for c in result.campaigns for m in c.members}
    points = {p.id: p for p in result.map}
    rows = []
    for i, (o, r) in enumerate(zip(inputs, result.opinions, strict=True)):
        p = points.get(o.opinion_id)
        rows.append(
            AnalysedOpinion(
                run=run,
                position=i,
                opinion_id=o.opinion_id,
                source=o.source,
                text=o.text,
                attributes=[list(a) for a in o.attributes],
                measures=[{"code": m.code, "score": m.score} for m in r.measures],
                measure_code=r.measures[0].code if r.measures else "",
                duplicate_group=r.duplicate_group or "",
                campaign=campaign_of.get(o.opinion_id, ""),
                cluster=r.cluster or "",
                confirmed=r.confirmed,
                x=p.x if p else None,
                y=p.y if p else None,
            )
        )
    from keikaku.analysis.domain.serialize import result_to_dict

    data = result_to_dict(result)
    data.pop("opinions")
    data.pop("map")
    with transaction.atomic():
        AnalysedOpinion.objects.filter(run=run).delete()
        AnalysedOpinion.objects.bulk_create(rows, batch_size=BATCH)
        AnalysisRun.objects.filter(pk=run.pk).update(
            status=Status.DONE,
            progress=100,
            message=_("完了しました"),
            finished_at=timezone.now(),
            input_ids=[o.opinion_id for o in inputs],
            confirmations=sorted([k, v] for k, v in confirmations.items()),
            result=data,
            counts=dataclasses.asdict(result.counts),
        )


@transaction.atomic
def run_delete(*, run: AnalysisRun, actor: Any) -> None:
    audit_record(
        actor=actor,
        action="delete",
        obj=run,
        before={"name": run.name, "source": run.source, "status": run.status},
        after=None,
    )
    run.delete()


# --- staff decisions: measures ---------------------------------------------------------------


def _decision_snapshot(d: AssignmentDecision | None) -> dict[str, Any] | None:
    if d is None:
        return None
    return {"opinion_id": d.opinion_id, "measure": d.measure.code, "kind": d.kind}


@transaction.atomic
def assignment_decide(
    *, run: AnalysisRun, opinion: AnalysedOpinion, measure: Measure, actor: Any
) -> AssignmentDecision:
    """Staff fix the opinion's measure: 確定 when it is the engine's best measure, else 変更.
    Every later run keeps it (the engine's confirmations input)."""
    if opinion.run_id != run.pk:
        raise AnalysisError(_("この意見はこの分析のものではありません。"))
    if measure.area.edition_id != run.edition_id:
        raise AnalysisError(
            _("施策「%(code)s」はこの分析の基本計画の施策ではありません。") % {"code": measure.code}
        )
    existing = (
        AssignmentDecision.objects.select_related("measure")
        .select_for_update()
        .filter(edition=run.edition, namespace=run.namespace, opinion_id=opinion.opinion_id)
        .first()
    )
    before = _decision_snapshot(existing)
    kind = (
        AssignmentDecision.Kind.CONFIRM
        if measure.code == opinion.measure_code
        else AssignmentDecision.Kind.REASSIGN
    )
    decision = existing or AssignmentDecision(
        edition=run.edition, namespace=run.namespace, opinion_id=opinion.opinion_id
    )
    decision.measure = measure
    decision.kind = kind
    decision.text = opinion.text
    decision.run = run
    decision.decided_by = _user_or_none(actor)
    decision.decided_by_name = _actor_name(actor)
    decision.save()
    audit_record(
        actor=actor,
        action="analysis_assign",
        obj=decision,
        before=before,
        after=_decision_snapshot(decision),
    )
    return decision


@transaction.atomic
def assignment_decide_many(
    *, run: AnalysisRun, opinions: Sequence[AnalysedOpinion], measure: Measure, actor: Any
) -> int:
    """:func:`assignment_decide` for several opinions at once (all or none), e.g. every
    member of a duplicate group. Returns how many were decided."""
    for opinion in opinions:
        assignment_decide(run=run, opinion=opinion, measure=measure, actor=actor)
    return len(opinions)


@transaction.atomic
def assignment_undo(*, run: AnalysisRun, opinion: AnalysedOpinion, actor: Any) -> bool:
    existing = (
        AssignmentDecision.objects.select_related("measure")
        .filter(edition=run.edition, namespace=run.namespace, opinion_id=opinion.opinion_id)
        .first()
    )
    if existing is None:
        return False
    audit_record(
        actor=actor,
        action="analysis_unassign",
        obj=existing,
        before=_decision_snapshot(existing),
        after=None,
    )
    existing.delete()
    return True


# --- staff decisions: duplicate groups and campaigns -----------------------------------------


def _check_ids(run: AnalysisRun, ids: Sequence[str]) -> None:
    known = set(run.opinions.filter(opinion_id__in=list(ids)).values_list("opinion_id", flat=True))
    missing = [i for i in ids if i not in known]
    if missing:
        raise AnalysisError(
            _("意見ID「%(id)s」はこの分析にありません。ID を確かめてください。")
            % {"id": missing[0]}
        )


def _group_set(
    run: AnalysisRun, kind: str, opinion_id: str, action: str, anchor: str, actor: Any
) -> GroupDecision:
    existing = GroupDecision.objects.filter(
        namespace=run.namespace, group_kind=kind, opinion_id=opinion_id
    ).first()
    before = {"action": existing.action, "anchor_id": existing.anchor_id} if existing else None
    decision = existing or GroupDecision(
        namespace=run.namespace, group_kind=kind, opinion_id=opinion_id
    )
    decision.action = action
    decision.anchor_id = anchor
    decision.run = run
    decision.decided_by = _user_or_none(actor)
    decision.decided_by_name = _actor_name(actor)
    decision.save()
    audit_record(
        actor=actor,
        action=f"analysis_group_{action}",
        obj=decision,
        before=before,
        after={"group_kind": kind, "action": action, "anchor_id": anchor},
    )
    return decision


@transaction.atomic
def group_merge(
    *, run: AnalysisRun, kind: str, opinion_ids: Sequence[str], anchor_id: str, actor: Any
) -> int:
    """The opinions join the group of ``anchor_id`` (one voice), in this and every run."""
    if kind not in GroupDecision.GroupKind.values:
        raise AnalysisError(_("グループの種類「%(kind)s」はありません。") % {"kind": kind})
    ids = [i for i in dict.fromkeys(opinion_ids) if i != anchor_id]
    if not ids:
        raise AnalysisError(_("統合する意見を選んでください（統合先と同じ意見は統合できません）。"))
    _check_ids(run, [*ids, anchor_id])
    for oid in ids:
        _group_set(run, kind, oid, GroupDecision.Action.MERGE, anchor_id, actor)
    return len(ids)


@transaction.atomic
def group_split(*, run: AnalysisRun, kind: str, opinion_id: str, actor: Any) -> GroupDecision:
    """The opinion leaves its group and counts as its own voice, in this and every run."""
    if kind not in GroupDecision.GroupKind.values:
        raise AnalysisError(_("グループの種類「%(kind)s」はありません。") % {"kind": kind})
    _check_ids(run, [opinion_id])
    return _group_set(run, kind, opinion_id, GroupDecision.Action.SPLIT, "", actor)


@transaction.atomic
def group_decision_undo(*, run: AnalysisRun, kind: str, opinion_id: str, actor: Any) -> bool:
    existing = GroupDecision.objects.filter(
        namespace=run.namespace, group_kind=kind, opinion_id=opinion_id
    ).first()
    if existing is None:
        return False
    audit_record(
        actor=actor,
        action="analysis_group_undo",
        obj=existing,
        before={"action": existing.action, "anchor_id": existing.anchor_id},
        after=None,
    )
    existing.delete()
    return True
