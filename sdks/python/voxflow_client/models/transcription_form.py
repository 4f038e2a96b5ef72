from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import types
from ..models.timestamp_granularity import TimestampGranularity
from ..types import UNSET, File, Unset

T = TypeVar("T", bound="TranscriptionForm")


@_attrs_define
class TranscriptionForm:
    """Multipart schema for the OpenAPI document.

    Attributes:
        file (File): The audio file: WAV, MP3, FLAC, OGG (Vorbis, Opus), M4A/AAC or WebM (Opus, Vorbis), e.g. a browser
            recording.
        model (str): A catalog name (`tiny.en`, `base`, `base-q8_0`, …); `whisper-1` means the default model.
        language (str | Unset): ISO 639-1 code; omit to detect. Ignored by translations.
        prompt (str | Unset): Text to condition the model (names, spelling).
        response_format (str | Unset): `json` (default), `text`, `srt`, `verbose_json` or `vtt`.
        temperature (float | Unset): 0 to 1; higher falls back more randomly.
        timestamp_granularities (list[TimestampGranularity] | Unset): `word` and/or `segment` (with `verbose_json`).
        vad (str | Unset): Voxflow extension: `true` (or `1`) runs Silero VAD first and transcribes only the
            speech; `false` (or `0`, the default) does not. A form field is text.
    """

    file: File
    model: str
    language: str | Unset = UNSET
    prompt: str | Unset = UNSET
    response_format: str | Unset = UNSET
    temperature: float | Unset = UNSET
    timestamp_granularities: list[TimestampGranularity] | Unset = UNSET
    vad: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        file = self.file.to_tuple()

        model = self.model

        language = self.language

        prompt = self.prompt

        response_format = self.response_format

        temperature = self.temperature

        timestamp_granularities: list[str] | Unset = UNSET
        if not isinstance(self.timestamp_granularities, Unset):
            timestamp_granularities = []
            for timestamp_granularities_item_data in self.timestamp_granularities:
                timestamp_granularities_item = timestamp_granularities_item_data.value
                timestamp_granularities.append(timestamp_granularities_item)

        vad = self.vad

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "file": file,
                "model": model,
            }
        )
        if language is not UNSET:
            field_dict["language"] = language
        if prompt is not UNSET:
            field_dict["prompt"] = prompt
        if response_format is not UNSET:
            field_dict["response_format"] = response_format
        if temperature is not UNSET:
            field_dict["temperature"] = temperature
        if timestamp_granularities is not UNSET:
            field_dict["timestamp_granularities[]"] = timestamp_granularities
        if vad is not UNSET:
            field_dict["vad"] = vad

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("file", self.file.to_tuple()))

        files.append(("model", (None, str(self.model).encode(), "text/plain")))

        if not isinstance(self.language, Unset):
            files.append(("language", (None, str(self.language).encode(), "text/plain")))

        if not isinstance(self.prompt, Unset):
            files.append(("prompt", (None, str(self.prompt).encode(), "text/plain")))

        if not isinstance(self.response_format, Unset):
            files.append(("response_format", (None, str(self.response_format).encode(), "text/plain")))

        if not isinstance(self.temperature, Unset):
            files.append(("temperature", (None, str(self.temperature).encode(), "text/plain")))

        if not isinstance(self.timestamp_granularities, Unset):
            for timestamp_granularities_item_element in self.timestamp_granularities:
                files.append(
                    (
                        "timestamp_granularities[]",
                        (None, str(timestamp_granularities_item_element.value).encode(), "text/plain"),
                    )
                )

        if not isinstance(self.vad, Unset):
            files.append(("vad", (None, str(self.vad).encode(), "text/plain")))

        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        file = File(payload=BytesIO(d.pop("file")))

        model = d.pop("model")

        language = d.pop("language", UNSET)

        prompt = d.pop("prompt", UNSET)

        response_format = d.pop("response_format", UNSET)

        temperature = d.pop("temperature", UNSET)

        _timestamp_granularities = d.pop("timestamp_granularities[]", UNSET)
        timestamp_granularities: list[TimestampGranularity] | Unset = UNSET
        if _timestamp_granularities is not UNSET:
            timestamp_granularities = []
            for timestamp_granularities_item_data in _timestamp_granularities:
                timestamp_granularities_item = TimestampGranularity(timestamp_granularities_item_data)

                timestamp_granularities.append(timestamp_granularities_item)

        vad = d.pop("vad", UNSET)

        transcription_form = cls(
            file=file,
            model=model,
            language=language,
            prompt=prompt,
            response_format=response_format,
            temperature=temperature,
            timestamp_granularities=timestamp_granularities,
            vad=vad,
        )

        transcription_form.additional_properties = d
        return transcription_form

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
