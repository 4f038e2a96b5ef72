from enum import StrEnum


class EngineKind(StrEnum):
    DEEPL = "deepl"
    LIBRETRANSLATE = "libretranslate"

    def __str__(self) -> str:
        return str(self.value)
