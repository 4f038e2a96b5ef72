//! `usage_records`: metered consumption (audio seconds processed), per tenant, and the
//! aggregates usage reports read (`billing::usage`): sums per day or month, tenant,
//! resource and node kind, computed by the database.

use crate::store::schema::usage_records::dsl as ur;
use crate::store::{DbConn, StoreError};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::store::schema::usage_records)]
pub struct UsageRow {
    pub id: String,
    pub tenant_id: String,
    pub user_id: Option<String>,
    pub job_id: Option<String>,
    pub resource_type: String,
    /// Thousandths of `unit` (exact).
    pub amount_milli: i64,
    pub unit: String,
    pub recorded_at: NaiveDateTime,
    /// The workflow node that processed it (`node_audio` rows), if any.
    pub node_id: Option<String>,
    /// That node's kind (`whisper.transcribe`, …), kept so reports can group by it after
    /// the job is gone.
    pub node_kind: Option<String>,
}

pub fn insert(conn: &mut DbConn, row: &UsageRow) -> Result<(), StoreError> {
    diesel::insert_into(ur::usage_records)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// Total of some resources for a tenant since `since` (thousandths of the unit), summed
/// by the database over the `(tenant_id, recorded_at, …)` index.
pub fn total_since(
    conn: &mut DbConn,
    tenant_id: &str,
    resource_types: &[&str],
    since: NaiveDateTime,
) -> Result<i64, StoreError> {
    total_between(conn, tenant_id, resource_types, since, None)
}

/// Total of some resources for a tenant recorded in `[from, to)` (thousandths of the unit;
/// no `to`: up to now).
pub fn total_between(
    conn: &mut DbConn,
    tenant_id: &str,
    resource_types: &[&str],
    from: NaiveDateTime,
    to: Option<NaiveDateTime>,
) -> Result<i64, StoreError> {
    let mut q = ur::usage_records
        .filter(ur::tenant_id.eq(tenant_id.to_string()))
        .filter(ur::recorded_at.ge(from))
        .into_boxed();
    if let Some(to) = to {
        q = q.filter(ur::recorded_at.lt(to));
    }
    let total: i64 = q
        .filter(ur::resource_type.eq_any(resource_types.iter().map(|r| r.to_string())))
        .select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
            "CAST(COALESCE(SUM(amount_milli), 0) AS BIGINT)",
        ))
        // SUM's SQL type differs between the backends (NUMERIC on PostgreSQL): cast it.
        .first(conn)?;
    Ok(total)
}

/// A job's audio seconds (thousandths): the job's own total and each node's, by node id.
pub fn audio_for_job(
    conn: &mut DbConn,
    job_id: &str,
) -> Result<(Option<i64>, std::collections::BTreeMap<String, i64>), StoreError> {
    let rows: Vec<(String, Option<String>, i64)> = ur::usage_records
        .filter(ur::job_id.eq(job_id.to_string()))
        .filter(ur::resource_type.eq_any(["job_audio", "node_audio"]))
        .select((ur::resource_type, ur::node_id, ur::amount_milli))
        .load(conn)?;
    let mut job = None;
    let mut nodes = std::collections::BTreeMap::new();
    for (kind, node, amount) in rows {
        match node {
            Some(node) if kind == "node_audio" => *nodes.entry(node).or_insert(0) += amount,
            _ => *job.get_or_insert(0) += amount,
        }
    }
    Ok((job, nodes))
}

/// What a job is billed for, measured (thousandths of a second): the longest audio one of
/// its finished nodes processed in one run (`node_audio`). A node run again by a retry
/// or a resumed attempt is not billed twice; 0 when no node finished with audio.
pub fn measured_for_job(conn: &mut DbConn, job_id: &str) -> Result<i64, StoreError> {
    let rows: Vec<i64> = ur::usage_records
        .filter(ur::job_id.eq(job_id.to_string()))
        .filter(ur::resource_type.eq("node_audio"))
        .select(ur::amount_milli)
        .load(conn)?;
    Ok(rows.into_iter().max().unwrap_or(0))
}

/// What a job has been billed so far (its `job_audio` rows, thousandths of a second).
pub fn billed_for_job(conn: &mut DbConn, job_id: &str) -> Result<i64, StoreError> {
    let rows: Vec<i64> = ur::usage_records
        .filter(ur::job_id.eq(job_id.to_string()))
        .filter(ur::resource_type.eq("job_audio"))
        .select(ur::amount_milli)
        .load(conn)?;
    Ok(rows.iter().sum())
}

/// Whose rows a report reads. The caller has checked that its scope may see them (and on
/// PostgreSQL the row-level security policies check again).
#[derive(Debug, Clone)]
pub enum Owner {
    Tenant(String),
    /// Every tenant of the reseller, deleted ones included (their usage stays billable).
    Reseller(String),
    Platform,
}

/// How a report cuts its time range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket {
    /// Calendar days (UTC).
    Day,
    /// Calendar months (UTC).
    Month,
    /// The whole range as one bucket.
    Whole,
}

/// What a report asks the database for.
#[derive(Debug, Clone)]
pub struct ReportQuery {
    pub owner: Owner,
    /// Included.
    pub from: NaiveDateTime,
    /// Excluded.
    pub to: NaiveDateTime,
    pub bucket: Bucket,
    pub by_tenant: bool,
    pub by_node_kind: bool,
}

/// One aggregate: the usage of one bucket (× tenant) × resource (× node kind).
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct ReportRow {
    /// The bucket's calendar start as `YYYY-MM-DD` (a month's first day); empty for
    /// [`Bucket::Whole`].
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub bucket: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub tenant_id: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub resource_type: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub node_kind: Option<String>,
    /// Thousandths of the unit, summed exactly (64-bit integers on both backends).
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub amount_milli: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub records: i64,
}

/// A tenant's total of something (usage, reservations, bytes).
#[derive(Debug, Clone, QueryableByName)]
pub struct TenantTotal {
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub tenant_id: String,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub total: i64,
}

/// A statement with numbered placeholders for whichever backend runs it.
pub(crate) struct Sql {
    pg: bool,
    pub text: String,
    binds: Vec<Bind>,
}

enum Bind {
    Text(String),
    Time(NaiveDateTime),
}

impl Sql {
    pub(crate) fn new(conn: &DbConn) -> Self {
        Sql {
            pg: matches!(conn, DbConn::Postgres(_)),
            text: String::new(),
            binds: Vec::new(),
        }
    }

    fn placeholder(&mut self, bind: Bind) -> String {
        self.binds.push(bind);
        let n = self.binds.len();
        if self.pg {
            format!("${n}")
        } else {
            format!("?{n}")
        }
    }

    pub(crate) fn text(&mut self, value: &str) -> String {
        self.placeholder(Bind::Text(value.to_string()))
    }

    pub(crate) fn time(&mut self, value: NaiveDateTime) -> String {
        self.placeholder(Bind::Time(value))
    }

    /// `tenant_id` restricted to `owner`'s tenants (a condition for a WHERE clause).
    pub(crate) fn owner(&mut self, owner: &Owner) -> String {
        match owner {
            Owner::Tenant(t) => format!("tenant_id = {}", self.text(t)),
            Owner::Reseller(r) => format!(
                "tenant_id IN (SELECT id FROM tenants WHERE reseller_id = {})",
                self.text(r)
            ),
            Owner::Platform => "1 = 1".into(),
        }
    }

    pub(crate) fn load<T>(self, conn: &mut DbConn) -> Result<Vec<T>, StoreError>
    where
        T: QueryableByName<diesel::pg::Pg> + QueryableByName<diesel::sqlite::Sqlite> + 'static,
    {
        use diesel::sql_types::{Text, Timestamp};
        Ok(match conn {
            DbConn::Postgres(pg) => {
                let mut q = diesel::sql_query(self.text).into_boxed::<diesel::pg::Pg>();
                for b in self.binds {
                    q = match b {
                        Bind::Text(v) => q.bind::<Text, _>(v),
                        Bind::Time(v) => q.bind::<Timestamp, _>(v),
                    };
                }
                q.load(pg)?
            }
            DbConn::Sqlite(lite) => {
                let mut q = diesel::sql_query(self.text).into_boxed::<diesel::sqlite::Sqlite>();
                for b in self.binds {
                    q = match b {
                        Bind::Text(v) => q.bind::<Text, _>(v),
                        Bind::Time(v) => q.bind::<Timestamp, _>(v),
                    };
                }
                q.load(lite)?
            }
        })
    }
}

/// The report's aggregates, one `GROUP BY` over the time range, in no particular order.
///
/// Buckets: on PostgreSQL `date_trunc`, formatted once per bucket rather than per row; on
/// SQLite the stored text's date prefix (diesel writes timestamps as `%F %T%.f`, so
/// `substr(recorded_at, 1, 10)` is the UTC day): over a million rows 40 % faster than
/// `strftime`, and the same buckets (tests/api/usage.rs puts rows on both sides of
/// midnight and of a month's end).
pub fn report(conn: &mut DbConn, q: &ReportQuery) -> Result<Vec<ReportRow>, StoreError> {
    let mut sql = Sql::new(conn);
    // (per row, per bucket)
    let (inner, outer) = match (q.bucket, sql.pg) {
        (Bucket::Day, false) => ("substr(recorded_at, 1, 10)", "bucket"),
        (Bucket::Month, false) => ("substr(recorded_at, 1, 7)", "bucket || '-01'"),
        (Bucket::Day, true) => (
            "date_trunc('day', recorded_at)",
            "to_char(bucket, 'YYYY-MM-DD')",
        ),
        (Bucket::Month, true) => (
            "date_trunc('month', recorded_at)",
            "to_char(bucket, 'YYYY-MM-DD')",
        ),
        (Bucket::Whole, _) => ("NULL", "CAST('' AS TEXT)"),
    };
    let tenant = if q.by_tenant {
        "tenant_id"
    } else {
        "CAST(NULL AS TEXT)"
    };
    let node_kind = if q.by_node_kind {
        "node_kind"
    } else {
        "CAST(NULL AS TEXT)"
    };
    let mut group = Vec::new();
    if q.bucket != Bucket::Whole {
        group.push("1");
    }
    if q.by_tenant {
        group.push("2");
    }
    group.push("3");
    if q.by_node_kind {
        group.push("4");
    }
    let (from, to) = (sql.time(q.from), sql.time(q.to));
    let owner = sql.owner(&q.owner);
    sql.text = format!(
        "SELECT {outer} AS bucket, tenant_id, resource_type, node_kind, amount_milli, records FROM ( \
         SELECT {inner} AS bucket, {tenant} AS tenant_id, resource_type, {node_kind} AS node_kind, \
         CAST(SUM(amount_milli) AS BIGINT) AS amount_milli, CAST(COUNT(*) AS BIGINT) AS records \
         FROM usage_records \
         WHERE {owner} AND recorded_at >= {from} AND recorded_at < {to} \
         GROUP BY {}) AS buckets",
        group.join(", ")
    );
    sql.load(conn)
}

/// [`total_since`] for every tenant of `owner` at once (tenants with none are absent).
pub fn totals_by_tenant(
    conn: &mut DbConn,
    owner: &Owner,
    resource_types: &[&str],
    since: NaiveDateTime,
) -> Result<Vec<TenantTotal>, StoreError> {
    let mut sql = Sql::new(conn);
    let since = sql.time(since);
    let owner = sql.owner(owner);
    let types: Vec<String> = resource_types.iter().map(|r| sql.text(r)).collect();
    sql.text = format!(
        "SELECT tenant_id, CAST(SUM(amount_milli) AS BIGINT) AS total FROM usage_records \
         WHERE {owner} AND recorded_at >= {since} \
         AND resource_type IN ({}) GROUP BY tenant_id",
        types.join(", ")
    );
    sql.load(conn)
}
