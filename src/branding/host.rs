//! Host names: what a login page's `Host` (or `?host=`) is, and which custom domains and
//! subdomains a configuration may claim.
//!
//! The subdomain rule: with `VOXFLOW_BRANDING_BASE_DOMAIN` set (say `voxflow.app`), a host
//! of exactly one more label, `<label>.voxflow.app`, is looked up as a configuration's
//! `subdomain` (`acme`). Anything else is looked up as a `custom_domain`. Without a base
//! domain only custom domains match.

/// Subdomains no configuration may claim (they name the service's own hosts).
pub const RESERVED_SUBDOMAINS: &[&str] =
    &["www", "api", "admin", "app", "static", "assets", "mail"];

fn valid_label(l: &str) -> bool {
    !l.is_empty()
        && l.len() <= 63
        && !l.starts_with('-')
        && !l.ends_with('-')
        && l.bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
}

/// A DNS name in normal form (lowercase, no trailing dot), or `None` if it is not one.
fn dns_name(s: &str) -> Option<String> {
    let s = s.trim().trim_end_matches('.').to_ascii_lowercase();
    (!s.is_empty() && s.len() <= 253 && s.split('.').all(valid_label)).then_some(s)
}

/// A request's host in normal form: lowercase, without port or trailing dot. IP literals
/// and anything that is not a DNS name give `None` (they match no configuration).
pub fn normalize_host(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.starts_with('[') {
        return None;
    }
    let name = match raw.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        Some(_) => return None,
        None => raw,
    };
    let name = dns_name(name)?;
    if name
        .split('.')
        .all(|l| l.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    Some(name)
}

/// The subdomain label of `host` under `base` (`acme` for `acme.voxflow.app`), if `host`
/// is exactly one label below it.
pub fn subdomain_of<'a>(host: &'a str, base: &str) -> Option<&'a str> {
    if base.is_empty() {
        return None;
    }
    let label = host.strip_suffix(base)?.strip_suffix('.')?;
    (!label.is_empty() && !label.contains('.')).then_some(label)
}

/// Checks a custom domain for a configuration: a DNS name of at least two labels, not an
/// IP address, and neither the base domain nor under it (those hosts are subdomains).
pub fn parse_custom_domain(input: &str, base: &str) -> Result<String, &'static str> {
    let name = dns_name(input).ok_or(
        "must be a host name: letters, digits and hyphens in dot-separated labels (punycode for IDNs)",
    )?;
    if !name.contains('.') {
        return Err("must have at least two labels, e.g. login.example.com");
    }
    if name
        .split('.')
        .all(|l| l.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err("must be a host name, not an IP address");
    }
    if !base.is_empty() && (name == base || name.ends_with(&format!(".{base}"))) {
        return Err("is under the branding base domain: set `subdomain` instead");
    }
    Ok(name)
}

/// Checks a subdomain label for a configuration.
pub fn parse_subdomain(input: &str) -> Result<String, &'static str> {
    let label = input.trim().to_ascii_lowercase();
    if !valid_label(&label) {
        return Err("must be one DNS label: 1 to 63 lowercase letters, digits or hyphens, not starting or ending with a hyphen");
    }
    if RESERVED_SUBDOMAINS.contains(&label.as_str()) {
        return Err("is reserved");
    }
    Ok(label)
}

/// Checks `VOXFLOW_BRANDING_BASE_DOMAIN` (empty: no subdomains).
pub fn parse_base_domain(input: &str) -> Result<String, String> {
    if input.trim().is_empty() {
        return Ok(String::new());
    }
    match dns_name(input) {
        Some(n) if n.contains('.') => Ok(n),
        _ => Err(format!(
            "VOXFLOW_BRANDING_BASE_DOMAIN is {input:?}: it must be a domain name such as voxflow.app"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_lose_port_case_and_trailing_dot() {
        assert_eq!(
            normalize_host("Login.Acme.COM:8443").as_deref(),
            Some("login.acme.com")
        );
        assert_eq!(normalize_host("acme.com.").as_deref(), Some("acme.com"));
        assert_eq!(normalize_host("localhost").as_deref(), Some("localhost"));
        for bad in [
            "",
            "[::1]:80",
            "127.0.0.1:8080",
            "a b.com",
            "x:y",
            "-a.com",
            "ä.com",
        ] {
            assert_eq!(normalize_host(bad), None, "{bad}");
        }
    }

    #[test]
    fn subdomains_are_one_label_under_the_base() {
        assert_eq!(
            subdomain_of("acme.voxflow.app", "voxflow.app"),
            Some("acme")
        );
        assert_eq!(subdomain_of("a.b.voxflow.app", "voxflow.app"), None);
        assert_eq!(subdomain_of("voxflow.app", "voxflow.app"), None);
        assert_eq!(subdomain_of("evilvoxflow.app", "voxflow.app"), None);
        assert_eq!(subdomain_of("acme.voxflow.app", ""), None);
    }

    #[test]
    fn claims_are_checked() {
        assert_eq!(
            parse_custom_domain(" Login.Acme.com ", "voxflow.app").as_deref(),
            Ok("login.acme.com")
        );
        for bad in [
            "acme",
            "10.0.0.1",
            "x.voxflow.app",
            "voxflow.app",
            "a_b.com",
            "",
        ] {
            assert!(parse_custom_domain(bad, "voxflow.app").is_err(), "{bad}");
        }
        assert_eq!(parse_subdomain("Acme-1").as_deref(), Ok("acme-1"));
        for bad in ["www", "a.b", "-a", "", &"x".repeat(64)] {
            assert!(parse_subdomain(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_base_domain("").as_deref(), Ok(""));
        assert!(parse_base_domain("localhost").is_err());
    }
}
