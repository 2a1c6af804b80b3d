//! A stand-in for the desktop app, for trying the extension or the bookmarklet by hand and for
//! the extension's end-to-end test: starts the bridge and prints, one JSON line each, where it
//! listens, every pairing request and every page it receives (nothing is stored).
//!
//! ```sh
//! cargo run -p clipbook-bridge --example fake_app -- [--port N] [--allow-origin ORIGIN]… [--accept-all]
//! ```
//! `--accept-all` accepts every pairing without asking (tests only); otherwise type
//! `y <id>` or `n <id>` and Enter to answer one.

use std::error::Error;
use std::sync::Arc;

use clipbook_bridge::{
    BoxFuture, Bridge, BridgeConfig, BridgeError, BridgeHandler, ClipOutcome, ClipPage,
    PairingRequest,
};
use serde_json::json;
use tokio::sync::mpsc;

struct FakeApp {
    next_id: std::sync::atomic::AtomicI64,
    pairing: mpsc::UnboundedSender<PairingRequest>,
}

impl BridgeHandler for FakeApp {
    fn clip(&self, page: ClipPage) -> BoxFuture<'_, Result<ClipOutcome, BridgeError>> {
        Box::pin(async move {
            let id = self
                .next_id
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            println!("{}", json!({ "event": "clip", "page": page }));
            Ok(ClipOutcome {
                id,
                title: page.title.unwrap_or(page.url),
                created: true,
            })
        })
    }

    fn pairing_requested(&self, request: PairingRequest) {
        println!("{}", json!({ "event": "pairing", "request": request }));
        let _ = self.pairing.send(request);
    }
}

struct Args {
    port: u16,
    allowed: Vec<String>,
    accept_all: bool,
}

fn parse_args() -> Result<Args, Box<dyn Error>> {
    let mut args = Args {
        port: clipbook_bridge::DEFAULT_PORT,
        allowed: Vec::new(),
        accept_all: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--port" => args.port = it.next().ok_or("--port needs a number")?.parse()?,
            "--allow-origin" => args
                .allowed
                .push(it.next().ok_or("--allow-origin needs an origin")?),
            "--accept-all" => args.accept_all = true,
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    Ok(args)
}

/// Lines `y <id>` / `n <id>` typed on standard input, read on a thread of their own.
fn answers_from_stdin() -> mpsc::UnboundedReceiver<(String, bool)> {
    let (send, answers) = mpsc::unbounded_channel();
    std::thread::spawn(move || {
        for line in std::io::stdin().lines().map_while(Result::ok) {
            if let Some((answer, id)) = line.trim().split_once(' ') {
                let _ = send.send((id.trim().to_string(), answer == "y"));
            }
        }
    });
    answers
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let args = parse_args()?;
    let (pairing, mut requests) = mpsc::unbounded_channel();
    let app = Arc::new(FakeApp {
        next_id: 1.into(),
        pairing,
    });
    let config = BridgeConfig {
        port: args.port,
        allowed_web_origins: args.allowed,
        ..BridgeConfig::default()
    };
    let bridge = Bridge::start(config, app).await?;
    println!("{}", json!({ "event": "listening", "port": bridge.port() }));

    let mut answers = answers_from_stdin();
    loop {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => break,
            Some(request) = requests.recv(), if args.accept_all => {
                bridge.answer_pairing(&request.id, true)?;
            }
            Some((id, accepted)) = answers.recv() => {
                if let Err(e) = bridge.answer_pairing(&id, accepted) {
                    eprintln!("error: {e}");
                }
            }
        }
    }
    bridge.stop().await;
    Ok(())
}
