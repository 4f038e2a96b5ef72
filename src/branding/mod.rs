//! Branding with inheritance (issue 12, §3): what a tenant's (or a reseller's, or the
//! platform's) login pages, emails and UI look like.
//!
//! Configurations exist at three levels — the platform default, a reseller, a tenant — and
//! every field of one may be unset. [`resolve`] merges them field by field, most specific
//! first: tenant → reseller → platform → [`built-in default`](DEFAULT_PRODUCT_NAME). Each
//! resolved field says where it came from (`sources`). A value that is stored but unusable
//! — a colour that is not `#rrggbb` (written before it was checked), a logo whose asset was
//! deleted — is skipped with a `warning`, and the next level's value is used; each warning
//! is logged once per process.
//!
//! Resolutions are cached per process ([`cache::BrandingCache`]) and dropped on every
//! change, across processes on PostgreSQL (`NOTIFY voxflow_branding`). The database reads
//! of a resolution run in the system scope: a resolution holds branding and nothing else,
//! and the public host lookup ([`subject_for_host`]) must work without a caller.

pub mod cache;
pub mod host;
pub mod image;

use crate::store::repo::branding::{self as repo, AssetMeta, BrandingRow, Owner};
use crate::store::{DbConn, Store, StoreError};
use crate::tenancy::Scope;
use cache::{BrandingCache, Rendered};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use utoipa::ToSchema;

/// The product name when no level sets one.
pub const DEFAULT_PRODUCT_NAME: &str = "Voxflow";
/// The email sender name when no level sets one.
pub const DEFAULT_EMAIL_SENDER_NAME: &str = "Voxflow";
/// The colours when no level sets them, in [`COLOR_NAMES`] order.
pub const DEFAULT_COLORS: [&str; 5] = ["#4f46e5", "#0ea5e9", "#f59e0b", "#ffffff", "#111827"];
/// The colours a configuration may set.
pub const COLOR_NAMES: [&str; 5] = ["primary", "secondary", "accent", "background", "text"];

/// Largest logo: bytes, and pixels on either side.
pub const LOGO_MAX_BYTES: u64 = 1024 * 1024;
pub const LOGO_MAX_SIDE: u32 = 2048;
/// Largest favicon: bytes, and pixels on either side.
pub const FAVICON_MAX_BYTES: u64 = 256 * 1024;
pub const FAVICON_MAX_SIDE: u32 = 512;

/// Whose branding is resolved.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Subject {
    Platform,
    Reseller(String),
    Tenant(String),
}

impl Subject {
    /// The subject a caller's own branding is: its tenant's, its reseller's, the platform's.
    pub fn of_scope(scope: &Scope) -> Subject {
        match scope {
            Scope::Tenant { tenant_id, .. } => Subject::Tenant(tenant_id.to_string()),
            Scope::Reseller { reseller_id } => Subject::Reseller(reseller_id.to_string()),
            Scope::Platform | Scope::System => Subject::Platform,
        }
    }
}

/// Where a resolved field's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BrandingSource {
    Tenant,
    Reseller,
    Platform,
    Default,
}

impl BrandingSource {
    pub fn as_str(self) -> &'static str {
        match self {
            BrandingSource::Tenant => "tenant",
            BrandingSource::Reseller => "reseller",
            BrandingSource::Platform => "platform",
            BrandingSource::Default => "default",
        }
    }

    /// The level of a configuration row.
    pub fn of_level(level: &str) -> BrandingSource {
        match level {
            "tenant" => BrandingSource::Tenant,
            "reseller" => BrandingSource::Reseller,
            _ => BrandingSource::Platform,
        }
    }
}

/// The resolved colours (`#rrggbb`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct BrandingResolvedColors {
    #[schema(example = "#4f46e5")]
    pub primary: String,
    pub secondary: String,
    pub accent: String,
    pub background: String,
    pub text: String,
}

/// Where each colour came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct BrandingColorSources {
    pub primary: BrandingSource,
    pub secondary: BrandingSource,
    pub accent: BrandingSource,
    pub background: BrandingSource,
    pub text: BrandingSource,
}

/// Where each resolved field came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct BrandingSources {
    pub product_name: BrandingSource,
    pub logo_url: BrandingSource,
    pub favicon_url: BrandingSource,
    pub colors: BrandingColorSources,
    pub support_email: BrandingSource,
    pub support_url: BrandingSource,
    pub email_sender_name: BrandingSource,
    pub powered_by: BrandingSource,
}

/// A stored value that could not be used: the next level's value was used instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct BrandingWarning {
    /// The resolved field, e.g. `logo_url` or `colors.primary`.
    #[schema(example = "logo_url")]
    pub field: String,
    /// The level whose value was skipped.
    pub level: BrandingSource,
    #[schema(example = "the tenant's logo was deleted; the reseller's value is used")]
    pub message: String,
}

/// Branding as a login page or UI uses it: every field resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ResolvedBrandingView {
    #[schema(example = "Acme Speech")]
    pub product_name: String,
    /// The logo's public URL (content-addressed, cacheable for a year); null when no level
    /// has a usable logo.
    #[schema(
        example = "/v1/branding/assets/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.png"
    )]
    pub logo_url: Option<String>,
    pub favicon_url: Option<String>,
    pub colors: BrandingResolvedColors,
    pub support_email: Option<String>,
    pub support_url: Option<String>,
    pub email_sender_name: String,
    /// Whether to show "Powered by Voxflow".
    pub powered_by: bool,
    pub sources: BrandingSources,
    /// Stored values that were skipped (and logged once per process).
    pub warnings: Vec<BrandingWarning>,
}

/// `#rgb` or `#rrggbb` (any case) in normal form `#rrggbb`, or `None`.
pub fn parse_color(s: &str) -> Option<String> {
    let hex = s.trim().strip_prefix('#')?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    match hex.len() {
        6 => Some(format!("#{}", hex.to_ascii_lowercase())),
        3 => Some(format!(
            "#{}",
            hex.chars()
                .flat_map(|c| [c, c])
                .collect::<String>()
                .to_ascii_lowercase()
        )),
        _ => None,
    }
}

/// The public URL of an asset: its SHA-256 and an extension for its type.
pub fn asset_url(asset: &AssetMeta) -> String {
    format!(
        "/v1/branding/assets/{}.{}",
        asset.sha256,
        image::extension(&asset.content_type)
    )
}

fn level_name(source: BrandingSource) -> &'static str {
    match source {
        BrandingSource::Tenant => "the tenant's",
        BrandingSource::Reseller => "the reseller's",
        BrandingSource::Platform => "the platform's",
        BrandingSource::Default => "the built-in",
    }
}

/// One field being resolved: the first usable value wins; unusable ones become warnings
/// once the winner is known.
struct Field<T> {
    name: &'static str,
    value: Option<(T, BrandingSource)>,
    skipped: Vec<(BrandingSource, String)>,
}

impl<T> Field<T> {
    fn new(name: &'static str) -> Self {
        Field {
            name,
            value: None,
            skipped: Vec::new(),
        }
    }

    /// Offers a level's stored value: `Ok(None)` unset, `Ok(Some)` usable, `Err` why not.
    fn offer(&mut self, source: BrandingSource, value: Result<Option<T>, String>) {
        if self.value.is_some() {
            return;
        }
        match value {
            Ok(Some(v)) => self.value = Some((v, source)),
            Ok(None) => {}
            Err(why) => self.skipped.push((source, why)),
        }
    }

    fn finish(self, default: T, warnings: &mut Vec<BrandingWarning>) -> (T, BrandingSource) {
        let (value, source) = self.value.unwrap_or((default, BrandingSource::Default));
        for (level, why) in self.skipped {
            warnings.push(BrandingWarning {
                field: self.name.to_string(),
                level,
                message: format!(
                    "{} {why}; {} value is used",
                    level_name(level),
                    level_name(source)
                ),
            });
        }
        (value, source)
    }
}

fn asset_value(
    kind: &str,
    id: &Option<String>,
    assets: &HashMap<String, AssetMeta>,
) -> Result<Option<Option<String>>, String> {
    let Some(id) = id else { return Ok(None) };
    match assets.get(id) {
        None => Err(format!("{kind} is missing")),
        Some(a) if a.deleted_at.is_some() => Err(format!("{kind} was deleted")),
        Some(a) if a.kind != kind => Err(format!("{kind} names an asset of another kind")),
        Some(a) => Ok(Some(Some(asset_url(a)))),
    }
}

fn text_value(v: &Option<String>) -> Result<Option<String>, String> {
    Ok(v.as_ref()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty()))
}

/// Merges configurations, most specific first, field by field (see the module docs).
/// `assets` holds the metadata of every asset the rows name.
pub fn merge(rows: &[BrandingRow], assets: &HashMap<String, AssetMeta>) -> ResolvedBrandingView {
    let mut product_name = Field::new("product_name");
    let mut logo = Field::new("logo_url");
    let mut favicon = Field::new("favicon_url");
    let mut colors: Vec<Field<String>> = vec![
        Field::new("colors.primary"),
        Field::new("colors.secondary"),
        Field::new("colors.accent"),
        Field::new("colors.background"),
        Field::new("colors.text"),
    ];
    let mut support_email = Field::new("support_email");
    let mut support_url = Field::new("support_url");
    let mut sender = Field::new("email_sender_name");
    let mut powered_by = Field::new("powered_by");
    for row in rows {
        let src = BrandingSource::of_level(&row.level);
        product_name.offer(src, text_value(&row.product_name));
        logo.offer(src, asset_value("logo", &row.logo_asset_id, assets));
        favicon.offer(src, asset_value("favicon", &row.favicon_asset_id, assets));
        let stored: BTreeMap<String, serde_json::Value> =
            serde_json::from_str(&row.colors).unwrap_or_default();
        for (name, field) in COLOR_NAMES.iter().zip(colors.iter_mut()) {
            let value = match stored.get(*name) {
                None | Some(serde_json::Value::Null) => Ok(None),
                Some(serde_json::Value::String(s)) => parse_color(s)
                    .map(Some)
                    .ok_or_else(|| format!("{name} colour {s:?} is not #rgb or #rrggbb")),
                Some(other) => Err(format!("{name} colour {other} is not a colour")),
            };
            field.offer(src, value);
        }
        support_email.offer(
            src,
            match &row.support_email {
                Some(e) if !crate::api::is_email(e) => {
                    Err(format!("support email {e:?} is not an email address"))
                }
                e => Ok(e.clone().map(Some)),
            },
        );
        support_url.offer(
            src,
            match &row.support_url {
                Some(u) if !is_http_url(u) => {
                    Err(format!("support URL {u:?} is not an http(s) URL"))
                }
                u => Ok(u.clone().map(Some)),
            },
        );
        sender.offer(src, text_value(&row.email_sender_name));
        powered_by.offer(src, Ok(row.powered_by));
    }
    let mut warnings = Vec::new();
    let (product_name, product_name_src) =
        product_name.finish(DEFAULT_PRODUCT_NAME.to_string(), &mut warnings);
    let (logo_url, logo_src) = logo.finish(None, &mut warnings);
    let (favicon_url, favicon_src) = favicon.finish(None, &mut warnings);
    let mut resolved_colors = Vec::new();
    for (field, default) in colors.into_iter().zip(DEFAULT_COLORS) {
        resolved_colors.push(field.finish(default.to_string(), &mut warnings));
    }
    let [primary, secondary, accent, background, text]: [(String, BrandingSource); 5] =
        resolved_colors
            .try_into()
            .unwrap_or_else(|_| DEFAULT_COLORS.map(|c| (c.to_string(), BrandingSource::Default)));
    let (support_email, support_email_src) = support_email.finish(None, &mut warnings);
    let (support_url, support_url_src) = support_url.finish(None, &mut warnings);
    let (email_sender_name, sender_src) =
        sender.finish(DEFAULT_EMAIL_SENDER_NAME.to_string(), &mut warnings);
    let (powered_by, powered_by_src) = powered_by.finish(true, &mut warnings);
    ResolvedBrandingView {
        product_name,
        logo_url,
        favicon_url,
        sources: BrandingSources {
            product_name: product_name_src,
            logo_url: logo_src,
            favicon_url: favicon_src,
            colors: BrandingColorSources {
                primary: primary.1,
                secondary: secondary.1,
                accent: accent.1,
                background: background.1,
                text: text.1,
            },
            support_email: support_email_src,
            support_url: support_url_src,
            email_sender_name: sender_src,
            powered_by: powered_by_src,
        },
        colors: BrandingResolvedColors {
            primary: primary.0,
            secondary: secondary.0,
            accent: accent.0,
            background: background.0,
            text: text.0,
        },
        support_email,
        support_url,
        email_sender_name,
        powered_by,
        warnings,
    }
}

/// An absolute http(s) URL of reasonable length, without spaces or control characters.
pub fn is_http_url(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    rest.is_some_and(|r| {
        !r.is_empty()
            && !r.starts_with('/')
            && s.len() <= 2000
            && !s.chars().any(|c| c.is_whitespace() || c.is_control())
    })
}

/// The configurations that apply to `subject`, most specific first.
fn owners(conn: &mut DbConn, subject: &Subject) -> Result<Vec<Owner>, StoreError> {
    let mut owners = Vec::new();
    match subject {
        Subject::Tenant(t) => {
            owners.push(Owner::Tenant(t.clone()));
            // The tenant's reseller as stored now, not as a credential remembered it.
            let tenant = crate::store::repo::tenants::get(conn, &Scope::System, t)?;
            if let Some(r) = tenant.and_then(|t| t.reseller_id) {
                owners.push(Owner::Reseller(r));
            }
        }
        Subject::Reseller(r) => owners.push(Owner::Reseller(r.clone())),
        Subject::Platform => {}
    }
    owners.push(Owner::Platform);
    Ok(owners)
}

/// Reads and merges `subject`'s configurations. Run in the system scope.
pub fn resolve(conn: &mut DbConn, subject: &Subject) -> Result<ResolvedBrandingView, StoreError> {
    let owners = owners(conn, subject)?;
    let rows = repo::chain(conn, &owners)?;
    let ids: Vec<String> = rows
        .iter()
        .flat_map(|r| [r.logo_asset_id.clone(), r.favicon_asset_id.clone()])
        .flatten()
        .collect();
    let assets = repo::assets(conn, &ids)?
        .into_iter()
        .map(|a| (a.id.clone(), a))
        .collect();
    Ok(merge(&rows, &assets))
}

/// The subject a public host resolves to: a tenant's or reseller's custom domain, then a
/// subdomain of `base_domain` (see [`host`]); anything else — an unknown host, a deleted
/// tenant's or reseller's — the platform. Run in the system scope.
pub fn subject_for_host(
    conn: &mut DbConn,
    host: &str,
    base_domain: &str,
) -> Result<Subject, StoreError> {
    let row = match repo::by_domain(conn, host)? {
        Some(row) => Some(row),
        None => match host::subdomain_of(host, base_domain) {
            Some(label) => repo::by_subdomain(conn, label)?,
            None => None,
        },
    };
    let Some(row) = row else {
        return Ok(Subject::Platform);
    };
    Ok(match (row.level.as_str(), row.tenant_id, row.reseller_id) {
        ("tenant", Some(t), _) => {
            match crate::store::repo::tenants::get(conn, &Scope::System, &t)? {
                Some(_) => Subject::Tenant(t),
                None => Subject::Platform,
            }
        }
        ("reseller", _, Some(r)) => {
            match crate::store::repo::resellers::get(conn, &Scope::System, &r)? {
                Some(_) => Subject::Reseller(r),
                None => Subject::Platform,
            }
        }
        _ => Subject::Platform,
    })
}

/// The JSON body of a resolution and its strong ETag.
pub fn render(view: &ResolvedBrandingView) -> Rendered {
    let body = serde_json::to_string(view).unwrap_or_else(|_| "{}".into());
    let etag = format!(
        "\"{}\"",
        &hex::encode(Sha256::digest(body.as_bytes()))[..32]
    );
    Rendered { body, etag }
}

fn subject_label(subject: &Subject) -> String {
    match subject {
        Subject::Platform => "platform".into(),
        Subject::Reseller(r) => format!("reseller {r}"),
        Subject::Tenant(t) => format!("tenant {t}"),
    }
}

/// `subject`'s resolution, from the cache or the database (then cached).
pub async fn resolved(
    store: &Store,
    cache: &Arc<BrandingCache>,
    subject: Subject,
) -> Result<Arc<Rendered>, StoreError> {
    if let Some(hit) = cache.get(&subject) {
        return Ok(hit);
    }
    let generation = cache.generation();
    let s = subject.clone();
    let view = store.read(Scope::System, move |c| resolve(c, &s)).await?;
    for w in &view.warnings {
        let label = subject_label(&subject);
        if cache.first_warning(format!("{label}|{}|{}", w.field, w.message)) {
            tracing::warn!(
                subject = %label,
                field = %w.field,
                level = w.level.as_str(),
                "branding fell back: {}",
                w.message
            );
        }
    }
    let rendered = Arc::new(render(&view));
    cache.put(subject, generation, rendered.clone());
    Ok(rendered)
}

/// The subject of a public host (normalised, see [`host::normalize_host`]; `None`: the
/// platform), from the cache or the database.
pub async fn public_subject(
    store: &Store,
    cache: &Arc<BrandingCache>,
    host: Option<String>,
    base_domain: &str,
) -> Result<Subject, StoreError> {
    let Some(host) = host else {
        return Ok(Subject::Platform);
    };
    if let Some(hit) = cache.host(&host) {
        return Ok(hit);
    }
    let generation = cache.generation();
    let (h, base) = (host.clone(), base_domain.to_string());
    let subject = store
        .read(Scope::System, move |c| subject_for_host(c, &h, &base))
        .await?;
    cache.put_host(host, generation, subject.clone());
    Ok(subject)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(level: &str) -> BrandingRow {
        let now = crate::store::now();
        BrandingRow {
            id: format!("{level}-id"),
            level: level.into(),
            reseller_id: None,
            tenant_id: None,
            product_name: None,
            logo_asset_id: None,
            favicon_asset_id: None,
            colors: "{}".into(),
            support_email: None,
            support_url: None,
            email_sender_name: None,
            powered_by: None,
            custom_domain: None,
            subdomain: None,
            created_by: None,
            created_at: now,
            updated_at: now,
        }
    }

    fn asset(id: &str, kind: &str, deleted: bool) -> AssetMeta {
        AssetMeta {
            id: id.into(),
            configuration_id: "c".into(),
            kind: kind.into(),
            content_type: "image/png".into(),
            width: 1,
            height: 1,
            size_bytes: 1,
            sha256: format!("{id}sha"),
            created_at: crate::store::now(),
            deleted_at: deleted.then(crate::store::now),
        }
    }

    #[test]
    fn colours_are_normalised() {
        assert_eq!(parse_color("#ABC").as_deref(), Some("#aabbcc"));
        assert_eq!(parse_color(" #A1b2C3 ").as_deref(), Some("#a1b2c3"));
        for bad in ["abc", "#abcd", "#ggg", "red", "", "#"] {
            assert_eq!(parse_color(bad), None, "{bad}");
        }
    }

    #[test]
    fn nothing_configured_is_the_built_in_default() {
        let v = merge(&[], &HashMap::new());
        assert_eq!(v.product_name, DEFAULT_PRODUCT_NAME);
        assert_eq!(v.colors.primary, DEFAULT_COLORS[0]);
        assert!(v.powered_by && v.logo_url.is_none() && v.warnings.is_empty());
        assert_eq!(v.sources.product_name, BrandingSource::Default);
        assert_eq!(v.sources.colors.text, BrandingSource::Default);
    }

    #[test]
    fn fields_merge_one_by_one_most_specific_first() {
        let mut t = row("tenant");
        t.product_name = Some("Tenant Co".into());
        t.colors = r##"{"primary": "#112233"}"##.into();
        let mut r = row("reseller");
        r.product_name = Some("Reseller Inc".into());
        r.colors = r##"{"primary": "#445566", "accent": "#778899"}"##.into();
        r.support_email = Some("help@reseller.test".into());
        r.powered_by = Some(false);
        let mut p = row("platform");
        p.colors = r##"{"background": "#000"}"##.into();
        p.support_url = Some("https://help.platform.test".into());
        let v = merge(&[t, r, p], &HashMap::new());
        assert_eq!(v.product_name, "Tenant Co");
        assert_eq!(v.sources.product_name, BrandingSource::Tenant);
        assert_eq!(
            (v.colors.primary.as_str(), v.sources.colors.primary),
            ("#112233", BrandingSource::Tenant)
        );
        assert_eq!(
            (v.colors.accent.as_str(), v.sources.colors.accent),
            ("#778899", BrandingSource::Reseller)
        );
        assert_eq!(
            (v.colors.background.as_str(), v.sources.colors.background),
            ("#000000", BrandingSource::Platform)
        );
        assert_eq!(v.sources.colors.secondary, BrandingSource::Default);
        assert_eq!(v.support_email.as_deref(), Some("help@reseller.test"));
        assert_eq!(v.sources.support_url, BrandingSource::Platform);
        assert!(!v.powered_by);
        assert_eq!(v.sources.powered_by, BrandingSource::Reseller);
        assert!(v.warnings.is_empty());
    }

    #[test]
    fn broken_values_fall_back_with_warnings() {
        let mut t = row("tenant");
        t.logo_asset_id = Some("gone".into());
        t.favicon_asset_id = Some("lost".into());
        t.colors = r##"{"primary": "pink", "text": 7}"##.into();
        let mut r = row("reseller");
        r.logo_asset_id = Some("ok".into());
        let assets: HashMap<String, AssetMeta> = [
            ("gone".to_string(), asset("gone", "logo", true)),
            ("ok".to_string(), asset("ok", "logo", false)),
        ]
        .into_iter()
        .collect();
        let v = merge(&[t, r], &assets);
        assert_eq!(v.logo_url.as_deref(), Some("/v1/branding/assets/oksha.png"));
        assert_eq!(v.sources.logo_url, BrandingSource::Reseller);
        assert_eq!(v.sources.favicon_url, BrandingSource::Default);
        assert_eq!(v.colors.primary, DEFAULT_COLORS[0]);
        let fields: Vec<&str> = v.warnings.iter().map(|w| w.field.as_str()).collect();
        assert_eq!(
            fields,
            ["logo_url", "favicon_url", "colors.primary", "colors.text"]
        );
        assert_eq!(
            v.warnings[0].message,
            "the tenant's logo was deleted; the reseller's value is used"
        );
        assert!(v.warnings.iter().all(|w| w.level == BrandingSource::Tenant));
    }
}
