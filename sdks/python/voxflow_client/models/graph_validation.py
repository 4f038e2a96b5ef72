from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.graph import Graph
    from ..models.plan import Plan


T = TypeVar("T", bound="GraphValidation")


@_attrs_define
class GraphValidation:
    """
    Attributes:
        graph (Graph): A graph in Voxflow's normal form.
        plan (Plan): What a valid graph means for a job.
        resolved (Graph): A graph in Voxflow's normal form.
        valid (bool): Always true (an invalid graph answers 422 with every problem in `errors`).
    """

    graph: Graph
    plan: Plan
    resolved: Graph
    valid: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        graph = self.graph.to_dict()

        plan = self.plan.to_dict()

        resolved = self.resolved.to_dict()

        valid = self.valid

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "graph": graph,
                "plan": plan,
                "resolved": resolved,
                "valid": valid,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.graph import Graph  # noqa: PLC0415
        from ..models.plan import Plan  # noqa: PLC0415

        d = dict(src_dict)
        graph = Graph.from_dict(d.pop("graph"))

        plan = Plan.from_dict(d.pop("plan"))

        resolved = Graph.from_dict(d.pop("resolved"))

        valid = d.pop("valid")

        graph_validation = cls(
            graph=graph,
            plan=plan,
            resolved=resolved,
            valid=valid,
        )

        graph_validation.additional_properties = d
        return graph_validation

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
