from enum import StrEnum


class Grouping(StrEnum):
    NODE_KIND = "node_kind"
    RESOURCE = "resource"
    TENANT = "tenant"

    def __str__(self) -> str:
        return str(self.value)
