from enum import StrEnum


class ReportScope(StrEnum):
    PLATFORM = "platform"
    RESELLER = "reseller"
    TENANT = "tenant"

    def __str__(self) -> str:
        return str(self.value)
