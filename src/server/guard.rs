//! What every request passes before it is answered, and what every answer carries:
//! the Host header must name the address the connection came in on (a page on another
//! site cannot rebind its own name to 127.0.0.1 and read the index), only GET and HEAD
//! are answered, and every response says not to sniff types, send referrers or be
//! framed.

use std::net::IpAddr;

use axum::extract::Request;
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::answer::ApiError;
use super::ConnectionAddr;

/// The Content-Security-Policy of answers that are not pages: nothing may load or run.
const DATA_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

/// The guard in front of every route.
pub async fn guard(request: Request, next: Next) -> Response {
    let local = request.extensions().get::<ConnectionAddr>().copied();
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let mut response = if let Some(ConnectionAddr(local)) = local {
        if !host_is_served(host, local.ip(), local.port()) {
            ApiError::ForeignHost(printable(host)).into_response()
        } else if request.method() != Method::GET && request.method() != Method::HEAD {
            ApiError::MethodNotAllowed.into_response()
        } else {
            next.run(request).await
        }
    } else {
        // Requests that did not come through the accept loop (none do): refuse.
        ApiError::ForeignHost(printable(host)).into_response()
    };
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(DATA_POLICY));
    response
}

/// Does a Host header name the address a connection came in on? `localhost` counts for
/// a loopback address; the port must be the served one (80 when none is written).
pub fn host_is_served(host: &str, local: IpAddr, port: u16) -> bool {
    let (name, host_port) = split_host(host);
    let host_port = match host_port {
        Some(text) => match text.parse::<u16>() {
            Ok(p) => p,
            Err(_) => return false,
        },
        None => 80,
    };
    if host_port != port || name.is_empty() {
        return false;
    }
    if name.eq_ignore_ascii_case("localhost") {
        return local.is_loopback();
    }
    match name.parse::<IpAddr>() {
        Ok(ip) => ip == local || (ip.is_loopback() && local.is_loopback()),
        Err(_) => false,
    }
}

/// `name:port`, `[v6]:port`, `name` or `[v6]`.
fn split_host(host: &str) -> (&str, Option<&str>) {
    if let Some(rest) = host.strip_prefix('[') {
        return match rest.split_once(']') {
            Some((ip, after)) => (ip, after.strip_prefix(':')),
            None => ("", None),
        };
    }
    match host.rsplit_once(':') {
        Some((name, port)) => (name, Some(port)),
        None => (host, None),
    }
}

/// A header value as quoted in a message.
fn printable(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).take(100).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_served_address_is_a_host() {
        let loopback: IpAddr = "127.0.0.1".parse().unwrap();
        assert!(host_is_served("127.0.0.1:8730", loopback, 8730));
        assert!(host_is_served("localhost:8730", loopback, 8730));
        assert!(host_is_served("LOCALHOST:8730", loopback, 8730));
        assert!(!host_is_served("evil.example:8730", loopback, 8730));
        assert!(!host_is_served("127.0.0.1:9999", loopback, 8730));
        assert!(!host_is_served("127.0.0.1", loopback, 8730));
        assert!(!host_is_served("", loopback, 8730));
        assert!(!host_is_served("localhost:80x", loopback, 8730));
        let v6: IpAddr = "::1".parse().unwrap();
        assert!(host_is_served("[::1]:8730", v6, 8730));
        let lan: IpAddr = "192.168.1.5".parse().unwrap();
        assert!(host_is_served("192.168.1.5:8730", lan, 8730));
        assert!(!host_is_served("localhost:8730", lan, 8730));
    }
}
