from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.branding_asset_kind import BrandingAssetKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="BrandingAssetView")


@_attrs_define
class BrandingAssetView:
    """A logo or favicon of a configuration.

    Attributes:
        content_type (str): Detected from the bytes: `image/png`, `image/jpeg` or `image/webp`.
        created_at (datetime.datetime):
        height (int):
        id (UUID):
        kind (BrandingAssetKind): The two images a configuration has.
        sha256 (str): Hex SHA-256 of the bytes.
        size_bytes (int):
        width (int):
        deleted_at (datetime.datetime | None | Unset): Set once the image was deleted: resolution then skips it with a
            warning.
        url (None | str | Unset): Its public URL (content-addressed: the same bytes, the same URL); null once deleted.
    """

    content_type: str
    created_at: datetime.datetime
    height: int
    id: UUID
    kind: BrandingAssetKind
    sha256: str
    size_bytes: int
    width: int
    deleted_at: datetime.datetime | None | Unset = UNSET
    url: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        content_type = self.content_type

        created_at = self.created_at.isoformat()

        height = self.height

        id = str(self.id)

        kind = self.kind.value

        sha256 = self.sha256

        size_bytes = self.size_bytes

        width = self.width

        deleted_at: None | str | Unset
        if isinstance(self.deleted_at, Unset):
            deleted_at = UNSET
        elif isinstance(self.deleted_at, datetime.datetime):
            deleted_at = self.deleted_at.isoformat()
        else:
            deleted_at = self.deleted_at

        url: None | str | Unset
        if isinstance(self.url, Unset):
            url = UNSET
        else:
            url = self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "content_type": content_type,
                "created_at": created_at,
                "height": height,
                "id": id,
                "kind": kind,
                "sha256": sha256,
                "size_bytes": size_bytes,
                "width": width,
            }
        )
        if deleted_at is not UNSET:
            field_dict["deleted_at"] = deleted_at
        if url is not UNSET:
            field_dict["url"] = url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        content_type = d.pop("content_type")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        height = d.pop("height")

        id = UUID(d.pop("id"))

        kind = BrandingAssetKind(d.pop("kind"))

        sha256 = d.pop("sha256")

        size_bytes = d.pop("size_bytes")

        width = d.pop("width")

        def _parse_deleted_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                deleted_at_type_0 = datetime.datetime.fromisoformat(data)

                return deleted_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        deleted_at = _parse_deleted_at(d.pop("deleted_at", UNSET))

        def _parse_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        url = _parse_url(d.pop("url", UNSET))

        branding_asset_view = cls(
            content_type=content_type,
            created_at=created_at,
            height=height,
            id=id,
            kind=kind,
            sha256=sha256,
            size_bytes=size_bytes,
            width=width,
            deleted_at=deleted_at,
            url=url,
        )

        branding_asset_view.additional_properties = d
        return branding_asset_view

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
