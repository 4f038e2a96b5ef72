from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.language_pair_view import LanguagePairView


T = TypeVar("T", bound="EngineLanguagesView")


@_attrs_define
class EngineLanguagesView:
    """What an engine translates, in its own codes.

    Attributes:
        engine (str): `apertium`, or the engine's id.
        kind (str): `apertium`, `libretranslate` or `deepl`.
        pairs (list[LanguagePairView]): Every direction offered.
        sources (list[str]): Distinct sources and targets of `pairs`.
        targets (list[str]):
    """

    engine: str
    kind: str
    pairs: list[LanguagePairView]
    sources: list[str]
    targets: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        engine = self.engine

        kind = self.kind

        pairs = []
        for pairs_item_data in self.pairs:
            pairs_item = pairs_item_data.to_dict()
            pairs.append(pairs_item)

        sources = self.sources

        targets = self.targets

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "engine": engine,
                "kind": kind,
                "pairs": pairs,
                "sources": sources,
                "targets": targets,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.language_pair_view import LanguagePairView  # noqa: PLC0415

        d = dict(src_dict)
        engine = d.pop("engine")

        kind = d.pop("kind")

        pairs = []
        _pairs = d.pop("pairs")
        for pairs_item_data in _pairs:
            pairs_item = LanguagePairView.from_dict(pairs_item_data)

            pairs.append(pairs_item)

        sources = cast(list[str], d.pop("sources"))

        targets = cast(list[str], d.pop("targets"))

        engine_languages_view = cls(
            engine=engine,
            kind=kind,
            pairs=pairs,
            sources=sources,
            targets=targets,
        )

        engine_languages_view.additional_properties = d
        return engine_languages_view

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
