//! The client's address, for the login throttle and the audit log.
//!
//! By default it is the TCP peer, and `X-Forwarded-For` / `Forwarded` are ignored: anyone
//! can send them. Behind a reverse proxy every request comes from the proxy, so the
//! operator lists the proxies' addresses (`VOXFLOW_TRUSTED_PROXIES`, IPs or CIDRs) and
//! names the header they set (`VOXFLOW_CLIENT_IP_HEADER`, `x-forwarded-for` or
//! `forwarded`). Only when the peer is one of them is the header read, right to left: the
//! first address that is not a trusted proxy is the client (anything further left was
//! written by the client and is not believed). Only the configured header is read, so a
//! client cannot slip its own `Forwarded` past a proxy that only appends
//! `X-Forwarded-For`.

use actix_web::http::header::HeaderMap;
use std::net::IpAddr;

/// An IP network: an address and a prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// `10.0.0.0/8`, `2001:db8::/32` or a single address.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a.trim(), Some(p.trim().parse::<u8>().ok()?)),
            None => (s, None),
        };
        let addr: IpAddr = addr.parse().ok()?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        (prefix <= max).then_some(Cidr { addr, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        match (self.addr.to_canonical(), ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// Which header the trusted proxies set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForwardedHeader {
    XForwardedFor,
    Forwarded,
}

impl ForwardedHeader {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "x-forwarded-for" => Some(Self::XForwardedFor),
            "forwarded" => Some(Self::Forwarded),
            _ => None,
        }
    }
}

/// The trusted proxies and the header they set; empty: the peer is the client.
#[derive(Debug, Clone)]
pub struct TrustedProxies {
    nets: Vec<Cidr>,
    header: ForwardedHeader,
}

impl TrustedProxies {
    /// From the comma-separated list of the setting; `Err` names the entry it cannot read.
    pub fn parse(list: &str, header: &str) -> Result<Self, String> {
        let header = ForwardedHeader::parse(header).ok_or_else(|| {
            format!("client_ip_header must be x-forwarded-for or forwarded, not {header:?}")
        })?;
        let nets = list
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                Cidr::parse(s)
                    .ok_or_else(|| format!("trusted_proxies: {s:?} is not an IP address or CIDR"))
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { nets, header })
    }

    pub fn none() -> Self {
        Self {
            nets: Vec::new(),
            header: ForwardedHeader::XForwardedFor,
        }
    }

    fn trusted(&self, ip: IpAddr) -> bool {
        self.nets.iter().any(|n| n.contains(ip))
    }

    /// The client's address for a request from `peer` with `headers`.
    pub fn client_ip(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Option<IpAddr> {
        let peer = peer?.to_canonical();
        if !self.trusted(peer) {
            return Some(peer);
        }
        // Hops in order, client side first; every header line counts, in order.
        let hops: Vec<Option<IpAddr>> = match self.header {
            ForwardedHeader::XForwardedFor => headers
                .get_all("x-forwarded-for")
                .flat_map(|v| {
                    v.to_str()
                        .unwrap_or("\u{0}")
                        .split(',')
                        .map(str::to_string)
                        .collect::<Vec<_>>()
                })
                .map(|h| parse_node(&h))
                .collect(),
            ForwardedHeader::Forwarded => headers
                .get_all("forwarded")
                .flat_map(|v| {
                    v.to_str()
                        .unwrap_or("\u{0}")
                        .split(',')
                        .map(str::to_string)
                        .collect::<Vec<_>>()
                })
                .map(|element| {
                    element
                        .split(';')
                        .find_map(|pair| {
                            let (k, v) = pair.split_once('=')?;
                            k.trim().eq_ignore_ascii_case("for").then(|| v.to_string())
                        })
                        .and_then(|v| parse_node(&v))
                })
                .collect(),
        };
        let mut client = peer;
        for hop in hops.into_iter().rev() {
            // An entry that is no address was not written by a proxy we trust to write
            // addresses: stop at the last hop we could vouch for.
            let Some(ip) = hop else { break };
            client = ip;
            if !self.trusted(ip) {
                break;
            }
        }
        Some(client)
    }
}

/// One node of either header: `192.0.2.1`, `192.0.2.1:4711`, `"[2001:db8::1]:4711"`,
/// `2001:db8::1`.
fn parse_node(s: &str) -> Option<IpAddr> {
    let s = s.trim().trim_matches('"').trim();
    if let Ok(ip) = s.parse::<IpAddr>() {
        return Some(ip.to_canonical());
    }
    if let Some(rest) = s.strip_prefix('[') {
        return rest
            .split(']')
            .next()?
            .parse::<IpAddr>()
            .ok()
            .map(|i| i.to_canonical());
    }
    let (host, port) = s.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    host.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::{HeaderName, HeaderValue};

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(HeaderName::from_static(k), HeaderValue::from_static(v));
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn cidrs() {
        let n = Cidr::parse("10.0.0.0/8").expect("cidr");
        assert!(n.contains(ip("10.1.2.3")));
        assert!(n.contains(ip("::ffff:10.1.2.3")), "v4-mapped peers");
        assert!(!n.contains(ip("11.0.0.1")));
        let one = Cidr::parse("192.0.2.7").expect("single");
        assert!(one.contains(ip("192.0.2.7")) && !one.contains(ip("192.0.2.8")));
        let v6 = Cidr::parse("2001:db8::/32").expect("v6");
        assert!(v6.contains(ip("2001:db8:1::1")) && !v6.contains(ip("2001:db9::1")));
        assert!(Cidr::parse("0.0.0.0/0")
            .expect("all")
            .contains(ip("8.8.8.8")));
        for bad in ["10.0.0.0/33", "nope", "10.0.0/8", "::/129"] {
            assert!(Cidr::parse(bad).is_none(), "{bad}");
        }
        assert!(TrustedProxies::parse("10.0.0.1, nope", "x-forwarded-for").is_err());
        assert!(TrustedProxies::parse("", "x-real-ip").is_err());
    }

    #[test]
    fn headers_are_ignored_unless_the_peer_is_trusted() {
        let none = TrustedProxies::none();
        let h = headers(&[("x-forwarded-for", "1.2.3.4"), ("forwarded", "for=1.2.3.4")]);
        assert_eq!(
            none.client_ip(Some(ip("127.0.0.1")), &h),
            Some(ip("127.0.0.1"))
        );
        let t = TrustedProxies::parse("127.0.0.1", "x-forwarded-for").expect("ok");
        assert_eq!(
            t.client_ip(Some(ip("192.0.2.9")), &h),
            Some(ip("192.0.2.9"))
        );
    }

    #[test]
    fn the_right_most_untrusted_hop_is_the_client() {
        let t = TrustedProxies::parse("127.0.0.1, 10.0.0.0/8", "x-forwarded-for").expect("ok");
        let peer = Some(ip("127.0.0.1"));
        let h = headers(&[("x-forwarded-for", "6.6.6.6, 203.0.113.7, 10.0.0.5")]);
        assert_eq!(t.client_ip(peer, &h), Some(ip("203.0.113.7")));
        let two_lines = headers(&[
            ("x-forwarded-for", "6.6.6.6"),
            ("x-forwarded-for", "203.0.113.8"),
        ]);
        assert_eq!(t.client_ip(peer, &two_lines), Some(ip("203.0.113.8")));
        let garbage = headers(&[("x-forwarded-for", "203.0.113.7, bogus, 10.0.0.5")]);
        assert_eq!(t.client_ip(peer, &garbage), Some(ip("10.0.0.5")));
        assert_eq!(t.client_ip(peer, &HeaderMap::new()), Some(ip("127.0.0.1")));
        // Only the configured header counts.
        let fwd = headers(&[("forwarded", "for=203.0.113.7")]);
        assert_eq!(t.client_ip(peer, &fwd), Some(ip("127.0.0.1")));
        let t = TrustedProxies::parse("127.0.0.1", "forwarded").expect("ok");
        let fwd = headers(&[(
            "forwarded",
            "for=6.6.6.6, for=\"[2001:db8::17]:4711\";proto=https, for=127.0.0.1",
        )]);
        assert_eq!(t.client_ip(peer, &fwd), Some(ip("2001:db8::17")));
        let fwd = headers(&[("forwarded", "for=192.0.2.60:8080;by=203.0.113.43")]);
        assert_eq!(t.client_ip(peer, &fwd), Some(ip("192.0.2.60")));
    }
}
