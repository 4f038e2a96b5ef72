from enum import StrEnum


class TemplateStatus(StrEnum):
    DEPRECATED = "deprecated"
    DRAFT = "draft"
    PUBLISHED = "published"

    def __str__(self) -> str:
        return str(self.value)
