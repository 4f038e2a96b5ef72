from enum import StrEnum


class BrandingAssetKind(StrEnum):
    FAVICON = "favicon"
    LOGO = "logo"

    def __str__(self) -> str:
        return str(self.value)
