//! Who is on the other end: the client's address, for the audit log and sign-in throttling.
//!
//! Directly connected clients are who they are. Behind a reverse proxy or load balancer every
//! connection comes from the proxy, so when (and only when) the peer is a configured trusted
//! proxy, the address is read from `X-Forwarded-For`, right to left, skipping trusted hops.
//! An untrusted peer cannot choose its own address by sending the header.

use std::net::{IpAddr, SocketAddr};

use app::audit::ClientAddress;
use axum::{
    body::Body,
    extract::{ConnectInfo, State},
    http::{HeaderMap, Request},
    middleware::Next,
    response::Response,
};
use ipnet::IpNet;

use crate::AppState;

/// The client's address, given the connection's peer, the request's headers and the proxies
/// trusted to report it.
pub fn resolve(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        // A malformed entry: nothing further left can be believed.
        let Ok(ip) = hop.parse::<IpAddr>() else {
            break;
        };
        client = ip;
        if !is_trusted(&ip) {
            break;
        }
    }
    client
}

/// Puts the [`ClientAddress`] on the request.
pub async fn identify(
    State(state): State<AppState>,
    mut request: Request<Body>,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    if let Some(peer) = peer {
        let ip = resolve(peer, request.headers(), &state.settings.trusted_proxies);
        request
            .extensions_mut()
            .insert(ClientAddress(ip.to_string()));
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for value in values {
            map.append("x-forwarded-for", value.parse().expect("header"));
        }
        map
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn an_untrusted_peer_cannot_claim_another_address() {
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().expect("net")];
        let forged = headers(&["198.51.100.7"]);
        assert_eq!(
            resolve(ip("203.0.113.9"), &forged, &trusted),
            ip("203.0.113.9")
        );
        assert_eq!(resolve(ip("203.0.113.9"), &forged, &[]), ip("203.0.113.9"));
    }

    #[test]
    fn behind_trusted_proxies_the_first_untrusted_hop_from_the_right_is_the_client() {
        let trusted: Vec<IpNet> = vec![
            "10.0.0.0/8".parse().expect("net"),
            "2001:db8::/32".parse().expect("net"),
        ];
        // The client forged the first entry; the proxies appended the rest.
        let chain = headers(&["1.2.3.4, 198.51.100.7", "10.0.0.2"]);
        assert_eq!(
            resolve(ip("10.0.0.1"), &chain, &trusted),
            ip("198.51.100.7")
        );
        let v6 = headers(&["2001:db8::5, 2001:db8::6"]);
        assert_eq!(resolve(ip("2001:db8::1"), &v6, &trusted), ip("2001:db8::5"));
        assert_eq!(
            resolve(ip("10.0.0.1"), &headers(&[]), &trusted),
            ip("10.0.0.1")
        );
        let garbage = headers(&["198.51.100.7, not-an-ip, 10.0.0.3"]);
        assert_eq!(resolve(ip("10.0.0.1"), &garbage, &trusted), ip("10.0.0.3"));
    }
}
