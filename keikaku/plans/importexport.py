"""Import and export of the whole plan structure as a workbook (.xlsx, zip of CSVs, JSON).

The format is defined in :mod:`keikaku.plans.domain.workbook` and documented in
docs/formats/plan-workbook.md. This module is its database side:

- :func:`workbook_for_edition` reads one basic-plan edition (with its comprehensive plan,
  basic concept, municipality and the city's departments) into workbook data;
- :func:`plan_import_preview` compares a parsed file with the database and lists what an
  import would create, update and (on request) delete, writing nothing;
- :func:`plan_import_apply` does it in one transaction through the plan services, so every
  write is audited; any failure leaves the database as it was.

Items are matched by natural keys (codes and numbers), never by database ids.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from keikaku.accounts.models import Department
from keikaku.core.domain.fiscal import format_fiscal_period
from keikaku.plans import services
from keikaku.plans.domain import workbook as wbk
from keikaku.plans.models import (
    BasicConcept,
    BasicGoal,
    ComprehensivePlan,
    Edition,
    Indicator,
    IndicatorValue,
    Initiative,
    Measure,
    Municipality,
    PolicyArea,
    PriorityStrategy,
    Programme,
    ProgrammeCost,
)

EXPORT_FORMATS: dict[str, tuple[str, str]] = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "csv": ("application/zip", "zip"),
    "json": ("application/json; charset=utf-8", "json"),
}

Key = tuple[wbk.Value, ...]


class PlanImportError(Exception):
    """The import cannot go ahead; nothing was written. Carries every problem found."""

    def __init__(self, problems: Sequence[wbk.Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(
            _("取り込めません。問題が%(count)d件あります。") % {"count": len(self.problems)}
        )


class PreviewOutdated(Exception):
    """The database changed between the preview and the confirmation; nothing was written."""

    def __init__(self, preview: ImportPreview) -> None:
        self.preview = preview
        super().__init__(
            _(
                "確認の後にデータが変わったため、取り込みを止めました。新しい内容を確認してから、もう一度取り込んでください。"
            )
        )


# --------------------------------------------------------------------------- reading the DB


@dataclass
class _Current:
    """What the database holds for the plan a workbook names, as workbook data and objects."""

    municipality: Municipality | None
    plan: ComprehensivePlan | None
    concept: BasicConcept | None
    edition: Edition | None
    data: wbk.WorkbookData
    header: dict[str, dict[str, wbk.Value] | None]
    objects: dict[str, dict[Key, Any]]
    duplicates: list[wbk.Problem]


def _header_group(obj: Any, group: str) -> dict[str, wbk.Value] | None:
    if obj is None:
        return None
    values: dict[str, wbk.Value] = {}
    for col in wbk.PLAN.columns:
        if col.group == group:
            values[col.key] = wbk.canonical_value(col, getattr(obj, col.model_field))
    return values


def _canonical_key(sheet: wbk.Sheet, row: Mapping[str, object]) -> Key:
    return tuple(wbk.canonical_value(sheet.column(k), row.get(k)) for k in sheet.key_columns)


class _Collector:
    """Rows for the workbook plus the objects behind them, keyed by natural key."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, object]]] = defaultdict(list)
        self.objects: dict[str, dict[Key, Any]] = defaultdict(dict)
        self.duplicates: list[wbk.Problem] = []

    def add(self, sheet: wbk.Sheet, obj: Any, row: dict[str, object]) -> None:
        self.rows[sheet.key].append(row)
        key = _canonical_key(sheet, row)
        if key in self.objects[sheet.key]:
            self.duplicates.append(
                wbk.Problem(
                    sheet.title,
                    None,
                    None,
                    None,
                    _(
                        "データベースに同じ%(key)sの%(entity)sが2件以上あります（%(value)s）。職員用画面で番号を直してから取り込んでください。"
                    )
                    % {
                        "key": "・".join(sheet.column(k).header for k in sheet.key_columns),
                        "entity": sheet.entity,
                        "value": "・".join(str(v) for v in key),
                    },
                )
            )
            return
        self.objects[sheet.key][key] = obj


# Cells that are not a model field's value as it stands: the importer works them out.
_WORKED_OUT: dict[str, frozenset[str]] = {
    wbk.INITIATIVES.key: frozenset({"number"}),  # the position under its measure
    wbk.PROGRAMME_COSTS.key: frozenset({"is_plan"}),  # 計画 / 決算 → True / False
}
_LISTS = (wbk.Kind.INT_LIST, wbk.Kind.CODE_LIST)


def _plain(sheet: wbk.Sheet) -> tuple[str, ...]:
    """The columns of `sheet` that are the model field of the same name, value for value
    (no reference to another sheet, no list, nothing worked out)."""
    skip = _WORKED_OUT.get(sheet.key, frozenset())
    return tuple(
        c.key for c in sheet.columns if c.ref is None and c.kind not in _LISTS and c.key not in skip
    )


def _text_fields(obj: Any, sheet: wbk.Sheet) -> dict[str, object]:
    """The plain cells of `sheet` read from a model object."""
    return {name: getattr(obj, name) for name in _plain(sheet)}


def _record_fields(rec: wbk.Record, sheet: wbk.Sheet) -> dict[str, Any]:
    """The plain cells of `sheet` from a parsed record, as model field values."""
    return {name: rec.get(name) for name in _plain(sheet)}


def _collect_departments(out: _Collector) -> None:
    for dept in Department.objects.select_related("parent").order_by("order", "code"):
        row = _text_fields(dept, wbk.DEPARTMENTS)
        row["parent"] = dept.parent.code if dept.parent else None
        out.add(wbk.DEPARTMENTS, dept, row)


def _collect_goals(out: _Collector, concept: BasicConcept | None) -> None:
    if concept is None:
        return
    for goal in concept.goals.all():
        out.add(wbk.GOALS, goal, _text_fields(goal, wbk.GOALS))


def _collect_edition(out: _Collector, edition: Edition | None) -> None:
    if edition is None:
        return
    for area in edition.areas.all():
        out.add(wbk.AREAS, area, _text_fields(area, wbk.AREAS))
    measures = (
        Measure.objects.filter(area__edition=edition)
        .select_related("area")
        .prefetch_related("departments")
    )
    for measure in measures:
        row = _text_fields(measure, wbk.MEASURES)
        row["area"] = measure.area.number
        row["departments"] = [d.code for d in measure.departments.all()]
        row["sdgs"] = list(measure.sdgs or [])
        out.add(wbk.MEASURES, measure, row)
    initiatives = (
        Initiative.objects.filter(measure__area__edition=edition)
        .select_related("measure", "responsible_section")
        .order_by("measure_id", "order", "id")
    )
    position: dict[int, int] = defaultdict(int)
    for ini in initiatives:
        position[ini.measure_id] += 1
        out.add(
            wbk.INITIATIVES,
            ini,
            {
                "measure": ini.measure.code,
                "number": position[ini.measure_id],
                "title": ini.title,
                "description": ini.description,
                "responsible_section": ini.responsible_section.code
                if ini.responsible_section
                else None,
            },
        )
    for strategy in edition.strategies.prefetch_related("measures"):
        row = _text_fields(strategy, wbk.STRATEGIES)
        row["measures"] = [m.code for m in strategy.measures.all()]
        out.add(wbk.STRATEGIES, strategy, row)
    indicators = (
        Indicator.objects.filter(Q(measure__area__edition=edition) | Q(strategy__edition=edition))
        .select_related("measure", "strategy")
        .order_by("order", "code", "id")
    )
    for ind in indicators:
        row = _text_fields(ind, wbk.INDICATORS)
        row["measure"] = ind.measure.code if ind.measure else None
        row["strategy"] = ind.strategy.number if ind.strategy else None
        out.add(wbk.INDICATORS, ind, row)
    values = IndicatorValue.objects.filter(
        Q(indicator__measure__area__edition=edition) | Q(indicator__strategy__edition=edition)
    ).select_related("indicator")
    for val in values:
        row = _text_fields(val, wbk.INDICATOR_VALUES)
        row["indicator"] = val.indicator.code
        out.add(wbk.INDICATOR_VALUES, val, row)
    for prog in edition.programmes.select_related("department", "measure"):
        row = _text_fields(prog, wbk.PROGRAMMES)
        row["department"] = prog.department.code if prog.department else None
        row["measure"] = prog.measure.code if prog.measure else None
        out.add(wbk.PROGRAMMES, prog, row)
    costs = ProgrammeCost.objects.filter(programme__edition=edition).select_related("programme")
    for cost in costs:
        row = _text_fields(cost, wbk.PROGRAMME_COSTS)
        row["programme"] = cost.programme.code
        row["is_plan"] = "plan" if cost.is_plan else "actual"
        out.add(wbk.PROGRAMME_COSTS, cost, row)


def _load(
    municipality: Municipality | None, plan: ComprehensivePlan | None, edition: Edition | None
) -> _Current:
    concept = BasicConcept.objects.filter(plan=plan).first() if plan is not None else None
    out = _Collector()
    header_row: dict[str, object] | None = None
    if municipality is not None and plan is not None and edition is not None:
        header_row = {}
        for col in wbk.PLAN.columns:
            obj = {
                "municipality": municipality,
                "plan": plan,
                "concept": concept,
                "edition": edition,
            }[col.group]
            header_row[col.key] = getattr(obj, col.model_field) if obj is not None else None
    _collect_departments(out)
    _collect_goals(out, concept)
    _collect_edition(out, edition)
    rows: dict[str, Iterable[Mapping[str, object]]] = dict(out.rows)
    if header_row is not None:
        rows[wbk.PLAN.key] = [header_row]
    return _Current(
        municipality=municipality,
        plan=plan,
        concept=concept,
        edition=edition,
        data=wbk.build_workbook(rows),
        header={
            "municipality": _header_group(municipality, "municipality"),
            "plan": _header_group(plan, "plan"),
            "concept": _header_group(concept, "concept"),
            "edition": _header_group(edition, "edition"),
        },
        objects=dict(out.objects),
        duplicates=out.duplicates,
    )


def _load_for(header: wbk.Record) -> _Current:
    municipality = Municipality.objects.filter(code=header.get("municipality_code")).first()
    plan = None
    if municipality is not None:
        ordinal = header.get("plan_ordinal")
        assert isinstance(ordinal, int)
        plans = list(
            ComprehensivePlan.objects.filter(municipality=municipality, ordinal=ordinal).order_by(
                "pk"
            )
        )
        if len(plans) > 1:
            raise PlanImportError(
                [
                    wbk.Problem(
                        wbk.PLAN.title,
                        header.row,
                        wbk.PLAN.column("plan_ordinal").header,
                        None,
                        _(
                            "データベースに第%(n)s次の総合計画が%(count)d件あり、どれに取り込むか決められません。職員用画面で整理してから取り込んでください。"
                        )
                        % {"n": header.get("plan_ordinal"), "count": len(plans)},
                    )
                ]
            )
        plan = plans[0] if plans else None
    edition = None
    if plan is not None:
        edition = Edition.objects.filter(plan=plan, kind=header.get("edition_kind")).first()
    return _load(municipality, plan, edition)


# --------------------------------------------------------------------------- export


def edition_default() -> Edition | None:
    """The edition exported when none is named: in force, else the latest."""
    qs = Edition.objects.select_related("plan", "plan__municipality")
    return (
        qs.filter(status=Edition.Status.IN_FORCE).order_by("-start_fy", "-pk").first()
        or qs.order_by("-start_fy", "-pk").first()
    )


def edition_label(edition: Edition) -> str:
    plan = edition.plan
    return (
        f"{plan.title} {edition.title}（{format_fiscal_period(edition.start_fy, edition.end_fy)}）"
    )


def workbook_for_edition(edition: Edition) -> wbk.WorkbookData:
    plan = edition.plan
    return _load(plan.municipality, plan, edition).data


def export_filename(edition: Edition, fmt: str) -> str:
    plan = edition.plan
    ext = EXPORT_FORMATS[fmt][1]
    return f"keikaku-plan-{plan.municipality.code}-{plan.ordinal}-{edition.kind}.{ext}"


def export_bytes(data: wbk.WorkbookData, fmt: str, *, created: datetime | None = None) -> bytes:
    if fmt == "xlsx":
        return wbk.write_xlsx(data, created=created)
    if fmt == "csv":
        return wbk.write_csv_zip(data, created=created)
    if fmt == "json":
        return wbk.write_json(data)
    raise ValueError(
        _("書き出しの形式「%(fmt)s」は使えません。xlsx・csv・json のいずれかを指定してください。")
        % {"fmt": fmt}
    )


def read_upload(files: Sequence[tuple[str, bytes]]) -> wbk.ParseResult:
    """Read and validate uploaded files (one .xlsx / .zip / .json, or .csv files)."""
    return wbk.parse_workbook(wbk.read_files(files))


# --------------------------------------------------------------------------- preview


ACTION_LABELS = {"create": "新規", "update": "更新"}


@dataclass(frozen=True)
class SheetSummary:
    key: str
    title: str
    create: int
    update: int
    unchanged: int
    missing: int


@dataclass(frozen=True)
class ImportPreview:
    target: str
    changes: tuple[wbk.Change, ...]
    sheets: tuple[SheetSummary, ...]
    delete_missing: bool
    digest: str
    applied: bool = False

    def total(self, field: str) -> int:
        return sum(getattr(s, field) for s in self.sheets)

    def action_label(self, change: wbk.Change) -> str:
        if change.action == "missing":
            return _("削除") if self.delete_missing else _("ファイルにない（残す）")
        return _(ACTION_LABELS[change.action])

    def change_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "sheet": wbk.SHEET_BY_KEY[c.sheet].title,
                "action": c.action,
                "action_label": self.action_label(c),
                "label": c.label,
                "row": c.row,
                "fields": "、".join(c.fields),
            }
            for c in self.changes
        ]

    def summary_text(self) -> str:
        missing = self.total("missing")
        text = _("新規 %(create)d件、更新 %(update)d件、変更なし %(unchanged)d件") % {
            "create": self.total("create"),
            "update": self.total("update"),
            "unchanged": self.total("unchanged"),
        }
        if missing:
            if self.delete_missing:
                text += _("、削除 %(n)d件") % {"n": missing}
            else:
                text += _("、ファイルにない項目 %(n)d件（削除せずに残します）") % {"n": missing}
        return text

    @property
    def has_changes(self) -> bool:
        return any(c.action != "missing" or self.delete_missing for c in self.changes)


def _summaries(data: wbk.WorkbookData, changes: Sequence[wbk.Change]) -> tuple[SheetSummary, ...]:
    out = []
    header = data.header()
    for sheet in wbk.SHEETS:
        mine = [c for c in changes if c.sheet == sheet.key]
        create = sum(1 for c in mine if c.action == "create")
        update = sum(1 for c in mine if c.action == "update")
        missing = sum(1 for c in mine if c.action == "missing")
        if sheet.single_row:
            has_concept = header is not None and bool(
                str(header.get(wbk.CONCEPT_FLAG) or "").strip()
            )
            incoming = 4 if has_concept else 3
        else:
            incoming = len(data.records(sheet.key))
        out.append(
            SheetSummary(
                sheet.key, sheet.title, create, update, incoming - create - update, missing
            )
        )
    return tuple(out)


def _preview(data: wbk.WorkbookData, current: _Current, delete_missing: bool) -> ImportPreview:
    header = data.header()
    assert header is not None
    changes = wbk.diff_header(current.header, header) + wbk.diff_workbooks(current.data, data)
    target = f"{header.get('municipality_name')} {header.get('plan_title')} {header.get('edition_title')}"
    return ImportPreview(
        target=target,
        changes=changes,
        sheets=_summaries(data, changes),
        delete_missing=delete_missing,
        digest=wbk.changes_digest(changes) + (":delete" if delete_missing else ":keep"),
    )


def _checked_current(data: wbk.WorkbookData) -> _Current:
    header = data.header()
    if header is None:  # parse_workbook guarantees one row
        raise PlanImportError(
            [wbk.Problem(wbk.PLAN.title, None, None, None, _("基本情報がありません。"))]
        )
    current = _load_for(header)
    if current.duplicates:
        raise PlanImportError(current.duplicates)
    return current


def plan_import_preview(*, data: wbk.WorkbookData, delete_missing: bool = False) -> ImportPreview:
    """What importing `data` would do. Writes nothing."""
    return _preview(data, _checked_current(data), delete_missing)


# --------------------------------------------------------------------------- apply


class _Applier:
    def __init__(
        self, data: wbk.WorkbookData, current: _Current, preview: ImportPreview, actor: Any
    ) -> None:
        self.data = data
        self.current = current
        self.actor = actor
        self.changes: dict[tuple[str, Key], wbk.Change] = {
            (c.sheet, c.key): c for c in preview.changes
        }
        self.objects: dict[str, dict[Key, Any]] = {k: dict(v) for k, v in current.objects.items()}

    # -- writing one object ---------------------------------------------------------------

    def _fail(self, sheet: wbk.Sheet, row: int | None, exc: ValidationError) -> PlanImportError:
        problems = []
        if hasattr(exc, "error_dict"):
            for name, errors in exc.message_dict.items():
                header = None
                for col in sheet.columns:
                    if col.model_field == name:
                        header = col.header
                for message in errors:
                    problems.append(wbk.Problem(sheet.title, row, header, None, message))
        else:
            for message in exc.messages:
                problems.append(wbk.Problem(sheet.title, row, None, None, message))
        return PlanImportError(problems)

    def write(
        self,
        sheet: wbk.Sheet,
        key: Key,
        model: type[models.Model],
        fields: dict[str, Any],
        *,
        row: int | None,
        m2m: dict[str, list[Any]] | None = None,
        existing: Any = None,
        create_only: Mapping[str, Any] | None = None,
    ) -> Any:
        change = self.changes.get((sheet.key, key))
        if existing is None:
            existing = self.objects.get(sheet.key, {}).get(key)
        try:
            if existing is None:
                obj = model(**fields, **(create_only or {}))
                services.plan_object_create(obj=obj, actor=self.actor, m2m=m2m)
            elif change is not None and change.action == "update":
                obj = services.plan_object_update(
                    obj=existing,
                    actor=self.actor,
                    expected_version=existing.version,
                    changes=fields,
                    m2m=m2m,
                )
            else:
                obj = existing
        except ValidationError as exc:
            raise self._fail(sheet, row, exc) from exc
        self.objects.setdefault(sheet.key, {})[key] = obj
        return obj

    def obj(self, sheet: wbk.Sheet, value: wbk.Value) -> Any:
        if value is None:
            return None
        return self.objects[sheet.key][(value,)]

    # -- sheets ---------------------------------------------------------------------------

    def departments(self) -> None:
        records = {r.get("code"): r for r in self.data.records(wbk.DEPARTMENTS.key)}
        done: set[wbk.Value] = set()

        def visit(code: wbk.Value) -> None:
            if code in done:
                return
            done.add(code)
            rec = records[code]
            parent = rec.get("parent")
            if parent is not None:
                visit(parent)
            self.write(
                wbk.DEPARTMENTS,
                (code,),
                Department,
                {
                    **_record_fields(rec, wbk.DEPARTMENTS),
                    "parent": self.obj(wbk.DEPARTMENTS, parent),
                },
                row=rec.row,
            )

        for code in records:
            visit(code)

    def header(self) -> tuple[ComprehensivePlan, BasicConcept | None, Edition]:
        rec = self.data.header()
        assert rec is not None
        cur = self.current

        def fields(group: str) -> dict[str, Any]:
            return {c.model_field: rec.get(c.key) for c in wbk.PLAN.columns if c.group == group}

        def write(
            group: str, model: type[models.Model], existing: Any, extra: dict[str, Any]
        ) -> Any:
            return self.write(
                wbk.PLAN,
                (group,),
                model,
                {**fields(group), **extra},
                row=rec.row,
                existing=existing,
            )

        muni = write("municipality", Municipality, cur.municipality, {})
        plan = write("plan", ComprehensivePlan, cur.plan, {"municipality": muni})
        concept = cur.concept
        if str(rec.get(wbk.CONCEPT_FLAG) or "").strip():
            concept = write("concept", BasicConcept, cur.concept, {"plan": plan})
        edition = write("edition", Edition, cur.edition, {"plan": plan})
        return plan, concept, edition

    def goals(self, concept: BasicConcept | None) -> None:
        for rec in self.data.records(wbk.GOALS.key):
            self.write(
                wbk.GOALS,
                (rec.get("number"),),
                BasicGoal,
                {"concept": concept, **_record_fields(rec, wbk.GOALS)},
                row=rec.row,
            )

    def areas(self, edition: Edition) -> None:
        for rec in self.data.records(wbk.AREAS.key):
            self.write(
                wbk.AREAS,
                (rec.get("number"),),
                PolicyArea,
                {"edition": edition, **_record_fields(rec, wbk.AREAS)},
                row=rec.row,
            )

    def measures(self) -> None:
        for rec in self.data.records(wbk.MEASURES.key):
            codes = rec.get("departments")
            assert isinstance(codes, tuple)
            sdgs = rec.get("sdgs")
            assert isinstance(sdgs, tuple)
            self.write(
                wbk.MEASURES,
                (rec.get("code"),),
                Measure,
                {
                    "area": self.obj(wbk.AREAS, rec.get("area")),
                    "sdgs": list(sdgs),
                    **_record_fields(rec, wbk.MEASURES),
                },
                row=rec.row,
                m2m={"departments": [self.obj(wbk.DEPARTMENTS, c) for c in codes]},
            )

    def initiatives(self) -> None:
        top: dict[wbk.Value, int] = defaultdict(lambda: -1)
        for (measure_code, _number), ini in self.objects.get(wbk.INITIATIVES.key, {}).items():
            top[measure_code] = max(top[measure_code], ini.order)
        for rec in self.data.records(wbk.INITIATIVES.key):
            code, number = rec.get("measure"), rec.get("number")
            assert isinstance(number, int)
            key = (code, number)
            create_only = None
            if key not in self.objects.get(wbk.INITIATIVES.key, {}):
                order = max(number, top[code] + 1)
                top[code] = order
                create_only = {"order": order}
            self.write(
                wbk.INITIATIVES,
                key,
                Initiative,
                {
                    "measure": self.obj(wbk.MEASURES, code),
                    **_record_fields(rec, wbk.INITIATIVES),
                    "responsible_section": self.obj(
                        wbk.DEPARTMENTS, rec.get("responsible_section")
                    ),
                },
                row=rec.row,
                create_only=create_only,
            )

    def strategies(self, edition: Edition) -> None:
        for rec in self.data.records(wbk.STRATEGIES.key):
            codes = rec.get("measures")
            assert isinstance(codes, tuple)
            self.write(
                wbk.STRATEGIES,
                (rec.get("number"),),
                PriorityStrategy,
                {"edition": edition, **_record_fields(rec, wbk.STRATEGIES)},
                row=rec.row,
                m2m={"measures": [self.obj(wbk.MEASURES, c) for c in codes]},
            )

    def indicators(self) -> None:
        for rec in self.data.records(wbk.INDICATORS.key):
            self.write(
                wbk.INDICATORS,
                (rec.get("code"),),
                Indicator,
                {
                    "measure": self.obj(wbk.MEASURES, rec.get("measure")),
                    "strategy": self.obj(wbk.STRATEGIES, rec.get("strategy")),
                    **_record_fields(rec, wbk.INDICATORS),
                },
                row=rec.row,
            )

    def indicator_values(self) -> None:
        for rec in self.data.records(wbk.INDICATOR_VALUES.key):
            self.write(
                wbk.INDICATOR_VALUES,
                (rec.get("indicator"), rec.get("fiscal_year")),
                IndicatorValue,
                {
                    "indicator": self.obj(wbk.INDICATORS, rec.get("indicator")),
                    **_record_fields(rec, wbk.INDICATOR_VALUES),
                },
                row=rec.row,
            )

    def programmes(self, edition: Edition) -> None:
        for rec in self.data.records(wbk.PROGRAMMES.key):
            self.write(
                wbk.PROGRAMMES,
                (rec.get("code"),),
                Programme,
                {
                    "edition": edition,
                    "department": self.obj(wbk.DEPARTMENTS, rec.get("department")),
                    "measure": self.obj(wbk.MEASURES, rec.get("measure")),
                    **_record_fields(rec, wbk.PROGRAMMES),
                },
                row=rec.row,
            )

    def programme_costs(self) -> None:
        for rec in self.data.records(wbk.PROGRAMME_COSTS.key):
            key = (rec.get("programme"), rec.get("fiscal_year"), rec.get("is_plan"))
            self.write(
                wbk.PROGRAMME_COSTS,
                key,
                ProgrammeCost,
                {
                    "programme": self.obj(wbk.PROGRAMMES, rec.get("programme")),
                    "is_plan": rec.get("is_plan") == "plan",
                    **_record_fields(rec, wbk.PROGRAMME_COSTS),
                },
                row=rec.row,
            )

    def delete_missing(self) -> int:
        order = (
            "programme_costs",
            "indicator_values",
            "indicators",
            "initiatives",
            "programmes",
            "strategies",
            "measures",
            "areas",
            "goals",
        )
        missing = [c for c in self.changes.values() if c.action == "missing"]
        count = 0
        for sheet_key in order:
            for change in missing:
                if change.sheet == sheet_key:
                    count += self._delete(self.current.objects[sheet_key][change.key])
        for change in missing:
            if change.sheet == wbk.PLAN.key and change.key == ("concept",) and self.current.concept:
                count += self._delete(self.current.concept)
        depts = [
            self.current.objects[wbk.DEPARTMENTS.key][c.key]
            for c in missing
            if c.sheet == wbk.DEPARTMENTS.key
        ]
        for dept in sorted(depts, key=_department_depth, reverse=True):
            count += self._delete(dept)
        return count

    def _delete(self, obj: Any) -> int:
        if not type(obj)._default_manager.filter(pk=obj.pk).exists():
            return 0  # already removed with its parent
        services.plan_object_delete(obj=obj, actor=self.actor)
        return 1


def _department_depth(dept: Department) -> int:
    depth, seen = 0, set()
    current = dept
    while current.parent_id is not None and current.parent_id not in seen:
        seen.add(current.parent_id)
        depth += 1
        current = Department.objects.get(pk=current.parent_id)
    return depth


def plan_import_apply(
    *,
    data: wbk.WorkbookData,
    actor: Any,
    delete_missing: bool = False,
    expected_digest: str | None = None,
) -> ImportPreview:
    """Import `data` in one transaction; everything or nothing.

    Raises :class:`PlanImportError` (nothing written) when a write is refused, and
    :class:`PreviewOutdated` when `expected_digest` no longer matches what the import
    would do. Returns the preview of what was done (``applied=True``).
    """
    with transaction.atomic():
        current = _checked_current(data)
        preview = _preview(data, current, delete_missing)
        if expected_digest is not None and expected_digest != preview.digest:
            raise PreviewOutdated(preview)
        applier = _Applier(data, current, preview, actor)
        applier.departments()
        _plan, concept, edition = applier.header()
        applier.goals(concept)
        applier.areas(edition)
        applier.measures()
        applier.initiatives()
        applier.strategies(edition)
        applier.indicators()
        applier.indicator_values()
        applier.programmes(edition)
        applier.programme_costs()
        if delete_missing:
            applier.delete_missing()
    return ImportPreview(
        target=preview.target,
        changes=preview.changes,
        sheets=preview.sheets,
        delete_missing=delete_missing,
        digest=preview.digest,
        applied=True,
    )


def problems_text(problems: Iterable[wbk.Problem]) -> list[str]:
    return [str(p) for p in problems]


__all__ = [
    "EXPORT_FORMATS",
    "ImportPreview",
    "PlanImportError",
    "PreviewOutdated",
    "edition_default",
    "edition_label",
    "export_bytes",
    "export_filename",
    "plan_import_apply",
    "plan_import_preview",
    "problems_text",
    "read_upload",
    "workbook_for_edition",
]
