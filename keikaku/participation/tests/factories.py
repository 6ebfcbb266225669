"""Builders for participation tests: a published round on the small plan, staff roles."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone

from keikaku.participation import services
from keikaku.participation.models import Channel, PublicCommentRound, Source, TargetKind
from keikaku.plans.tests.factories import SmallPlan, make_small_plan

JST = dt.timezone(dt.timedelta(hours=9))


def make_user(username: str, *perms: str, full_name: str = "職員 太郎"):
    """A staff user with the given participation permissions (codenames)."""
    User = get_user_model()
    last, _, first = full_name.partition(" ")
    user = User.objects.create_user(
        username=username,
        password="pass-for-tests-1",
        is_staff=True,
        last_name=last,
        first_name=first,
    )
    if perms:
        user.user_permissions.add(
            *Permission.objects.filter(content_type__app_label="participation", codename__in=perms)
        )
    return User.objects.get(pk=user.pk)


def make_round(
    plan: SmallPlan | None = None,
    *,
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
    published: bool = True,
    title: str = "後期基本計画（素案）への意見募集",
) -> PublicCommentRound:
    plan = plan or make_small_plan()
    now = timezone.now()
    rnd = services.round_create(
        round=PublicCommentRound(
            title=title,
            edition=plan.edition,
            description="後期基本計画の素案について、ご意見を募集します。",
            starts_at=starts_at or now - dt.timedelta(days=1),
            ends_at=ends_at or now + dt.timedelta(days=29),
            channels=["web", "mail", "fax", "email", "hand"],
            submission_info="〒350-2292 鶴ヶ島市役所 政策推進課（FAX 049-271-1190）",
        ),
        actor="test",
    )
    services.round_draft_from_edition(round=rnd, edition=plan.edition, actor="test")
    if published:
        services.round_publish(round=rnd, actor="test")
    rnd.refresh_from_db()
    return rnd


def comment_input(rnd: PublicCommentRound, text: str, **extra: Any) -> services.OpinionInput:
    paragraph = extra.pop("paragraph", None)
    personal = extra.pop(
        "personal",
        services.PersonalInput(name="鶴ヶ島 太郎", address="埼玉県鶴ヶ島市三ツ木新町一丁目1番1号"),
    )
    return services.OpinionInput(
        source=Source.PUBLIC_COMMENT,
        channel=Channel.WEB_COMMENT,
        text=text,
        round=rnd,
        target_kind=TargetKind.PARAGRAPH if paragraph else TargetKind.WHOLE,
        paragraph=paragraph,
        eligibility=extra.pop("eligibility", "resident"),
        personal=personal,
        **extra,
    )


def submit_comment(rnd: PublicCommentRound, text: str, **extra: Any):
    token = extra.pop("token", uuid.uuid4().hex)
    return services.opinion_submit(data=comment_input(rnd, text, **extra), form_token=token).opinion
