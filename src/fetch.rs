//! Fetching job inputs from `http(s)` URLs, with an SSRF guard.
//!
//! A URL is only fetched when every address its host resolves to is public: loopback,
//! private (RFC 1918, CGNAT), link-local (cloud metadata lives there), unique-local,
//! multicast, unspecified and documentation ranges are refused unless configuration allows
//! private addresses (`VOXFLOW_URL_ALLOW_PRIVATE`). The check runs after DNS resolution and
//! again for every redirect hop (redirects are followed here, never by the client library).
//! Known gap: the HTTP client resolves the host again when connecting, so a DNS server that
//! answers differently within that instant (rebinding) is not caught.
//!
//! Blocking I/O: callers run it on the blocking pool.

use std::io::{Read, Write};
use std::net::{IpAddr, ToSocketAddrs};
use std::path::Path;
use std::time::Duration;

const MAX_REDIRECTS: usize = 5;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum FetchError {
    #[error("invalid URL: {0}")]
    InvalidUrl(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("download failed: {0}")]
    Http(String),
    #[error("the download exceeds the limit of {0} bytes")]
    TooLarge(u64),
}

/// Is `ip` a public unicast address?
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_multicast()
                || v4.is_broadcast()
                || v4.is_documentation()
                || o[0] == 0
                || (o[0] == 100 && (64..128).contains(&o[1])) // CGNAT 100.64/10
                || (o[0] == 198 && (o[1] == 18 || o[1] == 19)) // benchmarking
                || o[0] >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let s = v6.segments();
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00 // unique local fc00::/7
                || (s[0] & 0xffc0) == 0xfe80 // link-local fe80::/10
                || s[0] == 0x2001 && s[1] == 0x0db8) // documentation
        }
    }
}

/// Parses an `http(s)` URL into (scheme, host, port).
fn parse(url: &str) -> Result<(String, String, u16), FetchError> {
    let uri: actix_web::http::Uri = url
        .parse()
        .map_err(|_| FetchError::InvalidUrl(url.to_string()))?;
    let scheme = uri.scheme_str().unwrap_or("").to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => 80,
        "https" => 443,
        _ => {
            return Err(FetchError::InvalidUrl(
                "only http and https URLs are accepted".into(),
            ))
        }
    };
    let host = uri
        .host()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| FetchError::InvalidUrl("the URL has no host".into()))?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_string();
    Ok((scheme, host, uri.port_u16().unwrap_or(default_port)))
}

/// Resolves the URL's host and checks every address with `allowed`.
pub fn check_destination(url: &str, allowed: &dyn Fn(IpAddr) -> bool) -> Result<(), FetchError> {
    let (_, host, port) = parse(url)?;
    let addrs: Vec<IpAddr> = (host.as_str(), port)
        .to_socket_addrs()
        .map_err(|e| FetchError::InvalidUrl(format!("cannot resolve {host}: {e}")))?
        .map(|a| a.ip())
        .collect();
    if addrs.is_empty() {
        return Err(FetchError::InvalidUrl(format!("{host} has no address")));
    }
    if let Some(bad) = addrs.iter().find(|ip| !allowed(**ip)) {
        return Err(FetchError::Forbidden(format!(
            "{host} resolves to {bad}, a private, loopback or link-local address; such URLs are refused"
        )));
    }
    Ok(())
}

/// The address policy from configuration.
pub fn policy(allow_private: bool) -> impl Fn(IpAddr) -> bool {
    move |ip| allow_private || is_public(ip)
}

/// Downloads `url` into `dest` (at most `max_bytes`), following up to 5 redirects and
/// checking every hop's destination. Returns the final URL and the size.
pub fn download(
    url: &str,
    dest: &Path,
    max_bytes: u64,
    allowed: &dyn Fn(IpAddr) -> bool,
) -> Result<(String, u64), FetchError> {
    let agent = ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .timeout_connect(Some(Duration::from_secs(15)))
        .timeout_per_read(Some(Duration::from_secs(60)))
        .user_agent(concat!("voxflow/", env!("CARGO_PKG_VERSION")))
        .build()
        .new_agent();
    let mut current = url.to_string();
    for _ in 0..=MAX_REDIRECTS {
        check_destination(&current, allowed)?;
        let response = agent
            .get(&current)
            .call()
            .map_err(|e| FetchError::Http(e.to_string()))?;
        let status = response.status().as_u16();
        if (300..400).contains(&status) {
            let location = response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .ok_or_else(|| FetchError::Http(format!("redirect {status} without a Location")))?;
            current = resolve_location(&current, location)?;
            continue;
        }
        if !(200..300).contains(&status) {
            return Err(FetchError::Http(format!("the server answered {status}")));
        }
        let mut body = response.into_body().into_reader();
        let mut file = std::fs::File::create(dest).map_err(|e| FetchError::Http(e.to_string()))?;
        let mut buf = vec![0u8; 64 * 1024];
        let mut total: u64 = 0;
        loop {
            let n = body
                .read(&mut buf)
                .map_err(|e| FetchError::Http(e.to_string()))?;
            if n == 0 {
                break;
            }
            total += n as u64;
            if total > max_bytes {
                drop(file);
                let _ = std::fs::remove_file(dest);
                return Err(FetchError::TooLarge(max_bytes));
            }
            file.write_all(&buf[..n])
                .map_err(|e| FetchError::Http(e.to_string()))?;
        }
        return Ok((current, total));
    }
    Err(FetchError::Http(format!(
        "more than {MAX_REDIRECTS} redirects"
    )))
}

/// An absolute or host-relative `Location` against the URL it came from.
fn resolve_location(base: &str, location: &str) -> Result<String, FetchError> {
    if location.starts_with("http://") || location.starts_with("https://") {
        return Ok(location.to_string());
    }
    let (scheme, host, port) = parse(base)?;
    if let Some(path) = location.strip_prefix('/') {
        let host = if host.contains(':') {
            format!("[{host}]")
        } else {
            host
        };
        return Ok(format!("{scheme}://{host}:{port}/{path}"));
    }
    Err(FetchError::Http(format!(
        "unsupported redirect target {location}"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::BufRead;

    #[test]
    fn private_and_special_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "224.0.0.1",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(!is_public(ip.parse().expect("ip")), "{ip}");
        }
        for ip in ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111"] {
            assert!(is_public(ip.parse().expect("ip")), "{ip}");
        }
    }

    #[test]
    fn the_default_policy_refuses_internal_destinations() {
        let deny = policy(false);
        for url in [
            "http://127.0.0.1:9/x.wav",
            "http://localhost/x",
            "http://[::1]/x",
            "http://169.254.169.254/latest/meta-data",
        ] {
            assert!(
                matches!(check_destination(url, &deny), Err(FetchError::Forbidden(_))),
                "{url}"
            );
        }
        assert!(matches!(
            check_destination("ftp://example.com/x", &deny),
            Err(FetchError::InvalidUrl(_))
        ));
        assert!(matches!(
            check_destination("not a url", &deny),
            Err(FetchError::InvalidUrl(_))
        ));
    }

    /// A one-shot loopback server answering each connection with the next canned response.
    fn serve(responses: Vec<Vec<u8>>) -> u16 {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        std::thread::spawn(move || {
            for response in responses {
                let Ok((mut s, _)) = listener.accept() else {
                    return;
                };
                let mut reader = std::io::BufReader::new(s.try_clone().expect("clone"));
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let _ = s.write_all(&response);
            }
        });
        port
    }

    #[test]
    fn redirects_are_checked_hop_by_hop() {
        let port = serve(vec![b"HTTP/1.1 302 Found\r\nLocation: http://169.254.169.254/latest\r\nContent-Length: 0\r\n\r\n".to_vec()]);
        let dir = tempfile::tempdir().expect("dir");
        let loopback_only = |ip: IpAddr| ip.is_loopback();
        let err = download(
            &format!("http://127.0.0.1:{port}/a.wav"),
            &dir.path().join("a"),
            1000,
            &loopback_only,
        )
        .expect_err("refused");
        assert!(matches!(err, FetchError::Forbidden(_)), "{err:?}");
    }

    #[test]
    fn downloads_follow_relative_redirects_and_respect_the_size_limit() {
        let body = b"RIFF....WAVEfmt data";
        let ok = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", body.len()).into_bytes();
        let port = serve(vec![
            b"HTTP/1.1 301 Moved\r\nLocation: /b.wav\r\nContent-Length: 0\r\n\r\n".to_vec(),
            [ok.clone(), body.to_vec()].concat(),
            [ok, body.to_vec()].concat(),
        ]);
        let dir = tempfile::tempdir().expect("dir");
        let allow = policy(true);
        let (url, n) = download(
            &format!("http://127.0.0.1:{port}/a.wav"),
            &dir.path().join("a"),
            1000,
            &allow,
        )
        .expect("download");
        assert!(url.ends_with("/b.wav"));
        assert_eq!(n, body.len() as u64);
        assert_eq!(std::fs::read(dir.path().join("a")).expect("file"), body);
        let err = download(
            &format!("http://127.0.0.1:{port}/c.wav"),
            &dir.path().join("c"),
            5,
            &allow,
        )
        .expect_err("too big");
        assert_eq!(err, FetchError::TooLarge(5));
        assert!(!dir.path().join("c").exists());
    }
}
