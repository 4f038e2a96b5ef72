//! Fetching job inputs from `http(s)` URLs, with an SSRF guard.
//!
//! A URL is only fetched when every address its host resolves to is public: loopback,
//! private (RFC 1918, CGNAT), link-local (cloud metadata lives there), unique-local,
//! site-local, multicast, unspecified and documentation ranges, and every IPv6 form that
//! embeds an IPv4 address (IPv4-mapped, -compatible and -translated, NAT64, 6to4, Teredo)
//! are refused unless configuration allows
//! private addresses (`VOXFLOW_URL_ALLOW_PRIVATE`). The check runs after DNS resolution and
//! again for every redirect hop (redirects are followed here, never by the client library).
//! Each hop's host is looked up once: the HTTP client is handed exactly the addresses that
//! passed the check (a pinned resolver) and connects to one of them, so a DNS server that
//! answers differently on a second lookup (DNS rebinding) is never asked again. The URL's
//! host still goes in the `Host` header and TLS server name.
//!
//! Blocking I/O: callers run it on the blocking pool.

use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::path::Path;
use std::time::Duration;
use ureq::unversioned::resolver::{ResolvedSocketAddrs, Resolver};

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
            let s = v6.segments();
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                // IPv4-compatible ::/96 (deprecated; `::a.b.c.d` reaches the IPv4 host on some
                // stacks), IPv4-mapped ::ffff:0:0/96 and IPv4-translated ::ffff:0:0:0/96: an
                // IPv4 address in IPv6 clothing is refused, whatever it embeds.
                || s[..6] == [0; 6]
                || (s[..5] == [0; 5] && s[5] == 0xffff)
                || (s[..4] == [0; 4] && s[4] == 0xffff && s[5] == 0)
                // NAT64 64:ff9b::/96 and local-use NAT64 64:ff9b:1::/48 (RFC 8215): a
                // translator forwards them to the embedded IPv4 address, private or not.
                || (s[0] == 0x64 && s[1] == 0xff9b && (s[2..6] == [0; 4] || s[2] == 1))
                // 6to4 2002::/16 and Teredo 2001::/32 tunnel to an embedded IPv4 address.
                || s[0] == 0x2002
                || (s[0] == 0x2001 && s[1] == 0)
                || (s[0] == 0x0100 && s[1..4] == [0; 3]) // discard-only 100::/64
                || (s[0] & 0xfe00) == 0xfc00 // unique local fc00::/7
                || (s[0] & 0xffc0) == 0xfe80 // link-local fe80::/10
                || (s[0] & 0xffc0) == 0xfec0 // site-local fec0::/10 (deprecated, still routed inside some networks)
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

/// The origin (`scheme://host:port`, lower-case, port always written) of an `http(s)` URL:
/// what a stored credential is bound to (`crate::credentials`).
pub fn origin(url: &str) -> Option<String> {
    let (scheme, host, port) = parse(url).ok()?;
    let host = host.to_ascii_lowercase();
    Some(if host.contains(':') {
        format!("{scheme}://[{host}]:{port}")
    } else {
        format!("{scheme}://{host}:{port}")
    })
}

/// Looks a host up: (host, port) → socket addresses. The system resolver in service; tests
/// pass their own to play a DNS server.
pub type Lookup = dyn Fn(&str, u16) -> std::io::Result<Vec<SocketAddr>>;

fn system_lookup(host: &str, port: u16) -> std::io::Result<Vec<SocketAddr>> {
    Ok((host, port).to_socket_addrs()?.collect())
}

/// Resolves the URL's host and checks every address with `allowed`.
pub fn check_destination(url: &str, allowed: &dyn Fn(IpAddr) -> bool) -> Result<(), FetchError> {
    vetted_addresses(url, allowed, &system_lookup).map(|_| ())
}

/// The URL's addresses (one lookup), if every one of them passes `allowed`.
fn vetted_addresses(
    url: &str,
    allowed: &dyn Fn(IpAddr) -> bool,
    lookup: &Lookup,
) -> Result<Vec<SocketAddr>, FetchError> {
    let (_, host, port) = parse(url)?;
    let addrs = lookup(&host, port)
        .map_err(|e| FetchError::InvalidUrl(format!("cannot resolve {host}: {e}")))?;
    if addrs.is_empty() {
        return Err(FetchError::InvalidUrl(format!("{host} has no address")));
    }
    if let Some(bad) = addrs.iter().map(SocketAddr::ip).find(|ip| !allowed(*ip)) {
        return Err(FetchError::Forbidden(format!(
            "{host} resolves to {bad}, a private, loopback or link-local address; such URLs are refused"
        )));
    }
    Ok(addrs)
}

/// An HTTP client for `url` that connects only to the addresses its host resolved to when
/// they were checked with `allowed` (one lookup; see the module docs).
pub fn pinned_agent(
    url: &str,
    config: ureq::config::Config,
    allowed: &dyn Fn(IpAddr) -> bool,
    lookup: &Lookup,
) -> Result<ureq::Agent, FetchError> {
    let addrs = vetted_addresses(url, allowed, lookup)?;
    Ok(ureq::Agent::with_parts(
        config,
        ureq::unversioned::transport::DefaultConnector::new(),
        Pinned(addrs),
    ))
}

/// The system's host lookup.
pub fn system_dns() -> &'static Lookup {
    &system_lookup
}

/// Answers the HTTP client's lookup with addresses already vetted, never asking DNS again.
#[derive(Debug)]
struct Pinned(Vec<SocketAddr>);

impl Resolver for Pinned {
    fn resolve(
        &self,
        _uri: &ureq::http::Uri,
        _config: &ureq::config::Config,
        _timeout: ureq::unversioned::transport::NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let mut out = self.empty();
        for addr in self.0.iter().take(16) {
            out.push(*addr);
        }
        Ok(out)
    }
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
    download_with(url, dest, max_bytes, allowed, &system_lookup)
}

/// [`download`] with the host lookup given.
pub fn download_with(
    url: &str,
    dest: &Path,
    max_bytes: u64,
    allowed: &dyn Fn(IpAddr) -> bool,
    lookup: &Lookup,
) -> Result<(String, u64), FetchError> {
    let config = ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .timeout_connect(Some(Duration::from_secs(15)))
        .timeout_per_read(Some(Duration::from_secs(60)))
        .user_agent(concat!("voxflow/", env!("CARGO_PKG_VERSION")))
        .build();
    let mut current = url.to_string();
    for _ in 0..=MAX_REDIRECTS {
        let agent = pinned_agent(&current, config.clone(), allowed, lookup)?;
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

    fn refused(ip: &str) -> bool {
        !is_public(ip.parse().expect("ip"))
    }

    #[test]
    fn nat64_is_refused() {
        // 64:ff9b::/96 reaches the embedded IPv4 address through a translator.
        for ip in [
            "64:ff9b::7f00:1",
            "64:ff9b::a9fe:a9fe",
            "64:ff9b::808:808",
            "64:ff9b::",
        ] {
            assert!(refused(ip), "{ip}");
        }
        assert!(
            refused("64:ff9b:1::a00:1"),
            "local-use NAT64 64:ff9b:1::/48"
        );
        assert!(!refused("64:ff9c::1"), "outside the prefix");
    }

    #[test]
    fn six_to_four_is_refused() {
        // 2002:AABB:CCDD::/48 tunnels to AA.BB.CC.DD.
        for ip in [
            "2002:7f00:1::1",
            "2002:a9fe:a9fe::",
            "2002::",
            "2002:ffff:ffff:ffff::1",
        ] {
            assert!(refused(ip), "{ip}");
        }
        assert!(!refused("2003::1"));
    }

    #[test]
    fn ipv4_compatible_addresses_are_refused() {
        // ::/96 (`::a.b.c.d`), including what looks public.
        for ip in ["::127.0.0.1", "::169.254.169.254", "::8.8.8.8", "::2", "::"] {
            assert!(refused(ip), "{ip}");
        }
    }

    #[test]
    fn ipv4_mapped_addresses_are_refused() {
        // ::ffff:0:0/96, whatever IPv4 address it maps; and IPv4-translated ::ffff:0:0:0/96.
        for ip in [
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:8.8.8.8",
            "::ffff:0:0",
            "::ffff:0:808:808",
        ] {
            assert!(refused(ip), "{ip}");
        }
    }

    #[test]
    fn site_local_is_refused() {
        // fec0::/10.
        for ip in ["fec0::1", "fed0::1", "feff:ffff::1"] {
            assert!(refused(ip), "{ip}");
        }
        assert!(!refused("2606:4700::1"), "global unicast stays allowed");
    }

    #[test]
    fn the_guard_refuses_embedded_ipv4_destinations_end_to_end() {
        let deny = policy(false);
        for url in [
            "http://[64:ff9b::a9fe:a9fe]/latest/meta-data",
            "http://[2002:a9fe:a9fe::1]/x",
            "http://[::169.254.169.254]/x",
            "http://[::ffff:169.254.169.254]/x",
            "http://[fec0::1]/x",
        ] {
            assert!(
                matches!(check_destination(url, &deny), Err(FetchError::Forbidden(_))),
                "{url}"
            );
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

    /// A DNS server that answers the guard with an allowed address and anyone asking later
    /// with a forbidden one (DNS rebinding) never gets a second question: the download
    /// connects to the vetted address. `media.test` exists in no real DNS, so the download
    /// working at all shows the HTTP client did no lookup of its own.
    #[test]
    fn connections_go_to_the_vetted_address_not_a_rebound_one() {
        let body = b"RIFF....WAVEfmt data";
        let port = serve(vec![[
            format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", body.len()).into_bytes(),
            body.to_vec(),
        ]
        .concat()]);
        let asked = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = asked.clone();
        let rebinding_dns = move |host: &str, port: u16| -> std::io::Result<Vec<SocketAddr>> {
            assert_eq!(host, "media.test");
            let ip = if counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
                "127.0.0.1"
            } else {
                "169.254.169.254"
            };
            Ok(vec![SocketAddr::new(ip.parse().expect("ip"), port)])
        };
        let only_loopback = |ip: IpAddr| ip.is_loopback();
        let dir = tempfile::tempdir().expect("dir");
        let (_, n) = download_with(
            &format!("http://media.test:{port}/a.wav"),
            &dir.path().join("a"),
            1000,
            &only_loopback,
            &rebinding_dns,
        )
        .expect("download from the vetted address");
        assert_eq!(n, body.len() as u64);
        assert_eq!(asked.load(std::sync::atomic::Ordering::SeqCst), 1);
        // Asked again, the same DNS now names the metadata address: refused before any
        // connection.
        let err = download_with(
            &format!("http://media.test:{port}/a.wav"),
            &dir.path().join("b"),
            1000,
            &only_loopback,
            &rebinding_dns,
        )
        .expect_err("refused");
        assert!(matches!(err, FetchError::Forbidden(_)), "{err:?}");
    }
}
