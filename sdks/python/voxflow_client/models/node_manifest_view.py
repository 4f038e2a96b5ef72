from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.availability import Availability
    from ..models.node_manifest_view_params_schema import NodeManifestViewParamsSchema
    from ..models.port_view import PortView
    from ..models.preset_ref import PresetRef


T = TypeVar("T", bound="NodeManifestView")


@_attrs_define
class NodeManifestView:
    """What a node kind is, takes, produces and accepts as parameters.

    Attributes:
        category (str):
        description (str):
        inputs (list[PortView]):
        kind (str): Stable identifier, e.g. `whisper.transcribe`.
        label (str):
        outputs (list[PortView]):
        params_schema (NodeManifestViewParamsSchema): JSON Schema (draft 2020-12) of the `params` object, with defaults
            and `x-ui` hints.
        version (str): Semantic version of the node's contract.
        availability (Availability | None | Unset):
        presets (list[PresetRef] | None | Unset): The node presets of this kind the caller may name in a graph node's
            `preset` (oldest
            first; with `presets:read`). Absent in `voxflow nodes --json` and without that
            permission.
    """

    category: str
    description: str
    inputs: list[PortView]
    kind: str
    label: str
    outputs: list[PortView]
    params_schema: NodeManifestViewParamsSchema
    version: str
    availability: Availability | None | Unset = UNSET
    presets: list[PresetRef] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.availability import Availability  # noqa: PLC0415

        category = self.category

        description = self.description

        inputs = []
        for inputs_item_data in self.inputs:
            inputs_item = inputs_item_data.to_dict()
            inputs.append(inputs_item)

        kind = self.kind

        label = self.label

        outputs = []
        for outputs_item_data in self.outputs:
            outputs_item = outputs_item_data.to_dict()
            outputs.append(outputs_item)

        params_schema = self.params_schema.to_dict()

        version = self.version

        availability: dict[str, Any] | None | Unset
        if isinstance(self.availability, Unset):
            availability = UNSET
        elif isinstance(self.availability, Availability):
            availability = self.availability.to_dict()
        else:
            availability = self.availability

        presets: list[dict[str, Any]] | None | Unset
        if isinstance(self.presets, Unset):
            presets = UNSET
        elif isinstance(self.presets, list):
            presets = []
            for presets_type_0_item_data in self.presets:
                presets_type_0_item = presets_type_0_item_data.to_dict()
                presets.append(presets_type_0_item)

        else:
            presets = self.presets

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "category": category,
                "description": description,
                "inputs": inputs,
                "kind": kind,
                "label": label,
                "outputs": outputs,
                "params_schema": params_schema,
                "version": version,
            }
        )
        if availability is not UNSET:
            field_dict["availability"] = availability
        if presets is not UNSET:
            field_dict["presets"] = presets

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.availability import Availability  # noqa: PLC0415
        from ..models.node_manifest_view_params_schema import NodeManifestViewParamsSchema  # noqa: PLC0415
        from ..models.port_view import PortView  # noqa: PLC0415
        from ..models.preset_ref import PresetRef  # noqa: PLC0415

        d = dict(src_dict)
        category = d.pop("category")

        description = d.pop("description")

        inputs = []
        _inputs = d.pop("inputs")
        for inputs_item_data in _inputs:
            inputs_item = PortView.from_dict(inputs_item_data)

            inputs.append(inputs_item)

        kind = d.pop("kind")

        label = d.pop("label")

        outputs = []
        _outputs = d.pop("outputs")
        for outputs_item_data in _outputs:
            outputs_item = PortView.from_dict(outputs_item_data)

            outputs.append(outputs_item)

        params_schema = NodeManifestViewParamsSchema.from_dict(d.pop("params_schema"))

        version = d.pop("version")

        def _parse_availability(data: object) -> Availability | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                availability_type_0 = Availability.from_dict(data)

                return availability_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Availability | None | Unset, data)

        availability = _parse_availability(d.pop("availability", UNSET))

        def _parse_presets(data: object) -> list[PresetRef] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                presets_type_0 = []
                _presets_type_0 = data
                for presets_type_0_item_data in _presets_type_0:
                    presets_type_0_item = PresetRef.from_dict(presets_type_0_item_data)

                    presets_type_0.append(presets_type_0_item)

                return presets_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[PresetRef] | None | Unset, data)

        presets = _parse_presets(d.pop("presets", UNSET))

        node_manifest_view = cls(
            category=category,
            description=description,
            inputs=inputs,
            kind=kind,
            label=label,
            outputs=outputs,
            params_schema=params_schema,
            version=version,
            availability=availability,
            presets=presets,
        )

        node_manifest_view.additional_properties = d
        return node_manifest_view

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
