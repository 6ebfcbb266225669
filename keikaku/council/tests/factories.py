"""Builders for council tests: a published council, members, an open call, staff roles."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone

from keikaku.council import services
from keikaku.council.domain.recruitment import JAPAN
from keikaku.council.models import Council, CouncilMember, Meeting, MemberCategory, Recruitment

ESSAY = (
    "私は鶴ヶ島市で子育てをしながら働いています。保育所の送り迎えの途中で、地域の方に声を"
    "かけてもらうことが多く、このまちの温かさに助けられてきました。これからは人口が減り、"
    "高齢の方が増えていきます。若い世代と高齢の世代が支え合えるまちにするために、"
    "市民の目線で計画を読み、分かりにくいところを伝えたいと考えて応募しました。\n"
    "審議会では、子育て世代の声を計画に届けるとともに、計画ができた後も、その進み具合を"
    "市民と一緒に確かめる仕組みについて提案したいと思います。"
)


def make_user(username: str, *perms: str, full_name: str = "職員 太郎", staff: bool = True):
    """A user with the given council permissions (codenames)."""
    User = get_user_model()
    last, _, first = full_name.partition(" ")
    user = User.objects.create_user(
        username=username,
        password="pass-for-tests-1",
        is_staff=staff,
        last_name=last,
        first_name=first,
    )
    if perms:
        user.user_permissions.add(
            *Permission.objects.filter(content_type__app_label="council", codename__in=perms)
        )
    return User.objects.get(pk=user.pk)


def make_council(*, published: bool = True, seats: int | None = 12) -> Council:
    return services.object_create(
        obj=Council(
            name="鶴ヶ島市まちづくり審議会",
            description="市民と有識者が総合計画の素案を審議します。",
            seats=seats,
            is_published=published,
        ),
        actor="test",
    )


def make_member(
    council: Council,
    name: str = "髙橋 美和子",
    *,
    kana: str = "たかはし みわこ",
    category: str = MemberCategory.ACADEMIC,
    term_start: dt.date = dt.date(2023, 7, 1),
    term_end: dt.date | None = dt.date(2025, 6, 30),
    published: bool = True,
) -> CouncilMember:
    return services.object_create(
        obj=CouncilMember(
            council=council,
            name=name,
            name_kana=kana,
            category=category,
            affiliation="大学教員（都市計画）" if category == MemberCategory.ACADEMIC else "",
            term_start=term_start,
            term_end=term_end,
            is_published=published,
        ),
        actor="test",
    )


def make_recruitment(
    council: Council,
    *,
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
    published: bool = True,
    title: str = "まちづくり審議会 公募委員の募集",
) -> Recruitment:
    now = timezone.now()
    return services.object_create(
        obj=Recruitment(
            council=council,
            title=title,
            seats=3,
            essay_theme="これからの鶴ヶ島市のまちづくりについて",
            essay_min_chars=200,
            essay_max_chars=800,
            starts_at=starts_at or now - dt.timedelta(days=1),
            ends_at=ends_at or now + dt.timedelta(days=20),
            is_published=published,
        ),
        actor="test",
    )


def applicant(**changes) -> services.ApplicantInput:
    data = {
        "name": "𠮷田 花子",
        "name_kana": "よしだ はなこ",
        "birth_date": dt.date(1985, 4, 1),
        "address": "埼玉県鶴ヶ島市大字三ツ木16-1",
        "phone": "049-271-1111",
        "email": "hanako@example.jp",
        "occupation": "会社員",
        "eligibility": "resident",
        "essay": ESSAY,
    }
    data.update(changes)
    return services.ApplicantInput(**data)


def token() -> str:
    return uuid.uuid4().hex


def make_meeting(
    council: Council, number: int = 1, *, held_on: dt.date = dt.date(2024, 4, 25), published=True
) -> Meeting:
    return services.object_create(
        obj=Meeting(
            council=council,
            number=number,
            held_on=held_on,
            place="鶴ヶ島市役所 5階 大会議室",
            agenda="後期基本計画（素案）の審議\n・その他",
            is_published=published,
        ),
        actor="test",
    )


def jst(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=JAPAN)


PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
