//! Multipart bodies with bounds, for every multipart route (`POST /v1/files`, the OpenAI
//! transcription and translation routes).
//!
//! actix-multipart on its own bounds nothing: a body may have any number of parts, and its
//! parser buffers a preamble without line breaks, or a part's headers, whole in memory.
//! [`Form`] caps the number of parts (`max_form_fields`, the file included), each text field
//! ([`MAX_FIELD_BYTES`]) and all of them together ([`MAX_TEXT_BYTES`]), the whole body (the
//! file limit plus room for the rest), and the bytes the parser holds without handing them
//! out between parts ([`MAX_UNPARSED`]: a preamble, a part's headers), so one request's
//! memory stays small whatever it sends. Read every part through [`Form::chunk`] or [`Form::text`]: they
//! tell the guard where the parser is.

use actix_multipart::{Field, Multipart, MultipartError};
use actix_web::error::PayloadError;
use actix_web::web::{self, Bytes};
use actix_web::HttpRequest;
use futures_util::StreamExt;
use std::cell::Cell;
use std::rc::Rc;

/// Largest text (non-file) field.
pub const MAX_FIELD_BYTES: usize = 64 * 1024;
/// All text fields of one form together.
pub const MAX_TEXT_BYTES: usize = 256 * 1024;
/// Room per part for its headers and boundary.
pub const PART_OVERHEAD: u64 = 4 * 1024;
/// Bytes the parser may hold before it hands them out (a preamble, a part's headers).
pub const MAX_UNPARSED: u64 = 256 * 1024;

/// Why a form was refused.
#[derive(Debug)]
pub enum FormError {
    /// More parts than `max_form_fields`.
    TooManyFields(usize),
    /// The body, or its text fields together, exceed a limit (the detail says which).
    TooLarge(String),
    /// One text field is over [`MAX_FIELD_BYTES`]; the field's name.
    FieldTooLong(String),
    /// Not a readable multipart body.
    Multipart(MultipartError),
}

impl FormError {
    pub fn detail(&self) -> String {
        match self {
            FormError::TooManyFields(max) => {
                format!("The form has more than {max} fields")
            }
            FormError::TooLarge(detail) => detail.clone(),
            FormError::FieldTooLong(name) => {
                format!("The field `{name}` is longer than {MAX_FIELD_BYTES} bytes")
            }
            FormError::Multipart(e) => format!("The multipart body could not be read: {e}"),
        }
    }
}

#[derive(Default)]
struct Counters {
    /// Bytes the body stream delivered to the parser.
    delivered: Cell<u64>,
    /// Parts handed out.
    parts: Cell<u64>,
    /// Whether the handler is reading a part's content (the parser streams it out then).
    in_field: Cell<bool>,
    /// `delivered` when the last part ended (or at the start).
    mark: Cell<u64>,
    /// Set when the stream was cut, with the reason.
    tripped: Cell<Option<&'static str>>,
}

/// A multipart body being read, within limits.
pub struct Form {
    inner: Multipart,
    counters: Rc<Counters>,
    max_fields: usize,
    text_bytes: usize,
}

impl Form {
    /// `max_file_bytes`: the most the form's file may hold (the whole body may hold that
    /// plus the text fields and each part's headers).
    pub fn new(
        req: &HttpRequest,
        payload: web::Payload,
        max_fields: usize,
        max_file_bytes: u64,
    ) -> Self {
        let counters = Rc::new(Counters::default());
        let total = max_file_bytes
            .saturating_add(MAX_TEXT_BYTES as u64)
            .saturating_add((max_fields as u64 + 1).saturating_mul(PART_OVERHEAD));
        let c = counters.clone();
        let stream = payload.map(move |chunk| {
            let chunk = chunk?;
            let before = c.delivered.get();
            let delivered = before + chunk.len() as u64;
            c.delivered.set(delivered);
            if delivered > total {
                c.tripped.set(Some(
                    "The request body is larger than the upload limit allows",
                ));
                return Err(PayloadError::Overflow);
            }
            // Between parts the parser hands nothing out: what it reads then is a preamble or
            // part headers, and it buffers them whole. Only what it held before this chunk
            // counts: one chunk off the socket may carry a part's headers and the start of its
            // content together (a fast client's first read can exceed the bound on its own),
            // and the parser holds at most the bound plus one chunk.
            if !c.in_field.get() && before.saturating_sub(c.mark.get()) > MAX_UNPARSED {
                c.tripped.set(Some(
                    "The multipart body has a preamble or part headers that are too long",
                ));
                return Err(PayloadError::Overflow);
            }
            Ok(chunk)
        });
        Form {
            inner: Multipart::new(req.headers(), stream),
            counters,
            max_fields,
            text_bytes: 0,
        }
    }

    fn error(&self, e: MultipartError) -> FormError {
        match (self.counters.tripped.get(), &e) {
            (Some(reason), MultipartError::Payload(_)) => FormError::TooLarge(reason.to_string()),
            _ => FormError::Multipart(e),
        }
    }

    /// The next part, counted against `max_form_fields`.
    pub async fn next_field(&mut self) -> Option<Result<Field, FormError>> {
        let item = self.inner.next().await?;
        Some(match item {
            Ok(field) => {
                let parts = self.counters.parts.get() + 1;
                self.counters.parts.set(parts);
                self.counters.in_field.set(true);
                if parts > self.max_fields as u64 {
                    Err(FormError::TooManyFields(self.max_fields))
                } else {
                    Ok(field)
                }
            }
            Err(e) => Err(self.error(e)),
        })
    }

    /// The next chunk of `field`'s content.
    pub async fn chunk(&self, field: &mut Field) -> Option<Result<Bytes, FormError>> {
        let Some(item) = field.next().await else {
            let c = &self.counters;
            c.in_field.set(false);
            c.mark.set(c.delivered.get());
            return None;
        };
        Some(match item {
            Ok(bytes) => Ok(bytes),
            Err(e) => Err(self.error(e)),
        })
    }

    /// A whole text field, within [`MAX_FIELD_BYTES`] and [`MAX_TEXT_BYTES`].
    pub async fn text(&mut self, field: &mut Field) -> Result<Vec<u8>, FormError> {
        let mut value = Vec::new();
        while let Some(chunk) = self.chunk(field).await {
            let chunk = chunk?;
            if value.len() + chunk.len() > MAX_FIELD_BYTES {
                return Err(FormError::FieldTooLong(
                    field.name().unwrap_or_default().to_string(),
                ));
            }
            self.text_bytes += chunk.len();
            if self.text_bytes > MAX_TEXT_BYTES {
                return Err(FormError::TooLarge(format!(
                    "The form's text fields hold more than {MAX_TEXT_BYTES} bytes"
                )));
            }
            value.extend_from_slice(&chunk);
        }
        Ok(value)
    }
}

/// The request's `Content-Length`, if it sent one.
pub fn content_length(req: &HttpRequest) -> Option<u64> {
    req.headers()
        .get(actix_web::http::header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}
