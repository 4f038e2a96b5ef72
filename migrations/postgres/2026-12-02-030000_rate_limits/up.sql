-- Request rate limits (issue 12, §5): one GCRA bucket per tenant (`t:<tenant id>`) and per
-- API key (`k:<key id>`), holding its theoretical arrival time in microseconds of the
-- database's clock. Every `voxflow serve` process updates it with one atomic
-- `INSERT … ON CONFLICT DO UPDATE … WHERE … RETURNING` per check, so the limits hold across
-- processes. A row whose time is in the past is a full bucket: idle rows are deleted.
-- UNLOGGED: losing the table in a crash only refills every bucket.
CREATE UNLOGGED TABLE rate_limits (
    key TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL,
    tat_us BIGINT NOT NULL
);

ALTER TABLE rate_limits ENABLE ROW LEVEL SECURITY;
ALTER TABLE rate_limits FORCE ROW LEVEL SECURITY;
CREATE POLICY rate_limits_isolation ON rate_limits
    USING (vf_tenant_visible(tenant_id)) WITH CHECK (vf_tenant_visible(tenant_id));

-- Takes one request from each bucket in `keys` (in order: the API key's, then the tenant's),
-- in one call: per bucket one atomic upsert that moves the time only when the request is
-- allowed; the first bucket that refuses stops the walk and gives back what the earlier ones
-- took. Returns one row per bucket visited: its time after the call (`tat`), the database's
-- clock (`clock_us`) and whether it allowed (`ok`). A PL/pgSQL function so its plans are
-- prepared once per connection and the check is one round trip. The rows are UNLOGGED, so
-- the transaction's commit need not wait for a WAL flush.
CREATE FUNCTION vf_rate_take(keys text[], intervals bigint[], tid text, win bigint)
RETURNS TABLE (bucket int, tat bigint, clock_us bigint, ok boolean)
LANGUAGE plpgsql AS $$
DECLARE
  clock bigint := (extract(epoch FROM clock_timestamp()) * 1000000)::bigint;
  nxt bigint;
  cur bigint;
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true);
  FOR i IN 1 .. coalesce(array_length(keys, 1), 0) LOOP
    INSERT INTO rate_limits AS r (key, tenant_id, tat_us) VALUES (keys[i], tid, clock + intervals[i])
      ON CONFLICT (key) DO UPDATE SET tat_us = GREATEST(r.tat_us, clock) + intervals[i]
      WHERE GREATEST(r.tat_us, clock) + intervals[i] - clock <= win
      RETURNING r.tat_us INTO nxt;
    IF NOT FOUND THEN
      SELECT r.tat_us INTO cur FROM rate_limits r WHERE r.key = keys[i];
      FOR j IN 1 .. i - 1 LOOP
        UPDATE rate_limits AS r SET tat_us = r.tat_us - intervals[j] WHERE r.key = keys[j];
      END LOOP;
      bucket := i; tat := cur; clock_us := clock; ok := false;
      RETURN NEXT;
      RETURN;
    END IF;
    bucket := i; tat := nxt; clock_us := clock; ok := true;
    RETURN NEXT;
  END LOOP;
END $$;
