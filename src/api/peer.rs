//! Noticing that a client hung up while its request is being worked on.
//!
//! actix-web keeps running a handler after its client disconnects (actix/actix-web#3462):
//! the dispatcher only finds out when it writes the response. A synchronous transcription
//! can take minutes, so the OpenAI-compatible routes watch the connection themselves:
//! [`on_connect`] keeps a duplicate of each accepted TCP socket in the connection's data,
//! and [`until_peer_leaves`] races the work against a poll of that socket — `peek` answering
//! end-of-file (the client closed) or an error (reset) means nobody is waiting any more, and
//! the work's future is dropped, which trips its cancel token (`speech::Speech::transcribe`).
//! A readable socket with bytes (a pipelined next request) or nothing to read (would block)
//! is a live client.

use actix_web::dev::Extensions;
use actix_web::HttpRequest;
use std::any::Any;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// How often a waiting handler looks at its client's socket.
const POLL: Duration = Duration::from_millis(250);

/// A duplicate of the connection's socket, only ever peeked at.
#[derive(Clone)]
pub struct PeerSocket(Arc<std::net::TcpStream>);

impl PeerSocket {
    /// Whether the client has closed or reset the connection.
    fn gone(&self) -> bool {
        let mut byte = [0u8; 1];
        match self.0.peek(&mut byte) {
            Ok(0) => true,
            Ok(_) => false,
            Err(e) => !matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::Interrupted
            ),
        }
    }
}

/// `HttpServer::on_connect`: keeps a duplicate of a plain TCP connection's socket.
pub fn on_connect(conn: &dyn Any, data: &mut Extensions) {
    let Some(tcp) = conn.downcast_ref::<actix_web::rt::net::TcpStream>() else {
        return;
    };
    let Ok(dup) = socket2::SockRef::from(tcp).try_clone() else {
        return;
    };
    let dup = std::net::TcpStream::from(dup);
    // The duplicate shares the open file (its O_NONBLOCK included); set it anyway.
    if dup.set_nonblocking(true).is_ok() {
        data.insert(PeerSocket(Arc::new(dup)));
    }
}

/// The client went away before the work finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeerLeft;

/// Runs `work` until it finishes or the request's client hangs up, whichever is first
/// (the work is dropped then). Without a watched socket (another transport), just `work`.
pub async fn until_peer_leaves<T>(
    req: &HttpRequest,
    work: impl Future<Output = T>,
) -> Result<T, PeerLeft> {
    let Some(peer) = req.conn_data::<PeerSocket>().cloned() else {
        return Ok(work.await);
    };
    let left = async move {
        let mut tick = tokio::time::interval(POLL);
        loop {
            tick.tick().await;
            if peer.gone() {
                return;
            }
        }
    };
    tokio::select! {
        out = work => Ok(out),
        () = left => Err(PeerLeft),
    }
}
