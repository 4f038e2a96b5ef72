//! `spawn_app()` and typed helpers for the tests.

use diesel::connection::SimpleConnection;
use diesel::Connection;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::sync::OnceLock;
use voxflow::app::{AppState, Application};
use voxflow::config::Settings;

pub const ADMIN_EMAIL: &str = "root@platform.test";
pub const PASSWORD: &str = "correct-horse-battery";
pub const JWT_SECRET: &str = "test-secret-test-secret-test-secret-42";
/// The unprivileged role the service connects as on PostgreSQL, so RLS applies to it.
pub const PG_APP_ROLE: &str = "voxflow_app";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Generates `mod $name { sqlite(); postgres() }` running the same body on both backends.
/// The PostgreSQL variant is skipped (with a message) only when no server is configured.
#[macro_export]
macro_rules! api_test {
    ($name:ident, |$app:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let $app = $crate::helpers::spawn_app($crate::helpers::Backend::Sqlite)
                    .await
                    .expect("sqlite app");
                $body
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some($app) =
                    $crate::helpers::spawn_app($crate::helpers::Backend::Postgres).await
                else {
                    eprintln!("skipped: VOXFLOW_TEST_PG_URL is not set");
                    return;
                };
                $body
            }
        }
    };
}

/// Runs the body on SQLite and PostgreSQL with private URLs allowed (the fakes listen on
/// loopback, which the SSRF guard refuses by default).
#[macro_export]
macro_rules! private_urls_test {
    ($name:ident, |$app:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let $app = $crate::helpers::spawn_app_with($crate::helpers::Backend::Sqlite, |s| {
                    s.url_allow_private = true
                })
                .await
                .expect("sqlite app");
                $body
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some($app) =
                    $crate::helpers::spawn_app_with($crate::helpers::Backend::Postgres, |s| {
                        s.url_allow_private = true
                    })
                    .await
                else {
                    eprintln!("skipped: VOXFLOW_TEST_PG_URL is not set");
                    return;
                };
                $body
            }
        }
    };
}

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub backend: Backend,
    /// The database URL the service uses (the unprivileged role on PostgreSQL).
    pub database_url: String,
    pub admin_token: String,
    /// The service's own store (its event hub included), for tests that drive the engine
    /// directly.
    pub store: voxflow::store::Store,
    _dir: tempfile::TempDir,
}

pub struct Response {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Response {
    /// The problem `code` of an error response (asserting the content type).
    pub fn code(&self) -> &str {
        let ct = self
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert_eq!(ct, "application/problem+json", "body: {}", self.body);
        self.body["code"].as_str().unwrap_or("")
    }

    pub fn id(&self) -> String {
        self.body["id"]
            .as_str()
            .unwrap_or_else(|| panic!("no id in {} {}", self.status, self.body))
            .to_string()
    }
}

/// Admin connection string for PostgreSQL tests, if configured.
pub fn pg_admin_url() -> Option<String> {
    std::env::var("VOXFLOW_TEST_PG_URL")
        .ok()
        .filter(|s| !s.is_empty())
}

fn pg_host_port(admin_url: &str) -> String {
    let rest = admin_url
        .split_once("://")
        .map(|x| x.1)
        .unwrap_or(admin_url);
    let rest = rest.rsplit_once('@').map(|x| x.1).unwrap_or(rest);
    rest.split('/')
        .next()
        .unwrap_or("127.0.0.1:5432")
        .to_string()
}

/// Creates a fresh database owned by the unprivileged app role and returns its URL.
pub fn create_pg_database(admin_url: &str) -> String {
    static ROLE: OnceLock<()> = OnceLock::new();
    let mut admin = diesel::PgConnection::establish(admin_url).expect("connect as PG admin");
    ROLE.get_or_init(|| {
        admin
            .batch_execute(&format!(
                "DO $$ BEGIN
                   IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{PG_APP_ROLE}') THEN
                     CREATE ROLE {PG_APP_ROLE} LOGIN PASSWORD '{PG_APP_ROLE}' NOSUPERUSER NOBYPASSRLS NOCREATEDB;
                   END IF;
                 END $$;"
            ))
            .or_else(|_| admin.batch_execute("SELECT 1"))
            .expect("create app role");
    });
    let db = format!("vf_test_{}", uuid::Uuid::new_v4().simple());
    admin
        .batch_execute(&format!("CREATE DATABASE {db} OWNER {PG_APP_ROLE}"))
        .expect("create test database");
    format!(
        "postgres://{PG_APP_ROLE}:{PG_APP_ROLE}@{}/{db}",
        pg_host_port(admin_url)
    )
}

pub fn test_settings(dir: &std::path::Path, database_url: String) -> Settings {
    let mut s = Settings::from_sources("", &[]).expect("defaults");
    s.bind = "127.0.0.1:0".into();
    s.data_dir = dir.to_path_buf();
    s.database_url = database_url;
    s.db_pool_size = 4;
    s.jwt_secret = JWT_SECRET.into();
    s.models_dir = models_dir();
    s.deepfilter_dir = deepfilter_dir();
    s.ort_lib = ort_lib();
    s.default_model = "tiny.en".into();
    s.whisper_threads = 2;
    s.workers = 1;
    s.job_lease_secs = 6;
    // The suite polls freely; the rate-limit tests set limits through plans or a tweak.
    s.rate_limit_per_minute = 0;
    s
}

/// The ready model files (`../shared/models`, or `$VOXFLOW_MODELS_DIR`).
pub fn models_dir() -> std::path::PathBuf {
    std::env::var_os("VOXFLOW_MODELS_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/models")
        })
}

/// DeepFilterNet for `bgm.separate` (`scripts/setup-native.sh deepfilter`, or
/// `$VOXFLOW_DEEPFILTER_DIR`).
pub fn deepfilter_dir() -> std::path::PathBuf {
    voxflow_nodes::deepfilter_dir_from_env(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("vendor/deepfilter"),
    )
}

/// ONNX Runtime as `scripts/setup-native.sh` installs it (or `$VOXFLOW_ORT_LIB`).
pub fn ort_lib() -> std::path::PathBuf {
    std::env::var_os("VOXFLOW_ORT_LIB")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(voxflow_nodes::onnx::DEFAULT_LIB_PATH)
        })
}

pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, |_| {}).await
}

/// Like [`spawn_app`], with settings adjusted by `tweak`.
pub async fn spawn_app_with(
    backend: Backend,
    tweak: impl FnOnce(&mut Settings),
) -> Option<TestApp> {
    let dir = tempfile::tempdir().expect("tempdir");
    let database_url = match backend {
        Backend::Sqlite => format!("sqlite://{}", dir.path().join("voxflow.db").display()),
        Backend::Postgres => {
            let admin = pg_admin_url()?;
            tokio::task::spawn_blocking(move || create_pg_database(&admin))
                .await
                .expect("create db")
        }
    };
    Some(spawn_app_on(backend, dir, database_url, tweak).await)
}

/// Like [`spawn_app_with`], on the database `database_url` and data directory `dir`.
pub async fn spawn_app_on(
    backend: Backend,
    dir: tempfile::TempDir,
    database_url: String,
    tweak: impl FnOnce(&mut Settings),
) -> TestApp {
    let mut settings = test_settings(dir.path(), database_url.clone());
    tweak(&mut settings);
    let state = tokio::task::spawn_blocking(move || AppState::init(settings))
        .await
        .expect("join")
        .expect("app state");
    let store = state.store.clone();
    let app_store = state.store.clone();
    let _workers = state.spawn_workers(state.settings.workers);
    tokio::task::spawn_blocking(move || {
        voxflow::bootstrap::create_platform_admin(&store, ADMIN_EMAIL, PASSWORD, false)
    })
    .await
    .expect("join")
    .expect("bootstrap admin");
    let app = Application::build(state).expect("build app");
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    let mut test = TestApp {
        base,
        client: reqwest::Client::new(),
        backend,
        database_url,
        admin_token: String::new(),
        store: app_store,
        _dir: dir,
    };
    test.admin_token = test.login(ADMIN_EMAIL, PASSWORD).await;
    test
}

impl TestApp {
    /// A second API process on this app's database (no workers), with settings adjusted by
    /// `tweak`; returns its base URL. It serves until the test ends.
    pub async fn spawn_peer(&self, tweak: impl FnOnce(&mut Settings)) -> String {
        let mut settings = test_settings(self.data_dir(), self.database_url.clone());
        settings.workers = 0;
        tweak(&mut settings);
        let state = tokio::task::spawn_blocking(move || AppState::init(settings))
            .await
            .expect("join")
            .expect("peer state");
        let app = Application::build(state).expect("build peer");
        let base = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run_until_stopped());
        base
    }
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// `sql` (a `SELECT count(*) AS n …`) on a raw PostgreSQL connection, for the RLS tests.
pub fn pg_count(conn: &mut diesel::PgConnection, sql: &str) -> i64 {
    use diesel::RunQueryDsl;
    diesel::sql_query(sql)
        .get_result::<Count>(conn)
        .expect(sql)
        .n
}

/// A real `voxflow serve` process (the binary, not an in-process app) on a test app's
/// database and data directory; killed when dropped.
pub struct ServeProcess {
    pub base: String,
    child: std::process::Child,
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl TestApp {
    /// Starts `voxflow serve` (no workers) on this app's database with the same secrets, and
    /// waits until it listens; `envs` adds settings.
    pub async fn spawn_serve_process(&self, envs: &[(&str, &str)]) -> ServeProcess {
        use std::io::{BufRead, BufReader};
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_voxflow"));
        cmd.arg("serve")
            .env_remove("VOXFLOW_CONFIG")
            .env("DATABASE_URL", &self.database_url)
            .env("VOXFLOW_DATA_DIR", self.data_dir())
            .env("VOXFLOW_MODELS_DIR", models_dir())
            .env("VOXFLOW_JWT_SECRET", JWT_SECRET)
            .env("VOXFLOW_BIND", "127.0.0.1:0")
            .env("VOXFLOW_WORKERS", "0")
            .env("VOXFLOW_RATE_LIMIT_PER_MINUTE", "0")
            .env("VOXFLOW_LOG", "info")
            .env("VOXFLOW_LOG_FORMAT", "json")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null());
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start voxflow serve");
        let stdout = child.stdout.take().expect("stdout");
        let port = tokio::task::spawn_blocking(move || {
            let mut lines = BufReader::new(stdout).lines();
            let port = lines.by_ref().map_while(Result::ok).find_map(|l| {
                let v: Value = serde_json::from_str(&l).ok()?;
                (v["message"] == "Voxflow is listening").then(|| v["port"].as_u64())?
            });
            // Keep draining so the process never blocks on a full pipe.
            std::thread::spawn(move || lines.for_each(drop));
            port
        })
        .await
        .expect("join")
        .expect("voxflow serve never said it was listening");
        ServeProcess {
            base: format!("http://127.0.0.1:{port}"),
            child,
        }
    }
}

/// A credential to send: a bearer token (JWT or API key) or an `X-API-Key` header.
#[derive(Clone, Copy)]
pub enum Cred<'a> {
    None,
    Bearer(&'a str),
    XApiKey(&'a str),
}

impl TestApp {
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        cred: Cred<'_>,
        body: Option<Value>,
    ) -> Response {
        let mut req = self.client.request(method, format!("{}{path}", self.base));
        req = match cred {
            Cred::None => req,
            Cred::Bearer(t) => req.bearer_auth(t),
            Cred::XApiKey(k) => req.header("X-API-Key", k),
        };
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.expect("request");
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Response {
            status,
            headers,
            body,
        }
    }

    /// GETs `path` with `headers` and returns status, headers and the raw body (downloads).
    pub async fn get_bytes(
        &self,
        cred: Cred<'_>,
        path: &str,
        headers: &[(&str, &str)],
    ) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
        let mut req = self.client.get(format!("{}{path}", self.base));
        req = match cred {
            Cred::None => req,
            Cred::Bearer(t) => req.bearer_auth(t),
            Cred::XApiKey(k) => req.header("X-API-Key", k),
        };
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = req.send().await.expect("request");
        let (status, headers) = (res.status(), res.headers().clone());
        (status, headers, res.bytes().await.expect("body").to_vec())
    }

    pub async fn get(&self, path: &str, token: &str) -> Response {
        self.call(Method::GET, path, Cred::Bearer(token), None)
            .await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Response {
        self.call(Method::POST, path, Cred::Bearer(token), Some(body))
            .await
    }

    pub async fn patch(&self, path: &str, token: &str, body: Value) -> Response {
        self.call(Method::PATCH, path, Cred::Bearer(token), Some(body))
            .await
    }

    pub async fn delete(&self, path: &str, token: &str) -> Response {
        self.call(Method::DELETE, path, Cred::Bearer(token), None)
            .await
    }

    pub async fn login_response(&self, email: &str, password: &str) -> Response {
        self.call(
            Method::POST,
            "/v1/auth/login",
            Cred::None,
            Some(json!({"email": email, "password": password})),
        )
        .await
    }

    pub async fn login(&self, email: &str, password: &str) -> String {
        let r = self.login_response(email, password).await;
        assert_eq!(r.status, StatusCode::OK, "login {email}: {}", r.body);
        r.body["access_token"].as_str().expect("token").to_string()
    }

    pub async fn create_reseller(&self, name: &str) -> String {
        let r = self
            .post(
                "/v1/resellers",
                &self.admin_token,
                json!({"name": name, "email": format!("{}@resellers.test", slug(name)), "commission_rate": "10"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        r.id()
    }

    /// Creates a tenant as `token` (a platform or reseller admin).
    pub async fn create_tenant(
        &self,
        token: &str,
        name: &str,
        reseller_id: Option<&str>,
    ) -> String {
        let mut body = json!({"name": name});
        if let Some(r) = reseller_id {
            body["reseller_id"] = json!(r);
        }
        let r = self.post("/v1/tenants", token, body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        r.id()
    }

    /// Creates a user as `token` and returns (id, access token).
    pub async fn create_user(
        &self,
        token: &str,
        email: &str,
        role: &str,
        tenant_id: Option<&str>,
        reseller_id: Option<&str>,
    ) -> (String, String) {
        let mut body = json!({"email": email, "password": PASSWORD, "role": role});
        if let Some(t) = tenant_id {
            body["tenant_id"] = json!(t);
        }
        if let Some(r) = reseller_id {
            body["reseller_id"] = json!(r);
        }
        let r = self.post("/v1/users", token, body).await;
        assert_eq!(r.status, StatusCode::CREATED, "create {email}: {}", r.body);
        let id = r.id();
        (id, self.login(email, PASSWORD).await)
    }

    /// The service's data directory (uploaded files live under `files/`).
    pub fn data_dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    /// Uploads `bytes` as the multipart `file` field of `POST /v1/files`.
    pub async fn upload(&self, cred: Cred<'_>, file_name: &str, bytes: Vec<u8>) -> Response {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(bytes)
                .file_name(file_name.to_string())
                .mime_str("audio/wav")
                .expect("mime"),
        );
        let mut req = self
            .client
            .post(format!("{}/v1/files", self.base))
            .multipart(form);
        req = match cred {
            Cred::None => req,
            Cred::Bearer(t) => req.bearer_auth(t),
            Cred::XApiKey(k) => req.header("X-API-Key", k),
        };
        let res = req.send().await.expect("upload request");
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Response {
            status,
            headers,
            body,
        }
    }

    /// Creates an API key as `token`; returns (id, secret).
    pub async fn create_api_key(&self, token: &str, body: Value) -> (String, String) {
        let r = self.post("/v1/api-keys", token, body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        (r.id(), r.body["key"].as_str().expect("key").to_string())
    }
}

fn slug(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_lowercase()
}

/// Two resellers, each with tenants, admins, members, viewers and API keys.
pub struct World {
    pub reseller1: String,
    pub reseller2: String,
    pub reseller1_admin: String,
    pub reseller2_admin: String,
    /// Tenant A (reseller 1) and tenant B (reseller 2).
    pub tenant_a: String,
    pub tenant_b: String,
    pub a_admin: (String, String),
    pub a_member: (String, String),
    pub a_viewer: (String, String),
    pub b_admin: (String, String),
    pub b_member: (String, String),
    /// (id, secret) of an API key owned by A's member.
    pub a_key: (String, String),
    pub b_key: (String, String),
    /// A plan owned by reseller 1.
    pub plan1: String,
}

impl TestApp {
    pub async fn world(&self) -> World {
        let reseller1 = self.create_reseller("Reseller One").await;
        let reseller2 = self.create_reseller("Reseller Two").await;
        let (_, reseller1_admin) = self
            .create_user(
                &self.admin_token,
                "ra1@r1.test",
                "reseller_admin",
                None,
                Some(&reseller1),
            )
            .await;
        let (_, reseller2_admin) = self
            .create_user(
                &self.admin_token,
                "ra2@r2.test",
                "reseller_admin",
                None,
                Some(&reseller2),
            )
            .await;
        let tenant_a = self.create_tenant(&reseller1_admin, "Tenant A", None).await;
        let tenant_b = self.create_tenant(&reseller2_admin, "Tenant B", None).await;
        let a_admin = self
            .create_user(
                &reseller1_admin,
                "admin@a.test",
                "tenant_admin",
                Some(&tenant_a),
                None,
            )
            .await;
        let a_member = self
            .create_user(&a_admin.1, "member@a.test", "member", None, None)
            .await;
        let a_viewer = self
            .create_user(&a_admin.1, "viewer@a.test", "viewer", None, None)
            .await;
        let b_admin = self
            .create_user(
                &reseller2_admin,
                "admin@b.test",
                "tenant_admin",
                Some(&tenant_b),
                None,
            )
            .await;
        let b_member = self
            .create_user(&b_admin.1, "member@b.test", "member", None, None)
            .await;
        let a_key = self
            .create_api_key(&a_member.1, json!({"name": "a key"}))
            .await;
        let b_key = self
            .create_api_key(&b_member.1, json!({"name": "b key"}))
            .await;
        let plan = self
            .post(
                "/v1/plans",
                &reseller1_admin,
                json!({"name": "R1 Pro", "price_monthly": "19.99", "price_yearly": "199.00",
                       "storage_quota_mb": 1000, "processing_quota_minutes": 600, "max_users": 10}),
            )
            .await;
        assert_eq!(plan.status, StatusCode::CREATED, "{}", plan.body);
        World {
            reseller1,
            reseller2,
            reseller1_admin,
            reseller2_admin,
            tenant_a,
            tenant_b,
            a_admin,
            a_member,
            a_viewer,
            b_admin,
            b_member,
            a_key,
            b_key,
            plan1: plan.id(),
        }
    }
}

/// Speaks `text` with espeak-ng into a WAV file (22.05 kHz mono).
pub fn speak(text: &str, voice: &str, path: &std::path::Path) {
    let status = std::process::Command::new("espeak-ng")
        .args(["-v", voice, "-s", "150", "-w"])
        .arg(path)
        .arg(text)
        .status()
        .expect("espeak-ng is installed (apt-get install espeak-ng)");
    assert!(status.success(), "espeak-ng failed");
}

/// A valid PCM WAV file (16-bit mono, 16 kHz) with `data_len` bytes of silence.
pub fn wav(data_len: u32) -> Vec<u8> {
    let mut v = Vec::with_capacity(44 + data_len as usize);
    v.extend_from_slice(b"RIFF");
    v.extend_from_slice(&(36 + data_len).to_le_bytes());
    v.extend_from_slice(b"WAVEfmt ");
    v.extend_from_slice(&16u32.to_le_bytes());
    v.extend_from_slice(&1u16.to_le_bytes()); // PCM
    v.extend_from_slice(&1u16.to_le_bytes()); // mono
    v.extend_from_slice(&16_000u32.to_le_bytes());
    v.extend_from_slice(&32_000u32.to_le_bytes());
    v.extend_from_slice(&2u16.to_le_bytes());
    v.extend_from_slice(&16u16.to_le_bytes());
    v.extend_from_slice(b"data");
    v.extend_from_slice(&data_len.to_le_bytes());
    v.resize(44 + data_len as usize, 0);
    v
}

/// Word error rate of `hypothesis` against `reference`, ignoring case and punctuation.
pub fn wer(reference: &str, hypothesis: &str) -> f64 {
    let norm = |s: &str| -> Vec<String> {
        s.to_lowercase()
            .split(|c: char| !c.is_alphanumeric() && c != '\'')
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let (r, h) = (norm(reference), norm(hypothesis));
    let mut prev: Vec<usize> = (0..=h.len()).collect();
    for i in 1..=r.len() {
        let mut cur = vec![i; h.len() + 1];
        for j in 1..=h.len() {
            let sub = prev[j - 1] + usize::from(r[i - 1] != h[j - 1]);
            cur[j] = sub.min(prev[j] + 1).min(cur[j - 1] + 1);
        }
        prev = cur;
    }
    prev[h.len()] as f64 / r.len().max(1) as f64
}
