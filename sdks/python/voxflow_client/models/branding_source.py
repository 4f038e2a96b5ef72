from enum import StrEnum


class BrandingSource(StrEnum):
    DEFAULT = "default"
    PLATFORM = "platform"
    RESELLER = "reseller"
    TENANT = "tenant"

    def __str__(self) -> str:
        return str(self.value)
