"""Read a demo data file (JSON shipped inside the package) into frozen dataclasses.

The demo texts and numbers live in JSON files next to the code that uses them
(``keikaku/plans/demo/data/measures.json``, ``keikaku/workflow/demo/formulation.json``) and are
found with importlib.resources, so they ship with the package (pyproject's package-data has
``*.json``). ``load(spec, package, *path)`` reads one file and builds the dataclass ``spec``
from it by following the type hints of its fields: a JSON object becomes the dataclass of the
field, an array a tuple, an ISO ``YYYY-MM-DD`` string a ``datetime.date``. Numbers keep their
JSON type (``58.2`` stays a float and ``18000`` an int, exactly as the Python literals were).

A missing key, a key the dataclass does not have, or a value of the wrong type raises
``DemoDataError`` naming the file and the place, e.g.
``measures.json: areas[0].measures[2].indicators[1].unit``. No Django here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import types
import typing
from importlib import resources
from typing import Any

from keikaku.core.domain.i18n import _


class DemoDataError(ValueError):
    """A demo data file that does not fit its dataclasses (the message says where)."""


def load[T](spec: type[T], package: str, *path: str) -> T:
    """The file ``path`` inside ``package`` (e.g. ``"data", "measures.json"``) as a ``spec``."""
    text = resources.files(package).joinpath(*path).read_text(encoding="utf-8")
    return parse(spec, text, "/".join(path))


def parse[T](spec: type[T], text: str, name: str) -> T:
    """The JSON ``text`` of the file ``name`` as a ``spec``."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DemoDataError(
            _(
                "%(file)s: %(line)d 行 %(column)d 列: JSON として読めません（%(error)s）。直してください。"
            )
            % {"file": name, "line": exc.lineno, "column": exc.colno, "error": exc.msg}
        ) from exc
    return build(spec, value, name)


def build[T](spec: type[T], value: object, file: str) -> T:
    """``value`` (parsed JSON) as the dataclass ``spec``; ``file`` starts the error messages."""
    result: T = _convert(spec, value, file)
    return result


def _convert(hint: Any, value: object, where: str) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is types.UnionType or origin is typing.Union:
        if value is None and type(None) in args:
            return None
        (inner,) = [arg for arg in args if arg is not type(None)]
        return _convert(inner, value, where)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        if not isinstance(value, list):
            raise _wrong(where, _("配列 [ … ]"), value)
        return tuple(_convert(args[0], item, f"{where}[{i}]") for i, item in enumerate(value))
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _dataclass(hint, value, where)
    if hint is bool:
        if not isinstance(value, bool):
            raise _wrong(where, _("true か false"), value)
        return value
    if hint is int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise _wrong(where, _("整数"), value)
        return value
    if hint is float:
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise _wrong(where, _("数値"), value)
        return value
    if hint is str:
        if not isinstance(value, str):
            raise _wrong(where, _("文字列"), value)
        return value
    if hint is dt.date:
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise _wrong(where, _("日付（YYYY-MM-DD）"), value)
    raise TypeError(f"{where}: unsupported type hint {hint!r}")  # a programming error


def _dataclass(spec: type[Any], value: object, where: str) -> Any:
    if not isinstance(value, dict):
        raise _wrong(where, _("オブジェクト { … }"), value)
    fields = {field.name: field for field in dataclasses.fields(spec)}
    unknown = [key for key in value if key not in fields]
    if unknown:
        raise DemoDataError(
            _("%(where)s: キー「%(key)s」は使えません。使えるキーは %(keys)s です。")
            % {"where": where, "key": unknown[0], "keys": "、".join(fields)}
        )
    for name, field in fields.items():
        required = (
            field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
        )
        if required and name not in value:
            raise DemoDataError(
                _("%(where)s: キー「%(key)s」がありません。追加してください。")
                % {"where": where, "key": name}
            )
    hints = typing.get_type_hints(spec)
    return spec(
        **{key: _convert(hints[key], item, _child(where, key)) for key, item in value.items()}
    )


def _child(where: str, key: str) -> str:
    """``measures.json: areas``, then ``measures.json: areas[0].measures``."""
    return f"{where}.{key}" if ": " in where else f"{where}: {key}"


def _wrong(where: str, expected: str, value: object) -> DemoDataError:
    shown = json.dumps(value, ensure_ascii=False)
    if len(shown) > 40:
        shown = shown[:40] + "…"
    return DemoDataError(
        _("%(where)s: %(expected)s を書いてください（いまは %(value)s）。")
        % {"where": where, "expected": expected, "value": shown}
    )
