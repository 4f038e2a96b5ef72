//! `/v1/branding`: branding with inheritance (issue 12, §3; docs/branding.md).
//!
//! - **Resolution**: `GET /v1/branding` (the caller's tenant, reseller or the platform) and
//!   `GET /v1/branding/public?host=` (no credential: a login page's host, else the request's
//!   `Host`) answer every field merged tenant → reseller → platform → built-in default, with
//!   `sources` and `warnings` (`crate::branding`). Both carry a strong ETag and answer `304`
//!   to `If-None-Match`, from the process's cache without a database trip. An unknown host
//!   gets the platform's branding, never a 404, and the public answer holds nothing but
//!   branding.
//! - **Configurations** (`branding:read` / `branding:write`): one per owner. Platform admins
//!   manage every one (the platform default included), reseller admins their reseller's and
//!   their tenants', tenant admins their own tenant's when the plan's `tenant_branding` is not
//!   `false` (`403 not_in_plan`). Anything else is missing (`404 branding_not_found`).
//! - **Assets**: `PUT …/assets/{logo|favicon}` takes a PNG, JPEG or WebP (by its bytes) within
//!   the kind's byte and pixel limits; `GET /v1/branding/assets/{sha256}.{ext}` serves it to
//!   anyone, immutable. Deleting one leaves the configuration pointing at it: resolution falls
//!   back with a warning until a new one is uploaded or `PATCH {"logo": null}` inherits again.
//!
//! Every change is audited and empties the branding caches (every process's, on PostgreSQL).

use super::files::{form_error, NOSNIFF};
use super::multipart::Form;
use super::{list_view, ReadErrors, Validator, WriteErrors};
use crate::app::AppState;
use crate::audit::{self, Actor, Event};
use crate::auth::{Action, Authed};
use crate::branding::cache::Rendered;
use crate::branding::image::{self, ImageError};
use crate::branding::{self, host, ResolvedBrandingView, Subject, COLOR_NAMES};
use crate::error::{ApiError, Code, Problem};
use crate::store::repo::branding::{
    self as repo, AssetMeta, BrandingChanges, BrandingRow, NewAsset, Owner,
};
use crate::store::repo::{resellers, tenants};
use crate::store::{self, DbConn, StoreError};
use crate::tenancy::Scope;
use actix_web::http::header;
use actix_web::{delete, get, patch, post, put, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Whose configuration it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BrandingLevel {
    /// The platform default, under every reseller and tenant.
    Platform,
    Reseller,
    Tenant,
}

impl BrandingLevel {
    fn as_str(self) -> &'static str {
        match self {
            BrandingLevel::Platform => "platform",
            BrandingLevel::Reseller => "reseller",
            BrandingLevel::Tenant => "tenant",
        }
    }

    fn parse(s: &str) -> BrandingLevel {
        match s {
            "reseller" => BrandingLevel::Reseller,
            "tenant" => BrandingLevel::Tenant,
            _ => BrandingLevel::Platform,
        }
    }
}

/// The two images a configuration has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BrandingAssetKind {
    /// At most 2048×2048 pixels and 1 MiB.
    Logo,
    /// At most 512×512 pixels and 256 KiB.
    Favicon,
}

impl BrandingAssetKind {
    fn as_str(self) -> &'static str {
        match self {
            BrandingAssetKind::Logo => "logo",
            BrandingAssetKind::Favicon => "favicon",
        }
    }

    fn max_bytes(self) -> u64 {
        match self {
            BrandingAssetKind::Logo => branding::LOGO_MAX_BYTES,
            BrandingAssetKind::Favicon => branding::FAVICON_MAX_BYTES,
        }
    }

    fn max_side(self) -> u32 {
        match self {
            BrandingAssetKind::Logo => branding::LOGO_MAX_SIDE,
            BrandingAssetKind::Favicon => branding::FAVICON_MAX_SIDE,
        }
    }

    fn slot(self, row: &BrandingRow) -> &Option<String> {
        match self {
            BrandingAssetKind::Logo => &row.logo_asset_id,
            BrandingAssetKind::Favicon => &row.favicon_asset_id,
        }
    }

    fn set(self, changes: &mut BrandingChanges, id: Option<String>) {
        match self {
            BrandingAssetKind::Logo => changes.logo_asset_id = Some(id),
            BrandingAssetKind::Favicon => changes.favicon_asset_id = Some(id),
        }
    }
}

/// A logo or favicon of a configuration.
#[derive(Debug, Serialize, ToSchema)]
pub struct BrandingAssetView {
    pub id: Uuid,
    pub kind: BrandingAssetKind,
    /// Its public URL (content-addressed: the same bytes, the same URL); null once deleted.
    pub url: Option<String>,
    /// Detected from the bytes: `image/png`, `image/jpeg` or `image/webp`.
    pub content_type: String,
    pub width: i32,
    pub height: i32,
    pub size_bytes: i32,
    /// Hex SHA-256 of the bytes.
    pub sha256: String,
    pub created_at: DateTime<Utc>,
    /// Set once the image was deleted: resolution then skips it with a warning.
    pub deleted_at: Option<DateTime<Utc>>,
}

impl From<&AssetMeta> for BrandingAssetView {
    fn from(a: &AssetMeta) -> Self {
        BrandingAssetView {
            id: super::parse_uuid(&a.id),
            kind: if a.kind == "favicon" {
                BrandingAssetKind::Favicon
            } else {
                BrandingAssetKind::Logo
            },
            url: a.deleted_at.is_none().then(|| branding::asset_url(a)),
            content_type: a.content_type.clone(),
            width: a.width,
            height: a.height,
            size_bytes: a.size_bytes,
            sha256: a.sha256.clone(),
            created_at: super::utc(a.created_at),
            deleted_at: a.deleted_at.map(super::utc),
        }
    }
}

/// A configuration's own colours (`#rrggbb`); null inherits.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct BrandingColorsView {
    pub primary: Option<String>,
    pub secondary: Option<String>,
    pub accent: Option<String>,
    pub background: Option<String>,
    pub text: Option<String>,
}

/// One level's configuration as stored: every null field inherits from the level above.
#[derive(Debug, Serialize, ToSchema)]
pub struct BrandingConfigurationView {
    pub id: Uuid,
    pub level: BrandingLevel,
    /// The reseller, for a reseller's configuration.
    pub reseller_id: Option<Uuid>,
    /// The tenant, for a tenant's configuration.
    pub tenant_id: Option<Uuid>,
    pub product_name: Option<String>,
    pub logo: Option<BrandingAssetView>,
    pub favicon: Option<BrandingAssetView>,
    pub colors: BrandingColorsView,
    pub support_email: Option<String>,
    pub support_url: Option<String>,
    /// The display name of emails sent for this owner.
    pub email_sender_name: Option<String>,
    /// Whether to show "Powered by Voxflow".
    pub powered_by: Option<bool>,
    /// A host name of its own whose login page shows this branding (unique).
    #[schema(example = "login.acme.com")]
    pub custom_domain: Option<String>,
    /// `<subdomain>.<VOXFLOW_BRANDING_BASE_DOMAIN>` shows this branding (unique).
    #[schema(example = "acme")]
    pub subdomain: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

list_view!(BrandingConfigurationList, BrandingConfigurationView);

/// Colours to set: `#rgb` or `#rrggbb`; null unsets one (it inherits again).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BrandingColorsRequest {
    #[serde(default, deserialize_with = "super::double_option")]
    #[schema(value_type = Option<String>, example = "#4f46e5", pattern = r"^\s*#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})\s*$")]
    pub primary: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::double_option")]
    #[schema(value_type = Option<String>, pattern = r"^\s*#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})\s*$")]
    pub secondary: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::double_option")]
    #[schema(value_type = Option<String>, pattern = r"^\s*#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})\s*$")]
    pub accent: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::double_option")]
    #[schema(value_type = Option<String>, pattern = r"^\s*#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})\s*$")]
    pub background: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::double_option")]
    #[schema(value_type = Option<String>, pattern = r"^\s*#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})\s*$")]
    pub text: Option<Option<String>>,
}

impl BrandingColorsRequest {
    fn entries(&self) -> [(&'static str, &Option<Option<String>>); 5] {
        [
            ("primary", &self.primary),
            ("secondary", &self.secondary),
            ("accent", &self.accent),
            ("background", &self.background),
            ("text", &self.text),
        ]
    }
}

/// A new configuration. Its owner: `tenant_id` (platform admins: any tenant; reseller
/// admins: theirs; tenant admins: their own), `reseller_id` (platform admins; reseller
/// admins: their own), or neither — the caller's own level (the platform default for a
/// platform admin, the reseller for a reseller admin, the tenant for a tenant admin).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateBrandingRequest {
    pub tenant_id: Option<Uuid>,
    pub reseller_id: Option<Uuid>,
    #[schema(
        example = "Acme Speech",
        min_length = 1,
        max_length = 100,
        pattern = r"^\s*[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*\s*$"
    )]
    pub product_name: Option<String>,
    pub colors: Option<BrandingColorsRequest>,
    #[schema(
        pattern = r"^\s*[^@\s\x00-\x1f\x7f-\x9f]+@[^@\s\x00-\x1f\x7f-\x9f.][^@\s\x00-\x1f\x7f-\x9f]*\.[^@\s\x00-\x1f\x7f-\x9f]*[^@\s\x00-\x1f\x7f-\x9f.]\s*$",
        max_length = 254
    )]
    pub support_email: Option<String>,
    /// An http(s) URL.
    #[schema(
        pattern = r"^\s*https?://[^/\s\x00-\x1f\x7f-\x9f][^\s\x00-\x1f\x7f-\x9f]*\s*$",
        max_length = 2000
    )]
    pub support_url: Option<String>,
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r#"^\s*[^\x00-\x1f\x7f-\x9f<>"@]*[^\s\x00-\x1f\x7f-\x9f<>"@][^\x00-\x1f\x7f-\x9f<>"@]*\s*$"#
    )]
    pub email_sender_name: Option<String>,
    pub powered_by: Option<bool>,
    /// A host name (not under `VOXFLOW_BRANDING_BASE_DOMAIN`), unique.
    #[schema(
        pattern = r"^\s*([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.*\s*$",
        max_length = 253
    )]
    pub custom_domain: Option<String>,
    /// One DNS label, unique; used with `VOXFLOW_BRANDING_BASE_DOMAIN`.
    #[schema(pattern = r"^\s*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\s*$")]
    pub subdomain: Option<String>,
}

/// Changes: a field left out stays; `null` unsets it (it inherits again).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateBrandingRequest {
    #[serde(default, deserialize_with = "super::double_option")]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 100, pattern = r"^\s*[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*\s*$")]
    pub product_name: Option<Option<String>>,
    /// Only `null`: forget the logo (inherit). Upload one with `PUT …/assets/logo`.
    #[serde(default, deserialize_with = "super::double_option")]
    #[schema(value_type = Option<String>)]
    pub logo: Option<Option<String>>,
    /// Only `null`: forget the favicon (inherit).
    #[serde(default, deserialize_with = "super::double_option")]
    #[schema(value_type = Option<String>)]
    pub favicon: Option<Option<String>>,
    /// Each colour given is set (or, `null`, unset); the others stay.
    pub colors: Option<BrandingColorsRequest>,
    #[serde(default, deserialize_with = "super::double_option")]
    #[schema(value_type = Option<String>, pattern = r"^\s*[^@\s\x00-\x1f\x7f-\x9f]+@[^@\s\x00-\x1f\x7f-\x9f.][^@\s\x00-\x1f\x7f-\x9f]*\.[^@\s\x00-\x1f\x7f-\x9f]*[^@\s\x00-\x1f\x7f-\x9f.]\s*$", max_length = 254)]
    pub support_email: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::double_option")]
    #[schema(value_type = Option<String>, pattern = r"^\s*https?://[^/\s\x00-\x1f\x7f-\x9f][^\s\x00-\x1f\x7f-\x9f]*\s*$", max_length = 2000)]
    pub support_url: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::double_option")]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 100, pattern = r#"^\s*[^\x00-\x1f\x7f-\x9f<>"@]*[^\s\x00-\x1f\x7f-\x9f<>"@][^\x00-\x1f\x7f-\x9f<>"@]*\s*$"#)]
    pub email_sender_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::double_option")]
    #[schema(value_type = Option<bool>)]
    pub powered_by: Option<Option<bool>>,
    #[serde(default, deserialize_with = "super::double_option")]
    #[schema(value_type = Option<String>, pattern = r"^\s*([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.*\s*$", max_length = 253)]
    pub custom_domain: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::double_option")]
    #[schema(value_type = Option<String>, pattern = r"^\s*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\s*$")]
    pub subdomain: Option<Option<String>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BrandingListQuery {
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    #[param(pattern = r"^[A-Za-z0-9_-]{48}$")]
    pub cursor: Option<String>,
    /// Only configurations of this level.
    pub level: Option<BrandingLevel>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PublicBrandingQuery {
    /// The login page's host name (default: the request's `Host` header); a port is ignored.
    #[param(example = "login.acme.com")]
    pub host: Option<String>,
}

/// Multipart schema for the OpenAPI document.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct BrandingAssetForm {
    /// A PNG, JPEG or WebP image (recognised by its bytes; SVG is refused).
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// An image's bytes.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)]
pub struct BrandingAssetContent(Vec<u8>);

/// Errors an asset upload can answer with, besides the usual ones.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub enum AssetUploadErrors {
    /// Over the kind's byte limit (`image_too_large`), or `max_form_fields` parts.
    #[response(status = 413, content_type = "application/problem+json")]
    TooLarge(Problem),
    /// Not multipart/form-data, or not PNG, JPEG or WebP (`image_not_supported`; SVG too).
    #[response(status = 415, content_type = "application/problem+json")]
    NotSupported(Problem),
}

/// The field values of a create or update, checked and in normal form.
#[derive(Default)]
struct Fields {
    product_name: Option<Option<String>>,
    colors: Vec<(&'static str, Option<String>)>,
    support_email: Option<Option<String>>,
    support_url: Option<Option<String>>,
    email_sender_name: Option<Option<String>>,
    powered_by: Option<Option<bool>>,
    custom_domain: Option<Option<String>>,
    subdomain: Option<Option<String>>,
}

fn no_controls(s: &str) -> bool {
    !s.chars().any(char::is_control)
}

impl Fields {
    fn check(&mut self, v: &mut Validator, colors: Option<&BrandingColorsRequest>, base: &str) {
        if let Some(Some(n)) = &mut self.product_name {
            *n = n.trim().to_string();
            v.text("product_name", n, 100);
            v.check(
                no_controls(n),
                "product_name",
                "must not hold control characters",
            );
        }
        if let Some(Some(n)) = &mut self.email_sender_name {
            *n = n.trim().to_string();
            v.text("email_sender_name", n, 100);
            v.check(
                no_controls(n) && !n.contains(['<', '>', '"', '@']),
                "email_sender_name",
                "must not hold control characters, <, >, \" or @",
            );
        }
        if let Some(Some(e)) = &mut self.support_email {
            *e = e.trim().to_string();
            v.email("support_email", e);
        }
        if let Some(Some(u)) = &mut self.support_url {
            *u = u.trim().to_string();
            v.check(
                branding::is_http_url(u),
                "support_url",
                "must be an http(s) URL of at most 2000 characters",
            );
        }
        if let Some(Some(d)) = &mut self.custom_domain {
            match host::parse_custom_domain(d, base) {
                Ok(n) => *d = n,
                Err(why) => v.push("custom_domain", why),
            }
        }
        if let Some(Some(s)) = &mut self.subdomain {
            match host::parse_subdomain(s) {
                Ok(n) => *s = n,
                Err(why) => v.push("subdomain", why),
            }
        }
        for (name, value) in colors.map(|c| c.entries()).into_iter().flatten() {
            match value {
                None => {}
                Some(None) => self.colors.push((name, None)),
                Some(Some(s)) => match branding::parse_color(s) {
                    Some(c) => self.colors.push((name, Some(c))),
                    None => v.push(&format!("colors/{name}"), "must be #rgb or #rrggbb"),
                },
            }
        }
    }

    /// The changes to write, with the colours merged into `stored`.
    fn changes(self, stored: &str) -> Result<BrandingChanges, ApiError> {
        let colors = if self.colors.is_empty() {
            None
        } else {
            let mut map: BTreeMap<String, serde_json::Value> =
                serde_json::from_str(stored).unwrap_or_default();
            for (name, value) in self.colors {
                match value {
                    Some(c) => map.insert(name.to_string(), serde_json::Value::String(c)),
                    None => map.remove(name),
                };
            }
            Some(serde_json::to_string(&map).map_err(ApiError::internal)?)
        };
        Ok(BrandingChanges {
            product_name: self.product_name,
            colors,
            support_email: self.support_email,
            support_url: self.support_url,
            email_sender_name: self.email_sender_name,
            powered_by: self.powered_by,
            custom_domain: self.custom_domain,
            subdomain: self.subdomain,
            updated_at: Some(store::now()),
            ..Default::default()
        })
    }
}

fn not_found() -> ApiError {
    ApiError::of(Code::BrandingNotFound)
}

fn asset_not_found() -> ApiError {
    ApiError::of(Code::BrandingAssetNotFound)
}

/// A unique index refused the write: which claim collided.
fn unique_conflict(e: StoreError) -> ApiError {
    match e {
        StoreError::UniqueViolation(what) if what.contains("custom_domain") => ApiError::new(
            Code::DomainTaken,
            "Another branding configuration already uses this custom_domain",
        ),
        StoreError::UniqueViolation(what) if what.contains("subdomain") => ApiError::new(
            Code::DomainTaken,
            "Another branding configuration already uses this subdomain",
        ),
        StoreError::UniqueViolation(_) => ApiError::of(Code::BrandingExists),
        other => other.into(),
    }
}

/// Tenant admins brand their tenant only if its plan lets them (`tenant_branding` absent
/// or `true`; platform and reseller admins are not gated).
fn plan_gate(c: &mut DbConn, scope: &Scope) -> Result<Result<(), ApiError>, StoreError> {
    let Scope::Tenant { tenant_id, .. } = scope else {
        return Ok(Ok(()));
    };
    let features = crate::plan_features::for_tenant_id(c, &tenant_id.to_string())?;
    if features.tenant_branding == Some(false) {
        return Ok(Err(ApiError::new(
            Code::NotInPlan,
            "Not in your plan: tenant branding (the plan's tenant_branding is false); \
             your reseller can brand the tenant for you",
        )));
    }
    Ok(Ok(()))
}

/// The configuration `id` if the scope manages it, and the plan lets a tenant admin change it.
fn writable(
    c: &mut DbConn,
    scope: &Scope,
    id: &str,
) -> Result<Result<BrandingRow, ApiError>, StoreError> {
    let Some(row) = repo::get(c, scope, id)? else {
        return Ok(Err(not_found()));
    };
    if let Err(e) = plan_gate(c, scope)? {
        return Ok(Err(e));
    }
    Ok(Ok(row))
}

/// Builds views, reading every asset the rows name at once.
fn views(
    c: &mut DbConn,
    rows: Vec<BrandingRow>,
) -> Result<Vec<BrandingConfigurationView>, StoreError> {
    let ids: Vec<String> = rows
        .iter()
        .flat_map(|r| [r.logo_asset_id.clone(), r.favicon_asset_id.clone()])
        .flatten()
        .collect();
    let assets: HashMap<String, AssetMeta> = repo::assets(c, &ids)?
        .into_iter()
        .map(|a| (a.id.clone(), a))
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let colors: BTreeMap<String, serde_json::Value> =
                serde_json::from_str(&r.colors).unwrap_or_default();
            let color = |n: &str| colors.get(n).and_then(|v| v.as_str()).map(str::to_string);
            let asset = |id: &Option<String>| {
                id.as_ref()
                    .and_then(|id| assets.get(id))
                    .map(BrandingAssetView::from)
            };
            BrandingConfigurationView {
                id: super::parse_uuid(&r.id),
                level: BrandingLevel::parse(&r.level),
                reseller_id: super::parse_uuid_opt(r.reseller_id.as_deref()),
                tenant_id: super::parse_uuid_opt(r.tenant_id.as_deref()),
                product_name: r.product_name.clone(),
                logo: asset(&r.logo_asset_id),
                favicon: asset(&r.favicon_asset_id),
                colors: BrandingColorsView {
                    primary: color(COLOR_NAMES[0]),
                    secondary: color(COLOR_NAMES[1]),
                    accent: color(COLOR_NAMES[2]),
                    background: color(COLOR_NAMES[3]),
                    text: color(COLOR_NAMES[4]),
                },
                support_email: r.support_email,
                support_url: r.support_url,
                email_sender_name: r.email_sender_name,
                powered_by: r.powered_by,
                custom_domain: r.custom_domain,
                subdomain: r.subdomain,
                created_at: super::utc(r.created_at),
                updated_at: super::utc(r.updated_at),
            }
        })
        .collect())
}

fn view(c: &mut DbConn, row: BrandingRow) -> Result<BrandingConfigurationView, StoreError> {
    views(c, vec![row])?
        .pop()
        .ok_or_else(|| StoreError::Query("no view of a configuration".into()))
}

fn audit_event(
    c: &mut DbConn,
    actor: &Actor,
    action: &'static str,
    row: &BrandingRow,
    details: serde_json::Value,
) -> Result<(), StoreError> {
    // A tenant's configuration is also in its reseller's log.
    let reseller_id = match &row.tenant_id {
        Some(t) => tenants::get(c, &Scope::System, t)?.and_then(|t| t.reseller_id),
        None => row.reseller_id.clone(),
    };
    audit::record(
        c,
        actor,
        Event {
            action,
            target_type: "branding_configuration",
            target_id: Some(row.id.clone()),
            tenant_id: row.tenant_id.clone(),
            reseller_id,
            details,
        },
    )
}

/// The owner a new configuration is for (see [`CreateBrandingRequest`]).
fn owner_of(
    c: &mut DbConn,
    scope: &Scope,
    tenant_id: Option<Uuid>,
    reseller_id: Option<Uuid>,
) -> Result<Result<Owner, ApiError>, StoreError> {
    Ok(match (tenant_id, reseller_id) {
        (Some(t), _) => match tenants::get(c, scope, &t.to_string())? {
            Some(t) => Ok(Owner::Tenant(t.id)),
            None => Err(ApiError::of(Code::TenantNotFound)),
        },
        (None, Some(r)) => match scope {
            Scope::Tenant { .. } => Err(ApiError::forbidden(
                "Tenant admins brand their own tenant only",
            )),
            _ => match resellers::get(c, scope, &r.to_string())? {
                Some(r) => Ok(Owner::Reseller(r.id)),
                None => Err(ApiError::of(Code::ResellerNotFound)),
            },
        },
        (None, None) => Ok(match scope {
            Scope::Platform | Scope::System => Owner::Platform,
            Scope::Reseller { reseller_id } => Owner::Reseller(reseller_id.to_string()),
            Scope::Tenant { tenant_id, .. } => Owner::Tenant(tenant_id.to_string()),
        }),
    })
}

/// `304` when `If-None-Match` names the current ETag, else the body.
fn respond(req: &HttpRequest, rendered: &Rendered, cache_control: &'static str) -> HttpResponse {
    let matches = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|t| t.trim() == rendered.etag || t.trim() == "*")
        });
    if matches {
        return HttpResponse::NotModified()
            .insert_header((header::ETAG, rendered.etag.clone()))
            .insert_header((header::CACHE_CONTROL, cache_control))
            .finish();
    }
    HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((header::ETAG, rendered.etag.clone()))
        .insert_header((header::CACHE_CONTROL, cache_control))
        .body(rendered.body.clone())
}

/// The caller's branding, resolved: its tenant's (a reseller admin's: the reseller's; a
/// platform admin's: the platform's), field by field with `sources` and `warnings`.
#[utoipa::path(
    tag = "branding",
    params(("If-None-Match" = Option<String>, Header, description = "ETag of a cached copy")),
    responses(
        (status = 200, body = ResolvedBrandingView, headers(("ETag" = String, description = "Strong: a hash of the body"))),
        (status = 304, description = "The cached copy (If-None-Match) is current"),
        ReadErrors
    )
)]
#[get("/branding")]
pub async fn get_branding(
    state: web::Data<AppState>,
    authed: Authed,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::BrandingRead)?;
    let subject = Subject::of_scope(&authed.scope());
    let rendered = branding::resolved(&state.store, &state.branding, subject).await?;
    Ok(respond(&req, &rendered, "private, no-cache"))
}

/// Branding for a login page, without a credential: the tenant or reseller whose custom
/// domain or subdomain `host` (default: the `Host` header) is; any other host gets the
/// platform's (or the built-in) branding. It holds branding only — no ids.
#[utoipa::path(
    tag = "branding",
    security(),
    params(PublicBrandingQuery, ("If-None-Match" = Option<String>, Header, description = "ETag of a cached copy")),
    responses(
        (status = 200, body = ResolvedBrandingView, headers(("ETag" = String, description = "Strong: a hash of the body"))),
        (status = 304, description = "The cached copy (If-None-Match) is current"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/branding/public")]
pub async fn get_public_branding(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<PublicBrandingQuery>,
) -> Result<HttpResponse, ApiError> {
    let raw = query.into_inner().host.or_else(|| {
        req.headers()
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    });
    let host = raw.as_deref().and_then(host::normalize_host);
    let subject = branding::public_subject(
        &state.store,
        &state.branding,
        host,
        &state.settings.branding_base_domain,
    )
    .await?;
    let rendered = branding::resolved(&state.store, &state.branding, subject).await?;
    Ok(respond(&req, &rendered, "public, no-cache"))
}

/// A logo or favicon, to anyone: `{sha256}.{png|jpg|webp}` as resolution names it. The URL
/// is content-addressed, so it is cacheable forever.
#[utoipa::path(
    tag = "branding",
    security(),
    params(
        ("file" = String, Path, description = "`<sha256>.<png|jpg|webp>`"),
        ("If-None-Match" = Option<String>, Header, description = "ETag of a cached copy"),
    ),
    responses(
        (status = 200, description = "The image; `Content-Type` is the type it was recognised as (`image/png`, `image/jpeg` or `image/webp`)",
         content_type = "application/octet-stream", body = BrandingAssetContent,
         headers(("ETag" = String, description = "The SHA-256 in quotes"), ("Cache-Control" = String, description = "`public, max-age=31536000, immutable`"))),
        (status = 304, description = "The cached copy (If-None-Match) is current"),
        (status = 404, description = "No such image (or it was deleted)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/branding/assets/{file}")]
pub async fn get_branding_asset(
    state: web::Data<AppState>,
    file: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let file = file.into_inner();
    let (sha, ext) = file.split_once('.').ok_or_else(asset_not_found)?;
    let wanted = image::content_type_of_extension(ext).ok_or_else(asset_not_found)?;
    if sha.len() != 64
        || !sha
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return Err(asset_not_found());
    }
    let key = sha.to_string();
    let (content_type, data) = state
        .store
        .read(Scope::System, move |c| repo::public_asset(c, &key))
        .await?
        .filter(|(ct, _)| ct == wanted)
        .ok_or_else(asset_not_found)?;
    const IMMUTABLE: &str = "public, max-age=31536000, immutable";
    let etag = format!("\"{sha}\"");
    let cached = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if cached {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .insert_header((header::CACHE_CONTROL, IMMUTABLE))
            .insert_header(NOSNIFF)
            .finish());
    }
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, IMMUTABLE))
        .insert_header(NOSNIFF)
        .body(data))
}

/// Creates a configuration for one owner (see the request's docs for which).
#[utoipa::path(
    tag = "branding",
    request_body = CreateBrandingRequest,
    responses(
        (status = 201, body = BrandingConfigurationView),
        (status = 403, description = "The role may not, or the tenant's plan does not include tenant branding (`not_in_plan`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The owner has a configuration (`branding_exists`), or the domain is taken (`domain_taken`)", body = Problem, content_type = "application/problem+json"),
        WriteErrors
    )
)]
#[post("/branding/configurations")]
pub async fn create_branding_configuration(
    state: web::Data<AppState>,
    authed: Authed,
    body: web::Json<CreateBrandingRequest>,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::BrandingWrite)?;
    let body = body.into_inner();
    let mut v = Validator::default();
    v.check(
        body.tenant_id.is_none() || body.reseller_id.is_none(),
        "reseller_id",
        "give tenant_id or reseller_id, not both",
    );
    let mut fields = Fields {
        product_name: body.product_name.map(Some),
        support_email: body.support_email.map(Some),
        support_url: body.support_url.map(Some),
        email_sender_name: body.email_sender_name.map(Some),
        powered_by: body.powered_by.map(Some),
        custom_domain: body.custom_domain.map(Some),
        subdomain: body.subdomain.map(Some),
        ..Default::default()
    };
    fields.check(
        &mut v,
        body.colors.as_ref(),
        &state.settings.branding_base_domain,
    );
    v.finish()?;
    let changes = fields.changes("{}")?;
    let scope = authed.scope();
    let actor = Actor::of(&authed);
    let me = authed.principal.user_id.to_string();
    let (tenant_id, reseller_id) = (body.tenant_id, body.reseller_id);
    let view = state
        .store
        .write(scope, move |c| {
            let owner = match owner_of(c, &scope, tenant_id, reseller_id)? {
                Ok(o) => o,
                Err(e) => return Ok(Err(e)),
            };
            if let Err(e) = plan_gate(c, &scope)? {
                return Ok(Err(e));
            }
            if let Some(existing) = repo::of_owner(c, &owner)? {
                return Ok(Err(ApiError::new(
                    Code::BrandingExists,
                    format!(
                        "The owner already has branding configuration {}: change it with PATCH",
                        existing.id
                    ),
                )));
            }
            let now = store::now();
            let (level, reseller_id, tenant_id) = match owner {
                Owner::Platform => ("platform", None, None),
                Owner::Reseller(r) => ("reseller", Some(r), None),
                Owner::Tenant(t) => ("tenant", None, Some(t)),
            };
            let row = BrandingRow {
                id: store::new_id(),
                level: level.into(),
                reseller_id,
                tenant_id,
                product_name: changes.product_name.flatten(),
                logo_asset_id: None,
                favicon_asset_id: None,
                colors: changes.colors.unwrap_or_else(|| "{}".into()),
                support_email: changes.support_email.flatten(),
                support_url: changes.support_url.flatten(),
                email_sender_name: changes.email_sender_name.flatten(),
                powered_by: changes.powered_by.flatten(),
                custom_domain: changes.custom_domain.flatten(),
                subdomain: changes.subdomain.flatten(),
                created_by: Some(me),
                created_at: now,
                updated_at: now,
            };
            repo::insert(c, &row)?;
            audit_event(
                c,
                &actor,
                "branding.create",
                &row,
                serde_json::json!({"level": row.level, "custom_domain": row.custom_domain, "subdomain": row.subdomain}),
            )?;
            view(c, row).map(Ok)
        })
        .await
        .map_err(unique_conflict)??;
    state.branding.invalidate();
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/v1/branding/configurations/{}", view.id),
        ))
        .json(view))
}

/// Lists the configurations the caller manages (a tenant user: its tenant's), newest first.
#[utoipa::path(tag = "branding", params(BrandingListQuery), responses((status = 200, body = BrandingConfigurationList), ReadErrors))]
#[get("/branding/configurations")]
pub async fn list_branding_configurations(
    state: web::Data<AppState>,
    authed: Authed,
    query: web::Query<BrandingListQuery>,
) -> Result<web::Json<BrandingConfigurationList>, ApiError> {
    authed.require(Action::BrandingRead)?;
    let q = query.into_inner();
    let page = super::PageQuery {
        limit: q.limit,
        cursor: q.cursor,
    }
    .to_request()?;
    let scope = authed.scope();
    let level = q.level.map(|l| l.as_str());
    let page = state
        .store
        .read(scope, move |c| {
            let rows = repo::list(c, &scope, &page, level)?;
            let next = rows.next.clone();
            Ok(crate::store::repo::Page {
                items: views(c, rows.items)?,
                next,
            })
        })
        .await?;
    Ok(web::Json(BrandingConfigurationList::from_page(page)))
}

/// Reads one configuration as stored (null fields inherit).
#[utoipa::path(tag = "branding", params(("id" = Uuid, Path)), responses((status = 200, body = BrandingConfigurationView), ReadErrors))]
#[get("/branding/configurations/{id}")]
pub async fn get_branding_configuration(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<web::Json<BrandingConfigurationView>, ApiError> {
    authed.require(Action::BrandingRead)?;
    let scope = authed.scope();
    let id = id.to_string();
    let view = state
        .store
        .read(scope, move |c| match repo::get(c, &scope, &id)? {
            Some(row) => view(c, row).map(Some),
            None => Ok(None),
        })
        .await?
        .ok_or_else(not_found)?;
    Ok(web::Json(view))
}

/// Changes a configuration: fields left out stay, `null` inherits again.
#[utoipa::path(
    tag = "branding",
    params(("id" = Uuid, Path)),
    request_body = UpdateBrandingRequest,
    responses(
        (status = 200, body = BrandingConfigurationView),
        (status = 403, description = "The role may not, or the tenant's plan does not include tenant branding (`not_in_plan`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The domain is taken (`domain_taken`)", body = Problem, content_type = "application/problem+json"),
        WriteErrors
    )
)]
#[patch("/branding/configurations/{id}")]
pub async fn update_branding_configuration(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
    body: web::Json<UpdateBrandingRequest>,
) -> Result<web::Json<BrandingConfigurationView>, ApiError> {
    authed.require(Action::BrandingWrite)?;
    let body = body.into_inner();
    let mut v = Validator::default();
    for (name, value) in [("logo", &body.logo), ("favicon", &body.favicon)] {
        v.check(
            !matches!(value, Some(Some(_))),
            name,
            "only null (inherit) can be set here; upload an image with PUT …/assets/{kind}",
        );
    }
    let mut fields = Fields {
        product_name: body.product_name,
        support_email: body.support_email,
        support_url: body.support_url,
        email_sender_name: body.email_sender_name,
        powered_by: body.powered_by,
        custom_domain: body.custom_domain,
        subdomain: body.subdomain,
        ..Default::default()
    };
    fields.check(
        &mut v,
        body.colors.as_ref(),
        &state.settings.branding_base_domain,
    );
    v.finish()?;
    let forget: Vec<BrandingAssetKind> = [
        (BrandingAssetKind::Logo, body.logo.is_some()),
        (BrandingAssetKind::Favicon, body.favicon.is_some()),
    ]
    .into_iter()
    .filter_map(|(k, f)| f.then_some(k))
    .collect();
    let scope = authed.scope();
    let actor = Actor::of(&authed);
    let id = id.to_string();
    let view = state
        .store
        .write(scope, move |c| {
            let row = match writable(c, &scope, &id)? {
                Ok(r) => r,
                Err(e) => return Ok(Err(e)),
            };
            let mut changed: Vec<&str> = Vec::new();
            for (name, present) in [
                ("product_name", fields.product_name.is_some()),
                ("colors", !fields.colors.is_empty()),
                ("support_email", fields.support_email.is_some()),
                ("support_url", fields.support_url.is_some()),
                ("email_sender_name", fields.email_sender_name.is_some()),
                ("powered_by", fields.powered_by.is_some()),
                ("custom_domain", fields.custom_domain.is_some()),
                ("subdomain", fields.subdomain.is_some()),
            ] {
                if present {
                    changed.push(name);
                }
            }
            let mut changes = match fields.changes(&row.colors) {
                Ok(ch) => ch,
                Err(e) => return Ok(Err(e)),
            };
            for kind in &forget {
                changed.push(kind.as_str());
                if let Some(old) = kind.slot(&row) {
                    repo::remove_asset(c, old)?;
                }
                kind.set(&mut changes, None);
            }
            repo::update(c, &row.id, &changes)?;
            audit_event(
                c,
                &actor,
                "branding.update",
                &row,
                serde_json::json!({"fields": changed}),
            )?;
            match repo::get(c, &scope, &row.id)? {
                Some(row) => view(c, row).map(Ok),
                None => Ok(Err(not_found())),
            }
        })
        .await
        .map_err(unique_conflict)??;
    state.branding.invalidate();
    Ok(web::Json(view))
}

/// Deletes a configuration and its images: its owner inherits everything again.
#[utoipa::path(
    tag = "branding",
    params(("id" = Uuid, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "The role may not, or the tenant's plan does not include tenant branding (`not_in_plan`)", body = Problem, content_type = "application/problem+json"),
        WriteErrors
    )
)]
#[delete("/branding/configurations/{id}")]
pub async fn delete_branding_configuration(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::BrandingWrite)?;
    let scope = authed.scope();
    let actor = Actor::of(&authed);
    let id = id.to_string();
    state
        .store
        .write(scope, move |c| {
            let row = match writable(c, &scope, &id)? {
                Ok(r) => r,
                Err(e) => return Ok(Err(e)),
            };
            repo::delete(c, &row.id)?;
            audit_event(
                c,
                &actor,
                "branding.delete",
                &row,
                serde_json::json!({"level": row.level}),
            )?;
            Ok(Ok(()))
        })
        .await??;
    state.branding.invalidate();
    Ok(HttpResponse::NoContent().finish())
}

fn image_refusal(e: ImageError) -> ApiError {
    match e {
        ImageError::Svg => ApiError::new(
            Code::ImageNotSupported,
            "SVG is not accepted: an SVG can carry scripts, event handlers and references to \
             other sites, so branding takes PNG, JPEG or WebP only",
        ),
        ImageError::NotImage => ApiError::new(
            Code::ImageNotSupported,
            "The file is not a PNG, JPEG or WebP image (judged by its bytes, not its name)",
        ),
        ImageError::BadHeader(why) => ApiError::new(Code::ImageNotSupported, why),
    }
}

/// Reads the multipart `file` field, at most `limit` bytes.
async fn receive_image(mut form: Form, kind: BrandingAssetKind) -> Result<Vec<u8>, ApiError> {
    let limit = kind.max_bytes();
    let mut file: Option<Vec<u8>> = None;
    while let Some(field) = form.next_field().await {
        let mut field = field.map_err(form_error)?;
        if field.name() != Some("file") {
            form.text(&mut field).await.map_err(form_error)?;
            continue;
        }
        if file.is_some() {
            return Err(ApiError::field("file", "send exactly one file"));
        }
        let mut buf = Vec::new();
        while let Some(chunk) = form.chunk(&mut field).await {
            let chunk = chunk.map_err(form_error)?;
            if (buf.len() + chunk.len()) as u64 > limit {
                return Err(ApiError::new(
                    Code::ImageTooLarge,
                    format!("A {} may have at most {limit} bytes", kind.as_str()),
                ));
            }
            buf.extend_from_slice(&chunk);
        }
        file = Some(buf);
    }
    match file {
        None => Err(ApiError::field("file", "the `file` field is required")),
        Some(b) if b.is_empty() => Err(ApiError::field("file", "the file is empty")),
        Some(b) => Ok(b),
    }
}

/// Uploads the configuration's logo or favicon (multipart `file`), replacing the previous
/// one. PNG, JPEG or WebP by the bytes (the name and content type sent are ignored); a logo
/// at most 2048×2048 and 1 MiB, a favicon 512×512 and 256 KiB. SVG is refused.
#[utoipa::path(
    tag = "branding",
    params(("id" = Uuid, Path), ("kind" = BrandingAssetKind, Path)),
    request_body(content = BrandingAssetForm, content_type = "multipart/form-data"),
    responses(
        (status = 200, body = BrandingConfigurationView),
        AssetUploadErrors,
        WriteErrors
    )
)]
#[put("/branding/configurations/{id}/assets/{kind}")]
pub async fn upload_branding_asset(
    state: web::Data<AppState>,
    authed: Authed,
    path: web::Path<(Uuid, BrandingAssetKind)>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::BrandingWrite)?;
    let (id, kind) = path.into_inner();
    let scope = authed.scope();
    let id = id.to_string();
    // Who may is settled before a byte of the body is read.
    {
        let id = id.clone();
        state
            .store
            .read(scope, move |c| writable(c, &scope, &id))
            .await??;
    }
    let form = Form::new(
        &req,
        payload,
        state.settings.max_form_fields,
        kind.max_bytes(),
    );
    let bytes = receive_image(form, kind).await?;
    let info = image::inspect(&bytes).map_err(image_refusal)?;
    let max = kind.max_side();
    if info.width > max || info.height > max {
        return Err(ApiError::new(
            Code::ImageDimensionsTooLarge,
            format!(
                "The image is {}×{} pixels; a {} may be at most {max}×{max}",
                info.width,
                info.height,
                kind.as_str()
            ),
        ));
    }
    let now = store::now();
    let asset = NewAsset {
        id: store::new_id(),
        configuration_id: id.clone(),
        kind: kind.as_str().into(),
        content_type: info.content_type.into(),
        width: i32::try_from(info.width).map_err(ApiError::internal)?,
        height: i32::try_from(info.height).map_err(ApiError::internal)?,
        size_bytes: i32::try_from(bytes.len()).map_err(ApiError::internal)?,
        sha256: hex::encode(Sha256::digest(&bytes)),
        data: Some(bytes),
        created_by: Some(authed.principal.user_id.to_string()),
        created_at: now,
    };
    let actor = Actor::of(&authed);
    let view = state
        .store
        .write(scope, move |c| {
            let row = match writable(c, &scope, &id)? {
                Ok(r) => r,
                Err(e) => return Ok(Err(e)),
            };
            repo::insert_asset(c, &asset)?;
            let replaced = kind.slot(&row).clone();
            let mut changes = BrandingChanges {
                updated_at: Some(now),
                ..Default::default()
            };
            kind.set(&mut changes, Some(asset.id.clone()));
            repo::update(c, &row.id, &changes)?;
            if let Some(old) = &replaced {
                repo::remove_asset(c, old)?;
            }
            audit_event(
                c,
                &actor,
                "branding.asset_upload",
                &row,
                serde_json::json!({
                    "kind": asset.kind, "asset_id": asset.id, "content_type": asset.content_type,
                    "width": asset.width, "height": asset.height, "size_bytes": asset.size_bytes,
                    "sha256": asset.sha256, "replaced": replaced,
                }),
            )?;
            match repo::get(c, &scope, &row.id)? {
                Some(row) => view(c, row).map(Ok),
                None => Ok(Err(not_found())),
            }
        })
        .await??;
    state.branding.invalidate();
    Ok(HttpResponse::Ok().json(view))
}

/// Deletes the configuration's current logo or favicon. The configuration keeps naming it:
/// resolution falls back to the next level's image with a warning until a new one is
/// uploaded or `PATCH {"logo": null}` makes it inherit on purpose.
#[utoipa::path(
    tag = "branding",
    params(("id" = Uuid, Path), ("kind" = BrandingAssetKind, Path)),
    responses((status = 204, description = "Deleted"), WriteErrors)
)]
#[delete("/branding/configurations/{id}/assets/{kind}")]
pub async fn delete_branding_asset(
    state: web::Data<AppState>,
    authed: Authed,
    path: web::Path<(Uuid, BrandingAssetKind)>,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::BrandingWrite)?;
    let (id, kind) = path.into_inner();
    let scope = authed.scope();
    let actor = Actor::of(&authed);
    let id = id.to_string();
    state
        .store
        .write(scope, move |c| {
            let row = match writable(c, &scope, &id)? {
                Ok(r) => r,
                Err(e) => return Ok(Err(e)),
            };
            let Some(asset_id) = kind.slot(&row).clone() else {
                return Ok(Err(asset_not_found()));
            };
            let live = repo::assets(c, std::slice::from_ref(&asset_id))?
                .into_iter()
                .any(|a| a.deleted_at.is_none());
            if !live {
                return Ok(Err(asset_not_found()));
            }
            let now = store::now();
            repo::mark_asset_deleted(c, &asset_id, now)?;
            repo::update(
                c,
                &row.id,
                &BrandingChanges {
                    updated_at: Some(now),
                    ..Default::default()
                },
            )?;
            audit_event(
                c,
                &actor,
                "branding.asset_delete",
                &row,
                serde_json::json!({"kind": kind.as_str(), "asset_id": asset_id}),
            )?;
            Ok(Ok(()))
        })
        .await??;
    state.branding.invalidate();
    Ok(HttpResponse::NoContent().finish())
}
