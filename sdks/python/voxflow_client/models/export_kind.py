from enum import StrEnum


class ExportKind(StrEnum):
    TENANT = "tenant"
    USER = "user"

    def __str__(self) -> str:
        return str(self.value)
