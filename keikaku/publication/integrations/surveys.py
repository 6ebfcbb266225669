"""The citizen survey (surveys.api): an open survey is a call on the participation hub."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from keikaku.publication.integrations._util import api_function
from keikaku.publication.registry import OpenCall, Section, register_call_provider, register_section

register_section(
    Section(
        key="survey",
        title=_("市民意識調査の結果"),
        url_name="survey:results_index",
        description=_("市民意識調査（アンケート）の集計結果"),
        order=82,
        in_header=False,
    )
)


def calls() -> Iterator[OpenCall]:
    fn = api_function("surveys", "waves")
    if fn is None:
        return
    for wave in fn():
        if wave.status != "open":
            continue
        yield OpenCall(
            kind="survey",
            kind_label=str(_("市民意識調査")),
            title=wave.title,
            url=reverse("survey:entry"),
            state="open",
            description=str(
                _(
                    "調査票が届いた方は、調査票に書かれたコードを入力して、インターネットで回答できます。"
                )
            ),
            action_label=str(_("インターネットで回答する")),
        )


register_call_provider("surveys", calls)
