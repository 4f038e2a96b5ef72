//! Structured logging with `tracing`: human-readable by default, JSON on request.

use crate::config::LogFormat;
use tracing_subscriber::{fmt, EnvFilter};

/// Installs the global subscriber once; later calls (tests) are ignored.
///
/// Levels: `error` is for faults an operator must act on (a bug, a broken database, a
/// file that cannot be removed); a user's bad input (corrupt audio, a wrong engine key) is
/// logged at `info` inside the request or job span, which names the request id, tenant and
/// job. The audio decoder's own log lines are off unless the filter names `symphonia`: it
/// reports every truncated upload at `error` (`probe reach EOF at 67 bytes`) with no
/// context, and the same fault reaches the log through the job or request that hit it.
pub fn init(format: LogFormat) {
    let filter = filter();
    let builder = fmt().with_env_filter(filter).with_target(false);
    let _ = match format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// The log filter: `VOXFLOW_LOG`, else `RUST_LOG`, else `info,actix_server=warn`; the
/// decoder's own lines off (see [`init`]).
pub fn filter() -> EnvFilter {
    let filter = EnvFilter::try_from_env("VOXFLOW_LOG")
        .or_else(|_| EnvFilter::try_from_default_env())
        .unwrap_or_else(|_| EnvFilter::new("info,actix_server=warn"));
    quiet_decoder(filter)
}

/// `symphonia=off`, unless the filter already says something about it.
fn quiet_decoder(filter: EnvFilter) -> EnvFilter {
    if filter.to_string().contains("symphonia") {
        return filter;
    }
    match "symphonia=off".parse() {
        Ok(directive) => filter.add_directive(directive),
        Err(_) => filter,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_decoders_own_error_lines_are_off_unless_asked_for() {
        let f = quiet_decoder(EnvFilter::new("info"));
        assert!(f.to_string().contains("symphonia=off"), "{f}");
        let f = quiet_decoder(EnvFilter::new("info,symphonia_core=debug"));
        assert!(!f.to_string().contains("symphonia=off"), "{f}");
    }
}
