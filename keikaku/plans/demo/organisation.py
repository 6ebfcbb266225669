"""The demo city hall: departments (部) and sections (課), and the demo staff users.

The organisation is modelled on a typical Japanese city of about 70,000 people; it is
illustrative (デモ用の架空データ), apart from the secretariat of the plan, which the city's
formulation policy places in 総合政策部 政策推進課.
"""

from __future__ import annotations

from keikaku.plans.demo.specs import DepartmentSpec, SectionSpec, StaffSpec

# Demo-only password of the demo staff users (documented as such; change it or delete the
# users before any real use).
DEMO_PASSWORD = "keikaku-demo-2026"

SECRETARIAT = "0101"


def _d(code: str, name: str, *sections: tuple[str, str]) -> DepartmentSpec:
    return DepartmentSpec(code, name, tuple(SectionSpec(c, n) for c, n in sections))


DEPARTMENTS: tuple[DepartmentSpec, ...] = (
    _d(
        "01",
        "総合政策部",
        ("0101", "政策推進課"),
        ("0102", "財政課"),
        ("0103", "秘書広報課"),
        ("0104", "デジタル推進課"),
        ("0105", "行政経営課"),
    ),
    _d(
        "02",
        "総務部",
        ("0201", "総務課"),
        ("0202", "人事課"),
        ("0203", "危機管理課"),
        ("0204", "課税課"),
        ("0205", "収納課"),
    ),
    _d(
        "03",
        "市民生活部",
        ("0301", "市民活動推進課"),
        ("0302", "人権推進課"),
        ("0303", "市民課"),
        ("0304", "保険年金課"),
        ("0305", "生活安全課"),
    ),
    _d(
        "04",
        "環境産業部",
        ("0401", "生活環境課"),
        ("0402", "環境保全課"),
        ("0403", "産業振興課"),
        ("0404", "農業振興課"),
    ),
    _d(
        "05",
        "健康福祉部",
        ("0501", "福祉政策課"),
        ("0502", "高齢者福祉課"),
        ("0503", "障害者福祉課"),
        ("0504", "生活福祉課"),
        ("0505", "健康長寿課"),
    ),
    _d(
        "06",
        "こども支援部",
        ("0601", "こども支援課"),
        ("0602", "保育課"),
        ("0603", "こども家庭センター"),
    ),
    _d(
        "07",
        "都市整備部",
        ("0701", "都市計画課"),
        ("0702", "市街地整備課"),
        ("0703", "道路建設課"),
        ("0704", "みどり公園課"),
        ("0705", "建築住宅課"),
    ),
    _d(
        "08",
        "上下水道部",
        ("0801", "水道課"),
        ("0802", "下水道課"),
    ),
    _d(
        "09",
        "教育部",
        ("0901", "教育総務課"),
        ("0902", "学校教育課"),
        ("0903", "教育指導課"),
        ("0904", "生涯学習スポーツ課"),
        ("0905", "図書館"),
    ),
)

STAFF: tuple[StaffSpec, ...] = (
    StaffSpec("admin", "システム", "管理者", None, superuser=True),
    StaffSpec(
        "jimukyoku",
        "𠮷田",
        "花子",
        SECRETARIAT,
        permissions=("plans.change_measure", "plans.change_edition"),
    ),
    StaffSpec("henshu", "髙橋", "一郎", "0601", permissions=("plans.change_measure",)),
)


def section_names() -> dict[str, str]:
    return {s.code: s.name for d in DEPARTMENTS for s in d.sections}
