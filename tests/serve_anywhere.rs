//! `voxflow serve` started outside the repository still finds the native libraries that
//! `scripts/setup-native.sh` put in the checkout's `vendor/` (the old default was relative to
//! the working directory, so diarization and music separation were silently lost), and says
//! at startup what it found.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

#[test]
fn serve_started_elsewhere_finds_the_native_libraries_and_logs_them() {
    let vendor = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("vendor");
    assert!(
        vendor.join("onnxruntime/libonnxruntime.so").exists()
            && vendor.join("deepfilter/libdeepfilter.so").exists(),
        "run scripts/setup-native.sh first (scripts/test.sh does)"
    );
    let cwd = tempfile::tempdir().expect("tempdir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_voxflow"))
        .arg("serve")
        .current_dir(cwd.path())
        .env_remove("VOXFLOW_CONFIG")
        .env_remove("VOXFLOW_ORT_LIB")
        .env_remove("VOXFLOW_DEEPFILTER_DIR")
        .env_remove("DATABASE_URL")
        .env_remove("VOXFLOW_DATABASE_URL")
        .env("VOXFLOW_DATA_DIR", cwd.path().join("data"))
        .env("VOXFLOW_BIND", "127.0.0.1:0")
        .env("VOXFLOW_WORKERS", "0")
        .env("VOXFLOW_LOG", "info")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start voxflow serve");
    let (tx, rx) = mpsc::channel::<String>();
    for pipe in [
        Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
        Box::new(child.stderr.take().unwrap()),
    ] {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
    }
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut log = Vec::new();
    while Instant::now() < deadline {
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(line) => {
                let done = line.contains("Voxflow is listening");
                log.push(line);
                if done {
                    break;
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => continue,
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let log = log.join("\n");
    assert!(
        log.contains("Voxflow is listening"),
        "never started:\n{log}"
    );
    let ort = vendor.join("onnxruntime/libonnxruntime.so");
    assert!(
        log.contains("ONNX Runtime loaded") && log.contains(&ort.display().to_string()),
        "ONNX Runtime not found from another working directory:\n{log}"
    );
    assert!(
        log.contains("DeepFilterNet3 ready"),
        "DeepFilterNet not found from another working directory:\n{log}"
    );
}
