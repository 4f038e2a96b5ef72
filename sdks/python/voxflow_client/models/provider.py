from enum import StrEnum


class Provider(StrEnum):
    DEEPL = "deepl"
    GENERIC = "generic"
    LIBRETRANSLATE = "libretranslate"

    def __str__(self) -> str:
        return str(self.value)
