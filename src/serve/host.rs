//! Preview: which `Host` a request may name (protection against DNS rebinding). The preview
//! answers only requests addressed to this machine by a name or address that no other site can
//! take over: `localhost`, a loopback address, the bound address, the machine's own host name.
//!
//! A page on another site reaches a local server by pointing its own name at 127.0.0.1 once the
//! page is loaded; the browser then calls that the same origin and lets the page read the
//! answers (drafts included). The request still carries the other site's name in `Host`, so it
//! is refused (README, "Previewing").
//!
//! The port is not compared: a rebound name is refused whatever port it names, while an SSH
//! tunnel or a container's port mapping shows the preview under another port legitimately.
//! An IP address is never looked up in DNS, so it cannot be rebound: with `--bind 0.0.0.0` (or
//! `::`) any address is accepted — the machine's own, and those a port forward shows it under.

use std::net::{IpAddr, SocketAddr};

use crate::messages::Messages;

/// The hosts one server answers to.
#[derive(Debug, Clone)]
pub struct Hosts {
    bound: SocketAddr,
    /// The machine's host name, lower case.
    machine: Option<String>,
}

impl Hosts {
    /// For a server bound to `bound` on this machine.
    pub fn for_this_machine(bound: SocketAddr) -> Hosts {
        Hosts::new(bound, machine_name())
    }

    pub fn new(bound: SocketAddr, machine: Option<String>) -> Hosts {
        let machine = machine
            .map(|m| m.trim_end_matches('.').to_ascii_lowercase())
            .filter(|m| !m.is_empty());
        Hosts { bound, machine }
    }

    /// Whether a request whose `Host` header (or absolute URI authority) is `host` is for us.
    pub fn allows(&self, host: &str) -> bool {
        let Some(name) = host_name(host) else {
            return false;
        };
        if let Some(ip) = parse_ip(name) {
            return ip.is_loopback() || ip == self.bound.ip() || self.bound.ip().is_unspecified();
        }
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        name == "localhost" || self.machine.as_deref() == Some(name.as_str())
    }

    /// The names allowed, as told in a refusal (in the language of `m`).
    pub fn describe(&self, m: &Messages) -> String {
        let port = self.bound.port();
        let mut names = vec![
            format!("localhost:{port}"),
            format!("127.0.0.1:{port}"),
            format!("[::1]:{port}"),
        ];
        if self.bound.ip().is_unspecified() {
            names.push(m.text("serve.any_address"));
        } else if !self.bound.ip().is_loopback() {
            names.push(self.bound.to_string());
        }
        if let Some(m) = &self.machine {
            names.push(format!("{m}:{port}"));
        }
        names.join(&m.text("list.separator"))
    }
}

/// The host part of a `Host` value (`name`, `1.2.3.4`, `[::1]`, each with an optional
/// `:port`); `None` when it is not of that form.
fn host_name(host: &str) -> Option<&str> {
    let (name, port) = match host.strip_prefix('[') {
        Some(rest) => {
            let (inside, after) = rest.split_once(']')?;
            inside.parse::<std::net::Ipv6Addr>().ok()?;
            match after {
                "" => (inside, None),
                _ => (inside, Some(after.strip_prefix(':')?)),
            }
        }
        None => match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        },
    };
    if let Some(p) = port
        && (p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let plain = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:_".contains(&b));
    plain.then_some(name)
}

fn parse_ip(name: &str) -> Option<IpAddr> {
    name.parse().ok()
}

/// This machine's host name, where the system tells it.
fn machine_name() -> Option<String> {
    #[cfg(target_os = "linux")]
    {
        let uname = rustix::system::uname();
        uname.nodename().to_str().ok().map(str::to_string)
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loopback() -> Hosts {
        Hosts::new("127.0.0.1:4000".parse().unwrap(), Some("Desk.".into()))
    }

    #[test]
    fn this_machine_s_names_are_allowed_with_any_port() {
        let h = loopback();
        for ok in [
            "localhost",
            "localhost:4000",
            "LOCALHOST:4000",
            "localhost.:4000",
            "127.0.0.1:4000",
            "127.0.0.1",
            "[::1]:4000",
            "[::1]",
            "desk:4000",
            "desk",
            "localhost:8080",
        ] {
            assert!(h.allows(ok), "{ok}");
        }
    }

    #[test]
    fn other_names_and_malformed_hosts_are_refused() {
        let h = loopback();
        for bad in [
            "evil.example",
            "evil.example:4000",
            "localhost.evil.example:4000",
            "127.0.0.1.nip.io:4000",
            "192.168.1.5:4000",
            "[::1",
            "[::1]x",
            "::1",
            "localhost:",
            "localhost:4000:1",
            "localhost:40000000",
            "user@localhost:4000",
            "localhost/x",
            "[localhost]:4000",
            "",
        ] {
            assert!(!h.allows(bad), "{bad}");
        }
        assert!(!Hosts::new("127.0.0.1:4000".parse().unwrap(), None).allows("desk:4000"));
    }

    #[test]
    fn any_address_bound_allows_ip_addresses_but_not_names() {
        let h = Hosts::new("0.0.0.0:4000".parse().unwrap(), None);
        assert!(h.allows("192.168.1.5:4000"));
        assert!(h.allows("[fe80::1]:4000"));
        assert!(!h.allows("evil.example:4000"));
        let lan = Hosts::new("192.168.1.5:4000".parse().unwrap(), None);
        assert!(lan.allows("192.168.1.5:4000"));
        assert!(!lan.allows("192.168.1.6:4000"));
        let en = crate::messages::Messages::new(crate::messages::UiLang::En);
        assert!(lan.describe(&en).contains("192.168.1.5:4000"));
        let zh = crate::messages::Messages::new(crate::messages::UiLang::Zh);
        assert_eq!(
            h.describe(&zh),
            "localhost:4000、127.0.0.1:4000、[::1]:4000、本机的任意 IP 地址"
        );
    }
}
