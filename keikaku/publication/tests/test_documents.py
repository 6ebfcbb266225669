"""The plan document (PDF, Word) and the 4-page summary: content, headings, caching.

The small plan keeps these fast; ``test_demo_plan_pdf_has_every_measure_and_target`` (marked
slow) does the same for the whole demo city.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client

from keikaku.plans import services
from keikaku.plans.models import Measure
from keikaku.plans.tests.factories import make_small_plan, make_staff
from keikaku.publication.documents import content, render, service
from keikaku.publication.documents.pdf import pdf_text
from keikaku.publication.models import PlanDocument

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _documents_dir(settings, tmp_path):
    settings.KEIKAKU_DOCUMENTS_DIR = tmp_path / "documents"


@pytest.fixture
def published():
    plan = make_small_plan()
    services.edition_publish(edition=plan.edition, actor=make_staff("pub"))
    return plan


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _docx_headings(data: bytes) -> list[tuple[int, str]]:
    from docx import Document

    doc = Document(io.BytesIO(data))
    out = []
    for p in doc.paragraphs:
        style = p.style.name
        if style == "Title":
            out.append((1, p.text))
        elif style in ("Heading 1", "Heading 2"):
            out.append((int(style[-1]) + 1, p.text))
    return out


def test_pdf_word_and_summary_of_the_small_plan(published):
    data = content.plan_document_data()
    assert data is not None
    pdf = render.render_plan_pdf(data)
    text = _flat(pdf_text(pdf.data))
    assert "施策1-1子育て支援の充実" in text
    assert "待機児童数" in text
    assert "0人" in text  # the target, as the page shows it
    assert "目次" in text
    headings = render.plan_headings(data)
    assert headings == [
        (1, "第6次鶴ヶ島市総合計画 後期基本計画"),
        (2, "序論"),
        (2, "基本構想"),
        (2, "政策分野1 子育て・教育"),
        (3, "施策1-1 子育て支援の充実"),
        (2, "重点戦略"),
        (3, "重点戦略1 こどもにやさしいまちづくり"),
    ]
    for _level, heading in headings:
        assert _flat(heading) in text, heading
    assert _docx_headings(render.render_plan_docx(data)) == headings
    summary = render.render_summary_pdf(data)
    assert summary.pages == 4


def test_documents_are_cached_by_their_data(client: Client, published):
    response = client.get("/plan/documents/plan.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="112411-plan.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    first = PlanDocument.objects.get(kind="plan", fmt="pdf")
    # another publish with the same content: same file, no new rendering
    services.edition_publish(edition=published.edition, actor="test")
    again = service.document_get_or_build(kind="plan", fmt="pdf")
    assert again is not None and again.pk == first.pk
    assert PlanDocument.objects.filter(kind="plan", fmt="pdf").count() == 1
    # changed content: a new file
    measure = Measure.objects.get(pk=published.measure.pk)
    services.plan_object_update(
        obj=measure,
        actor=make_staff("ed"),
        expected_version=measure.version,
        changes={"title": "子育て支援の拡充"},
    )
    services.measure_publish(measure=Measure.objects.get(pk=measure.pk), actor="test")
    newer = service.document_get_or_build(kind="plan", fmt="pdf")
    assert newer is not None and newer.pk != first.pk
    assert "施策1-1子育て支援の拡充" in _flat(pdf_text(service.document_path(newer).read_bytes()))


def test_word_download(client: Client, published):
    response = client.get("/plan/documents/plan.docx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="112411-plan.docx"'
    data = b"".join(response.streaming_content)
    assert _docx_headings(data)[0] == (1, "第6次鶴ヶ島市総合計画 後期基本計画")


def test_no_document_without_a_published_plan(client: Client):
    make_small_plan()
    assert client.get("/plan/documents/plan.pdf").status_code == 404


def test_command_refuses_without_a_plan():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as excinfo:
        call_command("build_plan_documents")
    assert str(excinfo.value) == "公開されている計画がありません。先に計画を公開してください。"


@pytest.mark.slow
def test_demo_plan_pdf_has_every_measure_and_target():
    """The whole demo plan: every measure's name and every indicator's target are in the
    PDF's text (pdftotext), and the .docx has the same headings."""
    call_command("load_demo", verbosity=0)
    data = content.plan_document_data()
    assert data is not None
    pdf = render.render_plan_pdf(data)
    text = _flat(pdf_text(pdf.data))
    measures = [m for a in data["areas"] for m in a["measures"]]
    assert len(measures) == 40
    missing = []
    for m in measures:
        if _flat(f"施策{m['code']} {m['title']}") not in text:
            missing.append(m["title"])
        for ind in m["indicators"]:
            target = render.value_text(ind["target_value"], ind["unit"] or "")
            if _flat(ind["name"]) not in text or _flat(target) not in text:
                missing.append(f"{ind['name']} {target}")
    for s in data["strategies"]:
        for ind in s["indicators"]:
            target = render.value_text(ind["target_value"], ind["unit"] or "")
            if _flat(target) not in text:
                missing.append(f"{ind['name']} {target}")
    assert missing == []
    assert _docx_headings(render.render_plan_docx(data)) == render.plan_headings(data)
    assert render.render_summary_pdf(data).pages == 4
